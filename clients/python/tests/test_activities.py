"""Typed activities through the generated client: the request union on `kind`, and the response's
`activity` parsed into its own class (narrowed with isinstance)."""

import datetime
import secrets
from decimal import Decimal

from co2calculator_client import AuthenticatedClient
from co2calculator_client.api.entries import create_entry, get_entry
from co2calculator_client.api.factors import create_factor
from co2calculator_client.api.labs import create_lab
from co2calculator_client.models import (
    CabinClass,
    EntryCreate,
    EntryKind,
    EntryPublic,
    FactorCategory,
    FactorCreate,
    FlightActivity,
    FlightEntryCreate,
    LabCreate,
    LabPublic,
    ProblemDetails,
    PurchaseActivity,
    PurchaseEntryCreate,
)


def _lab(client: AuthenticatedClient, tag: str) -> LabPublic:
    lab = create_lab.sync(
        client=client, body=LabCreate(name=f"Activities {tag}", code=f"ACT-{tag.upper()}")
    )
    assert isinstance(lab, LabPublic)
    return lab


def test_a_flight_and_a_purchase_come_back_as_their_own_classes(
    admin_client: AuthenticatedClient,
) -> None:
    tag = secrets.token_hex(4)
    # A cabin class of its own for this test's band, so other runs' factors do not compete.
    key = f"flight.test{tag}"
    create_factor.sync(
        client=admin_client,
        body=FactorCreate(
            key=key,
            category=FactorCategory.AIR_TRAVEL,
            unit="pkm",
            kg_co2e_per_unit="0.125",
            scope=3,
            year=2019,
            cabin_class=CabinClass.PREMIUM_ECONOMY,
            distance_min_km=0,
        ),
    )
    spend = f"spend.test{tag}"
    create_factor.sync(
        client=admin_client,
        body=FactorCreate(
            key=spend,
            category=FactorCategory.PURCHASES,
            unit="EUR",
            kg_co2e_per_unit="0.5",
            scope=3,
            year=2019,
        ),
    )
    lab = _lab(admin_client, tag)
    flight = create_entry.sync(
        client=admin_client,
        lab_id=lab.id,
        body=FlightEntryCreate(
            kind="flight",
            date=datetime.date(2019, 6, 3),
            origin="ZRH",
            destination="CDG",
            cabin_class=CabinClass.PREMIUM_ECONOMY,
        ),
    )
    assert isinstance(flight, EntryPublic), flight
    assert flight.kind == EntryKind.FLIGHT
    assert isinstance(flight.activity, FlightActivity)
    assert flight.factor_key == key
    assert Decimal(flight.activity.distance_km) == Decimal(
        flight.activity.great_circle_km
    ) + Decimal(flight.activity.uplift_km)
    assert Decimal(flight.kg_co2e) == (Decimal(flight.quantity) * Decimal("0.125")).quantize(
        Decimal("0.000001")
    )
    purchase = create_entry.sync(
        client=admin_client,
        lab_id=lab.id,
        body=PurchaseEntryCreate(
            kind="purchase",
            date=datetime.date(2019, 6, 3),
            factor_key=spend,
            amount="100",
            currency="CHF",
        ),
    )
    assert isinstance(purchase, EntryPublic), purchase
    assert isinstance(purchase.activity, PurchaseActivity)
    assert purchase.activity.rate_date == datetime.date(2019, 6, 3)
    again = get_entry.sync(client=admin_client, entry_id=purchase.id)
    assert isinstance(again, EntryPublic)
    assert again.to_dict() == purchase.to_dict()
    plain = create_entry.sync(
        client=admin_client,
        lab_id=lab.id,
        body=EntryCreate(date=datetime.date(2019, 6, 3), factor_key=spend, quantity="2"),
    )
    assert isinstance(plain, EntryPublic)
    assert (plain.kind, plain.activity) == (EntryKind.QUANTITY, None)


def test_an_unknown_airport_is_a_typed_problem_on_its_field(
    admin_client: AuthenticatedClient,
) -> None:
    lab = _lab(admin_client, secrets.token_hex(4))
    problem = create_entry.sync(
        client=admin_client,
        lab_id=lab.id,
        body=FlightEntryCreate(
            kind="flight", date=datetime.date(2019, 6, 3), origin="QQQ", destination="CDG"
        ),
    )
    assert isinstance(problem, ProblemDetails)
    assert problem.status == 422
    assert problem.errors
    assert [error.loc for error in problem.errors] == [["body", "origin"]]
