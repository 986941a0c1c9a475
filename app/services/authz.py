"""Who may do what. Services call `authorize`; routes never decide.

Global actions are allowed by global role. Lab-scoped rules (manager / contributor / viewer) join
this table when labs exist.
"""

from enum import StrEnum

from app.core.errors import Forbidden
from app.models.user import User, UserRole


class Action(StrEnum):
    MANAGE_USERS = "manage_users"
    READ_METRICS = "read_metrics"


GLOBAL_RULES: dict[Action, frozenset[UserRole]] = {
    Action.MANAGE_USERS: frozenset({UserRole.ADMIN}),
    Action.READ_METRICS: frozenset({UserRole.ADMIN}),
}


def is_allowed(user: User, action: Action) -> bool:
    return user.role in GLOBAL_RULES[action]


def authorize(user: User, action: Action) -> None:
    if not is_allowed(user, action):
        raise Forbidden("Your role does not allow this action.")
