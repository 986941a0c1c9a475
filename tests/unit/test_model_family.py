"""The SQLModel families (app/models/family.py): PATCH bodies are optional copies of their base,
and what the CSV imports read follows the models."""

from typing import get_args

import pytest
from pydantic import ValidationError
from sqlmodel import SQLModel

from app.models.entry import EntryBase, EntryCreate, EntryUpdate, NewEntry
from app.models.factor import EmissionFactorBase, FactorCreate, FactorUpdate
from app.models.lab import LabBase, LabUpdate
from app.models.staging import ACTIVITY_COLUMNS, FACTOR_COLUMNS, activity_required
from app.models.user import UserBase, UserMeUpdate, UserUpdate


@pytest.mark.parametrize(
    ("patch", "base", "excluded"),
    [
        (EntryUpdate, EntryBase, set()),
        (LabUpdate, LabBase, set()),
        (FactorUpdate, EmissionFactorBase, {"key", "year", "region"}),
        (UserUpdate, UserBase, set()),
        (UserMeUpdate, UserBase, {"email"}),
    ],
)
def test_a_patch_has_every_field_of_its_base_optional(
    patch: type[SQLModel], base: type[SQLModel], excluded: set[str]
) -> None:
    assert set(base.model_fields) - excluded <= set(patch.model_fields)
    assert not excluded & set(patch.model_fields)
    assert [name for name, field in patch.model_fields.items() if field.is_required()] == [
        "version"
    ]


def test_a_patch_checks_what_its_base_checks_and_lets_null_pass() -> None:
    with pytest.raises(ValidationError):
        EntryUpdate.model_validate({"version": 1, "note": "x" * 1001})
    with pytest.raises(ValidationError):
        UserUpdate.model_validate({"version": 1, "email": "not an email"})
    assert UserUpdate.model_validate({"version": 1, "email": "A@Lab.Example"}).changes() == {
        "email": "a@lab.example"  # normalised as UserBase does
    }
    # A lab's region can be cleared; an entry's note cannot be null, so null leaves it.
    assert EntryUpdate.model_validate({"version": 3, "note": None}).changes() == {}
    assert LabUpdate.model_validate({"version": 3, "region": None}).changes() == {"region": None}


def test_the_activity_csv_has_the_columns_of_a_new_entry_of_every_kind() -> None:
    assert set(ACTIVITY_COLUMNS) == {
        name
        for model in get_args(get_args(NewEntry)[0])
        for name in get_args(model)[0].model_fields
    }
    assert ACTIVITY_COLUMNS[: len(EntryCreate.model_fields)] == tuple(
        EntryCreate.model_json_schema()["properties"]
    )
    # A plain file (no `kind` column) needs what a plain entry needs; with `kind`, only a date.
    assert activity_required(frozenset({"date"})) == {"date", "factor_key", "quantity"}
    assert activity_required(frozenset({"date", "kind"})) == {"date"}


def test_the_factor_csv_has_the_columns_of_a_new_factor() -> None:
    """The factor import (repositories/factor_import.py) lists its columns by hand: a field added
    to EmissionFactorBase must be taught to it too, or it would be dropped silently."""
    assert set(FACTOR_COLUMNS) == set(FactorCreate.model_fields)
