"""`components.securitySchemes`: how a client sends its credentials.

Breaking: a scheme removed, or changed in a way a configured client feels: another type, an API
key in another place or under another name (header names ignoring case), another HTTP scheme, an
OAuth2 flow removed or its URLs changed, a scope removed, another OpenID Connect URL. A scheme
renamed with an identical definition is a changelog line (clients send the same credentials),
and so are new schemes, flows, scopes and a new `refreshUrl`."""

from collections.abc import Iterator
from typing import Any

from openapi_diff.context import Diff
from openapi_diff.model import Schema, obj, same, show

_ANNOTATIONS = frozenset({"description", "bearerFormat"})
_FLOW_URLS = ("authorizationUrl", "tokenUrl")


def location(name: str) -> str:
    return f"#/components/securitySchemes/{name}"


def canonical(scheme: Any) -> Schema:
    """A scheme without its documentation, header names and HTTP schemes lower-cased."""
    found = {k: v for k, v in obj(scheme).items() if k not in _ANNOTATIONS}
    if found.get("in") == "header" and isinstance(found.get("name"), str):
        found["name"] = found["name"].lower()
    if isinstance(found.get("scheme"), str):
        found["scheme"] = found["scheme"].lower()
    return found


def renames(diff: Diff) -> dict[str, str]:
    """Base scheme name -> head name: itself, or the one new scheme with the same definition."""
    old, new = _schemes(diff, old=True), _schemes(diff, old=False)
    mapping: dict[str, str] = {}
    for name, scheme in old.items():
        if name in new:
            mapping[name] = name
            continue
        twins = [n for n in new if n not in old and same(canonical(new[n]), canonical(scheme))]
        if len(twins) == 1:
            mapping[name] = twins[0]
    return mapping


def compare(diff: Diff) -> None:
    old, new = _schemes(diff, old=True), _schemes(diff, old=False)
    mapping = renames(diff)
    for name, scheme in old.items():
        if name not in mapping:
            diff.add("security-scheme-removed", location(name), breaking=True)
        elif mapping[name] != name:
            detail = f"now {mapping[name]}, same definition"
            diff.add("security-scheme-renamed", location(name), detail, breaking=False)
        else:
            for detail, breaking in _changes(scheme, new[name]):
                rule = "security-scheme-changed" if breaking else "security-scheme-extended"
                diff.add(rule, location(name), detail, breaking=breaking)
    for name in new:
        if name not in mapping.values():
            diff.add("security-scheme-added", location(name), breaking=False)


def _schemes(diff: Diff, *, old: bool) -> Schema:
    spec = diff.spec(old)
    return {
        name: obj(spec.resolve(raw)[0]) for name, raw in spec.component("securitySchemes").items()
    }


def _changes(old: Schema, new: Schema) -> Iterator[tuple[str, bool]]:
    """(detail, breaking) for each difference between two schemes of one name."""
    old_canonical, new_canonical = canonical(old), canonical(new)
    for key in ("type", "in", "name", "scheme", "openIdConnectUrl"):
        if old_canonical.get(key) != new_canonical.get(key):
            yield f"{key} {show(old.get(key))} -> {show(new.get(key))}", True
    old_flows, new_flows = obj(old.get("flows")), obj(new.get("flows"))
    for flow, before in old_flows.items():
        if flow not in new_flows:
            yield f"flow {flow} removed", True
        else:
            yield from _flow_changes(flow, obj(before), obj(new_flows[flow]))
    for flow in new_flows:
        if flow not in old_flows:
            yield f"flow {flow} added", False


def _flow_changes(flow: str, old: Schema, new: Schema) -> Iterator[tuple[str, bool]]:
    for key in _FLOW_URLS:
        if old.get(key) != new.get(key):
            yield f"{flow} {key} {show(old.get(key))} -> {show(new.get(key))}", True
    before, after = old.get("refreshUrl"), new.get("refreshUrl")
    if before != after:
        yield f"{flow} refreshUrl {show(before)} -> {show(after)}", before is not None
    old_scopes, new_scopes = obj(old.get("scopes")), obj(new.get("scopes"))
    removed = [scope for scope in old_scopes if scope not in new_scopes]
    added = [scope for scope in new_scopes if scope not in old_scopes]
    if removed:
        yield f"{flow} scopes removed: {', '.join(removed)}", True
    if added:
        yield f"{flow} scopes added: {', '.join(added)}", False
