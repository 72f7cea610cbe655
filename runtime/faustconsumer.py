"""Faust's Kafka transport, delivering a message without four asyncio tasks when it can.

Faust (faust-streaming 0.15) hands every fetched message to its streams with
`await self.wait_first(callback(message), self.suspend_flow.wait())`, so that a delivery
blocked on a full stream buffer gives way when a rebalance suspends the flow. mode's
`wait_first` wraps each of its arguments, and the service's stopped and crashed events,
in a task, waits for the first, and cancels the rest: four tasks and an `asyncio.wait` for
every message, though a delivery to a stream with room in its buffer finishes without ever
waiting. Measured with `python -m bench.consumer_overhead` (a Faust agent taking batches of
raw messages, as ours do): that was about a third of the consuming process's CPU, ~85-95 µs a
message in all, where aiokafka alone takes ~5.

Here the delivery is stepped first, in a copy of the drain loop's context (as a task of its
own would have run it): done at once, it is done (and the loop gets one turn, as it did
while the tasks ran, so the streams read what was delivered); waiting, the rest of it is
raced against the suspension and the service's stop, as before. The bench measured 84 µs a
message with Faust's own and 56 with this one (a third less); the messages, their order and
their acknowledgements are Faust's own. One thing differs: the delivery's first step runs in
the drain loop's task, not a task of its own, so a delivery that used `asyncio.timeout`,
a TaskGroup or `current_task()` would bind them to the drain loop; Faust's (0.15) do not.
tests/unit/test_faustconsumer.py checks both assumptions in Faust's source (a Faust upgrade
that changes them must be looked at) and the semantics kept.
"""

import asyncio
import contextvars
import types
from collections.abc import Coroutine, Generator, Iterable
from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka
from mode.services import WaitArgT, WaitResults
from mode.utils.times import Seconds


@types.coroutine
def _go_on(
    coro: Coroutine[Any, Any, Any], waiting_on: Any, context: contextvars.Context
) -> Generator[Any, Any, Any]:
    """Drive `coro`, which has been stepped once (in `context`) and yielded `waiting_on`, as
    `await coro` would from there: the task running this yields what it waits on, and
    passes results, exceptions and cancellation on to it. Every step runs in `context`."""
    while True:
        try:
            sent = yield waiting_on
        except GeneratorExit:
            context.run(coro.close)
            raise
        except BaseException as exc:  # noqa: BLE001 - thrown in (cancellation): pass it on
            try:
                waiting_on = context.run(coro.throw, exc)
            except StopIteration as done:
                return done.value
        else:
            try:
                waiting_on = context.run(coro.send, sent)
            except StopIteration as done:
                return done.value


async def _rest_of(
    coro: Coroutine[Any, Any, Any], waiting_on: Any, context: contextvars.Context
) -> Any:
    # mode's wait_first takes awaitables (or events); the generator above is neither to
    # isinstance, so it is awaited from a coroutine.
    return await _go_on(coro, waiting_on, context)


def _close_unstarted(coros: tuple[WaitArgT, ...]) -> None:
    # `self.suspend_flow.wait()` was made for the race that did not happen: closed, it
    # raises no "never awaited" warning.
    for coro in coros:
        if isinstance(coro, types.CoroutineType):
            coro.close()


def head_unacked(acked: list[int], in_flight: Iterable[int]) -> bool:
    """Whether a message of the partition below its lowest acknowledged offset is still in
    flight (delivered, not acknowledged): no offset past it may be committed.

    Faust (0.15) tests `min(acked) - committed > 1`, which lets exactly one offset through
    (and, with no committed offset yet, any): with the linker's three actors, a batch of one
    message still being linked while a later batch finished had its offset committed past
    it, and a crash then lost that report (a helper's bug hunt reproduced it). Judged from
    the messages in flight, not from the committed offset, so that a committed offset the
    log has dropped (a group stopped past the topics' retention) stops nothing (a review)."""
    if not acked:
        return False
    lowest = min(acked)
    return any(offset < lowest for offset in in_flight)


class Consumer(faust_aiokafka.Consumer):
    """Faust's aiokafka consumer; the delivery of a message to the streams differs, and no
    offset is committed past a message still in flight (head_unacked)."""

    def _new_offset(self, tp: Any) -> int | None:
        in_flight = (m.offset for m in list(self._unacked_messages) if m.tp == tp and not m.acked)
        if head_unacked(self._acked[tp], in_flight):
            return None
        new: int | None = super()._new_offset(tp)
        return new

    async def wait_first(self, *coros: WaitArgT, timeout: Seconds | None = None) -> WaitResults:
        # mode declares `timeout: Seconds = None`; its default is passed on by leaving it out.
        limit: dict[str, Seconds] = {} if timeout is None else {"timeout": timeout}
        first, others = (coros[0], coros[1:]) if coros else (None, ())
        stopping = self._stopped.is_set() or self._crashed.is_set()
        if not isinstance(first, types.CoroutineType) or stopping:
            return await super().wait_first(*coros, **limit)
        # A copy of the drain loop's context, as the task Faust made would have had: what the
        # delivery sets stays in it.
        context = contextvars.copy_context()
        try:
            waiting_on = context.run(first.send, None)
        except StopIteration as done:
            _close_unstarted(others)
            await asyncio.sleep(0)
            return WaitResults([first], [done.value], False)
        except BaseException:
            _close_unstarted(others)
            raise
        return await super().wait_first(_rest_of(first, waiting_on, context), *others, **limit)


class Transport(faust_aiokafka.Transport):
    """Faust's aiokafka transport with the consumer above."""

    Consumer = Consumer
