"""How findings speak about contexts (D4): "in a 3pcc script (context from --context)"."""

from __future__ import annotations

from ozml.catalog import Context
from ozml.lint.settings import LintSettings


def script(context: Context) -> str:
    """``an extension script``, ``a 3pcc script``."""
    article = "an" if context.value[0] in "aeiou" else "a"
    return f"{article} {context.value} script"


def where(settings: LintSettings) -> str:
    """``in a 3pcc script (context from --context)``: the context and where it was set."""
    return f"in {script(settings.context)} (context from {settings.context_origin})"
