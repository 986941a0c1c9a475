import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_action import AuditAction
from ...models.audit_event_page import AuditEventPage
from ...models.audit_object import AuditObject
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    lab_id: UUID,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    object_type: AuditObject | None | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    action: AuditAction | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_object_type: None | str | Unset
    if isinstance(object_type, Unset):
        json_object_type = UNSET
    elif isinstance(object_type, AuditObject):
        json_object_type = object_type.value
    else:
        json_object_type = object_type
    params["object_type"] = json_object_type

    json_object_id: None | str | Unset
    if isinstance(object_id, Unset):
        json_object_id = UNSET
    else:
        json_object_id = object_id
    params["object_id"] = json_object_id

    json_action: None | str | Unset
    if isinstance(action, Unset):
        json_action = UNSET
    elif isinstance(action, AuditAction):
        json_action = action.value
    else:
        json_action = action
    params["action"] = json_action

    json_actor_id: None | str | Unset
    if isinstance(actor_id, Unset):
        json_actor_id = UNSET
    elif isinstance(actor_id, UUID):
        json_actor_id = str(actor_id)
    else:
        json_actor_id = actor_id
    params["actor_id"] = json_actor_id

    json_since: None | str | Unset
    if isinstance(since, Unset):
        json_since = UNSET
    elif isinstance(since, datetime.datetime):
        json_since = since.isoformat()
    else:
        json_since = since
    params["since"] = json_since

    json_until: None | str | Unset
    if isinstance(until, Unset):
        json_until = UNSET
    elif isinstance(until, datetime.datetime):
        json_until = until.isoformat()
    else:
        json_until = until
    params["until"] = json_until

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/labs/{lab_id}/audit".format(
            lab_id=quote(str(lab_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditEventPage | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = AuditEventPage.from_dict(response.json())

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
) -> Response[AuditEventPage | ProblemDetails]:
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
    object_type: AuditObject | None | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    action: AuditAction | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> Response[AuditEventPage | ProblemDetails]:
    """A lab's audit trail, newest first (its managers, admins)

     A lab's audit trail, newest first (its managers, admins).

    Args:
        lab_id (UUID):
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        object_type (AuditObject | None | Unset):
        object_id (None | str | Unset): The object's id
        action (AuditAction | None | Unset):
        actor_id (None | Unset | UUID):
        since (datetime.datetime | None | Unset): Events at or after (with a time zone)
        until (datetime.datetime | None | Unset): Events before (with a time zone); none when not
            after `since`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditEventPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        limit=limit,
        cursor=cursor,
        object_type=object_type,
        object_id=object_id,
        action=action,
        actor_id=actor_id,
        since=since,
        until=until,
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
    object_type: AuditObject | None | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    action: AuditAction | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> AuditEventPage | ProblemDetails | None:
    """A lab's audit trail, newest first (its managers, admins)

     A lab's audit trail, newest first (its managers, admins).

    Args:
        lab_id (UUID):
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        object_type (AuditObject | None | Unset):
        object_id (None | str | Unset): The object's id
        action (AuditAction | None | Unset):
        actor_id (None | Unset | UUID):
        since (datetime.datetime | None | Unset): Events at or after (with a time zone)
        until (datetime.datetime | None | Unset): Events before (with a time zone); none when not
            after `since`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditEventPage | ProblemDetails
    """

    return sync_detailed(
        lab_id=lab_id,
        client=client,
        limit=limit,
        cursor=cursor,
        object_type=object_type,
        object_id=object_id,
        action=action,
        actor_id=actor_id,
        since=since,
        until=until,
    ).parsed


async def asyncio_detailed(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    object_type: AuditObject | None | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    action: AuditAction | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> Response[AuditEventPage | ProblemDetails]:
    """A lab's audit trail, newest first (its managers, admins)

     A lab's audit trail, newest first (its managers, admins).

    Args:
        lab_id (UUID):
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        object_type (AuditObject | None | Unset):
        object_id (None | str | Unset): The object's id
        action (AuditAction | None | Unset):
        actor_id (None | Unset | UUID):
        since (datetime.datetime | None | Unset): Events at or after (with a time zone)
        until (datetime.datetime | None | Unset): Events before (with a time zone); none when not
            after `since`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditEventPage | ProblemDetails]
    """

    kwargs = _get_kwargs(
        lab_id=lab_id,
        limit=limit,
        cursor=cursor,
        object_type=object_type,
        object_id=object_id,
        action=action,
        actor_id=actor_id,
        since=since,
        until=until,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    lab_id: UUID,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    object_type: AuditObject | None | Unset = UNSET,
    object_id: None | str | Unset = UNSET,
    action: AuditAction | None | Unset = UNSET,
    actor_id: None | Unset | UUID = UNSET,
    since: datetime.datetime | None | Unset = UNSET,
    until: datetime.datetime | None | Unset = UNSET,
) -> AuditEventPage | ProblemDetails | None:
    """A lab's audit trail, newest first (its managers, admins)

     A lab's audit trail, newest first (its managers, admins).

    Args:
        lab_id (UUID):
        limit (int | Unset): Page size Default: 50.
        cursor (None | str | Unset): `next_cursor` of the previous page
        object_type (AuditObject | None | Unset):
        object_id (None | str | Unset): The object's id
        action (AuditAction | None | Unset):
        actor_id (None | Unset | UUID):
        since (datetime.datetime | None | Unset): Events at or after (with a time zone)
        until (datetime.datetime | None | Unset): Events before (with a time zone); none when not
            after `since`

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditEventPage | ProblemDetails
    """

    return (
        await asyncio_detailed(
            lab_id=lab_id,
            client=client,
            limit=limit,
            cursor=cursor,
            object_type=object_type,
            object_id=object_id,
            action=action,
            actor_id=actor_id,
            since=since,
            until=until,
        )
    ).parsed
