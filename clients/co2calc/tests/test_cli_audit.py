"""`co2calc audit` against a live server: a lab's trail and the whole of it, newest first."""

import json

from cli_support import MISSING, Lab, Live, co2calc, error_line
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.labs import get_lab, update_lab
from co2calculator_client.models import LabPublic, LabUpdate


def test_audit_lists_a_labs_events_newest_first(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab
) -> None:
    current = get_lab.sync(lab.id, client=admin_client)
    assert isinstance(current, LabPublic)
    body = LabUpdate(version=current.version, description="audited by the CLI")
    assert isinstance(update_lab.sync(lab.id, client=admin_client, body=body), LabPublic)

    listed = co2calc(live, "audit", lab.code, "--json", key=admin_key)
    table = co2calc(live, "audit", str(lab.id), "--action", "lab.updated", key=admin_key)
    everywhere = co2calc(
        live, "audit", "--object-type", "lab", "--limit", "5", "--json", key=admin_key
    )

    assert listed.code == 0, listed.err
    events = [json.loads(line) for line in listed.out.splitlines()]
    assert [e["action"] for e in events] == ["lab.updated", "lab.created"]
    assert events[0]["changes"] == {"description": ["", "audited by the CLI"]}
    assert table.code == 0, table.err
    assert "lab.updated" in table.out
    assert "lab.created" not in table.out
    assert everywhere.code == 0, everywhere.err
    assert str(lab.id) in everywhere.out


def test_audit_errors_are_one_line(live: Live, admin_key: str) -> None:
    unknown = co2calc(live, "audit", MISSING, key=admin_key)
    bad_action = co2calc(live, "audit", "--action", "lab.exploded", key=admin_key)

    assert unknown.code == 1
    assert "(404)" in error_line(unknown) or "no lab" in error_line(unknown)
    assert bad_action.code == 2  # refused by the command's own options
