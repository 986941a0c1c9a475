"""The application factory: middleware, error handlers, routers, OpenAPI shape."""

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from asgi_correlation_id import CorrelationIdMiddleware
from fastapi import Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector

from app.api.deps import refuse_two_transactions
from app.api.openapi import (
    API_DESCRIPTION,
    OPENAPI_TAGS,
    SERVERS,
    build_openapi,
    operation_id,
    use_docstring_summaries,
)
from app.api.pages import DashboardFiles, add_pages
from app.api.query_guard import refuse_unknown_query_parameters
from app.api.router import API_PREFIX, include
from app.api.routes import (
    audit,
    auth,
    entries,
    factors,
    headcount,
    health,
    imports,
    labs,
    live,
    metrics,
    reports,
    signoff,
    targets,
    users,
)
from app.config import settings
from app.core.errors import PlainErrorsAsProblems, install_error_handlers
from app.core.logging import configure_logging
from app.core.metrics import RequestMetrics, RequestMetricsMiddleware
from app.core.oidc import OidcVerifier
from app.core.pg_listen import PgListener
from app.core.rate_limit import RateLimiter
from app.core.security_headers import SecurityHeaders
from app.db import dispose as dispose_database
from app.db.engine import get_job_session_factory, libpq_url
from app.jobs.runner import JobRunner
from app.repositories.job import EVENTS_CHANNEL, QUEUED_CHANNEL
from app.repositories.lab import MEMBERSHIP_CHANNEL
from app.services import exchange_rates
from app.services.job_events import JobEventHub

GC_GEN0_THRESHOLD = 10_000  # CPython's default is 700


def _tune_garbage_collector() -> None:
    """Keep the cyclic garbage collector off the request path. Everything alive at startup (the
    app, its routes and models, SQLAlchemy's and pydantic's caches: most of the heap) is frozen,
    so full collections no longer walk it; and the youngest generation is collected after 10,000
    net allocations instead of 700. Under GET /labs/{id} load this cut the time spent collecting
    from about 0.4 ms to 0.02 ms per request (docs/performance.md). Memory: at most that many
    young objects wait longer; reference counting still frees everything else at once."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_GEN0_THRESHOLD, *gc.get_threshold()[1:])


# The example dashboard (clients/typescript/example), once built with `npm run build`.
DASHBOARD_DIR = Path(__file__).resolve().parents[1] / "clients" / "typescript" / "example" / "dist"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start this process's LISTEN connection, live-status hub and job runner (unless
    `JOB_WORKERS=0`)."""
    if settings.ECB_RATES_FILE is not None:  # a file that is not ECB rates stops the start
        await asyncio.to_thread(exchange_rates.converter)
    _tune_garbage_collector()
    listener = PgListener(libpq_url())
    app.state.pg_listener = listener
    hub = JobEventHub(listening=listener.connected)
    app.state.job_events = hub
    listener.subscribe(EVENTS_CHANNEL, hub.publish)
    listener.subscribe(MEMBERSHIP_CHANNEL, hub.access_changed)
    listener.on_reconnect(hub.resync)
    runner: JobRunner | None = None
    if settings.JOB_WORKERS > 0:
        runner = JobRunner(
            get_job_session_factory(),
            workers=settings.JOB_WORKERS,
            poll_seconds=settings.JOB_POLL_SECONDS,
            lease_seconds=settings.JOB_LEASE_SECONDS,
            max_attempts=settings.JOB_MAX_ATTEMPTS,
        )
        listener.subscribe(QUEUED_CHANNEL, runner.wake)
        listener.on_reconnect(runner.wake)
        runner.start()
    listener.start()
    try:
        yield
    finally:
        if runner is not None:
            await runner.stop()
        await listener.stop()
        await dispose_database()


def _is_valid_request_id(value: str) -> bool:
    return 1 <= len(value) <= 128 and all(c.isalnum() or c in "._:-" for c in value)


def _metrics_registry() -> CollectorRegistry:
    """One registry per app (not the process-global one), so apps never share series."""
    registry = CollectorRegistry()
    GCCollector(registry=registry)
    PlatformCollector(registry=registry)
    ProcessCollector(registry=registry)
    return registry


def _oidc_verifier() -> OidcVerifier | None:
    if settings.OAUTH_ISSUER_URL and settings.OAUTH_AUDIENCE:
        return OidcVerifier(settings.OAUTH_ISSUER_URL, settings.OAUTH_AUDIENCE)
    return None


def create_app(dashboard_dir: Path = DASHBOARD_DIR) -> FastAPI:
    configure_logging(settings.LOG_LEVEL, settings.log_format)
    app = FastAPI(
        title="co2calculator",
        version="1.0.0",
        summary="CO2 emissions of research labs: activities, emission factors and reports.",
        description=API_DESCRIPTION,
        openapi_tags=OPENAPI_TAGS,
        servers=SERVERS,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,  # app/api/pages.py serves it, with Swagger UI from a package
        redoc_url=None,
    )
    app.state.rate_limiter = RateLimiter(settings.RATE_LIMIT_STORAGE_URI)
    app.state.oidc_verifier = _oidc_verifier()
    install_error_handlers(app)
    app.add_middleware(PlainErrorsAsProblems)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins_list,
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
        expose_headers=["X-Request-ID", "Retry-After"],
    )
    app.add_middleware(
        CorrelationIdMiddleware,
        header_name="X-Request-ID",
        validator=_is_valid_request_id,
    )
    app.state.metrics_registry = _metrics_registry()
    app.add_middleware(
        RequestMetricsMiddleware,
        metrics=RequestMetrics(app.state.metrics_registry),
        excluded=frozenset({"/metrics"}),
    )
    # Outermost, so every response gets them, whichever middleware answered.
    app.add_middleware(SecurityHeaders)

    routers = (
        health.router,
        auth.router,
        users.router,
        labs.router,
        entries.router,
        headcount.router,
        targets.router,
        signoff.router,
        factors.router,
        reports.router,
        audit.router,
    )
    for router in routers:
        use_docstring_summaries(router.routes)
        # The limit is set per router, not on the app: the app-level limiter runs outside our
        # middleware and would answer in plain text without a request id.
        include(
            app,
            router,
            max_body_size=settings.REQUEST_MAX_BYTES,
            dependencies=[Depends(refuse_unknown_query_parameters)],
        )
    use_docstring_summaries(imports.router.routes)
    # Uploads: the file's limit plus room for the multipart envelope; the file itself is
    # measured as it streams (413 past IMPORT_MAX_BYTES).
    include(
        app,
        imports.router,
        max_body_size=settings.IMPORT_MAX_BYTES + 64 * 1024,
        dependencies=[Depends(refuse_unknown_query_parameters)],
    )
    app.add_api_route(
        "/health", health.get_health, include_in_schema=False, response_model=health.HealthStatus
    )
    app.include_router(live.router, prefix=API_PREFIX)  # a WebSocket: not in the spec
    use_docstring_summaries(metrics.router.routes)
    app.include_router(metrics.router)
    dashboard_built = (dashboard_dir / "index.html").is_file()
    if dashboard_built:
        # Static files, same origin as the API (no CORS); a mount is not part of the spec.
        app.mount("/app", DashboardFiles(directory=dashboard_dir), name="dashboard")
    add_pages(app, dashboard_url="/app/" if dashboard_built else None)
    refuse_two_transactions(app.routes)
    app.openapi = lambda: build_openapi(  # type: ignore[method-assign]
        app,
        extra_models=(*live.MESSAGE_MODELS, *imports.UPLOAD_MODELS, headcount.Body_importHeadcount),
    )
    return app


app = create_app()
