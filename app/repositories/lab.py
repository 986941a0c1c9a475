"""Queries on labs, memberships and invitations."""

from datetime import datetime
from uuid import UUID

from psycopg.errors import LockNotAvailable
from sqlalchemy import Integer, String, Uuid, bindparam, text
from sqlalchemy import select as core_select
from sqlalchemy.exc import OperationalError
from sqlmodel import col, func, select, tuple_
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.pagination import CursorKey
from app.db.statements import PublicReader, Reader, Reads, Statement, compile_once
from app.models.lab import Lab, LabInvitation, LabMembership, LabPublic, LabRole
from app.models.user import User
from app.repositories._filters import contains, contains_pattern

# NOTIFYed with a user's id when their memberships change (the live-status sockets re-check).
MEMBERSHIP_CHANNEL = "co2_membership_changes"


async def get(session: AsyncSession, lab_id: UUID, *, for_update: bool = False) -> Lab | None:
    query = select(Lab).where(Lab.id == lab_id)
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def hold(session: AsyncSession, *, lab_id: UUID) -> bool:
    """Lock the lab's row against deletion (FOR KEY SHARE) until the transaction ends; waits
    for a delete in progress. False when the lab is gone."""
    query = select(Lab.id).where(Lab.id == lab_id).with_for_update(key_share=True)
    return (await session.exec(query)).first() is not None


async def lock_for_update(session: AsyncSession, *, lab_id: UUID, wait_seconds: float) -> bool:
    """Lock the lab's row FOR UPDATE, waiting at most `wait_seconds` for other transactions'
    locks on it. False when the wait ran out; the transaction is then aborted and must end."""
    connection = await session.connection()
    await connection.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(wait_seconds * 1000)}ms'")
    try:
        await session.exec(select(Lab.id).where(Lab.id == lab_id).with_for_update())
    except OperationalError as error:
        if isinstance(error.orig, LockNotAvailable):
            return False
        raise
    await connection.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")
    return True


# Every lab-scoped request runs this; built once (building a statement costs more CPU than
# running it).
_WITH_ROLE = (
    select(Lab, LabMembership.role)
    .outerjoin(
        LabMembership,
        (col(LabMembership.lab_id) == col(Lab.id))
        & (col(LabMembership.user_id) == bindparam("user_id")),
    )
    .where(col(Lab.id) == bindparam("lab_id"))
)
_WITH_ROLE_FOR_UPDATE = _WITH_ROLE.with_for_update(of=Lab)


async def get_with_role(
    session: AsyncSession, *, lab_id: UUID, user_id: UUID, for_update: bool = False
) -> tuple[Lab, LabRole | None] | None:
    """The lab and the user's role in it (None when not a member), in one query."""
    query = _WITH_ROLE_FOR_UPDATE if for_update else _WITH_ROLE
    row = (await session.exec(query, params={"lab_id": lab_id, "user_id": user_id})).first()
    return (row[0], _role(row[1])) if row is not None else None


def _role(value: str | None) -> LabRole | None:
    return None if value is None else LabRole(value)


_LABS = Reader(Lab)
_LAB_PUBLIC = PublicReader(LabPublic, Lab, extra=("my_role",))
_FIND_WITH_ROLE = compile_once(
    core_select(*_LABS.columns, col(LabMembership.role))
    .select_from(Lab)
    .outerjoin(
        LabMembership,
        (col(LabMembership.lab_id) == col(Lab.id))
        & (col(LabMembership.user_id) == bindparam("user_id")),
    )
    .where(col(Lab.id) == bindparam("lab_id")),
    values=frozenset({"lab_id", "user_id"}),
)


async def find_with_role(
    reads: Reads, *, lab_id: UUID, user_id: UUID
) -> tuple[Lab, LabRole | None] | None:
    """`get_with_role` past the ORM (read-only: not attached to a session)."""
    rows = await reads.fetch(_FIND_WITH_ROLE, {"lab_id": lab_id, "user_id": user_id})
    return (_LABS(rows[0]), _role(rows[0][_LABS.width])) if rows else None


