"""Error responses arrive as the generated `ProblemDetails` model (application/problem+json)."""

import secrets
from http import HTTPStatus

import pytest
from co2calculator_client import AuthenticatedClient, Client
from co2calculator_client.api.auth import login
from co2calculator_client.api.users import get_me
from co2calculator_client.models import LoginForm, ProblemDetails

from .conftest import Live

PROBLEM_JSON = "application/problem+json"


def test_get_me_with_a_bad_token_is_a_401_problem(live: Live) -> None:
    with AuthenticatedClient(base_url=live.base_url, token=secrets.token_urlsafe(16)) as client:
        response = get_me.sync_detailed(client=client)

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.headers["content-type"].startswith(PROBLEM_JSON)
    problem = response.parsed
    assert isinstance(problem, ProblemDetails)
    assert problem.status == HTTPStatus.UNAUTHORIZED
    assert problem.title
    assert problem.type_  # `type` in the JSON
    assert problem.request_id == response.headers["x-request-id"]


@pytest.mark.anyio
async def test_login_with_a_wrong_password_is_a_401_problem(live: Live) -> None:
    form = LoginForm(username=live.admin_email, password=secrets.token_urlsafe(16))
    async with Client(base_url=live.base_url) as client:
        problem = await login.asyncio(client=client, body=form)

    assert isinstance(problem, ProblemDetails)
    assert problem.status == HTTPStatus.UNAUTHORIZED
