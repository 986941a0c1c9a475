"""Staged activity rows, validated and turned into entries in set-based SQL.

One CTE chain (`_checked`) parses every staged row and resolves its factor: the lab's regional one
when it exists, else the region-less one, for the date's year, or, when that year has none of the
row's key, for the latest earlier year within the rollover window (as `factor.find_applicable`).
The error report and the insert both read it, so they cannot disagree about which rows are valid.

Built for a million rows per job:
- A date is looked up in a small table of the valid `YYYY-MM-DD` and `YYYY-MM` texts of the
  factors' years, with a hash join. The report of a bad row asks `co2_parse_date` why, for that
  row only.
- The quantity's syntax is checked with one simple regular expression plus length arithmetic.
  With the bounded repetitions of `[0-9]{1,12}`, PostgreSQL's regex engine had been the largest
  cost.
- Entry ids are time-ordered (UUIDv7, RFC 9562): the import's timestamp and random bits, then the
  row's staging `seq` as a counter. They append to the primary key's index instead of landing on
  random pages, and they are unique because `seq` is.
"""

import secrets
import time
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from types import NoneType
from typing import Any, NamedTuple, get_args
from uuid import UUID

from annotated_types import MaxLen, MinLen
from pydantic.fields import FieldInfo
from sqlalchemy import Result, TextClause, text
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.main import FieldInfoMetadata

from app.db.statements import Reader
from app.models.activity import MAX_LIFETIME_YEARS, EntryKind
from app.models.base import NO_NUL
from app.models.entry import FACTOR_FOR_YEAR_SQL, QUANTITY, ActivityEntry, EntryBase
from app.models.family import accepts_none
from app.models.kg import KG_CO2E_LIMIT, fits_sql, kg_sql
from app.models.staging import ACTIVITY_CHECKED, ACTIVITY_COLUMNS, ACTIVITY_COMPUTED
from app.repositories import bulk_load, rollup
from app.repositories.staging import RowProblems, driver_of, find_row_problems

_PLAIN = f"'{EntryKind.QUANTITY.value}'"
_KIND = f"coalesce(nullif(lower(btrim(s.kind)), ''), {_PLAIN})"
KINDS = ", ".join(kind.value for kind in EntryKind)
# A typed row has its factor key, quantity, unit and activity computed before these checks
# (`record_computed`), or the column and message of why it could not be.
KIND_MESSAGE = f"expected blank or one of {KINDS}"
SEQ_BITS = 48  # the low bits of an entry id: its staged row's seq, then its part
PART_BITS = 6  # an entry of a row: an equipment row's year of its lifetime, from 0
if 2**PART_BITS < MAX_LIFETIME_YEARS:
    raise TypeError("an equipment's years need more bits of its entries' ids")
_QUANTITY = "btrim(s.quantity)"
# Like the API's Quantity: 1-12 digits, then optionally `.` and 1-6 digits.
_DIGITS, _PLACES = QUANTITY.integer_digits, QUANTITY.decimal_places
_QUANTITY_OK = f"""({_QUANTITY} ~ '^[0-9]+(\\.[0-9]+)?$' AND CASE strpos({_QUANTITY}, '.')
        WHEN 0 THEN length({_QUANTITY}) <= {_DIGITS}
        ELSE strpos({_QUANTITY}, '.') <= {_DIGITS + 1}
             AND length({_QUANTITY}) - strpos({_QUANTITY}, '.') <= {_PLACES}
    END)"""
_QUANTITY_FORMAT = (
    f"expected a decimal number with . as separator, at most {_DIGITS} digits before it and "
    f"{_PLACES} after"
)


@dataclass(frozen=True)
class _Check:
    """A condition a parsed value must meet (SQL over `{row}` columns), and the message when it
    does not. Conditions are NULL-safe: true or false, never NULL."""

    condition: str
    message: str


