"""The header and byte stream handling of CSV uploads (rows themselves are PostgreSQL's job)."""

import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from app.core import csv_upload
from app.core.csv_upload import MAX_HEADER_BYTES, CsvHeader, CsvUpload, parse_header
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


async def test_a_header_line_beyond_the_limit_is_refused_even_when_it_ends_in_the_chunk() -> None:
    # 26,000 repeated names (130 KB) arriving in one chunk with their newline: once 29 s of
    # quadratic duplicate counting on the event loop, then a 500 between 128 and 256 KiB.
    upload = CsvUpload(_chunks(b"date," * 26_000 + b"\nrow\n"), max_bytes=1_000_000)
    with pytest.raises(InvalidInput, match=f"longer than {MAX_HEADER_BYTES} bytes"):
        await upload.read_header(known=KNOWN, required=REQUIRED)


def test_every_twice_named_column_is_listed_once() -> None:
    line = b",".join([b"date", b"factor_key", b"quantity"] + [b"note", b"unit"] * 6_000)
    with pytest.raises(InvalidInput, match=r"named twice: note, unit\.$"):
        parse_header(line, known=KNOWN, required=REQUIRED)


async def test_the_header_is_checked_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[threading.Thread] = []

    def recording(line: bytes, **kwargs: Any) -> CsvHeader:
        threads.append(threading.current_thread())
        return parse_header(line, **kwargs)

    monkeypatch.setattr(csv_upload, "parse_header", recording)
    upload = CsvUpload(_chunks(b"date,factor_key,quantity\n"), max_bytes=1000)
    await upload.read_header(known=KNOWN, required=REQUIRED)
    assert len(threads) == 1
    assert threads[0] is not threading.main_thread()


async def test_a_long_run_of_blank_chunks_is_kept_inside_and_dropped_at_the_end() -> None:
    blanks = [b"\r\n" * 512] * 2_000
    upload = CsvUpload(
        _chunks(b"date,factor_key,quantity\na,b,c\n", *blanks, b"d,e,f\n", *blanks),
        max_bytes=10_000_000,
    )
    await upload.read_header(known=KNOWN, required=REQUIRED)
    assert await _read(upload) == b"a,b,c\n" + b"".join(blanks) + b"d,e,f"
