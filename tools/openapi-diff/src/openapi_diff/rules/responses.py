"""Responses: statuses, their bodies and their headers.

A status removed breaks clients that handle it (generated clients type each status). A response
header removed, or no longer always sent (`required`), breaks code that reads it (`Retry-After`,
`Location`); header schemas are compared like response bodies. Additions are changelog lines."""

from openapi_diff.context import Diff
from openapi_diff.model import Schema, obj
from openapi_diff.rules import media, schemas
from openapi_diff.spec import Spec, parameter_schema


def compare(diff: Diff, where: str, old: Schema, new: Schema) -> None:
    for status, before in old.items():
        location = f"{where} {status}"
        if status not in new:
            diff.add("response-status-removed", location, breaking=True)
            continue
        old_response = obj(diff.base.resolve(before)[0])
        new_response = obj(diff.head.resolve(new[status])[0])
        media.compare(
            diff, location, old_response.get("content"), new_response.get("content"), "response"
        )
        _headers(diff, location, old_response, new_response)
    for status in new:
        if status not in old:
            diff.add("response-status-added", f"{where} {status}", breaking=False)


def headers(spec: Spec, response: Schema) -> dict[str, tuple[str, Schema]]:
    """Lower-cased name -> (name as written, resolved header object)."""
    found: dict[str, tuple[str, Schema]] = {}
    for name, raw in obj(response.get("headers")).items():
        found[name.lower()] = (name, obj(spec.resolve(raw)[0]))
    return found


def _headers(diff: Diff, location: str, old_response: Schema, new_response: Schema) -> None:
    before, after = headers(diff.base, old_response), headers(diff.head, new_response)
    for key, (name, old) in before.items():
        where = f"{location} header.{name}"
        if key not in after:
            diff.add("response-header-removed", where, breaking=True)
            continue
        new = after[key][1]
        if old.get("required") is True and new.get("required") is not True:
            diff.add("response-header-became-optional", where, breaking=True)
        elif new.get("required") is True and old.get("required") is not True:
            diff.add("response-header-became-required", where, breaking=False)
        schemas.compare(diff, parameter_schema(old), parameter_schema(new), where, "response")
    for key, (name, _) in after.items():
        if key not in before:
            diff.add("response-header-added", f"{location} header.{name}", breaking=False)
