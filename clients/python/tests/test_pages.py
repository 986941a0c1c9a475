"""Cursor pages through the generated list functions (typed pages, `next_cursor` round trip)."""

import secrets

from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.labs import create_lab, list_labs
from co2calculator_client.models import LabCreate, LabPage, LabPublic


def test_list_labs_follows_the_cursor(admin_client: AuthenticatedClient) -> None:
    tag = secrets.token_hex(4).upper()
    for n in (1, 2):
        body = LabCreate(name=f"Paging {tag} {n}", code=f"PY-{tag}-{n}")
        assert isinstance(create_lab.sync(client=admin_client, body=body), LabPublic)

    codes: list[str] = []
    cursor: str | None = None
    for _ in range(3):
        page = list_labs.sync(client=admin_client, limit=1, search=tag, cursor=cursor)
        assert isinstance(page, LabPage)
        codes += [lab.code for lab in page.items]
        if not isinstance(page.next_cursor, str):
            break
        cursor = page.next_cursor

    assert codes == [f"PY-{tag}-1", f"PY-{tag}-2"]
