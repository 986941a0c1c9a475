"""How scripts/build-factor-library reads refrigerant blends from CoolProp's ASHRAE table and
computes their GWP100 from globalwarmingpotentials' single gases."""

import csv
import hashlib
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import globalwarmingpotentials
import pytest

from app.models.activity import RefrigerantInput
from scripts import build_factor_library, refrigerant_blends
from scripts.build_factor_library import ASSESSMENTS, GWP_YEARS, LIBRARY_DIR, blend_rows
from scripts.refrigerant_blends import (
    Blend,
    SourceChanged,
    blend_gwp,
    parse_line,
    parse_table,
    read_table,
)
from tests.archives import write_tar_gz

HEADER = (
    "# Mixtures of refrigerants, as defined by ASHRAE \n"
    "# Taken from https://www.ashrae.org/x/designations with some manual editing\n"
)
GWPS: dict[str, Any] = globalwarmingpotentials.data
GWP_COLUMNS = [assessment.column for assessment in ASSESSMENTS]


def d(value: str) -> Decimal:
    return Decimal(value)


@pytest.mark.parametrize(
    ("line", "designation", "components"),
    [
        ("410A\tR-32/125 (50.0/50.0)", "410A", [("32", d("50.0")), ("125", d("50.0"))]),
        (  # an isomer's suffix in brackets, two spaces before the percentages
            "444B\tR-32/152a/1234ze(E)  (41.5/10.0/48.5)",
            "444B",
            [("32", d("41.5")), ("152a", d("10.0")), ("1234ze(E)", d("48.5"))],
        ),
        (  # spaces around the slashes, trailing spaces, a percentage without decimals
            "425A\tR-32 /134a /227ea (18.5/69.5/12)  ",
            "425A",
            [("32", d("18.5")), ("134a", d("69.5")), ("227ea", d("12"))],
        ),
        ("400\tR-12/114 (60.0/40.0)", "400", [("12", d("60.0")), ("114", d("40.0"))]),
    ],
)
def test_a_row_gives_its_designation_components_and_mass_percentages(
    line: str, designation: str, components: list[tuple[str, Decimal]]
) -> None:
    blend = parse_line(line)
    assert (blend.designation, list(blend.components), blend.repaired) == (
        designation,
        components,
        False,
    )


def test_the_known_malformed_row_is_repaired_explicitly_and_only_that_one() -> None:
    # CoolProp 8.0.0 writes R-401B without its closing bracket; REPAIRS names that exact text.
    blend = parse_line("401B\tR-22/152a/124 (61.0/11.0/28.0")
    assert blend.repaired
    assert blend.components == (("22", d("61.0")), ("152a", d("11.0")), ("124", d("28.0")))
    assert blend.composition == "R-22/152a/124 (61.0/11.0/28.0)"
    # Once fixed upstream, the row reads without the repair.
    assert not parse_line("401B\tR-22/152a/124 (61.0/11.0/28.0)").repaired
    # The same defect in another row, or another defect in 401B, is refused.
    for line in (
        "401C\tR-22/152a/124 (33.0/15.0/52.0",
        "401B\tR-22/152a/124 (61.0/11.0/27.0",
        "401B\tR-22/152a/124 61.0/11.0/28.0)",
    ):
        with pytest.raises(SourceChanged):
            parse_line(line)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("410A R-32/125 (50.0/50.0)", "a tab"),  # no tab
        ("R410A\tR-32/125 (50.0/50.0)", "a tab"),  # not a bare designation
        ("410A\t32/125 (50.0/50.0)", "not `R-a/b (x/y)`"),
        ("410A\tR-32/125 (50.0/50,0)", "not `R-a/b (x/y)`"),
        ("410A\tR-32/125 (50.0/-50.0)", "not `R-a/b (x/y)`"),
        ("410A\tR-32/125 (50.0/49.9)", "add up to 100"),
        ("410A\tR-32/125 (100.0/0.0)", "add up to 100"),
        ("410A\tR-32/125/134a (50.0/50.0)", "differ"),
        ("410A\tR-32/32 (50.0/50.0)", "differ"),
        ("410A\tR-32/R125 (50.0/50.0)", "not an ASHRAE number"),
        ("410A\tR-32/ (50.0/50.0)", "not an ASHRAE number"),
    ],
)
def test_a_malformed_row_is_refused(line: str, message: str) -> None:
    with pytest.raises(SourceChanged, match=re.escape(message)):
        parse_line(line)


