"""A lab's headcount: FTE per year and staff category; and the per-FTE rules the reports use."""

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.errors import FieldError, InvalidInput, NotFound, PayloadTooLarge
from app.core.multipart_stream import StreamedFile
from app.models.audit import AuditAction
from app.models.headcount import (
    Headcount,
    HeadcountPublic,
    HeadcountReplace,
    HeadcountYearPublic,
    StaffCategory,
)
from app.repositories import headcount as headcount_repository
from app.services import audit as audit_service
from app.services import headcount_csv
from app.services import signoff as signoff_service
from app.services.auth import Principal
from app.services.authz import LabAction
from app.services.labs import hold_lab, load_lab

# Per-FTE figures: t CO2e (kg / 1000) per FTE, rounded half-even to the kilogram (0.001 t);
# shares of the total FTE, half-even to 0.0001 (as the reports' other shares).
T_PER_FTE_STEP = Decimal("0.001")
SHARE_STEP = Decimal("0.0001")
_ORDER = {category: index for index, category in enumerate(StaffCategory)}


def t_co2e_per_fte(kg_co2e: Decimal, fte: Decimal) -> Decimal | None:
    """t CO2e per FTE; None when there is no FTE to divide by."""
    if fte <= 0:
        return None
    return (kg_co2e / 1000 / fte).quantize(T_PER_FTE_STEP, rounding=ROUND_HALF_EVEN)


def fte_share(fte: Decimal, total_fte: Decimal) -> Decimal | None:
    """A category's fraction of the lab-year's FTE (0 to 1); None when the total is 0."""
    if total_fte <= 0:
        return None
    return (fte / total_fte).quantize(SHARE_STEP, rounding=ROUND_HALF_EVEN)


def _year(lab_id: UUID, year: int, rows: list[Headcount]) -> HeadcountYearPublic:
    ordered = sorted(rows, key=lambda row: _ORDER[StaffCategory(row.category)])
    return HeadcountYearPublic(
        lab_id=lab_id,
        year=year,
        total_fte=sum((row.fte for row in ordered), Decimal(0)),
        categories=[HeadcountPublic.model_validate(row) for row in ordered],
    )


async def list_headcount(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, year: int | None
) -> list[HeadcountYearPublic]:
    """The lab's headcount of `year` (an empty list when none was recorded), or of every year."""
    await load_lab(session, principal, lab_id, LabAction.VIEW)
    by_year: dict[int, list[Headcount]] = defaultdict(list)
    for row in await headcount_repository.list_for_lab(session, lab_id=lab_id, year=year):
        by_year[row.year].append(row)
    return [_year(lab_id, y, rows) for y, rows in sorted(by_year.items())]


async def get_headcount(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, year: int
) -> HeadcountYearPublic:
    await load_lab(session, principal, lab_id, LabAction.VIEW)
    rows = await headcount_repository.list_for_lab(session, lab_id=lab_id, year=year)
    if not rows:
        raise NotFound(f"No headcount is recorded for {year}.")
    return _year(lab_id, year, rows)


def _refuse_duplicates(data: HeadcountReplace) -> None:
    seen: set[StaffCategory] = set()
    errors: list[FieldError] = []
    for index, row in enumerate(data.categories):
        if row.category in seen:
            errors.append(
                FieldError(
                    loc=["body", "categories", index, "category"],
                    msg=f"{row.category.value} is given more than once",
                    type="duplicate_category",
                )
            )
        seen.add(row.category)
    if errors:
        raise InvalidInput("Each staff category may be given once per year.", errors=errors)


async def _writable_year(
    session: AsyncSession, principal: Principal, lab_id: UUID, year: int
) -> None:
    await load_lab(session, principal, lab_id, LabAction.WRITE_HEADCOUNT)
    await hold_lab(session, lab_id=lab_id)
    await headcount_repository.lock_year(session, lab_id=lab_id, year=year)
    # Per-FTE figures are the year's figures too: frozen while it is signed off.
    await signoff_service.check_years_writable(session, lab_id=lab_id, years={year})


async def replace_headcount(
    session: AsyncSession,
    *,
    principal: Principal,
    lab_id: UUID,
    year: int,
    data: HeadcountReplace,
) -> HeadcountYearPublic:
    """Make the lab-year's headcount exactly `data`: all of it or, on any error, nothing."""
    await _writable_year(session, principal, lab_id, year)
    _refuse_duplicates(data)
    return await _replace(session, principal, lab_id, year, data)


async def _replace(
    session: AsyncSession, principal: Principal, lab_id: UUID, year: int, data: HeadcountReplace
) -> HeadcountYearPublic:
    """Replace a year whose write `_writable_year` has allowed, recording it."""
    before = _fte_of(await headcount_repository.list_for_lab(session, lab_id=lab_id, year=year))
    await headcount_repository.replace_year(session, lab_id=lab_id, year=year, rows=data.categories)
    rows = await headcount_repository.list_for_lab(session, lab_id=lab_id, year=year)
    await audit_service.record(
        session,
        principal,
        AuditAction.HEADCOUNT_REPLACED,
        object_id=year,
        lab_id=lab_id,
        changes=audit_service.diff(before, _fte_of(rows)),
    )
    return _year(lab_id, year, rows)


def _fte_of(rows: list[Headcount]) -> dict[str, Decimal]:
    """A year's FTE by category, as the audit trail records them."""
    return {row.category.value: row.fte for row in rows}


async def delete_headcount(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, year: int
) -> None:
    """Remove the lab-year's headcount (nothing to remove is not an error)."""
    await _writable_year(session, principal, lab_id, year)
    before = _fte_of(await headcount_repository.list_for_lab(session, lab_id=lab_id, year=year))
    await audit_service.record(
        session,
        principal,
        AuditAction.HEADCOUNT_DELETED,
        object_id=year,
        lab_id=lab_id,
        changes=audit_service.diff(before, {}),
    )
    await headcount_repository.delete_year(session, lab_id=lab_id, year=year)


# A headcount CSV is a few rows a year (five categories): read whole, within this bound.
MAX_CSV_BYTES = 64 * 1024
CSV_COLUMNS = ("year", "category", "fte")


async def import_headcount(
    session: AsyncSession, *, principal: Principal, lab_id: UUID, file: StreamedFile
) -> list[HeadcountYearPublic]:
    """Replace every year a CSV (`year`, `category`, `fte`) names, as `replace_headcount` does
    each, all of them or (on any bad row or a signed-off year) none; other years stay. The file
    is read only once the caller may write the lab's headcount."""
    await load_lab(session, principal, lab_id, LabAction.WRITE_HEADCOUNT)
    years = headcount_csv.parse(await _read(file, MAX_CSV_BYTES))
    for year in sorted(years):
        await _writable_year(session, principal, lab_id, year)
    return [
        await _replace(session, principal, lab_id, year, data)
        for year, data in sorted(years.items())
    ]


async def _read(file: StreamedFile, limit: int) -> bytes:
    await file.open()
    data = bytearray()
    async for chunk in file.chunks():
        data += chunk
        if len(data) > limit:
            raise PayloadTooLarge(f"A headcount CSV is at most {limit // 1024} KiB.")
    return bytes(data)
