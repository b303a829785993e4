from __future__ import annotations

from collections.abc import Iterator

from ozml.catalog import messages
from ozml.diagnostics import Diagnostic, Severity
from ozml.lint.context import LintContext
from ozml.lint.rule import Severities, listing
from ozml.lint.urls import URL_PARAMS, UrlRule, UrlValue, problem, reported_elsewhere


class MalformedUrl(UrlRule):
    """A URL parameter that the PBX cannot request.

    The PBX fetches the URLs of Call (Url, ErrorUrl, FinishedUrl), UserInput (ForwardToURL),
    GoTo, Record and BlindTransfer (FinishedUrl), SendSms (DeliveryReportURL),
    SendAlarmNotification (ResultUrl) and CallSetup (ErrorUrl) itself, over HTTP. A URL with a
    misspelt scheme (``htp://``), a missing colon (``http//``), no host (``http:/app``), a bad
    port or another scheme (``ftp:``) never reaches the application: the notification is lost,
    and for Call's Url the call is hung up. Values with a ``$variable`` or a template placeholder
    are not checked (D8); an SQL query given to GoTo is not a URL.

    Fails::

        <Response>
          <Call Url="htp://app.example.com/connected.php">102</Call>
        </Response>

    Passes::

        <Response>
          <Call Url="http://app.example.com/connected.php">102</Call>
        </Response>
    """

    code = "OZ804"
    name = "malformed-url"
    severity = Severity.ERROR

    @classmethod
    def severities(cls) -> Severities:
        unsure = [
            f"{name}'s {p.name}" for name, params in URL_PARAMS.items() for p in params
            if not p.typed.stated
        ]
        return Severities(
            Severity.ERROR,
            Severity.WARNING,
            f"the parameter's being a URL is assumed: {listing(unsure)}; or the text is"
            " literal only by ozml's rule that a CDATA section holds no template part",
        )

    def judge(self, ctx: LintContext, urls: list[UrlValue]) -> Iterator[Diagnostic]:
        for url in urls:
            wrong = problem(url.value)
            if wrong is None or reported_elsewhere(url):
                continue
            found = self.report(
                ctx,
                messages.malformed_url(url.rec.name, url.param.name, url.value, wrong),
                url.span(ctx),
            )
            yield url.judged(ctx, ctx.grounded(found, url.param.typed))
