"""Keys and connections: missing and wrong keys, no server, a gateway's answers, api-key create."""

import http.server
import secrets
import socket
import threading
from collections.abc import Iterator

import pytest
from cli_support import Lab, Live, co2calc, error_line, new_password
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.users import create_user
from co2calculator_client.models import UserCreate, UserPublic


def test_without_a_key_nothing_is_sent(live: Live, lab: Lab) -> None:
    run = co2calc(live, "factors", "list", key=None)
    blank = co2calc(live, "report", lab.code, key="  ")

    for each in (run, blank):
        assert each.code == 1
        assert "CO2CALC_API_KEY is not set" in error_line(each)


def test_a_wrong_key_is_a_401(live: Live) -> None:
    run = co2calc(live, "factors", "list", key="co2k_" + secrets.token_urlsafe(24))

    assert run.code == 1
    assert "(401)" in error_line(run)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_server_that_is_not_there(live: Live, admin_key: str) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    refused = co2calc(live, "factors", "list", key=admin_key, base_url=url)
    not_a_url = co2calc(live, "factors", "list", key=admin_key, base_url="localhost:8000")

    assert refused.code == 1
    assert f"cannot reach {url}" in error_line(refused)
    assert "refused" in error_line(refused).lower()
    assert not_a_url.code == 2
    assert "not an http:// or https:// URL" in not_a_url.err


class _Proxy(http.server.BaseHTTPRequestHandler):
    """What a gateway in front of the API may answer: an HTML 502, or a JSON 503 of its own."""

    def do_GET(self) -> None:
        if self.path.startswith("/json/"):
            status, kind, body = 503, "application/json", b'{"message": "upstream unavailable"}'
        else:
            status, kind, body = 502, "text/html", b"<html><body>Bad gateway</body></html>"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Proxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_an_answer_that_is_not_the_api(live: Live, admin_key: str, proxy: str) -> None:
    run = co2calc(live, "factors", "list", key=admin_key, base_url=proxy)
    json = co2calc(live, "factors", "list", key=admin_key, base_url=proxy + "/json")

    # The API declares 503 (database unavailable) on every operation, as problem+json: a
    # gateway's JSON 503 is not mistaken for it.
    assert json.code == 1
    assert "HTTP 503 Service Unavailable, which is not an answer of the co2calculator API" in (
        error_line(json)
    )
    assert run.code == 1
    assert "HTTP 502 Bad Gateway, which is not an answer of the co2calculator API" in error_line(
        run
    )


def test_api_key_create_signs_in_and_prints_a_working_key(
    live: Live, admin_client: AuthenticatedClient
) -> None:
    email = f"cli-{secrets.token_hex(4)}@example.com"
    password = new_password()
    user = create_user.sync(client=admin_client, body=UserCreate(email=email, password=password))
    assert isinstance(user, UserPublic), user

    created = co2calc(live, "api-key", "create", "--email", email, key=None, stdin=password + "\n")
    wrong = co2calc(
        live,
        *("api-key", "create", "--email", email),
        key=None,
        env={"CO2CALC_PASSWORD": "not-the-password"},
    )

    assert created.code == 0, created.err
    new_key = created.out.strip()  # only the key on stdout
    assert new_key.startswith("co2k_")
    assert "Warning" not in created.err
    assert password not in created.out + created.err
    assert co2calc(live, "factors", "list", "--limit", "1", key=new_key).code == 0
    assert wrong.code == 1
    assert "(401)" in error_line(wrong)
