"""A lab's reduction target (one per lab)."""

from uuid import UUID

from sqlalchemy import ColumnElement, delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.base import utcnow
from app.models.target import Target, TargetPut


def _of(lab_id: UUID | None) -> ColumnElement[bool]:
    column = col(Target.lab_id)
    return column.is_(None) if lab_id is None else column == lab_id


async def get(session: AsyncSession, *, lab_id: UUID | None) -> Target | None:
    """The lab's target (`lab_id` None: the institution's). Read afresh (`replace` writes past
    the ORM's identity map)."""
    query = select(Target).where(_of(lab_id)).execution_options(populate_existing=True)
    return (await session.exec(query)).first()


async def replace(session: AsyncSession, *, lab_id: UUID | None, target: TargetPut) -> None:
    """Store `target` as the lab's, in place of any other (one statement: two concurrent
    replacements end as one of them, never a mix)."""
    values = {"lab_id": lab_id, **target.model_dump()}
    statement = insert(Target).values(values)
    changed = {name: statement.excluded[name] for name in target.model_dump()}
    await (await session.connection()).execute(
        statement.on_conflict_do_update(
            index_elements=[col(Target.lab_id)], set_=changed | {"updated_at": utcnow()}
        )
    )


async def delete_for_lab(session: AsyncSession, *, lab_id: UUID | None) -> None:
    await (await session.connection()).execute(delete(Target).where(_of(lab_id)))
