"""Sign-in, token rotation and sign-out; turning a bearer token or API key into a Principal."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.errors import Unauthorized
from app.core.oidc import OidcError, OidcVerifier
from app.core.rate_limit import RateLimiter
from app.core.security import (
    InvalidToken,
    TokenType,
    api_key_matches,
    api_key_prefix,
    decode_token,
    encode_token,
    looks_like_jwt,
    unusable_password_hash,
    verify_password_in_thread,
)
from app.db.pool import Pool
from app.models.auth import AuthSession, RefreshToken, TokenPair
from app.models.lab import Lab, LabRole
from app.models.user import User, normalize_email
from app.repositories import credentials as credentials_repository
from app.repositories import user as user_repository

BAD_CREDENTIALS = "Incorrect email or password."
_API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)


class TokenReuseDetected(Unauthorized):
    """A rotated refresh token came back: its whole family is revoked (and that is committed)."""

    keeps_changes = True


class AuthMethod(StrEnum):
    PASSWORD = "password"  # noqa: S105 - a method name, not a secret
    API_KEY = "api_key"
    OIDC = "oidc"


@dataclass(frozen=True)
class LabLookup:
    """The lab a request is scoped to, read with the caller's role in the authentication query
    (`found` is None when there is no such lab). Read-only: `labs.load_lab` uses it for actions
    that do not lock the lab, and still decides what the caller may do."""

    lab_id: UUID
    found: tuple[Lab, LabRole | None] | None


@dataclass(frozen=True)
class Principal:
    """Who is calling, and through which credential."""

    user: User
    method: AuthMethod
    session_id: UUID | None = None
    api_key_id: UUID | None = None
    lab: LabLookup | None = None


def _now() -> datetime:
    return datetime.now(UTC)


def _secret() -> str:
    return settings.JWT_SECRET.get_secret_value()


async def _issue_pair(session: AsyncSession, *, user_id: UUID, session_id: UUID) -> TokenPair:
    now = _now()
    access_lifetime = timedelta(minutes=settings.JWT_ACCESS_EXPIRE_MINUTES)
    refresh_lifetime = timedelta(days=settings.JWT_REFRESH_EXPIRE_DAYS)
    refresh = RefreshToken(session_id=session_id, expires_at=now + refresh_lifetime)
    await credentials_repository.add(session, item=refresh)

    def token(token_type: TokenType, token_id: UUID, lifetime: timedelta) -> str:
        return encode_token(
            secret=_secret(),
            token_type=token_type,
            subject=user_id,
            session_id=session_id,
            token_id=token_id,
            lifetime=lifetime,
            now=now,
        )

    return TokenPair(
        access_token=token(TokenType.ACCESS, uuid4(), access_lifetime),
        refresh_token=token(TokenType.REFRESH, refresh.id, refresh_lifetime),
        expires_in=int(access_lifetime.total_seconds()),
    )


async def login(
    session: AsyncSession,
    *,
    limiter: RateLimiter,
    email: str,
    password: str,
    client_ip: str,
) -> TokenPair:
    """Exchange email + password for a token pair. Unknown email, wrong password and inactive
    account get the same answer in about the same time.

    Attempts are limited per client address and per account *from that address*: a limit per
    account alone would let anyone lock a user out by failing on purpose, from anywhere. Guessing
    one account's password from many addresses is bounded by each address's own limits."""
    await limiter.hit(settings.LOGIN_RATE_LIMIT_PER_IP, "login-ip", client_ip)
    await limiter.hit(
        settings.LOGIN_RATE_LIMIT_PER_EMAIL, "login-email-ip", normalize_email(email), client_ip
    )
    user = await user_repository.get_by_email(session, email=email)
    password_ok = await verify_password_in_thread(password, user.hashed_password if user else None)
    if user is None or not password_ok or not user.is_active:
        raise Unauthorized(BAD_CREDENTIALS)
    return await start_session(session, user=user)


async def start_session(session: AsyncSession, *, user: User) -> TokenPair:
    """Open a login session for an authenticated user and issue its first token pair."""
    auth_session = AuthSession(user_id=user.id)
    await credentials_repository.add(session, item=auth_session)
    return await _issue_pair(session, user_id=user.id, session_id=auth_session.id)


async def refresh(session: AsyncSession, *, refresh_token: str) -> TokenPair:
    """Rotate: the presented token is spent and a new pair issued. A spent token presented again
    means it was stolen (or the client is broken): the whole family is revoked."""
    try:
        claims = decode_token(refresh_token, secret=_secret(), expected_type=TokenType.REFRESH)
    except InvalidToken as error:
        raise Unauthorized("The refresh token is invalid or expired.") from error
    stored = await credentials_repository.get_refresh_token_for_update(
        session, token_id=claims.token_id
    )
    found = await credentials_repository.get_user_in_session(
        session, user_id=claims.subject, session_id=claims.session_id
    )
    if stored is None or found is None or stored.session_id != claims.session_id:
        raise Unauthorized("The refresh token is invalid or expired.")
    user, auth_session = found
    if auth_session.revoked_at is not None or not user.is_active:
        raise Unauthorized("This session has ended; sign in again.")
    if stored.used_at is not None:
        await credentials_repository.revoke_session(
            session, session_id=auth_session.id, at=_now(), reason="refresh_token_reuse"
        )
        raise TokenReuseDetected("This refresh token was already used; the session is revoked.")
    stored.used_at = _now()
    return await _issue_pair(session, user_id=user.id, session_id=auth_session.id)


async def logout(session: AsyncSession, *, principal: Principal) -> None:
    """End the caller's login session (its refresh tokens and access tokens stop working)."""
    if principal.session_id is not None:
        await credentials_repository.revoke_session(
            session, session_id=principal.session_id, at=_now(), reason="logout"
        )


