"""The document's `servers`: generated clients take their default base URL from them.

A server URL that disappears moves clients that relied on it: breaking. New ones, and a first
`servers` entry where there was none (the default was `/`), are changelog lines."""

from openapi_diff.context import Diff
from openapi_diff.model import Schema, obj


def _urls(doc: Schema) -> list[str]:
    raw = doc.get("servers")
    return [str(obj(server).get("url")) for server in raw] if isinstance(raw, list) else []


def compare(diff: Diff) -> None:
    before, after = _urls(diff.base.doc), _urls(diff.head.doc)
    for url in before:
        if url not in after:
            diff.add("server-removed", f"servers {url}", breaking=True)
    for url in after:
        if url not in before:
            diff.add("server-added", f"servers {url}", breaking=False)
