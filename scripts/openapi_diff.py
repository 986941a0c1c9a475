"""Compare two OpenAPI 3.x documents (as FastAPI writes them) and report what breaks clients.

    python -m scripts.openapi_diff BASE.json HEAD.json [--accepted openapi/BREAKING.md]

Every change that would break an existing client (or the code written against a client generated
from BASE) is printed on one line with a stable identifier; every other change is printed as a
changelog line. Exit status: 0 when there is no unaccepted breaking change, 1 when there is at
least one, 2 on invalid input (unreadable file, not JSON, not an OpenAPI 3 document, a dangling
or external `$ref`). From Python: `compare(base, head) -> Report`.

Identifiers: `<rule>: <location>`. A location is, separated by single spaces:
  1. the method in capitals and the path template with every parameter written `{}`
     (`GET /api/v1/labs/{}`): operations are matched on this normalised template;
  2. for a response, its status (`200`, `404`, `default`);
  3. the media type, left out when it is `application/json` (`text/csv`,
     `application/problem+json`, `multipart/form-data`); `*-media-type-*` rules always name it;
  4. the field: `body`, or `<in>.<name>` for a parameter as HEAD declares it (`query.limit`,
     `path.lab_id`, `header.X-Api-Key`, `cookie.session`; headers are matched ignoring case),
     then `.<property>` into an object, `[]` into array items, `{}` into `additionalProperties`.
  Component schemas are located as `#/components/schemas/<Name>`. Examples:
  `operation-removed: GET /api/v1/labs`, `request-property-added-required: POST /api/v1/labs
  body.name`, `response-type-changed: GET /api/v1/labs 200 body.items[].code`.
  Several findings of one rule at one location share one identifier (their details are joined).

Breaking rules: operation-removed, operation-id-changed (renamed, removed or added: generated
function names change), path-parameter-renamed, parameter-removed, parameter-added-required,
parameter-became-required, request-body-removed, request-body-became-required (also a new
required body), request-media-type-removed, request-property-added-required,
request-property-became-required, request-property-removed (only when HEAD forbids additional
properties, so old clients get a 422; otherwise a changelog line: the value is ignored),
request-additional-properties-forbidden (only when BASE declared them explicitly),
request-enum-value-removed, request-type-changed (a type, `anyOf`/`oneOf` branch or `null` no
longer accepted), request-constraint-tightened (maxLength lowered, minimum raised, new or changed
pattern, multipleOf, format, enum introduced, ...), response-status-removed,
response-media-type-removed, response-property-removed, response-property-became-optional,
response-type-changed (a new type or branch, e.g. `null`, a dropped enum or a changed format),
schema-removed (clients import component schemas by name).
Changelog rules: operation-added, parameter-added-optional, parameter-became-optional,
request-body-added, request-body-became-optional, request-media-type-added,
request-property-added-optional, request-property-became-optional, request-enum-value-added,
request-type-widened, request-constraint-relaxed, response-status-added,
response-media-type-added, response-property-added, response-property-became-required,
response-enum-value-added, response-enum-value-removed, response-type-narrowed,
response-constraint-changed, schema-added.

How schemas are compared: a request schema must still accept everything BASE accepted, a response
schema may only return what BASE could return. `$ref` is resolved with its siblings (siblings
win), `allOf` is merged, `anyOf`/`oneOf` and `type: [...]` are split into branches, matched by
component name, then by type (an `integer` is covered by a `number`); one component never stands
for two others, so a `oneOf` that loses a component is reported even if another looks alike. A
schema reached through requests and responses is checked in both directions. Recursion stops
when a pair of `$ref`s is already being compared. Response constraints (maxLength, ...) are
changelog lines only: generated clients do not validate them.

Decisions on enums: removing a response enum value is safe (clients never see it). Adding a
response enum value is NOT breaking, by project policy (docs: TOOLCHAIN section 8): it is a
changelog line that warns about exhaustive switches. Beware: clients made by
openapi-python-client 0.29.1 parse enums strictly (`LabRole(value)` raises ValueError) and
fail on a new value; set RESPONSE_ENUM_ADDITION_BREAKS to flag it. Removing the enum altogether
from a response is breaking (the generated type changes).
"""

