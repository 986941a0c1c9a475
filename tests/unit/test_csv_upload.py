"""The header and byte stream handling of CSV uploads (rows themselves are PostgreSQL's job)."""

from collections.abc import AsyncIterator

import pytest

from app.core.csv_upload import CsvUpload, parse_header
from app.core.errors import InvalidInput, PayloadTooLarge

KNOWN = ("date", "factor_key", "quantity", "unit", "note")
REQUIRED = frozenset({"date", "factor_key", "quantity"})


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def _read(upload: CsvUpload) -> bytes:
    return b"".join([chunk async for chunk in upload.rows()])


@pytest.mark.parametrize(
    ("line", "delimiter", "columns"),
    [
        (b"date,factor_key,quantity", ",", ("date", "factor_key", "quantity")),
        (b" Date ; FACTOR_KEY;quantity ;Note\r", ";", ("date", "factor_key", "quantity", "note")),
        (b'"date","factor_key","quantity","unit"', ",", ("date", "factor_key", "quantity", "unit")),
        (b"quantity;date;factor_key", ";", ("quantity", "date", "factor_key")),
    ],
)
def test_header_names_are_trimmed_lowercased_and_the_delimiter_found(
    line: bytes, delimiter: str, columns: tuple[str, ...]
) -> None:
    header = parse_header(line, known=KNOWN, required=REQUIRED)
    assert (header.delimiter, header.columns) == (delimiter, columns)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b"date,factor_key,quantity,colour", "Unknown column(s): 'colour'"),
        (b"date,quantity", "Missing required column(s): factor_key"),
        (b"date,factor_key,quantity,Date", "Column(s) named twice: date"),
        (b"caf\xe9,factor_key,quantity", "not UTF-8"),
        (b"   ", "header"),
    ],
)
def test_bad_headers_are_refused_by_name(line: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_header(line, known=KNOWN, required=REQUIRED)
    assert message in str(raised.value)


async def test_the_header_may_span_chunks_and_the_bom_is_dropped() -> None:
    upload = CsvUpload(
        _chunks(b"\xef\xbb\xbfdate,fac", b"tor_key,quantity\n2025", b"-01-01,k,1\n"), max_bytes=1000
    )
    header = await upload.read_header(known=KNOWN, required=REQUIRED)
    assert header.columns == ("date", "factor_key", "quantity")
    assert await _read(upload) == b"2025-01-01,k,1"


async def test_trailing_blank_lines_are_dropped_but_inner_text_is_kept() -> None:
    upload = CsvUpload(
        _chunks(b"date,factor_key,quantity\r\na,b,c\r\n", b"\r\n", b"d,e,f \r\n\r\n  \n"),
        max_bytes=1000,
    )
    await upload.read_header(known=KNOWN, required=REQUIRED)
    assert await _read(upload) == b"a,b,c\r\n\r\nd,e,f"


async def test_an_empty_upload_is_refused() -> None:
    upload = CsvUpload(_chunks(b"", b"\n\n"), max_bytes=1000)
    with pytest.raises(InvalidInput, match="empty"):
        await upload.read_header(known=KNOWN, required=REQUIRED)


async def test_the_size_limit_is_checked_while_streaming() -> None:
    upload = CsvUpload(_chunks(b"date,factor_key,quantity\n", b"x" * 60, b"y" * 60), max_bytes=100)
    await upload.read_header(known=KNOWN, required=REQUIRED)
    with pytest.raises(PayloadTooLarge):
        await _read(upload)
