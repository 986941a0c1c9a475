from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_policy import ErrorPolicy
from ...models.job_public import JobPublic
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    on_error: ErrorPolicy | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_on_error: str | Unset = UNSET
    if not isinstance(on_error, Unset):
        json_on_error = on_error.value

    params["on_error"] = json_on_error

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/factors/sync",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JobPublic | ProblemDetails | None:
    if response.status_code == 202:
        response_202 = JobPublic.from_dict(response.json())

        return response_202

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

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
) -> Response[JobPublic | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    on_error: ErrorPolicy | Unset = UNSET,
) -> Response[JobPublic | ProblemDetails]:
    """Fetch the factors CSV at `FACTOR_SYNC_URL` and import it in the background (admins)

     409 (`not-configured`) when the server has no `FACTOR_SYNC_URL`. The fetch sends
    `GITHUB_TOKEN` as a bearer token when set; its failures (HTTP error, timeout, too large,
    not a factors CSV) fail the job.

    Args:
        on_error (ErrorPolicy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        on_error=on_error,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    on_error: ErrorPolicy | Unset = UNSET,
) -> JobPublic | ProblemDetails | None:
    """Fetch the factors CSV at `FACTOR_SYNC_URL` and import it in the background (admins)

     409 (`not-configured`) when the server has no `FACTOR_SYNC_URL`. The fetch sends
    `GITHUB_TOKEN` as a bearer token when set; its failures (HTTP error, timeout, too large,
    not a factors CSV) fail the job.

    Args:
        on_error (ErrorPolicy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobPublic | ProblemDetails
    """

    return sync_detailed(
        client=client,
        on_error=on_error,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    on_error: ErrorPolicy | Unset = UNSET,
) -> Response[JobPublic | ProblemDetails]:
    """Fetch the factors CSV at `FACTOR_SYNC_URL` and import it in the background (admins)

     409 (`not-configured`) when the server has no `FACTOR_SYNC_URL`. The fetch sends
    `GITHUB_TOKEN` as a bearer token when set; its failures (HTTP error, timeout, too large,
    not a factors CSV) fail the job.

    Args:
        on_error (ErrorPolicy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        on_error=on_error,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    on_error: ErrorPolicy | Unset = UNSET,
) -> JobPublic | ProblemDetails | None:
    """Fetch the factors CSV at `FACTOR_SYNC_URL` and import it in the background (admins)

     409 (`not-configured`) when the server has no `FACTOR_SYNC_URL`. The fetch sends
    `GITHUB_TOKEN` as a bearer token when set; its failures (HTTP error, timeout, too large,
    not a factors CSV) fail the job.

    Args:
        on_error (ErrorPolicy | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobPublic | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            on_error=on_error,
        )
    ).parsed
