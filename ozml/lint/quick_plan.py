"""What the quick check accepts, worked out from the catalog for one context.

The quick check (`ozml.lint.quick`) proves documents clean with two recognisers built from the
same plan: a strict XML Schema validated by libxml2 (`ozml.lint.quick_schema`) and a regular
expression over the raw bytes (`ozml.lint.quick_regex`). Each accepts only documents the linter
has nothing to say about, and leaves everything else, clean or not, to the full linter. The plan
says, per element of the context, which attributes it takes (canonical names only, valid in the
context, the mandatory ones required), what its text may be, and what it may contain:

* elements only under their canonical names, only those documented, used in OzML and valid in
  the context, each where the catalog allows it; no Reject (valid only as the first command,
  D9) and no Exit (undocumented, D6);
* a text parameter (D7) only as element text, never as an attribute; every mandatory parameter
  given;
* values only in a literal form that their type check passes and that is written in canonical
  case: whole numbers without sign or leading zeros and in range, exact enumeration values,
  plain absolute ``http(s)://`` URLs, no ``$variable`` or template in a typed value;
* Hangup only as the last command of its block (it ends the script, D9; one in the middle is
  left to the linter);
* Var and Array only at the top level, with no ``$`` in what they define;
* a UserInput menu only as its prompts (InitialCommands, optional) and one Inputs holding at
  least one Input (menu-without-exit), reading one digit (Digits, MinDigits and MaxDigits only
  as ``1``, no BackKey), each Key one upper-case DTMF key.

The value forms are written twice: as XSD patterns over parsed values, and as Python patterns
over the raw bytes of an attribute or text (where ``&amp;`` stands for ``&``). Each accepts a
subset of what `ozml.catalog.values.check` accepts; the tests check both.

Only the roles below are named here (which command ends a script, defines a variable, loops, or
is a menu), as the rules that know them name them; everything else comes from the catalog when
a recogniser is first built, so a change to the catalog needs no change here.
"""

from __future__ import annotations

from ozml.catalog import ALL, ChildPolicy, Command, Context, ElementKind, Param, Usage
from ozml.catalog.model import ValueType

#: Never proven clean here: Reject (valid only as the first command, D9), Exit (undocumented).
NEVER = frozenset({"Reject", "Exit"})
#: The command that ends the script (D9) and is accepted only last in its block.
ENDS = "Hangup"
#: Commands that define variables and arrays (accepted only at the top level), and the loop.
VAR, ARRAY, FOREACH = "Var", "Array", "ForEach"
#: The menu command and its parts.
MENU, PROMPTS, INPUTS, INPUT = "UserInput", "InitialCommands", "Inputs", "Input"
#: The root element.
ROOT = "Response"
#: Menu attributes accepted only as ``1`` (a one-digit menu), and those not accepted.
_ONE_DIGIT = frozenset({"Digits", "MinDigits", "MaxDigits"})
_MENU_NOT = frozenset({"BackKey"})


# Plain constants rather than enums: defining an Enum costs about a millisecond at import, and
# the quick check is on the path of every `ozml check` start.


class Form:
    """How a value is accepted."""

    ANY = "any"  # every value (STRING, OZML)
    NON_BLANK = "non-blank"  # anything with something other than white space (PATH, SQL)
    CHOICES = "choices"  # one of `Value.choices`, exactly
    PATTERN = "pattern"  # `Value.xsd` over the value, `Value.raw` over its raw bytes


# Plain classes: the plan is built when the quick check first runs, at the start of a command,
# and attrs or NamedTuple classes cost milliseconds to define at import.


class Value:
    """How the values of a parameter are accepted."""

    __slots__ = ("choices", "form", "raw", "xsd")

    def __init__(
        self, form: str, choices: tuple[str, ...] = (), xsd: str = "", raw: bytes = b""
    ) -> None:
        self.form = form
        self.choices = choices
        self.xsd = xsd
        self.raw = raw


class Attribute:
    __slots__ = ("name", "required", "value")

    def __init__(self, name: str, value: Value, required: bool) -> None:
        self.name = name
        self.value = value
        self.required = required


class Text:
    """An element's text: its value form, whether it is mandatory, and whether it is a defined
    value (Var, Item), which may not hold ``$`` (a definition that is itself a use)."""

    __slots__ = ("defining", "required", "value")

    def __init__(self, value: Value, required: bool, defining: bool) -> None:
        self.value = value
        self.required = required
        self.defining = defining


class Content:
    """What an element contains."""

    TEXT = "text"  # no child elements: `Element.text` or white space only
    COMMANDS = "commands"  # a block of commands
    MENU = "menu"  # UserInput: InitialCommands?, Inputs
    INPUTS = "inputs"  # Inputs: Input+
    LISTED = "listed"  # any of `Element.children`, in any order and number


