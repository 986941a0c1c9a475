"""Demo data for a first look (`scripts/run --demo`): factors for two years, labs, members and a
year or two of entries. Idempotent: what exists is left alone. Never run in production."""

import random
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.security import hash_password
from app.models.entry import ActivityEntry
from app.models.factor import EmissionFactor, FactorCategory
from app.models.lab import Lab, LabMembership, LabRole
from app.models.user import User, normalize_email
from app.repositories import entry as entry_repository
from app.repositories import factor as factor_repository
from app.repositories import lab as lab_repository
from app.repositories import user as user_repository
from app.services.entries import kg_of

DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - published demo credential, development only

C = FactorCategory
# key, category, unit, kg CO2e per unit, scope, region, source (values are indicative)
FACTORS: list[tuple[str, FactorCategory, str, str, int, str | None, str]] = [
    ("electricity.grid", C.ELECTRICITY, "kWh", "0.128", 2, "CH", "Swiss consumer mix"),
    ("electricity.grid", C.ELECTRICITY, "kWh", "0.380", 2, "DE", "German grid mix"),
    ("electricity.grid", C.ELECTRICITY, "kWh", "0.056", 2, "FR", "French grid mix"),
    ("electricity.grid", C.ELECTRICITY, "kWh", "0.250", 2, None, "European average"),
    ("electricity.green", C.ELECTRICITY, "kWh", "0.020", 2, None, "Certified renewable"),
    ("heating.gas", C.HEATING, "kWh", "0.228", 1, None, "Natural gas boiler"),
    ("heating.oil", C.HEATING, "kWh", "0.301", 1, None, "Heating oil"),
    ("heating.district", C.HEATING, "kWh", "0.095", 2, None, "District heating"),
    ("fuel.diesel", C.FUEL, "L", "2.650", 1, None, "Diesel, combustion"),
    ("fuel.petrol", C.FUEL, "L", "2.310", 1, None, "Petrol, combustion"),
    ("air.short_haul", C.AIR_TRAVEL, "km", "0.255", 3, None, "Flights < 1500 km, economy"),
    ("air.medium_haul", C.AIR_TRAVEL, "km", "0.156", 3, None, "Flights 1500-4000 km"),
    ("air.long_haul", C.AIR_TRAVEL, "km", "0.150", 3, None, "Flights > 4000 km, economy"),
    ("rail.national", C.RAIL_TRAVEL, "km", "0.007", 3, "CH", "Swiss railways"),
    ("rail.international", C.RAIL_TRAVEL, "km", "0.035", 3, None, "European rail"),
    ("road.car", C.ROAD_TRAVEL, "km", "0.186", 3, None, "Average petrol car"),
    ("road.bus", C.ROAD_TRAVEL, "km", "0.089", 3, None, "Coach"),
    (
        "purchases.lab_supplies",
        C.PURCHASES,
        "CHF",
        "0.310",
        3,
        None,
        "Spend-based, lab consumables",
    ),
    ("purchases.chemicals", C.PURCHASES, "CHF", "0.450", 3, None, "Spend-based, chemicals"),
    ("purchases.it_services", C.PURCHASES, "CHF", "0.120", 3, None, "Spend-based, IT services"),
    ("equipment.laptop", C.EQUIPMENT, "unit", "250", 3, None, "Laptop, cradle to gate"),
    ("equipment.server", C.EQUIPMENT, "unit", "1300", 3, None, "Rack server"),
    ("equipment.freezer_ult", C.EQUIPMENT, "unit", "900", 3, None, "-80 °C freezer"),
    ("waste.general", C.WASTE, "kg", "0.450", 3, None, "Incinerated municipal waste"),
    ("waste.chemical", C.WASTE, "kg", "1.200", 3, None, "Hazardous waste treatment"),
]

LABS = [
    ("Marine Biology Lab", "DEMO-MARBIO", "CH", "Plankton ecology and ocean acidification."),
    ("Quantum Optics Group", "DEMO-QOPT", "DE", "Cold atoms, lasers and cryostats."),
    ("Computational Linguistics", "DEMO-CL", None, "Language models on a GPU cluster."),
]

USERS = [
    ("manager@demo.example", "Mira Manager", LabRole.MANAGER),
    ("contributor@demo.example", "Carl Contributor", LabRole.CONTRIBUTOR),
    ("viewer@demo.example", "Vera Viewer", LabRole.VIEWER),
]

# Monthly activity per lab: factor key and a typical quantity.
ACTIVITY = [
    ("electricity.grid", 9000),
    ("heating.gas", 4000),
    ("purchases.lab_supplies", 3000),
    ("air.medium_haul", 2500),
    ("rail.international", 1200),
    ("waste.chemical", 40),
]


@dataclass
class DemoResult:
    factors_created: int = 0
    labs_created: list[str] = field(default_factory=list)
    entries_created: int = 0
    logins: list[tuple[str, str]] = field(default_factory=list)


async def load_demo_data(session: AsyncSession, *, years: tuple[int, int]) -> DemoResult:
    result = DemoResult()
    factors: dict[tuple[str, int, str | None], EmissionFactor] = {}
    for year in years:
        drift = Decimal("1.04") if year == years[0] else Decimal(1)  # grids get cleaner
        for key, category, unit, kg, scope, region, source in FACTORS:
            factor = await factor_repository.find_exact(session, key=key, year=year, region=region)
            if factor is None:
                factor = EmissionFactor(
                    key=key,
                    category=category,
                    unit=unit,
                    scope=scope,
                    region=region,
                    year=year,
                    source=source,
                    kg_co2e_per_unit=(Decimal(kg) * drift).quantize(Decimal("0.000001")),
                )
                await factor_repository.add(session, factor=factor)
                result.factors_created += 1
            factors[(key, year, region)] = factor

    users = [await _demo_user(session, email, name) for email, name, _ in USERS]
    result.logins = [(email, DEMO_PASSWORD) for email, _, _ in USERS]
    rng = random.Random(2026)  # noqa: S311 - reproducible demo quantities, not security
    for name, code, region, description in LABS:
        if await lab_repository.get_by_code(session, code=code) is not None:
            continue
        lab = await lab_repository.add(
            session,
            lab=Lab(
                name=name,
                code=code,
                region=region,
                description=description,
                institution="Demo University",
            ),
        )
        for user, (_, _, role) in zip(users, USERS, strict=True):
            await lab_repository.add_membership(
                session, membership=LabMembership(lab_id=lab.id, user_id=user.id, role=role)
            )
        result.labs_created.append(code)
        for year in years:
            for month in range(1, 13):
                for key, typical in ACTIVITY:
                    factor = factors.get((key, year, region)) or factors[(key, year, None)]
                    quantity = Decimal(typical * rng.uniform(0.6, 1.4)).quantize(Decimal("0.01"))
                    entry = ActivityEntry(
                        lab_id=lab.id,
                        factor_id=factor.id,
                        date=date(year, month, 1),
                        quantity=quantity,
                        kg_co2e=kg_of(quantity, factor),
                        note="demo",
                        created_by=users[1].id,
                    )
                    await entry_repository.add(session, entry=entry)
                    result.entries_created += 1
    return result


async def _demo_user(session: AsyncSession, email: str, name: str) -> User:
    existing = await user_repository.get_by_email(session, email=email)
    if existing is not None:
        return existing
    user = User(
        email=normalize_email(email), full_name=name, hashed_password=hash_password(DEMO_PASSWORD)
    )
    return await user_repository.add(session, user=user)
