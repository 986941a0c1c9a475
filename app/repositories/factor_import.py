"""Staged factor rows, validated and written in set-based SQL.

One CTE (`checked`) parses every staged row of the job; the error report and the upsert both read
it, so they cannot disagree about which rows are valid. A row whose (key, year, region) repeats in
the file is invalid, every copy of it: which one was meant is not ours to guess.
"""

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.factor import (
    BASIS_NEEDS_SCOPE_2,
    FACTOR_KEY_PATTERN,
    FIRST_YEAR,
    FLIGHT_BAND_NEEDS_CABIN,
    FLIGHT_BAND_ORDER,
    LAST_YEAR,
    MAX_DISTANCE_KM,
    MAX_SOURCE,
    MAX_SOURCE_PART,
    SOURCE_URL_PATTERN,
    UNCERTAINTY,
    UNIT_PATTERN,
    CabinClass,
    FactorCategory,
    Scope2Basis,
)
from app.models.lab import REGION_PATTERN
from app.repositories.entry import Weight, weigh_sql
from app.repositories.staging import RowProblems, find_row_problems

KG_PATTERN = r"^[0-9]{1,9}(\.[0-9]{1,9})?$"  # emission_factor.kg_co2e_per_unit is NUMERIC(18, 9)
_CATEGORIES = ", ".join(f"'{category.value}'" for category in FactorCategory)
_CATEGORY_LIST = ", ".join(category.value for category in FactorCategory)
_BASES = ", ".join(f"'{basis.value}'" for basis in Scope2Basis)
_BASIS_LIST = " or ".join(basis.value for basis in Scope2Basis)
_CABINS = ", ".join(f"'{cabin.value}'" for cabin in CabinClass)
_CABIN_LIST = ", ".join(cabin.value for cabin in CabinClass)
# The `flight_band` CHECK of emission_factor, on the parsed columns (unqualified: one table).
_BAND_OK = (
    "((cabin_class IS NULL) = (distance_min_km IS NULL) AND (distance_max_km IS NULL "
    "OR (distance_min_km IS NOT NULL AND distance_max_km > distance_min_km)))"
)
# The free-text parts of a factor's source, each at most MAX_SOURCE_PART characters.
SOURCE_PARTS = ("source_publisher", "source_dataset", "source_edition")

