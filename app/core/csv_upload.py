"""The parts of a CSV upload Python handles itself: the header line and the byte stream after it.

PostgreSQL's `COPY … (FORMAT csv)` parses the rows (quotes, CRLF, embedded newlines) and checks
UTF-8; here we find the delimiter and the columns (BOM, `,` or `;`, case and spaces in names),
refuse bad headers before anything is stored, and pass the rest on in chunks, never whole.
"""

import csv
import functools
from collections import Counter
from collections.abc import AsyncIterator, Callable, Collection, Sequence
from dataclasses import dataclass

import anyio

from app.core.errors import FieldError, InvalidInput, PayloadTooLarge

BOM = b"\xef\xbb\xbf"
MAX_HEADER_BYTES = 64 * 1024
DELIMITERS = (",", ";")
_TRAILING_BLANKS = b" \t\r\n"


def _file_error(message: str, *, column: str | None = None) -> InvalidInput:
    loc: list[str | int] = ["body", "file"]
    if column:
        loc.append(column)
    return InvalidInput(message, errors=[FieldError(loc=loc, msg=message, type="csv")])


@dataclass(frozen=True)
class CsvHeader:
    delimiter: str
    columns: tuple[str, ...]  # normalised names, in file order


def _split_header(line: str) -> tuple[str, list[str]]:
    """The delimiter that splits the header into the most fields, and those fields."""
    best = max(DELIMITERS, key=lambda d: len(next(csv.reader([line], delimiter=d), [])))
    return best, next(csv.reader([line], delimiter=best), [])


Required = Collection[str] | Callable[[frozenset[str]], Collection[str]]


def parse_header(line: bytes, *, known: Sequence[str], required: Required) -> CsvHeader:
    """Validate the header line (without its newline); raise InvalidInput naming what is wrong.
    `required` may depend on the columns present (a function of them)."""
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        raise _file_error("The file is not UTF-8 text (line 1).") from error
    if not text.strip():
        raise _file_error("The first line must be a header naming the columns.")
    delimiter, fields = _split_header(text.rstrip("\r"))
    columns = tuple(field.strip().lower() for field in fields)
    known_names = frozenset(known)
    unknown = [name for name in columns if name not in known_names]
    if unknown:
        raise _file_error(
            f"Unknown column(s): {', '.join(repr(name) for name in unknown)}. "
            f"Expected: {', '.join(known)}.",
            column=unknown[0],
        )
    duplicated = sorted(name for name, count in Counter(columns).items() if count > 1)
    if duplicated:
        raise _file_error(f"Column(s) named twice: {', '.join(duplicated)}.", column=duplicated[0])
    present = frozenset(columns)
    if callable(required):
        required = required(present)
    missing = [name for name in known if name in required and name not in present]
    if missing:
        raise _file_error(f"Missing required column(s): {', '.join(missing)}.", column=missing[0])
    return CsvHeader(delimiter=delimiter, columns=columns)


class CsvUpload:
    """An upload as a header and an async stream of the bytes after it.

    `read_header()` consumes the stream up to the end of the first line; `rows()` then yields the
    rest, with trailing blank lines dropped (a blank line would be a row of empty fields) and the
    total size checked against `max_bytes` as it goes.
    """

    def __init__(self, chunks: AsyncIterator[bytes], *, max_bytes: int) -> None:
        self._chunks = chunks
        self._max_bytes = max_bytes
        self._seen = 0
        self._pending = b""

    async def _next_chunk(self) -> bytes | None:
        async for chunk in self._chunks:
            self._seen += len(chunk)
            if self._seen > self._max_bytes:
                raise PayloadTooLarge(f"The file is larger than {self._max_bytes} bytes.")
            if chunk:
                return chunk
        return None

    async def read_header(self, *, known: Sequence[str], required: Required) -> CsvHeader:
        buffer = b""
        while b"\n" not in buffer and len(buffer) <= MAX_HEADER_BYTES:
            chunk = await self._next_chunk()
            if chunk is None:
                break
            buffer += chunk
        if buffer.startswith(BOM):
            buffer = buffer[len(BOM) :]
        if not buffer.strip():
            raise _file_error("The file is empty.")
        line, _, rest = buffer.partition(b"\n")
        if len(line) > MAX_HEADER_BYTES:
            raise _file_error(f"The header line is longer than {MAX_HEADER_BYTES} bytes.")
        self._pending = rest
        # Bounded by MAX_HEADER_BYTES, but still CPU work that other requests need not wait for.
        return await anyio.to_thread.run_sync(
            functools.partial(parse_header, line, known=known, required=required)
        )

    async def rows(self) -> AsyncIterator[bytes]:
        """The bytes after the header, in chunks; blanks at the very end are dropped. Blanks at
        the end of a chunk are held back until more data follows (appended, so a long run of
        them costs linear time, never a copy per chunk)."""
        held = bytearray()
        chunk: bytes | None = self._pending
        while chunk is not None:
            body = chunk.rstrip(_TRAILING_BLANKS)
            if body:
                yield bytes(held) + body if held else body
                held.clear()
            held += chunk[len(body) :]
            chunk = await self._next_chunk()
