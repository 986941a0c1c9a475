"""Reports as CSV (one tidy table: section, key, value), for spreadsheets and scripts."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from app.models.base import plain_decimal
from app.models.report import InstitutionReport, LabReport

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
    return _render(rows)


def institution_report_csv(report: InstitutionReport) -> str:
    rows: list[tuple[object, ...]] = [("total", report.year, report.total_kg_co2e, "", "", "")]
    rows += [("category", c.category.value, c.kg_co2e, "", "", "") for c in report.by_category]
    rows += [
        ("lab_category", f"{r.lab_code}/{r.category.value}", r.kg_co2e, "", "", "")
        for r in report.by_lab_and_category
    ]
    return _render(rows)
