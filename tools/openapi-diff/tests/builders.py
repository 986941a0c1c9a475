"""Small OpenAPI documents for the rule tests: one operation, and helpers to read the report."""

from typing import Any

from openapi_diff import Policy, compare

OP = "POST /api/v1/labs"

Schema = dict[str, Any]
STRING: Schema = {"type": "string"}
INTEGER: Schema = {"type": "integer"}
NUMBER: Schema = {"type": "number"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: Schema, required: tuple[str, ...] = (), **extra: Any) -> Schema:
    return {"type": "object", "properties": properties, "required": list(required), **extra}


def content(schema: Schema, media: str = "application/json") -> Schema:
    return {"description": "", "content": {media: {"schema": schema}}}


def param(
    name: str, where: str = "query", *, required: bool = False, schema: Schema = STRING
) -> Schema:
    return {"name": name, "in": where, "required": required, "schema": schema}


def api(
    *,
    path: str = "/api/v1/labs",
    method: str = "post",
    operation_id: str | None = "createLab",
    parameters: list[Schema] | None = None,
    body: Schema | None = None,
    body_required: bool = True,
    body_media: str = "application/json",
    response: Schema | None = None,
    responses: Schema | None = None,
    schemas: Schema | None = None,
    security: list[Schema] | None = None,
) -> Schema:
    """A document with one operation; by default a 200 JSON string response and nothing else."""
    operation: Schema = {"responses": responses or {"200": content(response or STRING)}}
    if operation_id is not None:
        operation["operationId"] = operation_id
    if parameters is not None:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = {
            "required": body_required,
            "content": {body_media: {"schema": body}},
        }
    if security is not None:
        operation["security"] = security
    return document({path: {method: operation}}, schemas)


def document(paths: Schema | None = None, schemas: Schema | None = None) -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {"title": "test", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas or {}},
    }


def operation(doc: Schema, path: str = "/api/v1/labs", method: str = "post") -> Schema:
    node: Schema = doc["paths"][path][method]
    return node


def breaking(base: Schema, head: Schema, policy: Policy | None = None) -> set[str]:
    return {change.identifier for change in compare(base, head, policy).breaking}


def changelog(base: Schema, head: Schema, policy: Policy | None = None) -> set[str]:
    return {change.identifier for change in compare(base, head, policy).changelog}


def details(base: Schema, head: Schema) -> str:
    return " | ".join(change.detail for change in compare(base, head).breaking)
