"""Readiness: can we reach the database right now?"""

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.core.errors import ServiceUnavailable
from app.db.engine import get_engine

logger = logging.getLogger(__name__)

READINESS_TIMEOUT_SECONDS = 3.0


async def check_database() -> None:
    """Raise ServiceUnavailable unless a `SELECT 1` succeeds within the timeout."""
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
            async with get_engine().connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (TimeoutError, SQLAlchemyError, OSError) as error:
        logger.warning("readiness check failed: %s", type(error).__name__)
        raise ServiceUnavailable("The database is not reachable.") from error
