"""The public names of SPEC §4a; the database code lives in the `app.db` package."""

from app.db.engine import Base, get_engine, get_session_factory
from app.db.request import get_db

__all__ = ["Base", "get_db", "get_engine", "get_session_factory"]
