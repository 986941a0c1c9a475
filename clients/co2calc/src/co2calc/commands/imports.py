"""`co2calc upload` and `co2calc watch`: activity imports, waited for with a progress bar."""

from typing import Annotated
from uuid import UUID

import typer
from co2calculator_client.api.imports import upload_activities
from co2calculator_client.models import BodyUploadActivities, ErrorPolicy
from co2calculator_client.types import File

from co2calc.answers import lab_id
from co2calc.commands.options import ActivitiesCsv, LabArgument, OnErrorOption, PollOption
from co2calc.config import connect
from co2calc.jobs import finish, follow, run_job


def upload(
    ctx: typer.Context,
    lab: LabArgument,
    file: ActivitiesCsv,
    on_error: OnErrorOption = ErrorPolicy.FAIL,
    poll: PollOption = 0.5,
) -> None:
    """Upload an activities CSV to a lab and wait for the import to end."""
    with connect(ctx) as client:
        lab_uuid = lab_id(client, lab)
        with file.open("rb") as payload:
            body = BodyUploadActivities(
                file=File(payload=payload, file_name=file.name, mime_type="text/csv")
            )
            response = upload_activities.sync_detailed(
                lab_uuid, client=client, body=body, on_error=on_error
            )
        run_job(client, response, f"Importing {file.name}", poll)


def watch(
    ctx: typer.Context,
    job_id: Annotated[UUID, typer.Argument(help="The import's id.")],
    poll: PollOption = 0.5,
) -> None:
    """Follow an import that is already queued or running until it ends."""
    with connect(ctx) as client:
        follow(client, job_id, f"Import {job_id}", poll)
        finish(client, job_id)
