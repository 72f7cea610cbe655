"""One person's graph reads at once are bounded: each may hold Neo4j up to its timeout."""

import pytest

from api import cases
from api.errors import ApiError
from api.security.principal import Principal, Role
from contracts.enums import Agency

ANALYST = Principal("an-slots", Role.ANALYST, Agency.MCMC)
OTHER = Principal("an-other", Role.ANALYST, Agency.MCMC)


async def test_a_third_read_at_once_is_refused_until_one_ends() -> None:
    held = [cases._graph_read_slot(ANALYST) for _ in range(cases.GRAPH_READS_PER_SUBJECT)]
    for slot in held:
        assert await anext(slot) == ANALYST
    third = cases._graph_read_slot(ANALYST)
    with pytest.raises(ApiError) as caught:
        await anext(third)
    assert caught.value.status == 429
    assert caught.value.errors[0].code == "too_many_graph_reads"
    assert caught.value.headers == {"Retry-After": "1"}
    # Someone else's reads are theirs.
    elsewhere = cases._graph_read_slot(OTHER)
    assert await anext(elsewhere) == OTHER
    await elsewhere.aclose()
    await held[0].aclose()  # one ends: a new one may start
    again = cases._graph_read_slot(ANALYST)
    assert await anext(again) == ANALYST
    for slot in (again, *held[1:]):
        await slot.aclose()
    assert ANALYST.subject not in cases._graph_reads