import argparse
import json
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

Schema = dict[str, Any]
Direction = Literal["request", "response"]
_Stack = frozenset[tuple[str | None, str | None]]  # pairs of `$ref`s being compared

RESPONSE_ENUM_ADDITION_BREAKS = False
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
DEFAULT_MEDIA_TYPE = "application/json"
_ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "examples", "deprecated", "readOnly"}
    | {"writeOnly", "$comment", "discriminator", "externalDocs", "xml"}
)
_DATA_KEYWORDS = frozenset({"example", "default", "const", "enum"})
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties")
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties")
_EXACT = ("pattern", "multipleOf", "uniqueItems")
_PATH_PARAMETER = re.compile(r"\{([^}/]*)\}")
_ACCEPTED_ENTRY = re.compile(r"^[-*+]\s+`(?P<identifier>[^`]+)`\s*:\s*(?P<reason>.*?)\s*$")


class SpecError(Exception):
    """The input is not a usable OpenAPI document (exit status 2)."""


@dataclass(frozen=True)
class Change:
    rule: str
    location: str
    detail: str
    breaking: bool

    @property
    def identifier(self) -> str:
        return f"{self.rule}: {self.location}"


@dataclass(frozen=True)
class Report:
    breaking: tuple[Change, ...]
    changelog: tuple[Change, ...]

    def unaccepted(self, accepted: Mapping[str, str]) -> list[Change]:
        """Breaking changes not listed with a non-empty reason in `accepted`."""
        return [change for change in self.breaking if not accepted.get(change.identifier)]


def _obj(value: Any) -> Schema:
    return value if isinstance(value, dict) else {}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _show(value: Any) -> str:
    return "(none)" if value is None else json.dumps(value)


class _Spec:
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


def validate(doc: Any, label: str) -> None:
    """Raise SpecError unless `doc` looks like an OpenAPI 3 document whose `$ref`s all resolve."""
    if not isinstance(doc, dict) or not str(doc.get("openapi", "")).startswith("3."):
        raise SpecError(f"{label}: not an OpenAPI 3 document (no 'openapi: 3.x' field)")
    for key in ("paths", "components"):
        if not isinstance(doc.get(key, {}), dict):
            raise SpecError(f"{label}: '{key}' is not an object")
    spec = _Spec(doc, label)
    for pointer in _refs(doc):
        spec.lookup(pointer)


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for key, value in node.items():
            if key not in _DATA_KEYWORDS:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


@dataclass(frozen=True)
class _Branch:
    """One alternative of a schema: a single type, with the component it came from."""

    schema: Schema
    kind: str
    named: str | None  # the component this branch is, if any
    guard: str | None  # the nearest enclosing `$ref`, to stop recursion

    @property
    def name(self) -> str:
        return self.named.rsplit("/", 1)[-1] if self.named and self.kind != "null" else self.kind


def _json_kind(value: Any) -> str:
    kinds = [(bool, "boolean"), (int, "integer"), (float, "number"), (str, "string")]
    kinds += [(list, "array"), (dict, "object")]
    return next((kind for cls, kind in kinds if isinstance(value, cls)), "null")


def _kind(schema: Schema) -> str:
    if isinstance(schema.get("type"), str):
        return str(schema["type"])
    if "properties" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    kinds = {_json_kind(value) for value in (_enum(schema) or {}).values()}
    return kinds.pop() if len(kinds) == 1 else "any"


