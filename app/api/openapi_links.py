"""OpenAPI links: which response supplies which path parameter of which other operation.

Clients and schemathesis' stateful phase follow them (create a lab, then read, change and delete
it). They are derived from the document, so a new route gets its links without a table:

- A response schema is the resource of the path parameter `{p}` when `GET …/{p}` (or
  `GET …/{p}/<word>`) answers it and it has an `id` (`LabPublic.id` is `lab_id`, `JobStatus.id`
  is `job_id`; or, at a key the client chooses, when `PUT …/{p}` answers it too and it has a
  property `p`: `HeadcountYearPublic.year`), or when `POST C` answers it, operations exist at
  `C/{p}`, and it has an `id` or a property named `p` (`ApiKeyCreated.id` is `key_id`,
  `MemberPublic.user_id` is `user_id`).
- Every operation whose success response is such a resource links to every other operation that
  needs that parameter; the target's other path parameters must be the source's own, passed on
  from its request path. A target whose JSON body requires `version` gets the one in the
  response, so a chain of writes is not refused as stale. Lists get no links: their first item
  is often missing (an empty or filtered page), and each resource is reached from its creation.
"""

import re
from typing import Any

_METHODS = ("get", "put", "post", "patch", "delete")
_PARAMETER = re.compile(r"^\{(\w+)\}$")
_JSON = "application/json"

Operation = tuple[str, str, dict[str, Any]]  # path, method, operation


def _operations(schema: dict[str, Any]) -> list[Operation]:
    return [
        (path, method, operation)
        for path, item in schema.get("paths", {}).items()
        for method, operation in item.items()
        if method in _METHODS
    ]


def _path_parameters(path: str) -> list[str]:
    return [match.group(1) for part in path.split("/") if (match := _PARAMETER.match(part))]


def _ref_name(schema: Any) -> str | None:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    prefix = "#/components/schemas/"
    return ref[len(prefix) :] if isinstance(ref, str) and ref.startswith(prefix) else None


def _success_schemas(operation: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(status, JSON schema) of each 2xx response with a JSON body."""
    found = []
    for status, response in operation.get("responses", {}).items():
        schema = response.get("content", {}).get(_JSON, {}).get("schema")
        if status.startswith("2") and isinstance(schema, dict):
            found.append((status, schema))
    return found


def _resource_parameter(path: str, method: str) -> str | None:
    """`p` for `GET …/{p}` and `GET …/{p}/<word>`."""
    if method != "get":
        return None
    parts = path.rstrip("/").split("/")
    for part in parts[-1:-3:-1]:
        if match := _PARAMETER.match(part):
            return match.group(1)
    return None


def resources(schema: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Component name → (path parameter it supplies, its property holding the value)."""
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    paths = list(schema.get("paths", {}))
    found: dict[str, tuple[str, str]] = {}

    def add(name: str, parameter: str, field: str) -> None:
        if found.setdefault(name, (parameter, field)) != (parameter, field):
            raise RuntimeError(
                f"{name} would supply both {found[name][0]} and {parameter}: add no link"
            )

    for path, method, operation in _operations(schema):
        for _, success in _success_schemas(operation):
            name = _ref_name(success)
            if name is None:
                continue
            properties = components.get(name, {}).get("properties", {})
            parameter = _resource_parameter(path, method)
            if parameter is not None and "id" in properties:
                add(name, parameter, "id")
            elif parameter is not None and parameter in properties and _put_at(schema, path, name):
                add(name, parameter, parameter)
            if method != "post":
                continue
            for other in paths:
                rest = other[len(path) :] if other.startswith(path + "/") else ""
                match = _PARAMETER.match(rest[1:]) if rest.count("/") == 1 else None
                if match is None:
                    continue
                parameter = match.group(1)
                field = "id" if "id" in properties else parameter
                if field in properties:
                    add(name, parameter, field)
    return found


def _put_at(schema: dict[str, Any], path: str, name: str) -> bool:
    """Whether `PUT path` answers the component `name`: a resource at a key the client chooses."""
    put = schema.get("paths", {}).get(path, {}).get("put", {})
    return any(_ref_name(success) == name for _, success in _success_schemas(put))


def _requires_version(operation: dict[str, Any], components: dict[str, Any]) -> bool:
    body = operation.get("requestBody", {}).get("content", {}).get(_JSON, {}).get("schema")
    name = _ref_name(body)
    return name is not None and "version" in components.get(name, {}).get("required", [])


def add_links(schema: dict[str, Any]) -> None:
    """Add `links` to every success response that supplies another operation's path parameter."""
    components: dict[str, Any] = schema.get("components", {}).get("schemas", {})
    supplied = resources(schema)
    operations = _operations(schema)
    for source_path, _, source in operations:
        own = set(_path_parameters(source_path))
        for status, success in _success_schemas(source):
            name = _ref_name(success)
            if name is None or name not in supplied:
                continue
            parameter, field = supplied[name]
            has_version = "version" in components.get(name, {}).get("properties", {})
            links: dict[str, Any] = {}
            for target_path, _, target in operations:
                needed = _path_parameters(target_path)
                if target is source or parameter not in needed:
                    continue
                if not set(needed) - {parameter} <= own:
                    continue
                link: dict[str, Any] = {
                    "operationId": target["operationId"],
                    "parameters": {
                        name_: (
                            f"$response.body#/{field}"
                            if name_ == parameter
                            else f"$request.path.{name_}"
                        )
                        for name_ in needed
                    },
                }
                if has_version and _requires_version(target, components):
                    link["requestBody"] = {"version": "$response.body#/version"}
                links[target["operationId"]] = link
            if links:
                source["responses"][status]["links"] = dict(sorted(links.items()))
