"""Report the changes between two OpenAPI 3 documents that break existing clients.

    from openapi_diff import compare
    report = compare(base_document, head_document)  # Report(breaking=..., changelog=...)

See README.md for the rules, the identifiers and the policy behind each rule.
"""

from openapi_diff.accepted import load_accepted, parse_accepted
from openapi_diff.cli import load_document, main
from openapi_diff.compare import compare
from openapi_diff.model import Change, Policy, Report, SpecError
from openapi_diff.render import render

__all__ = [
    "Change",
    "Policy",
    "Report",
    "SpecError",
    "compare",
    "load_accepted",
    "load_document",
    "main",
    "parse_accepted",
    "render",
]
