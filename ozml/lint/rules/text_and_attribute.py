from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Command, Context
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.edits import remove_attribute
from ozml.lint.rule import Fixable, Rule
from ozml.resolve import Resolved


class TextAndAttribute(Rule):
    """The same parameter is given both as an attribute and as element text.

    A command's text parameter (D7) may be written either way, not both: which one the PBX uses
    is not documented. Keep one. When both say the same, the fix (safe) removes the attribute
    (unless the parameter is given by another attribute too, which would then be the one read).

    Fails::

        <Response>
          <Speak Text="Hello">Goodbye</Speak>
        </Response>

    Passes::

        <Response>
          <Speak>Hello</Speak>
        </Response>
    """

    code = "OZ106"
    name = "text-and-attribute"
    severity = Severity.WARNING
    fixable = Fixable.SOMETIMES

    per_element = True
    reads = "shape"

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return command is not None and command.text_param is not None

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        if not rec.written:
            return
        cmd = rec.command
        assert cmd is not None  # `applies`
        param = cmd.text_param
        assert param is not None  # `applies`
        given = rec.written_for(param)
        if given is None or rec.text is None:
            return
        name, value = given
        message = f"Remove {name}, the text says the same"
        # Given twice (Text and text), the other attribute would be read once this one is gone.
        once = sum(pm is not None and pm.param is param for pm in rec.matches) == 1
        same = value == rec.text and once
        fix = remove_attribute(ctx.source, rec, name, message) if same else None
        yield self.report(
            ctx,
            f"{cmd.name} {param.name} is given both as the {name} attribute and as text;"
            " keep one",
            ctx.source.text_span(rec),
            fix=fix,
        )
