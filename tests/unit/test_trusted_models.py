"""`public_of` / `trusted` (app/models/family.py): a response built from database values without
validating again must be the response validation would build, byte for byte."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import uuid4

from app.models.factor import EmissionFactor, FactorCategory, FactorPublic
from app.models.family import public_of, trusted
from app.models.lab import Lab, LabPublic, LabRole
from app.models.user import User, UserPublic, UserRole

NOW = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)


def test_an_account_is_the_json_validation_gives() -> None:
    user = User(
        id=uuid4(),
        email="ada@lab.example",
        full_name="Ada",
        role=UserRole.ADMIN,
        hashed_password="x",
        created_at=NOW,
        updated_at=NOW,
    )
    built = public_of(UserPublic, user)
    assert built.model_dump_json() == UserPublic.model_validate(user).model_dump_json()
    assert "hashed_password" not in built.model_dump()


def test_a_lab_takes_the_fields_the_table_has_not_from_extra() -> None:
    lab = Lab(id=uuid4(), name="Bio", code="BIO-1", created_at=NOW, updated_at=NOW)
    built = public_of(LabPublic, lab, my_role=LabRole.MANAGER)
    expected = LabPublic(**lab.model_dump(), my_role=LabRole.MANAGER)
    assert built.model_dump_json() == expected.model_dump_json()


def test_a_factor_keeps_its_decimal_and_field_order() -> None:
    factor = EmissionFactor(
        id=uuid4(),
        key="electricity.grid.CH",
        category=FactorCategory.ELECTRICITY,
        unit="kWh",
        kg_co2e_per_unit=Decimal("0.1280"),
        scope=2,
        year=2025,
        created_at=NOW,
        updated_at=NOW,
    )
    built = public_of(FactorPublic, factor)
    assert built.model_dump_json() == FactorPublic.model_validate(factor).model_dump_json()
    assert list(built.__dict__) == list(FactorPublic.model_fields)


def test_missing_fields_fall_back_to_model_construct_and_its_defaults() -> None:
    lab = Lab(id=uuid4(), name="Bio", code="BIO-1", created_at=NOW, updated_at=NOW)
    values = {name: getattr(lab, name) for name in LabPublic.model_fields if name != "my_role"}
    built = trusted(LabPublic, values)
    assert built.my_role is None
    assert built.model_fields_set == set(values)
