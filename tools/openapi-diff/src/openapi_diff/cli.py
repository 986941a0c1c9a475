"""`openapi-diff BASE HEAD [--accepted BREAKING.md]` (also `python -m openapi_diff`).

Exit status: 0 when there is no unaccepted breaking change, 1 when there is at least one, 2 on
invalid input (unreadable file, not JSON, not an OpenAPI 3 document, a dangling or external
`$ref`)."""

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from openapi_diff.accepted import load_accepted
from openapi_diff.compare import compare
from openapi_diff.model import Direction, Policy, Schema, SpecError
from openapi_diff.render import render
from openapi_diff.spec import validate


def load_document(path: Path) -> Schema:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{path}: cannot read ({error})") from error
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as error:
        raise SpecError(f"{path}: not JSON ({error})") from error
    validate(doc, str(path))
    assert isinstance(doc, dict)  # validate() checked it
    return doc


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openapi-diff",
        description="Report the changes between two OpenAPI documents that break clients.",
        epilog="Exit status: 0 no unaccepted breaking change, 1 breaking, 2 invalid input.",
    )
    parser.add_argument("base", type=Path, help="the OpenAPI document clients were built from")
    parser.add_argument("head", type=Path, help="the new OpenAPI document")
    parser.add_argument("--accepted", type=Path, help="markdown list of accepted identifiers")
    parser.add_argument(
        "--tolerant-enums",
        action="store_true",
        help="a new response enum value is not breaking (only when every client tolerates it)",
    )
    parser.add_argument(
        "--unused-schemas",
        choices=["response", "request", "both"],
        default="response",
        help="read component schemas no operation uses as responses (default), requests or both",
    )
    return parser


_READ_AS: dict[str, tuple[Direction, ...]] = {
    "response": ("response",),
    "request": ("request",),
    "both": ("request", "response"),
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    policy = Policy(
        response_enum_addition_breaks=not args.tolerant_enums,
        unused_schemas_read_as=_READ_AS[args.unused_schemas],
    )
    try:
        report = compare(load_document(args.base), load_document(args.head), policy)
        accepted = load_accepted(args.accepted)
    except SpecError as error:
        sys.stderr.write(f"openapi-diff: error: {error}\n")
        return 2
    sys.stdout.write(render(report, accepted) + "\n")
    return 1 if report.unaccepted(accepted) else 0
