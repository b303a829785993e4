"""The server-side template syntaxes ozml knows, by the names the ``templates`` setting takes.

Kept apart from `ozml.templates` (which finds and masks the parts) so that reading a setting or a
configuration does not load the document model: ``ozml check`` on a clean file never needs it
(cold start, docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from ozml.record import Record


class Syntax(Record):
    """One template syntax: its name in the ``templates`` setting and its (opener, closer) pairs."""

    name: str
    delimiters: tuple[tuple[str, str], ...]
    description: str

    def __init__(
        self, name: str, delimiters: tuple[tuple[str, str], ...], description: str
    ) -> None:
        self._assign(locals())


#: Every syntax ozml knows, by its name in the ``templates`` setting.
SYNTAXES: dict[str, Syntax] = {
    s.name: s
    for s in (
        Syntax(
            "php",
            (("<?php", "?>"), ("<?=", "?>")),
            "PHP: <?php ... ?> and <?= ... ?> (also in attribute values and tags)",
        ),
        Syntax(
            "asp",
            (("<%", "%>"),),
            "ASP, ASP.NET, JSP scriptlets, ERB and EJS: <% ... %>, <%= ... %>, <%# ... %>",
        ),
        Syntax(
            "jinja",
            (("{{", "}}"), ("{%", "%}"), ("{#", "#}")),
            "Jinja, Twig, Django, Liquid, Nunjucks, Handlebars and Mustache:"
            " {{ ... }}, {% ... %}, {# ... #}",
        ),
        Syntax(
            "el",
            (("${", "}"),),
            "expression language: JSP/JSF EL, JavaScript template literals, FreeMarker, Velocity:"
            " ${...}",
        ),
    )
}

#: Other names users know these syntaxes by; each stands for the syntaxes it lists.
ALIASES: dict[str, tuple[str, ...]] = {
    "erb": ("asp",),
    "ejs": ("asp",),
    "aspnet": ("asp",),
    "jsp": ("asp", "el"),
    "twig": ("jinja",),
    "django": ("jinja",),
    "liquid": ("jinja",),
    "nunjucks": ("jinja",),
    "handlebars": ("jinja",),
    "mustache": ("jinja",),
    "freemarker": ("el",),
    "velocity": ("el",),
}

#: The syntaxes recognised when nothing says otherwise: all of them.
DEFAULT: frozenset[str] = frozenset(SYNTAXES)


def names(items: Iterable[str]) -> frozenset[str]:
    """The syntaxes that `items` (names or aliases, any letter case) stand for; `ValueError`
    naming the first one that is neither, with the closest known name."""
    if isinstance(items, frozenset) and items <= DEFAULT:
        return items  # names already (as settings hold them): every parse asks
    found: set[str] = set()
    for item in items:
        key = item.strip().lower()
        if key in SYNTAXES:
            found.add(key)
        elif key in ALIASES:
            found.update(ALIASES[key])
        else:
            import difflib  # only for the message

            close = difflib.get_close_matches(key, [*SYNTAXES, *ALIASES], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            known = ", ".join([*SYNTAXES, *ALIASES])
            raise ValueError(f"{item!r} is not a template syntax{hint} (known: {known})")
    return frozenset(found)


__all__ = ["ALIASES", "DEFAULT", "SYNTAXES", "Syntax", "names"]
