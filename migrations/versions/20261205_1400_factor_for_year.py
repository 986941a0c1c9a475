"""activity entries: `factor_for_year`, the year whose factor an entry takes; the rollup keyed by it

An equipment purchase that itself rests on an earlier year's factor (a laptop bought in 2025 on
a 2021 factor) was never counted as year rollover, and its years stayed on that factor when the
2025 one arrived: the report and the recalculation told an equipment's yearly shares apart by
`kind = 'equipment'` alone. Now every entry has `factor_for_year`, a stored generated column:
its date's year, or for an equipment's later years the purchase year (`year_of_lifetime` in its
activity counts from 1). An entry rests on year rollover when its factor's year is earlier.

- `activity_entry.factor_for_year` is added (PostgreSQL rewrites the table, holding it ACCESS
  EXCLUSIVE until this migration commits), and the covering index carries it instead of `kind`.
- `report_rollup` is keyed by it instead of `amortised`: emptied, re-keyed, the entry trigger's
  function replaced (the key below), and backfilled from the entries while they are held.

The kg CO2e rule, `round(quantity * value, 6)`, is that of app/models/kg.py as of this revision.

Revision ID: 9c4e2a7f1b30
Revises: 5d1f0c3a9e27
Create Date: 2026-12-05 14:00:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "9c4e2a7f1b30"
down_revision: str | Sequence[str] | None = "5d1f0c3a9e27"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENTRIES = "activity_entry"
INDEX = "ix_activity_entry_lab_id_date_id_covering"
FACTOR_FOR_YEAR = (
    "extract(year FROM date)::int + 1 - coalesce((activity ->> 'year_of_lifetime')::int, 1)"
)
SLOTS = 4
# The rollup's key and an entry row's (`e`) in its order, then and now.
KEYS = {
    "amortised": (
        "lab_id, year, factor_id, month, amortised, slot",
        "e.kind = 'equipment'",
    ),
    "factor_for_year": (
        "lab_id, year, factor_id, month, factor_for_year, slot",
        "e.factor_for_year",
    ),
}


def _entry_function(key_name: str) -> str:
    """The entry trigger's function of migration 20261204_0700_report_rollup, keyed by
    `key_name` (see KEYS)."""
    key, flag = KEYS[key_name]
    entry_key = (
        "e.lab_id, extract(year FROM e.date)::int, e.factor_id, "
        f"extract(month FROM e.date)::smallint, {flag}, "
        f"(get_byte(uuid_send(e.id), 15) % {SLOTS})::smallint"
    )

    def rows(relation: str, sign: str, checked: bool) -> str:
        off = "e.kg_co2e <> round(e.quantity * f.kg_co2e_per_unit, 6)" if checked else "false"
        join = " JOIN emission_factor AS f ON f.id = e.factor_id" if checked else ""
        columns = f"{entry_key}, {sign}1, {sign}e.quantity, {sign}e.kg_co2e, {off}"
        return f"SELECT {columns} FROM {relation} AS e{join}"  # noqa: S608 - constant SQL

    def apply(*parts: str) -> str:
        return f"""
        WITH changed AS MATERIALIZED (
            SELECT {key}, sum(n) AS n, sum(q) AS q, sum(kg) AS kg, bool_or(off) AS off
            FROM ({" UNION ALL ".join(parts)}) AS signed ({key}, n, q, kg, off)
            GROUP BY {key}
        ),
        added AS (
            INSERT INTO report_rollup AS r ({key}, entries, quantity, kg_co2e)
            SELECT {key}, n, q, kg FROM changed
            WHERE n <> 0 OR q <> 0 OR kg <> 0
            ORDER BY {key}
            ON CONFLICT ({key}) DO UPDATE
            SET entries = r.entries + excluded.entries,
                quantity = r.quantity + excluded.quantity,
                kg_co2e = r.kg_co2e + excluded.kg_co2e
        )
        INSERT INTO report_rollup_stale_factor (factor_id)
        SELECT DISTINCT factor_id FROM changed WHERE off
        ON CONFLICT DO NOTHING;"""  # noqa: S608 - constant SQL of this module

    drop_emptied = """
        DELETE FROM report_rollup AS r
        USING (SELECT DISTINCT lab_id, extract(year FROM date)::int AS year FROM old_rows) AS t
        WHERE r.lab_id = t.lab_id AND r.year = t.year AND r.entries = 0;"""
    new, old = rows("new_rows", "", checked=True), rows("old_rows", "-", checked=False)
    return f"""
CREATE OR REPLACE FUNCTION report_rollup_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {apply(new)}
    ELSIF TG_OP = 'UPDATE' THEN
        {apply(new, old)}
        {drop_emptied}
    ELSIF TG_OP = 'DELETE' THEN
        {apply(old)}
        {drop_emptied}
    ELSE  -- TRUNCATE
        DELETE FROM report_rollup;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 - constant SQL of this module


def _rekey_rollup(key_name: str, column: sa.Column[object], dropped: str) -> None:
    """Key the rollup by `key_name` (its column `column`, replacing `dropped`) and fill it
    again from the entries."""
    key, flag = KEYS[key_name]
    op.execute("TRUNCATE report_rollup")
    op.drop_constraint("pk_report_rollup", "report_rollup", type_="primary")
    op.drop_column("report_rollup", dropped)
    op.add_column("report_rollup", column)
    op.create_primary_key("pk_report_rollup", "report_rollup", key.split(", "))
    op.execute(_entry_function(key_name))
    op.execute(
        f"""
        INSERT INTO report_rollup ({key}, entries, quantity, kg_co2e)
        SELECT e.lab_id, extract(year FROM e.date)::int, e.factor_id,
               extract(month FROM e.date)::smallint, {flag},
               (get_byte(uuid_send(e.id), 15) % {SLOTS})::smallint,
               count(*), sum(e.quantity), sum(e.kg_co2e)
        FROM activity_entry AS e
        GROUP BY 1, 2, 3, 4, 5, 6
        """  # noqa: S608 - constant SQL of this module
    )


def _index(include: list[str]) -> None:
    # The table is held ACCESS EXCLUSIVE by this migration already (its rewrite): no point
    # in building concurrently.
    op.drop_index(INDEX, table_name=ENTRIES)
    op.create_index(INDEX, ENTRIES, ["lab_id", "date", "id"], postgresql_include=include)


def upgrade() -> None:
    op.add_column(
        ENTRIES,
        sa.Column(
            "factor_for_year",
            sa.Integer(),
            sa.Computed(FACTOR_FOR_YEAR, persisted=True),
            nullable=False,
        ),
    )
    _index(["factor_id", "quantity", "factor_for_year"])
    _rekey_rollup(
        "factor_for_year", sa.Column("factor_for_year", sa.Integer(), nullable=False), "amortised"
    )


def downgrade() -> None:
    # The old function reads no `factor_for_year`: replaced before the column goes.
    _rekey_rollup(
        "amortised", sa.Column("amortised", sa.Boolean(), nullable=False), "factor_for_year"
    )
    _index(["factor_id", "quantity", "kind"])
    op.drop_column(ENTRIES, "factor_for_year")
