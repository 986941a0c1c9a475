"""Prometheus metrics, for admins and scrapers holding an admin's API key."""

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from app.api.deps import CurrentPrincipal
from app.core.errors import problem_responses
from app.services.authz import Action, authorize

router = APIRouter(tags=["metrics"], responses=problem_responses(401, 403))


@router.get(
    "/metrics",
    response_class=Response,
    responses={
        200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}
    },
)
async def get_metrics(request: Request, principal: CurrentPrincipal) -> Response:
    """Request counts and latency by route template, method and status (Prometheus text format)."""
    authorize(principal.user, Action.READ_METRICS)
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
