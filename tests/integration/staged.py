"""Reading what tests staged in the graph's outbox (graph.outbox)."""

from neo4j import AsyncDriver

from contracts.envelope import Event
from contracts.registry import decode_event
from graph.outbox import next_seq, staged_events

RELAY_PASSES = "MATCH (lock:OutboxCounter {name: 'relay'}) RETURN lock.taken AS taken"


async def relay_passes(driver: AsyncDriver) -> int:
    """How many relay passes have committed, ever (each takes the relay lock)."""
    records, _, _ = await driver.execute_query(RELAY_PASSES)
    return int(records[0]["taken"])


READ_AT_MOST = 100_000


class Staged:
    """The events staged in the graph's outbox since `mark` (a seq).

    A relay would publish and delete them: the e2e processes have stopped before the
    integration tests run, and `make test` stops those of `make run`. A relay pass that
    commits meanwhile anyway fails the read, so that an assertion that nothing was staged
    cannot pass because something was staged and published."""

    def __init__(self, driver: AsyncDriver, mark: int, passes: int):
        self.driver, self.mark, self.passes = driver, mark, passes

    @classmethod
    async def from_now(cls, driver: AsyncDriver) -> "Staged":
        return cls(driver, await next_seq(driver), await relay_passes(driver))

    async def sent(self, relayed_here: bool = False) -> list[tuple[str, str, Event]]:
        """`relayed_here`: the test ran the relay itself since the mark."""
        if not relayed_here:
            passes = await relay_passes(self.driver)
            assert passes == self.passes, "an outbox relay ran during the test: stop `make run`"
        staged = await staged_events(self.driver, after=self.mark - 1, limit=READ_AT_MOST + 1)
        # Not cut silently: an event past the cap would read as never staged.
        assert len(staged) <= READ_AT_MOST, "over 100,000 events staged since the mark"
        return [(e.topic, e.key, decode_event(e.value)) for e in staged]

    async def for_task(self, task_id: str) -> list[Event]:
        return [e for _, _, e in await self.sent() if task_of(e) == task_id]


def task_of(event: Event) -> str:
    """The task an event is about ('' for a case event)."""
    return str(getattr(getattr(event, "payload", None), "task_id", ""))
