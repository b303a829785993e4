"""The quick check: proving that a document is clean without running the linter.

Most documents in a corpus have no findings. For them, building the syntax tree, resolving it
and running every rule costs several times the XML parse. The quick check parses with the same
secure lxml parser (`ozml.xmlparser`) and walks the lxml tree once, with tables compiled from the
catalog, and says *clean* only when nothing any rule looks at can be present:

* the root is ``<Response>`` without attributes, and every element is written with its canonical
  name, documented, used in OzML, allowed where it stands and valid in the context;
* every attribute is a canonical parameter name of its command, allowed in the context, with a
  value that passes its type check and is written in canonical case (URLs: plain absolute
  http(s) URLs); every mandatory parameter
  is given; text appears only where a command takes its text parameter, and not twice;
* nothing follows a Hangup (of the current call) in its block; there is no Reject or Exit;
* every UserInput menu has Input branches with static keys that are distinct, of a length the
  menu reads (Digits, MinDigits, MaxDigits), and no BackKey;
* variables are plain (D8): each Var and Array is defined at the top level with a static name
  that is not both a Var and an Array name; every ``$name`` refers to a Var defined above it,
  ``$item`` appears only inside ForEach, every ForEach reads an Array defined above it, and
  every Var and Array is used;
* there is no DOCTYPE, CDATA, processing instruction, namespace, ``ozml:`` directive comment,
  server-side template placeholder, or encoding that is not ASCII-compatible.

Anything else, any doubt, returns False and the document goes to the full linter. So the quick
check changes no result: where it says clean, the linter finds nothing. The test suite checks
this over generated documents and every rule's examples, and checks that every registered rule
is in `COVERED`: a new rule must be added there once the quick check rules out its findings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from lxml import etree

from ozml.catalog import ALL, ChildPolicy, Command, Context, ElementKind, Param, Usage, values
from ozml.catalog.model import ValueType
from ozml.catalog.variables import ITEM
from ozml.xmlparser import xml_parser

#: Rule codes whose findings the quick check rules out.
COVERED: frozenset[str] = frozenset(
    {
        "OZ001", "OZ002", "OZ003",  # parser: the same parse fails; DOCTYPE; size checked first
        "OZ101", "OZ102", "OZ103", "OZ104", "OZ105", "OZ106", "OZ107",
        "OZ201", "OZ202",
        "OZ301", "OZ302", "OZ303",
        "OZ401", "OZ402",
        "OZ501", "OZ502",
        "OZ601", "OZ602",
        "OZ701", "OZ702", "OZ703", "OZ704",
        "OZ801", "OZ802", "OZ803", "OZ804", "OZ805",
        "OZ901", "OZ902", "OZ903",  # directives: none present
    }
)  # fmt: skip

#: Elements left to the linter: Reject (only valid first, D9) and Exit (undocumented, D6).
_NEVER_QUICK = frozenset({"Reject", "Exit"})
#: Byte strings that send a document to the full linter (see the module docstring); ``<?``
#: (processing instructions) is looked for after the XML declaration.
_MARKERS = (b"<!DOCTYPE", b"<![CDATA[", b"xmlns", b"ozml:", b"\x00")
#: The XML declaration, when there is one, must name an encoding that keeps ASCII as ASCII,
#: so that the byte tests above see what the parser sees.
_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_ASCII_COMPATIBLE = re.compile(r"utf-?8|us-ascii|ascii|iso-8859-\d+|latin-?1|windows-125\d|cp125\d")
#: The `tag` of comment nodes (lxml gives them the factory function as their tag).
_COMMENT: object = etree.Comment
#: Types whose every value is valid (and that have no letter-case rule).
_ANY_VALUE = frozenset({ValueType.STRING, ValueType.OZML})
#: URLs must be absolute http(s) URLs (malformed-url, relative-url): only plain ones pass here.
_URL_TYPES = frozenset({ValueType.URL, ValueType.URL_OR_SQL})
_URL = re.compile(
    r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::([0-9]{1,5}))?(?:[/?#][^\s<>\"]*)?"
)

# What an element does besides its own checks (`_Spec.role`).
PLAIN, ENDS, VAR, ARRAY, FOREACH, MENU = range(6)

#: None: every value passes; else a function saying whether a value passes.
ValueCheck = Callable[[str], bool] | None


class _Spec:
    """What the quick check accepts for one element name in one place."""

    __slots__ = (
        "children",
        "params",
        "required",
        "role",
        "text_check",
        "text_name",
        "text_required",
    )

    def __init__(self) -> None:
        self.params: dict[str, ValueCheck] = {}
        self.required: tuple[str, ...] = ()
        self.text_name: str | None = None
        self.text_check: ValueCheck = None
        self.text_required = False
        self.children: dict[str, _Spec] | None = None
        self.role = PLAIN


def _plain_url(value: str) -> bool:
    """An absolute http(s) URL that malformed-url and relative-url have nothing to say about."""
    match = _URL.fullmatch(value)
    if match is None:
        return False
    port = match.group(1)
    return port is None or 1 <= int(port) <= 65535


def _value_check(param: Param) -> ValueCheck:
    """A memoised test that no rule has anything to say about a value (values repeat)."""
    if param.type in _ANY_VALUE and not param.values:
        return None
    memo: dict[str, bool] = {}
    url = param.type in _URL_TYPES

    def check(value: str) -> bool:
        known = memo.get(value)
        if known is None:
            known = values.check(param, value) is None and values.case_fix(param, value) is None
            if known and url:
                known = _plain_url(value)
            if len(memo) < 4096:
                memo[value] = known
        return known

    return check


class _Tables:
    """The specs for one context: the root's, with the children's specs reachable from it."""

    def __init__(self, context: Context) -> None:
        self.context = context
        usable = {cmd.name: cmd for cmd in ALL if self._usable(cmd)}
        specs = {name: self._spec(cmd) for name, cmd in usable.items()}
        commands = {
            name: specs[name] for name, cmd in usable.items() if cmd.kind is ElementKind.COMMAND
        }
        for cmd in usable.values():
            spec = specs[cmd.name]
            if cmd.children is ChildPolicy.COMMANDS:
                spec.children = commands
            elif cmd.children is ChildPolicy.LISTED:
                spec.children = {n: specs[n] for n in cmd.child_names if n in specs}
        root = specs.get("Response")
        self.root = root if root is not None and not root.params else None

    def _usable(self, cmd: Command) -> bool:
        if not cmd.documented or not cmd.in_ozml or cmd.name in _NEVER_QUICK:
            return False
        if cmd.kind is ElementKind.COMMAND and cmd.contexts:
            # command-not-in-context says nothing in context `any`.
            return self.context is Context.ANY or self.context in cmd.contexts
        return True

    def _spec(self, cmd: Command) -> _Spec:
        context = self.context
        valid_in = cmd.contexts or frozenset(Context.concrete())
        spec = _Spec()
        required: list[str] = []
        for param in cmd.params:
            if not _param_allowed(param, context):
                continue
            check = _value_check(param)
            spec.params[param.name] = check
            if param.text:
                spec.text_name, spec.text_check = param.name, check
            if param.is_required(context, valid_in):
                if param.text:
                    spec.text_required = True
                else:
                    required.append(param.name)
        spec.required = tuple(required)
        roles = {"Hangup": ENDS, "Var": VAR, "Array": ARRAY, "ForEach": FOREACH, "UserInput": MENU}
        spec.role = roles.get(cmd.name, PLAIN)
        return spec


def _param_allowed(param: Param, context: Context) -> bool:
    if Usage.OZML not in param.usage:
        return False
    # parameter-not-in-context says nothing in context `any`.
    return not param.only_in or context is Context.ANY or context in param.only_in


_TABLES: dict[Context, _Tables] = {}


def _tables(context: Context) -> _Tables:
    tables = _TABLES.get(context)
    if tables is None:
        tables = _TABLES[context] = _Tables(context)
    return tables


def prepare(context: Context = Context.ANY) -> None:
    """Build the tables for `context` now (worker processes forked later inherit them)."""
    _tables(context)


def usable(codes: Iterable[str]) -> bool:
    """Whether the quick check covers every one of these (enabled) rule codes."""
    return all(code in COVERED for code in codes)


def plain_bytes(data: bytes) -> bool:
    """Whether the raw document is free of the constructs the quick check leaves to the linter."""
    for marker in _MARKERS:
        if marker in data:
            return False
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if not data.startswith(b"<", start) and not data[start:].lstrip().startswith(b"<"):
        return False  # not ASCII-compatible (UTF-16 without NULs cannot happen; EBCDIC can)
    if data.startswith(b"<?xml", start):
        end = data.find(b"?>", start)
        if end < 0:
            return False
        declaration = data[start : end + 2]
        known = _DECLARATIONS.get(declaration)
        if known is None:
            match = _DECLARATION.match(declaration)
            known = match is None or bool(
                _ASCII_COMPATIBLE.fullmatch(match.group(1).decode().lower())
            )
            if len(_DECLARATIONS) < 256:
                _DECLARATIONS[declaration] = known
        if not known:
            return False
        return data.find(b"<?", end + 2) < 0
    return b"<?" not in data


#: XML declarations seen, and whether their encoding keeps ASCII as ASCII (most files share one).
_DECLARATIONS: dict[bytes, bool] = {}


class _Variables:
    """Var and Array definitions, ForEach reads and ``$name`` uses, in document order (D8)."""

    __slots__ = ("arrays", "defined", "reads", "used")

    def __init__(self) -> None:
        self.defined: set[str] = set()
        self.arrays: set[str] = set()
        self.used: set[str] = set()
        self.reads: set[str] = set()

    def use(self, value: str, in_loop: bool) -> bool:
        """Record the uses in a value; False when one is not plainly defined above it."""
        if "{" in value or "<" in value:
            return False  # a server-side template placeholder may hide or fake a use
        for match in values.VARIABLE.finditer(value):
            name = match.group(1).lower()
            if name == ITEM:
                if not in_loop:
                    return False
                continue
            if match.group(2) or name not in self.defined:
                return False
            self.used.add(name)
        return True

    def define(self, element: etree._Element, names: set[str], others: set[str]) -> bool:
        """Record a top-level Var (or Array) in `names`; False unless it plainly defines a name
        that is not also an Array (or Var) name. Defining a name again is allowed."""
        name = element.get("Id")
        if name is None or "$" in name:
            return False
        lowered = name.lower()
        if lowered in others or lowered == ITEM:
            return False
        for node in element.iter():
            text = node.text
            if text is not None and "$" in text:
                return False  # a value that is itself a use
        names.add(lowered)
        return True

    def read(self, loop: etree._Element) -> bool:
        """Record a ForEach; False unless its Source plainly names an Array defined above."""
        source = loop.get("Source")
        if source is None or source.lower() not in self.arrays:
            return False
        self.reads.add(source.lower())
        return True

    def all_used(self) -> bool:
        return self.used >= self.defined and self.reads >= self.arrays


def _menu_lengths(menu: etree._Element) -> tuple[int, int] | None:
    """The fewest and most digits a menu reads (as ozml.lint.menus works them out)."""
    given: dict[str, int] = {}
    for name in ("Digits", "MinDigits", "MaxDigits"):
        value = menu.get(name)
        if value is None:
            continue
        if not value.strip().isdigit():
            return None
        given[name] = int(value)
    if not given:
        return 1, 1
    low = min(given.get("Digits", 10**6), given.get("MinDigits", 10**6))
    high = max(given.get("Digits", 0), given.get("MaxDigits", 0))
    if low == 10**6:
        low = 1
    return low, high or max(low, 1)


def _menu_ok(menu: etree._Element) -> bool:
    """A UserInput whose Input keys are static, distinct, enterable, and not its BackKey."""
    if menu.get("BackKey") is not None:
        return False
    lengths = _menu_lengths(menu)
    if lengths is None:
        return False
    low, high = lengths
    keys: set[str] = set()
    for part in menu:
        if part.tag != "Inputs":
            continue
        for branch in part:
            if branch.tag != "Input":
                continue
            key = branch.get("Key")
            if key is None or "$" in key or "{" in key:
                return False
            key = key.strip().upper()
            if key in keys or not low <= len(key) <= high:
                return False
            keys.add(key)
    return bool(keys)  # a menu without keys leads nowhere (menu-without-exit)


def is_clean(data: bytes, context: Context = Context.ANY) -> bool:
    """True only when the full linter would find nothing in `data` (see the module docstring).

    `data` must already be within the size limit.
    """
    if not plain_bytes(data):
        return False
    root_spec = _tables(context).root
    if root_spec is None:
        return False
    try:
        root = etree.fromstring(data, xml_parser())
    except (etree.XMLSyntaxError, ValueError):
        return False
    if root.tag != "Response" or root.attrib:
        return False
    text = root.text
    if text is not None and not text.isspace():
        return False
    variables = _Variables()
    if not _children_clean(root, root_spec.children or {}, variables, True, False):
        return False
    return variables.all_used()


def _children_clean(
    element: etree._Element,
    allowed: dict[str, _Spec],
    variables: _Variables,
    top: bool,
    in_loop: bool,
) -> bool:
    ended = False
    for child in element:
        spec = allowed.get(child.tag)
        tail = child.tail
        if tail is not None and not tail.isspace():
            return False  # text between elements: only text commands take text
        if spec is None:
            if child.tag is _COMMENT:
                continue
            return False
        if ended:
            return False  # unreachable after Hangup
        role = spec.role
        if role:  # not PLAIN
            if role == ENDS:
                ended = child.get("CallId") is None
            elif role == FOREACH:
                if not variables.read(child):
                    return False
            elif role == MENU:
                if not _menu_ok(child):
                    return False
            elif role == VAR:
                if not top or not variables.define(child, variables.defined, variables.arrays):
                    return False
            elif not top or not variables.define(child, variables.arrays, variables.defined):
                return False
        params = spec.params
        # lxml gives str names and values for a parsed document.
        attributes: list[tuple[str, str]] = child.items()  # type: ignore[assignment]
        for name, value in attributes:
            if name not in params:
                return False
            check = params[name]
            if check is not None and not check(value):
                return False
            if "$" in value and not role and not variables.use(value, in_loop):
                return False
        for name in spec.required:
            if child.get(name) is None:
                return False
        text = child.text
        count = len(child)
        text_name = spec.text_name
        if text is not None and not text.isspace():
            if text_name is None or count or text_name in child.attrib:
                return False
            value = text.strip()
            check = spec.text_check
            if check is not None and not check(value):
                return False
            if "$" in value and not role and not variables.use(value, in_loop):
                return False
        elif spec.text_required and text_name is not None and child.get(text_name) is None:
            return False
        if count:
            children = spec.children
            if children is None or not _children_clean(
                child, children, variables, False, in_loop or role == FOREACH
            ):
                return False
    return True


__all__ = ["COVERED", "is_clean", "plain_bytes", "prepare", "usable"]