@dataclass(frozen=True)
class _TextField:
    """A text field of EntryBase, read from the CSV column of the same name."""

    name: str
    value: str  # SQL over the staged row `s`
    checks: tuple[_Check, ...]


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _text_field(name: str, info: FieldInfo) -> _TextField:
    """How the import reads a field of EntryBase other than `date` and `quantity`: as text,
    checked as the API's validation checks it. A field it cannot check the same way is refused
    here, when the module is imported, rather than let through unchecked."""
    kinds = [arg for arg in get_args(info.annotation) if arg is not NoneType] or [info.annotation]
    if kinds != [str]:
        raise TypeError(f"EntryBase.{name}: the CSV import reads text fields only; parse it here")
    column = f'"{name}"'
    present = f"{{row}}{column} IS NULL OR length({{row}}{column})"
    checks: list[_Check] = []
    for item in info.metadata:
        if isinstance(item, MaxLen):
            checks.append(
                _Check(f"({present} <= {item.max_length})", f"at most {item.max_length} characters")
            )
        elif isinstance(item, MinLen):
            if item.min_length:
                checks.append(
                    _Check(
                        f"({present} >= {item.min_length})",
                        f"at least {item.min_length} characters",
                    )
                )
        elif not (isinstance(item, FieldInfoMetadata) or getattr(item, "pattern", None) == NO_NUL):
            # NO_NUL holds anyway: PostgreSQL text cannot contain NUL.
            raise TypeError(f"EntryBase.{name}: the CSV import cannot check {item!r}")
    value = f"s.{column}"
    if info.is_required():
        checks.insert(0, _Check(f"{{row}}{column} IS NOT NULL", "required"))
    elif info.default is not None:
        value = f"coalesce({value}, {_sql_string(str(info.default))})"
    elif not accepts_none(info.annotation):
        raise TypeError(f"EntryBase.{name}: a default of None for a field that is never None")
    return _TextField(name, value, tuple(checks))


# `date` and `quantity` are parsed apart (below); every other field of EntryBase is text.
_TEXT_FIELDS = tuple(
    _text_field(name, info)
    for name, info in EntryBase.model_fields.items()
    if name not in {"date", "quantity"}
)
_TEXT_VALUES = "".join(f', {field.value} AS "{field.name}"' for field in _TEXT_FIELDS)
_TEXT_CHECKS = "".join(
    f"\n                AND {check.condition.format(row='st.')}"
    for field in _TEXT_FIELDS
    for check in field.checks
)
_TEXT_PROBLEMS = "".join(
    f"""
        UNION ALL
        SELECT seq, {_sql_string(field.name)}, {_sql_string(check.message)}
        FROM reported WHERE NOT {check.condition.format(row="")}"""
    for field in _TEXT_FIELDS
    for check in field.checks
)


def _checked(source: str) -> str:
    """CTEs `chosen`, `days`, `staged`, `checked` over the staged rows named by `source` (a
    constant)."""
    return f"""
    per_year AS MATERIALIZED (
        SELECT DISTINCT ON (f.key, f.year) f.key, f.year, f.id, f.unit, f.kg_co2e_per_unit
        FROM emission_factor AS f
        WHERE f.region = :region OR f.region IS NULL
        ORDER BY f.key, f.year, f.region NULLS LAST
    ),
    chosen AS MATERIALIZED (  -- year rollover: each year takes the latest of up to :window before
        SELECT DISTINCT ON (p.key, covered.year) p.key, covered.year, p.id, p.unit,
               p.kg_co2e_per_unit
        FROM per_year AS p,
             generate_series(p.year, p.year + CAST(:window AS int)) AS covered (year)
        ORDER BY p.key, covered.year, p.year DESC
    ),
    years AS (SELECT min(year) AS first, max(year) AS last FROM chosen),
    days AS MATERIALIZED (
        SELECT to_char(day, 'YYYY-MM-DD') AS text, day::date AS d,
               extract(year FROM day)::int AS year
        FROM years, generate_series(make_date(first, 1, 1), make_date(last, 12, 31),
                                    interval '1 day') AS day
        UNION ALL
        SELECT to_char(month, 'YYYY-MM'), month::date, extract(year FROM month)::int
        FROM years, generate_series(make_date(first, 1, 1), make_date(last, 12, 1),
                                    interval '1 month') AS month
    ),
    staged AS (
        SELECT s.seq, s.date, btrim(s.factor_key) AS factor_key, s.quantity,
               {_KIND} AS kind_value, s.activity, s.problem_column, s.problem_message,
               ({_KIND} = {_PLAIN} OR s.activity IS NOT NULL) AS kind_ok,
               nullif(btrim(s.unit), '') AS unit{_TEXT_VALUES}, s.part,
               coalesce(s.entry_date, days.d) AS d,
               coalesce(extract(year FROM s.entry_date)::int, days.year) AS year,
               days.year AS factor_year,  -- an equipment's later years: its purchase year
               CASE WHEN {_QUANTITY_OK} THEN {_QUANTITY}::numeric END AS q
        FROM {source} AS s
        LEFT JOIN days ON days.text = btrim(s.date)
        OFFSET 0  -- not flattened into `checked`: q's expression runs once per row, not twice
    ),
    checked AS (
        SELECT st.*, c.id AS factor_id, c.unit AS factor_unit, c.kg_co2e_per_unit AS kg,
               (st.kind_ok AND st.problem_message IS NULL
                AND st.d IS NOT NULL AND st.q IS NOT NULL AND c.id IS NOT NULL
                AND (st.unit IS NULL OR st.unit = c.unit)
                AND st.year <> ALL(CAST(:locked_years AS int[]))  -- signed-off years
                AND {fits_sql(kg_sql("st.q", "c.kg_co2e_per_unit"))}{_TEXT_CHECKS}) AS ok
        FROM staged AS st
        LEFT JOIN chosen AS c
          ON c.key = st.factor_key AND c.year = st.factor_year
    )"""


