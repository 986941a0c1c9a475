"""Who may do what. Services call these; routes never decide.

Two tables: global actions by global role, and lab actions by lab role. Admins may do every lab
action. A lab the caller is not a member of is answered as absent (404), so ids cannot be probed;
an action beyond the caller's lab role is 403.
"""

from enum import StrEnum
from uuid import UUID

from app.core.errors import Forbidden, NotFound
from app.models.lab import LabRole
from app.models.user import User, UserRole


class Action(StrEnum):
    MANAGE_USERS = "manage_users"
    READ_METRICS = "read_metrics"
    MANAGE_FACTORS = "manage_factors"
    VIEW_INSTITUTION_REPORT = "view_institution_report"
    MANAGE_INSTITUTION_TARGET = "manage_institution_target"
    VALIDATE_YEARS = "validate_years"  # validate, send back or reopen a lab's signed-off year
    READ_AUDIT = "read_audit"  # the whole audit trail, of every lab and of no lab


class LabAction(StrEnum):
    VIEW = "view"  # the lab, its members, entries, imports and reports
    EDIT = "edit"  # the lab's own fields
    DELETE = "delete"
    MANAGE_MEMBERS = "manage_members"
    WRITE_ENTRIES = "write_entries"  # add, edit, delete entries; upload imports
    WRITE_HEADCOUNT = "write_headcount"  # replace or delete a year's FTE by staff category
    WRITE_TARGETS = "write_targets"  # set or remove the lab's reduction target
    SUBMIT_YEAR = "submit_year"  # hand a year in for validation (sign-off)
    READ_AUDIT = "read_audit"  # the lab's audit trail


GLOBAL_RULES: dict[Action, frozenset[UserRole]] = {
    Action.MANAGE_USERS: frozenset({UserRole.ADMIN}),
    Action.READ_METRICS: frozenset({UserRole.ADMIN}),
    Action.MANAGE_FACTORS: frozenset({UserRole.ADMIN}),
    Action.VIEW_INSTITUTION_REPORT: frozenset({UserRole.ADMIN}),
    Action.MANAGE_INSTITUTION_TARGET: frozenset({UserRole.ADMIN}),
    # Whoever validates is not the lab: the institution's administrators.
    Action.VALIDATE_YEARS: frozenset({UserRole.ADMIN}),
    Action.READ_AUDIT: frozenset({UserRole.ADMIN}),
}

_ALL_ROLES = frozenset(LabRole)
LAB_RULES: dict[LabAction, frozenset[LabRole]] = {
    LabAction.VIEW: _ALL_ROLES,
    LabAction.EDIT: frozenset({LabRole.MANAGER}),
    LabAction.DELETE: frozenset({LabRole.MANAGER}),
    LabAction.MANAGE_MEMBERS: frozenset({LabRole.MANAGER}),
    LabAction.WRITE_ENTRIES: frozenset({LabRole.MANAGER, LabRole.CONTRIBUTOR}),
    # Staff figures come from HR, not from whoever records activities.
    LabAction.WRITE_HEADCOUNT: frozenset({LabRole.MANAGER}),
    # A commitment of the lab, as its staff figures: its managers'.
    LabAction.WRITE_TARGETS: frozenset({LabRole.MANAGER}),
    LabAction.SUBMIT_YEAR: frozenset({LabRole.MANAGER}),
    # Who changed what, with their accounts' ids: those who answer for the lab.
    LabAction.READ_AUDIT: frozenset({LabRole.MANAGER}),
}


def is_allowed(user: User, action: Action) -> bool:
    return user.role in GLOBAL_RULES[action]


def authorize(user: User, action: Action) -> None:
    if not is_allowed(user, action):
        raise Forbidden("Your role does not allow this action.")


def sees_every_lab(user: User) -> bool:
    """Admins see every lab and may do every lab action; anyone else only in the labs they are
    a member of (by `LAB_RULES`). Lists and event streams ask this; `authorize_lab` obeys it."""
    return user.role == UserRole.ADMIN


def member_scope(user: User) -> UUID | None:
    """Whose memberships bound the labs `user` may list: None for every lab, else the user's."""
    return None if sees_every_lab(user) else user.id


def authorize_lab(user: User, role: LabRole | None, action: LabAction) -> None:
    """`role` is the user's role in the lab (None: not a member)."""
    if sees_every_lab(user):
        return
    if role is None:
        raise NotFound("No such lab.")
    if role not in LAB_RULES[action]:
        raise Forbidden(f"A lab {role.value} may not do this.")
