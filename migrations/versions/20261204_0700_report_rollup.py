"""report rollup: exact sums of the entries per lab, year, factor and month, kept by triggers

`report_rollup` holds, per lab, year, factor, month, equipment flag and slot (a 4th of the
entries, by id), the entries' count and their exact quantity and stored kg CO2e;
`report_rollup_stale_factor` the factors whose entries' stored kg CO2e may lag their current
value (app/models/rollup.py, docs/report-rollup.md).

Statement-level AFTER triggers with transition tables on `activity_entry` keep the rollup in step
in the writing transaction: one aggregation of the statement's rows, upserted in key order (so two
writers lock rollup rows in the same order), then the emptied rows deleted. They are `ENABLE
ALWAYS`: the bulk loads skip ordinary triggers (`session_replication_role = replica`, see
app/repositories/bulk_load.py) but must still keep the rollup. Backfilled from the entries with
entry writes held off (SHARE lock) until the migration commits.

The kg CO2e rule, `round(quantity * value, 6)`, is that of app/models/kg.py as of this revision.

Revision ID: 77b3c135a54b
Revises: 71ba3e9d89f3
Create Date: 2026-12-04 07:00:00+00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "77b3c135a54b"
down_revision: str | Sequence[str] | None = "4b7d7657cb79"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = "lab_id, year, factor_id, month, amortised, slot"
SLOTS = 4
# The rollup key of an entry row `e`, in the order of KEY.
ENTRY_KEY = (
    "e.lab_id, extract(year FROM e.date)::int, e.factor_id, "
    "extract(month FROM e.date)::smallint, e.kind = 'equipment', "
    # An entry's slot, from the last byte of its id: concurrent writers of one lab, month and
    # factor mostly update different rows instead of queueing on one until they commit.
    f"(get_byte(uuid_send(e.id), 15) % {SLOTS})::smallint"
)


def _rows(relation: str, sign: str, checked: bool) -> str:
    """The signed rows of `relation`; `checked`: each with whether its stored kg CO2e is other
    than its factor's current value's (only new rows are checked)."""
    off = "e.kg_co2e <> round(e.quantity * f.kg_co2e_per_unit, 6)" if checked else "false"
    join = " JOIN emission_factor AS f ON f.id = e.factor_id" if checked else ""
    columns = f"{ENTRY_KEY}, {sign}1, {sign}e.quantity, {sign}e.kg_co2e, {off}"
    return f"SELECT {columns} FROM {relation} AS e{join}"  # noqa: S608 - constant SQL


def _apply(*parts: str) -> str:
    """One pass over the signed rows of `parts`: add them to the rollup, in key order (a key
    whose sums do not move, as on an update of a note, is not touched); then list the factors
    of rows stored off their current value as stale."""
    return f"""
        WITH changed AS MATERIALIZED (
            SELECT {KEY}, sum(n) AS n, sum(q) AS q, sum(kg) AS kg, bool_or(off) AS off
            FROM ({" UNION ALL ".join(parts)}) AS signed ({KEY}, n, q, kg, off)
            GROUP BY {KEY}
        ),
        added AS (
            INSERT INTO report_rollup AS r ({KEY}, entries, quantity, kg_co2e)
            SELECT {KEY}, n, q, kg FROM changed
            WHERE n <> 0 OR q <> 0 OR kg <> 0
            ORDER BY {KEY}
            ON CONFLICT ({KEY}) DO UPDATE
            SET entries = r.entries + excluded.entries,
                quantity = r.quantity + excluded.quantity,
                kg_co2e = r.kg_co2e + excluded.kg_co2e
        )
        INSERT INTO report_rollup_stale_factor (factor_id)
        SELECT DISTINCT factor_id FROM changed WHERE off
        ON CONFLICT DO NOTHING;"""  # noqa: S608 - constant SQL of this module


# Only keys of removed rows can reach zero entries (then their sums are zero too: exact).
DROP_EMPTIED = """
        DELETE FROM report_rollup AS r
        USING (SELECT DISTINCT lab_id, extract(year FROM date)::int AS year FROM old_rows) AS t
        WHERE r.lab_id = t.lab_id AND r.year = t.year AND r.entries = 0;"""

ENTRY_FUNCTION = f"""
CREATE FUNCTION report_rollup_entries() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_apply(_rows("new_rows", "", checked=True))}
    ELSIF TG_OP = 'UPDATE' THEN
        {_apply(_rows("new_rows", "", checked=True), _rows("old_rows", "-", checked=False))}
        {DROP_EMPTIED}
    ELSIF TG_OP = 'DELETE' THEN
        {_apply(_rows("old_rows", "-", checked=False))}
        {DROP_EMPTIED}
    ELSE  -- TRUNCATE
        DELETE FROM report_rollup;
    END IF;
    RETURN NULL;
