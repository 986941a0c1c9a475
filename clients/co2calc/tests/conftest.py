"""Fixtures for the co2calc tests: a live server, its admin, and a lab of each test's own.

Run through the harness (`scripts/test-clients`, or `python -m scripts.live_server -- pytest
clients/co2calc/tests`), the server comes from `CO2CALC_BASE_URL`; run plainly (`pytest
clients/co2calc/tests`), the session fixture starts its own with `scripts.live_server`.
"""

import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

_REPOSITORY = Path(__file__).resolve().parents[3]
for _path in (_REPOSITORY / "clients" / "python", _REPOSITORY):  # the checkout's client first
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from cli_support import Lab, Live, api_key_with  # noqa: E402
from co2calculator_client import AuthenticatedClient, Client  # noqa: E402
from co2calculator_client.api.auth import login  # noqa: E402
from co2calculator_client.api.factors import create_factor  # noqa: E402
from co2calculator_client.api.labs import create_lab  # noqa: E402
from co2calculator_client.models import (  # noqa: E402
    FactorCategory,
    FactorCreate,
    FactorPublic,
    LabCreate,
    LabPublic,
    LoginForm,
    TokenPair,
)


@pytest.fixture(scope="session")
def live() -> Iterator[Live]:
    base_url = os.environ.get("CO2CALC_BASE_URL")
    if base_url:
        email, password = (os.environ[f"CO2CALC_TEST_ADMIN_{k}"] for k in ("EMAIL", "PASSWORD"))
        yield Live(base_url=base_url, admin_email=email, admin_password=password)
        return
    from scripts.live_server import live_server

    with live_server() as server:
        yield Live(server.base_url, server.admin.email, server.admin.password)


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


@pytest.fixture(scope="session")
def admin_key(live: Live, admin_tokens: TokenPair) -> str:
    return api_key_with(live, admin_tokens.access_token)


@pytest.fixture
def lab(admin_client: AuthenticatedClient) -> Lab:
    """A new lab and a factor of its own (0.5 kg CO2e per kg, 2025)."""
    tag = secrets.token_hex(4)
    key = f"test.cli{tag}"
    factor = FactorCreate(
        key=key,
        category=FactorCategory.OTHER,
        unit="kg",
        kg_co2e_per_unit="0.5",
        scope=3,
        year=2025,
    )
    assert isinstance(create_factor.sync(client=admin_client, body=factor), FactorPublic)
    created = create_lab.sync(
        client=admin_client, body=LabCreate(name=f"CLI {tag}", code=f"CLI-{tag.upper()}")
    )
    assert isinstance(created, LabPublic)
    return Lab(id=created.id, code=created.code, factor_key=key)
