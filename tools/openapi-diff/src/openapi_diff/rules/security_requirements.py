"""An operation's `security`: the alternatives a client may authenticate with.

`security` lists alternatives (any one suffices), each naming the schemes it needs together
with their scopes; an operation without `security` inherits the document's, and an empty list
or an empty alternative means no authentication. A client that used BASE with one alternative
keeps working when some HEAD alternative needs no scheme and no scope it lacks. Otherwise:
`security-became-required` when BASE needed no authentication, `security-requirement-removed`
when a way of authenticating is gone (a scheme dropped, or scopes added). Schemes renamed with
an identical definition count as the same scheme."""

from openapi_diff.context import Diff
from openapi_diff.model import Schema, obj
from openapi_diff.rules import security_schemes

Alternative = dict[str, frozenset[str]]


def effective(document: Schema, operation: Schema) -> list[Alternative]:
    """The operation's alternatives; `[{}]` when it needs no authentication."""
    raw = operation["security"] if "security" in operation else document.get("security")
    if not isinstance(raw, list) or not raw:
        return [{}]
    return [
        {str(name): frozenset(map(str, scopes or [])) for name, scopes in obj(item).items()}
        for item in raw
    ]


def _satisfies(held: Alternative, needed: Alternative) -> bool:
    """A client holding `held` credentials can call an operation that asks for `needed`."""
    return all(name in held and scopes <= held[name] for name, scopes in needed.items())


def _shown(alternative: Alternative) -> str:
    if not alternative:
        return "no authentication"
    parts = [name + (f" [{', '.join(sorted(s))}]" if s else "") for name, s in alternative.items()]
    return " + ".join(parts)


def compare(diff: Diff, where: str, old: Schema, new: Schema) -> None:
    mapping = security_schemes.renames(diff)
    before = [
        {mapping.get(name, name): scopes for name, scopes in alternative.items()}
        for alternative in effective(diff.base.doc, old)
    ]
    after = effective(diff.head.doc, new)
    for alternative in before:
        if any(_satisfies(alternative, needed) for needed in after):
            continue
        if not alternative:
            detail = f"now needs {' or '.join(map(_shown, after))}"
            diff.add("security-became-required", where, detail, breaking=True)
        else:
            detail = f"no longer accepts {_shown(alternative)}"
            diff.add("security-requirement-removed", where, detail, breaking=True)
    for alternative in after:
        if alternative in before:
            continue
        rule = "security-became-optional" if not alternative else "security-requirement-added"
        diff.add(rule, where, f"accepts {_shown(alternative)}", breaking=False)