async def get_by_code(session: AsyncSession, *, code: str) -> Lab | None:
    return (await session.exec(select(Lab).where(Lab.code == code))).first()


_PAGES: dict[tuple[bool, bool, bool, bool], Statement] = {}


def _page_statement(
    *, members_only: bool, after: bool, institution: bool, search: bool
) -> Statement:
    """One compiled statement per combination of filters (16 at most), built on first use."""
    key = (members_only, after, institution, search)
    statement = _PAGES.get(key)
    if statement is not None:
        return statement
    role_join = (col(LabMembership.lab_id) == col(Lab.id)) & (
        col(LabMembership.user_id) == bindparam("user_id")
    )
    query = core_select(*_LAB_PUBLIC.columns, col(LabMembership.role)).select_from(Lab)
    query = (
        query.join(LabMembership, role_join)
        if members_only
        else query.outerjoin(LabMembership, role_join)
    )
    values = {"user_id", "limit"}
    if after:
        query = query.where(
            tuple_(col(Lab.name), col(Lab.id))
            > tuple_(bindparam("after_name", type_=String), bindparam("after_id", type_=Uuid))
        )
        values |= {"after_name", "after_id"}
    if institution:
        query = query.where(col(Lab.institution) == bindparam("institution"))
        values.add("institution")
    if search:
        pattern = bindparam("search", type_=String)
        query = query.where(contains(Lab.name, pattern) | contains(Lab.code, pattern))
        values.add("search")
    query = query.order_by(col(Lab.name), col(Lab.id)).limit(bindparam("limit", type_=Integer))
    statement = _PAGES[key] = compile_once(query, values=frozenset(values))
    return statement


async def list_page(
    reads: Reads,
    *,
    limit: int,
    after: CursorKey | None,
    member_id: UUID | None,
    user_id: UUID,
    institution: str | None = None,
    search: str | None = None,
) -> list[LabPublic]:
    """Labs ordered by (name, id) with the caller's role (`my_role`), as a page shows them; only
    `member_id`'s labs unless None."""
    if member_id is not None and member_id != user_id:
        raise ValueError("a page of another member's labs is not supported")
    statement = _page_statement(
        members_only=member_id is not None,
        after=after is not None,
        institution=institution is not None,
        search=bool(search),
    )
    values: dict[str, object] = {"user_id": user_id, "limit": limit + 1}
    if after is not None:
        values["after_name"], values["after_id"] = after
    if institution is not None:
        values["institution"] = institution
    if search:
        values["search"] = contains_pattern(search)
    rows = await reads.fetch(statement, values)
    return [_LAB_PUBLIC(row, my_role=_role(row[_LAB_PUBLIC.width])) for row in rows]


async def add(session: AsyncSession, *, lab: Lab) -> Lab:
    session.add(lab)
    await session.flush()
    return lab


async def delete(session: AsyncSession, *, lab: Lab) -> None:
    await session.delete(lab)
    await session.flush()


async def get_membership(
    session: AsyncSession, *, lab_id: UUID, user_id: UUID, for_update: bool = False
) -> LabMembership | None:
    query = select(LabMembership).where(
        LabMembership.lab_id == lab_id, LabMembership.user_id == user_id
    )
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def add_membership(session: AsyncSession, *, membership: LabMembership) -> LabMembership:
    session.add(membership)
    await session.flush()
    await _notify_membership_change(session, membership.user_id)
    return membership


async def delete_membership(session: AsyncSession, *, membership: LabMembership) -> None:
    await session.delete(membership)
    await session.flush()
    await _notify_membership_change(session, membership.user_id)


