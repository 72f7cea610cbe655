"""Faust's Kafka transport, delivering a message without four asyncio tasks when it can.

Faust (faust-streaming 0.15) hands every fetched message to its streams with
`await self.wait_first(callback(message), self.suspend_flow.wait())`, so that a delivery
blocked on a full stream buffer gives way when a rebalance suspends the flow. mode's
`wait_first` wraps each of its arguments, and the service's stopped and crashed events,
in a task, waits for the first, and cancels the rest: four tasks and an `asyncio.wait` for
every message, though a delivery to a stream with room in its buffer finishes without ever
waiting. Measured with `python -m bench.consumer_overhead` (a Faust agent taking batches of
raw messages, as ours do): that was about a third of the consuming process's CPU, ~95 µs a
message in all, where aiokafka alone takes ~5.

Here the delivery is stepped first: done at once, it is done (and the loop gets one turn,
as it did while the tasks ran, so the streams read what was delivered); waiting, it goes on
exactly as before, the rest of it raced against the suspension and the service's stop. The
bench measures ~35-45 % less CPU a message; the messages, their order and their
acknowledgements are Faust's own. tests/unit/test_faustconsumer.py checks that Faust's
drain loop still calls `wait_first` as above (a Faust upgrade that changes it must be
looked at), and the semantics kept.
"""

import asyncio
import types
from collections.abc import Coroutine, Generator
from typing import Any

from faust.transport.drivers import aiokafka as faust_aiokafka
from mode.services import WaitArgT, WaitResults
from mode.utils.times import Seconds


@types.coroutine
def _go_on(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Generator[Any, Any, Any]:
    """Drive `coro`, which has been stepped once and yielded `waiting_on`, as `await coro`
    would from there: the task running this yields what it waits on, and passes results,
    exceptions and cancellation on to it."""
    while True:
        try:
            sent = yield waiting_on
        except GeneratorExit:
            coro.close()
            raise
        except BaseException as exc:  # noqa: BLE001 - thrown in (cancellation): pass it on
            try:
                waiting_on = coro.throw(exc)
            except StopIteration as done:
                return done.value
        else:
            try:
                waiting_on = coro.send(sent)
            except StopIteration as done:
                return done.value


async def _rest_of(coro: Coroutine[Any, Any, Any], waiting_on: Any) -> Any:
    # mode's wait_first takes awaitables (or events); the generator above is neither to
    # isinstance, so it is awaited from a coroutine.
    return await _go_on(coro, waiting_on)


def _close_unstarted(coros: tuple[WaitArgT, ...]) -> None:
    # `self.suspend_flow.wait()` was made for the race that did not happen: closed, it
    # raises no "never awaited" warning.
    for coro in coros:
        if isinstance(coro, types.CoroutineType):
            coro.close()


class Consumer(faust_aiokafka.Consumer):
    """Faust's aiokafka consumer; only the delivery of a message to the streams differs."""

    async def wait_first(self, *coros: WaitArgT, timeout: Seconds | None = None) -> WaitResults:
        # mode declares `timeout: Seconds = None`; its default is passed on by leaving it out.
        limit: dict[str, Seconds] = {} if timeout is None else {"timeout": timeout}
        first, others = (coros[0], coros[1:]) if coros else (None, ())
        stopping = self._stopped.is_set() or self._crashed.is_set()
        if not isinstance(first, types.CoroutineType) or stopping:
            return await super().wait_first(*coros, **limit)
        try:
            waiting_on = first.send(None)
        except StopIteration as done:
            _close_unstarted(others)
            await asyncio.sleep(0)
            return WaitResults([first], [done.value], False)
        except BaseException:
            _close_unstarted(others)
            raise
        return await super().wait_first(_rest_of(first, waiting_on), *others, **limit)


class Transport(faust_aiokafka.Transport):
    """Faust's aiokafka transport with the consumer above."""

    Consumer = Consumer
