"""Parameters (path, query, header, cookie), matched by place and name (headers ignoring case,
path parameters by position in the template).

Breaking: a parameter removed (old calls send it: 422 or ignored meaning), a new required one, an
optional one made required, a changed serialisation (`style`, `explode`, `allowReserved`: the
generated client writes arrays and objects another way); schemas are compared as requests."""

from typing import Any

from openapi_diff.context import Diff
from openapi_diff.model import Schema, show
from openapi_diff.rules import schemas
from openapi_diff.spec import Operation, parameter_schema


def compare(diff: Diff, where: str, old: Operation, new: Operation) -> None:
    for key, before in old.parameters.items():
        after = new.parameters.get(key)
        if after is None:
            location = f"{where} {before.get('in')}.{before.get('name')}"
            diff.add("parameter-removed", location, breaking=True)
            continue
        location = f"{where} {after.get('in')}.{after.get('name')}"
        if required(after) and not required(before):
            diff.add("parameter-became-required", location, breaking=True)
        elif required(before) and not required(after):
            diff.add("parameter-became-optional", location, breaking=False)
        _serialisation(diff, location, before, after)
        old_schema, new_schema = parameter_schema(before), parameter_schema(after)
        schemas.compare(diff, old_schema, new_schema, location, "request")
    for key, after in new.parameters.items():
        if key not in old.parameters:
            location = f"{where} {after.get('in')}.{after.get('name')}"
            rule = "parameter-added-required" if required(after) else "parameter-added-optional"
            diff.add(rule, location, breaking=required(after))


def required(parameter: Schema) -> bool:
    return parameter.get("required") is True or parameter.get("in") == "path"


def serialisation(parameter: Schema) -> dict[str, Any]:
    """`style`, `explode` and `allowReserved`, with the defaults OpenAPI gives them."""
    style = parameter.get(
        "style", "form" if parameter.get("in") in {"query", "cookie"} else "simple"
    )
    return {
        "style": style,
        "explode": parameter.get("explode", style == "form"),
        "allowReserved": parameter.get("allowReserved", False),
    }


def _serialisation(diff: Diff, location: str, old: Schema, new: Schema) -> None:
    before_all, after_all = serialisation(old), serialisation(new)
    for key, before in before_all.items():
        after = after_all[key]
        if before != after:
            detail = f"{key} {show(before)} -> {show(after)}"
            diff.add("parameter-serialisation-changed", location, detail, breaking=True)
