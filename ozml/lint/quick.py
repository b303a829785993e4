"""The quick check: proving that a document is clean without running the linter.

Most documents in a corpus have no findings. For them, building the syntax tree, resolving it
and running every rule costs many times the XML parse. The quick check proves them clean with
two recognisers built from the catalog for the context (`ozml.lint.quick_plan` says what they
accept):

* a strict XML Schema (`ozml.lint.quick_schema`): the document is parsed with ozml's secure lxml
  parser settings (`ozml.xmlparser`) and validated by libxml2 while it is parsed, then a few
  tree tests check what a schema cannot say (variables, distinct menu keys, comments);
* in runs of `REGEX_AFTER` documents or more, regular expressions over the raw bytes
  (`ozml.lint.quick_regex`), which take the common shape of document without parsing it at
  all; what they do not recognise goes to the schema while the schema proves enough of those
  clean to be worth its time (`_Fallback`). A run that knows it is that long (`ozml check`,
  `prepare`) has them from its first document, others after that many.

Either says *clean* only when nothing any rule looks at can be present:

* the root is ``<Response>`` without attributes, and every element is written with its canonical
  name, documented, used in OzML, allowed where it stands and valid in the context;
* every attribute is a canonical parameter name of its command, allowed in the context, with a
  value that passes its type check and is written in canonical case (URLs: plain absolute
  http(s) URLs); every mandatory parameter is given; text appears only where a command takes
  its text parameter, and a text parameter is not also an attribute;
* nothing follows a Hangup in its block; there is no Reject or Exit;
* every UserInput menu has Input branches with distinct one-key keys and reads one digit, with
  no BackKey;
* variables are plain (D8): each Var and Array is defined at the top level with a static name
  that is not both a Var and an Array name, and defines no ``$`` value; every ``$name`` refers
  to a Var defined above it and has no ``.property``, ``$item`` appears only inside ForEach,
  every ForEach reads an Array defined above it, and every Var and Array is used; a document
  that defines a Var or an Array is at most `ozml.limits.MAX_VALUE_BYTES` long (so no value it
  defines can be longer: growing-variable);
* comments stand only between elements, never inside a command's text;
* there is no DOCTYPE, CDATA, processing instruction, namespace, ``ozml:`` directive comment,
  server-side template part (``{{``, ``{%``, ``{#``, ``${``, ``<%``, ``<?``: docs/templates.md),
  or encoding that is not ASCII-compatible. (So the ``templates`` setting, which the quick check
  does not read, cannot change its verdict: a document it calls clean holds no opener of any
  syntax, and is parsed and linted alike whatever the setting.)

Anything else, any doubt, returns False and the document goes to the full linter. So the quick
check changes no result: where it says clean, the linter finds nothing. The test suite checks
this for both recognisers (`prove_by_schema`, `prove_by_regex`) over the rules' examples, the
example files, the benchmark corpus, documents generated from the catalog and near misses of
clean documents, in every context, and checks that every registered rule is in `COVERED`: a new
rule must be added there once the quick check rules out its findings.
"""

from __future__ import annotations

import _thread
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from lxml import etree

from ozml import lazy
from ozml.catalog import ALL, Context, values
from ozml.catalog.variables import ITEM
from ozml.heap import give_back
from ozml.limits import MAX_VALUE_BYTES
from ozml.lint import quick_plan, quick_schema
from ozml.lint.settings import DIRECTIVE_MARK
from ozml.rawbytes import holds, holds_any
from ozml.xmlparser import LARGE, attribute_pairs, new_parser, read_through

if TYPE_CHECKING:
    from ozml.lint.quick_regex import Recogniser

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
        "OZ701", "OZ702", "OZ703", "OZ704", "OZ705",
        "OZ801", "OZ802", "OZ803", "OZ804", "OZ805",
        "OZ901", "OZ902", "OZ903",  # directives: none present
    }
)  # fmt: skip