END
$$
"""  # noqa: S608 - constant SQL of this module

FACTOR_FUNCTION = """
CREATE FUNCTION report_rollup_factor_values() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_rollup_stale_factor (factor_id)
    SELECT n.id FROM new_factors AS n JOIN old_factors AS o ON o.id = n.id
    WHERE n.kg_co2e_per_unit IS DISTINCT FROM o.kg_co2e_per_unit
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$
"""

TRIGGERS = {
    "report_rollup_on_insert": (
        "activity_entry",
        "AFTER INSERT ON activity_entry REFERENCING NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_entries()",
    ),
    "report_rollup_on_update": (
        "activity_entry",
        "AFTER UPDATE ON activity_entry REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_entries()",
    ),
    "report_rollup_on_delete": (
        "activity_entry",
        "AFTER DELETE ON activity_entry REFERENCING OLD TABLE AS old_rows "
        "FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_entries()",
    ),
    "report_rollup_on_truncate": (
        "activity_entry",
        "AFTER TRUNCATE ON activity_entry FOR EACH STATEMENT "
        "EXECUTE FUNCTION report_rollup_entries()",
    ),
    "report_rollup_on_factor_update": (
        "emission_factor",
        "AFTER UPDATE ON emission_factor "
        "REFERENCING OLD TABLE AS old_factors NEW TABLE AS new_factors "
        "FOR EACH STATEMENT EXECUTE FUNCTION report_rollup_factor_values()",
    ),
}

STALE_BACKFILL = """
INSERT INTO report_rollup_stale_factor (factor_id)
SELECT DISTINCT e.factor_id
FROM activity_entry AS e JOIN emission_factor AS f ON f.id = e.factor_id
WHERE e.kg_co2e <> round(e.quantity * f.kg_co2e_per_unit, 6)
"""

BACKFILL = f"""
INSERT INTO report_rollup ({KEY}, entries, quantity, kg_co2e)
SELECT {ENTRY_KEY}, count(*), sum(e.quantity), sum(e.kg_co2e)
FROM activity_entry AS e
GROUP BY 1, 2, 3, 4, 5, 6
"""  # noqa: S608 - constant SQL of this module


def upgrade() -> None:
    op.create_table(
        "report_rollup",
        sa.Column("lab_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("factor_id", sa.Uuid(), nullable=False),
        sa.Column("month", sa.SmallInteger(), nullable=False),
        sa.Column("amortised", sa.Boolean(), nullable=False),
        sa.Column("slot", sa.SmallInteger(), nullable=False),
        sa.Column("entries", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Numeric(), nullable=False),
        sa.Column("kg_co2e", sa.Numeric(), nullable=False),
        sa.PrimaryKeyConstraint(
            "lab_id",
            "year",
            "factor_id",
            "month",
            "amortised",
            "slot",
            name=op.f("pk_report_rollup"),
        ),
    )
    op.create_table(
        "report_rollup_stale_factor",
        sa.Column("factor_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("factor_id", name=op.f("pk_report_rollup_stale_factor")),
    )
    # Entry writes wait from here until this migration commits: the triggers and the backfill
    # see the same entries.
    op.execute("LOCK TABLE activity_entry IN SHARE MODE")
    op.execute(ENTRY_FUNCTION)
    op.execute(FACTOR_FUNCTION)
    for name, (table, definition) in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {definition}")
        op.execute(f"ALTER TABLE {table} ENABLE ALWAYS TRIGGER {name}")
    op.execute(BACKFILL)
    op.execute(STALE_BACKFILL)


def downgrade() -> None:
    for name, (table, _) in TRIGGERS.items():
        op.execute(f"DROP TRIGGER {name} ON {table}")
    op.execute("DROP FUNCTION report_rollup_factor_values()")
    op.execute("DROP FUNCTION report_rollup_entries()")
    op.drop_table("report_rollup_stale_factor")
    op.drop_table("report_rollup")
