"""Log lines: JSON with the request id in production, readable console lines otherwise."""

import json
import logging
from typing import Literal

import pytest
import structlog
from asgi_correlation_id import correlation_id

from app.config import settings
from app.core.logging import configure_logging, redact_query_secrets


@pytest.fixture(autouse=True)
def _restore_logging() -> object:
    yield
    configure_logging(settings.LOG_LEVEL, settings.log_format)


def test_json_lines_carry_the_request_id(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    token = correlation_id.set("req-42")
    try:
        logging.getLogger("app.test").info("job %s finished", "abc")
    finally:
        correlation_id.reset(token)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["event"] == "job abc finished"
    assert record["request_id"] == "req-42"
    assert record["level"] == "info"
    assert record["logger"] == "app.test"


def test_console_lines_are_readable_not_json(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "console")
    logging.getLogger("app.test").warning("disk almost full")
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert "disk almost full" in line
    assert "warning" in line
    with pytest.raises(json.JSONDecodeError):
        json.loads(line)


def test_exceptions_are_logged_with_their_traceback_server_side(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "json")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("app.test").exception("failed")
    record = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    assert "ValueError: boom" in record["exception"]


def test_a_token_in_a_query_string_never_reaches_a_log_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "json")
    path = "/api/v1/ws/jobs?x=1&token=eyJhbGciOi.secret-part&y=2"
    logging.getLogger("uvicorn.error").info('%s - "WebSocket %s" [accepted]', "127.0.0.1", path)
    logging.getLogger("app.test").warning("socket %s", "/api/v1/ws/jobs?TOKEN=co2k_abc")
    lines = capsys.readouterr().err.strip().splitlines()[-2:]
    events = [json.loads(line)["event"] for line in lines]
    assert events == [
        '127.0.0.1 - "WebSocket /api/v1/ws/jobs?x=1&token=[redacted]&y=2" [accepted]',
        "socket /api/v1/ws/jobs?TOKEN=[redacted]",
    ]


@pytest.mark.parametrize(
    "query",
    [
        "access_token=eyJsecret",
        "api_key=co2k_secret",
        "password=hunter2-secret",
        "token=eyJsecret",
        "Access%5Ftoken=eyJsecret",
        "API_KEY=co2k_secret",
        "refresh_token=eyJsecret",
    ],
)
@pytest.mark.parametrize("fmt", ["json", "console"])
def test_no_query_string_credential_reaches_a_log_line(
    capsys: pytest.CaptureFixture[str], query: str, fmt: Literal["json", "console"]
) -> None:
    configure_logging("INFO", fmt)
    path = f"/api/v1/labs?limit=5&{query}&cursor=abc"
    # uvicorn's access line (args formatted late), a socket line, and a structlog event.
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", path, "1.1", 200
    )
    logging.getLogger("uvicorn.error").info('%s - "WebSocket %s" [accepted]', "127.0.0.1", path)
    structlog.get_logger("app.test").info("request", url=path)
    output = capsys.readouterr().err
    assert "secret" not in output
    assert output.count("[redacted]") == 3
    assert output.count("limit=5") == 3  # the rest of the line is kept


def test_parameters_that_only_look_like_credentials_are_kept() -> None:
    line = "/api/v1/factors?factor_key=grid.ch&tokens=3&search=password"
    assert redact_query_secrets(line) == line
