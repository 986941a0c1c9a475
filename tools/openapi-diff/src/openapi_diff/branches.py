"""A schema as its alternatives: `anyOf`/`oneOf`/`type: [...]` split, `allOf` merged, and the
matching of one document's alternatives to the other's."""

import json
from dataclasses import dataclass
from typing import Any

from openapi_diff.model import Schema, names, obj
from openapi_diff.spec import Spec

ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "examples", "deprecated", "readOnly"}
    | {"writeOnly", "$comment", "discriminator", "externalDocs", "xml"}
)
_NUMERIC = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"})
# The keywords that constrain only values of one type (JSON Schema 2020-12, "validation").
_ONLY_FOR: dict[str, frozenset[str]] = {
    "string": frozenset({"minLength", "maxLength", "pattern", "format", "contentMediaType"})
    | {"contentEncoding", "contentSchema"},
    "number": _NUMERIC | {"format"},
    "integer": _NUMERIC | {"format"},
    "array": frozenset({"items", "prefixItems", "minItems", "maxItems", "uniqueItems"})
    | {"contains", "minContains", "maxContains", "unevaluatedItems"},
    "object": frozenset({"properties", "required", "additionalProperties", "minProperties"})
    | {"maxProperties", "patternProperties", "propertyNames", "dependentRequired"}
    | {"dependentSchemas", "unevaluatedProperties"},
}
_TYPED = frozenset().union(*_ONLY_FOR.values())


@dataclass(frozen=True)
class Branch:
    """One alternative of a schema: a single type, with the component it came from."""

    schema: Schema
    kind: str
    named: str | None  # the component this branch is, if any
    guard: str | None  # the nearest enclosing `$ref`, to stop recursion

    @property
    def name(self) -> str:
        return self.named.rsplit("/", 1)[-1] if self.named and self.kind != "null" else self.kind


def json_kind(value: Any) -> str:
    kinds = [(bool, "boolean"), (int, "integer"), (float, "number"), (str, "string")]
    kinds += [(list, "array"), (dict, "object")]
    return next((kind for cls, kind in kinds if isinstance(value, cls)), "null")


def enum_values(schema: Schema) -> dict[str, Any] | None:
    """`const` or `enum` values by their JSON text, or None when the schema has neither."""
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if not isinstance(values, list):
        return None
    return {json.dumps(value, sort_keys=True): value for value in values}


def kind(schema: Schema) -> str:
    if isinstance(schema.get("type"), str):
        return str(schema["type"])
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    kinds = {json_kind(value) for value in (enum_values(schema) or {}).values()}
    return kinds.pop() if len(kinds) == 1 else "any"


def covers(covering: str, covered: str) -> bool:
    return covering in {covered, "any"} or (covering, covered) == ("number", "integer")


def restrict(schema: Schema, branch_kind: str) -> Schema:
    """`schema` as seen by values of one type: keywords for other types and enum values of other
    types do not apply. So `type: [string, null]` with `maxLength` is `anyOf: [string with
    maxLength, null]`, not a null that gained a `maxLength`."""
    if branch_kind == "any":
        return schema
    keep = _ONLY_FOR.get(branch_kind, frozenset())
    restricted = {k: v for k, v in schema.items() if k not in _TYPED or k in keep}
    values = enum_values(restricted)
    if values is None:
        return restricted
    fitting = [v for v in values.values() if covers(branch_kind, json_kind(v))]
    restricted.pop("const", None)
    restricted.pop("enum", None)
    if branch_kind != "null":  # the one null value is no narrower than the null type
        restricted["enum"] = fitting
    return restricted


def branches(spec: Spec, node: Any, guard: str | None, seen: frozenset[str]) -> list[Branch]:
    node, pointer = spec.resolve(node)
    if pointer is not None:
        if pointer in seen:
            return []  # a union that contains itself adds no alternative
        seen, guard = seen | {pointer}, pointer
    if node is False:
        return []
    schema = merge_all_of(spec, obj(node), seen)
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            rest = {k: v for k, v in schema.items() if k not in {"anyOf", "oneOf", *ANNOTATIONS}}
            subs = [{**rest, **sub} if isinstance(sub, dict) else sub for sub in schema[key]]
            return [b for sub in subs for b in branches(spec, sub, guard, seen)]
    if schema.get("nullable") is True:  # OpenAPI 3.0
        plain = {k: v for k, v in schema.items() if k != "nullable"}
        return [*branches(spec, plain, guard, seen), Branch({}, "null", None, guard)]
    if isinstance(schema.get("type"), list):
        types = [str(t) for t in schema["type"]]
        return [Branch(restrict({**schema, "type": t}, t), t, pointer, guard) for t in types]
    return [Branch(restrict(schema, kind(schema)), kind(schema), pointer, guard)]


def merge_all_of(spec: Spec, schema: Schema, seen: frozenset[str]) -> Schema:
    if not isinstance(schema.get("allOf"), list):
        return schema
    merged = {key: value for key, value in schema.items() if key != "allOf"}
    for part in schema["allOf"]:
        sub, pointer = spec.resolve(part)
        if pointer in seen or not isinstance(sub, dict):
            continue
        sub = merge_all_of(spec, sub, seen | {pointer} if pointer else seen)
        properties = {**obj(sub.get("properties")), **obj(merged.get("properties"))}
        required = [*names(sub.get("required")), *names(merged.get("required"))]
        merged = {**sub, **merged}
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
    return merged


def _rank(branch: Branch, other: Branch, taken: bool) -> int | None:
    """How well `other` stands for `branch`: the same component, the same type (not yet taken,
    then taken, but never another component twice), a type that covers it, or not at all."""
    if not covers(other.kind, branch.kind):
        return None
    if branch.named and other.named == branch.named and other.kind == branch.kind:
        return 0
    if other.kind == branch.kind and not taken:
        return 1
    if other.kind == branch.kind:
        return None if branch.named and other.named else 2
    return 3


def pair(
    covered: list[Branch], covering: list[Branch]
) -> tuple[list[tuple[Branch, Branch]], list[Branch], list[Branch]]:
    """Match each covered branch to the covering one that stands for it; also the leftovers."""
    pairs: list[tuple[Branch, Branch]] = []
    lost: list[Branch] = []
    used: set[int] = set()
    for branch in covered:
        ranks = (
            (_rank(branch, other, index in used), index) for index, other in enumerate(covering)
        )
        ranked = sorted((rank, index) for rank, index in ranks if rank is not None)
        if ranked:
            used.add(ranked[0][1])
            pairs.append((branch, covering[ranked[0][1]]))
        else:
            lost.append(branch)
    return pairs, lost, [b for index, b in enumerate(covering) if index not in used]
