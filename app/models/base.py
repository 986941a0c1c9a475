"""Shared column helpers and domain types for every aggregate."""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from pydantic import PlainSerializer, StringConstraints
from sqlalchemy import DateTime, func
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel
from sqlmodel._compat import SQLModelConfig  # the type SQLModel.model_config is declared with

# Stable constraint names, so migrations can name what they alter or drop.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

NO_NUL = r"^[^\x00]*$"

# Request bodies refuse fields they do not know (a typo is an error, not a silent no-op).
FORBID_UNKNOWN_FIELDS = SQLModelConfig(extra="forbid")

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def plain_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


# Decimals go out as exact strings without trailing zeros ("0.125", "1000"), whatever their scale.
DecimalOut = Annotated[Decimal, PlainSerializer(plain_decimal, return_type=str, when_used="json")]


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "nullable": False},
    )


def updated_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=DateTime(timezone=True),
        sa_column_kwargs={"server_default": func.now(), "onupdate": utcnow, "nullable": False},
    )


def text_field(*, max_length: int, min_length: int = 0, default: Any = ...) -> Any:
    """A string with a length limit and no NUL bytes (PostgreSQL text refuses them)."""
    return Field(
        default=default,
        min_length=min_length,
        max_length=max_length,
        schema_extra={"pattern": NO_NUL},
    )


def enum_field(enum: type[StrEnum], *, name: str, default: Any = ...) -> Any:
    """A StrEnum stored as its value in a VARCHAR with a CHECK constraint (not a native PG enum,
    so adding a value is a constraint change rather than an `ALTER TYPE`)."""
    return Field(
        default=default,
        sa_type=SAEnum(
            enum,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=max(len(member.value) for member in enum),
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
        ),
    )