# A row without a `days` match has no real date, or one in a year without factors: asked per row.
_PROBLEM_ROWS = f"""
    reported AS (
        SELECT *, coalesce(d, co2_parse_date(date)) AS real_date FROM checked
        WHERE NOT ok AND problem_message IS NULL
    ),
    problem_rows AS (
        SELECT seq, 'date' AS column_name,
               CASE WHEN coalesce(btrim(date), '') = '' THEN 'required'
                    ELSE 'expected a real date as YYYY-MM-DD or YYYY-MM' END AS message
        FROM reported WHERE real_date IS NULL
        UNION ALL
        SELECT seq, 'kind', {_sql_string(KIND_MESSAGE)} FROM reported WHERE NOT kind_ok
        UNION ALL
        SELECT seq, problem_column, problem_message FROM checked WHERE problem_message IS NOT NULL
        UNION ALL
        SELECT seq, 'quantity',
               CASE WHEN coalesce(btrim(quantity), '') = '' THEN 'required'
                    WHEN btrim(quantity) ~ '^-' THEN 'must be >= 0'
                    ELSE {_sql_string(_QUANTITY_FORMAT)} END
        FROM reported WHERE q IS NULL
        UNION ALL
        SELECT seq, 'factor_key',
               CASE WHEN coalesce(factor_key, '') = '' THEN 'required'
                    ELSE 'no emission factor ''' || left(factor_key, 100) || ''' for '
                         || coalesce(factor_year, extract(year FROM real_date)::int) END
        FROM reported WHERE factor_id IS NULL AND real_date IS NOT NULL
        UNION ALL
        SELECT seq, 'unit', 'expected ' || factor_unit || ', the unit of the factor'
        FROM reported WHERE factor_id IS NOT NULL AND unit IS NOT NULL AND unit <> factor_unit
        UNION ALL
        SELECT seq, 'quantity', 'the entry would weigh ' || {kg_sql("q", "kg")}
               || ' kg CO2e; less than {KG_CO2E_LIMIT} can be stored'
        FROM reported WHERE NOT {fits_sql(kg_sql("q", "kg"))}
        UNION ALL
        SELECT seq, 'date', 'the year ' || year || ' is signed off (submitted or validated): '
               || 'reopen it to import into it'
        FROM reported WHERE year = ANY(CAST(:locked_years AS int[])){_TEXT_PROBLEMS}
    )"""


def _problems(*, typed: bool) -> str:
    """CTEs ending in `problems` (seq, column_name, message), after `_checked`. The years of an
    equipment row (typed) are checked one by one: a column's problem is reported once a row."""
    if not typed:
        return f"{_PROBLEM_ROWS},\n    problems AS (SELECT * FROM problem_rows)"
    return f"""{_PROBLEM_ROWS},
    problems AS (
        SELECT DISTINCT ON (seq, column_name) * FROM problem_rows
        ORDER BY seq, column_name, message
    )"""


