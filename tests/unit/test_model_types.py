"""Input types whose OpenAPI schema must state exactly what the server accepts (schemathesis checks
both directions: schema-valid input is accepted, schema-invalid input is refused)."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

import jsonschema  # type: ignore[import-untyped]  # no stubs; a schemathesis dependency
import pytest
from pydantic import TypeAdapter, ValidationError

from app.models.base import Body, DecimalInput, IsoDate, JsonInt
from app.models.entry import (
    ActivityDate,
    ActivityEntry,
    EntryCreate,
    EquipmentEntryCreate,
    FlightEntryCreate,
    NewEntry,
    PurchaseEntryCreate,
    RefrigerantEntryCreate,
)

Quantity = TypeAdapter(Annotated[Decimal, DecimalInput(integer_digits=12, decimal_places=6)])


def _schema_accepts(adapter: TypeAdapter[Any], value: Any) -> bool:
    checker = jsonschema.Draft202012Validator(
        adapter.json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return bool(checker.is_valid(value))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.125", Decimal("0.125")),
        ("999999999999.999999", Decimal("999999999999.999999")),
        ("7", Decimal(7)),
        (3, Decimal(3)),
        (0.1, Decimal("0.1")),
        (1e-7, Decimal(0)),  # a binary float is cut to 6 places, not refused
        (999999999999.9999, Decimal("999999999999.9999")),
    ],
)
def test_decimal_input_accepts_what_its_schema_allows(value: Any, expected: Decimal) -> None:
    assert Quantity.validate_python(value) == expected
    assert _schema_accepts(Quantity, value)


@pytest.mark.parametrize(
    "value",
    ["", " 1", "1.", ".5", "+1", "-1", "1e3", "0.1234567", "1000000000000", -1, 1e12, True, None],
)
def test_decimal_input_refuses_what_its_schema_refuses(value: Any) -> None:
    with pytest.raises(ValidationError):
        Quantity.validate_python(value)
    assert not _schema_accepts(Quantity, value)


Percent = TypeAdapter(
    Annotated[Decimal, DecimalInput(integer_digits=4, decimal_places=2, maximum=1000)]
)


@pytest.mark.parametrize(
    ("value", "accepted"),
    [
        ("0", True),
        ("999.99", True),
        ("1000", True),
        ("1000.00", True),
        (1000, True),
        ("1000.01", False),
        ("1001", False),
        ("9999", False),
        (1000.5, False),
        ("0.125", False),
    ],
)
def test_a_bounded_decimal_input_and_its_schema_agree_on_the_maximum(
    value: Any, accepted: bool
) -> None:
    assert _schema_accepts(Percent, value) is accepted
    if accepted:
        assert Percent.validate_python(value) == Decimal(str(value))
    else:
        with pytest.raises(ValidationError):
            Percent.validate_python(value)


def test_a_maximum_must_be_a_power_of_ten_within_the_digits() -> None:
    for maximum in (999, 100_000):
        with pytest.raises(ValueError, match="power of ten"):
            DecimalInput(integer_digits=4, decimal_places=2, maximum=maximum)


def test_decimal_input_refuses_non_finite_numbers() -> None:
    for value in (float("inf"), float("nan"), 10**40):
        with pytest.raises(ValidationError):
            Quantity.validate_python(value)


@pytest.mark.parametrize("value", ["2025-01-31", "0001-01-01"])
def test_iso_date_accepts_calendar_dates(value: str) -> None:
    adapter = TypeAdapter(IsoDate)
    assert adapter.validate_python(value) == date.fromisoformat(value)
    assert _schema_accepts(adapter, value)


@pytest.mark.parametrize("value", ["0", 0, "2025-02-30", "2025-01-01T00:00:00", "20250101", ""])
def test_iso_date_refuses_anything_else(value: Any) -> None:
    adapter = TypeAdapter(IsoDate)
    with pytest.raises(ValidationError):
        adapter.validate_python(value)
    assert not _schema_accepts(adapter, value)


@pytest.mark.parametrize(
    ("value", "expected"), [("2025-03", date(2025, 3, 1)), ("2025-03-14", date(2025, 3, 14))]
)
def test_activity_date_takes_a_month_as_its_first_day(value: str, expected: date) -> None:
    adapter = TypeAdapter(ActivityDate)
    assert adapter.validate_python(value) == expected
    assert _schema_accepts(adapter, value)


@pytest.mark.parametrize("value", ["2025-13", "0000-01", "2025-3", 0, "2025-02-30"])
def test_activity_date_refuses_what_its_schema_refuses(value: Any) -> None:
    adapter = TypeAdapter(ActivityDate)
    with pytest.raises(ValidationError):
        adapter.validate_python(value)
    assert not _schema_accepts(adapter, value)


@pytest.mark.parametrize(("value", "expected"), [(3, 3), (3.0, 3), (-2, -2)])
def test_json_int_takes_what_json_schema_calls_an_integer(value: Any, expected: int) -> None:
    adapter = TypeAdapter(JsonInt)
    assert adapter.validate_python(value) == expected
    assert _schema_accepts(adapter, value)


@pytest.mark.parametrize("value", [True, "3", 3.5, None, " 3"])
def test_json_int_refuses_booleans_strings_and_fractions(value: Any) -> None:
    adapter = TypeAdapter(JsonInt)
    with pytest.raises(ValidationError):
        adapter.validate_python(value)
    assert not _schema_accepts(adapter, value)


BODIES = [
    EntryCreate,
    FlightEntryCreate,
    PurchaseEntryCreate,
    RefrigerantEntryCreate,
    EquipmentEntryCreate,
]


@pytest.mark.parametrize("body", BODIES, ids=lambda body: body.__name__)
def test_a_body_is_validated_without_a_custom_init(body: type[Body]) -> None:
    """`Body` takes the bodies of a new entry past SQLModel's `__init__`: pydantic must build
    their schema without a custom init (it would otherwise call back into Python per body)."""
    assert body.__pydantic_custom_init__ is False
    assert ActivityEntry.__pydantic_custom_init__ is True  # a table keeps SQLModel's


def test_a_body_validates_alike_through_the_union_and_when_constructed() -> None:
    values: dict[str, Any] = {"kind": "flight", "date": "2025-03", "origin": "GVA"}
    values["destination"] = "JFK"
    validated = TypeAdapter(NewEntry).validate_python(values | {"travellers": 2})
    constructed = FlightEntryCreate.model_validate(values | {"travellers": 2})
    assert isinstance(validated, FlightEntryCreate)
    assert validated == constructed
    assert validated.model_fields_set == constructed.model_fields_set == {*values, "travellers"}
    assert validated.date == date(2025, 3, 1)
    made = FlightEntryCreate(kind="flight", date=date(2025, 3, 1), origin="GVA", destination="JFK")
    assert made.model_dump() == validated.model_dump() | {"travellers": 1}
    with pytest.raises(ValidationError, match="origin"):
        FlightEntryCreate(kind="flight", date=date(2025, 3, 1), origin="gva", destination="JFK")
    with pytest.raises(ValidationError, match="extra"):
        FlightEntryCreate.model_validate(values | {"seats": 3})
