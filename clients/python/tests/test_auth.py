"""Signing in with the account the harness seeded, then calling as that user."""

import pytest
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.users import get_me
from co2calculator_client.models import TokenPair, UserPublic, UserRole

from .conftest import Live


def test_login_returns_a_bearer_token_pair(admin_tokens: TokenPair) -> None:
    assert admin_tokens.access_token
    assert admin_tokens.refresh_token
    assert str(admin_tokens.token_type).lower() == "bearer"


def test_get_me_sync(admin_client: AuthenticatedClient, live: Live) -> None:
    me = get_me.sync(client=admin_client)

    assert isinstance(me, UserPublic)
    assert me.email == live.admin_email
    assert me.role == UserRole.ADMIN


@pytest.mark.anyio
async def test_get_me_async(live: Live, admin_tokens: TokenPair) -> None:
    async with AuthenticatedClient(base_url=live.base_url, token=admin_tokens.access_token) as c:
        me = await get_me.asyncio(client=c)

    assert isinstance(me, UserPublic)
    assert me.email == live.admin_email
