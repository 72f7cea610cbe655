"""The benchmark's warm-up rule: link chunks until three in a row run at the same rate."""

from bench.warmup import chunks, steady


def test_chunks_cover_every_item_in_order_and_the_minimum_in_two():
    items = list(range(9_000))
    parts = list(chunks(items, minimum=3_000))
    assert [len(p) for p in parts] == [3_000, 3_000, 3_000]
    assert [x for p in parts for x in p] == items
    # A larger minimum makes larger chunks, so the first two still cover it.
    assert [len(p) for p in chunks(items, minimum=8_000)] == [4_000, 4_000, 1_000]


def test_steady_needs_three_chunks_within_the_tolerance_of_the_fastest():
    assert not steady([])
    assert not steady([700.0, 700.0])
    assert not steady([154.0, 519.0, 496.0])  # a cold start, still compiling
    assert steady([154.0, 519.0, 496.0, 530.0])
    assert steady([700.0, 640.0, 660.0])  # 60 is within 10 % of 700
    assert not steady([700.0, 620.0, 690.0])
    assert not steady([0.0, 0.0, 0.0])  # nothing completed is no verdict
