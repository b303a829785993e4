"""The one list of ozml's rules, in code order. A new rule module is added here.

`RULES` is every rule: what ``ozml rules``, ``ozml rule``, shell completion, SARIF's driver
rules, the reference pages and noqa's "did you mean" list, and what `find`, `BY_CODE` and
`BY_NAME` look up. Most rules read one document; the project rules (`Rule.project_rule`, the
cross-document rules OZ811-OZ815 of docs/project.md) read a whole application and run only in
the project pass (`ozml.lint.project`). Whatever runs rules on one document leaves them out
by that flag (`ozml.lint.linter.active_rules`); there is no second list to drift from this one.
`ozml.lint.manifest` is generated from it (``python -m ozml.generate``): what the linter needs
to import only the rules a document can trigger (`ozml.lint.linter.LazyRules`), without this
module, which imports every rule.
"""

from __future__ import annotations

from ozml.lint.rule import Rule
from ozml.lint.rules.child_not_allowed import ChildNotAllowed
from ozml.lint.rules.command_not_in_context import CommandNotInContext
from ozml.lint.rules.dead_link import DeadLink
from ozml.lint.rules.duplicate_input_key import DuplicateInputKey
from ozml.lint.rules.duplicate_parameter import DuplicateParameter
from ozml.lint.rules.endless_goto_loop import EndlessGotoLoop
from ozml.lint.rules.forbidden_dtd import ForbiddenDtd
from ozml.lint.rules.growing_variable import GrowingVariable
from ozml.lint.rules.http_only_command import HttpOnlyCommand
from ozml.lint.rules.input_too_large import InputTooLarge
from ozml.lint.rules.invalid_directive import InvalidDirective
from ozml.lint.rules.invalid_input_key import InvalidInputKey
from ozml.lint.rules.invalid_value import InvalidValue
from ozml.lint.rules.item_outside_foreach import ItemOutsideForeach
from ozml.lint.rules.legacy_name import LegacyName
from ozml.lint.rules.linked_context_mismatch import LinkedContextMismatch
from ozml.lint.rules.malformed_url import MalformedUrl
from ozml.lint.rules.menu_without_exit import MenuWithoutExit
from ozml.lint.rules.missing_parameter import MissingParameter
from ozml.lint.rules.misspelt_name import MisspeltName
from ozml.lint.rules.non_canonical_case import NonCanonicalCase
from ozml.lint.rules.not_well_formed import NotWellFormed
from ozml.lint.rules.parameter_not_in_context import ParameterNotInContext
from ozml.lint.rules.reject_not_first import RejectNotFirst
from ozml.lint.rules.relative_url import RelativeUrl
from ozml.lint.rules.text_and_attribute import TextAndAttribute
from ozml.lint.rules.text_not_allowed import TextNotAllowed
from ozml.lint.rules.undefined_array import UndefinedArray
from ozml.lint.rules.undefined_linked_variable import UndefinedLinkedVariable
from ozml.lint.rules.undefined_variable import UndefinedVariable
from ozml.lint.rules.undocumented_command import UndocumentedCommand
from ozml.lint.rules.unknown_attribute import UnknownAttribute
from ozml.lint.rules.unknown_element import UnknownElement
from ozml.lint.rules.unknown_noqa_code import UnknownNoqaCode
from ozml.lint.rules.unreachable_command import UnreachableCommand
from ozml.lint.rules.unreachable_document import UnreachableDocument
from ozml.lint.rules.unused_noqa import UnusedNoqa
from ozml.lint.rules.unused_variable import UnusedVariable
from ozml.lint.rules.wrong_root import WrongRoot

RULES: tuple[type[Rule], ...] = tuple(
    sorted(
        (
            NotWellFormed,
            ForbiddenDtd,
            InputTooLarge,
            WrongRoot,
            UnknownElement,
            UnknownAttribute,
            ChildNotAllowed,
            TextNotAllowed,
            TextAndAttribute,
            DuplicateParameter,
            MissingParameter,
            InvalidValue,
            LegacyName,
            MisspeltName,
            NonCanonicalCase,
            RejectNotFirst,
            UnreachableCommand,
            HttpOnlyCommand,
            UndocumentedCommand,
            CommandNotInContext,
            ParameterNotInContext,
            UndefinedVariable,
            UnusedVariable,
            UndefinedArray,
            ItemOutsideForeach,
            GrowingVariable,
            DuplicateInputKey,
            InvalidInputKey,
            MenuWithoutExit,
            MalformedUrl,
            RelativeUrl,
            DeadLink,
            UnreachableDocument,
            EndlessGotoLoop,
            UndefinedLinkedVariable,
            LinkedContextMismatch,
            UnusedNoqa,
            UnknownNoqaCode,
            InvalidDirective,
        ),
        key=lambda rule: rule.code,
    )
)

#: The codes of the project rules: the per-file pass never calls a suppression of one unused.
PROJECT_CODES: frozenset[str] = frozenset(rule.code for rule in RULES if rule.project_rule)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in RULES}
BY_NAME: dict[str, type[Rule]] = {rule.name: rule for rule in RULES}


def find(code_or_name: str) -> type[Rule] | None:
    """A rule by code (``OZ201``, any case) or by name (``missing-parameter``)."""
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())
