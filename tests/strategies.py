"""Hypothesis strategies: valid OzML built from the catalog, and untidy ways of writing it.

`responses()` draws builder documents: every command a document may hold, with valid values for
every parameter type, nested as the catalog allows, and following the rules a sensible script
follows (variables defined before use, arrays before ForEach, menus whose keys can be entered,
nothing after Hangup). `documents()` adds what only the tree can hold (processing
instructions, CDATA, unknown elements and attributes, mixed content: text with comments,
processing instructions and white space between its pieces, text at several levels).
`untidy()` writes a document the way people do: odd indentation, blank lines, single quotes,
any attribute order, ``<a></a>`` for empty elements, lower-case names, CRLF.
"""

from __future__ import annotations

import itertools

import attrs
from hypothesis import strategies as st

import ozml.builder as b
from ozml import xmlspace
from ozml.catalog import ALL, ChildPolicy, Command, ElementKind, Param, ValueType
from ozml.generate.builder import python_name, required_everywhere
from ozml.nodes import (
    Attribute,
    Comment,
    Document,
    Element,
    Node,
    ProcessingInstruction,
    Text,
)
from ozml.writer import escape_text

# --- values -----------------------------------------------------------------------------------

#: Free text: anything XML holds, except what makes a value dynamic ($, template braces) or a
#: PHP tag, so that values are checked; tab and newline included, XML's special characters too.
TEXT = st.text(
    st.characters(
        codec="utf-8",
        categories=("L", "N", "Zs", "P", "S"),
        exclude_characters="$%{}?\ufffe\uffff",
        include_characters="\t\n&<>\"']",
    ),
    min_size=1,
    max_size=24,
)
NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
URLS = st.builds(
    "http://{}.example.com/{}".format,
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.from_regex(r"[a-z0-9_/]{0,12}(\.php)?", fullmatch=True),
)
PHONES = st.from_regex(r"\+?[0-9]{1,9}", fullmatch=True) | st.integers(0, 10**6)


def value(param: Param) -> st.SearchStrategy[object]:
    """Python values the builder takes for `param` and the linter accepts."""
    kind = param.type
    if param.values:
        return st.sampled_from(param.values)
    if kind is ValueType.INTEGER:
        low = param.minimum if param.minimum is not None else 0
        high = param.maximum if param.maximum is not None else 10**6
        if param.max_digits is not None:
            high = min(high, 10**param.max_digits - 1)
        if param.min_digits is not None:
            low = max(low, 10 ** (param.min_digits - 1))
        if param.maximum is None and param.max_digits is None:
            # Now and then a number Python will not convert from text (more than 4,300
            # digits): valid all the same.
            return st.integers(low, high) | st.just(10**5000 + 1)
        return st.integers(low, high)
    if kind is ValueType.SECONDS:
        return st.integers(0, 600) | st.floats(0, 600, allow_nan=False, allow_infinity=False)
    if kind is ValueType.BOOLEAN:
        return st.booleans()
    if kind in (ValueType.URL, ValueType.URL_OR_SQL):
        return URLS
    if kind in (ValueType.PHONE, ValueType.DESTINATION):
        return PHONES
    if kind is ValueType.CALL_ID:
        return st.from_regex(r"[A-Za-z0-9_.:-]{1,10}", fullmatch=True)
    if kind is ValueType.DTMF_KEYS:
        return st.from_regex(r"[0-9*#A-D]{1,6}", fullmatch=True)
    if kind is ValueType.DTMF_KEY:
        return st.sampled_from("0123456789*#ABCD")
    if kind is ValueType.LANGUAGE:
        return st.sampled_from(["en-US", "hu", "de-DE", "fr-FR"])
    if kind is ValueType.EMAIL:
        return st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.com", fullmatch=True)
    if kind is ValueType.PATH:
        return st.from_regex(r"[a-z]{1,8}/[a-z]{1,8}\.(wav|mp3)", fullmatch=True)
    if kind is ValueType.IDENTIFIER:
        return NAMES
    if kind is ValueType.DATETIME:
        return st.sampled_from(["2013-01-17", "2013-01-17 13:32:12"])
    if kind is ValueType.SQL:
        return st.just("SELECT ozml FROM scripts")
    return TEXT


# --- commands ---------------------------------------------------------------------------------

