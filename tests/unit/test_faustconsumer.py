"""runtime.faustconsumer: a message's delivery to the streams, stepped before any task is made."""

import asyncio
import contextvars
import inspect
import warnings
from collections.abc import AsyncIterator
from typing import Any

import faust
import pytest
from faust.transport.conductor import Conductor, ConductorCompiler
from faust.transport.consumer import Consumer as FaustConsumer

from runtime import faustconsumer

MARK: contextvars.ContextVar[str] = contextvars.ContextVar("mark", default="unset")


@pytest.fixture
async def consumer() -> AsyncIterator[faustconsumer.Consumer]:
    # No broker is reached: only the consumer's own wait_first is exercised.
    app = faust.App("test-faustconsumer", broker="kafka://127.0.0.1:1", web_enabled=False)
    app.transport = faustconsumer.Transport(app.conf.broker_consumer, app)
    made = app.consumer
    assert isinstance(made, faustconsumer.Consumer)
    yield made


def test_faust_still_delivers_through_wait_first_with_the_suspension() -> None:
    # The override assumes this call in Faust's drain loop; an upgrade that changes it must
    # be looked at before the override is trusted.
    source = inspect.getsource(FaustConsumer._drain_messages)
    assert "await self.wait_first(" in source
    assert "callback(message), self.suspend_flow.wait()" in source


def test_fausts_deliveries_bind_nothing_to_the_task_they_run_in() -> None:
    # A delivery's first step runs in the drain loop's task (runtime.faustconsumer): a
    # timeout, task group or current_task() in Faust's handlers would bind to that task.
    sources = inspect.getsource(Conductor._compile_message_handler) + inspect.getsource(
        ConductorCompiler.build
    )
    for bound in ("timeout(", "TaskGroup", "current_task", "wait_for(", "timeout_at("):
        assert bound not in sources


def test_the_apps_use_this_consumer() -> None:
    # The apps themselves (a new app made here would leave its event loop to the collector).
    from agents.app import app as agents_app
    from streams.app import app as streams_app

    for app in (agents_app, streams_app):
        assert isinstance(app.transport, faustconsumer.Transport)
        assert app.transport.Consumer is faustconsumer.Consumer


async def test_what_a_delivery_sets_in_its_context_stays_there(
    consumer: faustconsumer.Consumer,
) -> None:
    # As in the task Faust made for it: the drain loop's own context is not changed.
    room = asyncio.get_running_loop().create_future()

    async def at_once() -> None:
        MARK.set("set by a delivery")

    async def after_a_wait() -> str:
        MARK.set("set before waiting")
        await room
        return MARK.get()

    await consumer.wait_first(at_once(), consumer.suspend_flow.wait())
    assert MARK.get() == "unset"
    waiting = asyncio.ensure_future(
        consumer.wait_first(after_a_wait(), consumer.suspend_flow.wait())
    )
    await asyncio.sleep(0.01)
    room.set_result(None)
    results = await asyncio.wait_for(waiting, 1)
    assert results.results == ["set before waiting"]  # the rest of it ran in its context


