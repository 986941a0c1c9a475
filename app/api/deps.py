"""Request dependencies (`Annotated` aliases): the session and the authenticated caller."""

from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.oidc import OidcVerifier
from app.core.rate_limit import RateLimiter
from app.database import get_db
from app.services import auth as auth_service
from app.services.auth import Principal

# scope="function": the commit in get_db runs when the handler returns, before the response is
# sent, so a failed commit reaches the client as an error instead of a silently lost write.
SessionDep = Annotated[AsyncSession, Depends(get_db, scope="function")]

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


async def get_oidc_verifier(request: Request) -> OidcVerifier | None:
    verifier: OidcVerifier | None = request.app.state.oidc_verifier
    return verifier


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


async def get_principal(
    request: Request,
    session: SessionDep,
    bearer: Annotated[str | None, Security(oauth2_bearer)],
    api_key: Annotated[str | None, Security(api_key_header)],
    oidc: Annotated[OidcVerifier | None, Depends(get_oidc_verifier)],
) -> Principal:
    # On a lab's path, the lab and the caller's role in it are read with the caller (one round
    # trip); the services still decide what the caller may do with it.
    return await auth_service.authenticate(
        session, bearer=bearer, api_key=api_key, oidc=oidc, lab_id=_lab_id_of(request)
    )


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


async def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


ClientIp = Annotated[str, Depends(client_ip)]
