from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.browser_session import BrowserSession
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    co2calc_refresh: None | str | Unset = UNSET,
) -> dict[str, Any]:

    cookies = {}
    if co2calc_refresh is not UNSET:
        cookies["co2calc_refresh"] = co2calc_refresh

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/auth/session/refresh",
        "cookies": cookies,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BrowserSession | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = BrowserSession.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 500:
        response_500 = ProblemDetails.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = ProblemDetails.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BrowserSession | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    co2calc_refresh: None | str | Unset = UNSET,
) -> Response[BrowserSession | ProblemDetails]:
    """Rotate the session cookie's refresh token and return a new access token (how the web app

     stays signed in across reloads and tabs). No cookie, or a spent one, is a 401.

    Args:
        co2calc_refresh (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BrowserSession | ProblemDetails]
    """

    kwargs = _get_kwargs(
        co2calc_refresh=co2calc_refresh,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    co2calc_refresh: None | str | Unset = UNSET,
) -> BrowserSession | ProblemDetails | None:
    """Rotate the session cookie's refresh token and return a new access token (how the web app

     stays signed in across reloads and tabs). No cookie, or a spent one, is a 401.

    Args:
        co2calc_refresh (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BrowserSession | ProblemDetails
    """

    return sync_detailed(
        client=client,
        co2calc_refresh=co2calc_refresh,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    co2calc_refresh: None | str | Unset = UNSET,
) -> Response[BrowserSession | ProblemDetails]:
    """Rotate the session cookie's refresh token and return a new access token (how the web app

     stays signed in across reloads and tabs). No cookie, or a spent one, is a 401.

    Args:
        co2calc_refresh (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BrowserSession | ProblemDetails]
    """

    kwargs = _get_kwargs(
        co2calc_refresh=co2calc_refresh,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    co2calc_refresh: None | str | Unset = UNSET,
) -> BrowserSession | ProblemDetails | None:
    """Rotate the session cookie's refresh token and return a new access token (how the web app

     stays signed in across reloads and tabs). No cookie, or a spent one, is a 401.

    Args:
        co2calc_refresh (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BrowserSession | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            co2calc_refresh=co2calc_refresh,
        )
    ).parsed
