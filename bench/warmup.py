"""How long to warm the system up before measuring it.

After a restart Neo4j compiles its hot paths as it goes: in the linking profiler the first
6,000 reports linked at ~270 reports/s and the next at ~820, and a benchmark run started
on a cold Neo4j queued in its latency phase although the 3,000 reports of a fixed warm-up
had gone by. So the warm-up links chunks until RUN in a row complete at rates within
TOLERANCE of each other, after at least the minimum and at most every report it was given.
"""

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

CHUNK = 3_000
TOLERANCE = 0.10
# Two chunks in a row agreed while Neo4j was still compiling (after a reset: 154, 519, 496
# reports/s, then a latency phase that queued, p99 4 s). Asking three, the next cold start
# went on to 8 chunks (162 ... 776, 764) and measured p99 0.75 s; a warm system stops at 3.
RUN = 3


def chunks(items: Sequence[T], minimum: int, size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`items` in chunks of `size` (the last may be shorter), larger if need be so that the
    first two cover `minimum`: no verdict (after RUN >= 2 chunks) comes before it."""
    size = max(size, (minimum + 1) // 2)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def steady(rates: Sequence[float], tolerance: float = TOLERANCE, run: int = RUN) -> bool:
    """Whether the last `run` chunks ran at the same rate, within `tolerance` of the fastest."""
    if len(rates) < run:
        return False
    last = rates[-run:]
    return max(last) > 0 and max(last) - min(last) <= tolerance * max(last)
