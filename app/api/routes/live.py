"""Live job status over a WebSocket: `WS /api/v1/ws/jobs`.

OpenAPI cannot describe a WebSocket, so this route is not in the spec; its messages are documented
in docs/live-status.md, and their models (`MESSAGE_MODELS`) are in the spec's components
so that the generated clients have their types.

Credentials: `?token=` (an access token or an API key; browsers cannot set headers on a socket),
or `Authorization: Bearer …` / `X-API-Key` (other clients). A refused caller's socket is accepted
and closed at once with 1008 and the reason, because a refused handshake reaches a browser as a
bare 1006, indistinguishable from a network failure.
"""

import asyncio
import contextlib
import logging
from typing import Annotated

from fastapi import APIRouter, Query, WebSocket, status
from fastapi.security.utils import get_authorization_scheme_param
from starlette.websockets import WebSocketDisconnect, WebSocketState

from app.core.errors import Unauthorized
from app.db.engine import get_session_factory
from app.models.job_event import JobStreamMessage
from app.services import job_events as job_event_service
from app.services.job_events import Credentials, Ending, JobEventHub

logger = logging.getLogger(__name__)
router = APIRouter()

MESSAGE_MODELS = (JobStreamMessage,)  # JobEvent, JobStreamReady, JobStreamResync

CLOSE_CODES = {
    Ending.UNAUTHENTICATED: status.WS_1008_POLICY_VIOLATION,
    Ending.TOO_SLOW: status.WS_1013_TRY_AGAIN_LATER,
}
TokenQuery = Annotated[
    str | None, Query(description="An access token or API key (browsers cannot send headers)")
]


def _credentials(websocket: WebSocket, token: str | None) -> Credentials:
    scheme, bearer = get_authorization_scheme_param(websocket.headers.get("Authorization"))
    header_bearer = bearer if scheme.lower() == "bearer" and bearer else None
    return Credentials(bearer=header_bearer or token, api_key=websocket.headers.get("X-API-Key"))


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    if websocket.client_state is WebSocketState.CONNECTED:
        with contextlib.suppress(WebSocketDisconnect, OSError):  # the client left meanwhile
            await websocket.close(code, reason.encode()[:123].decode(errors="ignore"))


async def _fail(websocket: WebSocket) -> None:
    """An unexpected error: logged here, and 1011 for the client (uvicorn would drop the
    connection without a close frame)."""
    logger.exception("the job-status socket failed")
    await _close(websocket, status.WS_1011_INTERNAL_ERROR, "Internal error; reconnect later.")


async def _until_disconnect(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, until it leaves."""
    while (await websocket.receive())["type"] != "websocket.disconnect":
        pass


@router.websocket("/ws/jobs")
async def watch_jobs(websocket: WebSocket, token: TokenQuery = None) -> None:
    """Job state and progress events of the labs the caller may see, after a replay."""
    hub: JobEventHub = websocket.app.state.job_events
    try:
        watch = await job_event_service.start_watch(
            hub,
            get_session_factory(),
            credentials=_credentials(websocket, token),
            oidc=websocket.app.state.oidc_verifier,
        )
    except Unauthorized as error:
        await websocket.accept()
        await _close(websocket, status.WS_1008_POLICY_VIOLATION, str(error))
        return
    except Exception:
        await websocket.accept()
        await _fail(websocket)
        return
    await websocket.accept()
    feed = asyncio.create_task(watch.run(websocket.send_text))
    client_gone = asyncio.create_task(_until_disconnect(websocket))
    try:
        done, _ = await asyncio.wait({feed, client_gone}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (feed, client_gone):
            task.cancel()
        await asyncio.gather(feed, client_gone, return_exceptions=True)
    if client_gone in done:
        return  # whatever `feed` raised, it was sending to a client that has left
    try:
        ending = feed.result()
    except WebSocketDisconnect:
        return
    except Exception:
        await _fail(websocket)
        return
    await _close(websocket, CLOSE_CODES[ending], ending.value)
