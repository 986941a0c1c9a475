"""The shipped factor library (`app/factor_library/`, built by scripts/build-factor-library):
loaded at start-up through the normal factors import, once per library version.

`load_factor_library` stages the library's CSV exactly as an upload is staged, checks its rows
with the import's own SQL, and queues an ordinary `factors` job (all or nothing; a changed value
queues the recalculation of its entries, as any import does). It records the version queued in
the same transaction, so it is idempotent: a version already queued, running or imported is
not queued again; a newer shipped version is; one whose job failed or was cancelled is queued
again at the next start. A library that is unreadable, does not match its version file, or has
a bad row raises InvalidInput naming the problem, and the caller's rollback leaves nothing
behind (no job, no staged row, no recorded version).
"""

import hashlib
import logging
import tomllib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.core.csv_upload import CsvUpload
from app.core.errors import FieldError, InvalidInput
from app.models.factor_library import FactorLibraryLoad
from app.models.job import MAX_ROW_ERRORS, DataIngestionJob, ErrorPolicy, JobKind, JobState
from app.models.staging import FACTOR_COLUMNS, FACTOR_REQUIRED, factor_staging
from app.repositories import factor_import as factor_import_repository
from app.repositories import factor_library as factor_library_repository
from app.repositories import job as job_repository
from app.repositories import staging as staging_repository
from app.services import imports as import_service

logger = logging.getLogger(__name__)

LIBRARY_DIR = Path(__file__).resolve().parents[1] / "factor_library"
VERSION_FILE = "library.toml"
CHUNK_BYTES = 256 * 1024
MAX_LIBRARY_BYTES = 64 * 1024 * 1024
_DONE_OR_UNDER_WAY = frozenset({JobState.QUEUED, JobState.RUNNING, JobState.SUCCEEDED})


@dataclass(frozen=True)
class Library:
    version: int
    csv_path: Path
    rows: int


@dataclass(frozen=True)
class LibraryLoad:
    version: int  # the shipped one
    job_id: UUID | None  # the import queued now; None: nothing to do
    message: str


def _broken(directory: Path, problem: str) -> InvalidInput:
    return InvalidInput(f"The factor library in {directory} is broken: {problem}")


def read_library(directory: Path) -> Library:
    """The library's version file, checked against its CSV (size and SHA-256)."""
    try:
        meta = tomllib.loads((directory / VERSION_FILE).read_text(encoding="utf-8"))
        version, name, rows, digest = meta["version"], meta["file"], meta["rows"], meta["sha256"]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise _broken(directory, f"{VERSION_FILE} cannot be read ({error})") from error
    except KeyError as error:
        raise _broken(directory, f"{VERSION_FILE} has no {error.args[0]}") from error
    if not (isinstance(version, int) and version >= 1 and isinstance(rows, int)):
        raise _broken(directory, f"{VERSION_FILE}: version and rows must be whole numbers")
    csv_path = directory / Path(str(name)).name
    try:
        data = csv_path.read_bytes()
    except OSError as error:
        raise _broken(directory, f"{csv_path.name} cannot be read ({error})") from error
    if hashlib.sha256(data).hexdigest() != digest:
        raise _broken(
            directory,
            f"{csv_path.name} does not match the SHA-256 in {VERSION_FILE} (edited by hand? "
            "rebuild it with scripts/build-factor-library)",
        )
    return Library(version=version, csv_path=csv_path, rows=rows)


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            yield chunk


async def _stage(session: AsyncSession, library: Library, job: DataIngestionJob) -> int:
    """COPY the library's rows under the job, with an upload's header checks."""
    upload = CsvUpload(_chunks(library.csv_path), max_bytes=MAX_LIBRARY_BYTES)
    header = await upload.read_header(known=FACTOR_COLUMNS, required=FACTOR_REQUIRED)
    return await staging_repository.copy_rows(
        session,
        job_id=job.id,
        into=staging_repository.CopyFormat(factor_staging.name, header.columns, header.delimiter),
        data=upload.rows(),
    )


async def _refuse_bad_rows(session: AsyncSession, library: Library, job_id: UUID) -> None:
    problems = await factor_import_repository.find_problems(
        session, job_id=job_id, cap=MAX_ROW_ERRORS
    )
    if problems.total:
        first = "; ".join(
            f"line {error.row}, {error.column}: {error.message}" for error in problems.errors[:5]
        )
        raise InvalidInput(
            f"The factor library {library.csv_path} has {problems.bad_rows} bad rows "
            f"({first}); nothing was loaded.",
            errors=[
                FieldError(
                    loc=[library.csv_path.name, error.row, error.column or ""],
                    msg=error.message,
                    type="invalid_row",
                )
                for error in problems.errors
            ],
        )


async def load_factor_library(
    session: AsyncSession, *, directory: Path = LIBRARY_DIR
) -> LibraryLoad:
    """Queue the import of the shipped library unless its version is already loaded (or being
    loaded); the caller commits. Raises InvalidInput for a broken library."""
    library = read_library(directory)
    await factor_library_repository.lock(session)
    latest = await factor_library_repository.latest(session)
    if latest is not None and latest.version >= library.version:
        if latest.job_state is None or latest.job_state in _DONE_OR_UNDER_WAY:
            return LibraryLoad(
                library.version, None, f"Factor library version {latest.version} is loaded."
            )
        logger.warning(
            "the import of factor library version %d ended %s; queueing it again",
            latest.version,
            latest.job_state.value,
        )
    job = DataIngestionJob(
        target_type=JobKind.FACTORS,
        filename=f"factor-library-v{library.version}.csv",
        on_error=ErrorPolicy.FAIL,
    )
    await job_repository.add(session, job=job)
    job.rows_total = await _stage(session, library, job)
    if job.rows_total != library.rows:
        raise _broken(
            directory, f"{library.rows} rows announced, {job.rows_total} in {library.csv_path}"
        )
    await _refuse_bad_rows(session, library, job.id)
    await import_service.queue(session, job)
    await factor_library_repository.add(
        session, load=FactorLibraryLoad(version=library.version, job_id=job.id)
    )
    was = "" if latest is None else f" (was version {latest.version})"
    return LibraryLoad(
        library.version,
        job.id,
        f"Factor library version {library.version}{was}: {job.rows_total} factors queued for "
        f"import (job {job.id}).",
    )