def _branches(spec: _Spec, node: Any, guard: str | None, seen: frozenset[str]) -> list[_Branch]:
    node, pointer = spec.resolve(node)
    if pointer is not None:
        if pointer in seen:
            return []  # a union that contains itself adds no alternative
        seen, guard = seen | {pointer}, pointer
    if node is False:
        return []
    schema = _merge_all_of(spec, _obj(node), seen)
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            rest = {k: v for k, v in schema.items() if k not in {"anyOf", "oneOf", *_ANNOTATIONS}}
            subs = [{**rest, **sub} if isinstance(sub, dict) else sub for sub in schema[key]]
            return [b for sub in subs for b in _branches(spec, sub, guard, seen)]
    if schema.get("nullable") is True:  # OpenAPI 3.0
        plain = {k: v for k, v in schema.items() if k != "nullable"}
        return [*_branches(spec, plain, guard, seen), _Branch({}, "null", None, guard)]
    if isinstance(schema.get("type"), list):
        return [_Branch({**schema, "type": t}, str(t), pointer, guard) for t in schema["type"]]
    return [_Branch(schema, _kind(schema), pointer, guard)]


def _merge_all_of(spec: _Spec, schema: Schema, seen: frozenset[str]) -> Schema:
    if not isinstance(schema.get("allOf"), list):
        return schema
    merged = {key: value for key, value in schema.items() if key != "allOf"}
    for part in schema["allOf"]:
        sub, pointer = spec.resolve(part)
        if pointer in seen or not isinstance(sub, dict):
            continue
        sub = _merge_all_of(spec, sub, seen | {pointer} if pointer else seen)
        properties = {**_obj(sub.get("properties")), **_obj(merged.get("properties"))}
        required = [*_names(sub.get("required")), *_names(merged.get("required"))]
        merged = {**sub, **merged}
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
    return merged


def _names(value: Any) -> list[str]:
    return [str(item) for item in value] if isinstance(value, list) else []


def _enum(schema: Schema) -> dict[str, Any] | None:
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if not isinstance(values, list):
        return None
    return {json.dumps(value, sort_keys=True): value for value in values}


def _covers(covering: str, covered: str) -> bool:
    return covering in {covered, "any"} or (covering, covered) == ("number", "integer")


def _rank(branch: _Branch, other: _Branch, taken: bool) -> int | None:
    """How well `other` stands for `branch`: the same component, the same type (not yet taken,
    then taken, but never another component twice), a type that covers it, or not at all."""
    if not _covers(other.kind, branch.kind):
        return None
    if branch.named and other.named == branch.named and other.kind == branch.kind:
        return 0
    if other.kind == branch.kind and not taken:
        return 1
    if other.kind == branch.kind:
        return None if branch.named and other.named else 2
    return 3


def _pair(
    covered: list[_Branch], covering: list[_Branch]
) -> tuple[list[tuple[_Branch, _Branch]], list[_Branch], list[_Branch]]:
    """Match each covered branch to the covering one that stands for it; also the leftovers."""
    pairs: list[tuple[_Branch, _Branch]] = []
    lost: list[_Branch] = []
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


@dataclass(frozen=True)
class _Operation:
    method: str
    path: str
    node: Schema
    parameters: dict[tuple[str, str], Schema]

    @property
    def where(self) -> str:
        return f"{self.method.upper()} {_PATH_PARAMETER.sub('{}', self.path)}"


def _operations(spec: _Spec) -> dict[str, _Operation]:
    operations: dict[str, _Operation] = {}
    for path, raw_item in _obj(spec.doc.get("paths")).items():
        item = _obj(spec.resolve(raw_item)[0])
        for method in METHODS:
            if isinstance(item.get(method), dict):
                lists = (item.get("parameters"), item[method].get("parameters"))
                parameters = _parameters(spec, path, lists)
                operation = _Operation(method, path, item[method], parameters)
                operations[operation.where] = operation
    return operations


def _parameters(spec: _Spec, path: str, lists: Sequence[Any]) -> dict[tuple[str, str], Schema]:
    """Parameters by (in, key): path parameters keyed by position, headers case-insensitively."""
    template = _PATH_PARAMETER.findall(path)
    parameters: dict[tuple[str, str], Schema] = {}
    for parameter in (p for raw in lists if isinstance(raw, list) for p in raw):
        resolved = _obj(spec.resolve(parameter)[0])
        place, name = str(resolved.get("in")), str(resolved.get("name"))
        key = name.lower() if place == "header" else name
        if place == "path" and name in template:
            key = f"#{template.index(name)}"
        parameters[(place, key)] = resolved
    return parameters