#: Commands drawn by their own strategies, not as plain leaves.
_SPECIAL = frozenset(
    {"Var", "Array", "ForEach", "UserInput", "Request", "ReceiveAlarmNotification",
     "Reject", "Hangup", "Exit"}
)  # fmt: skip
LEAVES: tuple[Command, ...] = tuple(
    cmd
    for cmd in ALL
    if cmd.in_ozml
    and cmd.kind is ElementKind.COMMAND
    and cmd.children is ChildPolicy.NONE
    and cmd.name not in _SPECIAL
)


@st.composite
def build(draw: st.DrawFn, cmd: Command, *children: object, **fixed: object) -> b.OzmlElement:
    """An element of `cmd` with valid values: mandatory ones always, the others sometimes."""
    positional: list[object] = []
    keywords: dict[str, object] = {}
    for param in cmd.ozml_params:
        name = python_name(param.name)
        if name in fixed:
            chosen = fixed[name]
        elif required_everywhere(cmd, param):
            chosen = draw(value(param))
        else:
            chosen = draw(st.none() | value(param))
        if required_everywhere(cmd, param):
            positional.append(chosen)
        elif chosen is not None:
            keywords[name] = chosen
    element = getattr(b, cmd.name)(*positional, *children, **keywords)
    assert isinstance(element, b.OzmlElement)
    return element


def leaf() -> st.SearchStrategy[b.OzmlElement]:
    return st.sampled_from(LEAVES).flatmap(lambda cmd: build(cmd))


COMMENTS = st.builds(
    b.Comment,
    TEXT.filter(lambda t: "--" not in t and not t.endswith("-")),
)


@st.composite
def variable(draw: st.DrawFn) -> list[b.Child]:
    """A Var and a Speak that uses it (an unused variable is a finding)."""
    name = draw(NAMES)
    return [b.Var(name, draw(TEXT)), b.Speak(f"Your {name} is ${name}.")]


@st.composite
def loop(draw: st.DrawFn, depth: int) -> list[b.Child]:
    """An Array and a ForEach over it whose body speaks each item."""
    name = draw(NAMES)
    items = draw(st.lists(TEXT | st.builds(b.Item, TEXT), min_size=1, max_size=3))
    body = [b.Speak("Item: $item"), *draw(block(depth - 1))]
    return [b.Array(name, *items), b.ForEach(name, *body)]


@st.composite
def menu(draw: st.DrawFn, depth: int) -> b.OzmlElement:
    """A UserInput whose keys can be entered: unique, as long as the menu reads."""
    digits = draw(st.integers(1, 3))
    keys = draw(
        st.lists(
            st.from_regex(f"[0-9*#]{{{digits}}}", fullmatch=True),
            min_size=1,
            max_size=3,
            unique_by=str.upper,
        )
    )
    inputs = [b.Input(key, *draw(block(depth - 1))) for key in keys]
    parts: list[b.Child] = []
    if draw(st.booleans()):
        parts.append(b.InitialCommands(*draw(block(depth - 1))))
    parts.append(b.Inputs(*inputs))
    back = draw(st.none() | st.sampled_from("*#0"))
    if back is not None and any(k.upper() == back for k in keys):
        back = None
    fixed: dict[str, object] = {
        "digits": digits if digits > 1 or draw(st.booleans()) else None,
        "min_digits": None,
        "max_digits": None,
        "back_key": back,
    }
    return draw(build(b.UserInput.catalog_entry(), *parts, **fixed))


@st.composite
def request(draw: st.DrawFn, depth: int) -> b.OzmlElement:
    handlers: list[b.Child] = []
    if draw(st.booleans()):
        handlers.append(b.OnSetup(*draw(block(depth - 1))))
    if draw(st.booleans()):
        handlers.append(b.OnError(*draw(block(depth - 1))))
    return draw(build(b.Request.catalog_entry(), *handlers))


@st.composite
def alarm(draw: st.DrawFn, depth: int) -> b.OzmlElement:
    return b.ReceiveAlarmNotification(b.Received(*draw(block(depth - 1))))


def ending() -> st.SearchStrategy[b.OzmlElement]:
    """What may close a block: Hangup of the current call, or Exit."""
    return st.sampled_from([b.Hangup(), b.Exit()])


