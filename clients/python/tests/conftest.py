"""Fixtures for the client tests: a live server and clients pointed at it.

Run through the harness (`scripts/test-clients`, or `python -m scripts.live_server -- pytest
clients/python/tests`), the server comes from `CO2CALC_BASE_URL`; run plainly (`pytest
clients/python/tests`), these fixtures start their own with `scripts.live_server.live_server()`.
The generated package is imported from this checkout, so no install is needed.
"""

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

_PROJECT = Path(__file__).resolve().parents[1]  # clients/python
_REPOSITORY = _PROJECT.parents[1]
for _path in (_PROJECT, _REPOSITORY):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from co2calculator_client import AuthenticatedClient, Client  # noqa: E402
from co2calculator_client.api.auth import login  # noqa: E402
from co2calculator_client.models import LoginForm, TokenPair  # noqa: E402


@dataclass(frozen=True)
class Live:
    """Where the server is, and the accounts the harness seeded on it."""

    base_url: str
    admin_email: str
    admin_password: str


@pytest.fixture(scope="session")
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def live() -> Iterator[Live]:
    base_url = os.environ.get("CO2CALC_BASE_URL")
    if base_url:
        yield Live(
            base_url=base_url,
            admin_email=os.environ["CO2CALC_TEST_ADMIN_EMAIL"],
            admin_password=os.environ["CO2CALC_TEST_ADMIN_PASSWORD"],
        )
        return
    from scripts.live_server import live_server

    with live_server() as server:
        yield Live(server.base_url, server.admin.email, server.admin.password)


@pytest.fixture
def client(live: Live) -> Iterator[Client]:
    with Client(base_url=live.base_url, raise_on_unexpected_status=True) as anonymous:
        yield anonymous


@pytest.fixture(scope="session")
def admin_tokens(live: Live) -> TokenPair:
    """One sign-in per session (logins are rate limited per account)."""
    with Client(base_url=live.base_url, raise_on_unexpected_status=True) as anonymous:
        form = LoginForm(username=live.admin_email, password=live.admin_password)
        tokens = login.sync(client=anonymous, body=form)
    assert isinstance(tokens, TokenPair), tokens
    return tokens


@pytest.fixture
def admin_client(live: Live, admin_tokens: TokenPair) -> Iterator[AuthenticatedClient]:
    with AuthenticatedClient(
        base_url=live.base_url, token=admin_tokens.access_token, raise_on_unexpected_status=True
    ) as signed_in:
        yield signed_in
