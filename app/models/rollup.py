"""The report rollup: exact sums of the entries per lab, year, month and factor, kept in step with
`activity_entry` by the database itself (docs/report-rollup.md).

Statement-level triggers with transition tables on `activity_entry` (insert, update, delete and
truncate) add each statement's rows to `report_rollup` in the same transaction: every write path
(the API, typed activities, equipment series, CSV imports and their undo, recalculation, year
rollover, a lab's deletion) keeps it exact without knowing it, but one. The update, delete and
truncate triggers are `ENABLE ALWAYS` (they also fire in the bulk loads that skip ordinary
triggers, see app/repositories/bulk_load.py); the insert trigger is ordinary, and the
activities import, whose inserts skip it, adds its sums itself (app/repositories/rollup.py).
The triggers and the backfill are SQL in the migrations `20261204_0700_report_rollup`,
`20261205_0000_checked_activity_rows` and `20261205_1400_factor_for_year`.

The rollup sums the *stored* kg CO2e. A report counts each entry at its factor's *current*
value (app/repositories/report.py), which differs from the stored one between a value change and
the end of its recalculation. `report_rollup_stale_factor` lists the factors for which that may
be so: a change of a factor's value adds it (a trigger on `emission_factor`), as does a written
entry whose stored kg CO2e is not its factor's current value times its quantity; a
recalculation removes it once every entry of the factor agrees. A report reads the rollup for
the other factors and aggregates the entries of these (usually none) as before.
"""

from decimal import Decimal
from uuid import UUID

from sqlalchemy import BigInteger, Numeric, SmallInteger
from sqlmodel import Field, SQLModel


class ReportRollup(SQLModel, table=True):
    """One lab's entries of one month, factor and year it was chosen for (one of 4 slots): how
    many, and their exact quantity and stored kg CO2e. No foreign keys: a lab's deletion cascades
    to its entries, whose trigger empties these rows; a row with no entries is deleted."""

    __tablename__ = "report_rollup"

    lab_id: UUID = Field(primary_key=True)
    year: int = Field(primary_key=True)
    factor_id: UUID = Field(primary_key=True)
    month: int = Field(primary_key=True, sa_type=SmallInteger)
    # The entries' `factor_for_year` (app/models/entry.py): their date's year, an equipment's
    # purchase year; an entry on a factor of an earlier year rests on year rollover.
    factor_for_year: int = Field(primary_key=True)
    # 0-3, from the last byte of the entry's id: concurrent writers of one lab, month and factor
    # mostly update different rows rather than queue on one until they commit. Reads sum slots.
    slot: int = Field(primary_key=True, sa_type=SmallInteger)
    entries: int = Field(sa_type=BigInteger)
    quantity: Decimal = Field(sa_type=Numeric)  # unbounded: exact sums
    kg_co2e: Decimal = Field(sa_type=Numeric)


class ReportRollupStaleFactor(SQLModel, table=True):
    """A factor whose entries' stored kg CO2e may not be its current value's (see above)."""

    __tablename__ = "report_rollup_stale_factor"

    factor_id: UUID = Field(primary_key=True)