def test_a_table_reads_its_source_page_from_its_header_and_says_what_it_repaired() -> None:
    table = parse_table(
        HEADER + "401B\tR-22/152a/124 (61.0/11.0/28.0\n\n410A\tR-32/125 (50.0/50.0)\n"
    )
    assert table.url == "https://www.ashrae.org/x/designations"
    assert [blend.name for blend in table.blends] == ["R-401B", "R-410A"]
    assert table.repaired == (
        "R-401B: 'R-22/152a/124 (61.0/11.0/28.0' read as 'R-22/152a/124 (61.0/11.0/28.0)' "
        "(REPAIRS)",
    )
    with pytest.raises(SourceChanged, match="taken from"):
        parse_table("# no source\n410A\tR-32/125 (50.0/50.0)\n")
    with pytest.raises(SourceChanged, match="twice"):
        parse_table(HEADER + "410A\tR-32/125 (50.0/50.0)\n410A\tR-32/125 (45.0/55.0)\n")


def test_a_blends_gwp_is_the_exact_mass_weighted_sum_of_its_components() -> None:
    blend = parse_line("407G\tR-32/125/134a (2.5/2.5/95.0)")
    gwps = {"HFC32": d("771"), "HFC125": d("3740"), "HFC134a": d("1530")}
    gwp = blend_gwp(blend, gwps)
    assert not isinstance(gwp, str)
    # 0.025 x 771 + 0.025 x 3740 + 0.95 x 1530 = 19.275 + 93.5 + 1453.5
    assert gwp.value == d("1566.275")
    assert gwp.formula == "0.025 x 771 (HFC32) + 0.025 x 3740 (HFC125) + 0.95 x 1530 (HFC134a)"
    # A component without a species, or a species without a GWP: no value, and why.
    assert blend_gwp(parse_line("454B\tR-32/1234yf (68.9/31.1)"), gwps) == (
        "R-1234yf: no species in globalwarmingpotentials"
    )
    assert blend_gwp(parse_line("421A\tR-125/134a (58.0/42.0)"), {"HFC125": d("3740")}) == (
        "no GWP of HFC134a in the table"
    )


def test_the_species_table_names_only_species_of_globalwarmingpotentials() -> None:
    for assessment in ASSESSMENTS:
        assert set(refrigerant_blends.SPECIES.values()) <= set(GWPS[assessment.column])


def test_blend_rows_cite_composition_formula_and_both_sources_and_leave_out_the_rest() -> None:
    table = parse_table(HEADER + "410A\tR-32/125 (50.0/50.0)\n454B\tR-32/1234yf (68.9/31.1)\n")
    gwps = {"AR5GWP100": {"HFC32": 677.0, "HFC125": 3170.0}, "AR6GWP100": {"HFC32": 771.0}}
    skipped: list[str] = []
    rows = list(blend_rows(table, gwps, skipped))
    assert skipped == [
        "AR6GWP100 blend R-410A: no GWP of HFC125 in the table",
        "blend R-454B R-32/1234yf (68.9/31.1): R-1234yf not in globalwarmingpotentials 0.13.2",
    ]
    assert [(r["key"], r["year"]) for r in rows] == [
        ("gas.ar5.R410A", str(year)) for year in GWP_YEARS
    ]
    first = rows[0]
    assert (first["kg_co2e_per_unit"], first["unit"], first["scope"], first["category"]) == (
        "1923.5",
        "kg",
        "1",
        "other",
    )
    assert first["source"] == (
        "R-410A, R-32/125 (50.0/50.0) % by mass: GWP100 = 0.5 x 677 (HFC32) + 0.5 x 3170 "
        "(HFC125) = 1923.5, IPCC AR5 (AR5GWP100, globalwarmingpotentials 0.13.2); "
        "composition: ASHRAE Standard 34 (CoolProp 8.0.0)"
    )
    assert first["source_publisher"].startswith("ASHRAE (composition, via CoolProp); IPCC")
    assert "ASHRAE_predefined_2026.tsv" in first["source_dataset"]
    assert first["source_edition"] == "CoolProp 8.0.0 (sdist); AR5; globalwarmingpotentials 0.13.2"
    assert first["source_url"] == "https://www.ashrae.org/x/designations"


def test_a_blend_named_like_a_gas_of_the_package_is_left_out_not_shadowed() -> None:
    table = parse_table(HEADER + "410A\tR-32/125 (50.0/50.0)\n")
    gwps = {column: {"HFC32": 1.0, "HFC125": 3.0, "R410A": 7.0} for column in GWP_COLUMNS}
    skipped: list[str] = []
    assert list(blend_rows(table, gwps, skipped)) == []
    assert skipped == [
        f"{column} blend R-410A: the package has a gas named R410A" for column in GWP_COLUMNS
    ]


