from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.headcount_year_public import HeadcountYearPublic
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    lab_id: UUID,
    *,
    year: int | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_year: int | None | Unset
    if isinstance(year, Unset):
        json_year = UNSET
    else:
        json_year = year
    params["year"] = json_year

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/labs/{lab_id}/headcount".format(
            lab_id=quote(str(lab_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | list[HeadcountYearPublic] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = HeadcountYearPublic.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[ProblemDetails | list[HeadcountYearPublic]]:
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
    year: int | None | Unset = UNSET,
) -> Response[ProblemDetails | list[HeadcountYearPublic]]:
    """A lab's FTE by staff category, of one year or of every year recorded

     A lab's FTE by staff category, of one year or of every year recorded.

    Args:
        lab_id (UUID):
        year (int | None | Unset): Default: every year

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | list[HeadcountYearPublic]]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        year=year,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
) -> ProblemDetails | list[HeadcountYearPublic] | None:
    """A lab's FTE by staff category, of one year or of every year recorded

     A lab's FTE by staff category, of one year or of every year recorded.

    Args:
        lab_id (UUID):
        year (int | None | Unset): Default: every year

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | list[HeadcountYearPublic]
    """

    return sync_detailed(
        lab_id=lab_id,
        client=client,
        year=year,
    ).parsed


async def asyncio_detailed(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
) -> Response[ProblemDetails | list[HeadcountYearPublic]]:
    """A lab's FTE by staff category, of one year or of every year recorded

     A lab's FTE by staff category, of one year or of every year recorded.

    Args:
        lab_id (UUID):
        year (int | None | Unset): Default: every year

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | list[HeadcountYearPublic]]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        year=year,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    year: int | None | Unset = UNSET,
) -> ProblemDetails | list[HeadcountYearPublic] | None:
    """A lab's FTE by staff category, of one year or of every year recorded

     A lab's FTE by staff category, of one year or of every year recorded.

    Args:
        lab_id (UUID):
        year (int | None | Unset): Default: every year

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | list[HeadcountYearPublic]
    """

    return (
        await asyncio_detailed(
            lab_id=lab_id,
            client=client,
            year=year,
        )
    ).parsed
