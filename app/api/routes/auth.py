"""Sign-in, token refresh and sign-out."""

from typing import Annotated

from fastapi import APIRouter, Form, status

from app.api.deps import ClientIp, CurrentPrincipal, RateLimiterDep, SessionDep
from app.core.errors import problem_responses
from app.models.auth import LoginForm, RefreshRequest, TokenPair
from app.services import auth as auth_service

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", responses=problem_responses(401, 429))
async def login(
    form: Annotated[LoginForm, Form()],
    session: SessionDep,
    limiter: RateLimiterDep,
    ip: ClientIp,
) -> TokenPair:
    """Exchange email (as `username`) and password for an access and a refresh token."""
    return await auth_service.login(
        session, limiter=limiter, email=form.username, password=form.password, client_ip=ip
    )


@router.post("/refresh", responses=problem_responses(401))
async def refresh_tokens(body: RefreshRequest, session: SessionDep) -> TokenPair:
    """Rotate a refresh token: it is spent, and a new pair is returned."""
    return await auth_service.refresh(session, refresh_token=body.refresh_token)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401))
async def logout(principal: CurrentPrincipal, session: SessionDep) -> None:
    """End the current login session: its access and refresh tokens stop working."""
    await auth_service.logout(session, principal=principal)
