"""One OpenAPI document: `$ref` resolution, validation, and its operations."""

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from openapi_diff.model import Schema, SpecError, obj

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PATH_PARAMETER = re.compile(r"\{([^}/]*)\}")
SCHEMAS_POINTER = "#/components/schemas/"
# Keywords whose values are data, not schemas: a `$ref` key inside them is not a reference.
_DATA_KEYWORDS = frozenset({"example", "default", "const", "enum"})


class Spec:
    def __init__(self, doc: Schema, label: str) -> None:
        self.doc = doc
        self.label = label

    def lookup(self, pointer: str) -> Any:
        if pointer != "#" and not pointer.startswith("#/"):
            raise SpecError(f"{self.label}: unsupported $ref {pointer!r} (only '#/...')")
        node: Any = self.doc
        for raw in pointer[2:].split("/") if pointer != "#" else []:
            key = unquote(raw).replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise SpecError(f"{self.label}: dangling $ref {pointer!r}")
        return node

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """Follow a chain of `$ref`s, merging siblings over targets; also the last pointer."""
        pointer: str | None = None
        chain: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if node["$ref"] in chain:
                raise SpecError(f"{self.label}: $ref {node['$ref']!r} refers to itself")
            pointer = node["$ref"]
            chain.add(pointer)
            siblings = {key: value for key, value in node.items() if key != "$ref"}
            target = self.lookup(node["$ref"])
            node = {**target, **siblings} if isinstance(target, dict) and siblings else target
        return node, pointer

    def component(self, kind: str) -> Schema:
        """`components/<kind>` (schemas, securitySchemes, ...), empty when absent."""
        return obj(obj(self.doc.get("components")).get(kind))


def validate(doc: Any, label: str) -> None:
    """Raise SpecError unless `doc` looks like an OpenAPI 3 document whose `$ref`s all resolve."""
    if not isinstance(doc, dict) or not str(doc.get("openapi", "")).startswith("3."):
        raise SpecError(f"{label}: not an OpenAPI 3 document (no 'openapi: 3.x' field)")
    for key in ("paths", "components"):
        if not isinstance(doc.get(key, {}), dict):
            raise SpecError(f"{label}: '{key}' is not an object")
    spec = Spec(doc, label)
    for pointer in refs(doc):
        spec.lookup(pointer)


def refs(node: Any) -> Iterator[str]:
    """Every `$ref` pointer inside `node`, skipping example and enum data."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for key, value in node.items():
            if key not in _DATA_KEYWORDS:
                yield from refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs(item)


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    node: Schema
    parameters: dict[tuple[str, str], Schema]

    @property
    def where(self) -> str:
        """`GET /api/v1/labs/{}`: operations are matched on the normalised template."""
        return f"{self.method.upper()} {PATH_PARAMETER.sub('{}', self.path)}"

    @property
    def title(self) -> str:
        return f"{self.method.upper()} {self.path} ({self.node.get('operationId')})"


def operations(spec: Spec) -> dict[str, Operation]:
    found: dict[str, Operation] = {}
    for path, raw_item in obj(spec.doc.get("paths")).items():
        item = obj(spec.resolve(raw_item)[0])
        for method in METHODS:
            if isinstance(item.get(method), dict):
                lists = (item.get("parameters"), item[method].get("parameters"))
                operation = Operation(method, path, item[method], _parameters(spec, path, lists))
                found[operation.where] = operation
    return found


def _parameters(spec: Spec, path: str, lists: Sequence[Any]) -> dict[tuple[str, str], Schema]:
    """Parameters by (in, key): path parameters keyed by position, headers case-insensitively."""
    template = PATH_PARAMETER.findall(path)
    parameters: dict[tuple[str, str], Schema] = {}
    for parameter in (p for raw in lists if isinstance(raw, list) for p in raw):
        resolved = obj(spec.resolve(parameter)[0])
        place, name = str(resolved.get("in")), str(resolved.get("name"))
        key = name.lower() if place == "header" else name
        if place == "path" and name in template:
            key = f"#{template.index(name)}"
        parameters[(place, key)] = resolved
    return parameters


def parameter_schema(parameter: Schema) -> Any:
    """The schema of a parameter or header object: `schema`, else that of its one media type."""
    if "schema" in parameter:
        return parameter["schema"]
    content = obj(parameter.get("content"))
    return next((obj(media).get("schema") for media in content.values()), None)
