"""What every rule works with: both documents, the policy, and the changes found so far."""

from dataclasses import dataclass, field

from openapi_diff.model import Changes, Policy
from openapi_diff.spec import Spec

# Pairs of `$ref`s (base, head) being compared: recursion stops when one comes round again.
Stack = frozenset[tuple[str | None, str | None]]


@dataclass
class Diff:
    base: Spec
    head: Spec
    policy: Policy = field(default_factory=Policy)
    changes: Changes = field(default_factory=Changes)

    def add(self, rule: str, location: str, detail: str = "", *, breaking: bool) -> None:
        self.changes.add(rule, location, detail, breaking=breaking)

    def spec(self, old: bool) -> Spec:
        return self.base if old else self.head
