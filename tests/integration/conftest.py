"""Fixtures of the integration tests that run background jobs."""

from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI

from app.config import settings


@pytest.fixture
async def jobs(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    """The app's lifespan: its LISTEN connection and job runner."""
    monkeypatch.setattr(settings, "JOB_POLL_SECONDS", 1)
    async with app.router.lifespan_context(app):
        yield