_CHECKED = f"""
    staged AS MATERIALIZED (
        SELECT s.seq, (row_number() OVER (ORDER BY s.seq) + 1)::int AS line,
               btrim(s.key) AS key_text, lower(btrim(s.category)) AS category_text,
               btrim(s.unit) AS unit_text, btrim(s.kg_co2e_per_unit) AS kg_text,
               btrim(s.scope) AS scope_text, btrim(s.year) AS year_text,
               nullif(btrim(s.region), '') AS region, coalesce(s.source, '') AS source,
               {", ".join(f"coalesce(s.{part}, '') AS {part}" for part in SOURCE_PARTS)},
               coalesce(btrim(s.source_url), '') AS source_url,
               nullif(btrim(s.uncertainty_pct), '') AS uncertainty_text,
               nullif(lower(btrim(s.basis)), '') AS basis_text,
               nullif(lower(btrim(s.cabin_class)), '') AS cabin_text,
               nullif(btrim(s.distance_min_km), '') AS min_km_text,
               nullif(btrim(s.distance_max_km), '') AS max_km_text
        FROM import_factor_row AS s
        WHERE s.job_id = :job
    ),
    parsed AS (
        SELECT st.*,
               CASE WHEN st.key_text ~ '{FACTOR_KEY_PATTERN}' AND length(st.key_text) <= 100
                    THEN st.key_text END AS key,
               CASE WHEN st.category_text IN ({_CATEGORIES}) THEN st.category_text END
                    AS category,
               CASE WHEN st.unit_text ~ '{UNIT_PATTERN}' THEN st.unit_text END AS unit,
               CASE WHEN st.kg_text ~ '{KG_PATTERN}' THEN st.kg_text::numeric END AS kg,
               CASE WHEN st.scope_text IN ('1', '2', '3') THEN st.scope_text::int END AS scope,
               CASE WHEN st.year_text ~ '^[0-9]{{4}}$'
                     AND st.year_text::int BETWEEN {FIRST_YEAR} AND {LAST_YEAR}
                    THEN st.year_text::int END AS year,
               (st.region IS NULL OR st.region ~ '{REGION_PATTERN}') AS region_ok,
               length(st.source) <= {MAX_SOURCE} AS source_ok,
               ({" AND ".join(f"length(st.{part}) <= {MAX_SOURCE_PART}" for part in SOURCE_PARTS)})
                 AS source_parts_ok,
               (st.source_url ~ '{SOURCE_URL_PATTERN}' AND length(st.source_url) <= {MAX_SOURCE})
                 AS source_url_ok,
               CASE WHEN st.uncertainty_text ~ '{UNCERTAINTY.pattern}'
                     AND st.uncertainty_text::numeric <= {UNCERTAINTY.maximum}
                    THEN st.uncertainty_text::numeric END AS uncertainty,
               CASE WHEN st.basis_text IN ({_BASES}) THEN st.basis_text END AS basis,
               CASE WHEN st.cabin_text IN ({_CABINS}) THEN st.cabin_text END AS cabin_class,
               CASE WHEN st.min_km_text ~ '^[0-9]{{1,6}}$'
                     AND st.min_km_text::int <= {MAX_DISTANCE_KM}
                    THEN st.min_km_text::int END AS distance_min_km,
               CASE WHEN st.max_km_text ~ '^[0-9]{{1,6}}$'
                     AND st.max_km_text::int BETWEEN 1 AND {MAX_DISTANCE_KM}
                    THEN st.max_km_text::int END AS distance_max_km
        FROM staged AS st
    ),
    checked AS (
        SELECT p.*,
               CASE WHEN p.key IS NULL OR p.year IS NULL OR NOT p.region_ok THEN 1
                    ELSE count(*) OVER same END AS copies,
               left(string_agg(p.line::text, ', ') OVER same, 200) AS same_lines,
               (p.key IS NOT NULL AND p.category IS NOT NULL AND p.unit IS NOT NULL
                AND p.kg IS NOT NULL AND p.scope IS NOT NULL AND p.year IS NOT NULL
                AND p.region_ok AND p.source_ok AND p.source_parts_ok AND p.source_url_ok
                AND (p.uncertainty_text IS NULL OR p.uncertainty IS NOT NULL)
                AND (p.basis_text IS NULL OR (p.basis IS NOT NULL AND p.scope = 2))
                AND (p.cabin_text IS NULL) = (p.cabin_class IS NULL)
                AND (p.min_km_text IS NULL) = (p.distance_min_km IS NULL)
                AND (p.max_km_text IS NULL) = (p.distance_max_km IS NULL)
                AND {_BAND_OK}) AS parsed_ok
        FROM parsed AS p
        WINDOW same AS (PARTITION BY p.key, p.year, p.region ORDER BY p.line
                        ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    )"""


def _required_or(column: str, otherwise: str) -> str:
    """A message: 'required' when the column is blank, else `otherwise` (an SQL literal)."""
    return f"CASE WHEN coalesce({column}, '') = '' THEN 'required' ELSE {otherwise} END"


_KEY_MESSAGE = _required_or(
    "key_text",
    "'expected a key like electricity.grid.CH (a lowercase first word, dot-separated parts, "
    "at most 100 characters)'",
)
_CATEGORY_MESSAGE = _required_or("category_text", f"'expected one of {_CATEGORY_LIST}'")
_UNIT_MESSAGE = _required_or("unit_text", "'expected 1 to 20 letters, digits or _ . / % -'")
_SCOPE_MESSAGE = _required_or("scope_text", "'expected 1, 2 or 3'")
_YEAR_MESSAGE = _required_or("year_text", f"'expected a year from {FIRST_YEAR} to {LAST_YEAR}'")

_SOURCE_PART_PROBLEMS = "\n        UNION ALL\n        ".join(
    f"SELECT line, '{part}', 'at most {MAX_SOURCE_PART} characters' "
    f"FROM checked WHERE length({part}) > {MAX_SOURCE_PART}"
    for part in SOURCE_PARTS
)

