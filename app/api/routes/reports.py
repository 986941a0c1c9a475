"""Yearly emission reports, as JSON or CSV (`?format=csv` or `Accept: text/csv`)."""

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import Header, Query, Response

from app.api.csv_export import CSV_MEDIA_TYPE, institution_report_csv, lab_report_csv
from app.api.deps import CurrentPrincipal, SessionDep
from app.api.router import Router
from app.core.errors import problem_responses
from app.models.factor import FIRST_YEAR, LAST_YEAR
from app.models.report import InstitutionReport, LabReport
from app.services import reports as report_service

router = Router(prefix="/reports", tags=["reports"], responses=problem_responses(401, 403))

YearQuery = Annotated[
    int | None, Query(ge=FIRST_YEAR + 1, le=LAST_YEAR, description="Default: the current year")
]
FormatQuery = Annotated[Literal["json", "csv"] | None, Query(description="Overrides `Accept`")]
AcceptHeader = Annotated[str | None, Header(include_in_schema=False)]
_CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}},
        "headers": {
            "Content-Disposition": {
                "description": 'With CSV only: `attachment; filename="…-<year>.csv"`',
                "schema": {"type": "string"},
            }
        },
    }
}


def _wants_csv(format: str | None, accept: str | None) -> bool:
    if format is not None:
        return format == "csv"
    return accept is not None and CSV_MEDIA_TYPE in accept and "application/json" not in accept


def _csv(body: str, filename: str) -> Response:
    return Response(
        body,
        media_type=f"{CSV_MEDIA_TYPE}; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("", response_model=InstitutionReport, responses=_CSV_RESPONSE)
async def get_institution_report(
    principal: CurrentPrincipal,
    session: SessionDep,
    year: YearQuery = None,
    format: FormatQuery = None,
    accept: AcceptHeader = None,
) -> InstitutionReport | Response:
    """Emissions of every lab by category for a year (admins)."""
    chosen = year or datetime.now(UTC).year
    report = await report_service.institution_report(session, principal=principal, year=chosen)
    if _wants_csv(format, accept):
        return _csv(institution_report_csv(report), f"institution-{chosen}.csv")
    return report


@router.get(
    "/{lab_id}",
    response_model=LabReport,
    responses={**_CSV_RESPONSE, **problem_responses(404)},
)
async def get_lab_report(
    lab_id: UUID,
    principal: CurrentPrincipal,
    session: SessionDep,
    year: YearQuery = None,
    format: FormatQuery = None,
    accept: AcceptHeader = None,
) -> LabReport | Response:
    """A lab's emissions for a year: total, by category, scope and month, top factors, and the
    change against the previous year."""
    chosen = year or datetime.now(UTC).year
    report = await report_service.lab_report(
        session, principal=principal, lab_id=lab_id, year=chosen
    )
    if _wants_csv(format, accept):
        return _csv(lab_report_csv(report), f"report-{lab_id}-{chosen}.csv")
    return report
