"""How scripts/build-factor-library reads ADEME's factors from the Nos Gestes Climat package."""

import base64
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from scripts import ngc_factors
from scripts.ngc_factors import RULES, Factor, Rule, SourceChanged, read_factors
from tests.archives import write_tar_gz

FLIGHT = next(rule for rule in RULES if rule.rule.endswith("plus de 5000 km"))
HEAT = next(rule for rule in RULES if rule.key == "heating.ademe.district_heat")
OIL = next(rule for rule in RULES if rule.key == "heating.ademe.heating_oil")


def flight_rule(**changes: Any) -> dict[str, Any]:
    return {
        "formule": Decimal("0.15"),
        "unité": "kgCO2e/km",
        "description": "Facteur d'émission issu de la Base Empreinte (Avion passagers/>220 sièges, "
        ">5000 kms, 2023/AVEC trainées).\n",
    } | changes


def read(rules: dict[str, Any], *specs: Rule) -> tuple[list[Factor], list[str]]:
    skipped: list[str] = []
    return read_factors(rules, skipped, specs), skipped


def test_a_flight_rule_gives_its_value_year_band_and_name_as_the_rule_writes_them() -> None:
    (factor,), skipped = read({FLIGHT.rule: flight_rule()}, FLIGHT)
    assert skipped == []
    assert (factor.value, factor.year, factor.distance_min_km, factor.distance_max_km) == (
        Decimal("0.15"),
        2023,
        5000,
        None,
    )
    assert factor.name == "Avion passagers/>220 sièges, >5000 kms, 2023/AVEC trainées"
    assert (factor.key, factor.url) == ("flight.ademe.economy.from-5000km", "")
    bounded = flight_rule(
        description="Base Empreinte (Avion passagers/x, 500-1000 kms, 2021/AVEC trainées)"
    )
    (factor,), _ = read({FLIGHT.rule: bounded}, FLIGHT)
    assert (factor.key, factor.year) == ("flight.ademe.economy.500-1000km", 2021)
    assert (factor.distance_min_km, factor.distance_max_km) == (500, 1000)


def test_a_linked_rule_takes_its_link_as_the_source_url() -> None:
    rule = {
        "formule": Decimal("0.113"),
        "unité": "kgCO2e/kWh",
        "note": "Issu de l'[enquête FEDEN sur les réseaux de chaleur en France 2024]"
        "(https://fedene.fr/ressource/x/), page 4.",
    }
    (factor,), _ = read({HEAT.rule: rule}, HEAT)
    assert (factor.url, factor.year, factor.rule.scope) == (
        "https://fedene.fr/ressource/x/",
        2024,
        2,
    )


@pytest.mark.parametrize(
    "note",
    [
        "Elle est soumise à des conditions et ne peut pas être réutilisée librement.",
        "Ces données ne peuvent pas être réutilisées librement.",
        "Donnée ecoinvent (passenger car production).",
    ],
)
def test_a_rule_that_may_not_be_reused_is_left_out_and_said_so(note: str) -> None:
    factors, skipped = read({FLIGHT.rule: flight_rule(note=note)}, FLIGHT)
    assert factors == []
    assert skipped == [f"{FLIGHT.rule}: its note says it may not be reused freely"]


def test_a_rule_that_states_no_year_is_left_out_and_said_so() -> None:
    rule = {"formule": Decimal("3.24"), "unité": "kgCO2e/l", "note": "Base Empreinte (Fioul)"}
    factors, skipped = read({OIL.rule: rule}, OIL)
    assert factors == []
    assert skipped == [f"{OIL.rule} (3.24 kgCO2e/l): the rule states no year"]


@pytest.mark.parametrize(
    "rules",
    [
        {},  # the rule is gone
        {FLIGHT.rule: flight_rule(formule="moyenne des deux")},  # no longer a number
        {FLIGHT.rule: flight_rule(formule=Decimal("150"), **{"unité": "gCO2e/km"})},
        {FLIGHT.rule: flight_rule(description="Base Empreinte (Avion passagers, 2023)")},
    ],
)
def test_a_rule_that_changed_stops_the_build(rules: dict[str, Any]) -> None:
    with pytest.raises(SourceChanged):
        read(rules, FLIGHT)


def tarball(path: Path, licence: str, rules: str) -> Path:
    return write_tar_gz(
        path,
        [
            ("package/package.json", json.dumps({"license": licence})),
            ("package/LICENSE", f"{licence} License\n"),
            (ngc_factors.RULES_FILE, rules),
        ],
    )


def test_the_rules_are_read_as_exact_decimals_from_an_mit_package(tmp_path: Path) -> None:
    path = tarball(tmp_path / "ok.tgz", "MIT", '{"a": {"formule": 0.1, "b": 3}}')
    assert ngc_factors.read_rules(path) == {"a": {"formule": Decimal("0.1"), "b": Decimal(3)}}
    with pytest.raises(SourceChanged, match="MIT"):
        ngc_factors.read_rules(tarball(tmp_path / "gpl.tgz", "GPL", "{}"))


def test_a_tarball_must_match_its_pinned_sha512(tmp_path: Path) -> None:
    path = tarball(tmp_path / "p.tgz", "MIT", "{}")
    digest = base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()
    ngc_factors.check_integrity(path, f"sha512-{digest}")
    with pytest.raises(SourceChanged, match="sha512"):
        ngc_factors.check_integrity(path, f"sha512-{digest[:-4]}AAA=")
