"""Variables: where each `$name` is defined and where it is used (D8).

`Var Id="x"` defines `$x`; `Array Id="a"` defines an array that `ForEach Source="a"` loops over;
`ForEach` defines `$item` for its content; `<Received>` defines the alarm fields (`$account`,
...); configured names (``known_variables``) are defined outside the document. References are
`$name` and `$name.prop` in attribute values and text, outside server-side template parts
(``{{ $user }}`` is the template's): the parts the parser reads (`ozml.templates.find`, with the
document's template syntaxes: none in a CDATA section), which the scan read around
(`ozml.lsp.scan.read`), and the tokens found by the linter's own
function (`ozml.lint.variables.tokens`). Names match ignoring
letter case, by the definition the linter and the dry run use
(`ozml.catalog.values.variable_key`): ``$Name`` reads the Var ``name``, as ``ozml check`` has it.

The vendor documentation does not say how far a Var reaches (spec §3: scope UNKNOWN), so every
Var of one name is treated as one variable: go-to-definition picks the nearest Var before the use
(the one that set the value the script sees there), find-references lists every use.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Collection, Iterable, Iterator, Sequence

import attrs

from ozml import xmlspace
from ozml.catalog import RECEIVED_VARIABLES, lookup_element, lookup_param
from ozml.catalog.values import variable_key
from ozml.lint.variables import tokens
from ozml.lsp.scan import Scan, ScannedElement, Token
from ozml.templates import find, names


class Kind(enum.Enum):
    VAR = "set by Var"
    ARRAY = "array declared by Array"
    ITEM = "the current item of ForEach"
    RECEIVED = "an alarm field of ReceiveAlarmNotification"
    EXTERNAL = "configured (known_variables)"


@attrs.frozen
class Definition:
    """Where a variable gets its value; `start`/`end`: the name's offsets (-1: not in the text)."""

    name: str
    kind: Kind
    start: int
    end: int
    #: The defining element's text for hover: the Var's value, the ForEach's Source.
    detail: str = attrs.field(default="", eq=False)

    @property
    def located(self) -> bool:
        return self.start >= 0


@attrs.frozen
class Reference:
    """A use: `$name` (`start`/`end` cover ``$name``), or an array named by ForEach Source."""

    name: str
    start: int
    end: int
    dollar: bool = True


def canonical(token: Token) -> str | None:
    match = lookup_element(token.name)
    return match.command.name if match else None


def param_value(token: Token, param: str) -> tuple[str, int, int] | None:
    """The value of a start tag's parameter (any spelling), with its offsets."""
    match = lookup_element(token.name)
    if match is None:
        return None
    for attr in token.attributes:
        pm = lookup_param(match.command, attr.name)
        if pm is not None and pm.param.name == param and attr.value is not None:
            return attr.value, attr.value_start, attr.value_end
    return None


def _element_text(scan: Scan, element: ScannedElement) -> str:
    if element.tag.self_closing or not element.tag.complete:
        return ""
    inner = scan.text[element.content_start : element.content_end]
    return inner.strip() if "<" not in inner else ""


