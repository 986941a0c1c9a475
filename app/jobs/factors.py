"""The `factors` job: app/services/factor_imports.py does the work."""

from app.jobs.context import JobContext
from app.services import factor_imports as factor_import_service


async def run_factors(context: JobContext) -> None:
    async with context.sessions() as session:
        await factor_import_service.import_factors(context, session)
