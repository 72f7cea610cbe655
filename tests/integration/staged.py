"""Reading what tests staged in the graph's outbox (graph.outbox)."""

from neo4j import AsyncDriver

from contracts.envelope import Event
from contracts.registry import decode_event
from graph.outbox import next_seq, staged_events


class Staged:
    """The events staged in the graph's outbox since `mark` (a seq). No relay runs while the
    integration tests do: the e2e processes have stopped by then."""

    def __init__(self, driver: AsyncDriver, mark: int):
        self.driver, self.mark = driver, mark

    @classmethod
    async def from_now(cls, driver: AsyncDriver) -> "Staged":
        return cls(driver, await next_seq(driver))

    async def sent(self) -> list[tuple[str, str, Event]]:
        staged = await staged_events(self.driver, after=self.mark - 1, limit=100_000)
        return [(e.topic, e.key, decode_event(e.value)) for e in staged]

    async def for_task(self, task_id: str) -> list[Event]:
        return [e for _, _, e in await self.sent() if task_of(e) == task_id]


def task_of(event: Event) -> str:
    """The task an event is about ('' for a case event)."""
    return str(getattr(getattr(event, "payload", None), "task_id", ""))
