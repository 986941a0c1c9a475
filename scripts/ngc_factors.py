"""ADEME's emission factors as the Nos Gestes Climat model ships them (npm
`@incubateur-ademe/nosgestesclimat`, MIT, published by ADEME's incubator), for
scripts/build-factor-library.

The package's `public/co2-model.FR-lang.fr.json` holds the model's rules (publicodes), each a
name, a `formule` (a number for a factor) and notes that name the value's source, e.g.
"Facteur d'émission issu de la Base Empreinte (TGV/2022)". `RULES` lists the rules the library
takes and where in their notes the source's entry name and year are written; everything in a row
(value, year, flight band, link) is read from the rule, none typed here. A rule is left out when
- its text says it may not be reused freely (the package's README: ecoinvent-derived data, "ne
  peut pas être réutilisée librement", marked at the rules concerned), or
- it states no year (`pattern` None): the library does not guess one.
A rule that is missing, is no longer a number in the expected unit, or no longer states its
source as `pattern` expects stops the build (`SourceChanged`): a new pin needs a reread.

The tarball is fetched with `npm pack` (no package code runs, `--ignore-scripts`), checked against
the pinned sha512, and read as a tar file; JSON numbers are read as `Decimal`, exactly as written.
"""

import base64
import hashlib
import json
import re
import subprocess
import tarfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.models.factor import CabinClass, FactorCategory

PACKAGE = "@incubateur-ademe/nosgestesclimat"
VERSION = "4.10.2"
# The registry's `dist.integrity` for 4.10.2 (npm view @incubateur-ademe/nosgestesclimat@4.10.2).
INTEGRITY = (
    "sha512-shybhm8zG3ZyWTPSyDlxlCEo1u4DgDzx++MBU/B+5pDXDzEQ6Rd4uWp768n3jJ9L6Fkqpuc+oHlrrCwfRNw7QA"
    "=="
)
RULES_FILE = "package/public/co2-model.FR-lang.fr.json"
PACKAGE_URL = f"https://www.npmjs.com/package/{PACKAGE}/v/{VERSION}"

# What a rule says when its value may not be reused (README: "les données issues d'ecoinvent ne
# peuvent pas être réutilisées librement … Ces conditions sont rappelées au niveau des règles").
NOT_REUSABLE = re.compile(
    r"ne peu(?:t|vent) pas être réutilisée?s? librement|mentions-legales-base-empreinte|ecoinvent",
    re.IGNORECASE,
)
LINK = re.compile(r"\]\((https?://[!-~]+?)\)")
BASE_EMPREINTE = "Base Empreinte"


class SourceChanged(Exception):
    """The pinned package no longer says what RULES expects: reread it before rebuilding."""


@dataclass(frozen=True)
class Rule:
    rule: str  # its name in the package
    key: str  # ours (a flight's gets its band appended)
    label: str  # what it is, in English, for `source`
    category: FactorCategory
    scope: int
    unit: str  # ours
    source_unit: str  # the rule's `unité`; the value is taken as it is (all kg CO2e)
    # Finds, in the rule's notes, the source's entry name (group `name`) and its year (`year`),
    # and for a flight its band (`low` and `high`, or `above`). None: the rule states no year.
    pattern: str | None
    dataset: str = BASE_EMPREINTE
    edition: str = BASE_EMPREINTE  # followed by the year
    publisher: str = "ADEME"
    region: str | None = "FR"
    cabin_class: CabinClass | None = None
    linked: bool = False  # the rule's note links its source


@dataclass(frozen=True)
class Factor:
    rule: Rule
    value: Decimal
    year: int
    name: str  # the source's entry, as the rule names it
    url: str  # the source's link in the rule; blank when it gives none
    distance_min_km: int | None = None
    distance_max_km: int | None = None

    @property
    def key(self) -> str:
        if self.distance_min_km is None:
            return self.rule.key
        high = self.distance_max_km
        band = f"from-{self.distance_min_km}" if high is None else f"{self.distance_min_km}-{high}"
        return f"{self.rule.key}.{band}km"


_FLIGHT = (
    r"Base Empreinte \((?P<name>Avion passagers/[^,]+, (?:(?P<low>\d+)-(?P<high>\d+)|>(?P<above>"
    r"\d+)) kms, (?P<year>\d{4})/AVEC trainées)\)"
)
_AVION = "transport . avion . "
_BUS = "transport . transports commun . bus . impact par km . "
_TRAM = "transport . transports commun . métro ou tram . "
_WOOD = "logement . chauffage . bois . fe "


