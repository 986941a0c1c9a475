from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.lab_page import LabPage
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
    institution: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_search: None | str | Unset
    if isinstance(search, Unset):
        json_search = UNSET
    else:
        json_search = search
    params["search"] = json_search

    json_institution: None | str | Unset
    if isinstance(institution, Unset):
        json_institution = UNSET
    else:
        json_institution = institution
    params["institution"] = json_institution

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/labs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> LabPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = LabPage.from_dict(response.json())

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
) -> Response[LabPage | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
    institution: None | str | Unset = UNSET,
) -> Response[LabPage | ProblemDetails]:
    """Labs the caller belongs to (all labs for admins), ordered by name

     Labs the caller belongs to (all labs for admins), ordered by name.

    Args:
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        search (None | str | Unset):
        institution (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LabPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        search=search,
        institution=institution,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
    institution: None | str | Unset = UNSET,
) -> LabPage | ProblemDetails | None:
    """Labs the caller belongs to (all labs for admins), ordered by name

     Labs the caller belongs to (all labs for admins), ordered by name.

    Args:
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        search (None | str | Unset):
        institution (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LabPage | ProblemDetails
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        search=search,
        institution=institution,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
    institution: None | str | Unset = UNSET,
) -> Response[LabPage | ProblemDetails]:
    """Labs the caller belongs to (all labs for admins), ordered by name

     Labs the caller belongs to (all labs for admins), ordered by name.

    Args:
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        search (None | str | Unset):
        institution (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[LabPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        search=search,
        institution=institution,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
    institution: None | str | Unset = UNSET,
) -> LabPage | ProblemDetails | None:
    """Labs the caller belongs to (all labs for admins), ordered by name

     Labs the caller belongs to (all labs for admins), ordered by name.

    Args:
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        search (None | str | Unset):
        institution (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        LabPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            search=search,
            institution=institution,
        )
    ).parsed
