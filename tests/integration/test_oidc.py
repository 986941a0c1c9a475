"""Bearer tokens from an external OIDC issuer, verified against its JWKS served on loopback."""

import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.main import create_app
from app.models.user import User

AUDIENCE = "co2calculator-api"
ME = "/api/v1/users/me"


class Issuer:
    """A minimal OpenID provider: a discovery document and a JWKS, with keys we can rotate."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.jwks_requests = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body: dict[str, Any]
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": issuer.url, "jwks_uri": f"{issuer.url}/jwks"}
                elif self.path == "/jwks":
                    issuer.jwks_requests += 1
                    body = {"keys": [issuer.public_jwk(kid) for kid in issuer.keys]}
                else:
                    self.send_error(404)
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def add_key(self, kid: str) -> None:
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)

    def public_jwk(self, kid: str) -> dict[str, Any]:
        pem = (
            self.keys[kid]
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
        return {**jwk.construct(pem, "RS256").to_dict(), "kid": kid, "use": "sig"}

    def token(self, kid: str, **overrides: Any) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": AUDIENCE,
            "sub": "oidc-subject-1",
            "email": "Grace@Uni.example",
            "name": "Grace Hopper",
            "iat": now,
            "exp": now + 300,
        } | overrides
        pem = self.keys[kid].private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return str(jwt.encode(claims, pem.decode(), algorithm="RS256", headers={"kid": kid}))


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    provider = Issuer()
    provider.add_key("k1")
    yield provider
    provider.server.shutdown()


@pytest.fixture
async def oidc_client(
    issuer: Issuer, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[httpx.AsyncClient]:
    monkeypatch.setattr(settings, "OAUTH_ISSUER_URL", issuer.url)
    monkeypatch.setattr(settings, "OAUTH_AUDIENCE", AUDIENCE)
    app = create_app()
    app.state.oidc_verifier._refetch_interval = 0  # let the test rotate keys without waiting
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        yield client


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_a_valid_token_provisions_the_user_on_first_sight(
    oidc_client: httpx.AsyncClient, issuer: Issuer, session: AsyncSession
) -> None:
    token = issuer.token("k1")
    first = await oidc_client.get(ME, headers=_bearer(token))
    assert first.status_code == 200
    assert (first.json()["email"], first.json()["full_name"]) == (
        "grace@uni.example",
        "Grace Hopper",
    )
    again = await oidc_client.get(ME, headers=_bearer(token))
    assert again.json()["id"] == first.json()["id"]
    assert len((await session.exec(select(User))).all()) == 1
    assert issuer.jwks_requests == 1  # cached


async def test_a_rotated_key_is_fetched_on_first_sight_of_its_kid(
    oidc_client: httpx.AsyncClient, issuer: Issuer
) -> None:
    assert (await oidc_client.get(ME, headers=_bearer(issuer.token("k1")))).status_code == 200
    issuer.add_key("k2")
    assert (await oidc_client.get(ME, headers=_bearer(issuer.token("k2")))).status_code == 200
    assert issuer.jwks_requests == 2


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "http://127.0.0.1:1/other-issuer"},
        {"aud": "someone-else"},
        {"exp": int(time.time()) - 60, "iat": int(time.time()) - 600},
        {"email": None},
        {"email_verified": False},
    ],
    ids=["wrong-issuer", "wrong-audience", "expired", "no-email", "unverified-email"],
)
async def test_unacceptable_tokens_are_refused(
    oidc_client: httpx.AsyncClient, issuer: Issuer, session: AsyncSession, claims: dict[str, Any]
) -> None:
    token = issuer.token("k1", **claims)
    assert (await oidc_client.get(ME, headers=_bearer(token))).status_code == 401
    assert (await session.exec(select(User))).all() == []


async def test_a_token_signed_by_an_unknown_key_is_refused(
    oidc_client: httpx.AsyncClient, issuer: Issuer
) -> None:
    stranger = Issuer()
    stranger.add_key("k1")  # same kid, different key
    stranger.add_key("k9")
    try:
        for token in (stranger.token("k1", iss=issuer.url), stranger.token("k9", iss=issuer.url)):
            assert (await oidc_client.get(ME, headers=_bearer(token))).status_code == 401
    finally:
        stranger.server.shutdown()


async def test_oidc_tokens_are_refused_when_oidc_is_not_configured(
    client: httpx.AsyncClient, issuer: Issuer
) -> None:
    assert (await client.get(ME, headers=_bearer(issuer.token("k1")))).status_code == 401
