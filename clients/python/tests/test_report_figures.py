"""The report's 95 % intervals, scope 2 by basis, per-FTE figures (a headcount CSV) and a
reduction target, typed through the generated client against a live server."""

import io
import secrets
from decimal import Decimal

from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.entries import create_entry
from co2calculator_client.api.factors import create_factor
from co2calculator_client.api.headcount import import_headcount
from co2calculator_client.api.labs import create_lab
from co2calculator_client.api.reports import get_lab_report
from co2calculator_client.api.targets import get_target_progress, replace_target
from co2calculator_client.models import (
    BodyImportHeadcount,
    EntryCreate,
    EntryPublic,
    FactorCategory,
    FactorCreate,
    FactorPublic,
    LabCreate,
    LabPublic,
    LabReport,
    ProblemDetails,
    Scope2Basis,
    TargetProgress,
    TargetPublic,
    TargetPut,
)
from co2calculator_client.types import File


def test_intervals_scope_2_bases_and_target_progress_are_typed(
    admin_client: AuthenticatedClient,
) -> None:
    tag = secrets.token_hex(4)
    grid, contract = f"test.grid{tag}", f"test.contract{tag}"
    bases = ((grid, "0.1", Scope2Basis.LOCATION), (contract, "0.02", Scope2Basis.MARKET))
    for key, kg, basis in bases:
        factor = FactorCreate(
            key=key,
            category=FactorCategory.ELECTRICITY,
            unit="kWh",
            kg_co2e_per_unit=kg,
            scope=2,
            year=2025,
            uncertainty_pct="10",
            basis=basis,
        )
        assert isinstance(create_factor.sync(client=admin_client, body=factor), FactorPublic)
    lab = create_lab.sync(
        client=admin_client, body=LabCreate(name=f"Py {tag}", code=f"PY-{tag.upper()}")
    )
    assert isinstance(lab, LabPublic)
    for key in (grid, contract):
        body = EntryCreate(date="2025-02-01", factor_key=key, quantity="1000")
        assert isinstance(create_entry.sync(lab.id, client=admin_client, body=body), EntryPublic)

    csv = b"year,category,fte\n2025,researchers,3\n2025,phd_students,1\n"
    upload = BodyImportHeadcount(file=File(payload=io.BytesIO(csv), file_name="hc.csv"))
    years = import_headcount.sync(lab.id, client=admin_client, body=upload)
    assert isinstance(years, list)
    assert [(y.year, Decimal(y.total_fte)) for y in years] == [(2025, Decimal(4))]

    report = get_lab_report.sync(lab.id, client=admin_client, year=2025)
    assert isinstance(report, LabReport)
    assert report.headcount is not None
    assert report.headcount.t_co2e_per_fte == "0.025"  # 100 kg / 1000 / 4 FTE
    assert Decimal(report.total_kg_co2e) == 100  # the location basis only
    assert report.scope2_headline_basis == Scope2Basis.LOCATION
    assert [(b.basis, b.in_headline, Decimal(b.kg_co2e)) for b in report.scope2_by_basis] == [
        (Scope2Basis.LOCATION, True, Decimal(100)),
        (Scope2Basis.MARKET, False, Decimal(20)),
    ]
    assert (Decimal(report.uncertainty.low_kg_co2e), Decimal(report.uncertainty.high_kg_co2e)) == (
        Decimal(90),
        Decimal(110),
    )

    target = TargetPut(baseline_year=2025, target_year=2030, reduction_pct="50")
    assert isinstance(replace_target.sync(lab.id, client=admin_client, body=target), TargetPublic)
    progress = get_target_progress.sync(lab.id, client=admin_client)
    assert isinstance(progress, TargetProgress)
    assert [(y.year, y.path_kg_co2e) for y in progress.years][:2] == [(2025, "100"), (2026, "90")]
    bad = TargetPut(baseline_year=2025, target_year=2025, reduction_pct="50")
    refused = replace_target.sync(lab.id, client=admin_client, body=bad)
    assert isinstance(refused, ProblemDetails)
    assert refused.status == 422
