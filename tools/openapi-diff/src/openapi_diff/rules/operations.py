"""Operations, matched by method and path template (parameter names ignored).

Breaking: an operation removed; its `operationId` changed, removed or added (generated
function names follow it); a path parameter renamed (the generated function's argument). A new
operation is a changelog line, and so is one newly `deprecated`. Each matched pair is then
handed to the rules for security, parameters, request bodies and responses."""

from openapi_diff.context import Diff
from openapi_diff.model import obj
from openapi_diff.rules import parameters, request_bodies, responses, security_requirements
from openapi_diff.spec import PATH_PARAMETER, Operation, operations


def compare(diff: Diff) -> None:
    before, after = operations(diff.base), operations(diff.head)
    for where, old in before.items():
        if where in after:
            _operation(diff, where, old, after[where])
        else:
            diff.add("operation-removed", where, old.title, breaking=True)
    for where, new in after.items():
        if where not in before:
            diff.add("operation-added", where, new.title, breaking=False)


def _operation(diff: Diff, where: str, old: Operation, new: Operation) -> None:
    old_id, new_id = old.node.get("operationId"), new.node.get("operationId")
    if old_id != new_id:
        diff.add("operation-id-changed", where, f"{old_id} -> {new_id}", breaking=True)
    if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
        diff.add("operation-deprecated", where, breaking=False)
    renames = zip(PATH_PARAMETER.findall(old.path), PATH_PARAMETER.findall(new.path), strict=True)
    for old_name, new_name in renames:  # the normalised templates are equal
        if old_name != new_name:
            location = f"{where} path.{old_name}"
            diff.add("path-parameter-renamed", location, f"now {new_name}", breaking=True)
    security_requirements.compare(diff, where, old.node, new.node)
    parameters.compare(diff, where, old, new)
    request_bodies.compare(diff, where, old.node.get("requestBody"), new.node.get("requestBody"))
    responses.compare(diff, where, obj(old.node.get("responses")), obj(new.node.get("responses")))
