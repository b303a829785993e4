from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog.model import assumed
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.urls import UrlRule, UrlValue, absolute_guess, is_relative, reported_elsewhere

#: That the PBX cannot use a relative URL is ozml's reading of pages that show only absolute ones.
_ABSOLUTE = assumed(
    "§4, §5",
    "oz4801",
    "oz4201",
    why="the vendor shows only absolute http:// URLs and never says whether the PBX resolves a"
    " relative one, or against what; that it needs an absolute URL is assumed",
)


class RelativeUrl(UrlRule):
    """A relative URL where the vendor shows only absolute ones.

    The PBX requests notification URLs (Call's Url, UserInput's ForwardToURL, GoTo, the various
    FinishedUrl and ErrorUrl parameters) on its own, not as a browser following a link: the
    vendor documents and shows only absolute ``http://`` URLs, and nowhere says whether a
    relative one would be resolved, say against the URL of the notification being answered.
    That the PBX needs an absolute URL is therefore an assumption, and the finding, a warning,
    says so and cites the spec. Write the full URL; when the value looks like a host name without
    ``http://`` (``www.example.com/x.php``), the finding suggests the absolute form. Values with
    a ``$variable`` or a template placeholder are not checked (D8), so
    ``{{ base_url }}/menu.php`` is fine.

    Fails::

        <Response>
          <GoTo>/ivr/menu.php</GoTo>
        </Response>

    Passes::

        <Response>
          <GoTo>http://app.example.com/ivr/menu.php</GoTo>
        </Response>
    """

    code = "OZ805"
    name = "relative-url"
    severity = Severity.WARNING

    def judge(self, ctx: LintContext, urls: list[UrlValue]) -> Iterator[Diagnostic]:
        for url in urls:
            if not is_relative(url.value) or reported_elsewhere(url):
                continue
            guess = absolute_guess(url.value)
            message = (
                f"{url.rec.name} {url.param.name} {url.value!r} is a relative URL, and the PBX"
                " requests it itself"
            )
            if guess:
                message += f"; did you mean {guess!r}?"
            found = self.report(ctx, message, url.span(ctx), suggestion=guess)
            yield url.judged(ctx, ctx.grounded(found, _ABSOLUTE))
