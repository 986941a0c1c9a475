"""`co2calc upload` and `co2calc watch` against a live server: exit status, output, what is kept."""

import io
import re
import signal
import subprocess
import time
from pathlib import Path

from cli_support import (
    MISSING,
    Lab,
    Live,
    cli_environment,
    co2calc,
    command,
    entries_of,
    error_line,
    imports_of,
    imports_of_lab,
    key_of_new_member,
    write_csv,
)
from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.imports import upload_activities
from co2calculator_client.models import BodyUploadActivities, JobPublic, JobState, LabRole
from co2calculator_client.types import File


def test_upload_waits_for_the_job_and_reports_success(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    k = lab.factor_key
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{k},4\n2025-02,{k},2.5\n")

    run = co2calc(live, "upload", lab.code, str(path), key=admin_key)  # by code

    assert run.code == 0, run.err
    assert "succeeded: 2 of 2 rows imported" in run.out
    assert "Row errors" not in run.out
    assert "Importing activities.csv" in run.err  # the progress bar
    assert entries_of(admin_client, lab) == ["1.25", "2"]


def test_the_installed_command_takes_paths_from_where_it_is_run(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    write_csv(tmp_path, f"date,factor_key,quantity\n2025-04-01,{lab.factor_key},8\n")

    run = co2calc(live, "upload", lab.code, "activities.csv", key=admin_key, cwd=tmp_path)

    assert run.code == 0, run.err
    assert "succeeded: 1 of 1 rows imported" in run.out
    assert entries_of(admin_client, lab) == ["4"]


def test_ctrl_c_while_waiting_leaves_the_job_running(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    rows = 200_000  # takes the server seconds: the job is still going when Ctrl-C comes
    line = f"2025-05-01,{lab.factor_key},2\n"
    path = write_csv(tmp_path, "date,factor_key,quantity\n" + line * rows)
    process = subprocess.Popen(
        [*command(), "upload", lab.code, str(path)],
        env=cli_environment(live.base_url, admin_key),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not (jobs := imports_of_lab(admin_client, lab)):  # the upload was accepted
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the upload was not accepted"
            time.sleep(0.05)
        time.sleep(0.5)  # the command has its 202 and polls; the job has seconds to go
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    job = jobs[0]

    assert "Traceback" not in err, err
    assert process.returncode == 130, (out, err)
    assert f"stopped waiting; import {job.id} goes on on the server" in err
    assert f"co2calc watch {job.id}" in err
    assert job.state in (JobState.QUEUED, JobState.RUNNING)
    watched = co2calc(live, "watch", str(job.id), key=admin_key)  # the job went on, and ends
    assert watched.code == 0, watched.err
    assert f"succeeded: {rows} of {rows} rows imported" in watched.out


def test_a_failed_job_prints_its_row_errors_and_exits_3(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    k = lab.factor_key
    good, negative = f"2025-01-01,{k},1", f"2025-01-02,{k},-1"
    text = f"date,factor_key,quantity\n{good}\n{negative}\n2025-13-01,{k},2\n2025-01-03,nope,2\n"
    path = write_csv(tmp_path, text)

    run = co2calc(live, "upload", str(lab.id), str(path), key=admin_key)  # by id

    assert run.code == 3, run.err
    assert "Row errors (" in run.out
    table_rows = [line for line in run.out.splitlines() if line.startswith("│")]
    assert any("3" in r and "quantity" in r and "must be >= 0" in r for r in table_rows), run.out
    assert any("4" in r and "date" in r for r in table_rows), run.out
    assert any("5" in r and "factor_key" in r for r in table_rows), run.out
    assert "Row errors (3 of 3)" in run.out
    assert "failed" in error_line(run)
    assert "nothing was imported" in error_line(run)
    assert entries_of(admin_client, lab) == []  # all or nothing: the good row was not written


def test_skip_imports_the_good_rows_and_lists_the_skipped_ones(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    k = lab.factor_key
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{k},2\n2025-01-02,{k},-1\n")

    run = co2calc(live, "upload", lab.code, str(path), "--on-error", "skip", key=admin_key)

    assert run.code == 0, run.err
    assert "succeeded: 1 of 2 rows imported, 1 skipped" in run.out
    assert "must be >= 0" in run.out
    assert entries_of(admin_client, lab) == ["1"]


def test_a_file_refused_at_upload_is_one_line_and_stores_nothing(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, "date,colour\n2025-01-01,red\n")

    run = co2calc(live, "upload", lab.code, str(path), key=admin_key)

    assert run.code == 1
    line = error_line(run)
    assert "(422)" in line
    assert "Unknown column(s): 'colour'" in line
    assert imports_of(admin_client, lab) == 0


def test_upload_to_a_lab_that_does_not_exist(
    live: Live, admin_key: str, lab: Lab, tmp_path: Path
) -> None:
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{lab.factor_key},1\n")

    by_code = co2calc(live, "upload", "NO-SUCH-LAB", str(path), key=admin_key)
    by_id = co2calc(live, "upload", MISSING, str(path), key=admin_key)

    assert by_code.code == 1
    assert "no lab with the code 'NO-SUCH-LAB'" in error_line(by_code)
    assert by_id.code == 1
    assert "(404)" in error_line(by_id)


def test_a_viewer_may_not_upload(
    live: Live, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    viewer_key = key_of_new_member(live, admin_client, lab, LabRole.VIEWER)
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{lab.factor_key},1\n")

    run = co2calc(live, "upload", lab.code, str(path), key=viewer_key)

    assert run.code == 1
    assert "Forbidden (403)" in error_line(run)
    assert imports_of(admin_client, lab) == 0
    assert entries_of(admin_client, lab) == []


def test_a_rate_limited_upload_says_when_to_retry(
    live: Live, admin_client: AuthenticatedClient, lab: Lab, tmp_path: Path
) -> None:
    key = key_of_new_member(live, admin_client, lab, LabRole.CONTRIBUTOR)
    with AuthenticatedClient(
        base_url=live.base_url, token=key, prefix="", auth_header_name="X-API-Key"
    ) as contributor:
        for _ in range(30):  # IMPORT_RATE_LIMIT_PER_USER: 30/minute, refused files count too
            refused = upload_activities.sync(
                lab.id,
                client=contributor,
                body=BodyUploadActivities(file=File(payload=io.BytesIO(b"x\n"), file_name="x")),
            )
            assert getattr(refused, "status", None) == 422, refused
    path = write_csv(tmp_path, f"date,factor_key,quantity\n2025-01-01,{lab.factor_key},1\n")

    run = co2calc(live, "upload", lab.code, str(path), key=key)

    assert run.code == 1
    line = error_line(run)
    assert "Too many requests (429)" in line
    assert re.search(r"\(retry after \d+ s\)$", line), line
    assert imports_of(admin_client, lab) == 0


def test_a_missing_file_is_a_usage_error(live: Live, admin_key: str, lab: Lab) -> None:
    run = co2calc(live, "upload", lab.code, "/nonexistent/activities.csv", key=admin_key)

    assert run.code == 2
    assert "does not exist" in run.err


def test_watch_follows_an_import_started_elsewhere(
    live: Live, admin_key: str, admin_client: AuthenticatedClient, lab: Lab
) -> None:
    text = f"date,factor_key,quantity\n2025-03-01,{lab.factor_key},6\n"
    body = BodyUploadActivities(file=File(payload=io.BytesIO(text.encode()), file_name="a.csv"))
    job = upload_activities.sync(lab.id, client=admin_client, body=body)
    assert isinstance(job, JobPublic), job

    run = co2calc(live, "watch", str(job.id), key=admin_key)
    unknown = co2calc(live, "watch", MISSING, key=admin_key)

    assert run.code == 0, run.err
    assert f"Import {job.id} succeeded: 1 of 1 rows imported" in run.out
    assert unknown.code == 1
    assert "(404)" in error_line(unknown)
