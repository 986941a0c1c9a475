"""Bearer tokens from an external OpenID Connect issuer (RS256, keys from its JWKS).

The JWKS is fetched through the issuer's discovery document, cached, and fetched again when a
token names a key id we have not seen (key rotation) — at most once per `refetch_interval`, so
garbage key ids cannot make us hammer the issuer.
"""

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx
from jose import JWTError, jwt

logger = logging.getLogger(__name__)

ALLOWED_ALGORITHMS = ["RS256"]


class OidcError(Exception):
    """The token is not acceptable, or the issuer could not be reached."""


@dataclass(frozen=True)
class OidcIdentity:
    subject: str
    email: str
    name: str


class OidcVerifier:
    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        timeout_seconds: float = 5.0,
        refetch_interval_seconds: float = 30.0,
    ) -> None:
        self.issuer = issuer.rstrip("/")
        self.audience = audience
        self._timeout = timeout_seconds
        self._refetch_interval = refetch_interval_seconds
        self._keys: dict[str, dict[str, Any]] = {}
        self._fetched_at = float("-inf")
        self._lock = asyncio.Lock()

    async def verify(self, token: str) -> OidcIdentity:
        try:
            header = jwt.get_unverified_header(token)
        except JWTError as error:
            raise OidcError("malformed token") from error
        if header.get("alg") not in ALLOWED_ALGORITHMS:
            raise OidcError("unsupported algorithm")
        key = await self._key(str(header.get("kid", "")))
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=ALLOWED_ALGORITHMS,
                audience=self.audience,
                issuer=self.issuer,
                options={"require_exp": True, "require_sub": True},
            )
        except JWTError as error:
            raise OidcError(str(error)) from error
        email = claims.get("email")
        if not isinstance(email, str) or not email:
            raise OidcError("the token has no email claim")
        if claims.get("email_verified") is False:
            raise OidcError("the token's email is not verified")
        return OidcIdentity(
            subject=str(claims["sub"]), email=email, name=str(claims.get("name") or "")
        )

    async def _key(self, kid: str) -> dict[str, Any]:
        if kid in self._keys:
            return self._keys[kid]
        async with self._lock:
            if (
                kid not in self._keys
                and time.monotonic() - self._fetched_at >= self._refetch_interval
            ):
                await self._refresh_keys()
        if kid not in self._keys:
            raise OidcError("unknown signing key")
        return self._keys[kid]

    async def _refresh_keys(self) -> None:
        self._fetched_at = time.monotonic()
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as http:
                discovery = await http.get(f"{self.issuer}/.well-known/openid-configuration")
                discovery.raise_for_status()
                jwks = await http.get(str(discovery.json()["jwks_uri"]))
                jwks.raise_for_status()
                keys = jwks.json()["keys"]
        except (httpx.HTTPError, KeyError, ValueError) as error:
            logger.warning("could not fetch the OIDC issuer's keys: %s", type(error).__name__)
            raise OidcError("the identity provider is unreachable") from error
        self._keys = {str(key["kid"]): key for key in keys if "kid" in key}
