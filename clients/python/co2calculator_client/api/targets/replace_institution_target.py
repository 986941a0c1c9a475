from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.institution_target_public import InstitutionTargetPublic
from ...models.problem_details import ProblemDetails
from ...models.target_put import TargetPut
from ...types import Response


def _get_kwargs(
    *,
    body: TargetPut,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/v1/institution/target",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InstitutionTargetPublic | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = InstitutionTargetPublic.from_dict(response.json())

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
) -> Response[InstitutionTargetPublic | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TargetPut,
) -> Response[InstitutionTargetPublic | ProblemDetails]:
    """Set the institution's reduction target, replacing any other (admins)

     Set the institution's reduction target, replacing any other (admins).

    Args:
        body (TargetPut): A target, as `PUT /labs/{lab_id}/target` and `PUT /institution/target`
            take it (it
            replaces the one there was).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InstitutionTargetPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: TargetPut,
) -> InstitutionTargetPublic | ProblemDetails | None:
    """Set the institution's reduction target, replacing any other (admins)

     Set the institution's reduction target, replacing any other (admins).

    Args:
        body (TargetPut): A target, as `PUT /labs/{lab_id}/target` and `PUT /institution/target`
            take it (it
            replaces the one there was).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InstitutionTargetPublic | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TargetPut,
) -> Response[InstitutionTargetPublic | ProblemDetails]:
    """Set the institution's reduction target, replacing any other (admins)

     Set the institution's reduction target, replacing any other (admins).

    Args:
        body (TargetPut): A target, as `PUT /labs/{lab_id}/target` and `PUT /institution/target`
            take it (it
            replaces the one there was).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InstitutionTargetPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TargetPut,
) -> InstitutionTargetPublic | ProblemDetails | None:
    """Set the institution's reduction target, replacing any other (admins)

     Set the institution's reduction target, replacing any other (admins).

    Args:
        body (TargetPut): A target, as `PUT /labs/{lab_id}/target` and `PUT /institution/target`
            take it (it
            replaces the one there was).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InstitutionTargetPublic | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
