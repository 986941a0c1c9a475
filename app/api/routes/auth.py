"""Sign-in, token refresh and sign-out; and the browser's variant, whose refresh token lives in an
HttpOnly cookie (docs/dashboard.md, "Sessions")."""

from typing import Annotated

from fastapi import Cookie, Form, Request, Response, status

from app.api.deps import ClientIp, CurrentPrincipal, RateLimiterDep, SessionDep
from app.api.router import API_PREFIX, Router
from app.config import settings
from app.core.errors import Unauthorized, problem_responses
from app.models.auth import BrowserSession, LoginForm, RefreshRequest, TokenPair
from app.services import auth as auth_service

router = Router(prefix="/auth", tags=["auth"])

REFRESH_COOKIE = "co2calc_refresh"
# Sent with the session's own requests only: not with every API call, not to the pages.
REFRESH_COOKIE_PATH = f"{API_PREFIX}{router.prefix}/session"


def _keep_refresh_token(request: Request, response: Response, pair: TokenPair) -> BrowserSession:
    """The refresh token goes into the cookie, the access token into the body."""
    response.set_cookie(
        REFRESH_COOKIE,
        pair.refresh_token,
        max_age=settings.JWT_REFRESH_EXPIRE_DAYS * 24 * 3600,
        path=REFRESH_COOKIE_PATH,
        secure=settings.is_production or request.url.scheme == "https",
        httponly=True,
        samesite="strict",
    )
    return BrowserSession(access_token=pair.access_token, expires_in=pair.expires_in)


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


@router.post("/session", responses=problem_responses(401, 429))
async def start_browser_session(
    form: Annotated[LoginForm, Form()],
    session: SessionDep,
    limiter: RateLimiterDep,
    ip: ClientIp,
    request: Request,
    response: Response,
) -> BrowserSession:
    """Sign in as a browser: the access token in the body, the refresh token in an HttpOnly,
    SameSite=Strict cookie scoped to `/auth/session` (the web app; scripts use `/auth/login`)."""
    pair = await auth_service.login(
        session, limiter=limiter, email=form.username, password=form.password, client_ip=ip
    )
    return _keep_refresh_token(request, response, pair)


@router.post("/session/refresh", responses=problem_responses(401))
async def refresh_browser_session(
    session: SessionDep,
    request: Request,
    response: Response,
    refresh_cookie: Annotated[str | None, Cookie(alias=REFRESH_COOKIE, max_length=4096)] = None,
) -> BrowserSession:
    """Rotate the session cookie's refresh token and return a new access token (how the web app
    stays signed in across reloads and tabs). No cookie, or a spent one, is a 401."""
    if not refresh_cookie:
        raise Unauthorized("No session cookie: sign in.")
    pair = await auth_service.refresh(session, refresh_token=refresh_cookie)
    return _keep_refresh_token(request, response, pair)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT, responses=problem_responses(401))
async def logout(principal: CurrentPrincipal, session: SessionDep, response: Response) -> None:
    """End the current login session: its access and refresh tokens stop working (and a
    browser's session cookie is removed)."""
    await auth_service.logout(session, principal=principal)
    response.delete_cookie(
        REFRESH_COOKIE, path=REFRESH_COOKIE_PATH, httponly=True, samesite="strict"
    )
