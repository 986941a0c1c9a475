"""Activity imports, the `activities` job's work: the staged rows of a lab's CSV (staged by
`imports.upload_activities`) become entries, all or nothing.

One transaction validates every row in SQL, inserts the valid ones in batches (progress is
published between batches in side transactions), and records the job's end; a crash, a lost lease
or a cancellation rolls all of it back.
"""

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar
from uuid import UUID, uuid4

import pydantic_core
from pydantic import TypeAdapter, ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.core.errors import InvalidInput
from app.db.statements import SessionReads
from app.models.entry import EntryCreate, EquipmentEntryCreate, NewEntry, TypedEntryCreate
from app.models.job import MAX_ROW_ERRORS, DataIngestionJob, ErrorPolicy, JobState
from app.models.staging import ACTIVITY_COLUMNS, activity_computed
from app.repositories import activity_import as activity_import_repository
from app.repositories import bulk_load as bulk_load_repository
from app.repositories import factor as factor_repository
from app.repositories import lab as lab_repository
from app.repositories import rollup as rollup_repository
from app.repositories import staging as staging_repository
from app.repositories.activity_import import Batch, Computed, ImportScope, TypedRow
from app.services import activities, job_lifecycle
from app.services import audit as audit_service
from app.services import signoff as signoff_service
from app.services.job_lifecycle import JobHandle

_A = TypeVar("_A")
_B = TypeVar("_B")

BATCH_ROWS = 100_000  # progress (a side transaction) is published after each
# The batches start small and grow by a tenth up to BATCH_ROWS: the job's transaction waits
# only for the first one's check; each later batch is checked while the one before is moved,
# and a check takes about 0.9 of a move of as many rows (two busy backends on two cores), so a
# batch more than a tenth larger than the one before would keep the move waiting for its check.
FIRST_BATCH_ROWS = 10_000
# Insert without a foreign-key trigger call per row where the role may (see bulk_load); the
# job locks the referenced rows itself. Off only in tests of the slower path.
SKIP_TRIGGERS = True


@dataclass(frozen=True)
class _ActivityJob:
    """The plain values the import works with (a rollback expires ORM objects)."""

    scope: ImportScope  # what its statements check the rows against
    rows_total: int
    fail_on_error: bool


@dataclass
class _Counts:
    processed: int = 0
    inserted: int = 0
    factor_ids: set[UUID] = field(default_factory=set)
    # The rollup's sums of the inserted entries, for when their inserts skip its trigger.
    sums: dict[rollup_repository.Key, rollup_repository.Sums] = field(
        default_factory=lambda: defaultdict(rollup_repository.Sums)
    )

    @property
    def rejected(self) -> int:
        return self.processed - self.inserted

    def add(self, batch: Batch) -> None:
        self.processed += batch.rows
        self.inserted += batch.inserted
        self.factor_ids |= batch.factor_ids
        for key, batch_sums in batch.sums.items():
            total = self.sums[key]
            total.entries += batch_sums.entries
            total.quantity += batch_sums.quantity
            total.kg_co2e += batch_sums.kg_co2e


