"""One file field of a `multipart/form-data` body, read as a stream when the caller asks for it.

FastAPI reads and spools a form body before any dependency runs, so an upload endpoint that
declares `File(...)` receives a whole 100 MiB body before it can say 401. An upload endpoint
instead hands the raw body to `StreamedFile`; the service authenticates, authorizes and checks its
limits first, and only then `open()`s the file (reading up to the file part's headers) and reads
its `chunks()`, which go straight to PostgreSQL's COPY, never to a temporary file. Parts other
than the file field are skipped; the parser's own header limits bound each part's headers.
"""

from collections.abc import AsyncIterator

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from app.core.errors import FieldError, InvalidInput

FORM_CONTENT_TYPE = b"multipart/form-data"


def _form_error(message: str, *, field: str, kind: str = "multipart") -> InvalidInput:
    return InvalidInput(message, errors=[FieldError(loc=["body", field], msg=message, type=kind)])


def _boundary(content_type: str | None, field: str) -> bytes:
    media_type, options = parse_options_header(content_type)
    boundary = options.get(b"boundary")
    if media_type != FORM_CONTENT_TYPE or not boundary:
        raise _form_error(
            "The body must be multipart/form-data (with a boundary) holding the file.", field=field
        )
    return boundary


class StreamedFile:
    """The part named `field` of a multipart body; nothing is read before `open()`."""

    def __init__(self, body: AsyncIterator[bytes], *, content_type: str | None, field: str) -> None:
        self._body = body
        self._content_type = content_type
        self._field = field
        self._parser: MultipartParser | None = None
        self._header_name = bytearray()
        self._header_value = bytearray()
        self._disposition = b""
        self._in_file = False
        self._file_started = False
        self._file_ended = False
        self._pending: list[bytes] = []
        self.filename: str | None = None

    async def open(self) -> str | None:
        """Read the body up to the file's first bytes; return the file's name as sent. Raises
        InvalidInput when the body is not multipart or has no such field."""
        self._parser = MultipartParser(
            _boundary(self._content_type, self._field),
            {
                "on_part_begin": self._on_part_begin,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
            },
        )
        while not self._file_started:
            if not await self._feed():
                raise _form_error("Field required", field=self._field, kind="missing")
        return self.filename

    async def chunks(self) -> AsyncIterator[bytes]:
        """The file's bytes, as they arrive; the body after the file is left unread."""
        while True:
            if self._pending:
                pending, self._pending = self._pending, []
                for data in pending:
                    yield data
            if self._file_ended:
                return
            if not await self._feed():
                raise _form_error("The body ended inside the file.", field=self._field)

    async def _feed(self) -> bool:
        """Parse the next piece of the body; False at its end."""
        assert self._parser is not None, "open() first"
        chunk = await anext(self._body, None)
        try:
            if chunk is None:
                self._parser.finalize()
                return False
            if chunk:
                self._parser.write(chunk)
        except FormParserError as error:
            raise _form_error("The multipart body is malformed.", field=self._field) from error
        return True

    def _on_part_begin(self) -> None:
        self._disposition = b""

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def _on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = bytes(self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        name = options.get(b"name", b"").decode("utf-8", "replace")
        self._in_file = name == self._field and not self._file_started
        if self._in_file:
            self._file_started = True
            filename = options.get(b"filename")
            self.filename = filename.decode("utf-8", "replace") if filename is not None else None

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file and end > start:
            self._pending.append(data[start:end])

    def _on_part_end(self) -> None:
        if self._in_file:
            self._in_file = False
            self._file_ended = True
