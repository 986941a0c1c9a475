"""`compare(base, head)`: every rule over two documents."""

from openapi_diff.context import Diff
from openapi_diff.model import Policy, Report, Schema
from openapi_diff.rules import components, operations, security_schemes, servers
from openapi_diff.spec import Spec, validate


def compare(base: Schema, head: Schema, policy: Policy | None = None) -> Report:
    """Breaking and changelog changes from `base` to `head`; SpecError on invalid input."""
    validate(base, "base")
    validate(head, "head")
    diff = Diff(Spec(base, "base"), Spec(head, "head"), policy or Policy())
    servers.compare(diff)
    security_schemes.compare(diff)
    operations.compare(diff)
    components.compare(diff)
    return diff.changes.report()