# What was computed for a typed row replaces its staged factor key, quantity and unit.
_REPLACED = ("factor_key", "quantity", "unit")
_AS_STAGED = ", ".join(f's."{name}"' for name in ACTIVITY_COLUMNS if name not in _REPLACED)
_FROM_COMPUTED = ", ".join(
    f'CASE WHEN c.seq IS NULL THEN s."{name}" ELSE c."{name}" END AS "{name}"' for name in _REPLACED
)
_JOB = "s.job_id = :job"
_BATCH = "s.job_id = :job AND s.seq BETWEEN :first AND :last"


def _rows(where: str, *, typed: bool) -> str:
    """The staged rows `where` holds, with what was computed for the typed ones (a join only
    for a job that has typed rows: a plain import reads its rows alone)."""
    if not typed:
        return (
            "(SELECT s.*, NULL::text AS activity, NULL::text AS problem_column, "
            "NULL::text AS problem_message, 0 AS part, NULL::date AS entry_date "
            f"FROM import_activity_row AS s WHERE {where})"
        )
    return f"""(
        SELECT s.job_id, s.seq, {_AS_STAGED}, {_FROM_COMPUTED},
               c.activity, c.problem_column, c.problem_message,
               coalesce(c.part, 0) AS part, c.entry_date
        FROM import_activity_row AS s
        LEFT JOIN import_activity_computed AS c ON c.job_id = s.job_id AND c.seq = s.seq
        WHERE {where})"""


_BOTH = (False, True)
_SUMMARY = {
    typed: text(
        f"WITH {_checked(_rows(_JOB, typed=typed))}, {_problems(typed=typed)} "
        "SELECT count(*), count(DISTINCT seq) FROM problems"
    )
    for typed in _BOTH
}

_FIRST_PROBLEMS = {
    typed: text(
        f"""
    WITH {_checked(_rows(_JOB, typed=typed))}, {_problems(typed=typed)},
    first AS (SELECT * FROM problems ORDER BY seq, column_name LIMIT :cap),
    numbered AS (
        SELECT seq, row_number() OVER (ORDER BY seq) + 1 AS line
        FROM import_activity_row WHERE job_id = :job
    )
    SELECT numbered.line, first.column_name, first.message
    FROM first JOIN numbered USING (seq)
    ORDER BY first.seq, first.column_name
    """
    )
    for typed in _BOTH
}

_SEQ_RANGE = text("SELECT min(seq), max(seq) FROM import_activity_row WHERE job_id = :job")

# Each column of an entry: those of its row, computed by the check from the staged row and stored
# in import_activity_checked; then those of the import, added when the rows are moved.
_PER_ROW = {
    "id": f"""(CAST(:id_prefix AS text)
               || lpad(to_hex(((seq << {PART_BITS}) | part) & {2**SEQ_BITS - 1}),
                       {SEQ_BITS // 4}, '0'))::uuid""",
    "factor_id": "factor_id",
    "kg_co2e": kg_sql("q", "kg"),
    "date": "d",
    "quantity": "q",
    "kind": "kind_value",
    "activity": "activity::jsonb",
} | {field.name: f'"{field.name}"' for field in _TEXT_FIELDS}
_PER_JOB = {
    "lab_id": ":lab",
    "import_id": ":job",
    "created_by": ":user",
    "version": "1",
    "created_at": "now()",
    "updated_at": "now()",
}
_ENTRY_COLUMNS = [column.key for column in Reader(ActivityEntry).written]
if set(_ENTRY_COLUMNS) != set(_PER_ROW) | set(_PER_JOB) or set(_PER_ROW) != set(ACTIVITY_CHECKED):
    raise TypeError(
        f"activity_entry columns without a value in the import, or not stored by its check: "
        f"{_ENTRY_COLUMNS}"
    )

