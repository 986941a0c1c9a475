"""The live-status hub and a socket's feed, without a database or a network: who gets which
event, and what a slow consumer costs (itself only)."""

import asyncio
import json
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import settings
from app.models.job import DataIngestionJob, ErrorPolicy, JobKind, JobState, JobStatus
from app.services import job_events as job_event_service
from app.services.job_events import (
    Audience,
    Credentials,
    Ending,
    JobEventHub,
    JobWatch,
    Subscription,
)
from app.services.job_lifecycle import EVENT_MESSAGE_CHARS, event_payload

LAB_A, LAB_B = uuid4(), uuid4()
MEMBER_OF_A = Audience(every_lab=False, lab_ids=frozenset({LAB_A}), unassigned=False)
ADMIN = Audience(every_lab=True, lab_ids=frozenset(), unassigned=True)
NOBODY = Audience(every_lab=False, lab_ids=frozenset(), unassigned=False)


def job(lab_id: UUID | None, **fields: Any) -> DataIngestionJob:
    return DataIngestionJob(
        target_type=JobKind.ACTIVITIES,
        lab_id=lab_id,
        on_error=ErrorPolicy.FAIL,
        state=JobState.RUNNING,
        **fields,
    )


def drain(subscription: Subscription) -> list[dict[str, Any]]:
    messages = []
    while True:
        try:
            messages.append(json.loads(subscription._queue.get_nowait().text))
        except asyncio.QueueEmpty:
            return messages


async def test_each_subscription_gets_the_events_its_audience_sees() -> None:
    hub = JobEventHub()
    events = [job(LAB_A), job(LAB_B), job(None)]
    with (
        hub.subscribe(MEMBER_OF_A) as member,
        hub.subscribe(ADMIN) as admin,
        hub.subscribe(NOBODY) as nobody,
    ):
        for event in events:
            hub.publish(event_payload(event))
        got = {name: drain(s) for name, s in (("m", member), ("a", admin), ("n", nobody))}
    assert [m["job"]["id"] for m in got["m"]] == [str(events[0].id)]
    assert [m["job"]["id"] for m in got["a"]] == [str(event.id) for event in events]
    assert got["n"] == []
    assert got["a"][0] == {
        "type": "job",
        "replay": False,
        "job": JobStatus.model_validate(events[0], from_attributes=True).model_dump(mode="json"),
    }


async def test_a_full_queue_ends_that_subscription_and_no_other() -> None:
    hub = JobEventHub(queue_size=2)
    with hub.subscribe(MEMBER_OF_A) as slow, hub.subscribe(MEMBER_OF_A) as fast:
        for number in range(5):
            hub.publish(event_payload(job(LAB_A, rows_processed=number)))
            drain(fast)
        assert slow.overflowed.is_set()
        assert not fast.overflowed.is_set()
        hub.publish(event_payload(job(LAB_A)))
        assert len(drain(fast)) == 1
        assert len(drain(slow)) == 2  # what fitted; nothing after the overflow


async def test_events_that_are_not_job_statuses_are_ignored() -> None:
    hub = JobEventHub()
    with hub.subscribe(ADMIN) as admin:
        for payload in ("", "not json", '{"id": "x"}', json.dumps({"lab_id": str(LAB_A)})):
            hub.publish(payload)
        assert drain(admin) == []


async def test_a_reconnected_listener_tells_every_socket_to_resync() -> None:
    hub = JobEventHub()
    with hub.subscribe(NOBODY) as nobody, hub.subscribe(ADMIN) as admin:
        hub.resync()
        assert drain(nobody) == drain(admin) == [{"type": "resync"}]


async def test_a_long_message_is_shortened_to_fit_a_notify_payload() -> None:
    payload = event_payload(job(LAB_A, message="\u00e9\U0001f600" * 1000))
    assert len(payload.encode()) < 8000
    message = json.loads(payload)["message"]
    assert len(message) == EVENT_MESSAGE_CHARS
    assert message.endswith("\u2026")


def _watch(hub: JobEventHub, audience: Audience) -> JobWatch:
    return JobWatch(
        hub,
        async_sessionmaker(class_=AsyncSession),  # never used: no replay, no re-check
        credentials=Credentials(bearer=None, api_key=None),
        oidc=None,
        audience=audience,
    )


async def test_a_socket_whose_client_stops_reading_is_ended_without_holding_up_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(settings, "WS_INITIAL_HOURS", 0)
    hub = JobEventHub(queue_size=3)
    stuck = asyncio.Event()
    sent: list[str] = []

    async def send_then_block(text: str) -> None:
        sent.append(text)
        if len(sent) > 1:  # `ready` goes out, then the client stops reading
            stuck.set()
            await asyncio.Event().wait()

    healthy: list[str] = []
    healthy_got_all = asyncio.Event()

    async def send(text: str) -> None:
        healthy.append(text)
        if len(healthy) == 1 + 11:  # `ready`, then every event
            healthy_got_all.set()

    slow_run = asyncio.create_task(_watch(hub, MEMBER_OF_A).run(send_then_block))
    healthy_run = asyncio.create_task(_watch(hub, MEMBER_OF_A).run(send))
    await asyncio.sleep(0.01)
    hub.publish(event_payload(job(LAB_A)))
    await stuck.wait()
    for _ in range(10):
        hub.publish(event_payload(job(LAB_A)))
        await asyncio.sleep(0)
    assert await asyncio.wait_for(slow_run, 5) is Ending.TOO_SLOW
    await asyncio.wait_for(healthy_got_all.wait(), 5)
    healthy_run.cancel()
    await asyncio.gather(healthy_run, return_exceptions=True)


async def test_live_events_already_replayed_are_not_sent_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    replayed = JobStatus.model_validate(job(LAB_A), from_attributes=True)
    later = replayed.updated_at + timedelta(seconds=1)
    newer = replayed.model_copy(update={"state": JobState.SUCCEEDED, "updated_at": later})

    async def recent_jobs(*_: object, **__: object) -> list[JobStatus]:
        return [replayed]

    monkeypatch.setattr(job_event_service, "recent_jobs", recent_jobs)
    hub = JobEventHub()
    sent: list[dict[str, Any]] = []

    async def send(text: str) -> None:
        sent.append(json.loads(text))

    run = asyncio.create_task(_watch(hub, MEMBER_OF_A).run(send))
    await asyncio.sleep(0.01)
    hub.publish(replayed.model_dump_json())  # committed before the replay read it
    hub.publish(newer.model_dump_json())
    await asyncio.sleep(0.01)
    run.cancel()
    await asyncio.gather(run, return_exceptions=True)
    assert [(m["type"], m.get("replay"), m.get("job", {}).get("state")) for m in sent] == [
        ("job", True, "running"),
        ("ready", None, None),
        ("job", False, "succeeded"),
    ]