async def test_a_delivery_that_does_not_wait_is_done_at_once(
    consumer: faustconsumer.Consumer,
) -> None:
    suspension = consumer.suspend_flow.wait()

    async def deliver() -> str:
        return "delivered"

    loop = asyncio.get_running_loop()
    tasks: list[asyncio.Task[object]] = []

    def counted(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        tasks.append(asyncio.Task(coro, loop=loop, **kwargs))
        return tasks[-1]

    loop.set_task_factory(counted)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a "never awaited" suspension would be a warning
            results = await consumer.wait_first(deliver(), suspension)
    finally:
        loop.set_task_factory(None)
    assert results.results == ["delivered"] and not results.stopped
    assert tasks == []  # Faust's own made four: delivery, suspension, stopped, crashed
    assert inspect.getcoroutinestate(suspension) == inspect.CORO_CLOSED


async def test_a_delivery_that_waits_goes_on_to_its_end(consumer: faustconsumer.Consumer) -> None:
    room = asyncio.get_running_loop().create_future()
    steps: list[str] = []

    async def deliver() -> str:
        steps.append("started")
        value = await room  # a full stream buffer
        steps.append(f"got {value}")
        await asyncio.sleep(0)
        return "delivered"

    waiting = asyncio.ensure_future(consumer.wait_first(deliver(), consumer.suspend_flow.wait()))
    await asyncio.sleep(0.01)
    assert steps == ["started"] and not waiting.done()
    room.set_result("room")
    results = await asyncio.wait_for(waiting, 1)
    assert steps == ["started", "got room"]
    assert results.results == ["delivered"]


async def test_a_waiting_delivery_gives_way_to_a_suspended_flow(
    consumer: faustconsumer.Consumer,
) -> None:
    never = asyncio.get_running_loop().create_future()
    cancelled: list[bool] = []

    async def deliver() -> None:
        try:
            await never
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    waiting = asyncio.ensure_future(consumer.wait_first(deliver(), consumer.suspend_flow.wait()))
    await asyncio.sleep(0.01)
    consumer.suspend_flow.set()
    await asyncio.wait_for(waiting, 1)
    assert cancelled == [True]


async def test_errors_of_a_delivery_reach_the_drain_loop(consumer: faustconsumer.Consumer) -> None:
    async def fails_at_once() -> None:
        raise ValueError("at once")

    async def fails_later() -> None:
        await asyncio.sleep(0.01)
        raise KeyError("later")

    with pytest.raises(ValueError, match="at once"):
        await consumer.wait_first(fails_at_once(), consumer.suspend_flow.wait())
    with pytest.raises(KeyError, match="later"):
        await consumer.wait_first(fails_later(), consumer.suspend_flow.wait())


def test_no_offset_is_committed_past_a_message_still_in_flight() -> None:
    """Faust let one unacknowledged offset through (`min(acked) - committed > 1`), and any
    with no committed offset yet: with the linker's three actors a one-message batch still in
    flight was committed past when a later batch finished, and a crash lost that report."""
    from runtime.faustconsumer import head_unacked

    assert head_unacked([2], [1])  # offset 1 in flight, 2 done: hold
    assert head_unacked([1, 2], [0])  # a new group's first message still in flight
    assert not head_unacked([1, 2], [3, 4])  # only later ones in flight: commit
    assert not head_unacked([500, 501], [])  # the log reset past the committed offset
    assert not head_unacked([], [1])


def _consumer(
    in_flight: list[int],
    acked: list[int],
    committed: int | None,
    gap: tuple[int, int] | None = None,
) -> Any:
    from collections import defaultdict

    from faust.types import TP
    from intervaltree import IntervalTree

    from runtime.faustconsumer import Consumer

    tp = TP("ocsea.reports.triaged.v1", 0)

    class Delivered:
        def __init__(self, offset: int) -> None:
            self.tp, self.offset, self.acked = tp, offset, False

    consumer = Consumer.__new__(Consumer)
    consumer._committed_offset = defaultdict(lambda: None, {tp: committed})
    consumer._acked = defaultdict(list, {tp: list(acked)})
    consumer._acked_index = defaultdict(set, {tp: set(acked)})
    consumer._gap = defaultdict(IntervalTree)
    if gap is not None:
        consumer._gap[tp] = IntervalTree.from_tuples([gap])
    delivered: Any = {Delivered(offset) for offset in in_flight}
    consumer._unacked_messages = delivered
    return consumer, tp


def test_the_consumer_holds_its_commit_while_an_earlier_message_is_in_flight() -> None:
    consumer, tp = _consumer(in_flight=[1], acked=[2], committed=1)
    assert consumer._new_offset(tp) is None  # Faust's own answered 3
    consumer, tp = _consumer(in_flight=[], acked=[1, 2], committed=1)
    assert consumer._new_offset(tp) == 3
    # Committed 100, the log reset to 500 (past retention), the gap as Faust's drain loop
    # records it: nothing in flight below 500, so nothing held (the first version stalled).
    consumer, tp = _consumer(
        in_flight=[510], acked=list(range(500, 510)), committed=100, gap=(101, 501)
    )
    assert consumer._new_offset(tp) == 501  # as Faust's own answers: moving on