class Element:
    """One element: its attributes, its text (for `Content.TEXT`), and what it contains."""

    __slots__ = ("attributes", "children", "content", "kind", "name", "text")

    def __init__(
        self,
        name: str,
        kind: ElementKind,
        attributes: tuple[Attribute, ...],
        text: Text | None,
        content: str,
        children: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.kind = kind
        self.attributes = attributes
        self.text = text
        self.content = content
        self.children = children


class Plan:
    """Every element accepted in one context, in catalog order."""

    __slots__ = ("context", "elements")

    def __init__(self, context: Context, elements: tuple[Element, ...]) -> None:
        self.context = context
        self.elements = elements

    def by_name(self) -> dict[str, Element]:
        return {e.name: e for e in self.elements}

    def commands(self, top: bool) -> list[Element]:
        """The commands of a block (at the top level, Var and Array too), less the one that
        ends the script."""
        return [
            e
            for e in self.elements
            if e.kind is ElementKind.COMMAND
            and e.name != ENDS
            and (top or e.name not in (VAR, ARRAY))
        ]

    def ender(self) -> Element | None:
        return self.by_name().get(ENDS)


# --- value forms ------------------------------------------------------------------------------


def integer_range(low: int, high: int | None) -> str | None:
    """A pattern for the whole numbers from `low` to `high` (None: no upper bound), without sign
    or leading zeros, in the syntax XSD and Python share; None when there is no such number.
    Negative numbers are left out."""
    low = max(low, 0)
    if high is not None and high < low:
        return None
    parts: list[str] = []
    if low == 0:
        parts.append("0")
        low = 1
        if high == 0:
            return "0"
    digits = len(str(low))
    top = None if high is None else len(str(high))
    # Numbers of `digits` digits from `low`, unless all of them are in range.
    whole_from = digits
    if low != 10 ** (digits - 1):
        last = 10**digits - 1 if top is None or top > digits else high
        assert last is not None
        parts.extend(_same_length(str(low), str(last)))
        whole_from = digits + 1
    # Numbers of every length up to the top one, if the top one is complete.
    whole_to = top
    if top is not None and high != 10**top - 1:
        whole_to = top - 1
    if whole_to is None:
        parts.append(f"[1-9][0-9]{{{whole_from - 1},}}" if whole_from > 1 else "[1-9][0-9]*")
    elif whole_from <= whole_to:
        more = f"{{{whole_from - 1},{whole_to - 1}}}" if whole_from < whole_to else (
            f"{{{whole_to - 1}}}"
        )
        parts.append("[1-9]" if whole_to == 1 else f"[1-9][0-9]{more}")
    if top is not None and whole_to == top - 1 and top >= whole_from and high is not None:
        parts.extend(_same_length(str(10 ** (top - 1)), str(high)))
    return "|".join(parts)


def _same_length(first: str, last: str) -> list[str]:
    """Alternatives matching the numbers from `first` to `last`, all written with as many
    digits as they have."""
    if first == last:
        return [first]
    if len(first) == 1:
        return [_digits(int(first), int(last))]
    if first[0] == last[0]:
        return [first[0] + rest for rest in _grouped(first[1:], last[1:])]
    width = len(first) - 1
    from_start = first[1:] == "0" * width
    to_end = last[1:] == "9" * width
    parts = [] if from_start else [first[0] + r for r in _grouped(first[1:], "9" * width)]
    low = int(first[0]) if from_start else int(first[0]) + 1
    high = int(last[0]) if to_end else int(last[0]) - 1
    if low <= high:
        parts.append(_digits(low, high) + ("[0-9]" if width == 1 else f"[0-9]{{{width}}}"))
    if not to_end:
        parts.extend(last[0] + r for r in _grouped("0" * width, last[1:]))
    return parts


def _digits(low: int, high: int) -> str:
    return str(low) if low == high else f"[{low}-{high}]"


def _grouped(first: str, last: str) -> list[str]:
    found = _same_length(first, last)
    return found if len(found) == 1 else ["(" + "|".join(found) + ")"]


def _raw(shared: str) -> bytes:
    """A pattern in the shared syntax as a Python bytes pattern (groups not capturing)."""
    return shared.replace("(", "(?:").encode()


# Literal forms in the syntax XSD and Python share (explicit ASCII classes: the two disagree on
# ``\s`` and ``\d``); none of them holds ``&<>"'`` or white space, so they read the same over
# raw bytes and over parsed values.
_SHARED: dict[ValueType, str] = {
    ValueType.SECONDS: "[0-9]+(\\.[0-9]+)?",
    ValueType.PHONE: "\\+?[0-9*#]+|[A-Za-z0-9._+\\-]+@[A-Za-z0-9._\\-]+",
    ValueType.DESTINATION: "\\+?[0-9*#]+|[A-Za-z0-9._+\\-]+(@[A-Za-z0-9._\\-]+)?",
    ValueType.CALL_ID: "[A-Za-z0-9_.:\\-]+",
    ValueType.DTMF_KEYS: "[0-9*#A-Da-d]+",
    ValueType.DTMF_KEY: "[0-9*#A-Da-d]",
    ValueType.LANGUAGE: "[A-Za-z]{2,3}(\\-[A-Za-z0-9]{2,8})*",
    ValueType.EMAIL: "[A-Za-z0-9._%+\\-]+@[A-Za-z0-9.\\-]+",
    ValueType.IDENTIFIER: "[A-Za-z_][A-Za-z0-9_]*",
    ValueType.DATETIME: (
        "[0-9]{4}\\-[0-9]{2}\\-[0-9]{2}(T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]+)?)?)?"
    ),
}
#: Types whose values need only be non-blank.
_NON_EMPTY = frozenset({ValueType.PATH, ValueType.SQL})
#: Types whose every value passes (and that have no letter-case rule).
_ANY = frozenset({ValueType.STRING, ValueType.OZML})
#: Types whose values must be plain absolute http(s) URLs here (malformed-url, relative-url).
_URLS = frozenset({ValueType.URL, ValueType.URL_OR_SQL})
#: Types whose listed values are the only valid ones.
_CHOICES = frozenset({ValueType.ENUM, ValueType.PARTY, ValueType.TRANSFEROR})
#: An Input Key here: one key, upper case, so that distinct strings are distinct keys.
MENU_KEY = "[0-9*#A-D]"
#: The port of a URL: 1 to 65535.
_PORT = integer_range(1, 65535)
#: URL host: letters, digits, dots and hyphens, starting and ending with a letter or digit.
_HOST = "https?://[A-Za-z0-9]+([.\\-]+[A-Za-z0-9]+)*(:(" + str(_PORT) + "))?"
#: The rest of a URL: printable ASCII but ``"<>{}``.
URL_XSD = _HOST + "([/?#][!#-;=?-z|~]*)?"
#: The same over raw bytes, in a form Python's engine runs faster: the host as a run that ends
#: with a letter or digit, the rest as runs between ``&amp;`` references (no ``'``, which a
#: single-quoted value could not hold, and no other reference).
URL_RAW = (
    rb"https?://[A-Za-z0-9](?:[A-Za-z0-9.\-]*+(?<=[A-Za-z0-9]))?(?::(?:"
    + str(_PORT).replace("(", "(?:").encode()
    + rb"))?(?:[/?#][!#-%(-;=?-z|~]*+(?:&amp;[!#-%(-;=?-z|~]*+)*+)?"
)


def value_form(param: Param) -> Value | None:
    """How the values of `param` are accepted; None when no value is accepted here."""
    kind = param.type
    if param.values:
        if kind not in _CHOICES and kind not in _ANY:
            return None  # listed values of another type: left to the linter
        return Value(Form.CHOICES, choices=param.values)
    if kind is ValueType.BOOLEAN:
        return Value(Form.CHOICES, choices=("true", "false"))
    if kind in _ANY:
        return Value(Form.ANY)
    if kind in _NON_EMPTY:
        return Value(Form.NON_BLANK)
    if kind in _URLS:
        return Value(Form.PATTERN, xsd=URL_XSD, raw=URL_RAW)
    if kind is ValueType.INTEGER and param.min_digits is not None:
        if param.min_digits != param.max_digits:
            return None  # a least number of digits: left to the linter
        return pattern_value(f"[0-9]{{{param.min_digits}}}")
    if kind is ValueType.INTEGER:
        high = param.maximum
        if param.max_digits is not None:
            most = 10**param.max_digits - 1
            high = most if high is None else min(high, most)
        shared = integer_range(param.minimum or 0, high)
    else:
        shared = _SHARED.get(kind)
    if shared is None:
        return None
    return Value(Form.PATTERN, xsd=shared, raw=_raw(shared))


def pattern_value(shared: str) -> Value:
    return Value(Form.PATTERN, xsd=shared, raw=_raw(shared))


# --- the plan -----------------------------------------------------------------------------------


def name_param(cmd: Command) -> Param | None:
    """The parameter of Var, Array or ForEach that is a name: a mandatory identifier."""
    for param in cmd.params:
        if param.type is ValueType.IDENTIFIER and param.required_in and not param.text:
            return param
    return None


def menu_key(cmd: Command) -> Param | None:
    """The parameter of Input that is its key."""
    for param in cmd.params:
        if param.type is ValueType.DTMF_KEYS and not param.text:
            return param
    return None


def commands_by_name() -> dict[str, Command]:
    return {cmd.name: cmd for cmd in ALL}


def leaves() -> frozenset[str]:
    """Elements without child elements (a comment inside one is left to the linter)."""
    return frozenset(cmd.name for cmd in ALL if cmd.children is ChildPolicy.NONE)


def plan(context: Context) -> Plan:
    """What is accepted in `context`."""
    usable = [cmd for cmd in ALL if _usable(cmd, context)]
    names = {cmd.name for cmd in usable}
    array = commands_by_name().get(ARRAY)
    defining = frozenset({VAR, *(array.child_names if array is not None else ())})
    found: list[Element] = []
    for cmd in usable:
        element = _element(cmd, context, names, defining)
        if element is not None:
            found.append(element)
    # An element whose content names an element left out cannot be accepted either.
    while True:
        kept = {e.name for e in found}
        narrowed = [e for e in found if _complete(e, kept)]
        if len(narrowed) == len(found):
            break
        found = narrowed
    return Plan(context, tuple(found))


def _complete(element: Element, kept: set[str]) -> bool:
    if element.content == Content.MENU:
        return INPUTS in kept
    if element.content == Content.INPUTS:
        return INPUT in kept
    return True


def _usable(cmd: Command, context: Context) -> bool:
    if not cmd.documented or not cmd.in_ozml or cmd.name in NEVER:
        return False
    if cmd.kind is ElementKind.ROOT:
        return cmd.name == ROOT
    if cmd.name in (VAR, ARRAY, FOREACH) and name_param(cmd) is None:
        return False
    if cmd.name == INPUT and menu_key(cmd) is None:
        return False
    if cmd.kind is ElementKind.COMMAND and cmd.contexts:
        # command-not-in-context says nothing in context `any`.
        return context is Context.ANY or context in cmd.contexts
    return True


def _params(cmd: Command, context: Context) -> list[Param]:
    return [
        p
        for p in cmd.params
        if Usage.OZML in p.usage
        # parameter-not-in-context says nothing in context `any`.
        and (not p.only_in or context is Context.ANY or context in p.only_in)
    ]


def _element(
    cmd: Command, context: Context, names: set[str], defining: frozenset[str]
) -> Element | None:
    name = cmd.name
    valid_in = cmd.contexts or frozenset(Context.concrete())
    params = _params(cmd, context)
    text_param = next((p for p in params if p.text), None)
    if text_param is not None and cmd.children is not ChildPolicy.NONE:
        return None  # text beside child elements: left to the linter
    key = menu_key(cmd) if name == INPUT else None
    attributes: list[Attribute] = []
    for param in params:
        if param is text_param or (name == MENU and param.name in _MENU_NOT):
            continue
        required = param.is_required(context, valid_in) or param is key
        if name == MENU and param.name in _ONE_DIGIT:
            value: Value | None = Value(Form.CHOICES, choices=("1",))
        elif param is key:
            value = pattern_value(MENU_KEY)
        else:
            value = value_form(param)
        if value is None:
            if required:
                return None
            continue
        attributes.append(Attribute(param.name, value, required))
    text = None
    if text_param is not None:
        required = text_param.is_required(context, valid_in)
        value = value_form(text_param)
        if value is None:
            if required:
                return None
        else:
            text = Text(value, required, name in defining)
    children: tuple[str, ...] = ()
    if cmd.children is ChildPolicy.NONE:
        content = Content.TEXT
    elif cmd.children is ChildPolicy.COMMANDS:
        content = Content.COMMANDS
    elif name == MENU:
        content = Content.MENU
    elif name == INPUTS:
        content = Content.INPUTS
    else:
        content, children = Content.LISTED, tuple(n for n in cmd.child_names if n in names)
    return Element(name, cmd.kind, tuple(attributes), text, content, children)


__all__ = [
    "ARRAY",
    "ENDS",
    "FOREACH",
    "INPUT",
    "INPUTS",
    "MENU",
    "MENU_KEY",
    "NEVER",
    "PROMPTS",
    "ROOT",
    "URL_RAW",
    "URL_XSD",
    "VAR",
    "Attribute",
    "Content",
    "Element",
    "Form",
    "Plan",
    "Text",
    "Value",
    "commands_by_name",
    "integer_range",
    "leaves",
    "menu_key",
    "name_param",
    "pattern_value",
    "plan",
    "value_form",
]
