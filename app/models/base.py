"""Shared column helpers and domain types for every aggregate."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, Self
from uuid import UUID

import email_validator
import uuid6
from pydantic import (
    AwareDatetime,
    BeforeValidator,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    PlainValidator,
    StringConstraints,
    WithJsonSchema,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema
from sqlalchemy import DateTime, Numeric, func
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

# Emails (pydantic's EmailStr, checked by email-validator without DNS): addresses at special-use
# names (`.test`, `.local`, `.localhost`, `.onion`, `.arpa`, `.invalid`) are accepted too, as the
# library documents. They are well-formed (OpenAPI's `format: email` allows them), campus
# directories use `.local` names, and nothing here sends mail. Found by schemathesis (`a@u.test`).
email_validator.SPECIAL_USE_DOMAIN_NAMES.clear()

NO_NUL = r"^[^\x00]*$"

# Request bodies refuse fields they do not know (a typo is an error, not a silent no-op).
FORBID_UNKNOWN_FIELDS = SQLModelConfig(extra="forbid")

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Body(SQLModel):
    """A base (the first) of a request body that is never a table: pydantic validates it
    straight into a new instance. SQLModel's `__init__` and `__new__`, which table models need,
    make pydantic call them back for every instance it validates; for a body they only repeat
    pydantic's own work, at about a third of the cost of validating a flight of an import.
    Constructed in code, a body is validated as any model."""

    def __new__(cls, /, *args: Any, **kwargs: Any) -> Self:
        return object.__new__(cls)  # pydantic sets the instance's fields and private slots

    def __init__(self, /, **data: Any) -> None:
        self.__pydantic_validator__.validate_python(data, self_instance=self)

    # pydantic's mark of its own `__init__`: the schema is then built without a custom init.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


def plain_decimal(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return "0" if text in {"-0", ""} else text


# Decimals go out as exact strings without trailing zeros ("0.125", "1000"), whatever their scale.
DecimalOut = Annotated[Decimal, PlainSerializer(plain_decimal, return_type=str, when_used="json")]


@dataclass(frozen=True)
class DecimalInput:
    """`Annotated[Decimal, DecimalInput(...)]`: a non-negative decimal input whose OpenAPI schema
    states exactly what the server accepts.

    A JSON string is exact: at most `integer_digits` digits, optionally a point and at most
    `decimal_places` digits (`"0.125"`). A JSON number is binary floating point, so it is taken at
    its shortest repr and cut (never rounded up) to `decimal_places`; it must be below
    10**integer_digits. Both fit a `Numeric(integer_digits + decimal_places, decimal_places)`
    column, so the database never refuses what validation let through.
    """

    integer_digits: int
    decimal_places: int
    maximum: int | None = None  # inclusive, a power of ten; None: anything below 10**integer_digits

    def __post_init__(self) -> None:
        if self.maximum is not None:
            text = str(self.maximum)
            if text.rstrip("0") != "1" or len(text) > self.integer_digits:
                raise ValueError("maximum: a power of ten with at most integer_digits digits")

    def column_type(self) -> Numeric[Decimal]:
        """The column that holds every value this input accepts."""
        return Numeric(self.integer_digits + self.decimal_places, self.decimal_places)

    @property
    def pattern(self) -> str:
        """Exactly the strings `parse` accepts, the maximum included: with a maximum of 10^k,
        up to k digits, or the maximum itself with only zeros after the point."""
        places = self.decimal_places
        if self.maximum is None:
            return rf"^[0-9]{{1,{self.integer_digits}}}(\.[0-9]{{1,{places}}})?$"
        below = len(str(self.maximum)) - 1
        return (
            rf"^([0-9]{{1,{below}}}(\.[0-9]{{1,{places}}})?"
            rf"|{self.maximum}(\.0{{1,{places}}})?)$"
        )

    def parse(self, value: Any) -> Decimal:
        limit = Decimal(10) ** self.integer_digits
        step = Decimal(1).scaleb(-self.decimal_places)
        if isinstance(value, Decimal):
            exact = value
        elif isinstance(value, str):
            if not re.fullmatch(self.pattern, value):
                raise ValueError(
                    f"must be a decimal string with at most {self.integer_digits} digits before "
                    f"and {self.decimal_places} after the point"
                )
            exact = Decimal(value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            try:
                exact = Decimal(repr(value)).quantize(step, rounding=ROUND_DOWN)
            except InvalidOperation as error:  # inf, nan, or too large to quantize
                raise ValueError(f"must be a finite number below {limit}") from error
        else:
            raise ValueError("must be a number or a decimal string")
        if not exact.is_finite() or exact < 0 or exact >= limit:
            raise ValueError(f"must be at least 0 and below {limit}")
        if self.maximum is not None and exact > self.maximum:
            raise ValueError(f"must be at least 0 and at most {self.maximum}")
        if exact != exact.quantize(step, rounding=ROUND_DOWN):
            raise ValueError(f"must have at most {self.decimal_places} decimal places")
        return exact

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        # Out as DecimalOut: an exact string, so one type serves requests and responses.
        return core_schema.no_info_plain_validator_function(
            self.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(
                plain_decimal, return_schema=core_schema.str_schema(), when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        if handler.mode == "serialization":
            return {"type": "string"}
        limit = 10**self.integer_digits
        upper: dict[str, int] = (
            {"exclusiveMaximum": limit} if self.maximum is None else {"maximum": self.maximum}
        )
        return {
            "anyOf": [
                {"type": "number", "minimum": 0, **upper},
                {"type": "string", "pattern": self.pattern},
            ]
        }


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_iso_date(value: Any) -> date:
    """A `date`, or a `YYYY-MM-DD` string naming one; a ValueError for anything else."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise ValueError("must be a valid calendar date") from error
    raise ValueError("must be a date as YYYY-MM-DD")


