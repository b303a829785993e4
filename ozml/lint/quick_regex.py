"""The quick check's fastest recogniser: regular expressions over a document's raw bytes.

Validating a parsed tree costs less than linting it, but parsing alone costs more than most of
the rest of ``ozml check``. For the common shape of document this module proves a document clean
without parsing it: regular expressions built from the plan (`ozml.lint.quick_plan`) match the
whole document, and a document they match is both well-formed XML (as libxml2 reads it) and
accepted by the plan. They accept only a plain subset of XML, so that no XML subtlety can hide in
what they accept:

* UTF-8 (checked by decoding when not ASCII, without U+FFFE and U+FFFF), an optional byte-order
  mark, an optional XML declaration of version 1.0 with encoding UTF-8, then the root, with white
  space around;
* no comment, processing instruction, CDATA, DOCTYPE, character reference or ``&lt;``; only the
  references ``&amp;``, ``&gt;``, ``&quot;`` and ``&apos;``; no ``>`` or ``{`` in text or
  attribute values (so that ``]]>`` and template placeholders cannot occur), and none of the
  control characters XML forbids;
* attribute values in double quotes; every attribute of the plan at most once in its start tag,
  the mandatory ones present, each value in its literal form;
* text that must not be blank starts (after XML white space) with a character Python's
  str.strip keeps: printable ASCII, a reference, or a character from U+00C0 to U+07FF.

Nesting is not spelled out in one expression (it would grow with every level). `block` matches
one block of commands with the bodies of its nested blocks skipped, up to the first end tag of
their name; `bodies` then finds those bodies, and each is matched as a block in turn. A body that
ends early because a block of the same name was nested in it cannot match (the nested block's end
tag is missing from it), so such documents are left to the parsers.

The expressions are written for Python's engine: each loop iteration costs it far more than a
character, so white space is taken with the element before it, and references are checked once
over the whole document (`_BAD_REFERENCE`) instead of in every text. Compiling them takes some
tens of milliseconds (Python compiles regular expressions in Python), so `ozml.lint.quick`
builds them only once a run has checked enough documents for the time to pay back.
"""

from __future__ import annotations

import re

from ozml.catalog import Context, ElementKind
from ozml.lint.quick_plan import (
    ARRAY,
    FOREACH,
    INPUT,
    INPUTS,
    MENU,
    PROMPTS,
    ROOT,
    VAR,
    Content,
    Element,
    Form,
    Plan,
    Text,
    Value,
    plan,
)
from ozml.rawbytes import holds

#: Documents larger than this are left to the parsers: libxml2 limits a text or attribute value
#: to 10,000,000 characters, which these expressions do not count.
MAX_BYTES = 1 << 20
#: Blocks nested deeper than this are left to the parsers.
MAX_DEPTH = 32

#: Control characters XML does not allow. ``\s`` of a bytes pattern also matches form feed and
#: vertical tab: `Recogniser.recognises` refuses documents holding them, so ``\s`` is XML's
#: white space here (and shorter for Python to compile than a class).
_CONTROLS = rb"\x00-\x08\x0b\x0c\x0e-\x1f"
#: A reference other than the four accepted (``&lt;`` could start a template, ``&#`` write
#: anything), or a ``&`` that starts none.
_BAD_REFERENCE = re.compile(rb"&(?!(?:amp|gt|quot|apos);)")
#: What may start a text that is not blank: a character Python's str.strip keeps (stricter than
#: the linter, to which only XML's white space is blank: `ozml.xmlspace`). Printable
#: ASCII but ``"'<>{`` (quotes are added back where they are allowed; ``&`` starts one of the
#: accepted references, all of which stand for one such character), or the first byte of a
#: two-byte UTF-8 character from U+00C0 (``\xc2`` starts U+0080 to U+00BF, among them NBSP and
#: NEL, which strip removes).
_SOLID = rb"!#-&(-;=?-z|-~\xc3-\xdf"
_SOLID_NO_DOLLAR = rb"!#%&(-;=?-z|-~\xc3-\xdf"
#: Steps over one attribute of a start tag (white space, name, ``=`` and quoted value).
_OVER = rb"(?:[^\">]*+\"[^\"]*+\")"


def _free(exclude: bytes, solid: bytes | None) -> bytes:
    """Free text (or a double-quoted attribute value, with ``"`` in `exclude`) without the bytes
    of `exclude`; with `solid`, starting after white space with one of those characters."""
    chars = rb"[^<>{" + exclude + _CONTROLS + rb"]*+"
    if solid is None:
        return chars
    return rb"\s*+[" + solid + rb"]" + chars


