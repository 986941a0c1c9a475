"""Refrigerant blends for scripts/build-factor-library: their compositions as CoolProp ships
them (PyPI `coolprop`, MIT, Ian Bell and the CoolProp developers), their GWP100 computed from
globalwarmingpotentials' single gases.

CoolProp's source distribution holds `dev/mixtures/ASHRAE_predefined_2026.tsv`: for each ASHRAE
Standard 34 designation (`410A`), its components and their mass percentages
(`R-32/125 (50.0/50.0)`), "taken from" ASHRAE's refrigerant designations page "with some manual
editing to fix formatting" (the file's header, which also gives the page's address). CoolProp
itself only converts these to mole fractions (`inject_ASHRAE_2026.py`); the mass percentages are
what a blend's GWP needs. The file has the 400 series only (zeotropic blends).

A blend's GWP100 is the sum of its components' GWP100s weighted by their mass fractions (the
method of the EU F-gas Regulation's annex and of the GHG Protocol), computed exactly in Decimal.
`SPECIES` maps ASHRAE's component numbers to globalwarmingpotentials' species names; a blend with
a component that is not in `SPECIES`, or whose species has no GWP in the assessment's table, is
left out (and said so), never given a value for that component.

The sdist is fetched from PyPI's simple index (PEP 691, the index pip reads) and checked against
the pinned sha256, then read as a tar file. Not with `pip download`: for a source distribution,
pip prepares its metadata, which runs CoolProp's build backend (scikit-build-core) and the
package's own `dev/coolprop_version_provider.py`. Here no package code runs; coolprop is not a
dependency of the app.
"""

import hashlib
import json
import re
import tarfile
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, Inexact, localcontext
from pathlib import Path

from app.models.base import plain_decimal

PACKAGE = "coolprop"
VERSION = "8.0.0"
SDIST = f"{PACKAGE}-{VERSION}.tar.gz"
# The sdist's sha256 as PyPI lists it (https://pypi.org/simple/coolprop/, PEP 691 `hashes`).
SHA256 = "fb77fff0acf1623a25eb84963020b4f9d0b36d9431a8d8ae4221271effc30457"
INDEX_URL = f"https://pypi.org/simple/{PACKAGE}/"
PACKAGE_URL = f"https://pypi.org/project/CoolProp/{VERSION}/"
ROOT = f"{PACKAGE}-{VERSION}"
TABLE = f"{ROOT}/dev/mixtures/ASHRAE_predefined_2026.tsv"
TABLE_NAME = "dev/mixtures/ASHRAE_predefined_2026.tsv"
LICENCE = f"{ROOT}/LICENSE"

# ASHRAE Standard 34 number of a component -> its name in globalwarmingpotentials' tables. Only
# the package's species are here: hydrocarbons (290, 600, 600a, 601, 601a, 1270, 170), dimethyl
# ether (E170), CO2 (744), HFOs (1234yf, 1234ze(E), 1336mzz(E), 1132a, 1132(E)) and CF3I (13I1)
# have no GWP in globalwarmingpotentials 0.13.2, so a blend with one of them is left out.
SPECIES = {
    "12": "CFC12",
    "114": "CFC114",
    "22": "HCFC22",
    "23": "HFC23",
    "32": "HFC32",
    "124": "HCFC124",
    "125": "HFC125",
    "134a": "HFC134a",
    "142b": "HCFC142b",
    "143a": "HFC143a",
    "152a": "HFC152a",
    "218": "C3F8",
    "227ea": "HFC227ea",
    "236fa": "HFC236fa",
    "C318": "cC4F8",
}

# Rows the pinned file writes wrongly, each with the exact text it has and how it is read; a row
# with any other defect stops the build. 401B lacks its closing bracket (its three percentages
# add up to 100; CoolProp's own reader strips the bracket only when it is there).
REPAIRS = {
    "401B": ("R-22/152a/124 (61.0/11.0/28.0", "R-22/152a/124 (61.0/11.0/28.0)"),
}

HEADER_URL = re.compile(r"^#.*\bTaken from (?P<url>https://\S+)")
LINE = re.compile(r"(?P<designation>[0-9]{3}[A-Z]?)\t(?P<composition>.*?)\s*")
COMPOSITION = re.compile(
    r"R-(?P<components>\S.*?)\s*\((?P<percentages>[0-9]+(?:\.[0-9]+)?(?:/[0-9]+(?:\.[0-9]+)?)*)\)"
)
# ASHRAE 34 numbers: `C` for a cyclic compound, `E` for an ether, then digits and suffixes.
COMPONENT = re.compile(r"[CE]?[0-9]+[A-Za-z0-9]*(?:\([EZ]\))?")
HUNDRED = Decimal(100)


class SourceChanged(Exception):
    """The pinned sdist or its table is not what this module expects: reread it."""


@dataclass(frozen=True)
class Blend:
    designation: str  # ASHRAE's, without `R-`: `410A`
    components: tuple[tuple[str, Decimal], ...]  # (ASHRAE number, mass %), in the file's order
    repaired: bool = False  # read through REPAIRS

    @property
    def name(self) -> str:
        return f"R-{self.designation}"

    @property
    def composition(self) -> str:
        """As ASHRAE writes it: `R-32/125 (50.0/50.0)`."""
        numbers = "/".join(number for number, _ in self.components)
        percentages = "/".join(str(percent) for _, percent in self.components)
        return f"R-{numbers} ({percentages})"


@dataclass(frozen=True)
class Table:
    blends: tuple[Blend, ...]
    url: str  # the page the file's header says it was taken from
    repaired: tuple[str, ...]  # what REPAIRS changed, said in the build's output