def _batches(
    bounds: tuple[int, int] | None, rows: int, *, first_rows: int | None = None
) -> list[tuple[int, int]]:
    """Inclusive seq ranges covering `bounds`, of at most `rows` rows; with `first_rows`, the
    first of that many and each next at most a tenth larger than the one before (see
    FIRST_BATCH_ROWS)."""
    if bounds is None:
        return []
    low, last = bounds
    size = min(first_rows or rows, rows)
    batches = []
    while low <= last:
        batches.append((low, min(low + size - 1, last)))
        low += size
        size = min(rows, size + (size + 9) // 10)
    return batches


async def import_activities(job_handle: JobHandle, session: AsyncSession) -> None:
    """Turn the held job's staged rows into entries; the job's end, its event and the removal of
    its staged rows commit with them."""
    job = await job_handle.held_job(session)
    # Plain values: a rollback below expires the ORM objects.
    job_id, lab_id, rows_total = job.id, job.lab_id, job.rows_total
    created_by, fail_on_error = job.created_by, job.on_error is ErrorPolicy.FAIL
    await session.commit()  # release the row lock: progress updates need it
    if lab_id is None:
        return  # the lab was deleted meanwhile; its jobs went with it
    typed = await activity_import_repository.has_typed_rows(session, job_id=job_id)
    # Until commit, factor values cannot change under the rows this job computes.
    await factor_repository.lock_values_shared(session)
    parents = await activity_import_repository.lock_parents(
        session, lab_id=lab_id, job_id=job_id, created_by=created_by
    )
    if parents.lab is None:
        return  # the lab was deleted meanwhile; its jobs went with it
    locked_years = await signoff_service.hold_for_import(session, lab_id=lab_id)
    scope = ImportScope(
        job_id,
        lab_id,
        parents.lab.region,
        parents.created_by,
        window=settings.FACTOR_ROLLOVER_YEARS,  # when the job started
        locked_years=locked_years,  # signed off (sign-off): their rows are refused
        typed=typed,  # some rows are typed activities (computed by _compute_typed_rows)
    )
    work = _ActivityJob(scope, rows_total, fail_on_error)
    counts = await _insert(job_handle, session, work)
    job = await _end(job_handle, session, work, counts)
    await audit_service.record_import_end(session, job)
    await job_lifecycle.publish(session, job)
    await session.commit()  # its staged rows go after it (job_lifecycle.discard_staged_of_ended)


# Typed rows computed at a time (bounded memory). The first batch waits for the first chunk and
# the last chunk's insert follows it: 10,000 rather than 20,000 took 0.2-0.3 s off 100,000
# flights (8.7-9.5 s) and 40 MiB off the API's peak memory (scripts/bench-import, 2026-12-05).
TYPED_CHUNK_ROWS = 10_000
_NEW_ENTRY: TypeAdapter[NewEntry] = TypeAdapter(NewEntry)
_INTEGERS = frozenset({"travellers", "lifetime_years"})
_TRUE = frozenset({"true", "yes", "y", "1"})
_BOOLEAN = _TRUE | frozenset({"false", "no", "n", "0"})
_LOWER, _UPPER = (
    frozenset({"kind", "cabin_class", "assessment"}),
    frozenset({"origin", "destination", "currency"}),
)


def _input_of(columns: tuple[str | None, ...]) -> dict[str, Any]:
    """A typed row's CSV text as the API's body would be: blank cells left out (their default
    applies), codes in their case, `travellers` and `lifetime_years` as integers, `round_trip`
    as a boolean."""
    data: dict[str, Any] = {}
    for name, text in zip(ACTIVITY_COLUMNS, columns, strict=True):
        if not text:
            continue
        value = text.strip()
        if not value:
            continue
        if name in _LOWER:
            data[name] = value.lower()
        elif name in _UPPER:
            data[name] = value.upper()
        elif name in _INTEGERS and value.isdigit():
            data[name] = int(value)
        elif name == "round_trip" and value.lower() in _BOOLEAN:
            data[name] = value.lower() in _TRUE
        else:
            data[name] = text if name == "note" else value
    return data


def _parse(row: TypedRow) -> TypedEntryCreate | Computed:
    """A typed row validated as the API validates a body, or its first problem."""
    try:
        data = _NEW_ENTRY.validate_python(_input_of(row.columns))
    except ValidationError as error:
        first = error.errors()[0]
        fields = [part for part in first["loc"][1:] if isinstance(part, str)]
        if first["type"] == "union_tag_invalid":
            return Computed(
                row.seq,
                problem_column="kind",
                problem_message=activity_import_repository.KIND_MESSAGE,
            )
        return Computed(
            row.seq, problem_column=fields[0] if fields else "kind", problem_message=first["msg"]
        )
    if isinstance(data, EntryCreate):  # not reached: the query selects typed kinds only
        raise TypeError("a plain row among the typed ones")
    return data


def _json(activity: dict[str, Any]) -> str:
    """An activity as JSON text (pydantic-core's encoder: half the time of the standard
    library's for an import of flights; enums as their values)."""
    return pydantic_core.to_json(activity).decode()


def _compute(row_seq: int, data: TypedEntryCreate, factors: activities.Factors) -> list[Computed]:
    """A typed row's entries (an equipment's: one per year of its lifetime), or its problem."""
    try:
        resolved = activities.compute(data, factors)
    except InvalidInput as error:
        column = str(error.errors[0].loc[-1]) if error.errors else "kind"
        return [Computed(row_seq, problem_column=column, problem_message=error.detail)]
    key, unit = resolved.factor.key, resolved.factor.unit
    if not isinstance(data, EquipmentEntryCreate):
        quantity = format(resolved.quantity, "f")
        return [Computed(row_seq, 0, None, key, quantity, unit, _json(resolved.activity))]
    return [
        Computed(
            row_seq,
            part,
            None if part == 0 else year.on,
            key,
            format(year.share, "f"),
            unit,
            _json(year.activity),
        )
        for part, year in enumerate(activities.lifetime(data, resolved, uuid4()))
    ]


def _parse_all(rows: list[TypedRow]) -> list[tuple[int, TypedEntryCreate | Computed]]:
    return [(row.seq, _parse(row)) for row in rows]


def _compute_all(
    parsed: list[tuple[int, TypedEntryCreate | Computed]], factors: activities.Factors
) -> list[Computed]:
    computed: list[Computed] = []
    for seq, item in parsed:
        if isinstance(item, Computed):
            computed.append(item)
        else:
            computed.extend(_compute(seq, item, factors))
    return computed


class _ComputedChunk(NamedTuple):
    data: bytes  # its rows as COPY text (activity_import_repository.computed_copy_data)
    last_seq: int


def _compute_chunk(
    job_id: UUID, parsed: list[tuple[int, TypedEntryCreate | Computed]], factors: activities.Factors
) -> _ComputedChunk:
    rows = _compute_all(parsed, factors)
    return _ComputedChunk(activity_import_repository.computed_copy_data(job_id, rows), rows[-1].seq)


async def _both(cpu: Coroutine[Any, Any, _A], database: Coroutine[Any, Any, _B]) -> tuple[_A, _B]:
    """Run a computation off the event loop while the job's connection does other work (the
    database's CPU is another core's); a failure of either cancels the other."""
    async with _tasks() as group:
        first, second = group.create_task(cpu), group.create_task(database)
    return first.result(), second.result()


@asynccontextmanager
async def _tasks() -> AsyncIterator[asyncio.TaskGroup]:
    """A task group whose failure is raised as the failed task's own exception, not as a group:
    the job's runner tells JobCancelled and LeaseLost from other errors."""
    try:
        async with asyncio.TaskGroup() as group:
            yield group
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None


async def _nothing() -> None:
    return None


ALL_COMPUTED = 2**63 - 1  # a seq past every row: the computation has ended


async def _compute_typed_rows(
    job_handle: JobHandle, *, job_id: UUID, lab_id: UUID, computed: asyncio.Queue[int]
) -> None:
    """Compute the typed rows (flights, purchases, refrigerants) as the API would, a chunk at a
    time, each chunk committed in a session of its own while the job's transaction inserts the
    rows before it: after each commit, the seq up to which every typed row is computed is put in
    `computed` (ALL_COMPUTED at the end, also when the lab is gone). Parsed and computed off the
    event loop, the factors they need read in a few queries. Each row then carries its factor
    key, quantity, unit and activity into the set-based checks and insert like a plain row, or
    its problem into the row errors; committed, they outlive the rollback of a failed import,
    whose report reads them. The insert finds each key's factor again under the values lock, its
    unit checked, as the API does.

    Pipelined: while a chunk is parsed, the next one is read; while it is computed, the one
    before is stored and committed. The connection does one thing at a time, in that order."""
    try:
        async with job_handle.side_session() as session:
            await _compute_in(session, job_id=job_id, lab_id=lab_id, computed=computed)
    finally:
        computed.put_nowait(ALL_COMPUTED)


async def _compute_in(
    session: AsyncSession, *, job_id: UUID, lab_id: UUID, computed: asyncio.Queue[int]
) -> None:
    lab = await lab_repository.get(session, lab_id)
    if lab is None:
        return  # deleted meanwhile: the import ends with it
    # An earlier attempt of the job (its lease lost) may have computed some: computed anew.
    await staging_repository.delete_rows(session, table=activity_computed, job_id=job_id)
    await session.commit()
    region = lab.region
    window = settings.FACTOR_ROLLOVER_YEARS
    reads = SessionReads(session)

    async def chunk_after(seq: int) -> list[TypedRow]:
        return await activity_import_repository.typed_rows(
            session, job_id=job_id, after=seq, limit=TYPED_CHUNK_ROWS
        )

    async def store(chunk: _ComputedChunk) -> None:
        await activity_import_repository.record_computed(session, job_id=job_id, data=chunk.data)
        await session.commit()
        computed.put_nowait(chunk.last_seq)

    rows = await chunk_after(0)
    pending: _ComputedChunk | None = None  # the chunk before, stored while this one is computed
    while rows:
        parsed, next_rows = await _both(
            asyncio.to_thread(_parse_all, rows),
            chunk_after(rows[-1].seq) if len(rows) == TYPED_CHUNK_ROWS else _no_rows(),
        )
        factors = await activities.gather(
            reads,
            region=region,
            window=window,
            activities=[item for _, item in parsed if not isinstance(item, Computed)],
        )
        chunk, _ = await _both(
            asyncio.to_thread(_compute_chunk, job_id, parsed, factors),
            store(pending) if pending else _nothing(),
        )
        pending, rows = chunk, next_rows
    if pending:
        await store(pending)


async def _no_rows() -> list[TypedRow]:
    return []


async def _insert(job_handle: JobHandle, session: AsyncSession, work: _ActivityJob) -> _Counts:
    """Insert the valid staged rows in batches; a job with typed rows computes them meanwhile,
    in a session of its own, and each batch waits until its rows are computed."""
    if not work.scope.typed:
        return await _insert_batches(job_handle, session, work, computed=None)
    computed: asyncio.Queue[int] = asyncio.Queue()
    async with _tasks() as group:  # a failure of either cancels the other
        group.create_task(
            _compute_typed_rows(
                job_handle, job_id=work.scope.job_id, lab_id=work.scope.lab_id, computed=computed
            )
        )
        inserting = group.create_task(_insert_batches(job_handle, session, work, computed))
    return inserting.result()


async def _insert_batches(
    job_handle: JobHandle,
    session: AsyncSession,
    work: _ActivityJob,
    computed: asyncio.Queue[int] | None,
) -> _Counts:
    """Insert the valid staged rows in batches, publishing progress after each; stop at the
    first batch with a bad row when the policy fails the job on one. `computed`: the seqs up to
    which typed rows are computed (None: the job has none).

    Where the inserts skip triggers (see bulk_load), they skip the report rollup's insert
    trigger too: the job adds the sums its batches computed to the rollup itself, once, at the
    end (one upsert instead of an aggregation of each batch's inserted rows)."""
    counts = _Counts()
    bounds = await activity_import_repository.seq_range(session, job_id=work.scope.job_id)
    connection = await session.connection()
    async with bulk_load_repository.triggers_skipped(connection, wanted=SKIP_TRIGGERS) as skipped:
        if computed is None:
            whole = await _move_checked_batches(job_handle, session, work, bounds, counts)
        else:
            whole = await _insert_typed_batches(job_handle, session, work, bounds, computed, counts)
        if skipped and whole:  # the rollup's insert trigger did not fire: what it owes
            await rollup_repository.add(session, lab_id=work.scope.lab_id, sums=counts.sums)
    return counts


def _stops(work: _ActivityJob, batch: Batch) -> bool:
    """Whether the job stops at this batch: a bad row when the policy fails the job on one
    (`_end` then checks every row, and rolls back)."""
    return bool(batch.rejected and work.fail_on_error)


async def _move_checked_batches(
    job_handle: JobHandle,
    session: AsyncSession,
    work: _ActivityJob,
    bounds: tuple[int, int] | None,
    counts: _Counts,
) -> bool:
    """A plain job's batches, pipelined on two connections: a side session checks each batch
    and stores its entries (`_check_batches`) while the job's transaction moves the batch
    before it into activity_entry, so the checks run on another core than the writes. False
    when it stopped at a bad row."""
    batches = _batches(bounds, BATCH_ROWS, first_rows=FIRST_BATCH_ROWS)
    checked: asyncio.Queue[Batch] = asyncio.Queue(maxsize=1)  # a batch ahead, at most
    moved: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
    async with _tasks() as group:
        checking = group.create_task(
            _check_batches(job_handle, work, batches, checked=checked, moved=moved)
        )
        for _ in batches:
            batch = await checked.get()
            entries = await activity_import_repository.move_batch(session, work.scope, batch)
            if entries != batch.entries:
                raise RuntimeError(f"checked {batch.entries} entries, moved {entries}")
            moved.put_nowait(batch.seqs)
            counts.add(batch)
            if _stops(work, batch):
                checking.cancel()
                return False
            await job_handle.report_progress(rows_processed=counts.processed)
    return True


async def _insert_typed_batches(
    job_handle: JobHandle,
    session: AsyncSession,
    work: _ActivityJob,
    bounds: tuple[int, int] | None,
    computed: asyncio.Queue[int],
    counts: _Counts,
) -> bool:
    """A typed job's batches, checked and inserted by the job's transaction as their rows are
    computed (the computation in the API process is what bounds such a job: a side session
    checking on the database's side would take CPU from it). False when it stopped at a bad
    row."""
    id_prefix = activity_import_repository.entry_id_prefix()
    await bulk_load_repository.plan_for_bulk(await session.connection())
    computed_up_to = 0
    for seqs in _batches(bounds, TYPED_CHUNK_ROWS):  # as the typed rows are computed
        while computed_up_to < seqs[1]:
            computed_up_to = await computed.get()
        batch = await activity_import_repository.insert_typed_batch(
            session, work.scope, id_prefix=id_prefix, seqs=seqs
        )
        counts.add(batch)
        if _stops(work, batch):
            return False
        await job_handle.report_progress(rows_processed=counts.processed)
    return True


async def _check_batches(
    job_handle: JobHandle,
    work: _ActivityJob,
    batches: list[tuple[int, int]],
    *,
    checked: asyncio.Queue[Batch],
    moved: asyncio.Queue[tuple[int, int]],
) -> None:
    """Check each batch in a side session, each committed, its entries stored for the job's
    transaction to move (put in `checked`), and forget the batches that transaction has moved
    (put in `moved` once its statement has ended: a rollback of the job means a retry, which
    checks the rows again). What is left at the end goes with the job's staged rows."""
    id_prefix = activity_import_repository.entry_id_prefix()
    async with job_handle.side_session() as side:
        # An earlier attempt of the job (its lease lost) may have checked some.
        await activity_import_repository.forget_checked(side, job_id=work.scope.job_id)
        await side.commit()
        for seqs in batches:
            batch = await activity_import_repository.check_batch(
                side, work.scope, id_prefix=id_prefix, seqs=seqs
            )
            await side.commit()
            await checked.put(batch)
            while not moved.empty():
                await activity_import_repository.forget_checked(
                    side, job_id=work.scope.job_id, seqs=moved.get_nowait()
                )
                await side.commit()


async def _lost(session: AsyncSession, work: _ActivityJob, counts: _Counts) -> str | None:
    """Why the inserted rows cannot be kept although none was refused by the policy, if so."""
    if counts.processed != work.rows_total:
        return (
            f"Only {counts.processed} of the {work.rows_total} uploaded rows were found "
            "(lost by the database?); nothing was imported. Upload the file again."
        )
    if not await activity_import_repository.lock_factors(session, frozenset(counts.factor_ids)):
        return (
            "An emission factor this import uses was deleted while it ran; nothing was "
            "imported. Upload the file again."
        )
    return None


async def _end(
    job_handle: JobHandle, session: AsyncSession, work: _ActivityJob, counts: _Counts
) -> DataIngestionJob:
    """Record how the import ended (a failure rolls back what was inserted); return the job."""
    invalid = bool(counts.rejected and work.fail_on_error)
    failure = None if invalid else await _lost(session, work, counts)
    if failure is not None:
        await session.rollback()
        job = await job_handle.held_job(session)
        job_lifecycle.finish(job, JobState.FAILED, message=failure)
    elif invalid:
        # Only now is every row checked, to report what is wrong (nothing is written).
        await session.rollback()  # which also ended the transaction's planner settings
        await bulk_load_repository.plan_for_bulk(await session.connection())
        problems = await activity_import_repository.find_problems(
            session, work.scope, cap=MAX_ROW_ERRORS
        )
        job = await job_handle.held_job(session)
        job_lifecycle.fail_for_invalid_rows(job, problems, rows_total=work.rows_total)
    else:
        problems = (
            await activity_import_repository.find_problems(session, work.scope, cap=MAX_ROW_ERRORS)
            if counts.rejected
            else staging_repository.NO_PROBLEMS
        )
        job = await job_handle.held_job(session)
        job_lifecycle.succeed_import(
            job,
            problems,
            message=f"Imported {counts.inserted} rows"
            + (f"; skipped {counts.rejected} invalid rows." if counts.rejected else "."),
            rows_processed=counts.processed,
            rows_ok=counts.inserted,
            rows_failed=counts.rejected,
        )
    return job
