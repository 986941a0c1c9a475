"""What a comparison produces: changes, the report, the policy, and the input error."""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Schema = dict[str, Any]
Direction = Literal["request", "response"]


class SpecError(Exception):
    """The input is not a usable OpenAPI document (exit status 2)."""


@dataclass(frozen=True)
class Change:
    rule: str
    location: str
    detail: str
    breaking: bool

    @property
    def identifier(self) -> str:
        return f"{self.rule}: {self.location}"


@dataclass(frozen=True)
class Report:
    breaking: tuple[Change, ...]
    changelog: tuple[Change, ...]

    def unaccepted(self, accepted: Mapping[str, str]) -> list[Change]:
        """Breaking changes not listed with a non-empty reason in `accepted`."""
        return [change for change in self.breaking if not accepted.get(change.identifier)]


@dataclass(frozen=True)
class Policy:
    """Choices that depend on the clients generated from the document.

    `response_enum_addition_breaks`: a new value in a response enum (or a changed `const`) is
    breaking. True by default: openapi-python-client 0.29 parses enums strictly (`Role(value)`
    raises ValueError) and TypeScript exhaustive switches stop compiling. Set it to False only
    when every client tolerates unknown values.

    `unused_schemas_read_as`: how component schemas that no operation reaches (the messages of
    a WebSocket, added so that clients get their types) are compared. The document gives them
    no direction; by default they are responses (the server sends them, clients parse them), so
    a message gaining a required property is additive. Add "request" when clients send them.
    """

    response_enum_addition_breaks: bool = True
    unused_schemas_read_as: tuple[Direction, ...] = ("response",)


class Changes:
    """Collects changes; several findings of one rule at one location become one change."""

    def __init__(self) -> None:
        self._changes: dict[str, Change] = {}

    def add(self, rule: str, location: str, detail: str = "", *, breaking: bool) -> None:
        change = Change(rule, location, detail, breaking)
        known = self._changes.get(change.identifier)
        if known is None:
            self._changes[change.identifier] = change
            return
        joined = known.detail
        if detail and detail not in known.detail.split("; "):
            joined = f"{known.detail}; {detail}" if known.detail else detail
        merged = Change(rule, location, joined, known.breaking or breaking)
        self._changes[change.identifier] = merged

    def report(self) -> Report:
        changes = list(self._changes.values())
        return Report(
            breaking=tuple(change for change in changes if change.breaking),
            changelog=tuple(change for change in changes if not change.breaking),
        )


def obj(value: Any) -> Schema:
    """`value` if it is a JSON object, else an empty one."""
    return value if isinstance(value, dict) else {}


def names(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def show(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value)


def same(left: Any, right: Any) -> bool:
    """Equal as JSON values (key order ignored; `1` and `true` differ)."""
    return json.dumps(left, sort_keys=True) == json.dumps(right, sort_keys=True)
