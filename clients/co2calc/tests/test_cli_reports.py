"""`co2calc report` against a live server: the CSV matches the typed JSON report."""

import csv
import io
from decimal import Decimal
from pathlib import Path

from cli_support import MISSING, Lab, Live, co2calc, error_line, write_csv
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.factors import create_factor
from co2calculator_client.api.reports import get_lab_report
from co2calculator_client.models import FactorCategory, FactorCreate, FactorPublic, LabReport


def test_report_exports_the_csv_of_the_yearly_report(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    k = lab.factor_key
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-05,{k},4\n2025-03,{k},10\n")
    assert co2calc(live, "upload", lab.code, str(path), key=admin_key).code == 0
    output = tmp_path / "report.csv"

    to_file = co2calc(live, "report", lab.code, "--year", "2025", "-o", str(output), key=admin_key)
    to_stdout = co2calc(live, "report", str(lab.id), "--year", "2025", key=admin_key)

    assert to_file.code == 0, to_file.err
    assert f"Wrote {output}" in to_file.err
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert rows[0]["section"] == "total"
    # The same numbers as the typed JSON report of the generated client.
    typed = get_lab_report.sync(lab.id, client=admin_client, year=2025)
    assert isinstance(typed, LabReport)
    assert Decimal(rows[0]["kg_co2e"]) == Decimal(typed.total_kg_co2e) == Decimal(7)
    months = {r["key"]: Decimal(r["kg_co2e"]) for r in rows if r["section"] == "month"}
    assert months["2025-01"] == 2
    assert months["2025-03"] == 5
    assert to_stdout.code == 0, to_stdout.err
    assert to_stdout.out.replace("\r\n", "\n") == output.read_text().replace("\r\n", "\n")


def test_report_errors_are_one_line_and_write_no_file(
    live: Live, admin_key: str, lab: Lab, tmp_path: Path
) -> None:
    output = tmp_path / "report.csv"

    unknown = co2calc(live, "report", MISSING, "-o", str(output), key=admin_key)
    bad_year = co2calc(live, "report", lab.code, "--year", "1800", "-o", str(output), key=admin_key)

    assert unknown.code == 1
    assert "(404)" in error_line(unknown)
    assert bad_year.code == 1
    assert "(422)" in error_line(bad_year)
    assert "year" in error_line(bad_year)
    assert not output.exists()


def test_report_exports_the_95_percent_intervals(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    """A factor at 10 % (20 x 0.5 = 10 kg ± 1 kg) beside the lab's own, which publishes none."""
    uncertain = f"{lab.factor_key}.u10"
    factor = FactorCreate(
        key=uncertain,
        category=FactorCategory.OTHER,
        unit="kg",
        kg_co2e_per_unit="0.5",
        scope=3,
        year=2025,
        uncertainty_pct="10",
    )
    assert isinstance(create_factor.sync(client=admin_client, body=factor), FactorPublic)
    k = lab.factor_key
    body = (
        f"date,factor_key,quantity\n2025-01-05,{k},4\n2025-03,{k},10\n2025-02-01,{uncertain},20\n"
    )
    assert (
        co2calc(live, "upload", lab.code, str(write_csv(tmp_path, body)), key=admin_key).code == 0
    )

    exported = co2calc(live, "report", lab.code, "--year", "2025", key=admin_key)

    assert exported.code == 0, exported.err
    rows = {(r["section"], r["key"]): r for r in csv.DictReader(io.StringIO(exported.out))}
    assert Decimal(rows[("total", "2025")]["kg_co2e"]) == 17
    assert Decimal(rows[("low_95", "total")]["kg_co2e"]) == 16
    assert Decimal(rows[("high_95", "total")]["kg_co2e"]) == 18
    without = rows[("without_uncertainty", "total")]
    assert (Decimal(without["kg_co2e"]), without["quantity"], without["unit"]) == (
        Decimal(7),
        "2",
        "entries",
    )
    assert Decimal(rows[("high_95", "scope/3")]["kg_co2e"]) == 18
    assert ("scope2_headline_basis", "location") in rows  # no scope 2 entries: no basis rows
    assert not [key for key in rows if key[0] == "scope2_basis"]
    typed = get_lab_report.sync(lab.id, client=admin_client, year=2025)
    assert isinstance(typed, LabReport)
    assert Decimal(typed.uncertainty.low_kg_co2e) == 16