# The rows to insert: a typed row's entries all or none (an equipment's years).
_INSERTED = {
    False: "checked WHERE ok",
    True: "(SELECT *, bool_and(ok) OVER (PARTITION BY seq) AS whole FROM checked) AS parts "
    "WHERE whole",
}
# Where a batch's valid rows go: stored for the job's transaction to move (a plain job's check,
# in a side session), or straight into activity_entry (a typed job, in its transaction: its
# batches are small and the API's computation is what bounds it, so a third busy connection would
# only slow that down).
_INTO = {
    "checked": f"""import_activity_checked
            (job_id, seq, part, {", ".join(f'"{name}"' for name in _PER_ROW)})
        SELECT :job, seq, part, {", ".join(_PER_ROW.values())}""",
    "entries": f"""activity_entry ({", ".join(f'"{name}"' for name in _ENTRY_COLUMNS)})
        SELECT {", ".join((_PER_ROW | _PER_JOB)[name] for name in _ENTRY_COLUMNS)}""",
}


def _batch_statement(*, typed: bool, into: str) -> TextClause:
    """Check a batch's staged rows and insert the valid ones `into` (see _INTO); counted: the
    staged rows, the rows kept (not their entries: an equipment row has one a year), the
    entries, the factors they use, and their sums by rollup key."""
    return text(
        f"""
    WITH {_checked(_rows(_BATCH, typed=typed))},
    kept AS (
        INSERT INTO {_INTO[into]}
        FROM {_INSERTED[typed]}
        ORDER BY seq, part  -- in id order: appended to the entries' key (read so by the move)
        RETURNING id, factor_id, date, quantity, kg_co2e,
                  {FACTOR_FOR_YEAR_SQL} AS factor_for_year,
                  coalesce(activity ->> 'year_of_lifetime', '1') = '1' AS first_entry
    ),
    -- One pass over the kept entries: the rollup's sums by key (its lab is the job's), and the
    -- rows (an equipment's first year) and entries counted with them.
    sums (year, factor_id, month, factor_for_year, slot, n, q, kg, rows) AS (
        SELECT {rollup.key_sql("k")}, count(*), sum(k.quantity), sum(k.kg_co2e),
               count(*) FILTER (WHERE k.first_entry)
        FROM kept AS k GROUP BY 1, 2, 3, 4, 5
    )
    SELECT (SELECT count(*) FROM import_activity_row AS s WHERE {_BATCH}),
           (SELECT coalesce(sum(rows), 0) FROM sums),
           (SELECT coalesce(sum(n), 0) FROM sums),
           (SELECT coalesce(array_agg(DISTINCT factor_id), '{{}}') FROM sums),
           (SELECT coalesce(array_agg(ARRAY[year::text, factor_id::text, month::text,
                                            factor_for_year::text, slot::text, n::text, q::text,
                                            kg::text]), '{{}}')
            FROM sums)
    """
    )


_CHECK_BATCH = _batch_statement(typed=False, into="checked")
_INSERT_TYPED_BATCH = _batch_statement(typed=True, into="entries")
# By typed: hash joins and the sort into id order in memory (a typed batch joins what was
# computed).
_WORK_MEM = {
    False: text("SET LOCAL work_mem = '64MB'"),
    True: text("SET LOCAL work_mem = '256MB'"),
}
_MOVE_BATCH = text(
    f"""
    INSERT INTO activity_entry ({", ".join(f'"{name}"' for name in _ENTRY_COLUMNS)})
    SELECT {", ".join(_PER_JOB.get(name, f'c."{name}"') for name in _ENTRY_COLUMNS)}
    FROM import_activity_checked AS c
    WHERE c.job_id = :job AND c.seq BETWEEN :first AND :last
    """
)
_FORGET_CHECKED = text(
    "DELETE FROM import_activity_checked WHERE job_id = :job AND seq BETWEEN :first AND :last"
)

# What the entries' foreign-key triggers lock, for when they are skipped (see bulk_load).
_LOCK_LAB = text("SELECT id, region FROM lab WHERE id = :lab FOR KEY SHARE")
_LOCK_JOB = text("SELECT 1 FROM data_ingestion_jobs WHERE id = :job FOR KEY SHARE")
_LOCK_USER = text('SELECT 1 FROM "user" WHERE id = :user FOR KEY SHARE')
_LOCK_FACTORS = text(
    "SELECT count(*) FROM (SELECT 1 FROM emission_factor WHERE id = ANY(:ids) FOR KEY SHARE) AS f"
)
_DELETE_OF_IMPORT = text("DELETE FROM activity_entry WHERE import_id = :job")


