"""Generates `ozml/lint/manifest.py`: what the linter needs to know of each rule to decide,
without importing it, whether a document can need it.

For each rule of `ozml.lint.registry.RULES`, in that order: its code, its module and class,
what kind of rule it is (the parser's, one element at a time, the whole document, a project
rule, or a suppression rule whose findings `ozml.lint.noqa` makes), the commands a
whole-document rule `needs`, whether it finds nothing without a ``$`` (`needs_dollar`), and
for an element rule, in each context, the elements it `applies` to. Everything is read from
the rules and the catalog, so the manifest says nothing of its own: ``python -m ozml.generate
--check`` fails when it differs from what they say.
"""

from __future__ import annotations

from pathlib import Path

from ozml.catalog import ALL, Context
from ozml.lint.registry import RULES
from ozml.lint.rule import Rule

TARGET = Path("ozml/lint/manifest.py")

HEADER = '''\
"""What the linter needs to know of each rule of `ozml.lint.registry.RULES` (in its order) to
decide whether a document can need it, without importing it (generated from the rules and the
catalog by ``python -m ozml.generate``: do not edit).

A run of ``ozml check`` imports only the rules a document can trigger
(`ozml.lint.linter.LazyRules`): the element rules that apply to one of its elements in its
context, the whole-document rules whose needed commands it holds (or that need none), and
of those that need a ``$`` (`DOLLAR`), only where its text holds one.
`KIND` is what `ozml.lint.linter.Plan` makes of a rule: ``parser`` (the parser reports its
findings), ``element`` (`Rule.per_element`), ``whole`` (a `check` or a `fold` of its own),
``project`` (`Rule.project_rule`: never run on one document) and ``suppression`` (neither:
its findings are made by `ozml.lint.noqa`).
"""

from __future__ import annotations

#: The catalog's elements (`ozml.catalog.ALL`) by name: bit i of a mask in `APPLIES` stands
#: for ``ELEMENTS[i]``, and bit ``len(ELEMENTS)`` for an unknown element.
'''


def _mask(rule: type[Rule], context: Context) -> int:
    mask = 0
    for bit, command in enumerate(ALL):
        if rule.applies(command, context):
            mask |= 1 << bit
    if rule.applies(None, context):
        mask |= 1 << len(ALL)
    return mask


def _tuple(items: list[str]) -> str:
    """A tuple of `items` (Python expressions) as Python writes it."""
    if len(items) == 1:
        return f"({items[0]},)"
    return f"({', '.join(items)})"


def generate() -> str:
    lines = [HEADER.rstrip("\n")]
    lines.append("ELEMENTS: tuple[str, ...] = (")
    lines.extend(f'    "{command.name}",' for command in ALL)
    lines.append(")")
    lines.append("")
    lines.append("#: By rule: (code, module under ``ozml.lint.rules``, class).")
    lines.append("RULES: tuple[tuple[str, str, str], ...] = (")
    for rule in RULES:
        module = rule.__module__.rpartition(".")[2]
        lines.append(f'    ("{rule.code}", "{module}", "{rule.__name__}"),')
    lines.append(")")
    lines.append("")
    lines.append("#: By rule: its kind (see above).")
    lines.append("KIND: tuple[str, ...] = (")
    lines.extend(f'    "{rule.kind()}",' for rule in RULES)
    lines.append(")")
    lines.append("")
    lines.append("#: By rule: the commands a whole-document rule needs (`Rule.needs`; empty: any).")
    lines.append("NEEDS: tuple[tuple[str, ...], ...] = (")
    for rule in RULES:
        needs = _tuple([f'"{name}"' for name in sorted(rule.needs)])
        lines.append(f"    {needs},")
    lines.append(")")
    lines.append("")
    lines.append(
        "#: By rule: whether a whole-document rule finds nothing in a document without a ``$``"
    )
    lines.append("#: (`Rule.needs_dollar`).")
    lines.append("DOLLAR: tuple[bool, ...] = (")
    lines.extend(f"    {rule.needs_dollar}," for rule in RULES)
    lines.append(")")
    lines.append("")
    lines.append("#: The contexts of a tuple of masks in `APPLIES`, in order (`Context.value`).")
    contexts = _tuple([f'"{context.value}"' for context in Context])
    lines.append(f"CONTEXTS: tuple[str, ...] = {contexts}")
    lines.append("")
    lines.append(
        "#: By rule: for an element rule, in each of `CONTEXTS`, the elements it `applies` to"
        " (a mask"
    )
    lines.append("#: of `ELEMENTS`); None for the others.")
    lines.append("APPLIES: tuple[tuple[int, ...] | None, ...] = (")
    for rule in RULES:
        if rule.kind() != "element":
            lines.append("    None,")
            continue
        masks = _tuple([f"{_mask(rule, context):#x}" for context in Context])
        lines.append(f"    {masks},")
    lines.append(")")
    return "\n".join(lines) + "\n"


def outputs(root: Path) -> dict[Path, str]:
    return {TARGET: generate()}
