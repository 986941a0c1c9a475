"""Request dependencies (`Annotated` aliases)."""

from typing import Annotated

from fastapi import Depends
from sqlmodel.ext.asyncio.session import AsyncSession

from app.database import get_db

# scope="function": the commit in get_db runs when the handler returns, before the response is
# sent, so a failed commit reaches the client as an error instead of a silently lost write.
SessionDep = Annotated[AsyncSession, Depends(get_db, scope="function")]