@dataclass(frozen=True)
class ImportScope:
    """One import job as each of its statements sees it: whose rows, what they are checked
    against (the lab's region, the rollover window in years, the lab's signed-off years, whether
    some rows are typed) and whom their entries name as their uploader. Built once a job."""

    job_id: UUID
    lab_id: UUID
    region: str | None
    created_by: UUID | None  # None when the uploader's account is gone
    window: int
    locked_years: frozenset[int] = frozenset()
    typed: bool = False

    def check_params(self) -> dict[str, Any]:
        """The parameters of the checks (`_checked`'s statements)."""
        return {
            "job": self.job_id,
            "region": self.region,
            "window": self.window,
            "locked_years": sorted(self.locked_years),
        }


@dataclass(frozen=True)
class Batch:
    """A checked batch of staged rows: the seq range, its staged rows, the rows kept, their
    entries (an equipment row has one a year of its lifetime) and the factors they reference."""

    seqs: tuple[int, int]
    rows: int
    inserted: int
    entries: int
    factor_ids: frozenset[UUID]
    # What its entries add to the report rollup, for when their insert skips its trigger.
    sums: dict[rollup.Key, rollup.Sums]

    @property
    def rejected(self) -> int:
        return self.rows - self.inserted


@dataclass(frozen=True)
class ImportLab:
    id: UUID
    region: str | None


@dataclass(frozen=True)
class Parents:
    """The rows every entry of an import references, locked `FOR KEY SHARE`."""

    lab: ImportLab | None  # None when the lab is gone (its jobs went with it)
    created_by: UUID | None  # None when the uploader's account is gone (the key is SET NULL)


def entry_id_prefix() -> str:
    """The first 20 hex digits (with dashes) of an import's entry ids: UUIDv7's millisecond
    timestamp, its version and variant, and 26 random bits. The last 12 are each row's `seq`."""
    millis = time.time_ns() // 1_000_000
    rand_a, rand_b = secrets.randbits(12), secrets.randbits(14)
    return (
        f"{millis >> 16:08x}-{millis & 0xFFFF:04x}-7{rand_a:03x}-"
        f"{0x8 | rand_b >> 12:x}{rand_b & 0xFFF:03x}-"
    )


async def lock_parents(
    session: AsyncSession, *, lab_id: UUID, job_id: UUID, created_by: UUID | None
) -> Parents:
    """Lock the lab (and read its region), the job and the uploader against deletion until the
    transaction ends."""
    connection = await session.connection()
    lab = (await connection.execute(_LOCK_LAB, {"lab": lab_id})).first()
    await connection.execute(_LOCK_JOB, {"job": job_id})
    user = None
    if created_by is not None:
        user = (await connection.execute(_LOCK_USER, {"user": created_by})).first()
    return Parents(
        lab=ImportLab(lab[0], lab[1]) if lab is not None else None,
        created_by=created_by if user else None,
    )


async def lock_factors(session: AsyncSession, factor_ids: frozenset[UUID]) -> bool:
    """Lock these factors against deletion until the transaction ends; False if one is gone.

    Taken after the inserts: a factor deleted meanwhile was deleted without seeing them, and is
    missing here. One deleted later has to wait for this transaction, and then sees them."""
    if not factor_ids:
        return True
    connection = await session.connection()
    result = await connection.execute(_LOCK_FACTORS, {"ids": list(factor_ids)})
    return int(result.scalar_one()) == len(factor_ids)


async def find_problems(session: AsyncSession, scope: ImportScope, *, cap: int) -> RowProblems:
    """The job's row problems, at most `cap` of them, with their counts."""
    return await find_row_problems(
        session,
        summary=_SUMMARY[scope.typed],
        first_problems=_FIRST_PROBLEMS[scope.typed],
        params=scope.check_params(),
        cap=cap,
    )


async def seq_range(session: AsyncSession, *, job_id: UUID) -> tuple[int, int] | None:
    """The first and last `seq` of the job's staged rows (None when there are none)."""
    connection = await session.connection()
    first, last = (await connection.execute(_SEQ_RANGE, {"job": job_id})).one()
    return None if first is None else (int(first), int(last))


