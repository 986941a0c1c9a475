"""Demo data: loads once, a second load adds nothing, and a demo lab has a meaningful report."""

import httpx
from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.models.entry import ActivityEntry
from app.models.factor import EmissionFactor
from app.models.lab import Lab
from app.services.demo import DEMO_PASSWORD, FACTORS, LABS, load_demo_data
from tests.factories import login


async def _counts(session: AsyncSession) -> tuple[int, int, int]:
    async def count(model: type[Lab] | type[EmissionFactor] | type[ActivityEntry]) -> int:
        return (await session.exec(select(func.count()).select_from(model))).one()

    return await count(EmissionFactor), await count(Lab), await count(ActivityEntry)


async def test_demo_data_is_idempotent_and_reports_show_it(
    client: httpx.AsyncClient, session: AsyncSession
) -> None:
    first = await load_demo_data(session, years=(2025, 2026))
    await session.commit()
    counts = await _counts(session)
    again = await load_demo_data(session, years=(2025, 2026))
    await session.commit()

    assert first.factors_created == 2 * len(FACTORS)
    assert len(first.labs_created) == len(LABS)
    assert (again.factors_created, again.labs_created, again.entries_created) == (0, [], 0)
    assert await _counts(session) == counts

    token = (await login(client, "viewer@demo.example", DEMO_PASSWORD)).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    labs = (await client.get("/api/v1/labs", headers=headers)).json()["items"]
    assert len(labs) == len(LABS)
    report = (
        await client.get(f"/api/v1/reports/{labs[0]['id']}", params={"year": 2026}, headers=headers)
    ).json()
    assert float(report["total_kg_co2e"]) > 0
    assert report["change_percent"] is not None
    assert len(report["by_category"]) >= 4
