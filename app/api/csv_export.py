"""Reports as CSV (one tidy table: section, key, value), for spreadsheets and scripts."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from app.models.base import plain_decimal
from app.models.factor import Scope2Basis
from app.models.report import CategoryTotal, InstitutionReport, LabReport, Uncertainty

CSV_MEDIA_TYPE = "text/csv"
_HEADER = ("section", "key", "kg_co2e", "quantity", "unit", "share")


def _render(rows: Iterable[tuple[object, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_HEADER)
    for row in rows:
        writer.writerow([plain_decimal(v) if isinstance(v, Decimal) else v for v in row])
    return buffer.getvalue()


def lab_report_csv(report: LabReport) -> str:
    rows: list[tuple[object, ...]] = [("total", report.year, report.total_kg_co2e, "", "", "")]
    rows += [("category", c.category.value, c.kg_co2e, "", "", "") for c in report.by_category]
    rows += [("scope", s.scope, s.kg_co2e, "", "", "") for s in report.by_scope]
    rows += [
        ("month", f"{report.year}-{m.month:02d}", m.kg_co2e, "", "", "") for m in report.by_month
    ]
    rows += [
        ("factor", f.factor_key, f.kg_co2e, f.quantity, f.unit, f.share) for f in report.top_factors
    ]
    rows.append(("previous_year", report.year - 1, report.previous_year_total_kg_co2e, "", "", ""))
    # What rests on an earlier year's factor (year rollover): kg CO2e and, as quantity, entries.
    rollover = report.rollover
    rows.append(("rollover", report.year, rollover.kg_co2e, rollover.entries, "entries", ""))
    rows += _headcount_rows(report)
    rows += _uncertainty_rows(
        [
            ("total", report.uncertainty),
            *_category_uncertainties(report.by_category),
            *[(f"scope/{s.scope}", s.uncertainty) for s in report.by_scope],
            *[(f"scope2/{_basis(b.basis)}", b.uncertainty) for b in report.scope2_by_basis],
        ]
    )
    rows += _scope2_rows(report)
    rows += _sign_off_rows(report)
    return _render(rows)


def _basis(basis: Scope2Basis | None) -> str:
    return "none" if basis is None else basis.value


def _scope2_rows(report: LabReport) -> list[tuple[object, ...]]:
    """A `scope2_headline_basis` row (`key`: the basis the total uses) and a `scope2_basis` row
    per basis (`key`: location, market or none; `kg_co2e`; `quantity`: its entries)."""
    rows: list[tuple[object, ...]] = [
        ("scope2_headline_basis", report.scope2_headline_basis.value, "", "", "", "")
    ]
    rows += [
        ("scope2_basis", _basis(b.basis), b.kg_co2e, b.entry_count, "entries", "")
        for b in report.scope2_by_basis
    ]
    return rows


def _category_uncertainties(totals: list[CategoryTotal]) -> list[tuple[str, Uncertainty]]:
    return [(f"category/{c.category.value}", c.uncertainty) for c in totals]


def _uncertainty_rows(named: list[tuple[str, Uncertainty]]) -> list[tuple[object, ...]]:
    """`low_95` and `high_95` rows (the interval's bounds, kg CO2e) and `without_uncertainty`
    rows (kg CO2e and, as the quantity, the entries whose factor has no uncertainty), keyed
    `total`, `category/<category>` and `scope/<scope>`."""
    rows: list[tuple[object, ...]] = []
    for key, u in named:
        rows.append(("low_95", key, u.low_kg_co2e, "", "", ""))
        rows.append(("high_95", key, u.high_kg_co2e, "", "", ""))
        rows.append(
            (
                "without_uncertainty",
                key,
                u.without_uncertainty_kg_co2e,
                u.without_uncertainty_entries,
                "entries",
                "",
            )
        )
    return rows


def _sign_off_rows(report: LabReport) -> list[tuple[object, ...]]:
    """A validated year's `signed` total and `signed_difference` (the report's total minus the
    signed one, docs/sign-off.md); none for a year that is not validated."""
    signed, difference = report.sign_off.signed_total_kg_co2e, report.sign_off.difference_kg_co2e
    if signed is None or difference is None:
        return []
    return [
        ("signed", report.year, signed, "", "", ""),
        ("signed_difference", report.year, difference, "", "", ""),
    ]


def _blank(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value


def _kg(t_co2e: Decimal | None) -> Decimal | str:
    """Per-FTE figures are in t CO2e; the CSV's column is kg CO2e."""
    return "" if t_co2e is None else t_co2e * 1000


def _headcount_rows(report: LabReport) -> list[tuple[object, ...]]:
    """`fte` rows (quantity: the FTE, share: of the total FTE) and `per_fte` rows (kg CO2e per
    FTE, in total and by emission category); none without a headcount."""
    figures = report.headcount
    if figures is None:
        return []
    rows: list[tuple[object, ...]] = [
        ("fte", s.category.value, "", s.fte, "FTE", _blank(s.share))
        for s in figures.by_staff_category
    ]
    rows.append(("per_fte", "total", _kg(figures.t_co2e_per_fte), figures.total_fte, "FTE", ""))
    rows += [
        ("per_fte", c.category.value, _kg(c.t_co2e_per_fte), "", "", "")
        for c in figures.by_category
    ]
    return rows


def institution_report_csv(report: InstitutionReport) -> str:
    rows: list[tuple[object, ...]] = [("total", report.year, report.total_kg_co2e, "", "", "")]
    rows += [("category", c.category.value, c.kg_co2e, "", "", "") for c in report.by_category]
    rows += [
        ("lab_category", f"{r.lab_code}/{r.category.value}", r.kg_co2e, "", "", "")
        for r in report.by_lab_and_category
    ]
    rows += [
        ("lab_per_fte", r.lab_code, _kg(r.t_co2e_per_fte), _blank(r.total_fte), "FTE", "")
        for r in report.per_fte
    ]
    rows += _uncertainty_rows(
        [("total", report.uncertainty), *_category_uncertainties(report.by_category)]
    )
    return _render(rows)
