"""A CSV upload through the generated client, waited on until its background job ends."""

import io
import secrets
import time
from uuid import UUID

import pytest
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.entries import list_lab_entries
from co2calculator_client.api.factors import create_factor, list_factors
from co2calculator_client.api.imports import (
    get_import,
    get_import_status,
    upload_activities,
    upload_factors,
)
from co2calculator_client.api.labs import create_lab
from co2calculator_client.models import (
    BodyUploadActivities,
    BodyUploadFactors,
    EntryPage,
    ErrorPolicy,
    FactorCategory,
    FactorCreate,
    FactorPage,
    JobKind,
    JobPublic,
    JobState,
    JobStatus,
    LabCreate,
    LabPublic,
    ProblemDetails,
)
from co2calculator_client.types import File


@pytest.fixture
def lab_and_key(admin_client: AuthenticatedClient) -> tuple[LabPublic, str]:
    tag = secrets.token_hex(4)
    key = f"test.upload{tag}"
    factor = FactorCreate(
        key=key,
        category=FactorCategory.OTHER,
        unit="kg",
        kg_co2e_per_unit="0.5",
        scope=3,
        year=2025,
    )
    create_factor.sync(client=admin_client, body=factor)
    lab = create_lab.sync(
        client=admin_client, body=LabCreate(name=f"Upload {tag}", code=f"UP-{tag.upper()}")
    )
    assert isinstance(lab, LabPublic)
    return lab, key


def _csv(text: str) -> BodyUploadActivities:
    return BodyUploadActivities(
        file=File(
            payload=io.BytesIO(text.encode()), file_name="activities.csv", mime_type="text/csv"
        )
    )


def test_upload_then_wait_for_the_job(
    admin_client: AuthenticatedClient, lab_and_key: tuple[LabPublic, str]
) -> None:
    lab, key = lab_and_key
    body = _csv(f"date,factor_key,quantity\n2025-01-01,{key},4\n2025-02,{key},2.5\n")
    job = upload_activities.sync(lab.id, client=admin_client, body=body)
    assert isinstance(job, JobPublic), job
    assert job.state == JobState.QUEUED
    assert job.rows_total == 2

    deadline = time.monotonic() + 30
    status = get_import_status.sync(job.id, client=admin_client)
    while isinstance(status, JobStatus) and status.state in (JobState.QUEUED, JobState.RUNNING):
        assert time.monotonic() < deadline, "the import did not end"
        time.sleep(0.1)
        status = get_import_status.sync(job.id, client=admin_client)
    assert isinstance(status, JobStatus)
    assert status.state == JobState.SUCCEEDED
    assert status.rows_ok == 2

    entries = list_lab_entries.sync(lab.id, client=admin_client)
    assert isinstance(entries, EntryPage)
    assert sorted(entry.kg_co2e for entry in entries.items) == ["1.25", "2"]
    assert {entry.import_id for entry in entries.items} == {job.id}


def test_a_bad_file_is_a_typed_problem(
    admin_client: AuthenticatedClient, lab_and_key: tuple[LabPublic, str]
) -> None:
    lab, _ = lab_and_key
    problem = upload_activities.sync(lab.id, client=admin_client, body=_csv("date,colour\n"))
    assert isinstance(problem, ProblemDetails)
    assert problem.status == 422
    assert "Unknown column(s): 'colour'" in str(problem.detail)


def test_failed_rows_are_listed_with_the_job(
    admin_client: AuthenticatedClient, lab_and_key: tuple[LabPublic, str]
) -> None:
    lab, key = lab_and_key
    job = upload_activities.sync(
        lab.id, client=admin_client, body=_csv(f"date,factor_key,quantity\n2025-01-01,{key},-1\n")
    )
    assert isinstance(job, JobPublic)
    deadline = time.monotonic() + 30
    while True:
        found = get_import.sync(job.id, client=admin_client)
        assert isinstance(found, JobPublic)
        if found.state not in (JobState.QUEUED, JobState.RUNNING):
            break
        assert time.monotonic() < deadline, "the import did not end"
        time.sleep(0.1)
    assert found.state == JobState.FAILED
    assert [(e.row, e.column, e.message) for e in found.row_errors] == [
        (2, "quantity", "must be >= 0")
    ]


def _wait(admin_client: AuthenticatedClient, job_id: UUID) -> JobPublic:
    deadline = time.monotonic() + 30
    while True:
        found = get_import.sync(job_id, client=admin_client)
        assert isinstance(found, JobPublic), found
        if found.state not in (JobState.QUEUED, JobState.RUNNING):
            return found
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.1)


def test_a_factor_import_then_wait_for_it_and_its_recalculation(
    admin_client: AuthenticatedClient, lab_and_key: tuple[LabPublic, str]
) -> None:
    lab, key = lab_and_key
    upload_activities.sync(
        lab.id, client=admin_client, body=_csv(f"date,factor_key,quantity\n2025-01-01,{key},4\n")
    )
    new_key = f"{key}.new"
    text = (
        "key,category,unit,kg_co2e_per_unit,scope,year\n"
        f"{key},other,kg,0.75,3,2025\n"  # the fixture's factor, a new value (was 0.5)
        f"{new_key},other,kg,1,3,2025\n"
    )
    body = BodyUploadFactors(
        file=File(payload=io.BytesIO(text.encode()), file_name="factors.csv", mime_type="text/csv")
    )
    job = upload_factors.sync(client=admin_client, body=body, on_error=ErrorPolicy.FAIL)
    assert isinstance(job, JobPublic), job
    assert (job.target_type, job.state, job.rows_total) == (JobKind.FACTORS, JobState.QUEUED, 2)

    ended = _wait(admin_client, job.id)
    assert ended.state == JobState.SUCCEEDED, ended.message
    assert ended.rows_ok == 2
    found = list_factors.sync(client=admin_client, search=key)
    assert isinstance(found, FactorPage)
    assert {(f.key, f.kg_co2e_per_unit) for f in found.items} == {(key, "0.75"), (new_key, "1")}
    # Reports and entries follow the new value at once (the recalculation may still be queued).
    entries = list_lab_entries.sync(lab.id, client=admin_client)
    assert isinstance(entries, EntryPage)
    assert [entry.kg_co2e for entry in entries.items] == ["3"]


def test_a_bad_factors_file_is_a_typed_problem(admin_client: AuthenticatedClient) -> None:
    body = BodyUploadFactors(
        file=File(payload=io.BytesIO(b"key,colour\n"), file_name="f.csv", mime_type="text/csv")
    )
    problem = upload_factors.sync(client=admin_client, body=body)
    assert isinstance(problem, ProblemDetails)
    assert problem.status == 422
    assert "Unknown column(s): 'colour'" in str(problem.detail)