def shipped(key: str) -> list[dict[str, str]]:
    with (LIBRARY_DIR / build_factor_library.CSV_NAME).open(newline="", encoding="utf-8") as file:
        return [row for row in csv.DictReader(file) if row["key"] == key]


@pytest.mark.parametrize(("assessment", "column"), [("ar6", "AR6GWP100"), ("ar5", "AR5GWP100")])
def test_the_shipped_r410a_is_half_hfc32_and_half_hfc125_from_the_package_itself(
    assessment: str, column: str
) -> None:
    """Independent of the build: the package's floats, read directly, and R-410A's published
    composition (ASHRAE Standard 34: R-32/125, 50/50 by mass)."""
    half = Decimal("0.5")
    expected = half * Decimal(str(GWPS[column]["HFC32"])) + half * Decimal(
        str(GWPS[column]["HFC125"])
    )
    rows = shipped(f"gas.{assessment}.R410A")
    assert sorted(int(row["year"]) for row in rows) == list(GWP_YEARS)
    assert {Decimal(row["kg_co2e_per_unit"]) for row in rows} == {expected}
    assert expected == {"ar6": Decimal("2255.5"), "ar5": Decimal("1923.5")}[assessment]


def test_blends_with_a_component_outside_the_package_are_not_shipped() -> None:
    for key in ("gas.ar6.R454B", "gas.ar6.R290", "gas.ar6.R513A", "gas.ar6.R412A"):
        assert shipped(key) == []


def sdist(path: Path, licence: str, version: str, table: str | None) -> Path:
    root = "coolprop-8.0.0"
    members = [
        (f"{root}/LICENSE", f"{licence} License\n\nCopyright\n"),
        (
            f"{root}/PKG-INFO",
            f"Metadata-Version: 2.2\nName: CoolProp\nVersion: {version}\nLicense: {licence}\n",
        ),
    ]
    if table is not None:
        members.append((f"{root}/dev/mixtures/ASHRAE_predefined_2026.tsv", table))
    return write_tar_gz(path, members)


def test_the_table_is_read_from_an_mit_sdist_of_the_pinned_version(tmp_path: Path) -> None:
    text = HEADER + "410A\tR-32/125 (50.0/50.0)\n"
    table = read_table(sdist(tmp_path / "ok.tar.gz", "MIT", "8.0.0", text))
    assert [blend.composition for blend in table.blends] == ["R-32/125 (50.0/50.0)"]
    with pytest.raises(SourceChanged, match="MIT"):
        read_table(sdist(tmp_path / "gpl.tar.gz", "GPL", "8.0.0", text))
    with pytest.raises(SourceChanged, match=re.escape("not version 8.0.0")):
        read_table(sdist(tmp_path / "new.tar.gz", "MIT", "8.0.1", text))
    with pytest.raises(SourceChanged, match="has no"):
        read_table(sdist(tmp_path / "none.tar.gz", "MIT", "8.0.0", None))


def test_an_sdist_must_match_its_pinned_sha256(tmp_path: Path) -> None:
    path = sdist(tmp_path / "p.tar.gz", "MIT", "8.0.0", HEADER)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    refrigerant_blends.check_sha256(path, digest)
    with pytest.raises(SourceChanged, match="sha256"):
        refrigerant_blends.check_sha256(path, digest[:-1] + ("0" if digest[-1] != "0" else "1"))


def test_every_shipped_blend_is_a_gas_name_a_refrigerant_entry_accepts() -> None:
    with (LIBRARY_DIR / build_factor_library.CSV_NAME).open(newline="", encoding="utf-8") as file:
        keys = {row["key"] for row in csv.DictReader(file) if row["key"].startswith("gas.")}
    blends = sorted(key for key in keys if key.split(".")[2].startswith("R"))
    assert len(blends) == 2 * 31  # 31 blends in AR5 and AR6 (CoolProp 8.0.0, gwp 0.13.2)
    for key in blends:
        _, assessment, gas = key.split(".")
        entry = RefrigerantInput.model_validate({"gas": gas, "kg": "1", "assessment": assessment})
        assert f"gas.{entry.assessment.value}.{entry.gas}" == key
    assert Blend("410A", ()).name == "R-410A"
