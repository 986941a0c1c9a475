"""One PostgreSQL LISTEN connection per process, fanning NOTIFY payloads out to subscribers.

Jobs queued by any replica wake this process's runner; job events reach this process's sockets.
The connection is re-opened (with backoff) when it drops; subscribers are told through
`on_reconnect`, since notifications sent meanwhile are lost.
"""

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable

import psycopg
from psycopg import sql

logger = logging.getLogger(__name__)

Subscriber = Callable[[str], Awaitable[None] | None]


class PgListener:
    def __init__(self, conninfo: str, *, reconnect_delay: float = 1.0) -> None:
        self._conninfo = conninfo
        self._reconnect_delay = reconnect_delay
        self._subscribers: dict[str, list[Subscriber]] = defaultdict(list)
        self._reconnect_hooks: list[Callable[[], None]] = []
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    def subscribe(self, channel: str, subscriber: Subscriber) -> Callable[[], None]:
        """Call `subscriber(payload)` for each notification; returns the unsubscribe function.
        Subscribe before `start()`: channels are LISTENed to when the connection opens."""
        self._subscribers[channel].append(subscriber)
        return lambda: self._subscribers[channel].remove(subscriber)

    def on_reconnect(self, hook: Callable[[], None]) -> None:
        self._reconnect_hooks.append(hook)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="pg-listener")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def _run(self) -> None:
        first = True
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as connection:
                    for channel in list(self._subscribers):
                        await connection.execute(
                            sql.SQL("LISTEN {}").format(sql.Identifier(channel))
                        )
                    self.connected.set()
                    if not first:
                        for hook in self._reconnect_hooks:
                            hook()
                    first = False
                    async for notification in connection.notifies():
                        await self._dispatch(notification.channel, notification.payload)
            except asyncio.CancelledError:
                raise
            except (psycopg.Error, OSError) as error:
                self.connected.clear()
                logger.warning("LISTEN connection lost (%s); reconnecting", type(error).__name__)
                await asyncio.sleep(self._reconnect_delay)

    async def _dispatch(self, channel: str, payload: str) -> None:
        for subscriber in list(self._subscribers.get(channel, ())):
            try:
                result = subscriber(payload)
                if result is not None:
                    await result
            except Exception:
                logger.exception("notification subscriber failed on channel %s", channel)
