"""Logging: JSON lines in production, readable console lines in development; both carry the
request id. Standard-library loggers (ours, uvicorn's, SQLAlchemy's) go through structlog's
formatter, so every line has one shape."""

import logging
import logging.config
import re
from typing import Any, Literal
from urllib.parse import unquote_plus

import structlog
from asgi_correlation_id import correlation_id
from structlog.typing import EventDict, WrappedLogger


def current_request_id() -> str | None:
    """The request id of the request being served (X-Request-ID, given or made), else None."""
    return correlation_id.get()


def _add_request_id(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    request_id = correlation_id.get()
    if request_id is not None:
        event_dict.setdefault("request_id", request_id)
    return event_dict


# Query-string parameters that carry credentials: `?token=` of the live-status socket (browsers
# cannot send headers there), and the names clients and scanners commonly use. uvicorn logs each
# request's and socket's path with its query string; a name is compared percent-decoded and
# case-insensitively (`?Access%5Ftoken=` is `access_token`).
SECRET_QUERY_PARAMETERS = frozenset(
    {
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "api_key",
        "apikey",
        "api-key",
        "key",
        "password",
        "passwd",
        "secret",
        "client_secret",
    }
)
REDACTED = "[redacted]"
_QUERY_PARAMETER = re.compile(r"(?P<lead>[?&;])(?P<name>[^=&;#?\s\"']+)=(?P<value>[^&;#\s\"']*)")


def _redact_parameter(match: re.Match[str]) -> str:
    name = unquote_plus(match["name"]).strip().lower()
    if name not in SECRET_QUERY_PARAMETERS or not match["value"]:
        return match[0]
    return f"{match['lead']}{match['name']}={REDACTED}"


def redact_query_secrets(text: str) -> str:
    """`text` with the value of every credential-carrying query parameter replaced."""
    if "=" not in text:
        return text
    return _QUERY_PARAMETER.sub(_redact_parameter, text)


class RedactQueryTokens(logging.Filter):
    """Redact credential-carrying query parameters (SECRET_QUERY_PARAMETERS) in a log line."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):  # structlog's own records carry a dict
            message = record.getMessage()
            redacted = redact_query_secrets(message)
            if redacted != message:
                record.msg = redacted
                record.args = None
        return True


def _redact_event(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """The same for every string of a structured line, whichever logger or handler made it."""
    for name, value in event_dict.items():
        if isinstance(value, str):
            event_dict[name] = redact_query_secrets(value)
    return event_dict


def configure_logging(level: str, fmt: Literal["console", "json"]) -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_request_id,
        _redact_event,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    formatter = {
        "()": structlog.stdlib.ProcessorFormatter,
        "foreign_pre_chain": shared,
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ],
    }
    logging.config.dictConfig(
        {
            "version": 1,
            "disable_existing_loggers": False,
            "formatters": {"structured": formatter},
            "filters": {"redact_tokens": {"()": RedactQueryTokens}},
            "handlers": {
                "default": {
                    "class": "logging.StreamHandler",
                    "formatter": "structured",
                    "filters": ["redact_tokens"],
                }
            },
            "root": {"handlers": ["default"], "level": level},
            # On the loggers too, so the lines are clean for any handler (gunicorn's, pytest's).
            "loggers": {
                "uvicorn": {"handlers": [], "propagate": True},
                "uvicorn.error": {"handlers": [], "propagate": True, "filters": ["redact_tokens"]},
                "uvicorn.access": {"handlers": [], "propagate": True, "filters": ["redact_tokens"]},
            },
        }
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
