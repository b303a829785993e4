"""Did-you-mean (`ozml.lint.suggest`) against difflib itself.

`closest` is the first of ``difflib.get_close_matches`` over the lower-cased candidates, and
`unambiguous` that name only when no other candidate's ratio is within 0.1 of it. The searches
skip candidates by cheap upper bounds on the ratio (lengths, the characters in common); these
tests hold the answers to difflib's, worked out plainly over every candidate, for drawn names
and candidates (any text, repeated and shared characters, names that are empty), and for the
prepared `Names` of a command's parameters, which answer many names with one list.
"""

from __future__ import annotations

import difflib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.lint import suggest


def reference_closest(name: str, candidates: list[str], cutoff: float) -> str | None:
    pool = {c.lower(): c for c in candidates}
    found = difflib.get_close_matches(name.lower(), list(pool), n=1, cutoff=cutoff)
    return pool[found[0]] if found else None


def reference_unambiguous(name: str, candidates: list[str], cutoff: float) -> str | None:
    pool = {c.lower(): c for c in candidates}
    word = name.lower()
    scored = sorted(
        ((difflib.SequenceMatcher(None, word, key).ratio(), key) for key in pool), reverse=True
    )
    if not scored or scored[0][0] < cutoff:
        return None
    if len(scored) > 1 and scored[0][0] - scored[1][0] < 0.1:
        return None
    return pool[scored[0][1]]


#: Names of few letters, so that drawn names and candidates share characters and come close.
_LETTERS = st.text(alphabet="abcdeABé_1", max_size=9)
#: Any text, lone surrogates included (a name is deleted from by its bytes when it is ASCII).
_ANY = st.text(st.characters(exclude_categories=()), max_size=12)
_CUTOFFS = st.sampled_from([0.0, 0.5, 0.6, 0.7, 0.75, 0.9, 1.0])


@settings(max_examples=600)
@given(
    st.one_of(_LETTERS, _ANY),
    st.lists(st.one_of(_LETTERS, _ANY), max_size=10),
    _CUTOFFS,
)
def test_the_functions_answer_as_difflib(name: str, candidates: list[str], cutoff: float) -> None:
    suggest._ANSWERS.clear()  # worked out, not remembered from another example
    assert suggest.closest(name, candidates, cutoff) == reference_closest(name, candidates, cutoff)
    assert suggest.unambiguous(name, candidates, cutoff) == reference_unambiguous(
        name, candidates, cutoff
    )


@settings(max_examples=300)
@given(st.lists(_LETTERS, min_size=1, max_size=8), st.lists(_LETTERS, max_size=12), _CUTOFFS)
def test_prepared_names_answer_each_name_as_the_functions(
    candidates: list[str], names: list[str], cutoff: float
) -> None:
    """One `Names` asked many names, some twice and in other cases: each answer is the
    functions' (so difflib's) for that name alone."""
    prepared = suggest.Names(candidates, cutoff)
    for name in [*names, *names, *(n.upper() for n in names)]:
        assert prepared.closest(name) == reference_closest(name, candidates, cutoff)
        assert prepared.unambiguous(name) == reference_unambiguous(name, candidates, cutoff)


def test_the_catalogs_parameters_against_misspellings() -> None:
    """Every parameter name of every command, misspelt four ways, against the command's own
    names and aliases (`parameter_names`, which unknown-attribute and missing-parameter ask):
    the suggestions are difflib's."""
    from ozml.catalog import ALL

    asked = 0
    for command in ALL:
        everything = [n for p in command.ozml_params for n in p.all_names]
        names = [p.name for p in command.ozml_params]
        prepared = suggest.parameter_names(command)
        for param in names:
            alone = prepared.alone(param)
            for wrong in (param[1:], param + "s", param[:-1] + "x", param.swapcase()[::-1]):
                asked += 1
                expected = reference_closest(wrong, everything, 0.7)
                assert prepared.every_name.closest(wrong) == expected
                expected = reference_unambiguous(wrong, names, 0.7)
                assert prepared.names.unambiguous(wrong) == expected
                assert alone.closest(wrong) == reference_closest(wrong, [param], 0.7)
    assert asked > 400


def test_parameter_names_are_made_once_per_command_within_a_bound() -> None:
    """The same command gets the same prepared names; another command (even one made after
    the first is gone, which may reuse its id) gets its own; and however many commands come,
    the memory stays within its bound."""
    from ozml.catalog import ALL

    command = next(c for c in ALL if c.ozml_params)
    param = command.ozml_params[0]
    first = suggest.parameter_names(command)
    assert suggest.parameter_names(command) is first
    assert first.every_name is first.every_name
    assert first.names is first.names
    assert first.alone("Destination") is first.alone("Destination")
    for i in range(3 * suggest._COMMANDS_KEPT):
        made = command.replace(params=(param.replace(name=f"Own{i}", aliases=()),))
        assert suggest.parameter_names(made).names.unambiguous(f"Owm{i}") == f"Own{i}"
        assert len(suggest._COMMANDS) <= suggest._COMMANDS_KEPT
    assert suggest.parameter_names(command) is not first  # emptied on the way: made again


def test_prepared_names_remember_short_names_within_a_bound(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepared = suggest.Names(["Destination", "Target"])
    assert prepared.closest("Destinaton") == "Destination"
    assert prepared.unambiguous("Destinaton") == "Destination"
    long = "Destination" + "x" * suggest._KEPT_LENGTH
    assert prepared.closest(long) is None

    def no_search(*args: object) -> None:
        raise AssertionError("searched again")

    monkeypatch.setattr(suggest, "_best", no_search)
    monkeypatch.setattr(suggest, "_sure", no_search)
    # A name met again is answered from memory ...
    assert prepared.closest("Destinaton") == "Destination"
    assert prepared.unambiguous("Destinaton") == "Destination"
    monkeypatch.undo()
    # ... a long one is not kept ...
    assert all(len(name) <= suggest._KEPT_LENGTH for _, name in prepared._answers)
    # ... and the memory stays within its bound however many names come.
    for i in range(3 * suggest._NAMES_KEPT):
        prepared.closest(f"Target{i}")
        assert len(prepared._answers) <= suggest._NAMES_KEPT
