import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.entry_page import EntryPage
from ...models.factor_category import FactorCategory
from ...models.list_lab_entries_order import ListLabEntriesOrder
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    lab_id: UUID,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListLabEntriesOrder | Unset = ListLabEntriesOrder.DESC,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    category: FactorCategory | None | Unset = UNSET,
    factor_key: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order.value

    params["order"] = json_order

    json_date_from: None | str | Unset
    if isinstance(date_from, Unset):
        json_date_from = UNSET
    elif isinstance(date_from, datetime.date):
        json_date_from = date_from.isoformat()
    else:
        json_date_from = date_from
    params["date_from"] = json_date_from

    json_date_to: None | str | Unset
    if isinstance(date_to, Unset):
        json_date_to = UNSET
    elif isinstance(date_to, datetime.date):
        json_date_to = date_to.isoformat()
    else:
        json_date_to = date_to
    params["date_to"] = json_date_to

    json_category: None | str | Unset
    if isinstance(category, Unset):
        json_category = UNSET
    elif isinstance(category, FactorCategory):
        json_category = category.value
    else:
        json_category = category
    params["category"] = json_category

    json_factor_key: None | str | Unset
    if isinstance(factor_key, Unset):
        json_factor_key = UNSET
    else:
        json_factor_key = factor_key
    params["factor_key"] = json_factor_key

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/labs/{lab_id}/entries".format(
            lab_id=quote(str(lab_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EntryPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = EntryPage.from_dict(response.json())

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
) -> Response[EntryPage | ProblemDetails]:
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
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListLabEntriesOrder | Unset = ListLabEntriesOrder.DESC,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    category: FactorCategory | None | Unset = UNSET,
    factor_key: None | str | Unset = UNSET,
) -> Response[EntryPage | ProblemDetails]:
    """A lab's entries by date (newest first unless `order=asc`), with filters

     A lab's entries by date (newest first unless `order=asc`), with filters.

    Args:
        lab_id (UUID):
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        order (ListLabEntriesOrder | Unset):  Default: ListLabEntriesOrder.DESC.
        date_from (datetime.date | None | Unset): Inclusive
        date_to (datetime.date | None | Unset): Inclusive
        category (FactorCategory | None | Unset):
        factor_key (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntryPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        limit=limit,
        cursor=cursor,
        order=order,
        date_from=date_from,
        date_to=date_to,
        category=category,
        factor_key=factor_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListLabEntriesOrder | Unset = ListLabEntriesOrder.DESC,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    category: FactorCategory | None | Unset = UNSET,
    factor_key: None | str | Unset = UNSET,
) -> EntryPage | ProblemDetails | None:
    """A lab's entries by date (newest first unless `order=asc`), with filters

     A lab's entries by date (newest first unless `order=asc`), with filters.

    Args:
        lab_id (UUID):
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        order (ListLabEntriesOrder | Unset):  Default: ListLabEntriesOrder.DESC.
        date_from (datetime.date | None | Unset): Inclusive
        date_to (datetime.date | None | Unset): Inclusive
        category (FactorCategory | None | Unset):
        factor_key (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntryPage | ProblemDetails
    """

    return sync_detailed(
        lab_id=lab_id,
        client=client,
        limit=limit,
        cursor=cursor,
        order=order,
        date_from=date_from,
        date_to=date_to,
        category=category,
        factor_key=factor_key,
    ).parsed


async def asyncio_detailed(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListLabEntriesOrder | Unset = ListLabEntriesOrder.DESC,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    category: FactorCategory | None | Unset = UNSET,
    factor_key: None | str | Unset = UNSET,
) -> Response[EntryPage | ProblemDetails]:
    """A lab's entries by date (newest first unless `order=asc`), with filters

     A lab's entries by date (newest first unless `order=asc`), with filters.

    Args:
        lab_id (UUID):
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        order (ListLabEntriesOrder | Unset):  Default: ListLabEntriesOrder.DESC.
        date_from (datetime.date | None | Unset): Inclusive
        date_to (datetime.date | None | Unset): Inclusive
        category (FactorCategory | None | Unset):
        factor_key (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntryPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        limit=limit,
        cursor=cursor,
        order=order,
        date_from=date_from,
        date_to=date_to,
        category=category,
        factor_key=factor_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    order: ListLabEntriesOrder | Unset = ListLabEntriesOrder.DESC,
    date_from: datetime.date | None | Unset = UNSET,
    date_to: datetime.date | None | Unset = UNSET,
    category: FactorCategory | None | Unset = UNSET,
    factor_key: None | str | Unset = UNSET,
) -> EntryPage | ProblemDetails | None:
    """A lab's entries by date (newest first unless `order=asc`), with filters

     A lab's entries by date (newest first unless `order=asc`), with filters.

    Args:
        lab_id (UUID):
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        order (ListLabEntriesOrder | Unset):  Default: ListLabEntriesOrder.DESC.
        date_from (datetime.date | None | Unset): Inclusive
        date_to (datetime.date | None | Unset): Inclusive
        category (FactorCategory | None | Unset):
        factor_key (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntryPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            lab_id=lab_id,
            client=client,
            limit=limit,
            cursor=cursor,
            order=order,
            date_from=date_from,
            date_to=date_to,
            category=category,
            factor_key=factor_key,
        )
    ).parsed