async def check_batch(
    session: AsyncSession, scope: ImportScope, *, id_prefix: str, seqs: tuple[int, int]
) -> Batch:
    """Check a plain job's staged rows whose seq lies in `seqs` (inclusive) and store the
    entries of the valid ones in import_activity_checked, in a side session (the caller
    commits); count all of them. A row dated in a year without a factor of its key takes the
    latest one of at most `scope.window` years before (year rollover). A row dated in one of
    `scope.locked_years` (signed off) is refused.

    Ranges of seq rather than `ORDER BY seq LIMIT n`: no sort, and gaps (another upload's rows
    interleaved) only make a batch smaller."""
    connection = await session.connection()
    await bulk_load.plan_for_bulk(connection)
    await connection.execute(_LOCK_JOB, {"job": scope.job_id})
    await connection.execute(_WORK_MEM[False])
    params = _batch_params(scope, id_prefix, seqs)
    async with bulk_load.triggers_skipped(connection):  # the job's row is locked above
        return _batch(seqs, await connection.execute(_CHECK_BATCH, params))


async def insert_typed_batch(
    session: AsyncSession, scope: ImportScope, *, id_prefix: str, seqs: tuple[int, int]
) -> Batch:
    """As `check_batch`, for a job with typed rows (their computed factor key, quantity and unit
    read from `record_computed`'s table), inserting the valid rows' entries into activity_entry
    in the job's transaction (which has planned for bulk and skipped triggers, or not)."""
    connection = await session.connection()
    await connection.execute(_WORK_MEM[True])
    params = _batch_params(scope, id_prefix, seqs) | {"lab": scope.lab_id, "user": scope.created_by}
    return _batch(seqs, await connection.execute(_INSERT_TYPED_BATCH, params))


def _batch_params(scope: ImportScope, id_prefix: str, seqs: tuple[int, int]) -> dict[str, Any]:
    return scope.check_params() | {"id_prefix": id_prefix, "first": seqs[0], "last": seqs[1]}


def _batch(seqs: tuple[int, int], result: Result[Any]) -> Batch:
    rows, inserted, entries, factor_ids, sums = tuple(result.one())
    return Batch(seqs, int(rows), int(inserted), int(entries), frozenset(factor_ids), _sums(sums))


def _sums(rows: list[list[str]]) -> dict[rollup.Key, rollup.Sums]:
    """The rollup sums of a batch, from their text (exact: numeric sums as decimal text)."""
    return {
        rollup.Key(int(year), UUID(factor), int(month), int(factor_for_year), int(slot)): (
            rollup.Sums(int(count), Decimal(quantity), Decimal(kg))
        )
        for year, factor, month, factor_for_year, slot, count, quantity, kg in rows
    }


async def move_batch(session: AsyncSession, scope: ImportScope, batch: Batch) -> int:
    """Insert the entries `check_batch` stored for `batch` into activity_entry, as the lab's and
    the import's; return how many."""
    connection = await session.connection()
    params = {
        "job": scope.job_id,
        "lab": scope.lab_id,
        "user": scope.created_by,
        "first": batch.seqs[0],
        "last": batch.seqs[1],
    }
    return int((await connection.execute(_MOVE_BATCH, params)).rowcount)


async def forget_checked(
    session: AsyncSession, *, job_id: UUID, seqs: tuple[int, int] = (0, 2**63 - 1)
) -> None:
    """Delete the checked entries of the job's staged rows in `seqs` (by default all of them)."""
    connection = await session.connection()
    await connection.execute(_FORGET_CHECKED, {"job": job_id, "first": seqs[0], "last": seqs[1]})


async def delete_entries_of_import(session: AsyncSession, *, job_id: UUID) -> int:
    connection = await session.connection()
    result = await connection.execute(_DELETE_OF_IMPORT, {"job": job_id})
    return int(result.rowcount)


class TypedRow(NamedTuple):
    """A staged row of a typed kind: its columns (`ACTIVITY_COLUMNS`), as text or None."""

    seq: int
    columns: tuple[str | None, ...]


# The columns as they are: building a JSON object of the non-blank ones in the query cost the
# database 4x the time of the whole read (measured on 100,000 flights).
_TYPED_ROWS = f"""
    SELECT s.seq, {", ".join(f's."{name}"' for name in ACTIVITY_COLUMNS)}
    FROM import_activity_row AS s
    WHERE s.job_id = %(job)s AND s.seq > %(after)s AND {_KIND} <> {_PLAIN}
    ORDER BY s.seq
    LIMIT %(limit)s
    """