def _choices(choices: tuple[str, ...]) -> bytes:
    """Exact values as alternatives (an impossible pattern if one is written differently in
    XML; none in the catalog is)."""
    if any(not re.fullmatch(r"[A-Za-z0-9 ._:+\-]*", c) for c in choices):
        return rb"(?!)"
    return b"|".join(re.escape(c.encode()) for c in choices)


def _trie(patterns: list[bytes]) -> bytes:
    """Alternatives that start with element names, grouped by the names' letters, so that the
    engine tries a handful of branches per element instead of every one of them."""
    if len(patterns) == 1:
        return patterns[0]
    groups: dict[bytes, list[bytes]] = {}
    for pattern in patterns:
        groups.setdefault(pattern[:1], []).append(pattern)
    if len(groups) == 1:
        first, rest = next(iter(groups.items()))
        if all(p[:1].isalpha() for p in rest):
            return first + b"(?:" + _trie([p[1:] for p in rest]) + b")"
        return b"|".join(patterns)
    return b"|".join(
        _trie(group) if len(group) > 1 and first.isalpha() else b"|".join(group)
        for first, group in groups.items()
    )


class _Writer:
    def __init__(self, accepted: Plan) -> None:
        self.plan = accepted
        self.elements = accepted.by_name()

    def _value(self, value: Value) -> bytes:
        """An attribute value with its quotes."""
        if value.form == Form.PATTERN:
            body = value.raw
        elif value.form == Form.CHOICES:
            body = _choices(value.choices)
        elif value.form == Form.NON_BLANK:
            body = _free(b'"', _SOLID + b"'")
        else:
            body = _free(b'"', None)
        return b'"(?:' + body + b')"'

    def _text(self, text: Text | None) -> tuple[bytes, bool]:
        """The pattern of an element's text, and whether the element may be empty."""
        if text is None:
            return rb"\s*+", True
        value, required = text.value, text.required
        if value.form == Form.ANY or value.form == Form.NON_BLANK:
            # A defined value holding `$` is itself a use: left to the linter.
            exclude = b"$" if text.defining else b""
            solid = (_SOLID_NO_DOLLAR if text.defining else _SOLID) + b"\"'"
            if required:
                return _free(exclude, solid), False
            return _free(exclude, None), True
        raw = _choices(value.choices) if value.form == Form.CHOICES else value.raw
        if required:
            return rb"\s*+(?:" + raw + rb")\s*+", False
        return rb"\s*+(?:(?:" + raw + rb")\s*+)?", True

    def _attributes(self, element: Element) -> bytes:
        """A start tag after its name: its attributes, and the white space before its end."""
        attributes = element.attributes
        # Each mandatory attribute somewhere in the tag.
        checks = b"".join(
            b"(?=" + _OVER + rb"*?\s++" + re.escape(a.name.encode()) + rb"\s*+=)"
            for a in attributes
            if a.required
        )
        items = []
        for attribute in attributes:
            written = re.escape(attribute.name.encode())
            item = written + rb"\s*+=\s*+" + self._value(attribute.value)
            if len(attributes) > 1:
                # Not written again further on in the tag (not well-formed).
                item += b"(?!" + _OVER + rb"*?\s++" + written + rb"\s*+=)"
            items.append(item)
        if not items:
            loop = b""
        elif len(items) == 1:
            loop = rb"(?:\s++" + items[0] + rb")?+"
        else:
            loop = rb"(?:\s++(?:" + b"|".join(items) + rb"))*+"
        return checks + loop + rb"\s*+"

    @staticmethod
    def _end(element: Element) -> bytes:
        return b"</" + re.escape(element.name.encode()) + rb"\s*+>"

    @staticmethod
    def _whole(element: Element, rest: bytes) -> bytes:
        """An element (its name first, so that the engine tells branches apart by it) and the
        white space after it, matched once and for all."""
        return b"<" + re.escape(element.name.encode()) + b"(?>" + rest + rb")\s*+"

    def leaf(self, element: Element) -> bytes:
        text, empty = self._text(element.text)
        full = b">" + text + self._end(element)
        rest = self._attributes(element) + (rb"(?:/>|" + full + b")" if empty else full)
        return self._whole(element, rest)

    def skipped(self, element: Element) -> bytes:
        """A block whose body is matched apart (`Recogniser.bodies`)."""
        name = re.escape(element.name.encode())
        skip = rb"(?:[^<]++|<(?!/" + name + rb"[\s>]))*+"
        rest = self._attributes(element) + rb"(?:/>|>" + skip + self._end(element) + b")"
        return self._whole(element, rest)

    def part(self, name: str) -> bytes | None:
        element = self.elements.get(name)
        if element is None:
            return None
        if element.content == Content.TEXT:
            return self.leaf(element)
        if element.content == Content.COMMANDS:
            return self.skipped(element)
        return None  # deeper structure: left to the parsers

    def menu_head(self) -> bytes | None:
        """A menu's start tag, its prompts and the start tag of its Inputs."""
        menu, inputs = self.elements.get(MENU), self.elements.get(INPUTS)
        if menu is None or inputs is None:
            return None
        prompts = self.part(PROMPTS) or b""
        return (
            b"<" + re.escape(menu.name.encode()) + self._attributes(menu) + rb">\s*+"
            + (b"(?:" + prompts + b")?" if prompts else b"")
            + b"<" + re.escape(inputs.name.encode()) + self._attributes(inputs) + rb">\s*+"
        )

    def command(self, element: Element) -> bytes | None:
        """One command of a block, or None when it is not recognised here."""
        content = element.content
        if content == Content.TEXT:
            return self.leaf(element)
        if content == Content.COMMANDS:
            return self.skipped(element)
        if content == Content.LISTED:
            parts = [p for p in (self.part(n) for n in element.children) if p is not None]
            inner = rb"\s*+(?:" + b"|".join(parts) + rb")*+" if parts else rb"\s*+"
            rest = self._attributes(element) + rb"(?:/>|>" + inner + self._end(element) + b")"
            return self._whole(element, rest)
        head, branch, inputs = self.menu_head(), self.part(INPUT), self.elements.get(INPUTS)
        if content != Content.MENU or head is None or branch is None or inputs is None:
            return None
        # The head again, less "<Name": a menu holds one Inputs with at least one Input.
        rest = head[len(element.name) + 1 :] + b"(?:" + branch + b")++" + self._end(inputs)
        return self._whole(element, rest + rb"\s*+" + self._end(element))

    def block(self) -> bytes:
        """A sequence of commands, the one that ends the script only last. Commands that need a
        check after the match mark it with a named group: ``defs`` (Var, Array: only at the
        top level), ``loop`` (ForEach), ``menu`` (UserInput), ``nest`` (any with a body)."""
        plain: list[bytes] = []
        marked: dict[bytes, list[bytes]] = {b"defs": [], b"loop": [], b"menu": [], b"nest": []}
        for element in self.plan.commands(True):
            found = self.command(element)
            if found is None:
                continue
            if element.name in (VAR, ARRAY):
                marked[b"defs"].append(found)
            elif element.name == FOREACH:
                marked[b"loop"].append(found)
            elif element.content == Content.MENU:
                marked[b"menu"].append(found)
            elif element.content == Content.TEXT:
                plain.append(found)
            else:
                marked[b"nest"].append(found)
        # Each pattern starts with "<": the branches share it, and branch on the names.
        branches = [_trie([p[1:] for p in plain])] if plain else []
        for flag, patterns in marked.items():
            if patterns:
                branches.append(
                    b"(?:" + _trie([p[1:] for p in patterns]) + rb")(?P<" + flag + rb">)"
                )
            else:
                branches.append(rb"(?!)(?P<" + flag + rb">)")
        ender = self.plan.ender()
        end = b"(?:" + self.leaf(ender) + b")?" if ender is not None else b""
        return rb"\s*+(?:<(?:" + b"|".join(branches) + rb"))*+" + end

    def head(self) -> bytes | None:
        """The prolog and the root's start tag: ``>`` (its body follows) or ``/>`` and white
        space to the end (group ``empty``)."""
        root = self.elements.get(ROOT)
        if root is None or root.content != Content.COMMANDS or root.attributes:
            return None
        declaration = (
            rb"<\?xml\s++version\s*+=\s*+\"1\.0\"(?:\s++encoding\s*+=\s*+\"(?:UTF|utf)-8\")?"
            rb"(?:\s++standalone\s*+=\s*+\"(?:yes|no)\")?\s*+\?>"
        )
        return (
            rb"(?:\xef\xbb\xbf)?(?:" + declaration + rb")?\s*+<" + re.escape(ROOT.encode())
            + rb"\s*+(?:>|/>\s*+\Z(?P<empty>))"
        )