_PROBLEMS = f"""
    problems AS (
        SELECT line, 'key' AS column_name, {_KEY_MESSAGE} AS message
        FROM checked WHERE key IS NULL
        UNION ALL
        SELECT line, 'category', {_CATEGORY_MESSAGE} FROM checked WHERE category IS NULL
        UNION ALL
        SELECT line, 'unit', {_UNIT_MESSAGE} FROM checked WHERE unit IS NULL
        UNION ALL
        SELECT line, 'kg_co2e_per_unit',
               CASE WHEN coalesce(kg_text, '') = '' THEN 'required'
                    WHEN kg_text ~ '^-' THEN 'must be >= 0'
                    ELSE 'expected a decimal number with . as separator, at most 9 digits '
                         || 'before it and 9 after' END
        FROM checked WHERE kg IS NULL
        UNION ALL
        SELECT line, 'scope', {_SCOPE_MESSAGE} FROM checked WHERE scope IS NULL
        UNION ALL
        SELECT line, 'year', {_YEAR_MESSAGE} FROM checked WHERE year IS NULL
        UNION ALL
        SELECT line, 'region', 'expected a region code such as CH or US-CA'
        FROM checked WHERE NOT region_ok
        UNION ALL
        SELECT line, 'source', 'at most {MAX_SOURCE} characters'
        FROM checked WHERE NOT source_ok
        UNION ALL
        {_SOURCE_PART_PROBLEMS}
        UNION ALL
        SELECT line, 'source_url',
               'expected blank or an http(s) URL of at most {MAX_SOURCE} characters, no spaces'
        FROM checked WHERE NOT source_url_ok
        UNION ALL
        SELECT line, 'uncertainty_pct',
               'expected blank or a percentage from 0 to {UNCERTAINTY.maximum}, at most '
               || '{UNCERTAINTY.decimal_places} decimal places'
        FROM checked WHERE uncertainty_text IS NOT NULL AND uncertainty IS NULL
        UNION ALL
        SELECT line, 'basis', 'expected blank, {_BASIS_LIST}'
        FROM checked WHERE basis_text IS NOT NULL AND basis IS NULL
        UNION ALL
        SELECT line, 'basis', '{BASIS_NEEDS_SCOPE_2}'
        FROM checked WHERE basis IS NOT NULL AND scope IS NOT NULL AND scope <> 2
        UNION ALL
        SELECT line, 'cabin_class', 'expected blank or one of {_CABIN_LIST}'
        FROM checked WHERE cabin_text IS NOT NULL AND cabin_class IS NULL
        UNION ALL
        SELECT line, 'distance_min_km',
               'expected blank or a whole number of km up to {MAX_DISTANCE_KM}'
        FROM checked WHERE min_km_text IS NOT NULL AND distance_min_km IS NULL
        UNION ALL
        SELECT line, 'distance_max_km',
               'expected blank or a whole number of km from 1 to {MAX_DISTANCE_KM}'
        FROM checked WHERE max_km_text IS NOT NULL AND distance_max_km IS NULL
        UNION ALL
        SELECT line, 'distance_min_km',
               CASE WHEN (cabin_class IS NULL) <> (distance_min_km IS NULL)
                    THEN '{FLIGHT_BAND_NEEDS_CABIN}' ELSE '{FLIGHT_BAND_ORDER}' END
        FROM checked
        WHERE (cabin_text IS NULL OR cabin_class IS NOT NULL)
          AND (min_km_text IS NULL OR distance_min_km IS NOT NULL)
          AND (max_km_text IS NULL OR distance_max_km IS NOT NULL)
          AND NOT {_BAND_OK}
        UNION ALL
        SELECT line, 'key', 'the same key, year and region are on lines ' || same_lines
        FROM checked WHERE copies > 1
    )"""

_SUMMARY = text(f"WITH {_CHECKED}, {_PROBLEMS} SELECT count(*), count(DISTINCT line) FROM problems")

_FIRST_PROBLEMS = text(
    f"""
    WITH {_CHECKED}, {_PROBLEMS}
    SELECT line, column_name, message FROM problems ORDER BY line, column_name LIMIT :cap
    """
)

# The valid rows giving an existing factor a new value with which some of its entries would weigh
# too much to store (its recalculation would overflow kg_co2e), one aggregate per such factor.
_TOO_HEAVY = text(
    f"""
    WITH {_CHECKED},
    changed AS MATERIALIZED (
        SELECT c.line, c.kg, f.id AS factor_id
        FROM checked AS c
        JOIN emission_factor AS f
          ON f.key = c.key AND f.year = c.year AND f.region IS NOT DISTINCT FROM c.region
        WHERE c.parsed_ok AND c.copies = 1 AND f.kg_co2e_per_unit <> c.kg
    )
    SELECT ch.line, w.heavy, w.largest_value
    FROM changed AS ch
    CROSS JOIN LATERAL ({weigh_sql(factor="ch.factor_id", value="ch.kg")}) AS w
    WHERE w.heavy > 0
    ORDER BY ch.line
    """
)

