"""Settings: URL normalisation, refusals, and failures that stop startup readably."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.config import Settings, normalize_database_url

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db:5432/app", "postgresql+psycopg://u:p@db:5432/app"),
        ("postgres://u:p@db/app", "postgresql+psycopg://u:p@db/app"),
        ("postgresql+asyncpg://u@db/app", "postgresql+psycopg://u@db/app"),
        ("postgresql+psycopg://u@db/app", "postgresql+psycopg://u@db/app"),
        ("POSTGRESQL://u@db/app", "postgresql+psycopg://u@db/app"),
    ],
)
def test_postgres_urls_are_normalised_to_psycopg(given: str, expected: str) -> None:
    configured = Settings(DATABASE_URL=given)
    assert normalize_database_url(given) == expected
    assert expected == configured.DATABASE_URL


@pytest.mark.parametrize(
    "url", ["sqlite:///app.db", "mysql://u@db/app", "mssql+pyodbc://db", "not a url"]
)
def test_non_postgres_urls_are_refused(url: str) -> None:
    with pytest.raises(ValidationError) as error:
        Settings(DATABASE_URL=url)
    assert error.value.errors()[0]["loc"] == ("DATABASE_URL",)


def test_cors_origins_list_splits_and_trims() -> None:
    configured = Settings(CORS_ORIGINS=" http://a.test ,http://b.test,, ")
    assert configured.cors_origins_list == ["http://a.test", "http://b.test"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_POOL_SIZE", -1),
        ("JWT_ACCESS_EXPIRE_MINUTES", 0),
        ("LOG_LEVEL", "LOUD"),
        ("FACTOR_ROLLOVER_YEARS", -1),
    ],
)
def test_broken_settings_are_refused(name: str, value: object) -> None:
    with pytest.raises(ValidationError) as error:
        Settings.model_validate({name: value})
    assert (name,) in [problem["loc"] for problem in error.value.errors()]


def test_production_requires_a_database_url() -> None:
    with pytest.raises(ValidationError, match="DATABASE_URL is required"):
        Settings(ENV="production", DATABASE_URL=None)


def test_log_format_follows_the_environment_unless_set() -> None:
    assert Settings(ENV="development").log_format == "console"
    assert Settings(ENV="production", DATABASE_URL="postgresql://db/x").log_format == "json"
    assert (
        Settings(
            ENV="production", DATABASE_URL="postgresql://db/x", LOG_FORMAT="console"
        ).log_format
        == "console"
    )


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"JWT_SECRET", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT / "tests",  # no .env file here
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        check=False,
        timeout=60,
    )


def test_missing_jwt_secret_raises_validation_error_at_import() -> None:
    result = _python(
        "import pydantic\n"
        "try:\n"
        "    import app.config\n"
        "except pydantic.ValidationError as error:\n"
        "    print(error.errors()[0]['loc'][0])\n"
        "    raise SystemExit(3)\n"
    )
    assert result.returncode == 3, result.stderr
    assert result.stdout.strip() == "JWT_SECRET"


def test_importing_the_app_opens_no_database_connection() -> None:
    # An unroutable database: any connection attempt at import would hang or fail loudly.
    result = _python(
        "import app.main, app.db.engine\n"
        "assert not app.db.engine.engine_created()\n"
        "print('lazy')\n",
        JWT_SECRET="x" * 32,
        DATABASE_URL="postgresql://nobody@192.0.2.1:5432/none?connect_timeout=1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "lazy"


def test_run_command_reports_a_broken_setting_in_one_line() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.serve", "--port", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "JWT_SECRET": "x" * 32, "DB_POOL_SIZE": "-5"},
        check=False,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == ["Invalid setting DB_POOL_SIZE: Input should be greater than 0"]
    assert "Traceback" not in result.stderr


def test_forwarded_allow_ips_takes_addresses_and_networks_and_refuses_anything_else() -> None:
    parsed = Settings(
        _env_file=None, JWT_SECRET="x" * 32, FORWARDED_ALLOW_IPS=" 10.0.0.2,fd00::/8 "
    )
    assert parsed.forwarded_allow_ips_list == ["10.0.0.2", "fd00::/8"]
    assert Settings(_env_file=None, JWT_SECRET="x" * 32).forwarded_allow_ips_list == []
    with pytest.raises(ValidationError, match="not an IP address or network"):
        Settings(_env_file=None, JWT_SECRET="x" * 32, FORWARDED_ALLOW_IPS="proxy.local")