def _flight(rule: str) -> Rule:
    return Rule(
        _AVION + rule,
        key="flight.ademe.economy",
        label="Passenger flight, all cabins together (the source has no cabin classes), "
        "contrails included",
        category=FactorCategory.AIR_TRAVEL,
        scope=3,
        unit="pkm",
        source_unit="kgCO2e/km",
        pattern=_FLIGHT,
        region=None,  # the package applies it in all 23 of its regional models
        cabin_class=CabinClass.ECONOMY,
    )


def _passenger_km(
    rule: str, key: str, label: str, category: FactorCategory, pattern: str | None
) -> Rule:
    return Rule(rule, key, label, category, 3, "pkm", "kgCO2e/km", pattern)


def _heating(rule: str, key: str, label: str, unit: str, pattern: str | None) -> Rule:
    return Rule(rule, key, label, FactorCategory.HEATING, 1, unit, f"kgCO2e/{unit}", pattern)


RULES: tuple[Rule, ...] = (
    _flight("court courrier . empreinte par km . entre 500 et 1000 km"),
    _flight("court courrier . empreinte par km . entre 1000 et 2000 km"),
    _flight("moyen et long courrier . empreinte par km . entre 2000 et 5000 km"),
    _flight("moyen et long courrier . empreinte par km . plus de 5000 km"),
    _passenger_km(
        "transport . train . TGV",
        "rail.ademe.tgv",
        "High-speed train (TGV)",
        FactorCategory.RAIL_TRAVEL,
        r"Base Empreinte \((?P<name>TGV/(?P<year>\d{4}))\)",
    ),
    _passenger_km(
        "transport . train . intercités",
        "rail.ademe.intercites",
        "Intercity train (Intercités)",
        FactorCategory.RAIL_TRAVEL,
        r"Base Empreinte \((?P<name>Intercités/(?P<year>\d{4}))\)",
    ),
    _passenger_km(
        "transport . train . TER",
        "rail.ademe.ter",
        "Regional train (TER), average traction",
        FactorCategory.RAIL_TRAVEL,
        r"Base Empreinte \((?P<name>TER/(?P<year>\d{4})/Traction moyenne)\)",
    ),
    _passenger_km(
        _TRAM + "impact par km RER",
        "rail.ademe.rer_transilien",
        "Suburban train (RER and Transilien), Île-de-France",
        FactorCategory.RAIL_TRAVEL,
        r"Base Empreinte \((?P<name>RER et transilien/(?P<year>\d{4})/Ile de France)\)",
    ),
    _passenger_km(
        _TRAM + "impact par km métro",
        "rail.ademe.metro_tram",
        "Metro, tram and trolleybus, cities of 100,000 to 250,000 inhabitants",
        FactorCategory.RAIL_TRAVEL,
        r"Base Empreinte \((?P<name>Métro, tramway, trolleybus/(?P<year>\d{4})/[^)]+)\)",
    ),
    _passenger_km(
        _BUS + "gazole", "road.ademe.bus.diesel", "Bus, diesel", FactorCategory.ROAD_TRAVEL, None
    ),
    _passenger_km(_BUS + "gnv", "road.ademe.bus.cng", "Bus, CNG", FactorCategory.ROAD_TRAVEL, None),
    _passenger_km(
        _BUS + "électrique",
        "road.ademe.bus.electric",
        "Bus, electric",
        FactorCategory.ROAD_TRAVEL,
        None,
    ),
    _passenger_km(
        "transport . transports commun . car . impact par km",
        "road.ademe.coach.diesel",
        "Coach, diesel",
        FactorCategory.ROAD_TRAVEL,
        None,
    ),
    _heating(
        "logement . chauffage . gaz . intensité carbone",
        "heating.ademe.natural_gas",
        "Natural gas, per kWh of gross calorific value (PCS, as French gas bills count it)",
        "kWh",
        r"Base Empreinte: (?P<name>Gaz naturel - (?P<year>\d{4})/mix moyen/consommation "
        r"\(en kWh PCS\))",
    ),
    _heating(
        "logement . chauffage . empreinte propane",
        "heating.ademe.propane",
        "Propane",
        "kg",
        r"Base Empreinte - (?P<name>Propane/inclus maritime \((?P<year>\d{4})\))",
    ),
    _heating(
        "logement . chauffage . empreinte butane",
        "heating.ademe.butane",
        "Butane",
        "kg",
        r"Base Empreinte - (?P<name>Butane/inclus maritime \((?P<year>\d{4})\))",
    ),
    _heating(
        "logement . chauffage . intensité carbone fioul litre",
        "heating.ademe.heating_oil",
        "Heating oil",
        "l",
        None,
    ),
    _heating(_WOOD + "poêle bûches", "heating.ademe.wood.log_stove", "Log stove", "kWh", None),
    _heating(
        _WOOD + "chaudière bûches", "heating.ademe.wood.log_boiler", "Log boiler", "kWh", None
    ),
    _heating(
        _WOOD + "poêle granulés", "heating.ademe.wood.pellet_stove", "Pellet stove", "kWh", None
    ),
    _heating(
        _WOOD + "chaudière granulés",
        "heating.ademe.wood.pellet_boiler",
        "Pellet boiler",
        "kWh",
        None,
    ),
    Rule(
        "logement . chauffage . réseau de chaleur . intensité carbone",
        "heating.ademe.district_heat",
        "District heating, French networks' average",
        category=FactorCategory.HEATING,
        scope=2,  # purchased heat
        unit="kWh",
        source_unit="kgCO2e/kWh",
        pattern=r"\[(?P<name>enquête FEDEN sur les réseaux de chaleur en France (?P<year>\d{4}))\]",
        dataset="FEDENE, annual survey of heating and cooling networks",
        edition="FEDENE survey",
        publisher="FEDENE",
        linked=True,
    ),
)