def _parameter_schema(parameter: Schema) -> Any:
    if "schema" in parameter:
        return parameter["schema"]
    content = _obj(parameter.get("content"))
    return next((_obj(media).get("schema") for media in content.values()), None)


def _required(node: Schema) -> bool:
    return node.get("required") is True or node.get("in") == "path"


class _Differ:
    def __init__(self, base: _Spec, head: _Spec) -> None:
        self.base = base
        self.head = head
        self.changes: dict[str, Change] = {}

    def add(self, rule: str, location: str, detail: str, *, breaking: bool) -> None:
        change = Change(rule, location, detail, breaking)
        known = self.changes.get(change.identifier)
        if known is None:
            self.changes[change.identifier] = change
            return
        joined = known.detail
        if detail and detail not in known.detail.split("; "):
            joined = f"{known.detail}; {detail}" if known.detail else detail
        self.changes[change.identifier] = Change(rule, location, joined, known.breaking or breaking)

    def report(self) -> Report:
        changes = list(self.changes.values())
        return Report(
            breaking=tuple(change for change in changes if change.breaking),
            changelog=tuple(change for change in changes if not change.breaking),
        )

    def operations(self) -> None:
        before, after = _operations(self.base), _operations(self.head)
        for where, old in before.items():
            if where in after:
                self.operation(where, old, after[where])
            else:
                detail = f"{old.method.upper()} {old.path} ({old.node.get('operationId')})"
                self.add("operation-removed", where, detail, breaking=True)
        for where, new in after.items():
            if where not in before:
                detail = f"{new.method.upper()} {new.path} ({new.node.get('operationId')})"
                self.add("operation-added", where, detail, breaking=False)

    def operation(self, where: str, old: _Operation, new: _Operation) -> None:
        old_id, new_id = old.node.get("operationId"), new.node.get("operationId")
        if old_id != new_id:
            self.add("operation-id-changed", where, f"{old_id} -> {new_id}", breaking=True)
        names = (_PATH_PARAMETER.findall(old.path), _PATH_PARAMETER.findall(new.path))
        renames = zip(*names, strict=True)  # the normalised templates are equal
        for old_name, new_name in renames:
            if old_name != new_name:
                location = f"{where} path.{old_name}"
                self.add("path-parameter-renamed", location, f"now {new_name}", breaking=True)
        self.parameters(where, old, new)
        self.request_body(where, old.node.get("requestBody"), new.node.get("requestBody"))
        self.responses(where, _obj(old.node.get("responses")), _obj(new.node.get("responses")))

    def parameters(self, where: str, old: _Operation, new: _Operation) -> None:
        for key, before in old.parameters.items():
            after = new.parameters.get(key)
            if after is None:
                location = f"{where} {before.get('in')}.{before.get('name')}"
                self.add("parameter-removed", location, "", breaking=True)
                continue
            location = f"{where} {after.get('in')}.{after.get('name')}"
            if _required(after) and not _required(before):
                self.add("parameter-became-required", location, "", breaking=True)
            elif _required(before) and not _required(after):
                self.add("parameter-became-optional", location, "", breaking=False)
            old_schema, new_schema = _parameter_schema(before), _parameter_schema(after)
            self.schema(old_schema, new_schema, location, "request")
        for key, after in new.parameters.items():
            if key not in old.parameters:
                location = f"{where} {after.get('in')}.{after.get('name')}"
                required = _required(after)
                rule = "parameter-added-required" if required else "parameter-added-optional"
                self.add(rule, location, "", breaking=required)

    def request_body(self, where: str, old_raw: Any, new_raw: Any) -> None:
        old, new = self.base.resolve(old_raw)[0], self.head.resolve(new_raw)[0]
        if not isinstance(old, dict) or not isinstance(new, dict):
            if isinstance(old, dict):
                self.add("request-body-removed", where, "", breaking=True)
            elif isinstance(new, dict) and _required(new):
                self.add("request-body-became-required", where, "new", breaking=True)
            elif isinstance(new, dict):
                self.add("request-body-added", where, "optional", breaking=False)
            return
        if _required(new) and not _required(old):
            self.add("request-body-became-required", where, "", breaking=True)
        elif _required(old) and not _required(new):
            self.add("request-body-became-optional", where, "", breaking=False)
        self.content(where, old.get("content"), new.get("content"), "request")

    def responses(self, where: str, old: Schema, new: Schema) -> None:
        for status, before in old.items():
            location = f"{where} {status}"
            if status not in new:
                self.add("response-status-removed", location, "", breaking=True)
                continue
            old_content = _obj(self.base.resolve(before)[0]).get("content")
            new_content = _obj(self.head.resolve(new[status])[0]).get("content")
            self.content(location, old_content, new_content, "response")
        for status in new:
            if status not in old:
                self.add("response-status-added", f"{where} {status}", "", breaking=False)

    def content(self, where: str, old_raw: Any, new_raw: Any, direction: Direction) -> None:
        old, new = _obj(old_raw), _obj(new_raw)
        for media, before in old.items():
            if media not in new:
                self.add(f"{direction}-media-type-removed", f"{where} {media}", "", breaking=True)
                continue
            field = "body" if media == DEFAULT_MEDIA_TYPE else f"{media} body"
            old_schema, new_schema = _obj(before).get("schema"), _obj(new[media]).get("schema")
            self.schema(old_schema, new_schema, f"{where} {field}", direction)
        for media in new:
            if media not in old:
                rule = f"{direction}-media-type-added"
                self.add(rule, f"{where} {media}", "", breaking=False)

    def schema(
        self, old: Any, new: Any, location: str, direction: Direction, stack: _Stack = frozenset()
    ) -> None:
        before = _branches(self.base, old, None, frozenset())
        after = _branches(self.head, new, None, frozenset())
        request = direction == "request"
        pairs, lost, extra = _pair(before, after) if request else _pair(after, before)
        self.branch_changes(location, direction, lost, extra)
        for covered, covering in pairs:
            old_branch, new_branch = (covered, covering) if request else (covering, covered)
            key = (old_branch.guard, new_branch.guard)
            if key in stack:
                continue
            inner = stack if key == (None, None) else stack | {key}
            self.branch(old_branch.schema, new_branch.schema, location, direction, inner)

    def branch_changes(
        self, location: str, direction: Direction, lost: list[_Branch], extra: list[_Branch]
    ) -> None:
        lost_names = ", ".join(dict.fromkeys(branch.name for branch in lost))
        extra_names = ", ".join(dict.fromkeys(branch.name for branch in extra))
        if direction == "request" and lost:
            detail = f"no longer accepts {lost_names}"
            detail += f"; accepts {extra_names}" if extra else ""
            self.add("request-type-changed", location, detail, breaking=True)
        elif direction == "request" and extra:
            self.add(
                "request-type-widened", location, f"also accepts {extra_names}", breaking=False
            )
        elif lost:
            detail = f"may now be {lost_names}"
            detail += f" instead of {extra_names}" if extra else ""
            self.add("response-type-changed", location, detail, breaking=True)
        elif extra:
            self.add("response-type-narrowed", location, f"no longer {extra_names}", breaking=False)

    def branch(
        self, old: Schema, new: Schema, location: str, direction: Direction, stack: _Stack
    ) -> None:
        self.enums(old, new, location, direction)
        self.constraints(old, new, location, direction)
        self.formats(old.get("format"), new.get("format"), location, direction)
        if _kind(old) != _kind(new):  # a covering type: integer -> number, or anything -> any
            rule = "request-type-widened" if direction == "request" else "response-type-narrowed"
            self.add(rule, location, f"{_kind(old)} -> {_kind(new)}", breaking=False)
        elif _kind(old) == "object":
            self.properties(old, new, location, direction, stack)
        elif _kind(old) == "array":
            self.schema(old.get("items"), new.get("items"), f"{location}[]", direction, stack)

    def enums(self, old: Schema, new: Schema, location: str, direction: Direction) -> None:
        before, after = _enum(old), _enum(new)
        if before is None and after is None:
            return
        if before is None or after is None:
            narrowed = before is None
            detail = "now an enum" if narrowed else "no longer an enum"
            if direction == "request":
                rule = "request-constraint-tightened" if narrowed else "request-constraint-relaxed"
            else:
                rule = "response-type-narrowed" if narrowed else "response-type-changed"
            self.add(rule, location, detail, breaking=narrowed == (direction == "request"))
            return
        removed = ", ".join(key for key in before if key not in after)
        added = ", ".join(key for key in after if key not in before)
        if removed:
            request = direction == "request"
            self.add(f"{direction}-enum-value-removed", location, removed, breaking=request)
        if added and direction == "response":
            detail = f"may now be {added} (exhaustive switches need a case)"
            breaking = RESPONSE_ENUM_ADDITION_BREAKS
            self.add("response-enum-value-added", location, detail, breaking=breaking)
        elif added:
            self.add("request-enum-value-added", location, f"accepts {added}", breaking=False)

    def constraints(self, old: Schema, new: Schema, location: str, direction: Direction) -> None:
        for key in (*_UPPER_BOUNDS, *_LOWER_BOUNDS, *_EXACT):
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            detail = f"{key} {_show(before)} -> {_show(after)}"
            if direction == "response":
                self.add("response-constraint-changed", location, detail, breaking=False)
            elif _tightened(key, before, after):
                self.add("request-constraint-tightened", location, detail, breaking=True)
            else:
                self.add("request-constraint-relaxed", location, detail, breaking=False)

    def formats(self, old: Any, new: Any, location: str, direction: Direction) -> None:
        if old == new:
            return
        detail = f"format {_show(old)} -> {_show(new)}"
        if direction == "request" and new is not None:
            self.add("request-constraint-tightened", location, detail, breaking=True)
        elif direction == "request":
            self.add("request-constraint-relaxed", location, detail, breaking=False)
        elif old is not None:
            self.add("response-type-changed", location, detail, breaking=True)
        else:
            self.add("response-type-narrowed", location, detail, breaking=False)

    def properties(
        self, old: Schema, new: Schema, location: str, direction: Direction, stack: _Stack
    ) -> None:
        old_properties, new_properties = _obj(old.get("properties")), _obj(new.get("properties"))
        old_required, new_required = (
            set(_names(old.get("required"))),
            set(_names(new.get("required"))),
        )
        request = direction == "request"
        for name in dict.fromkeys([*old_properties, *new_properties]):
            where = f"{location}.{name}"
            was_required, is_required = name in old_required, name in new_required
            if name not in new_properties and request:
                forbidden = new.get("additionalProperties") is False
                detail = "now rejected" if forbidden else "now ignored"
                self.add("request-property-removed", where, detail, breaking=forbidden)
            elif name not in new_properties:
                self.add("response-property-removed", where, "", breaking=True)
            elif name not in old_properties and request:
                rule = "added-required" if is_required else "added-optional"
                self.add(f"request-property-{rule}", where, "", breaking=is_required)
            elif name not in old_properties:
                self.add("response-property-added", where, "", breaking=False)
            else:
                if was_required != is_required:
                    rule = "became-required" if is_required else "became-optional"
                    breaking = is_required == request
                    self.add(f"{direction}-property-{rule}", where, "", breaking=breaking)
                self.schema(old_properties[name], new_properties[name], where, direction, stack)
        self.additional_properties(old, new, location, direction, stack)

    def additional_properties(
        self, old: Schema, new: Schema, location: str, direction: Direction, stack: _Stack
    ) -> None:
        before, after = old.get("additionalProperties"), new.get("additionalProperties")
        if isinstance(before, dict) and isinstance(after, dict):
            self.schema(before, after, f"{location}{{}}", direction, stack)
        elif direction == "request" and after is False and before is not False:
            declared = before is not None and before is not False
            detail = "declared" if declared else "undeclared properties were ignored"
            rule = "request-additional-properties-forbidden"
            self.add(rule, location, detail, breaking=declared)

    def components(self) -> None:
        old = _obj(_obj(self.base.doc.get("components")).get("schemas"))
        new = _obj(_obj(self.head.doc.get("components")).get("schemas"))
        for name in old:
            if name not in new:
                location = f"#/components/schemas/{name}"
                self.add("schema-removed", location, "", breaking=True)
        for name in new:
            if name not in old:
                self.add("schema-added", f"#/components/schemas/{name}", "", breaking=False)


