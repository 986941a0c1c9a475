"""Password hashing, JWT encoding/decoding and API-key material. Pure: no database, no HTTP."""

import asyncio
import hashlib
import hmac
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from uuid import UUID

from jose import JWTError, jwt
from pwdlib import PasswordHash
from pwdlib.exceptions import UnknownHashError
from pwdlib.hashers.argon2 import Argon2Hasher

JWT_ALGORITHM = "HS256"
API_KEY_PREFIX = "co2k_"

_password_hash = PasswordHash((Argon2Hasher(),))
# Verified against when the account does not exist, so a failed login takes the same time.
_DUMMY_HASH = _password_hash.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, hashed: str | None) -> bool:
    """Check `password`; with no hash, spend the same time and answer False."""
    if hashed is None:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    try:
        return _password_hash.verify(password, hashed)
    except UnknownHashError:  # an unusable hash (e.g. an account provisioned by OIDC)
        return False


# Argon2 takes tens of milliseconds of CPU (and 64 MiB) per call, and releases the GIL: run it
# on threads of its own, as many as there are cores, so a burst of logins neither stalls the
# event loop nor allocates a hash's memory per waiting request.
_HASHING_THREADS = ThreadPoolExecutor(
    max_workers=os.cpu_count() or 2, thread_name_prefix="password-hashing"
)


async def hash_password_in_thread(password: str) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_HASHING_THREADS, hash_password, password)


async def verify_password_in_thread(password: str, hashed: str | None) -> bool:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_HASHING_THREADS, verify_password, password, hashed)


def unusable_password_hash() -> str:
    """A value no password verifies against (accounts that only sign in through OIDC)."""
    return "!" + secrets.token_hex(16)


class TokenType(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


class InvalidToken(Exception):
    """The token is malformed, expired, wrongly signed or of the wrong type."""


@dataclass(frozen=True)
class TokenClaims:
    subject: UUID
    session_id: UUID
    token_id: UUID
    expires_at: datetime


def encode_token(
    *,
    secret: str,
    token_type: TokenType,
    subject: UUID,
    session_id: UUID,
    token_id: UUID,
    lifetime: timedelta,
    now: datetime | None = None,
) -> str:
    issued = now or datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": str(subject),
        "sid": str(session_id),
        "jti": str(token_id),
        "typ": token_type.value,
        "iat": int(issued.timestamp()),
        "exp": int((issued + lifetime).timestamp()),
    }
    return str(jwt.encode(claims, secret, algorithm=JWT_ALGORITHM))


def decode_token(token: str, *, secret: str, expected_type: TokenType) -> TokenClaims:
    """Verify signature (HS256 only), expiry and type; raise InvalidToken otherwise."""
    token_type, claims = _verified(token, secret)
    # Checked at every use: the verification is cached, and a cached token may have expired
    # since (python-jose allows no leeway either).
    if datetime.now(UTC) > claims.expires_at:
        raise InvalidToken("Signature has expired.")
    if token_type != expected_type.value:
        raise InvalidToken(f"not an {expected_type.value} token")
    return claims


@lru_cache(maxsize=1024)
def _verified(token: str, secret: str) -> tuple[object, TokenClaims]:
    """The token's type and claims once its signature and claims check out. Cached (failures are
    not): a client sends the same access token with every request, and verifying it — base64,
    JSON, HMAC and python-jose's claim checks — was 4% of the CPU of GET /labs/{id}."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[JWT_ALGORITHM],
            options={"require_exp": True, "require_sub": True, "require_jti": True},
        )
        return claims.get("typ"), TokenClaims(
            subject=UUID(str(claims["sub"])),
            session_id=UUID(str(claims["sid"])),
            token_id=UUID(str(claims["jti"])),
            expires_at=datetime.fromtimestamp(int(claims["exp"]), UTC),
        )
    except (JWTError, KeyError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2


@dataclass(frozen=True)
class NewApiKey:
    key: str  # shown to the user once
    prefix: str  # stored and shown in lists
    secret_hash: str  # stored


def generate_api_key() -> NewApiKey:
    prefix = API_KEY_PREFIX + secrets.token_hex(6)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    return NewApiKey(key=key, prefix=prefix, secret_hash=hash_api_key(key))


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


_PREFIX_LENGTH = len(API_KEY_PREFIX) + 12


def api_key_prefix(key: str) -> str | None:
    """The public prefix of a well-formed key (`co2k_<12 hex>_<secret>`), else None."""
    prefix, separator, secret = (
        key[:_PREFIX_LENGTH],
        key[_PREFIX_LENGTH:][:1],
        key[_PREFIX_LENGTH + 1 :],
    )
    if not prefix.startswith(API_KEY_PREFIX) or separator != "_" or len(secret) < 32:
        return None
    if not all(char in "0123456789abcdef" for char in prefix[len(API_KEY_PREFIX) :]):
        return None
    return prefix


def api_key_matches(key: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_api_key(key), secret_hash)
