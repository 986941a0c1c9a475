"""Health probes through the generated functions: sync, async, detailed and parsed."""

from http import HTTPStatus
from typing import get_type_hints

import pytest
from co2calculator_client import Client
from co2calculator_client.api.health import get_health, get_readiness
from co2calculator_client.models import HealthStatus, ProblemDetails

from .conftest import Live


def test_get_health_sync(client: Client) -> None:
    health = get_health.sync(client=client)

    assert isinstance(health, HealthStatus)
    assert health.status == "ok"


def test_get_health_sync_detailed(client: Client) -> None:
    response = get_health.sync_detailed(client=client)

    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, HealthStatus)
    assert response.parsed.to_dict() == {"status": "ok"}
    assert response.headers["content-type"].startswith("application/json")
    assert response.headers["x-request-id"]


def test_get_readiness_sync(client: Client) -> None:
    readiness = get_readiness.sync(client=client)

    assert isinstance(readiness, HealthStatus)
    assert readiness.status == "ok"


@pytest.mark.anyio
async def test_get_health_async(live: Live) -> None:
    async with Client(base_url=live.base_url) as client:
        health = await get_health.asyncio(client=client)

    assert isinstance(health, HealthStatus)
    assert health.status == "ok"


@pytest.mark.anyio
async def test_get_readiness_async_detailed(live: Live) -> None:
    async with Client(base_url=live.base_url) as client:
        response = await get_readiness.asyncio_detailed(client=client)

    assert response.status_code == HTTPStatus.OK
    assert isinstance(response.parsed, HealthStatus)


@pytest.mark.parametrize("function", [get_readiness.sync, get_readiness.asyncio])
def test_readiness_declares_problem_details(function: object) -> None:
    # A live 503 needs a broken database; the declared result type is checked instead.
    returned = get_type_hints(function)["return"]

    assert ProblemDetails in returned.__args__
    assert HealthStatus in returned.__args__
