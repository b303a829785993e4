"""How findings speak about contexts (D4): "in a 3pcc script (context from --context)"."""

from __future__ import annotations

from ozml.lint.settings import LintSettings


def where(settings: LintSettings) -> str:
    """``in a 3pcc script (context from --context)``: the context and where it was set."""
    return f"in {settings.context.script} (context from {settings.context_origin})"
