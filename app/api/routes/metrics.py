"""Prometheus metrics, for admins and scrapers holding an admin's API key."""

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry

from app.api.deps import CurrentPrincipal
from app.core.errors import problem_responses
from app.services import metrics as metrics_service

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
    registry: CollectorRegistry = request.app.state.metrics_registry
    text = metrics_service.render_metrics(principal=principal, registry=registry)
    return Response(text, media_type=CONTENT_TYPE_LATEST)
