"""Logging: JSON lines in production, readable console lines in development; both carry the
request id. Standard-library loggers (ours, uvicorn's, SQLAlchemy's) go through structlog's
formatter, so every line has one shape."""

import logging
import logging.config
import re
from typing import Any, Literal

import structlog
from asgi_correlation_id import correlation_id
from structlog.typing import EventDict, WrappedLogger


def _add_request_id(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    request_id = correlation_id.get()
    if request_id is not None:
        event_dict.setdefault("request_id", request_id)
    return event_dict


# `?token=` of the live-status socket (browsers cannot send headers there): uvicorn logs each
# socket's path with its query string.
_TOKEN_IN_QUERY = re.compile(r"([?&]token=)[^&#\s\"']*", re.IGNORECASE)


class RedactQueryTokens(logging.Filter):
    """Replace the value of a `token` query parameter in a log line with `[redacted]`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):  # structlog's own records carry a dict
            message = record.getMessage()
            if "token=" in message.lower():
                record.msg = _TOKEN_IN_QUERY.sub(r"\1[redacted]", message)
                record.args = None
        return True


def configure_logging(level: str, fmt: Literal["console", "json"]) -> None:
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _add_request_id,
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
