from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope_2_basis import Scope2Basis
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.category_total import CategoryTotal
    from ..models.factor_share import FactorShare
    from ..models.headcount_figures import HeadcountFigures
    from ..models.month_total import MonthTotal
    from ..models.report_sign_off import ReportSignOff
    from ..models.rollover import Rollover
    from ..models.scope_2_basis_total import Scope2BasisTotal
    from ..models.scope_total import ScopeTotal
    from ..models.uncertainty import Uncertainty


T = TypeVar("T", bound="LabReport")


@_attrs_define
class LabReport:
    """
    Attributes:
        lab_id (UUID):
        year (int):
        total_kg_co2e (str):
        uncertainty (Uncertainty): The 95 % interval of a central value, propagated from the factors' uncertainty
            (docs/uncertainty.md): factors independent of each other, each fully correlated over its
            own entries, combined in quadrature. Entries whose factor publishes no uncertainty widen
            nothing: they are counted in `without_uncertainty_*`, so read the interval as covering the
            rest.
        entry_count (int):
        by_category (list[CategoryTotal]):
        by_scope (list[ScopeTotal]):
        scope2_headline_basis (Scope2Basis): GHG Protocol scope 2 guidance: the grid average where the energy is used,
            or what the
            organisation's contracts (certificates, supplier mix) say.
        scope2_by_basis (list[Scope2BasisTotal]): Scope 2 location-based, market-based and without a basis, in that
            order, each only when the year has entries of it
        by_month (list[MonthTotal]): Twelve months, zero where nothing was recorded
        top_factors (list[FactorShare]):
        previous_year_total_kg_co2e (str):
        change_kg_co2e (str):
        change_percent (None | str): Change against the previous year, in percent (None when it had no emissions)
        rollover (Rollover): What of a year rests on an earlier year's factor (no factor of its key for the year yet).
        sign_off (ReportSignOff): Where a report's year stands in its sign-off (details: `GET …/years/{year}/status`).
        headcount (HeadcountFigures | None | Unset): None when no headcount is recorded for the year
    """

    lab_id: UUID
    year: int
    total_kg_co2e: str
    uncertainty: Uncertainty
    entry_count: int
    by_category: list[CategoryTotal]
    by_scope: list[ScopeTotal]
    scope2_headline_basis: Scope2Basis
    scope2_by_basis: list[Scope2BasisTotal]
    by_month: list[MonthTotal]
    top_factors: list[FactorShare]
    previous_year_total_kg_co2e: str
    change_kg_co2e: str
    change_percent: None | str
    rollover: Rollover
    sign_off: ReportSignOff
    headcount: HeadcountFigures | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.headcount_figures import HeadcountFigures  # noqa: PLC0415

        lab_id = str(self.lab_id)

        year = self.year

        total_kg_co2e = self.total_kg_co2e

        uncertainty = self.uncertainty.to_dict()

        entry_count = self.entry_count

        by_category = []
        for by_category_item_data in self.by_category:
            by_category_item = by_category_item_data.to_dict()
            by_category.append(by_category_item)

        by_scope = []
        for by_scope_item_data in self.by_scope:
            by_scope_item = by_scope_item_data.to_dict()
            by_scope.append(by_scope_item)

        scope2_headline_basis = self.scope2_headline_basis.value

        scope2_by_basis = []
        for scope2_by_basis_item_data in self.scope2_by_basis:
            scope2_by_basis_item = scope2_by_basis_item_data.to_dict()
            scope2_by_basis.append(scope2_by_basis_item)

        by_month = []
        for by_month_item_data in self.by_month:
            by_month_item = by_month_item_data.to_dict()
            by_month.append(by_month_item)

        top_factors = []
        for top_factors_item_data in self.top_factors:
            top_factors_item = top_factors_item_data.to_dict()
            top_factors.append(top_factors_item)

        previous_year_total_kg_co2e = self.previous_year_total_kg_co2e

        change_kg_co2e = self.change_kg_co2e

        change_percent: None | str
        change_percent = self.change_percent

        rollover = self.rollover.to_dict()

        sign_off = self.sign_off.to_dict()

        headcount: dict[str, Any] | None | Unset
        if isinstance(self.headcount, Unset):
            headcount = UNSET
        elif isinstance(self.headcount, HeadcountFigures):
            headcount = self.headcount.to_dict()
        else:
            headcount = self.headcount

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lab_id": lab_id,
                "year": year,
                "total_kg_co2e": total_kg_co2e,
                "uncertainty": uncertainty,
                "entry_count": entry_count,
                "by_category": by_category,
                "by_scope": by_scope,
                "scope2_headline_basis": scope2_headline_basis,
                "scope2_by_basis": scope2_by_basis,
                "by_month": by_month,
                "top_factors": top_factors,
                "previous_year_total_kg_co2e": previous_year_total_kg_co2e,
                "change_kg_co2e": change_kg_co2e,
                "change_percent": change_percent,
                "rollover": rollover,
                "sign_off": sign_off,
            }
        )
        if headcount is not UNSET:
            field_dict["headcount"] = headcount

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.category_total import CategoryTotal  # noqa: PLC0415
        from ..models.factor_share import FactorShare  # noqa: PLC0415
        from ..models.headcount_figures import HeadcountFigures  # noqa: PLC0415
        from ..models.month_total import MonthTotal  # noqa: PLC0415
        from ..models.report_sign_off import ReportSignOff  # noqa: PLC0415
        from ..models.rollover import Rollover  # noqa: PLC0415
        from ..models.scope_2_basis_total import Scope2BasisTotal  # noqa: PLC0415
        from ..models.scope_total import ScopeTotal  # noqa: PLC0415
        from ..models.uncertainty import Uncertainty  # noqa: PLC0415

        d = dict(src_dict)
        lab_id = UUID(d.pop("lab_id"))

        year = d.pop("year")

        total_kg_co2e = d.pop("total_kg_co2e")

        uncertainty = Uncertainty.from_dict(d.pop("uncertainty"))

        entry_count = d.pop("entry_count")

        by_category = []
        _by_category = d.pop("by_category")
        for by_category_item_data in _by_category:
            by_category_item = CategoryTotal.from_dict(by_category_item_data)

            by_category.append(by_category_item)

        by_scope = []
        _by_scope = d.pop("by_scope")
        for by_scope_item_data in _by_scope:
            by_scope_item = ScopeTotal.from_dict(by_scope_item_data)

            by_scope.append(by_scope_item)

        scope2_headline_basis = Scope2Basis(d.pop("scope2_headline_basis"))

        scope2_by_basis = []
        _scope2_by_basis = d.pop("scope2_by_basis")
        for scope2_by_basis_item_data in _scope2_by_basis:
            scope2_by_basis_item = Scope2BasisTotal.from_dict(scope2_by_basis_item_data)

            scope2_by_basis.append(scope2_by_basis_item)

        by_month = []
        _by_month = d.pop("by_month")
        for by_month_item_data in _by_month:
            by_month_item = MonthTotal.from_dict(by_month_item_data)

            by_month.append(by_month_item)

        top_factors = []
        _top_factors = d.pop("top_factors")
        for top_factors_item_data in _top_factors:
            top_factors_item = FactorShare.from_dict(top_factors_item_data)

            top_factors.append(top_factors_item)

        previous_year_total_kg_co2e = d.pop("previous_year_total_kg_co2e")

        change_kg_co2e = d.pop("change_kg_co2e")

        def _parse_change_percent(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        change_percent = _parse_change_percent(d.pop("change_percent"))

        rollover = Rollover.from_dict(d.pop("rollover"))

        sign_off = ReportSignOff.from_dict(d.pop("sign_off"))

        def _parse_headcount(data: object) -> HeadcountFigures | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                headcount_type_0 = HeadcountFigures.from_dict(data)

                return headcount_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(HeadcountFigures | None | Unset, data)

        headcount = _parse_headcount(d.pop("headcount", UNSET))

        lab_report = cls(
            lab_id=lab_id,
            year=year,
            total_kg_co2e=total_kg_co2e,
            uncertainty=uncertainty,
            entry_count=entry_count,
            by_category=by_category,
            by_scope=by_scope,
            scope2_headline_basis=scope2_headline_basis,
            scope2_by_basis=scope2_by_basis,
            by_month=by_month,
            top_factors=top_factors,
            previous_year_total_kg_co2e=previous_year_total_kg_co2e,
            change_kg_co2e=change_kg_co2e,
            change_percent=change_percent,
            rollover=rollover,
            sign_off=sign_off,
            headcount=headcount,
        )

        lab_report.additional_properties = d
        return lab_report

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
