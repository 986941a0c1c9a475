from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.factor_category import FactorCategory
from ...models.factor_page import FactorPage
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    category: FactorCategory | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_category: None | str | Unset
    if isinstance(category, Unset):
        json_category = UNSET
    elif isinstance(category, FactorCategory):
        json_category = category.value
    else:
        json_category = category
    params["category"] = json_category

    json_year: int | None | Unset
    if isinstance(year, Unset):
        json_year = UNSET
    else:
        json_year = year
    params["year"] = json_year

    json_region: None | str | Unset
    if isinstance(region, Unset):
        json_region = UNSET
    else:
        json_region = region
    params["region"] = json_region

    json_search: None | str | Unset
    if isinstance(search, Unset):
        json_search = UNSET
    else:
        json_search = search
    params["search"] = json_search

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/factors",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FactorPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = FactorPage.from_dict(response.json())

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
) -> Response[FactorPage | ProblemDetails]:
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
    category: FactorCategory | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
) -> Response[FactorPage | ProblemDetails]:
    """Emission factors ordered by key and year, filtered by category, year, region and text

     Emission factors ordered by key and year, filtered by category, year, region and text.

    Args:
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        category (FactorCategory | None | Unset):
        year (int | None | Unset):
        region (None | str | Unset):
        search (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FactorPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        category=category,
        year=year,
        region=region,
        search=search,
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
    category: FactorCategory | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
) -> FactorPage | ProblemDetails | None:
    """Emission factors ordered by key and year, filtered by category, year, region and text

     Emission factors ordered by key and year, filtered by category, year, region and text.

    Args:
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        category (FactorCategory | None | Unset):
        year (int | None | Unset):
        region (None | str | Unset):
        search (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FactorPage | ProblemDetails
    """

    return sync_detailed(
        client=client,
        limit=limit,
        cursor=cursor,
        category=category,
        year=year,
        region=region,
        search=search,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    category: FactorCategory | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
) -> Response[FactorPage | ProblemDetails]:
    """Emission factors ordered by key and year, filtered by category, year, region and text

     Emission factors ordered by key and year, filtered by category, year, region and text.

    Args:
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        category (FactorCategory | None | Unset):
        year (int | None | Unset):
        region (None | str | Unset):
        search (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FactorPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        limit=limit,
        cursor=cursor,
        category=category,
        year=year,
        region=region,
        search=search,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    category: FactorCategory | None | Unset = UNSET,
    year: int | None | Unset = UNSET,
    region: None | str | Unset = UNSET,
    search: None | str | Unset = UNSET,
) -> FactorPage | ProblemDetails | None:
    """Emission factors ordered by key and year, filtered by category, year, region and text

     Emission factors ordered by key and year, filtered by category, year, region and text.

    Args:
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        category (FactorCategory | None | Unset):
        year (int | None | Unset):
        region (None | str | Unset):
        search (None | str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FactorPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            limit=limit,
            cursor=cursor,
            category=category,
            year=year,
            region=region,
            search=search,
        )
    ).parsed