@st.composite
def block(draw: st.DrawFn, depth: int = 2) -> list[b.Child]:
    """The commands of one block, in an order that runs to its end."""
    pieces: list[st.SearchStrategy[list[b.Child]]] = [
        leaf().map(lambda e: [e]),
        COMMENTS.map(lambda c: [c]),
        variable(),
    ]
    if depth > 0:
        pieces += [
            menu(depth).map(lambda e: [e]),
            loop(depth),
            request(depth).map(lambda e: [e]),
            alarm(depth).map(lambda e: [e]),
        ]
    chunks = draw(st.lists(st.one_of(pieces), max_size=4 if depth > 0 else 3))
    commands = [item for chunk in chunks for item in chunk]
    if draw(st.integers(0, 4)) == 0:
        commands.append(draw(ending()))
    return commands


@st.composite
def responses(draw: st.DrawFn) -> b.Response:
    """A whole builder document."""
    if draw(st.integers(0, 20)) == 0:
        return b.Response(b.Reject())
    return b.Response(*draw(block()))


# --- trees the builder does not make ----------------------------------------------------------

PIS = st.builds(
    ProcessingInstruction,
    st.sampled_from(["php", "template", "x-y"]),
    st.from_regex(r"([a-z0-9=;][a-z0-9 =;]{0,11})?", fullmatch=True),
)
NODE_COMMENTS = COMMENTS.map(lambda c: c.to_node())


#: Text that is not only XML white space: that alone, between child elements, is layout (a
#: no-break space alone is text: `ozml.xmlspace`).
PROSE = TEXT.filter(lambda t: not xmlspace.is_blank(t))
#: White space between the nodes of mixed content (part of the text there).
BLANK = st.sampled_from([" ", "  ", "\n", "\n    ", "\t", " \n ", "\u3000"])


def merged(nodes: list[Node]) -> tuple[Node, ...]:
    """`nodes` with neighbouring texts joined, as the parser reads them (CDATA if any part was)."""
    out: list[Node] = []
    for node in nodes:
        last = out[-1] if out else None
        if isinstance(node, Text) and isinstance(last, Text):
            out[-1] = Text(last.value + node.value, last.cdata or node.cdata)
        else:
            out.append(node)
    return tuple(out)


@st.composite
def mixed(draw: st.DrawFn, value: str) -> list[Node]:
    """The text `value` (not only white space) as mixed content: cut into pieces with comments,
    processing instructions and white space (some of it CDATA) between them."""
    cuts = sorted(draw(st.lists(st.integers(0, len(value)), min_size=1, max_size=3, unique=True)))
    bounds = [0, *cuts, len(value)]
    out: list[Node] = []
    for i, (start, end) in enumerate(itertools.pairwise(bounds)):
        if i:
            out.append(draw(NODE_COMMENTS | PIS))
            if draw(st.booleans()):
                out.append(Text(draw(BLANK), cdata=draw(st.booleans())))
                out.append(draw(NODE_COMMENTS | PIS))
        if end > start:
            out.append(Text(value[start:end], cdata=draw(st.integers(0, 3)) == 0))
    return out


@st.composite
def mystery(draw: st.DrawFn, depth: int = 2) -> Element:
    """An unknown element holding text at several levels: its own text (mixed with comments,
    processing instructions and white space) around a child element with text of its own."""
    content = draw(mixed(draw(PROSE)))
    inner: tuple[Node, ...] = ()
    if depth > 0 and draw(st.booleans()):
        inner = (draw(mystery(depth - 1)),)
    elif draw(st.booleans()):
        inner = merged(draw(mixed(draw(PROSE))))
    child: list[Node] = [Element("Inner", (), inner)]
    if draw(st.booleans()):
        child = [Text(draw(BLANK)), *child, Text(draw(BLANK))]
    at = draw(st.integers(0, len(content)))
    return Element("Mystery", (), merged([*content[:at], *child, *content[at:]]))


@st.composite
def decorated(draw: st.DrawFn, element: Element) -> Element:
    """`element` with comments and processing instructions among block children, some text
    as CDATA or as mixed content, and now and then an unknown attribute or element."""
    children: list[Node] = []
    for child in element.children:
        if isinstance(child, Element):
            child = draw(decorated(child))
        elif isinstance(child, Text) and draw(st.booleans()):
            child = attrs.evolve(child, cdata=True)
        children.append(child)
    only = children[0] if len(children) == 1 else None
    prose = isinstance(only, Text) and not xmlspace.is_blank(only.value)
    if prose and isinstance(only, Text) and draw(st.integers(0, 3)) == 0:
        children = list(merged(draw(mixed(only.value))))
    if not any(isinstance(c, Text) for c in children) and draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(children)))
        children.insert(at, draw(NODE_COMMENTS | PIS))
    attributes = element.attributes
    if draw(st.integers(0, 5)) == 0:
        attributes = (*attributes, Attribute(draw(st.sampled_from(["x-note", "Foo"])), draw(TEXT)))
    if draw(st.integers(0, 8)) == 0:
        children.append(draw(mystery()))
    return attrs.evolve(element, attributes=attributes, children=tuple(children))


