"""Live job status: who may watch which jobs, the replay on connect, and the in-process hub that
fans the job events of PostgreSQL NOTIFY (sent by whichever process changed the job) out to this
process's sockets.

Jobs of a lab are visible to its members (any role) and to admins; jobs of no lab (factor
imports, sync, recalculation) to admins only — the rules of the import endpoints (services/authz).
What a socket may see is computed when it connects, again at once when the caller's memberships
change (`lab_repository.MEMBERSHIP_CHANNEL`, NOTIFYed by the change's transaction: a removed member
stops receiving the lab's events within a database round trip), and every `RECHECK_SECONDS`
with its credentials: a socket whose token expired, whose session was revoked or whose account
was deactivated is ended at the latest then.

A socket outlives any transaction: each check runs in a short session of its own, never one held
for the socket's life (that would pin a pooled connection inside an open transaction).
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.errors import Unauthorized
from app.core.oidc import OidcVerifier
from app.db.pool import POOL
from app.models.job import JobStatus
from app.models.job_event import JobEvent, JobStreamReady, JobStreamResync
from app.repositories import job as job_repository
from app.repositories import lab as lab_repository
from app.services import auth as auth_service
from app.services.auth import Principal
from app.services.authz import LAB_RULES, Action, LabAction, is_allowed, sees_every_lab

logger = logging.getLogger(__name__)

QUEUE_SIZE = 256  # messages waiting for one socket; one more and the socket is ended (too slow)
REPLAY_LIMIT = 500  # a replay sends at most this many jobs, the most recently updated
RECHECK_SECONDS = 60.0  # credentials and memberships of an open socket are checked this often
LISTENER_WAIT_SECONDS = 5.0  # at most this long, a first socket waits for the LISTEN connection

Sessions = async_sessionmaker[AsyncSession]
Send = Callable[[str], Awaitable[None]]
_NEVER = datetime.min.replace(tzinfo=UTC)


class Ending(Enum):
    """Why the server ends a socket (the value is the close reason; at most 123 bytes)."""

    UNAUTHENTICATED = "Your credentials expired or were revoked; reconnect with a valid token."
    TOO_SLOW = "Too many events were waiting for this socket; reconnect to catch up."


@dataclass(frozen=True)
class Credentials:
    """What the socket presented: a bearer token (ours, OIDC, or an API key) or an API key."""

    bearer: str | None
    api_key: str | None


@dataclass(frozen=True)
class Audience:
    """Whose job events a watcher may receive."""

    every_lab: bool
    lab_ids: frozenset[UUID]
    unassigned: bool  # the jobs of no lab
    user_id: UUID | None = None  # whose memberships these are

    def sees(self, lab_id: UUID | None) -> bool:
        if lab_id is None:
            return self.unassigned
        return self.every_lab or lab_id in self.lab_ids


async def _audience_of(session: AsyncSession, principal: Principal) -> Audience:
    user = principal.user
    every_lab = sees_every_lab(user)
    lab_ids = (
        frozenset()
        if every_lab
        else await lab_repository.lab_ids_of_member(
            session, user_id=user.id, roles=LAB_RULES[LabAction.VIEW]
        )
    )
    unassigned = is_allowed(user, Action.MANAGE_FACTORS)  # as imports._load_job
    return Audience(every_lab=every_lab, lab_ids=lab_ids, unassigned=unassigned, user_id=user.id)


async def authorize_watcher(
    sessions: Sessions, *, credentials: Credentials, oidc: OidcVerifier | None
) -> Audience:
    """Authenticate like any request (Unauthorized when that fails) and say what the caller may
    see."""
    principal = await auth_service.authenticate(
        POOL, bearer=credentials.bearer, api_key=credentials.api_key, oidc=oidc
    )
    async with sessions() as session:
        return await _audience_of(session, principal)


async def recent_jobs(sessions: Sessions, *, audience: Audience, hours: int) -> list[JobStatus]:
    """The jobs the audience sees that were updated in the last `hours`, oldest update first."""
    if hours == 0:
        return []
    async with sessions() as session:
        jobs = await job_repository.list_updated_since(
            session,
            since=datetime.now(UTC) - timedelta(hours=hours),
            lab_ids=None if audience.every_lab else audience.lab_ids,
            with_unassigned=audience.unassigned,
            limit=REPLAY_LIMIT,
        )
        return [JobStatus.model_validate(job, from_attributes=True) for job in jobs]


@dataclass(frozen=True)
class _Message:
    text: str  # serialised once for every socket it goes to
    job: JobStatus | None = None


class Subscription:
    """One socket's bounded queue of messages."""

    def __init__(self, audience: Audience, size: int) -> None:
        self.audience = audience
        self.overflowed = asyncio.Event()
        self.access_changed = asyncio.Event()  # re-check what the socket may see, now
        self._queue: asyncio.Queue[_Message] = asyncio.Queue(size)

    def offer(self, message: _Message) -> bool:
        try:
            self._queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed.set()
            return False
        return True

    async def get(self) -> _Message:
        return await self._queue.get()


