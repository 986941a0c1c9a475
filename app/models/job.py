"""Background jobs (`data_ingestion_jobs`): CSV imports, factor sync and recalculation.

Operators query the table by hand (`SELECT id, target_type, state, locked_by, updated_at FROM
data_ingestion_jobs`), so those column names are part of the contract.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import DateTime, Index, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

from app.core.pagination import Page
from app.models.base import created_at_field, enum_field, time_ordered_id, updated_at_field

MAX_ROW_ERRORS = 100  # per job; the total count is kept beside them


class JobKind(StrEnum):
    ACTIVITIES = "activities"
    FACTORS = "factors"
    FACTOR_SYNC = "factor_sync"
    RECALCULATE = "recalculate"


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


ACTIVE_STATES = frozenset({JobState.QUEUED, JobState.RUNNING})
# Jobs that write emission factors from a CSV (uploaded or fetched); they have no lab.
FACTOR_JOB_KINDS = frozenset({JobKind.FACTORS, JobKind.FACTOR_SYNC})


@dataclass(frozen=True)
class Claim:
    """A job a worker holds: `attempt` tells a reclaimed job from the original run."""

    job_id: UUID
    kind: JobKind
    attempt: int


class ErrorPolicy(StrEnum):
    FAIL = "fail"  # any bad row fails the job; nothing is written
    SKIP = "skip"  # bad rows are reported and left out; the good ones are written


class RowError(SQLModel):
    """One bad value of an uploaded file."""

    row: int = Field(description="Line of the file (the header is line 1)")
    column: str | None = Field(default=None, description="Column name, when one is at fault")
    message: str


def _timestamp(**kwargs: Any) -> Any:
    return Field(default=None, sa_type=DateTime(timezone=True), **kwargs)


class DataIngestionJob(SQLModel, table=True):
    __tablename__ = "data_ingestion_jobs"
    __table_args__ = (
        Index("ix_data_ingestion_jobs_lab_id_created_at_id", "lab_id", "created_at", "id"),
        # The claim query scans only unfinished jobs.
        Index(
            "ix_data_ingestion_jobs_claimable",
            "created_at",
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
        # When each group of the fair claim was last served (docs/jobs-scheduling.md): a
        # requester's lab jobs, and the jobs of no lab.
        Index(
            "ix_data_ingestion_jobs_requester_started_at",
            "created_by",
            "started_at",
            postgresql_where=text("lab_id IS NOT NULL"),
        ),
        Index(
            "ix_data_ingestion_jobs_library_started_at",
            "started_at",
            postgresql_where=text("lab_id IS NULL"),
        ),
    )

    id: UUID = Field(default_factory=time_ordered_id, primary_key=True)
    target_type: JobKind = enum_field(JobKind, name="job_target_type")
    lab_id: UUID | None = Field(default=None, foreign_key="lab.id", ondelete="CASCADE")
    created_by: UUID | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    filename: str | None = Field(default=None, max_length=255)
    state: JobState = enum_field(JobState, name="job_state", default=JobState.QUEUED)
    on_error: ErrorPolicy = enum_field(ErrorPolicy, name="job_error_policy")
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSONB)
    rows_total: int = 0
    rows_processed: int = 0
    rows_ok: int = 0
    rows_failed: int = 0
    row_errors: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONB)
    row_errors_total: int = 0
    message: str | None = Field(default=None, max_length=2000)
    cancel_requested: bool = False
    locked_by: str | None = Field(default=None, max_length=200)
    lease_expires_at: datetime | None = _timestamp()
    attempts: int = 0
    started_at: datetime | None = _timestamp()
    finished_at: datetime | None = _timestamp()
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()


class JobStatus(SQLModel):
    """Where a job is: its state and row counts."""

    id: UUID
    target_type: JobKind
    lab_id: UUID | None
    state: JobState
    rows_total: int
    rows_processed: int
    rows_ok: int
    rows_failed: int
    message: str | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime


class JobPublic(JobStatus):
    """A job with its input and its row errors (capped; `row_errors_total` counts them all)."""

    filename: str | None
    on_error: ErrorPolicy
    created_by: UUID | None
    row_errors: list[RowError]
    row_errors_total: int


class JobPage(Page[JobStatus]):
    """A page of jobs."""