def fetch(into: Path) -> Path:
    """The pinned tarball through npm's own client (no lifecycle script runs), checked against
    the pinned sha512."""
    subprocess.run(
        [
            "npm",
            "pack",
            "--ignore-scripts",
            "--silent",
            "--pack-destination",
            str(into),
            f"{PACKAGE}@{VERSION}",
        ],
        check=True,
        cwd=into,
        stdout=subprocess.DEVNULL,
    )
    tarballs = sorted(into.glob(f"*-{VERSION}.tgz"))
    if not tarballs:
        raise SourceChanged(f"npm did not download {PACKAGE} {VERSION}")
    check_integrity(tarballs[0], INTEGRITY)
    return tarballs[0]


def check_integrity(tarball: Path, integrity: str) -> None:
    """`integrity` as npm writes it (Subresource Integrity: `sha512-<base64 digest>`)."""
    algorithm, _, expected = integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if digest != expected:
        raise SourceChanged(f"{tarball.name} does not match the pinned {algorithm}")


def read_rules(tarball: Path) -> dict[str, Any]:
    """The rules, with numbers as Decimal exactly as written, after checking the licence."""
    with tarfile.open(tarball, "r:gz") as archive:

        def member(name: str) -> bytes:
            file = archive.extractfile(name)
            if file is None:
                raise SourceChanged(f"{name} is not a file in {tarball.name}")
            return file.read()

        manifest = json.loads(member("package/package.json"))
        licence = member("package/LICENSE").decode()
        rules: dict[str, Any] = json.loads(
            member(RULES_FILE), parse_float=Decimal, parse_int=Decimal
        )
    if manifest.get("license") != "MIT" or not licence.startswith("MIT License"):
        raise SourceChanged(f"{PACKAGE} {VERSION} is no longer under the MIT licence")
    return rules


def _text(rule: Mapping[str, Any]) -> str:
    return "\n".join(str(rule.get(field, "")) for field in ("titre", "description", "note"))


def read_factors(
    rules: Mapping[str, Any], skipped: list[str], specs: Iterable[Rule] = RULES
) -> list[Factor]:
    """The factors of `specs`, in their order; what is left out, and why, goes to `skipped`."""
    factors = []
    for spec in specs:
        rule = rules.get(spec.rule)
        if not isinstance(rule, dict):
            raise SourceChanged(f"no rule '{spec.rule}'")
        value, unit = rule.get("formule"), rule.get("unité")
        if not isinstance(value, Decimal) or unit != spec.source_unit:
            raise SourceChanged(f"'{spec.rule}' is not a number in {spec.source_unit}")
        text = _text(rule)
        if NOT_REUSABLE.search(text):
            skipped.append(f"{spec.rule}: its note says it may not be reused freely")
            continue
        if spec.pattern is None:
            skipped.append(f"{spec.rule} ({value} {unit}): the rule states no year")
            continue
        found = re.search(spec.pattern, text)
        if found is None:
            raise SourceChanged(f"'{spec.rule}' no longer names its source as expected")
        bands = found.groupdict()
        low, high = bands.get("low") or bands.get("above"), bands.get("high")
        link = LINK.search(text) if spec.linked else None
        factors.append(
            Factor(
                spec,
                value,
                int(found["year"]),
                found["name"],
                link[1] if link else "",
                None if low is None else int(low),
                None if high is None else int(high),
            )
        )
    return factors