@st.composite
def documents(draw: st.DrawFn) -> Document:
    """A document tree: a builder document, decorated, with a prolog and an epilog."""
    root = draw(decorated(draw(responses()).to_node()))
    prolog = tuple(draw(st.lists(NODE_COMMENTS | PIS, max_size=2)))
    epilog = tuple(draw(st.lists(NODE_COMMENTS | PIS, max_size=2)))
    return Document(root, prolog, epilog)


# --- untidy writing ---------------------------------------------------------------------------

SPACE = st.sampled_from(["", " ", "\n", "\n\n", "\n    ", "\t", "\n\n\n  "])
GAPS = st.sampled_from([" ", "  ", "\n    "])
DECLARATIONS = st.sampled_from(['<?xml version="1.0"?>', "<?xml version='1.0' encoding='UTF-8'?>"])


def _attribute(draw: st.DrawFn, attr: Attribute) -> str:
    quote = draw(st.sampled_from(['"', "'"]))
    escaped = attr.value.replace("&", "&amp;").replace("<", "&lt;")
    escaped = escaped.replace(quote, "&#39;" if quote == "'" else "&quot;")
    escaped = escaped.replace("\t", "&#9;").replace("\n", "&#10;").replace("\r", "&#13;")
    around = draw(st.sampled_from(["=", " = "]))
    return f"{attr.name}{around}{quote}{escaped}{quote}"


def _name(draw: st.DrawFn, name: str, *, known: bool) -> str:
    """The name, or a variant spelling the catalog still resolves (D3)."""
    if not known or draw(st.integers(0, 4)) != 0:
        return name
    return name.lower()


def _write(draw: st.DrawFn, node: Node, out: list[str], inline: bool) -> None:
    if isinstance(node, Text):
        if node.cdata and "\r" not in node.value:
            out.append("<![CDATA[" + node.value.replace("]]>", "]]]]><![CDATA[>") + "]]>")
        else:
            out.append(escape_text(node.value))
        return
    if isinstance(node, Comment):
        out.append(f"<!--{node.text}-->")
        return
    if isinstance(node, ProcessingInstruction):
        out.append(f"<?{node.target} {node.text}?>" if node.text else f"<?{node.target}?>")
        return
    assert isinstance(node, Element)
    from ozml.catalog import lookup_element

    known = lookup_element(node.tag) is not None
    tag = _name(draw, node.tag, known=known)
    attributes = list(node.attributes)
    if len(attributes) > 1 and draw(st.booleans()):
        attributes = draw(st.permutations(attributes))
    head = "".join(draw(GAPS) + _attribute(draw, a) for a in attributes)
    if not node.children:
        if draw(st.booleans()):
            out.append(f"<{tag}{head}{draw(st.sampled_from(['', ' ']))}/>")
        else:
            out.append(f"<{tag}{head}></{tag}>")
        return
    out.append(f"<{tag}{head}>")
    mixed = inline or any(isinstance(c, Text) for c in node.children)
    for child in node.children:
        if not mixed:
            out.append(draw(SPACE))
        _write(draw, child, out, mixed)
    if not mixed:
        out.append(draw(SPACE))
    out.append(f"</{tag}>")


@st.composite
def untidy(draw: st.DrawFn, document: Document) -> str:
    """`document` written the way a person might: same tree (but for attribute order and name
    case), any layout."""
    out: list[str] = []
    if draw(st.booleans()):
        out.append(draw(DECLARATIONS))
    for item in (*document.prolog, document.root, *document.epilog):
        assert item is not None
        out.append(draw(SPACE))
        _write(draw, item, out, False)
    out.append(draw(st.sampled_from(["", "\n"])))
    text = "".join(out)
    if draw(st.integers(0, 4)) == 0:
        text = text.replace("\n", "\r\n")
    return text
