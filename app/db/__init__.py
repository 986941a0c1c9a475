"""The database seam: every way the code reaches PostgreSQL, each with its own type.

- `AsyncSession` (SQLModel's): the ORM, for interactive one-row work; a request's session and
  its one transaction come from `request.get_db`; jobs open theirs from
  `engine.get_job_session_factory`.
- `pool.Pool`: compiled statements each committed on its own, on the driver pool (plain
  reads before a request's transaction: authentication, pages of labs).
- `transaction.DriverTransaction`: a request's one transaction on a driver connection, for a
  request that writes only through compiled statements (adding an entry).
- `statements.Reads`: what a read-only repository function takes (either of the last two).

A route takes the session or the driver transaction, never both (checked when the app starts,
app/api/deps.py); a service's signature says which one it uses, so mixing them is a type error.
`app.database` keeps the public names of SPEC §4a.
"""

from app.db.engine import dispose_engines
from app.db.pool import close_driver_pool


async def dispose() -> None:
    """Close every pooled connection and forget the engines and the driver pool (shutdown,
    tests); the next use creates them again."""
    await dispose_engines()
    await close_driver_pool()
