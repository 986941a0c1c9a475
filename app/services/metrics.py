"""Prometheus metrics, for admins and scrapers holding an admin's API key."""

from prometheus_client import CollectorRegistry, generate_latest

from app.services.auth import Principal
from app.services.authz import Action, authorize


def render_metrics(*, principal: Principal, registry: CollectorRegistry) -> bytes:
    """The registry's metrics in Prometheus' text format; Forbidden unless the caller may read
    them."""
    authorize(principal.user, Action.READ_METRICS)
    return generate_latest(registry)