async def authenticate(
    pool: Pool,
    *,
    bearer: str | None,
    api_key: str | None,
    oidc: OidcVerifier | None,
    lab_id: UUID | None = None,
) -> Principal:
    """The caller behind `Authorization: Bearer …` (our JWT, an OIDC token or an API key) or
    `X-API-Key`; Unauthorized when there is none or it is not acceptable.

    `lab_id`: the lab the request is scoped to. With an access token it is read in the same
    query as the caller (`Principal.lab`), which saves lab-scoped requests a round trip.

    Everything runs on the driver pool, before and apart from the request's transaction: the
    reads, and the writes that are facts whatever the request then does (an API key's last
    use, the account of an OIDC user seen for the first time)."""
    if api_key:
        return await _authenticate_api_key(pool, api_key)
    if not bearer:
        raise Unauthorized("Authentication required.")
    if api_key_prefix(bearer) is not None:
        return await _authenticate_api_key(pool, bearer)
    if not looks_like_jwt(bearer):
        raise Unauthorized("The bearer token is malformed.")
    try:
        claims = decode_token(bearer, secret=_secret(), expected_type=TokenType.ACCESS)
    except InvalidToken as error:
        if oidc is None:
            raise Unauthorized("The access token is invalid or expired.") from error
        return await _authenticate_oidc(pool, bearer, oidc)
    caller = await credentials_repository.get_caller(
        pool, user_id=claims.subject, session_id=claims.session_id, lab_id=lab_id
    )
    if caller is None or caller.session_revoked or not caller.user.is_active:
        raise Unauthorized("The access token is no longer valid.")
    lab = None
    if lab_id is not None:
        found = None if caller.lab is None else (caller.lab, caller.lab_role)
        lab = LabLookup(lab_id=lab_id, found=found)
    return Principal(
        user=caller.user, method=AuthMethod.PASSWORD, session_id=claims.session_id, lab=lab
    )


async def _authenticate_api_key(pool: Pool, key: str) -> Principal:
    prefix = api_key_prefix(key)
    found = (
        await credentials_repository.get_api_key_with_user(pool, prefix=prefix) if prefix else None
    )
    if found is None or not api_key_matches(key, found[0].secret_hash):
        raise Unauthorized("The API key is invalid.")
    api_key, user = found
    if api_key.revoked_at is not None or not user.is_active:
        raise Unauthorized("The API key is revoked or its owner is deactivated.")
    now = _now()
    if api_key.last_used_at is None or now - api_key.last_used_at > _API_KEY_TOUCH_INTERVAL:
        await credentials_repository.touch_api_key(pool, key_id=api_key.id, at=now)
    return Principal(user=user, method=AuthMethod.API_KEY, api_key_id=api_key.id)


async def _authenticate_oidc(pool: Pool, token: str, oidc: OidcVerifier) -> Principal:
    try:
        identity = await oidc.verify(token)
    except OidcError as error:
        raise Unauthorized("The access token is invalid or expired.") from error
    user = await user_repository.find_by_email(pool, email=identity.email)
    if user is None:
        provisioned = User(
            email=normalize_email(identity.email),
            full_name=identity.name[:200],
            hashed_password=unusable_password_hash(),
        )
        # Two first requests may race; the loser finds the winner's row.
        user = await user_repository.add_unless_exists(pool, user=provisioned)
    if not user.is_active:
        raise Unauthorized("This account is deactivated.")
    return Principal(user=user, method=AuthMethod.OIDC)