class JobEventHub:
    """Fans job events out to this process's sockets, each seeing only what its audience may.
    Publishing never waits: a socket whose queue is full is dropped from the hub and ended (its
    client reconnects and catches up with the replay), so a slow client delays no other."""

    def __init__(self, *, listening: asyncio.Event | None = None, queue_size: int = QUEUE_SIZE):
        self._subscriptions: set[Subscription] = set()
        self._listening = listening
        self._queue_size = queue_size

    @contextlib.contextmanager
    def subscribe(self, audience: Audience) -> Iterator[Subscription]:
        subscription = Subscription(audience, self._queue_size)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    def publish(self, payload: str) -> None:
        """The subscriber of `EVENTS_CHANNEL`: one job event, as `job_lifecycle.event_payload`
        wrote it."""
        try:
            status = JobStatus.model_validate_json(payload)
        except ValidationError:
            logger.warning("ignored a job event that is not a job status")
            return
        message = _Message(JobEvent(replay=False, job=status).model_dump_json(), status)
        for subscription in list(self._subscriptions):
            if subscription.audience.sees(status.lab_id):
                self._offer(subscription, message)

    def access_changed(self, payload: str) -> None:
        """The subscriber of `MEMBERSHIP_CHANNEL`: the memberships of the user whose id is the
        payload changed; their sockets re-check what they may see."""
        try:
            user_id = UUID(payload)
        except ValueError:
            logger.warning("ignored a membership change that is not a user id")
            return
        for subscription in list(self._subscriptions):
            if subscription.audience.user_id == user_id:
                subscription.access_changed.set()

    def resync(self) -> None:
        """The LISTEN connection was re-opened: events sent meanwhile are lost; say so. Membership
        changes may have been missed too: every socket re-checks."""
        message = _Message(JobStreamResync().model_dump_json())
        for subscription in list(self._subscriptions):
            subscription.access_changed.set()
            self._offer(subscription, message)

    def _offer(self, subscription: Subscription, message: _Message) -> None:
        if not subscription.offer(message):
            self._subscriptions.discard(subscription)
            logger.warning("ending a job-status socket: %d messages waiting", self._queue_size)

    async def wait_listening(self) -> None:
        if self._listening is None or self._listening.is_set():
            return
        try:  # asyncio.timeout, not wait_for, which can swallow a cancellation on 3.11
            async with asyncio.timeout(LISTENER_WAIT_SECONDS):
                await self._listening.wait()
        except TimeoutError:
            logger.warning("the LISTEN connection is down: live job events may be missed")


class JobWatch:
    """One socket's feed: the replay, then live events, until its credentials stop being valid
    or it falls too far behind."""

    def __init__(
        self,
        hub: JobEventHub,
        sessions: Sessions,
        *,
        credentials: Credentials,
        oidc: OidcVerifier | None,
        audience: Audience,
    ) -> None:
        self._hub = hub
        self._sessions = sessions
        self._credentials = credentials
        self._oidc = oidc
        self.audience = audience

    async def run(self, send: Send) -> Ending:
        """Send messages with `send` until the socket must end (an error of `send` propagates)."""
        with self._hub.subscribe(self.audience) as subscription:
            tasks = [
                asyncio.create_task(self._feed(subscription, send)),
                asyncio.create_task(self._recheck(subscription)),
                asyncio.create_task(_overflow(subscription)),
            ]
            try:
                done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            return done.pop().result()

    async def _feed(self, subscription: Subscription, send: Send) -> Ending:
        # Subscribed before the replay query, so nothing committed after it is missed; an event
        # both replayed and queued is sent once.
        await self._hub.wait_listening()
        replayed = await recent_jobs(
            self._sessions, audience=subscription.audience, hours=settings.WS_INITIAL_HOURS
        )
        for status in replayed:
            await send(JobEvent(replay=True, job=status).model_dump_json())
        await send(JobStreamReady(replayed=len(replayed)).model_dump_json())
        replayed_at = {status.id: status.updated_at for status in replayed}
        while True:
            message = await subscription.get()
            job = message.job
            if job is not None and (
                not subscription.audience.sees(job.lab_id)  # narrowed since it was queued
                or job.updated_at <= replayed_at.get(job.id, _NEVER)
            ):
                continue
            await send(message.text)

    async def _recheck(self, subscription: Subscription) -> Ending:
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(RECHECK_SECONDS):
                    await subscription.access_changed.wait()
            subscription.access_changed.clear()
            try:
                subscription.audience = self.audience = await authorize_watcher(
                    self._sessions, credentials=self._credentials, oidc=self._oidc
                )
            except Unauthorized:
                return Ending.UNAUTHENTICATED
            except (SQLAlchemyError, OSError):
                logger.warning("could not re-check a job-status socket; it stays open")


async def _overflow(subscription: Subscription) -> Ending:
    await subscription.overflowed.wait()
    return Ending.TOO_SLOW


async def start_watch(
    hub: JobEventHub,
    sessions: Sessions,
    *,
    credentials: Credentials,
    oidc: OidcVerifier | None,
) -> JobWatch:
    """Authenticate a socket's caller (Unauthorized when that fails) and prepare its feed."""
    audience = await authorize_watcher(sessions, credentials=credentials, oidc=oidc)
    return JobWatch(hub, sessions, credentials=credentials, oidc=oidc, audience=audience)
