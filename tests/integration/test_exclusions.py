"""The exclusion list, managed with graph.exclusions, against the real Neo4j."""

from uuid import uuid4

import pytest
from neo4j import AsyncDriver, Driver

from graph.exclusions import BadKey, add_exclusion, list_exclusions, main, remove_exclusion
from tests.factories import platform_report, triaged, unique
from tests.integration.test_linking import link, query


async def test_an_identifier_excluded_after_it_linked_stops_linking_and_can_be_let_back(
    neo4j: AsyncDriver, neo4j_sync: Driver
) -> None:
    phone = "012" + str(uuid4().int)[:7]
    key = f"phone:+60{phone[1:]}"
    report = lambda: triaged(platform_report(accounts=[{"phone": phone}]))  # noqa: E731
    first = await link(neo4j, report())
    assert first.shared_keys == [] and key in (await _keys(neo4j, first.report_id))

    assert add_exclusion(neo4j_sync, key, "carrier placeholder", "admin-1") is True
    (rule,) = [r for r in list_exclusions(neo4j_sync) if r["key"] == key]
    assert rule["reason"] == "carrier placeholder" and rule["added_by"] == "admin-1"
    rows = await query(neo4j, "MATCH (i:Identifier {key: $key}) RETURN i.excluded AS x", key=key)
    assert rows == [{"x": True}]
    excluded = await link(neo4j, report())
    assert excluded.kind == "opened" and excluded.case_id != first.case_id

    assert remove_exclusion(neo4j_sync, key) is True
    assert remove_exclusion(neo4j_sync, key) is False
    assert key not in {r["key"] for r in list_exclusions(neo4j_sync)}
    # Let back, the identifier joins the two cases it reached.
    joined = await link(neo4j, report())
    assert joined.kind == "merged" and joined.case_id == first.case_id
    assert joined.merged_case_ids == [excluded.case_id]


async def _keys(neo4j: AsyncDriver, report_id: str) -> list[str]:
    rows = await query(
        neo4j,
        "MATCH (:Report {id: $rid})-[:MENTIONS]->(i) RETURN collect(i.key) AS keys",
        rid=report_id,
    )
    return rows[0]["keys"]


def test_bad_keys_and_missing_reasons_are_refused(neo4j_sync: Driver) -> None:
    for key in ["nocolon", "colour:red", "phone:", "phone:  "]:
        with pytest.raises(BadKey):
            add_exclusion(neo4j_sync, key, "r", "admin-1")
    with pytest.raises(ValueError, match="reason"):
        add_exclusion(neo4j_sync, "phone:+60123", " ", "admin-1")


def test_the_command_line_adds_lists_and_removes(
    neo4j_sync: Driver, capsys: pytest.CaptureFixture[str]
) -> None:
    key = f"ip:{unique('nat')}"
    assert main(["add", key, "--reason", "carrier NAT", "--by", "admin-1"]) == 0
    assert main(["list"]) == 0
    assert main(["remove", key]) == 0
    assert main(["add", "bogus", "--reason", "x", "--by", "admin-1"]) == 2
    out, err = capsys.readouterr()
    assert f"excluded {key} (not in the graph yet)" in out
    assert f"{key}\t0 reports" in out and "carrier NAT" in out
    assert f"removed {key}" in out
    assert "not an identifier key" in err
