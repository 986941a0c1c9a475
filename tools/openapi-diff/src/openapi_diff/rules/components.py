"""Component schemas: their names, and the ones no operation uses.

Clients import component schemas by name, so a schema removed is breaking and a new one a
changelog line. A schema that no operation reaches (the messages of a WebSocket, added to the
document so that clients get their types) has no direction in the document: it is compared as
the policy reads it (by default as a response: the server sends it, clients parse it), from
each root (a schema that no other unused schema refers to), located as
`#/components/schemas/<Name> body`."""

from openapi_diff.context import Diff
from openapi_diff.model import Schema, obj
from openapi_diff.rules import schemas
from openapi_diff.spec import SCHEMAS_POINTER, Spec, refs


def compare(diff: Diff) -> None:
    old, new = diff.base.component("schemas"), diff.head.component("schemas")
    for name in old:
        if name not in new:
            diff.add("schema-removed", f"{SCHEMAS_POINTER}{name}", breaking=True)
    for name in new:
        if name not in old:
            diff.add("schema-added", f"{SCHEMAS_POINTER}{name}", breaking=False)
    for name in unused_roots(diff.base):
        if name in new:
            pointer, location = (
                {"$ref": f"{SCHEMAS_POINTER}{name}"},
                f"{SCHEMAS_POINTER}{name} body",
            )
            for direction in diff.policy.unused_schemas_read_as:
                schemas.compare(diff, pointer, pointer, location, direction)


def _referenced(spec: Spec, node: object) -> set[str]:
    """Component schema names that `node` refers to, directly or through other components."""
    found: set[str] = set()
    todo = [node]
    while todo:
        for pointer in refs(todo.pop()):
            name = pointer.removeprefix(SCHEMAS_POINTER)
            if pointer.startswith(SCHEMAS_POINTER) and "/" not in name and name not in found:
                found.add(name)
                todo.append(spec.component("schemas").get(name))
    return found


def unused_roots(spec: Spec) -> list[str]:
    """Component schemas no operation reaches and no other such schema refers to (in a cycle
    of unused schemas, the first one in document order stands for the cycle)."""
    all_schemas = spec.component("schemas")
    rest: Schema = {key: value for key, value in spec.doc.items() if key != "components"}
    components = obj(spec.doc.get("components"))
    others = {key: value for key, value in components.items() if key != "schemas"}
    used = _referenced(spec, [rest, others])
    unused = [name for name in all_schemas if name not in used]
    inner = {n for name in unused for n in _referenced(spec, all_schemas[name]) if n != name}
    roots = [name for name in unused if name not in inner]
    covered = {n for root in roots for n in _referenced(spec, all_schemas[root])} | set(roots)
    for name in unused:  # unused schemas that only refer to each other
        if name not in covered:
            roots.append(name)
            covered |= _referenced(spec, all_schemas[name]) | {name}
    return roots