async def _notify_membership_change(session: AsyncSession, user_id: UUID) -> None:
    """NOTIFY inside the transaction: delivered on commit, dropped on rollback."""
    connection = await session.connection()
    await connection.execute(
        text("SELECT pg_notify(:channel, :payload)"),
        {"channel": MEMBERSHIP_CHANNEL, "payload": str(user_id)},
    )


async def list_members(session: AsyncSession, *, lab_id: UUID) -> list[tuple[LabMembership, User]]:
    query = (
        select(LabMembership, User)
        .join(User, col(User.id) == col(LabMembership.user_id))
        .where(LabMembership.lab_id == lab_id)
        .order_by(col(User.email))
    )
    return [(row[0], row[1]) for row in (await session.exec(query)).all()]


async def lab_ids_of_member(
    session: AsyncSession, *, user_id: UUID, roles: frozenset[LabRole]
) -> frozenset[UUID]:
    """The labs where the user holds one of `roles`."""
    query = select(LabMembership.lab_id).where(
        LabMembership.user_id == user_id, col(LabMembership.role).in_(roles)
    )
    return frozenset((await session.exec(query)).all())


async def count_managers(session: AsyncSession, *, lab_id: UUID) -> int:
    query = (
        select(func.count())
        .select_from(LabMembership)
        .where(LabMembership.lab_id == lab_id, col(LabMembership.role) == LabRole.MANAGER)
    )
    return (await session.exec(query)).one()


async def get_member_by_email(
    session: AsyncSession, *, lab_id: UUID, email: str
) -> LabMembership | None:
    """The membership of the account with this (normalized) email, if it is a member."""
    query = (
        select(LabMembership)
        .join(User, col(User.id) == col(LabMembership.user_id))
        .where(LabMembership.lab_id == lab_id, User.email == email)
    )
    return (await session.exec(query)).first()


async def add_invitation(session: AsyncSession, *, invitation: LabInvitation) -> LabInvitation:
    session.add(invitation)
    await session.flush()
    return invitation


async def get_invitation(
    session: AsyncSession,
    *,
    invitation_id: UUID,
    lab_id: UUID | None = None,
    email: str | None = None,
    for_update: bool = False,
) -> LabInvitation | None:
    """The invitation, if it is of `lab_id` and addressed to `email` (when given)."""
    query = select(LabInvitation).where(LabInvitation.id == invitation_id)
    if lab_id is not None:
        query = query.where(LabInvitation.lab_id == lab_id)
    if email is not None:
        query = query.where(LabInvitation.email == email)
    if for_update:
        query = query.with_for_update()
    return (await session.exec(query)).first()


async def get_invitation_by_email(
    session: AsyncSession, *, lab_id: UUID, email: str
) -> LabInvitation | None:
    query = select(LabInvitation).where(
        LabInvitation.lab_id == lab_id, LabInvitation.email == email
    )
    return (await session.exec(query.with_for_update())).first()


async def list_invitations(session: AsyncSession, *, lab_id: UUID) -> list[LabInvitation]:
    query = (
        select(LabInvitation)
        .where(LabInvitation.lab_id == lab_id)
        .order_by(col(LabInvitation.email))
    )
    return list((await session.exec(query)).all())


async def list_invitations_to(
    session: AsyncSession, *, email: str, valid_at: datetime
) -> list[tuple[LabInvitation, Lab]]:
    """The invitations addressed to `email` that have not expired at `valid_at`, with their labs,
    newest first."""
    query = (
        select(LabInvitation, Lab)
        .join(Lab, col(Lab.id) == col(LabInvitation.lab_id))
        .where(LabInvitation.email == email, col(LabInvitation.expires_at) > valid_at)
        .order_by(col(LabInvitation.created_at).desc(), col(LabInvitation.id))
    )
    return [(row[0], row[1]) for row in (await session.exec(query)).all()]


async def delete_invitation(session: AsyncSession, *, invitation: LabInvitation) -> None:
    await session.delete(invitation)
    await session.flush()
