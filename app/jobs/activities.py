"""The `activities` job: app/services/activity_imports.py does the work."""

from app.jobs.context import JobContext
from app.services import activity_imports as activity_import_service


async def run_activities(context: JobContext) -> None:
    async with context.sessions() as session:
        await activity_import_service.import_activities(context, session)