def parse_line(line: str) -> Blend:
    """One row: `410A<TAB>R-32/125 (50.0/50.0)`. A row that does not say exactly one
    percentage per distinct component, adding up to 100, is refused (SourceChanged)."""
    matched = LINE.fullmatch(line)
    if matched is None:
        raise SourceChanged(f"not a designation, a tab and a composition: {line!r}")
    designation, text = matched["designation"], matched["composition"]
    repair = REPAIRS.get(designation)
    repaired = repair is not None and text == repair[0]
    if repair is not None and repaired:
        text = repair[1]
    composition = COMPOSITION.fullmatch(text)
    if composition is None:
        raise SourceChanged(f"R-{designation}: not `R-a/b (x/y)`: {text!r}")
    numbers = [number.strip() for number in composition["components"].split("/")]
    percentages = [Decimal(value) for value in composition["percentages"].split("/")]
    if not all(COMPONENT.fullmatch(number) for number in numbers):
        raise SourceChanged(f"R-{designation}: a component is not an ASHRAE number: {text!r}")
    if len(numbers) != len(percentages) or len(set(numbers)) != len(numbers):
        raise SourceChanged(f"R-{designation}: components and percentages differ: {text!r}")
    if sum(percentages) != HUNDRED or not all(percent > 0 for percent in percentages):
        raise SourceChanged(f"R-{designation}: the percentages do not add up to 100: {text!r}")
    return Blend(designation, tuple(zip(numbers, percentages, strict=True)), repaired)


def parse_table(text: str) -> Table:
    blends: list[Blend] = []
    url, repaired = "", []
    for line in text.splitlines():
        if line.startswith("#"):
            header = HEADER_URL.match(line)
            url = header["url"] if header else url
            continue
        if not line.strip():
            continue
        blend = parse_line(line)
        if blend.repaired:
            was, read_as = REPAIRS[blend.designation]
            repaired.append(f"{blend.name}: {was!r} read as {read_as!r} (REPAIRS)")
        blends.append(blend)
    if not url:
        raise SourceChanged(f"{TABLE_NAME}: its header no longer says where it was taken from")
    designations = [blend.designation for blend in blends]
    if len(set(designations)) != len(designations):
        raise SourceChanged(f"{TABLE_NAME}: a designation is listed twice")
    return Table(tuple(blends), url, tuple(repaired))


@dataclass(frozen=True)
class BlendGwp:
    value: Decimal
    formula: str  # `0.5 x 771 (HFC32) + 0.5 x 3740 (HFC125)`


def unmapped(blend: Blend) -> list[str]:
    """The blend's components that have no species in globalwarmingpotentials (`SPECIES`)."""
    return [f"R-{number}" for number, _ in blend.components if number not in SPECIES]


def blend_gwp(blend: Blend, gwps: Mapping[str, Decimal]) -> BlendGwp | str:
    """The mass-weighted GWP, exact; or why there is none (a component without a GWP)."""
    missing = unmapped(blend)
    if missing:
        return f"{', '.join(missing)}: no species in globalwarmingpotentials"
    no_gwp = [SPECIES[n] for n, _ in blend.components if SPECIES[n] not in gwps]
    if no_gwp:
        return f"no GWP of {', '.join(no_gwp)} in the table"
    with localcontext() as context:
        context.traps[Inexact] = True  # never rounded: a blend's value is exact or none
        value = (
            sum(
                (percent * gwps[SPECIES[number]] for number, percent in blend.components),
                Decimal(0),
            )
            / HUNDRED
        )
        terms = [
            f"{plain_decimal(percent / HUNDRED)} x {plain_decimal(gwps[species])} ({species})"
            for species, percent in ((SPECIES[n], p) for n, p in blend.components)
        ]
    return BlendGwp(value, " + ".join(terms))


def check_sha256(path: Path, expected: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != expected:
        raise SourceChanged(f"{path.name}: sha256 {digest}, pinned {expected}")


def fetch(workdir: Path) -> Path:
    """The pinned sdist, from PyPI's simple index, checked against its pinned sha256."""
    request = urllib.request.Request(
        INDEX_URL, headers={"Accept": "application/vnd.pypi.simple.v1+json"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (https, fixed)
        files = json.load(response)["files"]
    entries = [file for file in files if file["filename"] == SDIST]
    if len(entries) != 1:
        raise SourceChanged(f"PyPI lists {len(entries)} files named {SDIST}")
    entry = entries[0]
    if entry["hashes"].get("sha256") != SHA256 or not entry["url"].startswith("https://"):
        raise SourceChanged(f"PyPI lists {SDIST} with sha256 {entry['hashes']}, pinned {SHA256}")
    path = workdir / SDIST
    with urllib.request.urlopen(entry["url"], timeout=600) as response:  # noqa: S310
        path.write_bytes(response.read())
    check_sha256(path, SHA256)
    return path


def read_table(sdist: Path) -> Table:
    """The blends of the sdist's table, read as data from the tar (nothing is extracted or run),
    from an MIT-licensed CoolProp of the pinned version."""
    with tarfile.open(sdist, "r:gz") as archive:

        def text(name: str) -> str:
            member = archive.extractfile(name)
            if member is None:
                raise SourceChanged(f"{name} is not a file in {sdist.name}")
            return member.read().decode("utf-8")

        try:
            licence, info, table = text(LICENCE), text(f"{ROOT}/PKG-INFO"), text(TABLE)
        except KeyError as error:
            raise SourceChanged(f"{sdist.name} has no {error}") from None
    if not licence.startswith("MIT License") or "\nLicense: MIT\n" not in info:
        raise SourceChanged(f"{sdist.name} is no longer MIT-licensed")
    if f"\nVersion: {VERSION}\n" not in info:
        raise SourceChanged(f"{sdist.name} is not version {VERSION}")
    return parse_table(table)
