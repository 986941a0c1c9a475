"""The `recalculate` job: app/services/recalculation.py does the work."""

from app.jobs.context import JobContext
from app.services import recalculation as recalculation_service


async def run_recalculate(context: JobContext) -> None:
    async with context.sessions() as session:
        await recalculation_service.recalculate(context, session)
