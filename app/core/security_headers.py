"""The security headers on every response: what a browser may do with what we send.

Two sets, chosen by the response's content type. A page (`text/html`: the dashboard under
`/app/`, Swagger UI at `/docs`) gets a Content Security Policy that lets it load its own scripts,
styles and images and talk to this origin, and nothing else: no inline script unless a page names
it by hash (`page_policy`), no plugins, no `<base>`, no framing. Everything else (JSON,
problem+json, CSV, static assets, redirects) is never meant to be rendered as a document, so its
policy allows nothing at all. Both sets say `nosniff` and refuse framing the old way too
(`X-Frame-Options`, for browsers without `frame-ancestors`). A response that already carries one of
these headers keeps its own (the docs page sends its policy with its script's hash).
"""

import base64
import hashlib

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "Content-Security-Policy"


def script_hash(source: str) -> str:
    """The CSP source expression that allows exactly this inline script."""
    digest = hashlib.sha256(source.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def page_policy(*allowed_scripts: str) -> str:
    """The policy of a page; `allowed_scripts` are `script_hash` results of its inline scripts."""
    return "; ".join(
        (
            "default-src 'self'",
            " ".join(("script-src 'self'", *allowed_scripts)),
            "style-src 'self'",
            # Swagger UI's icons are data: URIs in its CSS; the dashboard's favicon is `data:,`.
            "img-src 'self' data:",
            # CSP 3: 'self' also matches ws:/wss: on this host (the dashboard's live status).
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


_COMMON = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY"}

PAGE_HEADERS: dict[str, str] = {
    **_COMMON,
    CONTENT_SECURITY_POLICY: page_policy(),
    # A page's URL names a lab and a year: keep it off requests to other origins.
    "Referrer-Policy": "same-origin",
}

OTHER_HEADERS: dict[str, str] = {
    **_COMMON,
    CONTENT_SECURITY_POLICY: "default-src 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
}


def _is_page(headers: MutableHeaders) -> bool:
    return headers.get("content-type", "").startswith("text/html")


def add_security_headers(headers: MutableHeaders) -> None:
    """Add the headers this response does not set itself."""
    for name, value in (PAGE_HEADERS if _is_page(headers) else OTHER_HEADERS).items():
        if name not in headers:
            headers[name] = value


class SecurityHeaders:
    """ASGI middleware adding the security headers to every HTTP response. (A 500 is rendered
    outside the middleware stack: its handler adds them itself.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                add_security_headers(MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)