def _tightened(key: str, before: Any, after: Any) -> bool:
    if key in _UPPER_BOUNDS or key in _LOWER_BOUNDS:
        if after is None or before is None:
            return after is not None
        if _number(before) and _number(after):
            return bool(after < before) if key in _UPPER_BOUNDS else bool(after > before)
    if key == "uniqueItems":
        return after is True
    return after is not None


def compare(base: Schema, head: Schema) -> Report:
    """Breaking and changelog changes from `base` to `head`; SpecError on invalid input."""
    validate(base, "base")
    validate(head, "head")
    differ = _Differ(_Spec(base, "base"), _Spec(head, "head"))
    differ.operations()
    differ.components()
    return differ.report()


def load_accepted(path: Path | None) -> dict[str, str]:
    """`identifier -> reason` from BREAKING.md list items; a missing file accepts nothing."""
    if path is None or not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecError(f"{path}: cannot read ({error})") from error
    accepted: dict[str, str] = {}
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif (match := _ACCEPTED_ENTRY.match(line)) and not fenced:
            accepted[match["identifier"].strip()] = match["reason"]
    return accepted


def render(report: Report, accepted: Mapping[str, str]) -> str:
    unaccepted = report.unaccepted(accepted)
    count = len(report.breaking)
    lines = [f"Breaking changes: {count} ({count - len(unaccepted)} accepted)"]
    for change in report.breaking:
        reason = accepted.get(change.identifier)
        line = f"  {'accepted' if reason else 'BREAKING'} {change.identifier}"
        line += f"  -- {change.detail}" if change.detail else ""
        line += f"  [accepted: {reason}]" if reason else ""
        line += "  [listed in BREAKING.md without a reason]" if reason == "" else ""
        lines.append(line)
    lines.append(f"Changelog: {len(report.changelog)}")
    for change in report.changelog:
        lines.append(
            f"  + {change.identifier}" + (f"  -- {change.detail}" if change.detail else "")
        )
    found = {change.identifier for change in report.breaking}
    stale = [identifier for identifier in accepted if identifier not in found]
    if stale:
        lines.append("Listed in BREAKING.md but not in this diff (remove once released):")
        lines.extend(f"  {identifier}" for identifier in stale)
    verdict = f"FAILED: {len(unaccepted)} unaccepted breaking change(s)" if unaccepted else "OK"
    lines.append(verdict)
    return "\n".join(lines)


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.openapi_diff",
        description="Report breaking changes between two OpenAPI documents.",
        epilog="Exit status: 0 no unaccepted breaking change, 1 breaking, 2 invalid input.",
    )
    parser.add_argument("base", type=Path, help="the OpenAPI document clients were built from")
    parser.add_argument("head", type=Path, help="the new OpenAPI document")
    parser.add_argument("--accepted", type=Path, help="markdown list of accepted identifiers")
    args = parser.parse_args(argv)
    try:
        report = compare(load_document(args.base), load_document(args.head))
        accepted = load_accepted(args.accepted)
    except SpecError as error:
        print(f"openapi-diff: error: {error}", file=sys.stderr)
        return 2
    print(render(report, accepted))
    return 1 if report.unaccepted(accepted) else 0


if __name__ == "__main__":
    sys.exit(main())
