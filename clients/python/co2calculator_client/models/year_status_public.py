from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.year_state import YearState

if TYPE_CHECKING:
    from ..models.signed_figures import SignedFigures
    from ..models.year_transition_public import YearTransitionPublic


T = TypeVar("T", bound="YearStatusPublic")


@_attrs_define
class YearStatusPublic:
    """A lab-year's sign-off: its state, version, the signed figures when validated, and every
    transition, oldest first.

        Attributes:
            lab_id (UUID):
            year (int):
            state (YearState):
            version (int):
            signed (None | SignedFigures): Only while validated
            history (list[YearTransitionPublic]):
    """

    lab_id: UUID
    year: int
    state: YearState
    version: int
    signed: None | SignedFigures
    history: list[YearTransitionPublic]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.signed_figures import SignedFigures  # noqa: PLC0415

        lab_id = str(self.lab_id)

        year = self.year

        state = self.state.value

        version = self.version

        signed: dict[str, Any] | None
        if isinstance(self.signed, SignedFigures):
            signed = self.signed.to_dict()
        else:
            signed = self.signed

        history = []
        for history_item_data in self.history:
            history_item = history_item_data.to_dict()
            history.append(history_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lab_id": lab_id,
                "year": year,
                "state": state,
                "version": version,
                "signed": signed,
                "history": history,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signed_figures import SignedFigures  # noqa: PLC0415
        from ..models.year_transition_public import YearTransitionPublic  # noqa: PLC0415

        d = dict(src_dict)
        lab_id = UUID(d.pop("lab_id"))

        year = d.pop("year")

        state = YearState(d.pop("state"))

        version = d.pop("version")

        def _parse_signed(data: object) -> None | SignedFigures:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                signed_type_0 = SignedFigures.from_dict(data)

                return signed_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SignedFigures, data)

        signed = _parse_signed(d.pop("signed"))

        history = []
        _history = d.pop("history")
        for history_item_data in _history:
            history_item = YearTransitionPublic.from_dict(history_item_data)

            history.append(history_item)

        year_status_public = cls(
            lab_id=lab_id,
            year=year,
            state=state,
            version=version,
            signed=signed,
            history=history,
        )

        year_status_public.additional_properties = d
        return year_status_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