# A calendar date, `YYYY-MM-DD` only (pydantic alone would also take `0` as 1970-01-01).
IsoDate = Annotated[
    date, PlainValidator(parse_iso_date), WithJsonSchema({"type": "string", "format": "date"})
]


_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}.*")


def iso_datetime_text(value: Any) -> Any:
    """A date and time as ISO 8601 text (`2026-01-31T08:00:00Z`), as the schema's `date-time`
    says; pydantic alone would also take `0.5` as a Unix timestamp."""
    if isinstance(value, str) and not _ISO_DATETIME.fullmatch(value):
        raise ValueError("must be a date and time as YYYY-MM-DDTHH:MM:SS with a time zone")
    return value


# A query parameter's date and time: ISO 8601 text with a time zone only.
IsoAwareDatetime = Annotated[AwareDatetime, BeforeValidator(iso_datetime_text)]


def json_integer(value: Any) -> Any:
    """What JSON Schema calls an integer: a number with no fractional part (`3` or `3.0`), not a
    boolean and not a string (pydantic's lax mode would take `true` and `"3"`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be an integer")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError("must be an integer")
        return int(value)
    return value


# For request bodies: a JSON integer (see `json_integer`).
JsonInt = Annotated[int, BeforeValidator(json_integer)]


def time_ordered_id() -> UUID:
    """A UUIDv7 (RFC 9562): ids made later sort later, so their rows append to B-tree indexes
    (a job's staged rows, keyed by job id and seq) and lie near each other for BRIN ones."""
    return UUID(int=uuid6.uuid7().int)


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


def text_field(
    *, max_length: int, min_length: int = 0, default: Any = ..., description: str | None = None
) -> Any:
    """A string with a length limit and no NUL bytes (PostgreSQL text refuses them)."""
    return Field(
        default=default,
        min_length=min_length,
        max_length=max_length,
        description=description,
        schema_extra={"pattern": NO_NUL},
    )


def enum_field(
    enum: type[StrEnum],
    *,
    name: str,
    default: Any = ...,
    description: str | None = None,
    server_default: StrEnum | None = None,
) -> Any:
    """A StrEnum stored as its value in a VARCHAR with a CHECK constraint (not a native PG enum,
    so adding a value is a constraint change rather than an `ALTER TYPE`)."""
    return Field(
        default=default,
        description=description,
        sa_type=SAEnum(
            enum,
            name=name,
            native_enum=False,
            create_constraint=True,
            length=max(len(member.value) for member in enum),
            values_callable=lambda members: [member.value for member in members],
            validate_strings=True,
        ),
        sa_column_kwargs={} if server_default is None else {"server_default": server_default.value},
    )