#: The XML declaration, when there is one, must name an encoding that keeps ASCII as ASCII,
#: so that the byte tests here see what the parser sees. Both compiled when first used: most
#: documents have no XML declaration.
_DECLARATION = lazy.pattern(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_ASCII_COMPATIBLE = lazy.pattern(
    r"utf-?8|us-ascii|ascii|iso-8859-\d+|latin-?1|windows-125\d|cp125\d"
)
#: XML declarations seen, and whether their encoding keeps ASCII as ASCII (most files share one).
_DECLARATIONS: dict[bytes, bool] = {}


#: Openers of template parts (`ozml.templates`) that are not already markup the quick check
#: refuses (``<?`` and ``<%`` are: a processing instruction, or not well-formed).
_TEMPLATE_OPENERS = (b"{{", b"{%", b"{#", b"${")
#: Directive comments (`ozml.lint.directives`) are left to the linter.
_DIRECTIVE_MARK = DIRECTIVE_MARK.encode("ascii")

#: What follows the colon of a prefixed element name (``<a:Speak>``, ``<a:Speak ``) or attribute
#: name (`` a:Voice=``). The colon's search is fast, and few colons (URLs, times) are followed
#: so; `_prefixed` looks at the name before each one that is. Compiled when first used: a
#: document without a colon never asks.
_AFTER_PREFIX = lazy.pattern(rb":(?:[^\s<>/=\"':]*\s*(=)|[^\s<>/=\"':]+[\s/>])")
_NAME_ENDS = frozenset(b" \t\r\n<>/=\"':")


def _prefixed(data: bytes) -> bool:
    """Whether an element or attribute name has a prefix. Without an ``xmlns`` (refused before
    this is asked) the prefix is undeclared, which the linter's parser refuses (OZ001) but the
    schema's recovers from without a word, validating ``a:Speak`` as Speak. In a comment or a
    text it only sends the document to the linter. Linear: the names looked at do not overlap."""
    if not holds(data, b":"):
        return False
    for found in _AFTER_PREFIX().finditer(data):
        start = colon = found.start()
        while start > 0 and data[start - 1] not in _NAME_ENDS:
            start -= 1
        if start == colon or start == 0:
            continue
        before = data[start - 1]
        if before == 60 or (before in b" \t\r\n" and found.group(1) is not None):
            return True  # "<a:name", or " a:name=" (an attribute)
    return False


def usable(codes: Iterable[str]) -> bool:
    """Whether the quick check covers every one of these (enabled) rule codes."""
    return all(code in COVERED for code in codes)


def plain_bytes(data: bytes) -> bool:
    """Whether the raw document is free of the constructs the quick check leaves to the linter."""
    if holds(data, b"<!") and holds_any(data, (b"<!DOCTYPE", b"<![CDATA[", _DIRECTIVE_MARK)):
        return False  # directives are comments, so `ozml:` needs a `<!` too
    if holds(data, b"xmlns") or holds(data, b"\x00"):
        return False
    if _prefixed(data):
        return False  # an undeclared prefix: not well-formed
    if holds(data, b"{") and holds_any(data, _TEMPLATE_OPENERS):
        return False  # a template part: the linter reads the document around it
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
            match = _DECLARATION().match(declaration)
            known = match is None or bool(
                _ASCII_COMPATIBLE().fullmatch(match.group(1).decode().lower())
            )
            if len(_DECLARATIONS) < 256:
                _DECLARATIONS[declaration] = known
        if not known:
            return False
        return not holds(data, b"<?", end + 2)
    return not holds(data, b"<?")


#: Documents a run checks in one context before the quick check compiles its regular
#: expressions (`quick_regex`): compiling them takes some tens of milliseconds, which the regular
#: expressions win back in about this many documents. A single file, or a language server's
#: document, never pays for them.
REGEX_AFTER = 1000


#: The share of the documents the regular expressions do not recognise that the schema must
#: prove clean to be tried on each of them (`_Fallback`). Trying costs about a quarter of the
#: linter's time on a document with a finding (about 200 against 800 µs in `ozml check`); so
#: below this share, a try costs more than it saves.
_WORTH = 0.25
#: How fast the share follows the documents: each try's outcome weighs this much in it.
_WEIGHT = 1 / 16
#: While trying is not worth it, one document in this many is tried all the same: a run whose
#: documents change (a folder of files with comments, which only the schema reads) turns the
#: schema back on.
_PROBE = 16


class _Fallback:
    """Whether the schema is tried on a document the regular expressions did not recognise.

    In a corpus without comments, those documents are nearly all ones with findings, which the
    schema cannot prove clean either: the try only delays the linter (a seventh of ``ozml
    check``'s time on a corpus where a quarter of the files have findings). In one with
    comments, which the regular expressions never read, the schema proves most of them clean.
    So the schema is tried while it proves at least `_WORTH` of the tries clean (a running
    share, starting at all), and on one document in `_PROBE` otherwise. A document not tried
    goes to the linter: the verdict is never *clean* without a proof, so this changes how fast
    a run is, never what it finds.
    """

    __slots__ = ("share", "skipped")

    def __init__(self) -> None:
        self.share = 1.0
        self.skipped = 0

    def wanted(self) -> bool:
        """Whether to try the schema on this document."""
        if self.share >= _WORTH or self.skipped >= _PROBE - 1:
            self.skipped = 0
            return True
        self.skipped += 1
        return False

    def tell(self, proved: bool) -> None:
        """The outcome of a try."""
        self.share += ((1.0 if proved else 0.0) - self.share) * _WEIGHT


class _Prover:
    """What proves documents clean in one context: two validating parsers, made on first use,
    one for documents of ASCII characters only and one for the others (`quick_schema`), and,
    after `REGEX_AFTER` documents, the regular expressions (`quick_regex`), with what the
    schema does for the documents they do not recognise (`_Fallback`)."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.schemas: dict[bool, etree.XMLSchema | None] = {}
        self.parsers: dict[bool, etree.XMLParser | None] = {}
        self.regex: Recogniser | None = None
        self.fallback = _Fallback()
        self.count = 0

    def schema(self, ascii: bool) -> etree.XMLSchema | None:
        schema = self.schemas.get(ascii, False)
        if schema is False:
            source = quick_schema.schema_source(self.context, ascii)
            schema = etree.XMLSchema(etree.fromstring(source)) if source is not None else None
            self.schemas[ascii] = schema
        return schema  # type: ignore[return-value]

    def parser(self, ascii: bool) -> etree.XMLParser | None:
        parser = self.parsers.get(ascii, False)
        if parser is False:
            schema = self.schema(ascii)
            parser = self.parsers[ascii] = new_parser(schema) if schema is not None else None
        return parser  # type: ignore[return-value]

    def counted(self) -> Recogniser | None:
        """The regular expressions, compiled once enough documents were checked."""
        self.count += 1
        if self.count == REGEX_AFTER:
            self.regex = _recogniser(self.context)
        return self.regex


_local = _thread._local()  # threading.local itself; threading costs every start


def _prover(context: Context) -> _Prover:
    """This thread's prover for `context` (lxml parsers are not thread-safe)."""
    provers: dict[Context, _Prover] | None = getattr(_local, "provers", None)
    if provers is None:
        provers = _local.provers = {}
    prover = provers.get(context)
    if prover is None:
        prover = provers[context] = _Prover(context)
    return prover


def prepare(context: Context = Context.ANY, *, long_run: bool = False) -> None:
    """Build the schema for `context` now, and for a `long_run` (`REGEX_AFTER` documents or
    more) the regular expressions too: worker processes forked later inherit them, instead of
    each compiling its own (about 20 ms) once it has checked `REGEX_AFTER` documents."""
    prover = _prover(context)
    prover.parser(True)
    if long_run and prover.regex is None:
        prover.regex = _recogniser(context)


#: The regular expressions `set_long_run` compiled, by context: kept while it turns them off.
_kept: dict[Context, Recogniser] = {}


def set_long_run(context: Context, long_run: bool) -> None:
    """Make `is_clean` in `context`, in this thread, check documents as a run of
    `REGEX_AFTER` documents or more does (`long_run`: with the regular expressions from the
    next document on, compiled once per process and kept), or as a shorter run starts (with
    the schema). For benchmarks that time both in one process."""
    prover = _prover(context)
    if not long_run:
        prover.regex = None
        prover.count = 0
        return
    regex = _kept.get(context)
    if regex is None:
        regex = _kept[context] = prover.regex or _recogniser(context)
    prover.regex = regex


def is_clean(data: bytes, context: Context = Context.ANY) -> bool:
    """True only when the full linter would find nothing in `data` (see the module docstring).

    `data` must already be within the size limit.
    """
    prover = _prover(context)
    regex = prover.regex or prover.counted()
    if regex is None:
        return _by_schema(prover, data)
    verdict = _by_regex(regex, data)
    if verdict is not None:
        return verdict
    fallback = prover.fallback
    if not fallback.wanted():
        return False
    clean = _by_schema(prover, data)
    fallback.tell(clean)
    return clean


def prove_by_regex(data: bytes, context: Context = Context.ANY) -> bool:
    """What the regular expressions alone say (for tests: `is_clean` uses them only in long
    runs); False also when they do not recognise the document."""
    prover = _prover(context)
    if prover.regex is None:
        prover.regex = _recogniser(context)
    return bool(_by_regex(prover.regex, data))


def prove_by_schema(data: bytes, context: Context = Context.ANY) -> bool:
    """What the strict schema and the checks after it alone say (for tests)."""
    return _by_schema(_prover(context), data)


def _recogniser(context: Context) -> Recogniser:
    # Imported here: a single file is checked without it (cold start).
    from ozml.lint.quick_regex import Recogniser

    return Recogniser(context)


def _by_regex(regex: Recogniser, data: bytes) -> bool | None:
    """True or False when the regular expressions settle it, None when the schema must."""
    if _long_definitions(data):
        return False
    recognised = regex.recognises(data)
    if recognised:
        return True
    if recognised is None:
        # The schema would accept the document as it is, and find the same variables.
        return _byte_variables(data)
    return None


def _long_definitions(data: bytes) -> bool:
    """Whether the document may define a value longer than `MAX_VALUE_BYTES` (no value is
    longer than the document that writes it: references only make text shorter)."""
    return len(data) > MAX_VALUE_BYTES and holds_any(data, _DEFINES)


#: The most references (``&...;``) and comments a document may hold to be proven clean by the
#: schema: libxml2's validation adds each piece of an element's text (a reference or a
#: comment ends one) to the text read before it by copying it, so a text of n pieces costs n
#: squared (320,000 references in one Speak took 0.7 s, 10 MB of them 25 s). A
#: document with more is left to the linter, linear in them. Counted to this many at most.
MAX_PIECES = 4096
_PIECE_MARKS = (b"&", b"<!--")


def _many_pieces(data: bytes) -> bool:
    """Whether `data` holds more than `MAX_PIECES` references and comments."""
    left = MAX_PIECES
    for mark in _PIECE_MARKS:
        if not holds(data, mark):
            continue
        at = data.find(mark)
        while at >= 0:
            left -= 1
            if left < 0:
                return True
            at = data.find(mark, at + 1)
    return False


def _by_schema(prover: _Prover, data: bytes) -> bool:
    clean = _schema_verdict(prover, data)
    if len(data) >= LARGE:
        give_back()  # the tree of a large document is freed: its memory goes back
    return clean


def _schema_verdict(prover: _Prover, data: bytes) -> bool:
    if not plain_bytes(data) or _long_definitions(data) or _many_pieces(data):
        return False
    references = holds(data, b"&#")
    ascii = not references and data.isascii()
    parser = prover.parser(ascii)
    if parser is None:
        return False
    if len(data) >= LARGE:
        # Read piece by piece, without lxml's tree of it (as large as ten times the document):
        # an invalid document, the usual one to come this far, costs no more memory than its
        # pieces. With a schema attached, lxml's pull parser recovers from what is not
        # well-formed (an unterminated document, ``&amp`` without its semicolon) instead of
        # raising it, so its "valid" says nothing until a strict reading says the document is
        # well-formed. A valid one the tree tests below must read is then parsed whole.
        if read_through(data, prover.schema(ascii)) is None:
            return False
        if not _tree_tested(data, references):
            return read_through(data) is not None
    try:
        # Parses and validates against the strict schema in one pass. Not the tree after the
        # parse, which is faster on a clean document but spends on each validity error time
        # in proportion to the document: n errors cost n² (docs/performance.md).
        root = etree.fromstring(data, parser)
    except (etree.XMLSyntaxError, ValueError):
        return False
    if holds(data, _MENU_TAG) and not _keys_distinct(root):
        return False
    if holds(data, b"<!--") and not _comments_between(root):
        return False
    if _variables_tested(data, references):
        return _tree_variables(root)
    return True


def _variables_tested(data: bytes, references: bool) -> bool:
    """Whether the variables of `data` need looking at: a value may hold a `$` (a character
    reference can write one), or an element may define or read one."""
    return references or holds(data, b"$") or holds_any(data, _DEFINING)


def _tree_tested(data: bytes, references: bool) -> bool:
    """Whether a document the strict schema accepts must still be read by the tree tests of
    `_schema_verdict`: menus, comments, variables."""
    return holds(data, _MENU_TAG) or holds(data, b"<!--") or _variables_tested(data, references)


# --- what the schema cannot say ------------------------------------------------------------

_LEAVES = quick_plan.leaves()
_COMMENT: object = etree.Comment
_MENU_TAG = b"<" + quick_plan.MENU.encode()


def _key_name() -> str:
    for cmd in ALL:
        if cmd.name == quick_plan.INPUT:
            param = quick_plan.menu_key(cmd)
            if param is not None:
                return param.name
    return "Key"


_KEY = _key_name()


def _keys_distinct(root: etree._Element) -> bool:
    """Whether the Input keys of each menu are distinct (the schema made them one upper-case
    key each, so equal keys are equal strings)."""
    for menu in root.iter(quick_plan.MENU):
        for part in menu:
            if part.tag == quick_plan.INPUTS:
                keys = [branch.get(_KEY) for branch in part if branch.tag == quick_plan.INPUT]
                if len(set(keys)) != len(keys):
                    return False
    return True


def _comments_between(root: etree._Element) -> bool:
    """Whether every comment stands between elements, not inside an element's text."""
    for comment in root.iter(_COMMENT):
        parent = comment.getparent()
        if parent is not None and parent.tag in _LEAVES:
            return False
    return True


def _name_attributes() -> dict[str, str]:
    """The name attribute of Var, Array and ForEach (which the schema requires)."""
    found = {}
    for cmd in ALL:
        if cmd.name in (quick_plan.VAR, quick_plan.ARRAY, quick_plan.FOREACH):
            param = quick_plan.name_param(cmd)
            if param is not None:
                found[cmd.name] = param.name
    return found


_NAMES = _name_attributes()
_VAR_TAG, _ARRAY_TAG, _LOOP_TAG = (
    n.encode() for n in (quick_plan.VAR, quick_plan.ARRAY, quick_plan.FOREACH)
)
_ITEM = ITEM.encode()
#: Start tags of the elements that define or read variables, and of those that define values.
_DEFINING = tuple(b"<" + tag for tag in (_VAR_TAG, _ARRAY_TAG, _LOOP_TAG))
_DEFINES = _DEFINING[:2]


class _Scan:
    """The expressions `_byte_variables` reads bytes with, compiled when first needed (only
    runs long enough for the regular expressions need them)."""

    def __init__(self) -> None:
        #: The start tag of Var, Array or ForEach with its one name attribute (group 2), and
        #: its ``/`` if it is empty (group 3).
        self.tags = {
            tag: re.compile(
                rb"<%s\s+%s\s*=\s*([\"'])([A-Za-z_][A-Za-z0-9_]*)\1\s*(/?)>"
                % (tag, _NAMES.get(tag.decode(), "Id").encode())
            )
            for tag in (_VAR_TAG, _ARRAY_TAG, _LOOP_TAG)
        }
        #: A start tag of Var, Array or ForEach (group 1), or a ForEach's end tag (group 2).
        self.events = re.compile(
            rb"<(?:(" + b"|".join(self.tags) + rb")|/(" + _LOOP_TAG + rb"))(?=[\s/>])"
        )
        #: A use: name in group 1, properties in group 2.
        self.uses = re.compile(rb"[$]([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)")


_scans: list[_Scan] = []


def _byte_variables(data: bytes) -> bool | None:
    """The variable conditions, read from the raw bytes of a document the regular expressions
    recognised.

    They have made it plain enough for its bytes to say it exactly: Var, Array and ForEach
    start tags hold their one name attribute, no ``$`` is in what Var and Array define, and
    there is no comment, character reference or template. So every ``$`` of the bytes is a
    ``$`` of a value, in document order, and as Var and Array stand at the top level, a
    definition is above a use exactly when it comes first in the bytes. None when a start tag
    has another form.
    """
    if not _scans:
        _scans.append(_Scan())
    scan = _scans[0]
    variables: dict[bytes, int] = {}  # name -> where it is first defined
    arrays: dict[bytes, int] = {}
    reads: set[bytes] = set()
    # Where each outermost ForEach starts and ends, in document order: a $item is inside a
    # ForEach exactly when it is inside an outermost one.
    loops: list[tuple[int, int]] = []
    open_loops: list[int] = []
    for event in scan.events.finditer(data):
        kind = event.group(1)
        at = event.start()
        if kind is None:
            if not open_loops:
                return None
            start = open_loops.pop()
            if not open_loops:
                loops.append((start, at))
            continue
        tag = scan.tags[kind].match(data, at)
        if tag is None:
            return None
        name = tag.group(2).lower()
        if kind == _LOOP_TAG:
            if name not in arrays:
                return False  # not an Array defined above
            reads.add(name)
            if not tag.group(3):
                open_loops.append(at)
        elif name == _ITEM or name in (arrays if kind == _VAR_TAG else variables):
            return False  # both a Var and an Array, or $item
        else:
            (variables if kind == _VAR_TAG else arrays).setdefault(name, at)
    if open_loops:
        return None
    used: set[bytes] = set()
    loop = 0  # the first outermost ForEach not ended before the use (uses come in order)
    for use in scan.uses.finditer(data):
        name = use.group(1).lower()
        at = use.start()
        if name == _ITEM:
            while loop < len(loops) and loops[loop][1] <= at:
                loop += 1
            if loop == len(loops) or not loops[loop][0] < at:
                return False  # $item outside ForEach
        elif use.group(2):
            return False  # a property of a Var: left to the linter
        else:
            first = variables.get(name)
            if first is None or first > at:
                return False  # not defined above
            used.add(name)
    return len(used) == len(variables) and len(reads) == len(arrays)


def _tree_variables(root: etree._Element) -> bool:
    """The variable conditions, read from the tree (see the module docstring)."""
    defined: set[str] = set()
    arrays: set[str] = set()
    used: set[str] = set()
    reads: set[str] = set()
    var, array, loop = quick_plan.VAR, quick_plan.ARRAY, quick_plan.FOREACH
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue  # a comment
        if tag in (var, array):
            name = (element.get(_NAMES.get(tag, "Id")) or "").lower()
            if not name or name == ITEM or name in (arrays if tag == var else defined):
                return False
            (defined if tag == var else arrays).add(name)
        elif tag == loop:
            source = (element.get(_NAMES.get(tag, "Source")) or "").lower()
            if source not in arrays:
                return False
            reads.add(source)
        texts = [value for _, value in attribute_pairs(element) if "$" in value]
        text = element.text
        if text is not None and "$" in text:
            texts.append(text)
        for value in texts:
            if "{" in value or "<" in value:
                return False  # a server-side template placeholder may hide or fake a use
            for match in values.VARIABLE.finditer(value):
                name = match.group(1).lower()
                if name == ITEM:
                    if next(element.iterancestors(loop), None) is None:
                        return False
                elif match.group(2) or name not in defined:
                    return False
                else:
                    used.add(name)
    return used >= defined and reads >= arrays


__all__ = [
    "COVERED",
    "MAX_PIECES",
    "REGEX_AFTER",
    "is_clean",
    "plain_bytes",
    "prepare",
    "prove_by_regex",
    "prove_by_schema",
    "set_long_run",
    "usable",
]
