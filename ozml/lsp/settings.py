"""What the language server is told: the editor's options and the workspace's ozml configuration.

Lint settings come from the same configuration `ozml check` reads (``ozml.toml`` or
``[tool.ozml]`` in ``pyproject.toml``, found from each document's folder upwards), so the editor
and the command line agree; so does which files it leaves out (its ``exclude``). The editor adds
only what concerns the editor: how long to wait after a keystroke, where rule documentation
lives, and an optional context override.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ozml.catalog import Context
from ozml.config import ConfigError, Resolver
from ozml.lint import LintSettings

if TYPE_CHECKING:
    from ozml.formatter import FormatOptions

#: The documentation pages of the rules in a source checkout (``docs/rules/OZ201.md``).
_CHECKOUT_RULE_DOCS = Path(__file__).resolve().parent.parent.parent / "docs" / "rules"


@attrs.frozen
class ServerOptions:
    """Editor-side options (``initializationOptions`` or the ``ozml`` configuration section)."""

    #: Overrides the configured context for every document (``extension``, ``3pcc``, ...).
    context: Context | None = None
    #: Quiet time after an edit before linting, in milliseconds (0: lint at once; a burst of
    #: edits is still linted once for its last version).
    debounce_ms: int = 0
    #: Link template for rule documentation, with ``{code}`` and ``{name}``; None: the rule pages
    #: of a source checkout when present, else no link.
    rule_docs_url: str | None = None

    @classmethod
    def from_client(cls, raw: object) -> tuple[ServerOptions, list[str]]:
        """Options from the editor's JSON, and a message for each value that was ignored."""
        problems: list[str] = []
        if not isinstance(raw, Mapping):
            return cls(), problems if raw is None else [f"ozml options must be an object: {raw!r}"]
        values: dict[str, Any] = {}
        # An empty text means "not set" (an editor's settings page writes "" for a cleared field).
        if (context := raw.get("context")) is not None and context != "":
            try:
                values["context"] = Context.parse(str(context))
            except ValueError as error:
                problems.append(f"ozml.context: {error}")
        if (debounce := raw.get("debounceMs")) is not None:
            if (
                isinstance(debounce, int)
                and not isinstance(debounce, bool)
                and 0 <= debounce <= 5000
            ):
                values["debounce_ms"] = debounce
            else:
                problems.append(f"ozml.debounceMs must be a whole number 0-5000, not {debounce!r}")
        if (url := raw.get("ruleDocsUrl")) is not None and url != "":
            if isinstance(url, str) and "{code}" in url and _template_works(url):
                values["rule_docs_url"] = url
            else:
                problems.append(
                    "ozml.ruleDocsUrl must be a text with {code} in it (and no other {...} than"
                    f" {{name}}; write {{{{ and }}}} for braces): {url!r}"
                )
        return cls(**values), problems

    def rule_link(self, code: str, name: str) -> str | None:
        """Where the documentation of a rule is, if known."""
        if self.rule_docs_url is not None:
            return self.rule_docs_url.format(code=code, name=name)
        return _checkout_page(code)


@functools.lru_cache(maxsize=256)
def _checkout_page(code: str) -> str | None:
    """The rule's page in the checkout ozml runs from, if there is one: looked up once per
    code (a path made and a file system call per finding took half of converting 8,000
    findings for the editor)."""
    page = _CHECKOUT_RULE_DOCS / f"{code}.md"
    return page.as_uri() if page.is_file() else None


class ProjectSettings:
    """Each file's lint settings from the project's configuration, as `ozml check` finds them.

    Configurations are read once per folder; `reload` forgets them (a configuration file
    changed). A configuration that cannot be used is reported through `problem` and the file is
    linted with the defaults meanwhile.
    """

    def __init__(
        self,
        problem: Callable[[str], None],
        *,
        config_file: Path | None = None,
        isolated: bool = False,
    ) -> None:
        self._problem = problem
        #: ``ozml lsp --config FILE``: this configuration for every document, none looked up.
        self.config_file = config_file
        #: ``ozml lsp --isolated``: no configuration file at all.
        self.isolated = isolated
        self._reported: set[str] = set()
        self._resolver = self._new_resolver()
        #: `excluded_by` of each file asked about.
        self._excluded: dict[Path, str | None] = {}

    def _new_resolver(self) -> Resolver:
        try:
            return Resolver(config_file=self.config_file, isolated=self.isolated)
        except ConfigError as error:  # --config's file became unusable since the start
            self._report(f"ozml: {error}; linting with the default settings")
            return Resolver(isolated=True)

    def _report(self, message: str) -> None:
        if message not in self._reported:
            self._reported.add(message)
            self._problem(message)

    def reload(self) -> None:
        self._reported = set()
        self._resolver = self._new_resolver()
        self._excluded = {}

    def forget(self, path: Path) -> None:
        """Drop what is kept for one file (its document was closed)."""
        self._excluded.pop(path, None)

    def largest_max_bytes(self, folders: Iterable[Path]) -> int:
        """The largest ``max-bytes`` of the configurations of `folders` (``--config``'s, when
        given) and the default's: how large a document the server may be sent to lint. A
        configuration that cannot be used counts as the defaults (`for_file` reports it)."""
        from ozml.files import DEFAULT_MAX_BYTES

        largest = DEFAULT_MAX_BYTES
        for folder in folders:
            try:
                config = self._resolver.config_in(folder)
            except ConfigError:
                continue
            if config is not None and config.max_bytes is not None:
                largest = max(largest, config.max_bytes)
        return largest

    def excluded_by(self, path: Path | None) -> str | None:
        """The configuration whose ``exclude`` leaves the file out (its label), None when none
        does: ``ozml check`` and ``ozml fmt`` leave out a file named on their command line
        when an exclude glob matches its path, here the path from the configuration's folder
        (the built-in excludes, such as ``.git``, apply to walked folders only)."""
        if path is None:
            return None
        if path in self._excluded:
            return self._excluded[path]
        found: str | None = None
        try:
            config = self._resolver.config_in(path.parent)
        except ConfigError:
            config = None  # reported by `for_file`, which the lint asks next
        if config is not None and self._resolver.excludes(config, path):
            found = config.label
        self._excluded[path] = found
        return found

    def for_file(self, path: Path | None) -> LintSettings:
        if path is None:
            return LintSettings()
        try:
            return self._resolver.settings_for(path)
        except ConfigError as error:
            self._report(f"ozml: {error}; linting with the default settings")
            return LintSettings()

    def format_for(self, path: Path | None) -> FormatOptions:
        """The formatter's settings of a file: the ``[format]`` table of its configuration, as
        ``ozml fmt`` would use them (the defaults for an unsaved document)."""
        from ozml.config import format_options

        if path is None:
            return format_options(None)
        try:
            return format_options(self._resolver.config_in(path.parent))
        except ConfigError as error:
            self._report(f"ozml: {error}; formatting with the default settings")
            return format_options(None)


def _template_works(template: str) -> bool:
    """Whether a link template fills in with a code and a name alone (``{0}``, ``{other}`` or a
    lone brace would fail on every diagnostic)."""
    try:
        template.format(code="OZ000", name="name")
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return False
    return True


def lint_settings(base: LintSettings, options: ServerOptions) -> LintSettings:
    """The settings a document is linted with: its configuration, then the editor's override."""
    if options.context is not None:
        # Like --context on the command line: an inline context comment does not override it.
        return base.replace(
            context=options.context, context_origin="the editor", context_locked=True
        )
    return base
