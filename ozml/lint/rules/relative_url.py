from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import Command, Context, Param, ParamMatch
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Rule
from ozml.lint.urls import (
    UrlValue,
    absolute_guess,
    attribute_urls,
    element_urls,
    has_urls,
    is_relative,
    is_url_param,
    reported_elsewhere,
    text_url,
)
from ozml.resolve import Resolved


class RelativeUrl(Rule):
    """A relative URL where the PBX needs an absolute one.

    The PBX requests notification URLs (Call's Url, UserInput's ForwardToURL, GoTo, the various
    FinishedUrl and ErrorUrl parameters) on its own, not as a browser following a link: the
    vendor documents and shows only absolute ``http://`` URLs, and nowhere says that a relative
    one would be resolved against the URL of the notification being answered. Write the full
    URL; when the value looks like a host name without ``http://`` (``www.example.com/x.php``),
    the finding suggests the absolute form. Values with a ``$variable`` or a template placeholder
    are not checked (D8), so ``{{ base_url }}/menu.php`` is fine.

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

    per_element = True

    @classmethod
    def applies(cls, command: Command | None, context: Context) -> bool:
        return has_urls(command)

    @classmethod
    def reads_text(cls, command: Command | None) -> bool:
        return text_url(command)

    @classmethod
    def reads_value(cls, param: Param) -> bool:
        return False  # the attributes are judged one at a time (`attribute`)

    @classmethod
    def reads_attribute(cls, param: Param) -> bool:
        return is_url_param(param)

    def attribute(
        self, ctx: LintContext, rec: Resolved, place: int, pm: ParamMatch, first: bool
    ) -> Iterator[Diagnostic]:
        return self._judge(ctx, attribute_urls(rec, place, pm, first, ctx.settings.templates))

    def element(self, ctx: LintContext, rec: Resolved) -> Iterator[Diagnostic]:
        return self._judge(ctx, element_urls(rec, ctx.settings.templates))

    def _judge(self, ctx: LintContext, urls: list[UrlValue]) -> Iterator[Diagnostic]:
        for url in urls:
            if not is_relative(url.value) or reported_elsewhere(url):
                continue
            guess = absolute_guess(url.value)
            message = (
                f"{url.rec.name} {url.param.name} {url.value!r} is a relative URL; the PBX"
                " requests it itself and needs an absolute http:// or https:// URL"
            )
            if guess:
                message += f"; did you mean {guess!r}?"
            yield self.report(ctx, message, url.span(ctx), suggestion=guess)
