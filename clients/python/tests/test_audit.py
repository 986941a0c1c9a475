"""The audit trail through the generated client: a change shows up as a typed event with its
changed fields, pages follow the cursor, and a bad cursor is a 422 problem."""

import secrets
from http import HTTPStatus

from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.audit import list_audit, list_lab_audit
from co2calculator_client.api.labs import create_lab, update_lab
from co2calculator_client.models import (
    AuditAction,
    AuditEventPage,
    AuditObject,
    LabCreate,
    LabPublic,
    LabUpdate,
    ProblemDetails,
)


def test_a_lab_change_is_an_event_of_its_trail(admin_client: AuthenticatedClient) -> None:
    tag = secrets.token_hex(4).upper()
    lab = create_lab.sync(client=admin_client, body=LabCreate(name=f"Audit {tag}", code=f"AU-{tag}"))
    assert isinstance(lab, LabPublic)
    body = LabUpdate(version=lab.version, description="audited")
    assert isinstance(update_lab.sync(lab.id, client=admin_client, body=body), LabPublic)

    page = list_lab_audit.sync(lab.id, client=admin_client, limit=1)
    assert isinstance(page, AuditEventPage)
    (newest,) = page.items
    assert newest.action == AuditAction.LAB_UPDATED.value
    assert newest.object_type == AuditObject.LAB.value
    assert newest.changes.additional_properties == {"description": ["", "audited"]}
    assert isinstance(page.next_cursor, str)
    older = list_lab_audit.sync(lab.id, client=admin_client, limit=1, cursor=page.next_cursor)
    assert isinstance(older, AuditEventPage)
    assert [event.action for event in older.items] == [AuditAction.LAB_CREATED.value]
    assert older.items[0].id < newest.id

    everywhere = list_audit.sync(
        client=admin_client, object_type=AuditObject.LAB, object_id=str(lab.id)
    )
    assert isinstance(everywhere, AuditEventPage)
    assert [event.id for event in everywhere.items] == [newest.id, older.items[0].id]


def test_a_bad_cursor_is_a_422_problem(admin_client: AuthenticatedClient) -> None:
    response = list_audit.sync_detailed(client=admin_client, cursor="not-a-cursor")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert isinstance(response.parsed, ProblemDetails)
