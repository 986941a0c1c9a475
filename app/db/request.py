"""The request-scoped dependencies: one transaction per request, committed before the response
is sent (so a failed commit reaches the client), rolled back when the handler fails, kept when
it fails with an `AppError` that says so (`keeps_changes`)."""

from collections.abc import AsyncGenerator

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import AppError
from app.db.engine import get_session_factory
from app.db.transaction import DriverTransaction


def _commits(error: BaseException | None) -> bool:
    return error is None or (isinstance(error, AppError) and error.keeps_changes)


def _used(session: AsyncSession) -> bool:
    """Whether the session began a transaction or holds objects to write. A request that did
    not use it skips the commit and close (each a greenlet round of SQLAlchemy's, for nothing)."""
    return session.in_transaction() or bool(session.new or session.dirty or session.deleted)


async def get_db() -> AsyncGenerator[AsyncSession]:
    """The request's ORM session and its one transaction."""
    session = get_session_factory()()
    try:
        yield session
    except BaseException as error:
        if _used(session):
            await (session.commit() if _commits(error) else session.rollback())
        raise
    else:
        if _used(session):
            await session.commit()
    finally:
        if session.in_transaction():  # a commit or rollback above ended any other
            await session.close()


async def get_driver_transaction() -> AsyncGenerator[DriverTransaction]:
    """The request's own transaction on a driver connection (app/db/transaction.py)."""
    transaction = DriverTransaction()
    try:
        yield transaction
    except BaseException as error:
        await transaction.end(commit=_commits(error))
        raise
    else:
        await transaction.end(commit=True)
