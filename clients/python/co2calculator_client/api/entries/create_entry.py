from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.entry_create import EntryCreate
from ...models.entry_public import EntryPublic
from ...models.equipment_entry_create import EquipmentEntryCreate
from ...models.flight_entry_create import FlightEntryCreate
from ...models.problem_details import ProblemDetails
from ...models.purchase_entry_create import PurchaseEntryCreate
from ...models.refrigerant_entry_create import RefrigerantEntryCreate
from ...types import Response


def _get_kwargs(
    lab_id: UUID,
    *,
    body: EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate | RefrigerantEntryCreate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/labs/{lab_id}/entries".format(
            lab_id=quote(str(lab_id), safe=""),
        ),
    }

    if isinstance(body, EntryCreate):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, FlightEntryCreate):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, PurchaseEntryCreate):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, RefrigerantEntryCreate):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EntryPublic | ProblemDetails | None:
    if response.status_code == 201:
        response_201 = EntryPublic.from_dict(response.json())

        return response_201

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
) -> Response[EntryPublic | ProblemDetails]:
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
    body: EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate | RefrigerantEntryCreate,
) -> Response[EntryPublic | ProblemDetails]:
    """Record an activity (contributors, managers): a plain quantity of a factor's unit, or a

     typed activity (`kind`: flight, purchase, refrigerant) from which the server computes the
    quantity and picks the factor; kg CO2e is computed by the server.

    Args:
        lab_id (UUID):
        body (EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate |
            RefrigerantEntryCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntryPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    body: EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate | RefrigerantEntryCreate,
) -> EntryPublic | ProblemDetails | None:
    """Record an activity (contributors, managers): a plain quantity of a factor's unit, or a

     typed activity (`kind`: flight, purchase, refrigerant) from which the server computes the
    quantity and picks the factor; kg CO2e is computed by the server.

    Args:
        lab_id (UUID):
        body (EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate |
            RefrigerantEntryCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntryPublic | ProblemDetails
    """

    return sync_detailed(
        lab_id=lab_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    body: EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate | RefrigerantEntryCreate,
) -> Response[EntryPublic | ProblemDetails]:
    """Record an activity (contributors, managers): a plain quantity of a factor's unit, or a

     typed activity (`kind`: flight, purchase, refrigerant) from which the server computes the
    quantity and picks the factor; kg CO2e is computed by the server.

    Args:
        lab_id (UUID):
        body (EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate |
            RefrigerantEntryCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntryPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    body: EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate | RefrigerantEntryCreate,
) -> EntryPublic | ProblemDetails | None:
    """Record an activity (contributors, managers): a plain quantity of a factor's unit, or a

     typed activity (`kind`: flight, purchase, refrigerant) from which the server computes the
    quantity and picks the factor; kg CO2e is computed by the server.

    Args:
        lab_id (UUID):
        body (EntryCreate | EquipmentEntryCreate | FlightEntryCreate | PurchaseEntryCreate |
            RefrigerantEntryCreate):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntryPublic | ProblemDetails
    """

    return (
        await asyncio_detailed(
            lab_id=lab_id,
            client=client,
            body=body,
        )
    ).parsed
