"""Request bodies: a body removed, or newly required, breaks existing calls; the rest is the
media types' and schemas' business."""

from typing import Any

from openapi_diff.context import Diff
from openapi_diff.rules import media


def compare(diff: Diff, where: str, old_raw: Any, new_raw: Any) -> None:
    old, new = diff.base.resolve(old_raw)[0], diff.head.resolve(new_raw)[0]
    if not isinstance(old, dict) or not isinstance(new, dict):
        if isinstance(old, dict):
            diff.add("request-body-removed", where, breaking=True)
        elif isinstance(new, dict) and new.get("required") is True:
            diff.add("request-body-became-required", where, "new", breaking=True)
        elif isinstance(new, dict):
            diff.add("request-body-added", where, "optional", breaking=False)
        return
    if new.get("required") is True and old.get("required") is not True:
        diff.add("request-body-became-required", where, breaking=True)
    elif old.get("required") is True and new.get("required") is not True:
        diff.add("request-body-became-optional", where, breaking=False)
    media.compare(diff, where, old.get("content"), new.get("content"), "request")