# The old value is read from the snapshot: the caller holds the values lock exclusively, so no
# other change of a value can commit meanwhile.
_UPSERT = text(
    f"""
    WITH {_CHECKED},
    valid AS MATERIALIZED (
        SELECT * FROM checked
        WHERE parsed_ok AND copies = 1 AND line <> ALL(CAST(:skipped AS int[]))
    ),
    matched AS MATERIALIZED (
        SELECT v.seq, f.id AS factor_id, f.kg_co2e_per_unit <> v.kg AS value_changed,
               (f.category, f.unit, f.kg_co2e_per_unit, f.scope, f.source, f.source_publisher,
                f.source_dataset, f.source_edition, f.source_url, f.uncertainty_pct, f.basis,
                f.cabin_class, f.distance_min_km, f.distance_max_km)
                 IS DISTINCT FROM
               (v.category, v.unit, v.kg, v.scope, v.source, v.source_publisher,
                v.source_dataset, v.source_edition, v.source_url, v.uncertainty, v.basis,
                v.cabin_class, v.distance_min_km, v.distance_max_km)
                 AS differs
        FROM valid AS v
        JOIN emission_factor AS f
          ON f.key = v.key AND f.year = v.year AND f.region IS NOT DISTINCT FROM v.region
    ),
    updated AS (
        UPDATE emission_factor AS f
        SET category = v.category, unit = v.unit, kg_co2e_per_unit = v.kg, scope = v.scope,
            source = v.source, source_publisher = v.source_publisher,
            source_dataset = v.source_dataset, source_edition = v.source_edition,
            source_url = v.source_url, uncertainty_pct = v.uncertainty, basis = v.basis,
            cabin_class = v.cabin_class, distance_min_km = v.distance_min_km,
            distance_max_km = v.distance_max_km, version = f.version + 1, updated_at = now()
        FROM matched AS m JOIN valid AS v ON v.seq = m.seq
        WHERE f.id = m.factor_id AND m.differs
        RETURNING f.id
    ),
    inserted AS (
        INSERT INTO emission_factor (id, key, category, unit, kg_co2e_per_unit, scope, region,
                                     year, source, source_publisher, source_dataset,
                                     source_edition, source_url, uncertainty_pct, basis,
                                     cabin_class, distance_min_km, distance_max_km,
                                     version, created_at, updated_at)
        SELECT gen_random_uuid(), v.key, v.category, v.unit, v.kg, v.scope, v.region, v.year,
               v.source, v.source_publisher, v.source_dataset, v.source_edition, v.source_url,
               v.uncertainty, v.basis, v.cabin_class, v.distance_min_km, v.distance_max_km,
               1, now(), now()
        FROM valid AS v
        WHERE NOT EXISTS (SELECT 1 FROM matched AS m WHERE m.seq = v.seq)
        RETURNING id
    )
    SELECT (SELECT count(*) FROM valid), (SELECT count(*) FROM inserted),
           (SELECT count(*) FROM updated),
           ARRAY(SELECT factor_id FROM matched WHERE value_changed ORDER BY factor_id),
           ARRAY(SELECT id FROM inserted ORDER BY id)
    """
)


@dataclass(frozen=True)
class Upserted:
    valid: int
    inserted: int
    updated: int
    value_changed: list[UUID]  # existing factors whose kg CO2e per unit changed
    added: list[UUID]  # the new factors


async def find_problems(session: AsyncSession, *, job_id: UUID, cap: int) -> RowProblems:
    return await find_row_problems(
        session,
        summary=_SUMMARY,
        first_problems=_FIRST_PROBLEMS,
        params={"job": job_id},
        cap=cap,
    )


async def find_too_heavy(session: AsyncSession, *, job_id: UUID) -> list[tuple[int, Weight]]:
    """The lines of the otherwise valid rows whose new value for an existing factor would make
    some of its entries too heavy to store, with what the entries say of it, in line order,
    every one (at most one per factor). Only final while the caller holds the values lock
    exclusively: then no entry can be added or grow."""
    connection = await session.connection()
    rows = await connection.execute(_TOO_HEAVY, {"job": job_id})
    return [(line, Weight(int(heavy), Decimal(largest))) for line, heavy, largest in rows]


async def upsert_valid(
    session: AsyncSession, *, job_id: UUID, skipped: list[int] | None = None
) -> Upserted:
    """Insert the valid rows that are new, update the existing ones that differ; rows on the
    `skipped` lines are left out (valid but refused, as by `find_too_heavy`)."""
    connection = await session.connection()
    params = {"job": job_id, "skipped": skipped or []}
    valid, inserted, updated, changed, added = (await connection.execute(_UPSERT, params)).one()
    return Upserted(int(valid), int(inserted), int(updated), list(changed), list(added))
