"""Every table, imported here so Alembic's autogenerate sees the whole metadata."""

from app.models.audit import AuditEvent
from app.models.auth import ApiKey, AuthSession, RefreshToken
from app.models.entry import ActivityEntry
from app.models.factor import EmissionFactor
from app.models.factor_library import FactorLibraryLoad
from app.models.headcount import Headcount
from app.models.job import DataIngestionJob
from app.models.lab import Lab, LabInvitation, LabMembership
from app.models.rollup import ReportRollup, ReportRollupStaleFactor
from app.models.signoff import LabYear, LabYearTransition
from app.models.staging import (
    activity_checked,
    activity_computed,
    activity_staging,
    factor_staging,
)
from app.models.target import Target
from app.models.user import User

__all__ = [
    "ActivityEntry",
    "ApiKey",
    "AuditEvent",
    "AuthSession",
    "DataIngestionJob",
    "EmissionFactor",
    "FactorLibraryLoad",
    "Headcount",
    "Lab",
    "LabInvitation",
    "LabMembership",
    "LabYear",
    "LabYearTransition",
    "RefreshToken",
    "ReportRollup",
    "ReportRollupStaleFactor",
    "Target",
    "User",
    "activity_checked",
    "activity_computed",
    "activity_staging",
    "factor_staging",
]
