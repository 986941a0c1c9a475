"""The SQLModel family, built from one source: `XBase` holds each client-visible field once;
the table, `XCreate` and `XPublic` inherit it, and `XUpdate` (a `Patch`) gets an optional copy
of each of its fields. A field added to `XBase` alone reaches all of them (tests/integration/
test_one_source.py proves it for entries).
"""

from collections.abc import Callable
from types import NoneType, UnionType
from typing import (
    Annotated,
    Any,
    ClassVar,
    Optional,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
)

from pydantic import Field as PydanticField
from pydantic.fields import FieldInfo
from sqlmodel import Field, SQLModel
from sqlmodel.main import FieldInfoMetadata, SQLModelMetaclass

from app.models.base import JsonInt


def accepts_none(annotation: Any) -> bool:
    origin = get_origin(annotation)
    return (
        annotation is None
        or annotation is NoneType
        or (origin in (Union, UnionType) and any(accepts_none(arg) for arg in get_args(annotation)))
    )


def optional_copy(info: FieldInfo) -> tuple[Any, Any]:
    """The annotation and `Field` of an optional copy of a field: the same type, constraints and
    docs, with None allowed and the default. The constraints go inside the `| None`, as in
    `Annotated[str, MaxLen(9)] | None`, so they check the value and leave null alone."""
    metadata = [item for item in info.metadata if not isinstance(item, FieldInfoMetadata)]
    inner = Annotated[(info.annotation, *metadata)] if metadata else info.annotation
    field = PydanticField(
        default=None,
        title=info.title,
        description=info.description,
        examples=info.examples,
        json_schema_extra=info.json_schema_extra,
    )
    return Optional[inner], field  # noqa: UP045  # `inner | None` is not valid at run time


class _PatchMetaclass(SQLModelMetaclass):
    """Adds to a `Patch` subclass an optional copy (`optional_copy`) of each field of its
    `__fields_of__` model (but `__fields_excluded__` and the fields it declares itself)."""

    def __new__(
        cls, name: str, bases: tuple[type[Any], ...], namespace: dict[str, Any], **kwargs: Any
    ) -> Any:
        source: type[SQLModel] | None = namespace.get("__fields_of__")
        if source is not None:
            excluded = frozenset(namespace.get("__fields_excluded__", ()))
            own = namespace.get("__annotations__", {})
            copied: dict[str, Any] = {}  # first, as if inherited
            for field_name, info in source.model_fields.items():
                if field_name not in excluded and field_name not in own:
                    copied[field_name], namespace[field_name] = optional_copy(info)
            namespace["__annotations__"] = copied | own
            namespace["__nullable__"] = frozenset(
                field_name
                for field_name, info in source.model_fields.items()
                if accepts_none(info.annotation)
            )
        return super().__new__(cls, name, bases, namespace, **kwargs)


class Patch(SQLModel, metaclass=_PatchMetaclass):
    """A PATCH body: `version` (declared by each subclass) and the fields to change.

    `__fields_of__ = XBase` gives it every field of `XBase`, optional; a subclass still declares
    the fields `XBase` does not have, or that differ (`__fields_excluded__` leaves some out).
    A null means "leave it" for a field that cannot be null, and "clear it" for one that can."""

    __fields_of__: ClassVar[type[SQLModel] | None] = None
    __fields_excluded__: ClassVar[frozenset[str]] = frozenset()
    __nullable__: ClassVar[frozenset[str]] = frozenset()

    version: JsonInt = Field(ge=1, le=2**31 - 1, description="The version you last read")

    def changes(self) -> dict[str, Any]:
        """The fields sent, without `version` and without the nulls that mean "leave it"."""
        return {
            name: value
            for name, value in self.model_dump(exclude_unset=True, exclude={"version"}).items()
            if value is not None or name in self.__nullable__
        }


def property_order(
    *names: str, response: bool = False
) -> Callable[[dict[str, Any], type[Any]], None]:
    """`json_schema_extra` that lists `names` first, in this order, then every other property
    as declared: the order the published schema has always had (the generated Python client's
    positional arguments follow it), whatever the order of inheritance. `response`: a body the
    server sends whole, so its properties have no defaults (an input's default is not one)."""
    rank = {name: index for index, name in enumerate(names)}

    def reorder(schema: dict[str, Any], model: type[Any]) -> None:
        properties: dict[str, Any] = schema.get("properties", {})
        if response:
            for value in properties.values():
                value.pop("default", None)
        ordered = sorted(properties, key=lambda name: rank.get(name, len(rank)))
        schema["properties"] = {name: properties[name] for name in ordered}
        if "required" in schema:
            schema["required"] = sorted(schema["required"], key=lambda n: rank.get(n, len(rank)))

    return reorder


P = TypeVar("P", bound=SQLModel)
_PUBLIC_FIELDS: dict[tuple[type[SQLModel], type[SQLModel]], tuple[str, ...]] = {}


def trusted(model: type[P], values: dict[str, Any]) -> P:
    """`model` with `values`, not validated: for values read from the database (they passed
    the model's checks when written, and the table's constraints since) or computed by the
    server; never for a client's input. Given every field, it sets them as pydantic's
    `model_construct` does, at a sixth of its CPU (SQLModel's `__new__` has already set
    pydantic's private slots); otherwise it is `model_construct`, which fills the defaults."""
    fields = model.model_fields
    if len(values) != len(fields):
        return cast(P, model.model_construct(**values))  # SQLModel types it loosely
    instance: P = model.__new__(model)  # SQLModel.__new__ returns Any
    # In the fields' order, as model_construct: pydantic writes JSON in the order of __dict__.
    object.__setattr__(instance, "__dict__", {name: values[name] for name in fields})
    object.__setattr__(instance, "__pydantic_fields_set__", set(values))
    return instance


def public_of(model: type[P], row: SQLModel, /, **extra: Any) -> P:
    """`model` (an `XPublic`) from a table instance read from the database, plus `extra` for
    the fields the table has not, without validating again (`trusted`). Validating a page of
    50 again cost more CPU than reading it (an e-mail address is parsed afresh each time)."""
    key = (model, type(row))
    names = _PUBLIC_FIELDS.get(key)
    if names is None:
        table_fields = type(row).model_fields
        names = _PUBLIC_FIELDS[key] = tuple(
            name for name in model.model_fields if name in table_fields
        )
    values = row.__dict__  # an attribute the ORM expired (none on a read instance) loads
    loaded = {
        name: values[name] if name in values else getattr(row, name)
        for name in names
        if name not in extra
    }
    return trusted(model, loaded | extra)
