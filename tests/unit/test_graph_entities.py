"""Entity references in the analyst's graph routes: refused naming the parameter that holds
them (`/v1/graph/path` blamed `from` for an unknown kind in `to`)."""

import pytest

from api.cases import _entity
from api.errors import ApiError


@pytest.mark.parametrize("ref", ["nonsense:x", "phone", "phone:", ":x"])
@pytest.mark.parametrize("field", ["from", "to", "entity"])
def test_a_reference_of_no_known_kind_is_refused_naming_its_parameter(ref: str, field: str) -> None:
    with pytest.raises(ApiError) as caught:
        _entity(ref, field)
    [error] = caught.value.errors
    assert (caught.value.status, error.code, error.field) == (422, "invalid_entity", field)


@pytest.mark.parametrize("ref", ["phone:+60123456789", "case:1234", "account:telegram:u:uncle"])
def test_a_reference_of_a_known_kind_is_taken_as_it_is(ref: str) -> None:
    assert _entity(ref, "to") == ref


def test_graph_views_withhold_the_age_a_reason_quotes_from_readers_who_may_not_see_victims() -> (
    None
):
    """Analysts read 'P3: victim is below 18 (description: 'umur saya 14')' on Report and
    Task nodes: an age, which only KPWKM and PDRM may see."""
    from neo4j.graph import Graph, Node

    from graph.queries import node_view

    reason = "P3: victim is below 18 (description: 'umur saya 14') (rule child_victim)"
    graph = Graph()
    report = Node(graph, "1", 1, {"Report"}, {"id": "r-1", "reasons": [reason]})
    task = Node(graph, "2", 2, {"Task"}, {"id": "t-1", "reasons": [reason]})
    for node in (report, task):
        hidden = node_view(node, reveal_victims=False)["properties"]["reasons"]
        assert hidden == ["P3: victim is below 18 (as the description says) (rule child_victim)"]
        assert node_view(node, reveal_victims=True)["properties"]["reasons"] == [reason]
