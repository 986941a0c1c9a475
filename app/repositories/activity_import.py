"""Staged activity rows, validated and turned into entries in set-based SQL.

One CTE (`_CHECKED`) parses every staged row and resolves its factor (the lab's regional one when
it exists, else the region-less one, for the date's year); the error report and the insert both
read it, so they cannot disagree about which rows are valid.
"""

from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.repositories.staging import RowProblems, find_row_problems

QUANTITY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,6})?$"  # activity_entry.quantity is NUMERIC(18, 6)
MAX_NOTE = 1000


def _checked(source: str) -> str:
    """CTEs `staged`, `chosen`, `checked` over the staged rows named by `source` (a constant)."""
    return f"""
    staged AS MATERIALIZED (
        SELECT s.seq, s.date, btrim(s.factor_key) AS factor_key, s.quantity,
               nullif(btrim(s.unit), '') AS unit, coalesce(s.note, '') AS note,
               co2_parse_date(s.date) AS d,
               CASE WHEN btrim(s.quantity) ~ '{QUANTITY_PATTERN}'
                    THEN btrim(s.quantity)::numeric END AS q
        FROM {source} AS s
    ),
    chosen AS (
        SELECT DISTINCT ON (f.key, f.year) f.key, f.year, f.id, f.unit, f.kg_co2e_per_unit
        FROM emission_factor AS f
        WHERE f.region = :region OR f.region IS NULL
        ORDER BY f.key, f.year, f.region NULLS LAST
    ),
    checked AS (
        SELECT st.*, c.id AS factor_id, c.unit AS factor_unit, c.kg_co2e_per_unit AS kg,
               (st.d IS NOT NULL AND st.q IS NOT NULL AND c.id IS NOT NULL
                AND (st.unit IS NULL OR st.unit = c.unit)
                AND length(st.note) <= {MAX_NOTE}) AS ok
        FROM staged AS st
        LEFT JOIN chosen AS c
          ON c.key = st.factor_key AND c.year = extract(year FROM st.d)::int
    )"""


_PROBLEMS = f"""
    problems AS (
        SELECT seq, 'date' AS column_name,
               CASE WHEN coalesce(btrim(date), '') = '' THEN 'required'
                    ELSE 'expected a real date as YYYY-MM-DD or YYYY-MM' END AS message
        FROM checked WHERE d IS NULL
        UNION ALL
        SELECT seq, 'quantity',
               CASE WHEN coalesce(btrim(quantity), '') = '' THEN 'required'
                    WHEN btrim(quantity) ~ '^-' THEN 'must be >= 0'
                    ELSE 'expected a decimal number with . as separator, at most 12 digits '
                         || 'before it and 6 after' END
        FROM checked WHERE q IS NULL
        UNION ALL
        SELECT seq, 'factor_key',
               CASE WHEN coalesce(factor_key, '') = '' THEN 'required'
                    ELSE 'no emission factor ''' || left(factor_key, 100) || ''' for '
                         || extract(year FROM d)::int END
        FROM checked WHERE factor_id IS NULL AND d IS NOT NULL
        UNION ALL
        SELECT seq, 'unit', 'expected ' || factor_unit || ', the unit of the factor'
        FROM checked WHERE factor_id IS NOT NULL AND unit IS NOT NULL AND unit <> factor_unit
        UNION ALL
        SELECT seq, 'note', 'at most {MAX_NOTE} characters'
        FROM checked WHERE length(note) > {MAX_NOTE}
    )"""

_JOB_ROWS = "(SELECT * FROM import_activity_row WHERE job_id = :job)"

_SUMMARY = text(
    f"WITH {_checked(_JOB_ROWS)}, {_PROBLEMS} SELECT count(*), count(DISTINCT seq) FROM problems"
)

_FIRST_PROBLEMS = text(
    f"""
    WITH {_checked(_JOB_ROWS)}, {_PROBLEMS},
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

_SEQ_RANGE = text("SELECT min(seq), max(seq) FROM import_activity_row WHERE job_id = :job")

_INSERT_BATCH = text(
    f"""
    WITH batch AS MATERIALIZED (
        SELECT * FROM import_activity_row WHERE job_id = :job AND seq BETWEEN :first AND :last
    ),
    {_checked("batch")},
    inserted AS (
        INSERT INTO activity_entry (id, lab_id, factor_id, date, quantity, kg_co2e, note,
                                    import_id, created_by, version, created_at, updated_at)
        SELECT gen_random_uuid(), :lab, factor_id, d, q, round(q * kg, 6), note,
               :job, :user, 1, now(), now()
        FROM checked WHERE ok
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM batch), (SELECT count(*) FROM inserted)
    """
)


@dataclass(frozen=True)
class Batch:
    rows: int
    inserted: int

    @property
    def rejected(self) -> int:
        return self.rows - self.inserted


async def find_problems(
    session: AsyncSession, *, job_id: UUID, region: str | None, cap: int
) -> RowProblems:
    return await find_row_problems(
        session,
        summary=_SUMMARY,
        first_problems=_FIRST_PROBLEMS,
        params={"job": job_id, "region": region},
        cap=cap,
    )


async def seq_range(session: AsyncSession, *, job_id: UUID) -> tuple[int, int] | None:
    """The first and last `seq` of the job's staged rows (None when there are none)."""
    connection = await session.connection()
    first, last = (await connection.execute(_SEQ_RANGE, {"job": job_id})).one()
    return None if first is None else (int(first), int(last))


async def insert_batch(
    session: AsyncSession,
    *,
    job_id: UUID,
    lab_id: UUID,
    region: str | None,
    created_by: UUID | None,
    seqs: tuple[int, int],
) -> Batch:
    """Insert the valid staged rows whose seq lies in `seqs` (inclusive); count all of them.

    Ranges of seq rather than `ORDER BY seq LIMIT n`: no sort, and gaps (another upload's rows
    interleaved) only make a batch smaller."""
    connection = await session.connection()
    params = {
        "job": job_id,
        "lab": lab_id,
        "region": region,
        "user": created_by,
        "first": seqs[0],
        "last": seqs[1],
    }
    rows, inserted = (await connection.execute(_INSERT_BATCH, params)).one()
    return Batch(rows=int(rows), inserted=int(inserted))


async def delete_entries_of_import(session: AsyncSession, *, job_id: UUID) -> int:
    connection = await session.connection()
    result = await connection.execute(
        text("DELETE FROM activity_entry WHERE import_id = :job"), {"job": job_id}
    )
    return int(result.rowcount)
