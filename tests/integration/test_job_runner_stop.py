"""A runner stops when asked, whatever it was doing at that moment."""

import asyncio

import pytest

from app.db.engine import get_job_session_factory
from app.jobs.runner import JobRunner


@pytest.mark.parametrize("yields_before_stop", [0, 1, 2, 3, 4, 5])
async def test_stop_returns_even_when_woken_at_the_same_moment(
    database_url: str, yields_before_stop: int
) -> None:
    # A job ending (or a NOTIFY) wakes the runner as the app shuts down: the wake-up and the
    # cancellation of stop() then reach the runner's loop together. On Python 3.11
    # `asyncio.wait_for` swallowed such a cancellation, and stop() waited forever.
    runner = JobRunner(
        get_job_session_factory(), workers=1, poll_seconds=30, lease_seconds=60, max_attempts=3
    )
    for _ in range(20):
        runner.start()
        await asyncio.wait_for(runner.waiting.wait(), timeout=5)  # claimed nothing, waits
        runner.wake()
        for _ in range(yields_before_stop):
            await asyncio.sleep(0)
        await asyncio.wait_for(runner.stop(), timeout=5)
