"""Request dependencies (`Annotated` aliases): the database (app/db) and the authenticated
caller."""

from collections.abc import Callable, Sequence
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.routing import BaseRoute

from app.core.oidc import OidcVerifier
from app.core.rate_limit import RateLimiter
from app.db.pool import POOL, Pool
from app.db.request import get_db, get_driver_transaction
from app.db.transaction import DriverTransaction
from app.services import auth as auth_service
from app.services.auth import Principal

# scope="function": the commit runs when the handler returns, before the response is sent, so a
# failed commit reaches the client as an error instead of a silently lost write.
SessionDep = Annotated[AsyncSession, Depends(get_db, scope="function")]
DriverTransactionDep = Annotated[
    DriverTransaction, Depends(get_driver_transaction, scope="function")
]


async def get_pool() -> Pool:
    return POOL


PoolDep = Annotated[Pool, Depends(get_pool)]


def uses(dependant: Dependant, dependency: Callable[..., Any]) -> bool:
    """Whether `dependant` (a route's, say) depends on `dependency`, directly or not."""
    return any(sub.call is dependency or uses(sub, dependency) for sub in dependant.dependencies)


def routes_with_two_transactions(routes: Sequence[BaseRoute]) -> list[str]:
    """Routes that would take both an ORM session and a driver transaction: the two would
    commit apart. The app refuses to start with any (app/main.py)."""
    mixed = []
    for context in iter_route_contexts(routes):  # routes of included routers too
        dependant = getattr(context, "dependant", None)
        if (
            isinstance(dependant, Dependant)
            and uses(dependant, get_db)
            and uses(dependant, get_driver_transaction)
        ):
            mixed.append(f"{sorted(context.methods or ())} {context.path_format}")
    return mixed


def refuse_two_transactions(routes: Sequence[BaseRoute]) -> None:
    mixed = routes_with_two_transactions(routes)
    if mixed:
        raise RuntimeError(f"a route takes both a session and a driver transaction: {mixed}")


LOGIN_PATH = "/api/v1/auth/login"
REFRESH_PATH = "/api/v1/auth/refresh"
oauth2_bearer = OAuth2PasswordBearer(
    tokenUrl=LOGIN_PATH,
    refreshUrl=REFRESH_PATH,
    auto_error=False,
    description=(
        "Access token from `login`, an OIDC token, or an API key (`co2k_…`). The refresh URL "
        'takes a JSON body `{"refresh_token": …}`, not the form of RFC 6749 §6.'
    ),
)
api_key_header = APIKeyHeader(
    name="X-API-Key", auto_error=False, description="An API key (`co2k_…`) for scripts"
)


# Dependencies are `async def` even when they do not await: FastAPI runs plain `def` ones in a
# thread pool, a thread hop per request for nothing.
async def get_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


RateLimiterDep = Annotated[RateLimiter, Depends(get_rate_limiter)]


def _lab_id_of(request: Request) -> UUID | None:
    """The `{lab_id}` of a lab-scoped path, when it is a UUID (the route validates it)."""
    raw = request.path_params.get("lab_id")
    if not isinstance(raw, str):
        return None
    try:
        return UUID(raw)
    except ValueError:
        return None


async def get_principal(request: Request) -> Principal:
    """The caller (app/services/auth.py). It reads the two credentials' headers itself rather
    than taking `Security(oauth2_bearer)` and `Security(api_key_header)` as dependencies: each
    dependency costs FastAPI's solver on every request more than reading a header does. The
    spec still declares both schemes on every operation that takes the caller
    (`SECURITY_SCHEMES`, added by app/api/openapi.py)."""
    oidc: OidcVerifier | None = request.app.state.oidc_verifier
    # On a lab's path, the lab and the caller's role in it are read with the caller (one round
    # trip); the services still decide what the caller may do with it.
    return await auth_service.authenticate(
        POOL,
        bearer=await oauth2_bearer(request),
        api_key=await api_key_header(request),
        oidc=oidc,
        lab_id=_lab_id_of(request),
    )


# How a caller authenticates, in the order the spec lists them on an operation.
SECURITY_SCHEMES = (oauth2_bearer, api_key_header)
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
# What a route may take that reads or writes the database (the caller is read from it).
DATABASE_DEPENDENCIES = (get_db, get_driver_transaction, get_pool, get_principal)


async def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIp = Annotated[str, Depends(client_ip)]
