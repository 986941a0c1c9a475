"""The shipped factor library's loads: which version was queued for import, by which job.

Server-owned, no API shape. A load counts once its job succeeded (or while it is queued or
running); see app/services/factor_library.py.
"""

from datetime import datetime
from uuid import UUID, uuid4

from sqlmodel import Field, SQLModel

from app.models.base import created_at_field


class FactorLibraryLoad(SQLModel, table=True):
    __tablename__ = "factor_library_load"

    id: UUID = Field(default_factory=uuid4, primary_key=True)
    version: int = Field(ge=1, index=True)
    job_id: UUID | None = Field(
        default=None, foreign_key="data_ingestion_jobs.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
