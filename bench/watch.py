"""Watch output topics from their current end and note when each report's events appear."""

import asyncio
import contextlib
import time
from collections import Counter

from aiokafka import AIOKafkaConsumer, TopicPartition

from bench.system import partitions
from contracts import topics

CASE_TYPES = frozenset({"CaseOpened", "ReportLinkedToCase"})
TASK_TYPES = frozenset({"TaskAssigned", "TaskUpdated"})
TASK_TOPICS = tuple(topics.AGENCY_TASKS.values())
_CID = b'"correlation_id":"'
_TYPE = b'"event_type":"'


def _field(value: bytes, marker: bytes) -> str | None:
    """A string field of compact JSON, without parsing the whole event (cheap on our CPU)."""
    at = value.find(marker)
    if at < 0:
        return None
    start = at + len(marker)
    end = value.find(b'"', start)
    return value[start:end].decode() if end > start else None


class Watch:
    """First case event and first task event per correlation id, as record timestamps (s).

    The record timestamp is the producing worker's CreateTime: when the event was emitted,
    independent of how soon this (CPU-sharing) benchmark process gets to read it.
    """

    def __init__(self, bootstrap: str):
        self.bootstrap = bootstrap
        self.consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap,
            group_id=None,
            enable_auto_commit=False,
            # Events trickle in at a paced rate: with the default minimum of one byte the
            # broker answered every fetch at once, hundreds a second, and decoding them cost
            # this CPU-sharing process ~8 % of a core. Waiting 50 ms for 64 kB at most
            # changes no latency figure: those are record timestamps, not read times.
            fetch_max_wait_ms=50,
            fetch_min_bytes=64 * 1024,
            max_partition_fetch_bytes=4 * 1024 * 1024,
        )
        self.case: dict[str, float] = {}
        self.task: dict[str, float] = {}
        self.seen_at: dict[str, float] = {}  # wall time this process read the case event
        self.events = 0
        self.tracked: dict[str, str] = {}  # report id -> phase
        self.completed: Counter[str] = Counter()  # per phase: reports with their case event
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        wanted = [topics.CASE_EVENTS, *TASK_TOPICS]
        known = await asyncio.to_thread(partitions, self.bootstrap, wanted)
        missing = sorted(topic for topic in wanted if not known[topic])
        if missing:
            raise RuntimeError(f"topics missing (is the system provisioned?): {missing}")
        parts = [TopicPartition(topic, p) for topic in wanted for p in known[topic]]
        await self.consumer.start()
        self.consumer.assign(parts)
        await self.consumer.seek_to_end(*parts)
        for tp in parts:  # resolve the lazy seek now, before anything is produced
            await self.consumer.position(tp)
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            batches = await self.consumer.getmany(timeout_ms=100, max_records=5000)
            now = time.time()
            for tp, records in batches.items():
                is_case = tp.topic == topics.CASE_EVENTS
                for record in records:
                    self.events += 1
                    value = record.value or b""
                    kind = _field(value, _TYPE)
                    cid = _field(value, _CID)
                    if cid is None:
                        continue
                    at = record.timestamp / 1000
                    if is_case and kind in CASE_TYPES and cid not in self.case:
                        self.case[cid] = at
                        self.seen_at[cid] = now
                        if cid in self.tracked:
                            self.completed[self.tracked[cid]] += 1
                    elif not is_case and kind in TASK_TYPES and cid not in self.task:
                        self.task[cid] = at

    def track(self, report_id: str, phase: str) -> None:
        self.tracked[report_id] = phase
        if report_id in self.case:
            self.completed[phase] += 1

    def done(self, ids: dict[str, float]) -> int:
        """How many of these report ids have their case event."""
        return sum(1 for rid in ids if rid in self.case)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.consumer.stop()