class Variables:
    """The definitions and uses of variables in one scanned document."""

    def __init__(
        self, scan: Scan, known: Iterable[str] = (), templates: Collection[str] | None = None
    ) -> None:
        """The variables of `scan`; `known`: the configured names (``known_variables``);
        `templates`: the template syntaxes the document is read with (``settings.templates``),
        whose parts hold no OzML variables (by default those the scan was made with)."""
        self.scan = scan
        self._templates = scan.syntaxes if templates is None else names(templates)
        self.definitions: list[Definition] = []
        self.references: list[Reference] = []
        #: For each reference, the element it is in (the owner of its attribute, or its text's).
        self._where: dict[Reference, tuple[ScannedElement | None, bool]] = {}
        #: The definitions an element gives its content ($item, the alarm fields), by id().
        self._scoped: dict[int, list[Definition]] = {}
        self._collect()
        self.external = [Definition(n, Kind.EXTERNAL, -1, -1) for n in sorted(set(known))]
        #: The definitions of each name (`variable_key`), by kind.
        self._by_name: dict[tuple[Kind, str], list[Definition]] = {}
        for d in self.definitions:
            self._by_name.setdefault((d.kind, variable_key(d.name)), []).append(d)
        self._external_by_name: dict[str, list[Definition]] = {}
        for d in self.external:
            self._external_by_name.setdefault(variable_key(d.name), []).append(d)
        #: Names that some element gives its content ($item, the alarm fields).
        self._scoped_names = {
            variable_key(d.name) for found in self._scoped.values() for d in found
        }

    # -- collecting -----------------------------------------------------------------------

    def _collect(self) -> None:
        scan = self.scan
        skip: set[int] = set()  # value offsets that are names, not text with $variables
        parts: list[tuple[int, int]] | None = None  # the template parts, found when needed
        for element in scan.elements():
            name = canonical(element.tag)
            if name in ("Var", "Array"):
                found = param_value(element.tag, "Id")
                if found is not None:
                    value, start, end = found
                    kind = Kind.VAR if name == "Var" else Kind.ARRAY
                    detail = _element_text(scan, element) if name == "Var" else ""
                    if name == "Var" and not detail:
                        given = param_value(element.tag, "Value")
                        detail = given[0] if given else ""
                    self.definitions.append(
                        Definition(xmlspace.strip(value), kind, start, end, detail)
                    )
                    skip.add(start)
            elif name == "ForEach":
                source = param_value(element.tag, "Source")
                item = Definition(
                    "item",
                    Kind.ITEM,
                    element.tag.name_start,
                    element.tag.name_end,
                    source[0] if source else "",
                )
                self.definitions.append(item)
                self._scoped.setdefault(id(element), []).append(item)
                if source is not None and not source[0].startswith("$"):
                    value, start, end = source
                    ref = Reference(xmlspace.strip(value), start, end, dollar=False)
                    self.references.append(ref)
                    self._where[ref] = (element.parent, True)
                    skip.add(start)
            elif name == "Received":
                for field in RECEIVED_VARIABLES:
                    d = Definition(
                        field, Kind.RECEIVED, element.tag.name_start, element.tag.name_end
                    )
                    self.definitions.append(d)
                    self._scoped.setdefault(id(element), []).append(d)
            for attr in element.tag.attributes:
                if attr.value is not None and attr.value_start not in skip and "$" in attr.value:
                    if parts is None:
                        parts = self._parts()
                    for ref in _uses(attr.value, attr.value_start, parts):
                        self.references.append(ref)
                        self._where[ref] = (element, True)
        owners = scan.text_owners if len(scan.text_owners) == len(scan.texts) else None
        for number, (start, end) in enumerate(scan.texts):
            chunk = scan.text[start:end]
            if "$" not in chunk:
                continue
            if parts is None:
                parts = self._parts()
            for ref in _uses(chunk, start, parts):
                self.references.append(ref)
                owner = owners[number] if owners is not None else scan.element_at(ref.start)
                self._where[ref] = (owner, False)
        self.references.sort(key=lambda r: r.start)

    def _parts(self) -> list[tuple[int, int]]:
        """Where the template parts of the document's syntaxes are, as the parser reads them."""
        if self._templates == self.scan.syntaxes:
            return list(self.scan.parts)  # those the scan read around
        return [(part.start, part.end) for part in find(self.scan.text, self._templates)]

    # -- questions ------------------------------------------------------------------------

    def at(self, offset: int) -> Definition | Reference | None:
        """The definition or use under the cursor (its end counts)."""
        for ref in self.references:
            if ref.start <= offset <= ref.end:
                return ref
        for d in self.definitions:
            if d.kind in (Kind.VAR, Kind.ARRAY) and d.start <= offset <= d.end:
                return d
        return None

    def _enclosing(self, ref: Reference) -> Iterator[ScannedElement]:
        """The elements whose content holds the use, innermost first."""
        element, in_attribute = self._where.get(ref, (None, False))
        if element is None:
            return
        if not in_attribute:
            yield element
        yield from element.ancestors()

    def resolve(self, ref: Reference) -> list[Definition]:
        """The definitions a use refers to, the most relevant first."""
        found, named = self._lookup(ref)
        if not named:
            return list(found)
        before = [d for d in found if d.start < ref.start]
        after = [d for d in found if d.start >= ref.start]
        return list(reversed(before)) + after

    def _lookup(self, ref: Reference) -> tuple[list[Definition], bool]:
        """`resolve`'s definitions in no particular order, and whether they are the (shared)
        list of the Vars or Arrays of the name, which `resolve` orders around the use."""
        key = variable_key(ref.name)
        if ref.dollar and key in self._scoped_names:
            for element in self._enclosing(ref):
                for d in self._scoped.get(id(element), ()):
                    if variable_key(d.name) == key:
                        return [d], False
        kinds = (Kind.VAR, Kind.ARRAY) if ref.dollar else (Kind.ARRAY,)
        for kind in kinds:
            same = self._by_name.get((kind, key))
            if same:
                return same, True
        return self._external_by_name.get(key, _NONE), False

    def family(self, target: Definition | Reference) -> list[Definition]:
        """Every definition of the variable `target` is, or refers to."""
        if isinstance(target, Reference):
            return self.resolve(target)
        if target.kind in (Kind.VAR, Kind.ARRAY):
            return list(self._by_name.get((target.kind, variable_key(target.name)), [target]))
        return [target]

    def uses(self, target: Definition | Reference) -> list[Reference]:
        """Every use of the variable `target` is, or refers to."""
        family = set(self.family(target))
        if not family:
            return [target] if isinstance(target, Reference) else []
        # Uses of one name share one list of definitions: whether it meets the family is
        # worked out once per list, not once per use (a Var set and read thousands of times).
        meets: dict[int, bool] = {}
        found = []
        for ref in self.references:
            defs, _ = self._lookup(ref)
            hit = meets.get(id(defs))
            if hit is None:
                hit = not family.isdisjoint(defs)
                if len(defs) > 1:
                    meets[id(defs)] = hit
            if hit:
                found.append(ref)
        return found

    def in_scope(self, offset: int) -> list[Definition]:
        """The variables a `$` at `offset` can name: set before it, or given by its context."""
        found: dict[str, Definition] = {}  # by `variable_key`: one entry per variable
        for d in self.definitions:
            if d.kind is Kind.VAR and d.start < offset:
                found[variable_key(d.name)] = d
        element = self.scan.element_at(offset)
        chain: list[ScannedElement] = []
        if element is not None:
            if offset >= element.content_start:  # in its content, not in its start tag
                chain.append(element)
            chain.extend(element.ancestors())
        for scope in reversed(chain):  # inner scopes last, so they win
            for d in self._scoped.get(id(scope), ()):
                found[variable_key(d.name)] = d
        for d in self.external:
            found.setdefault(variable_key(d.name), d)
        return sorted(found.values(), key=lambda d: d.name.lower())

    def arrays(self) -> list[Definition]:
        return [d for d in self.definitions if d.kind is Kind.ARRAY]


_NONE: list[Definition] = []


def _uses(text: str, base: int, parts: Sequence[tuple[int, int]]) -> Iterator[Reference]:
    """The ``$name`` uses in `text` (at offset `base`), outside the document's template parts
    (`parts`, in order): those the linter finds (`ozml.lint.variables.tokens`)."""
    spans: list[tuple[int, int]] = []
    at = bisect.bisect_right(parts, (base, len(text) + base))
    at = max(at - 1, 0)
    while at < len(parts) and parts[at][0] < base + len(text):
        start, end = parts[at]
        if end > base:
            spans.append((max(start, base) - base, min(end, base + len(text)) - base))
        at += 1
    for match in tokens(text, tuple(spans)):
        yield Reference(match.group(1), base + match.start(), base + match.end(1))
