from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.body_import_headcount import BodyImportHeadcount
from ...models.headcount_year_public import HeadcountYearPublic
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    lab_id: UUID,
    *,
    body: BodyImportHeadcount,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/labs/{lab_id}/headcount".format(
            lab_id=quote(str(lab_id), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
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
    body: BodyImportHeadcount,
) -> Response[ProblemDetails | list[HeadcountYearPublic]]:
    """Replace the years a headcount CSV names, all or none (managers)

     Replace the years a headcount CSV names, all or none (managers).

    Args:
        lab_id (UUID):
        body (BodyImportHeadcount):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | list[HeadcountYearPublic]]
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
    body: BodyImportHeadcount,
) -> ProblemDetails | list[HeadcountYearPublic] | None:
    """Replace the years a headcount CSV names, all or none (managers)

     Replace the years a headcount CSV names, all or none (managers).

    Args:
        lab_id (UUID):
        body (BodyImportHeadcount):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | list[HeadcountYearPublic]
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
    body: BodyImportHeadcount,
) -> Response[ProblemDetails | list[HeadcountYearPublic]]:
    """Replace the years a headcount CSV names, all or none (managers)

     Replace the years a headcount CSV names, all or none (managers).

    Args:
        lab_id (UUID):
        body (BodyImportHeadcount):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | list[HeadcountYearPublic]]
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
    body: BodyImportHeadcount,
) -> ProblemDetails | list[HeadcountYearPublic] | None:
    """Replace the years a headcount CSV names, all or none (managers)

     Replace the years a headcount CSV names, all or none (managers).

    Args:
        lab_id (UUID):
        body (BodyImportHeadcount):

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
            body=body,
        )
    ).parsed
