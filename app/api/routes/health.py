"""Liveness and readiness probes (no authentication)."""

from typing import Literal

from pydantic import BaseModel

from app.api.router import Router
from app.core.errors import problem_responses
from app.services import health as health_service

router = Router(prefix="/health", tags=["health"])


class HealthStatus(BaseModel):
    status: Literal["ok"] = "ok"


@router.get("", operation_id="getHealth")
async def get_health() -> HealthStatus:
    """Liveness: the process answers (never touches the database)."""
    return HealthStatus()


@router.get("/ready", operation_id="getReadiness", responses=problem_responses(503))
async def get_readiness() -> HealthStatus:
    """Readiness: the database answers a query."""
    await health_service.check_database()
    return HealthStatus()
