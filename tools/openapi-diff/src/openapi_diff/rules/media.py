"""Media types of a request or response body: each is compared on its own.

A request media type removed breaks clients that send it; a response media type removed breaks
clients that ask for it (`Accept`) or parse it. New media types are additive."""

from typing import Any

from openapi_diff.context import Diff
from openapi_diff.model import Direction, obj
from openapi_diff.rules import schemas

DEFAULT_MEDIA_TYPE = "application/json"


def compare(diff: Diff, where: str, old_raw: Any, new_raw: Any, direction: Direction) -> None:
    """`where` is the operation (and status); the field is `body`, after the media type unless
    that is `application/json`."""
    old, new = obj(old_raw), obj(new_raw)
    for media, before in old.items():
        if media not in new:
            diff.add(f"{direction}-media-type-removed", f"{where} {media}", breaking=True)
            continue
        field = "body" if media == DEFAULT_MEDIA_TYPE else f"{media} body"
        old_schema, new_schema = obj(before).get("schema"), obj(new[media]).get("schema")
        schemas.compare(diff, old_schema, new_schema, f"{where} {field}", direction)
    for media in new:
        if media not in old:
            diff.add(f"{direction}-media-type-added", f"{where} {media}", breaking=False)