# `kind IS NOT NULL` first: a plain file has no `kind` column, and its million rows are then
# passed over without evaluating the expression.
_HAS_TYPED_ROWS = text(
    f"SELECT EXISTS (SELECT 1 FROM import_activity_row AS s "
    f"WHERE s.job_id = :job AND s.kind IS NOT NULL AND {_KIND} <> {_PLAIN})"
)


async def has_typed_rows(session: AsyncSession, *, job_id: UUID) -> bool:
    """Whether the job's staged rows include a typed kind (or an unknown one)."""
    connection = await session.connection()
    return bool((await connection.execute(_HAS_TYPED_ROWS, {"job": job_id})).scalar_one())


async def typed_rows(
    session: AsyncSession, *, job_id: UUID, after: int, limit: int
) -> list[TypedRow]:
    """The job's staged rows of a typed kind (their inputs), the first `limit` after seq `after`."""
    connection = await session.connection()
    driver = await driver_of(connection)
    # The driver's own tuples, not SQLAlchemy's rows (less work for the API process).
    async with driver.cursor() as cursor:
        await cursor.execute(_TYPED_ROWS, {"job": job_id, "after": after, "limit": limit})
        return [TypedRow(row[0], row[1:]) for row in await cursor.fetchall()]


@dataclass(slots=True)  # not frozen: made once per typed row, and a frozen init costs 3x
class Computed:
    """What the import computed for a typed row (for each year of an equipment's lifetime): its
    factor key, quantity, unit and activity (JSON text), or the column and message of its
    problem."""

    seq: int
    part: int = 0  # an equipment row's year of its lifetime, from 0
    entry_date: date | None = None  # that year's entry's date (None: the row's)
    factor_key: str | None = None
    quantity: str | None = None
    unit: str | None = None
    activity: str | None = None
    problem_column: str | None = None
    problem_message: str | None = None


if tuple(item.name for item in fields(Computed)) != (
    "seq",
    "part",
    "entry_date",
    *ACTIVITY_COMPUTED,
):
    raise TypeError("Computed and ACTIVITY_COMPUTED name different columns")
_COMPUTED_COLUMNS = ("job_id", "seq", "part", "entry_date", *ACTIVITY_COMPUTED)
_COPY_COMPUTED = f"COPY import_activity_computed ({', '.join(_COMPUTED_COLUMNS)}) FROM STDIN"


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_NULL = "\\N"  # COPY's text for NULL


def _copy_field(value: str | None) -> str:
    """A value in COPY's text format: `\\N` for NULL; a backslash, tab, newline or carriage
    return escaped (a computed row's texts seldom hold one: looked for before translating)."""
    if value is None:
        return _NULL
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def computed_copy_data(job_id: UUID, rows: list[Computed]) -> bytes:
    """What was computed for the typed rows, as `record_computed` stores it: COPY text, a line
    a row. CPU-bound: made off the event loop (written one `await` a row, storing them cost the
    API process as much as reading them)."""
    job = str(job_id)
    return "".join(
        [
            f"{job}\t{row.seq}\t{row.part}\t"
            f"{_NULL if row.entry_date is None else row.entry_date.isoformat()}\t"
            f"{_copy_field(row.factor_key)}\t{_copy_field(row.quantity)}\t"
            f"{_copy_field(row.unit)}\t{_copy_field(row.activity)}\t"
            f"{_copy_field(row.problem_column)}\t{_copy_field(row.problem_message)}\n"
            for row in rows
        ]
    ).encode()


async def record_computed(session: AsyncSession, *, job_id: UUID, data: bytes) -> None:
    """Store what was computed for the typed rows (`computed_copy_data`) by COPY, without a
    foreign-key trigger call per row: the job's row is locked here instead."""
    connection = await session.connection()
    await connection.execute(_LOCK_JOB, {"job": job_id})
    driver = await driver_of(connection)
    async with (
        bulk_load.triggers_skipped(connection),
        driver.cursor() as cursor,
        cursor.copy(_COPY_COMPUTED) as copy,
    ):
        await copy.write(data)
