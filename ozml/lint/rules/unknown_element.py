from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import ALL, ChildPolicy, Command, Context, ElementKind, element_names
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import rename_element
from ozml.lint.rule import Fixable, Rule, Severities, listing
from ozml.lint.suggest import closest, unambiguous
from ozml.resolve import Resolved


def _open_slot(parent: Resolved | None, tag: str) -> Command | None:
    """The parent, when `tag` has the shape of the children it lists and the vendor leaves open
    which others it takes: ``OnRinging`` in Request, whose handlers beyond OnSetup and OnError
    are UNKNOWN (spec §7.13)."""
    cmd = parent.command if parent else None
    if cmd is None:
        return None
    prefix = _open_prefix(cmd)
    if not prefix or not tag.startswith(prefix) or not _word_at(tag, len(prefix)):
        return None
    return cmd


def _open_prefix(cmd: Command) -> str:
    """The leading words the names of `cmd`'s listed children share (``On`` of OnSetup and
    OnError), when the vendor leaves open which others it takes; else ``""``. A word ends
    before a capital letter: InitialCommands and Inputs share only the letters ``In``, no
    word, so UserInput has no such shape."""
    if cmd.children is not ChildPolicy.LISTED or cmd.children_fact.stated:
        return ""
    first, *rest = cmd.child_names
    prefix = first
    for name in rest:
        while not name.startswith(prefix):
            prefix = prefix[:-1]
    # Back to the end of a word in every name: the next letter of each begins one.
    while prefix and not all(_word_at(name, len(prefix)) for name in cmd.child_names):
        prefix = prefix[:-1]
    return prefix


def _word_at(name: str, at: int) -> bool:
    """Whether a word of `name` begins at `at`: a capital letter stands there."""
    return name[at : at + 1].isupper()


def _candidates(parent: Resolved | None) -> list[str]:
    """Names that would be allowed where the unknown element stands."""
    cmd = parent.command if parent else None
    if cmd is not None and cmd.children is ChildPolicy.LISTED:
        return list(cmd.child_names)
    return element_names(_COMMANDS)


#: The kinds of element an unknown one may stand for where any command may: made once (its
#: hash is then kept).
_COMMANDS = frozenset({ElementKind.COMMAND})


class UnknownElement(Rule):
    """An element name that is not an OzML command or part.

    The PBX does not know the element, so it will not do what was meant. When a known name is
    close, the finding suggests it; when exactly one name is close, an unsafe fix (applied with
    ``--unsafe-fixes``) renames the element: a wrong guess would run a different command.
    Names are matched ignoring letter case (``speak`` is Speak, reported by non-canonical-case).
    An element shaped like a Request handler (``OnRinging``) is only a warning: the vendor shows
    OnSetup and OnError, and the full set of handlers is undocumented (spec §7.13).

    Fails::

        <Response>
          <Speek>Hello</Speek>
        </Response>

    Passes::

        <Response>
          <Speak>Hello</Speak>
        </Response>
    """

    code = "OZ102"
    name = "unknown-element"
    severity = Severity.ERROR
    fixable = Fixable.UNSAFE

    per_element = True
    reads = "shape"

    @classmethod
    def severities(cls) -> Severities:
        slots = [
            f"{cmd.name} holds an element named {prefix}... (the vendor shows"
            f" {listing(cmd.child_names)}, and whether it takes others is UNKNOWN)"
            for cmd in ALL
            if (prefix := _open_prefix(cmd))
        ]
        return Severities(Severity.ERROR, Severity.WARNING, listing(slots, "or"))

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is None

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        if rec.parent is None:
            return  # the root
        tag = rec.tag
        slot = _open_slot(rec.parent, tag)
        if slot is not None:
            basis = slot.children_fact
            known = " and ".join(slot.child_names)
            message = (
                f"{tag} in {slot.name} is undocumented ({basis.citation()}): the vendor"
                f" documents {known}; whether {slot.name} takes others is UNKNOWN"
            )
            found = self.report(ctx, message, ctx.source.element_span(rec))
            yield ctx.grounded(found, basis)
            return
        candidates = _candidates(rec.parent)
        guess = closest(tag, candidates)
        sure = unambiguous(tag, candidates)
        fix = (
            rename_element(ctx.source, rec, sure, f"Rename {tag} to {sure}", safe=False)
            if sure
            else None
        )
        where = rec.parent.name if rec.parent else "the document"
        message = f"unknown element {tag} in {where}"
        if guess:
            message += f"; did you mean {guess}?"
        yield self.report(
            ctx, message, ctx.source.element_span(rec), suggestion=guess, fix=fix
        )