class Recogniser:
    """The compiled expressions for one context."""

    def __init__(self, context: Context) -> None:
        writer = _Writer(plan(context))
        head = writer.head()
        self.head = re.compile(head) if head is not None else None
        #: The root's end tag (found from the end of the document) and white space.
        self.end_tag = b"</" + ROOT.encode()
        self.tail = re.compile(re.escape(self.end_tag) + rb"\s*+>\s*+")
        self.block = re.compile(writer.block())
        bodied = [
            e.name
            for e in writer.plan.elements
            if e.content == Content.COMMANDS and e.kind is not ElementKind.ROOT
        ]
        names = b"|".join(re.escape(n.encode()) for n in bodied) or rb"(?!)"
        #: The body (group 2) of each block a block match skipped, at the first level below it.
        self.bodies = re.compile(
            rb"<(" + names + rb")(?=[\s/>])[^>]*+(?<!/)>((?:[^<]++|<(?!/\1[\s>]))*+)</\1\s*+>"
        )
        #: A menu up to its first branch, and one branch with its key (group 1).
        head = writer.menu_head()
        branch = writer.elements.get(INPUT)
        self.menu = re.compile(head) if head is not None else None
        self.branch: re.Pattern[bytes] | None = None
        self.menu_tag = b"<" + MENU.encode()
        self.keys: re.Pattern[bytes] | None = None
        if branch is not None and branch.attributes:
            key = re.escape(branch.attributes[0].name.encode())
            name = re.escape(branch.name.encode())
            #: The key of every branch (group 1).
            self.keys = re.compile(
                b"<" + name + rb"(?=[\s/>])(?=" + _OVER + rb"*?\s++" + key
                + rb"\s*+=\s*+\"([^\"]*+)\")"
            )
            self.branch = re.compile(
                b"<" + name + b"(?=" + _OVER + rb"*?\s++" + key + rb"\s*+=\s*+\"([^\"]*+)\")"
                rb"[^>]*+(?<!/)>(?:[^<]++|<(?!/" + name + rb"[\s>]))*+</" + name + rb"\s*+>\s*+"
            )

    def recognises(self, data: bytes) -> bool | None:
        """Whether the document is recognised: True, or False when it is not; None when it is
        but holds ``$``, Var, Array or ForEach (the caller checks its variables)."""
        head = self.head
        if head is None or len(data) > MAX_BYTES or holds(data, b"<!--"):
            return False  # a comment is outside what they read: the schema's to judge
        if not data.isascii():
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                return False
            if holds(data, b"\xef\xbf\xbe") or holds(data, b"\xef\xbf\xbf"):
                return False  # U+FFFE and U+FFFF are not XML characters
        found = head.match(data)
        if found is None or holds(data, b"\x0b") or holds(data, b"\x0c"):
            return False
        if holds(data, b"&") and _BAD_REFERENCE.search(data) is not None:
            return False
        flags = [False, False]  # variables, menus
        if found.group("empty") is None:
            end = data.rfind(self.end_tag)
            if end < found.end() or self.tail.fullmatch(data, end) is None:
                return False
            if not self._block(data, found.end(), end, 0, flags):
                return False
        if flags[1] and not self._keys_distinct(data):
            return False
        return None if flags[0] or holds(data, b"$") else True

    def _block(self, data: bytes, start: int, end: int, depth: int, flags: list[bool]) -> bool:
        found = self.block.fullmatch(data, start, end)
        if found is None:
            return False
        if found.group("defs") is not None:
            if depth:
                return False  # Var and Array only at the top level
            flags[0] = True
        loop = found.group("loop") is not None
        if loop:
            flags[0] = True
        if found.group("menu") is not None:
            flags[1] = True
        elif not loop and found.group("nest") is None:
            return True
        if depth >= MAX_DEPTH:
            return False
        for body in self.bodies.finditer(data, start, end):
            if not self._block(data, body.start(2), body.end(2), depth + 1, flags):
                return False
        return True

    def _keys_distinct(self, data: bytes) -> bool:
        """Whether the keys of each menu's branches are distinct (each is one upper-case key,
        so equal keys are equal bytes)."""
        menu, branch, keys = self.menu, self.branch, self.keys
        if menu is None or branch is None or keys is None:
            return False
        if data.count(self.menu_tag) == 1:
            # One menu: every branch of the document is one of its branches.
            found = keys.findall(data)
            return len(set(found)) == len(found)
        # Every menu, those inside another's prompts or branches too (which a search for
        # menus that do not overlap would step over).
        start = data.find(self.menu_tag)
        while start >= 0:
            head = menu.match(data, start)
            if head is None:
                return False
            seen: set[bytes] = set()
            at = head.end()
            while (step := branch.match(data, at)) is not None:
                key = step.group(1)
                if key in seen:
                    return False
                seen.add(key)
                at = step.end()
            start = data.find(self.menu_tag, start + 1)
        return True


__all__ = ["MAX_BYTES", "MAX_DEPTH", "Recogniser"]
