"""`co2calc audit`: the audit trail, a lab's or the whole of it, newest first."""

import json
from typing import Annotated

import typer
from co2calculator_client.api.audit import list_audit, list_lab_audit
from co2calculator_client.models import AuditAction, AuditEventPublic, AuditObject
from co2calculator_client.types import UNSET
from rich.table import Table
from rich.text import Text

from co2calc.answers import lab_id, parsed
from co2calc.config import connect
from co2calc.output import out


def audit(
    ctx: typer.Context,
    lab: Annotated[
        str | None,
        typer.Argument(help="The lab's id or code (its managers); none: every event (admins)."),
    ] = None,
    object_type: Annotated[AuditObject | None, typer.Option(help="Only this kind.")] = None,
    action: Annotated[AuditAction | None, typer.Option(help="Only this action.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines, one per event.")] = False,
) -> None:
    """List the newest events of the audit trail: who changed what, and how."""
    kind = object_type if object_type is not None else UNSET
    what = action if action is not None else UNSET
    with connect(ctx) as client:
        if lab is None:
            answer = list_audit.sync_detailed(
                client=client, object_type=kind, action=what, limit=limit
            )
        else:
            answer = list_lab_audit.sync_detailed(
                lab_id(client, lab), client=client, object_type=kind, action=what, limit=limit
            )
        page = parsed(answer)
    if as_json:
        for event in page.items:
            out.print(json.dumps(event.to_dict(), sort_keys=True), markup=False, soft_wrap=True)
        return
    out.print(_table(page.items))


def _table(events: list[AuditEventPublic]) -> Table:
    table = Table()
    for name in ("Id", "At", "Action", "Object", "Actor", "Changes"):
        table.add_column(name, overflow="fold", justify="right" if name == "Id" else "left")
    for event in events:
        actor = str(event.actor_id) if event.actor_id else "system"
        changes = json.dumps(event.changes.to_dict(), sort_keys=True)
        cells = [str(event.id), event.at.isoformat(), event.action, event.object_id, actor]
        table.add_row(*(Text(cell) for cell in [*cells, changes]))
    return table
