from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.body_upload_activities import BodyUploadActivities
from ...models.error_policy import ErrorPolicy
from ...models.job_public import JobPublic
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    lab_id: UUID,
    *,
    body: BodyUploadActivities,
    on_error: ErrorPolicy | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_on_error: str | Unset = UNSET
    if not isinstance(on_error, Unset):
        json_on_error = on_error.value

    params["on_error"] = json_on_error

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/labs/{lab_id}/imports".format(
            lab_id=quote(str(lab_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> JobPublic | ProblemDetails | None:
    if response.status_code == 202:
        response_202 = JobPublic.from_dict(response.json())

        return response_202

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
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BodyUploadActivities,
    on_error: ErrorPolicy | Unset = UNSET,
) -> Response[JobPublic | ProblemDetails]:
    """Upload a CSV of activities (contributors, managers); it is imported in the background

     Upload a CSV of activities (contributors, managers); it is imported in the background.

    Args:
        lab_id (UUID):
        on_error (ErrorPolicy | Unset):
        body (BodyUploadActivities):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        body=body,
        on_error=on_error,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BodyUploadActivities,
    on_error: ErrorPolicy | Unset = UNSET,
) -> JobPublic | ProblemDetails | None:
    """Upload a CSV of activities (contributors, managers); it is imported in the background

     Upload a CSV of activities (contributors, managers); it is imported in the background.

    Args:
        lab_id (UUID):
        on_error (ErrorPolicy | Unset):
        body (BodyUploadActivities):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobPublic | ProblemDetails
    """

    return sync_detailed(
        lab_id=lab_id,
        client=client,
        body=body,
        on_error=on_error,
    ).parsed


async def asyncio_detailed(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BodyUploadActivities,
    on_error: ErrorPolicy | Unset = UNSET,
) -> Response[JobPublic | ProblemDetails]:
    """Upload a CSV of activities (contributors, managers); it is imported in the background

     Upload a CSV of activities (contributors, managers); it is imported in the background.

    Args:
        lab_id (UUID):
        on_error (ErrorPolicy | Unset):
        body (BodyUploadActivities):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[JobPublic | ProblemDetails]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        body=body,
        on_error=on_error,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    body: BodyUploadActivities,
    on_error: ErrorPolicy | Unset = UNSET,
) -> JobPublic | ProblemDetails | None:
    """Upload a CSV of activities (contributors, managers); it is imported in the background

     Upload a CSV of activities (contributors, managers); it is imported in the background.

    Args:
        lab_id (UUID):
        on_error (ErrorPolicy | Unset):
        body (BodyUploadActivities):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        JobPublic | ProblemDetails
    """

    return (
        await asyncio_detailed(
            lab_id=lab_id,
            client=client,
            body=body,
            on_error=on_error,
        )
    ).parsed
