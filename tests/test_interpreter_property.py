"""Property: the engine never crashes on a document that parses, and always ends within its step
limit, whatever the input, outcomes and fetched answers (GoTo can loop for ever: the limit)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ozml.catalog import ALL
from ozml.interpreter.dryrun import DryRunConfig, DryRunExecutor, Plan
from ozml.interpreter.engine import Engine, EngineOptions
from ozml.interpreter.fetch import Answer, ScenarioFetcher
from ozml.interpreter.inputs import ListInput, parse_entry
from ozml.interpreter.scenario import ENDINGS
from ozml.interpreter.trace import ListSink
from ozml.parser import parse

NAMES = [cmd.name for cmd in ALL] + ["var", "speak", "Forward", "Unknown", "userinput"]
PARAMS = [
    *sorted({p for cmd in ALL for param in cmd.params for p in param.all_names}),
    *("id", "source", "key", "timeout", "repeat", "digits", "x"),
]
VALUES = st.one_of(
    st.sampled_from(["1", "2", "*", "true", "false", "0", "-3", "1.5", "abc", "", "$item",
                     "$item.date", "$a", "http://app/x", "http://app/loop", "a", "nan", "1e9",
                     "99999999999999999999"]),
    st.text(max_size=8),
)
URLS = ["http://app/x", "http://app/loop"]


def xml_element(depth: int) -> st.SearchStrategy[str]:
    children = st.lists(xml_element(depth - 1), max_size=4) if depth > 0 else st.just([])
    return st.builds(
        lambda name, attrs, text, kids: (
            f"<{name}"
            + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items())
            + f">{escape(text)}{''.join(kids)}</{name}>"
        ),
        st.sampled_from(NAMES),
        st.dictionaries(st.sampled_from(PARAMS), VALUES, max_size=3),
        st.one_of(st.just(""), VALUES),
        children,
    )


DOCUMENTS = st.lists(xml_element(3), max_size=6).map(
    lambda body: f"<Response>{''.join(body)}</Response>"
)
ENTRIES = st.lists(st.sampled_from(["1", "2", "12", "*", "#", "timeout", "hangup", "9"]),
                   max_size=6)
WORDS = {
    "transfer": st.sampled_from(["succeed", "fail"]),
    "call": st.sampled_from(["answer", "busy", "no-answer", "error"]),
    "alarm": st.sampled_from(["receive", "fail"]),
}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=DOCUMENTS,
    answer=DOCUMENTS,
    entries=ENTRIES,
    transfer=st.lists(WORDS["transfer"], max_size=3),
    call=st.lists(WORDS["call"], max_size=3),
    alarm=WORDS["alarm"],
    when_done=st.sampled_from(["hangup", "timeout"]),
    fetch_failure=st.sampled_from(["hangup", "continue"]),
    keep=st.booleans(),
    array=st.lists(st.one_of(st.text(max_size=4),
                             st.dictionaries(st.sampled_from(["date", "from"]),
                                             st.text(max_size=4), max_size=2)), max_size=3),
)
def test_the_engine_never_crashes_and_always_ends(
    document: str,
    answer: str,
    entries: list[str],
    transfer: list[str],
    call: list[str],
    alarm: str,
    when_done: str,
    fetch_failure: str,
    keep: bool,
    array: list[object],
) -> None:
    parsed = parse(document)
    if parsed.document.root is None:
        return
    config = DryRunConfig(
        transfer=Plan("succeed", sequence=tuple(transfer)),
        call=Plan("answer", sequence=tuple(call)),
        alarm=Plan(alarm),
        timing={"Speak": 0.5},
    )
    sink = ListSink()
    limit = 300
    engine = Engine(
        DryRunExecutor(config),
        fetcher=ScenarioFetcher(
            {URLS[0]: Answer(answer.encode()), URLS[1]: Answer(document.encode())}
        ),
        inputs=ListInput([parse_entry(e) for e in entries], parse_entry(when_done)),
        sink=sink,
        options=EngineOptions(max_steps=limit, fetch_failure=fetch_failure, keep_variables=keep),
    )
    result = engine.run_source(document, "prop.xml", variables={"a": "A", "voicemails": array})  # type: ignore[dict-item]
    assert result.ending in ENDINGS
    assert all(c.ending in ENDINGS for c in result.calls)
    assert result.steps <= limit + 1
    assert sink.events[-1].command in ("end", "notify")
    ends = [e for e in sink.events if e.command == "end"]
    assert len(ends) == len(result.calls)
    assert result.time >= 0
