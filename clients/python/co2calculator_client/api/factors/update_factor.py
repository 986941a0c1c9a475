from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.factor_public import FactorPublic
from ...models.factor_update import FactorUpdate
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    factor_id: UUID,
    *,
    body: FactorUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/factors/{factor_id}".format(
            factor_id=quote(str(factor_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FactorPublic | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = FactorPublic.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

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

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

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
) -> Response[FactorPublic | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    factor_id: UUID,
    *,
    client: AuthenticatedClient,
    body: FactorUpdate,
) -> Response[FactorPublic | ProblemDetails]:
    """Change a factor (admins); a new value queues the recalculation of every entry using it

     Change a factor (admins); a new value queues the recalculation of every entry using it.

    Args:
        factor_id (UUID):
        body (FactorUpdate): PATCH an admin-managed factor; changing its value recomputes every
            entry that uses it.
            A value with which one of them would weigh 10^18 kg CO2e or more (more than an entry can
            store) is refused with 422, naming the largest value they allow.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FactorPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        factor_id=factor_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    factor_id: UUID,
    *,
    client: AuthenticatedClient,
    body: FactorUpdate,
) -> FactorPublic | ProblemDetails | None:
    """Change a factor (admins); a new value queues the recalculation of every entry using it

     Change a factor (admins); a new value queues the recalculation of every entry using it.

    Args:
        factor_id (UUID):
        body (FactorUpdate): PATCH an admin-managed factor; changing its value recomputes every
            entry that uses it.
            A value with which one of them would weigh 10^18 kg CO2e or more (more than an entry can
            store) is refused with 422, naming the largest value they allow.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FactorPublic | ProblemDetails
    """

    return sync_detailed(
        factor_id=factor_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    factor_id: UUID,
    *,
    client: AuthenticatedClient,
    body: FactorUpdate,
) -> Response[FactorPublic | ProblemDetails]:
    """Change a factor (admins); a new value queues the recalculation of every entry using it

     Change a factor (admins); a new value queues the recalculation of every entry using it.

    Args:
        factor_id (UUID):
        body (FactorUpdate): PATCH an admin-managed factor; changing its value recomputes every
            entry that uses it.
            A value with which one of them would weigh 10^18 kg CO2e or more (more than an entry can
            store) is refused with 422, naming the largest value they allow.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FactorPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        factor_id=factor_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    factor_id: UUID,
    *,
    client: AuthenticatedClient,
    body: FactorUpdate,
) -> FactorPublic | ProblemDetails | None:
    """Change a factor (admins); a new value queues the recalculation of every entry using it

     Change a factor (admins); a new value queues the recalculation of every entry using it.

    Args:
        factor_id (UUID):
        body (FactorUpdate): PATCH an admin-managed factor; changing its value recomputes every
            entry that uses it.
            A value with which one of them would weigh 10^18 kg CO2e or more (more than an entry can
            store) is refused with 422, naming the largest value they allow.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FactorPublic | ProblemDetails
    """

    return (
        await asyncio_detailed(
            factor_id=factor_id,
            client=client,
            body=body,
        )
    ).parsed
