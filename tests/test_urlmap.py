"""The URL map (`ozml.project.urlmap`) and its configuration (`[urls]`, `[entry-points]`)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ozml.config import ConfigError, load
from ozml.project import EntryKind, TargetKind, UrlMap, UrlMapError
from ozml.project.urlmap import parse_entry

APP = {
    "http://ivr.example.com/menu.php": "app/menu.xml",
    "http://ivr.example.com/menu.php?step=2": "app/menu-2.xml",
    "http://ivr.example.com/static/": "app/static/",
    "http://ivr.example.com/static/deep/": "app/deeper/",
    "http://ivr.example.com/{name}.php": "app/{name}.xml",
    "http://ivr.example.com/menu-{n}.php": "app/numbered/{n}.xml",
    "http://ivr.example.com/lang.php?lang={lang}": "app/lang-{lang}.xml",
}
FILES = [
    "app/menu.xml",
    "app/menu-2.xml",
    "app/static/a.xml",
    "app/static/sub/b.xml",
    "app/deeper/c.xml",
    "app/sales.xml",
    "app/numbered/7.xml",
    "app/lang-en.xml",
    "app/lang-fr.xml",
]


@pytest.fixture
def app(tmp_path: Path) -> UrlMap:
    for name in FILES:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("<Response/>")
    return UrlMap.parse(APP, tmp_path)


def shown(target_paths: tuple[Path, ...], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in target_paths]


@pytest.mark.parametrize(
    ("url", "kind", "files"),
    [
        # exact beats pattern; an unnamed query parameter is ignored
        ("http://ivr.example.com/menu.php", TargetKind.MAPPED, ["app/menu.xml"]),
        ("http://ivr.example.com/menu.php?x=1", TargetKind.MAPPED, ["app/menu.xml"]),
        # the exact entry naming more query parameters wins, in any order
        ("http://ivr.example.com/menu.php?step=2", TargetKind.MAPPED, ["app/menu-2.xml"]),
        ("http://ivr.example.com/menu.php?a=b&step=2", TargetKind.MAPPED, ["app/menu-2.xml"]),
        ("http://ivr.example.com/menu.php?step=3", TargetKind.MAPPED, ["app/menu.xml"]),
        # scheme and host in any case, the default port, a fragment
        ("HTTP://IVR.Example.COM:80/menu.php#top", TargetKind.MAPPED, ["app/menu.xml"]),
        ("http://ivr.example.com:8080/menu.php", TargetKind.UNMAPPED, []),
        # the path is compared as written
        ("http://ivr.example.com/MENU.php", TargetKind.DEAD, []),
        # pattern: the one with more literal text wins
        ("http://ivr.example.com/sales.php", TargetKind.MAPPED, ["app/sales.xml"]),
        ("http://ivr.example.com/menu-7.php", TargetKind.MAPPED, ["app/numbered/7.xml"]),
        ("http://ivr.example.com/lang.php?lang=fr&x=1", TargetKind.MAPPED, ["app/lang-fr.xml"]),
        ("http://ivr.example.com/lang.php?x=1&lang=en", TargetKind.MAPPED, ["app/lang-en.xml"]),
        # a placeholder is one segment: a/b.php is not {name}.php
        ("http://ivr.example.com/a/b.php", TargetKind.UNMAPPED, []),
        # prefixes: the longest first, the rest of the path kept
        ("http://ivr.example.com/static/a.xml", TargetKind.MAPPED, ["app/static/a.xml"]),
        ("http://ivr.example.com/static/sub/b.xml", TargetKind.MAPPED, ["app/static/sub/b.xml"]),
        ("http://ivr.example.com/static/deep/c.xml", TargetKind.MAPPED, ["app/deeper/c.xml"]),
        # dot segments are removed as an HTTP client does: never above the prefix's host root
        ("http://ivr.example.com/static/x/../a.xml", TargetKind.MAPPED, ["app/static/a.xml"]),
        ("http://ivr.example.com/static/../../menu.php", TargetKind.MAPPED, ["app/menu.xml"]),
        # dead: covered, but no such file
        ("http://ivr.example.com/missing.php", TargetKind.DEAD, []),
        ("http://ivr.example.com/static/none.xml", TargetKind.DEAD, []),
        # someone else's URL, and what is not a URL
        ("https://ivr.example.com/menu.php", TargetKind.UNMAPPED, []),
        ("http://other.example.com/menu.php", TargetKind.UNMAPPED, []),
        ("menu.php", TargetKind.NOT_URL, []),
        ("ftp://ivr.example.com/menu.php", TargetKind.NOT_URL, []),
    ],
)
def test_resolve(app: UrlMap, url: str, kind: TargetKind, files: list[str]) -> None:
    target = app.resolve(url)
    assert target.kind is kind
    assert shown(target.paths, app.root) == files


def test_own_host(app: UrlMap) -> None:
    assert app.resolve("http://ivr.example.com/a/b.php").own
    assert not app.resolve("http://other.example.com/a.php").own


def test_dead_names_the_expected_file(app: UrlMap) -> None:
    target = app.resolve("http://ivr.example.com/missing.php")
    assert target.expected == str(app.root / "app" / "missing.xml")
    assert target.entry is not None
    assert target.entry.url == "http://ivr.example.com/{name}.php"


@pytest.mark.parametrize(
    ("url", "kind", "files", "glob"),
    [
        # a $variable inside a placeholder: every file of the glob
        (
            "http://ivr.example.com/lang.php?lang=$lang",
            TargetKind.MAPPED,
            ["app/lang-en.xml", "app/lang-fr.xml"],
            "app/lang-*.xml",
        ),
        # a jinja placeholder, with literal text around it in the same segment
        (
            "http://ivr.example.com/menu-{{ n }}.php",
            TargetKind.MAPPED,
            ["app/numbered/7.xml"],
            "app/numbered/*.xml",
        ),
        (
            "http://ivr.example.com/sa<?= $x ?>.php",
            TargetKind.MAPPED,
            ["app/sales.xml"],
            "app/sa*.xml",
        ),
        # no file matches: dead
        ("http://ivr.example.com/zz{{ n }}.php", TargetKind.DEAD, [], "app/zz*.xml"),
        # the dynamic part in a parameter the entry does not name: the entry's file
        ("http://ivr.example.com/menu.php?id=$id", TargetKind.MAPPED, ["app/menu.xml"], ""),
    ],
)
def test_dynamic_inside_placeholders(
    app: UrlMap, url: str, kind: TargetKind, files: list[str], glob: str
) -> None:
    target = app.resolve(url)
    assert target.kind is kind
    assert target.dynamic
    assert shown(target.paths, app.root) == files
    if glob:
        assert target.expected == str(app.root / glob)


@pytest.mark.parametrize(
    "url",
    [
        "http://$host/menu.php",
        "$base/menu.php",
        "{{ base }}/menu.php",
        "http://ivr.example.com/static/$file",
        "http://ivr.example.com/$dir/x/menu.php",
        "http://ivr.example.com/menu.php?{{ name }}=1",
    ],
)
def test_dynamic_elsewhere_is_not_followed(app: UrlMap, url: str) -> None:
    assert app.resolve(url).kind is TargetKind.DYNAMIC


def test_template_syntaxes_decide_what_is_dynamic(app: UrlMap) -> None:
    url = "http://ivr.example.com/menu-{{ n }}.php"
    assert app.resolve(url, syntaxes=()).kind is TargetKind.DEAD
    assert app.resolve(url, syntaxes=("jinja",)).kind is TargetKind.MAPPED


def test_entry_kinds(tmp_path: Path) -> None:
    kinds = {url: parse_entry(url, target, tmp_path).kind for url, target in APP.items()}
    assert kinds["http://ivr.example.com/menu.php"] is EntryKind.EXACT
    assert kinds["http://ivr.example.com/static/"] is EntryKind.PREFIX
    assert kinds["http://ivr.example.com/{name}.php"] is EntryKind.PATTERN


def test_target_going_upwards_is_normalised(tmp_path: Path) -> None:
    entry = parse_entry("http://a.example.com/x.php", "app/../../shared/x.xml", tmp_path / "p")
    assert entry.target == str(tmp_path / "shared" / "x.xml")


def test_files_the_map_names(app: UrlMap) -> None:
    assert sorted(shown(tuple(app.files()), app.root)) == sorted(FILES)


@pytest.mark.parametrize(
    ("url", "target", "message"),
    [
        ("ivr.example.com/x.php", "a.xml", "expected an absolute http:// or https:// URL"),
        ("ftp://ivr.example.com/x", "a.xml", "expected an absolute http:// or https:// URL"),
        ("http:///x.php", "a.xml", "no host name after http://"),
        ("http://{host}/x.php", "a.xml",
         "a placeholder may stand in the path or a query value, not the host"),
        ("http://a.example.com/x.php#top", "a.xml",
         "a fragment (#...) is never sent to the server: leave it out"),
        ("http://a.example.com/{name}.php", "app/{other}.xml",
         "the file path uses {other}, which the URL does not have"),
        ("http://a.example.com/{a}{b}.php", "x.xml",
         "two placeholders side by side in '{a}{b}.php' cannot be told apart: put text between"
         " them"),
        ("http://a.example.com/{a}/{a}.php", "x.xml", "the placeholder {a} is used twice"),
        ("http://a.example.com/{1x}.php", "x.xml",
         "a { or } that is not a placeholder; write {name} with a name of letters, digits and _"),
        ("http://a.example.com/x/?a=1", "x/", "a prefix (a URL ending with /) takes no query"),
        ("http://a.example.com/x?{n}=1", "x.xml",
         "a query parameter's name cannot be a placeholder ({n})"),
        ("http://a.example.com/x?a=1&a=2", "x.xml", "the query parameter a is named twice"),
        ("http://a.example.com:99999/x", "x.xml", "not a URL: Port out of range 0-65535"),
        ("http://a.example.com/x", "", "the file or folder path is empty"),
        ("http://a.example.com/x", 3, "expected a file or folder path as a string, found 3"),
    ],
)
def test_bad_entries(tmp_path: Path, url: str, target: object, message: str) -> None:
    with pytest.raises(UrlMapError) as caught:
        parse_entry(url, target, tmp_path)
    assert caught.value.message == message
    assert caught.value.key == url


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            'select = ["ALL"]\n\n[urls]\n"http://a.example.com/m.php" = "m.xml"\n'
            '"http://a.example.com/{name}.php" = "{other}.xml"\n',
            'ozml.toml:5:1: urls "http://a.example.com/{name}.php": the file path uses {other},'
            " which the URL does not have",
        ),
        (
            "[urls]\n  'ftp://a/x' = 'x.xml'\n",
            "ozml.toml:2:3: urls \"ftp://a/x\": expected an absolute http:// or https:// URL",
        ),
        (
            "[entry-points]\nIncomingCal = ['a.xml']\n",
            "ozml.toml:2:1: entry-points \"IncomingCal\": not a notification; did you mean"
            " 'IncomingCall'? (known: RoutingInterception, CallChanged, IncomingCall,"
            " CallConnected, DtmfEntered, RecordCompleted, SMSDeliveryReport, IncomingSMS, GoTo,"
            " Error, Finished, AlarmResult)",
        ),
        (
            "[entry-points]\nIncomingCall = [1]\n",
            'ozml.toml:2:1: entry-points "IncomingCall": expected a glob or a list of globs,'
            " found a list ([1])",
        ),
        ("urls = 3\n", "ozml.toml:1:8: urls: expected a table, found a number (3)"),
        ("url = {}\n", "ozml.toml:1:1: url: unknown key; did you mean 'urls'? (allowed: select,"
         " extend-select, ignore, per-file-ignores, severity, context, per-file-contexts,"
         " known-variables, include, exclude, fail-on, max-bytes, templates, format,"
         " respect-gitignore, force-exclude, urls, entry-points, api)"),
    ],
)
def test_configuration_errors_say_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, toml: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ozml.toml").write_text(toml)
    with pytest.raises(ConfigError) as caught:
        load(Path("ozml.toml"))
    assert str(caught.value) == message


def test_pyproject_table_errors_say_where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ozml.urls]\n"http://a.example.com/{x}" = "{y}.xml"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load(Path("pyproject.toml"))
    assert str(caught.value) == (
        'pyproject.toml:5:1: [tool.ozml] urls "http://a.example.com/{x}": the file path uses'
        " {y}, which the URL does not have"
    )


def test_configuration_keeps_the_tables(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text(
        '[urls]\n"http://a.example.com/m.php" = "app/m.xml"\n\n'
        '[entry-points]\nIncomingCall = "app/in.xml"\nCallConnected = ["a/*.xml", "b.xml"]\n'
    )
    config = load(tmp_path / "ozml.toml")
    assert config is not None
    assert config.urls == (("http://a.example.com/m.php", "app/m.xml"),)
    assert config.entry_points == (
        ("IncomingCall", ("app/in.xml",)),
        ("CallConnected", ("a/*.xml", "b.xml")),
    )
    url_map = UrlMap.from_config(config)
    assert url_map is not None
    assert url_map.resolve("http://a.example.com/m.php").expected == str(
        tmp_path / "app" / "m.xml"
    )


def test_no_urls_no_map(tmp_path: Path) -> None:
    (tmp_path / "ozml.toml").write_text('select = ["ALL"]\n')
    assert UrlMap.from_config(load(tmp_path / "ozml.toml")) is None


# -- property: a URL built from a pattern resolves back to the file ------------------------------

_SEGMENT = st.text(alphabet=string.ascii_letters + string.digits + "-_", min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    name=_SEGMENT,
    lang=_SEGMENT,
    extra=st.lists(st.tuples(_SEGMENT, _SEGMENT), max_size=3),
    upper=st.booleans(),
    order=st.booleans(),
)
def test_a_url_built_from_a_pattern_resolves_to_its_file(
    tmp_path_factory: pytest.TempPathFactory,
    name: str,
    lang: str,
    extra: list[tuple[str, str]],
    upper: bool,
    order: bool,
) -> None:
    root = tmp_path_factory.getbasetemp() / "prop"
    url_map = UrlMap.parse(
        {
            "http://ivr.example.com/menus/{name}.php?lang={lang}": "app/{name}/{lang}.xml",
            "http://ivr.example.com/menus/": "app/static/",
        },
        root,
    )
    entry = url_map.entries[0]
    url = entry.build({"name": name, "lang": lang})
    params = [p for p in extra if p[0] != "lang"]
    if params:
        query = "&".join(f"{k}={v}" for k, v in params)
        base, _, own = url.partition("?")
        url = f"{base}?{query}&{own}" if order else f"{url}&{query}"
    if upper:
        url = url.replace("http://ivr.example.com", "HTTP://IVR.EXAMPLE.COM:80")
    target = url_map.resolve(url + "#fragment")
    assert target.entry is entry
    assert target.expected == str(root / "app" / name / f"{lang}.xml")


@settings(max_examples=100, deadline=None)
@given(
    segment=_SEGMENT,
    variable=st.from_regex(re.compile(r"[a-z_][a-z0-9_]{0,8}"), fullmatch=True),
)
def test_a_variable_in_a_placeholder_is_a_glob(
    tmp_path_factory: pytest.TempPathFactory, segment: str, variable: str
) -> None:
    root = tmp_path_factory.getbasetemp() / "glob"
    # A ``.name`` after a variable is a property ($x.php), so the placeholder ends at a /.
    url_map = UrlMap.parse({"http://a.example.com/p-{x}/go": "app/{x}.xml"}, root)
    target = url_map.resolve(f"http://a.example.com/p-{segment}${variable}/go?q=1")
    assert target.dynamic
    assert target.kind is TargetKind.DEAD
    assert target.expected == str(root / "app" / f"{segment}*.xml")


# -- property: the most specific entry wins --------------------------------------------------------

_WORD = st.sampled_from(["a", "b", "menu", "x1"])


@st.composite
def _entries(draw: st.DrawFn) -> dict[str, str]:
    table: dict[str, str] = {}
    for number in range(draw(st.integers(min_value=1, max_value=6))):
        kind = draw(st.sampled_from(["exact", "pattern", "prefix"]))
        folder = draw(_WORD)
        if kind == "exact":
            query = draw(st.sampled_from(["", "?k=1", "?k=1&j=2", "?j=2"]))
            url = f"http://h.example.com/{folder}/{draw(_WORD)}.php{query}"
            target = f"t{number}.xml"
        elif kind == "pattern":
            tail = draw(st.sampled_from(["{p}.php", "m{p}.php", "{p}-x.php", "{p}.php?k={q}"]))
            url = f"http://h.example.com/{folder}/{tail}"
            target = f"t{number}-{{p}}.xml"
        else:
            url = f"http://h.example.com/{folder}/" if draw(st.booleans()) else "http://h.example.com/"
            target = f"t{number}/"
        table.setdefault(url, target)
    return table


def _matches(url_map: UrlMap, entry_url: str, path: str, query: dict[str, str]) -> bool:
    entry = next(e for e in url_map.entries if e.url == entry_url)
    if entry.kind is EntryKind.EXACT:
        return entry.path == path and all(query.get(k) == v for k, v in entry.query)
    if entry.kind is EntryKind.PREFIX:
        return path.startswith(entry.path)
    assert entry.path_re is not None
    if entry.path_re.fullmatch(path) is None:
        return False
    return all(
        (given := query.get(name)) is not None and pattern.fullmatch(given) is not None
        for name, pattern in entry.query_re
    )


@settings(max_examples=300, deadline=None)
@given(
    table=_entries(),
    folder=_WORD,
    name=st.sampled_from(["a", "menu", "ma", "a-x", "x1", "m"]),
    query=st.sampled_from(["", "k=1", "j=2&k=1", "k=2", "k=1&j=2&z=3"]),
)
def test_the_most_specific_entry_wins(
    tmp_path_factory: pytest.TempPathFactory,
    table: dict[str, str],
    folder: str,
    name: str,
    query: str,
) -> None:
    url_map = UrlMap.parse(table, tmp_path_factory.getbasetemp() / "specific")
    path = f"/{folder}/{name}.php"
    given_query = dict(p.split("=") for p in query.split("&") if p)
    url = f"http://h.example.com{path}" + (f"?{query}" if query else "")
    matching = [e for e in url_map.entries if _matches(url_map, e.url, path, given_query)]
    target = url_map.resolve(url)
    if not matching:
        assert target.kind is TargetKind.UNMAPPED
        assert target.own
        return
    best = min(matching, key=lambda e: e.sort_key)
    assert target.entry is best
    assert target.kind is TargetKind.DEAD  # no file exists


def test_a_placeholder_never_takes_a_slash_into_the_file_path(tmp_path: Path) -> None:
    url_map = UrlMap.parse(
        {
            "http://a.example.com/lang.php?lang={lang}": "app/lang-{lang}.xml",
            "http://a.example.com/{n}.php": "app/{n}.xml",
        },
        tmp_path,
    )
    # Query values compare decoded: %26 is a & of the value, + a space.
    assert url_map.resolve("http://a.example.com/lang.php?lang=en%26x").expected == str(
        tmp_path / "app" / "lang-en&x.xml"
    )
    assert url_map.resolve("http://a.example.com/lang.php?lang=a+b").expected == str(
        tmp_path / "app" / "lang-a b.xml"
    )
    # ../ in a value is no placeholder's: the {n}.php entry answers with lang.xml.
    escaping = url_map.resolve("http://a.example.com/lang.php?lang=..%2F..%2Fetc")
    assert escaping.expected == str(tmp_path / "app" / "lang.xml")
