"""How the app is served: uvicorn's httptools protocol with a bound on a request's head, and the
gunicorn worker that uses it.

uvicorn's httptools protocol sets no limit on the request line and headers: httptools keeps the
header being read by concatenating what each read adds, so a 96 MiB header costs quadratic time on
the event loop (52 s measured) and stalls every other request. Here the bytes received while a
head is incomplete are counted, and past `REQUEST_HEAD_MAX_BYTES` the connection gets a 431 and is
closed, so parsing one head costs at most the limit plus one read.

Run with `uvicorn app.main:app --http app.serving:HeadLimitedHttpToolsProtocol` or, in production,
`gunicorn app.main:app -k app.serving.Worker`.
"""

import json
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker  # type: ignore[import-untyped]  # ships no types

from app.config import Settings, settings
from app.core.errors import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE

HTTP_PROTOCOL = "app.serving:HeadLimitedHttpToolsProtocol"


def _head_too_large_response(limit: int) -> bytes:
    body = json.dumps(
        {
            "type": PROBLEM_TYPE_BASE + "request-head-too-large",
            "title": "Request Header Fields Too Large",
            "status": 431,
            "detail": f"The request line and headers are longer than {limit} bytes.",
        }
    ).encode()
    head = (
        "HTTP/1.1 431 Request Header Fields Too Large\r\n"
        f"content-type: {PROBLEM_CONTENT_TYPE}\r\n"
        f"content-length: {len(body)}\r\n"
        "connection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


class _HeadTooLarge(Exception):
    """Raised from a parser callback; httptools turns it into an HttpParserError."""


class HeadLimitedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a request line plus headers longer than
    `REQUEST_HEAD_MAX_BYTES` with 431 and closing the connection: while a head is incomplete,
    by the bytes received for it; once complete, by its parsed size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_limit = settings.REQUEST_HEAD_MAX_BYTES
        self._reading_head = True
        self._head_bytes = 0
        self._head_too_large = False

    def data_received(self, data: bytes) -> None:
        if self._reading_head:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._reading_head and self._head_bytes > self._head_limit:
            self._head_too_large = True
            self.send_400_response("")

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._head_bytes = 0
        size = len(self.url) + sum(len(name) + len(value) + 4 for name, value in self.headers)
        if size > self._head_limit:
            self._head_too_large = True
            raise _HeadTooLarge
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._reading_head = True

    def send_400_response(self, msg: str) -> None:
        """uvicorn's answer to a parser error, which a head too large is."""
        if not self._head_too_large:
            super().send_400_response(msg)
            return
        self._reading_head = False
        if self.transport.is_closing():
            return
        self.logger.warning("Request head longer than %d bytes refused (431).", self._head_limit)
        self.transport.write(_head_too_large_response(self._head_limit))
        self.transport.close()


def proxy_options(config: Settings) -> dict[str, Any]:
    """uvicorn's options for `X-Forwarded-For` / `X-Forwarded-Proto`: believed only from the
    proxies in `FORWARDED_ALLOW_IPS` (none by default). uvicorn's and gunicorn's own default,
    127.0.0.1, would let any local process choose its client address (and so escape the
    per-IP login limit)."""
    trusted = config.forwarded_allow_ips_list
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted}


class Worker(UvicornWorker):  # type: ignore[misc]  # UvicornWorker is untyped (Any)
    """gunicorn's worker class for the production command (uvicorn with the head limit; proxy
    headers from `FORWARDED_ALLOW_IPS`, which replaces gunicorn's `--forwarded-allow-ips`)."""

    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        "loop": "auto",
        "http": HTTP_PROTOCOL,
        **proxy_options(settings),
    }
