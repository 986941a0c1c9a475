from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.target_progress import TargetProgress
from ...types import Response


def _get_kwargs(
    lab_id: UUID,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/labs/{lab_id}/target/progress".format(
            lab_id=quote(str(lab_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | TargetProgress | None:
    if response.status_code == 200:
        response_200 = TargetProgress.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

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
) -> Response[ProblemDetails | TargetProgress]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | TargetProgress]:
    """The target's linear path and the actual totals, every year from the baseline to the

     target year (without a target: `target` null, no years).

    Args:
        lab_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TargetProgress]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | TargetProgress | None:
    """The target's linear path and the actual totals, every year from the baseline to the

     target year (without a target: `target` null, no years).

    Args:
        lab_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TargetProgress
    """

    return sync_detailed(
        lab_id=lab_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | TargetProgress]:
    """The target's linear path and the actual totals, every year from the baseline to the

     target year (without a target: `target` null, no years).

    Args:
        lab_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | TargetProgress]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | TargetProgress | None:
    """The target's linear path and the actual totals, every year from the baseline to the

     target year (without a target: `target` null, no years).

    Args:
        lab_id (UUID):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | TargetProgress
    """

    return (
        await asyncio_detailed(
            lab_id=lab_id,
            client=client,
        )
    ).parsed
