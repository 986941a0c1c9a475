"""The messages of the live job-status socket (`WS /api/v1/ws/jobs`), server to client.

Every message is a JSON object with a `type`: `job` (a job's state or counts changed), `ready`
(the replay is over; what follows is live) and `resync` (events may have been missed).
"""

from typing import Annotated, Literal

from pydantic import RootModel
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type SQLModel.model_config is declared with

from app.models.job import JobStatus

# `type` has a default, yet is always sent: the schema says it is required.
_ALWAYS_SENT = SQLModelConfig(json_schema_serialization_defaults_required=True)


class JobEvent(SQLModel):
    """A job's state or row counts: sent when it changes, and on connect for the jobs updated
    within the replay window."""

    model_config = _ALWAYS_SENT

    type: Literal["job"] = "job"
    replay: bool = Field(description="True while replaying recent jobs, false for live events")
    job: JobStatus


class JobStreamReady(SQLModel):
    """The replay is over: every later `job` message is live."""

    model_config = _ALWAYS_SENT

    type: Literal["ready"] = "ready"
    replayed: int = Field(description="How many `job` messages the replay sent")


class JobStreamResync(SQLModel):
    """The server's database listener reconnected: events may have been missed meanwhile, so
    re-read the statuses you show (`getImportStatus`), or reconnect for a fresh replay."""

    model_config = _ALWAYS_SENT

    type: Literal["resync"] = "resync"


class JobStreamMessage(
    RootModel[Annotated[JobEvent | JobStreamReady | JobStreamResync, Field(discriminator="type")]]
):
    """Any message of `WS /api/v1/ws/jobs`, told apart by `type`."""
