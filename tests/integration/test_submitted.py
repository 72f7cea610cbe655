"""What the reporter submitted is kept on the Report, read back whole, never shown in the
analysts' graph views, and not replaced by a resend."""

import json
import zlib
from uuid import uuid4

from neo4j import AsyncDriver

from contracts.registry import encode_event
from contracts.reports import PlatformReport, ReportSubmitted
from graph import analyst, submitted
from streams.prepare import prepare_report
from tests.factories import account, platform_report, triaged, unique
from tests.integration.test_linking import link, query


def _report(description: str, **fields: object) -> ReportSubmitted:
    return platform_report(
        incident_type="grooming",
        description=description,
        accounts=[account(unique("u"))],
        victim={"age": 12, "pseudonym_ref": unique("VIC-")},
        **fields,
    )


async def test_the_message_as_validated_is_kept_and_read_back_whole(neo4j: AsyncDriver) -> None:
    event = _report(f"met the child on a game chat {uuid4()}")
    outcome = await link(neo4j, prepare_report(event, "tests"))
    stored = await submitted.read_stored(neo4j, outcome.case_id, outcome.report_id)
    assert stored is not None and stored.message is not None
    assert zlib.decompress(stored.message) == encode_event(event)
    view = submitted.submitted_view(stored, reveal_personal=True)
    report = event.payload.report
    assert isinstance(report, PlatformReport) and report.victim is not None
    assert view["report"]["description"] == report.description
    assert view["report"]["victim"]["pseudonym_ref"] == report.victim.pseudonym_ref
    assert view["channel"] == "platform" and view["withheld"] == []


async def test_a_report_of_another_case_or_none_is_not_found(neo4j: AsyncDriver) -> None:
    outcome = await link(neo4j, triaged(_report("first")))
    other = await link(neo4j, triaged(_report("second")))
    assert other.case_id != outcome.case_id
    assert await submitted.read_stored(neo4j, other.case_id, outcome.report_id) is None
    assert await submitted.read_stored(neo4j, outcome.case_id, str(uuid4())) is None


async def test_after_a_merge_the_report_is_read_through_the_surviving_case(
    neo4j: AsyncDriver,
) -> None:
    a, b = account(unique("a")), account(unique("b"))
    first = await link(neo4j, triaged(platform_report(description="one", accounts=[a])))
    second = await link(neo4j, triaged(platform_report(description="two", accounts=[b])))
    bridge = await link(neo4j, triaged(platform_report(description="both", accounts=[a, b])))
    assert bridge.merged_case_ids
    survivor = bridge.case_id
    stored = await submitted.read_stored(neo4j, survivor, second.report_id)
    assert stored is not None
    assert submitted.submitted_view(stored, True)["report"]["description"] == "two"
    moved_from = second.case_id if second.case_id != survivor else first.case_id
    assert await submitted.read_stored(neo4j, moved_from, second.report_id) is None


async def test_a_resend_of_the_same_report_keeps_what_was_first_received(
    neo4j: AsyncDriver,
) -> None:
    reference = unique("ref-")
    first = await link(neo4j, triaged(_report("as first sent", reference=reference)))
    again = await link(neo4j, triaged(_report("changed on resend", reference=reference)))
    assert (again.report_id, again.replayed) == (first.report_id, True)
    stored = await submitted.read_stored(neo4j, first.case_id, first.report_id)
    assert stored is not None
    assert submitted.submitted_view(stored, True)["report"]["description"] == "as first sent"


async def test_analyst_views_never_show_the_stored_message(neo4j: AsyncDriver) -> None:
    marker = f"marker-{uuid4()}"
    outcome = await link(neo4j, triaged(_report(marker)))
    rows = await query(
        neo4j, "MATCH (r:Report {id: $rid}) RETURN r.submitted_zlib AS z", rid=outcome.report_id
    )
    assert marker in zlib.decompress(rows[0]["z"]).decode()  # it is there ...
    graph = await analyst.case_subgraph(neo4j, outcome.case_id, reveal_victims=True)
    (report,) = [n for n in graph["nodes"] if n["ref"] == f"report:{outcome.report_id}"]
    assert "submitted_zlib" not in report["properties"]  # ... and not in the graph view
    detail = await analyst.case_detail(neo4j, outcome.case_id, reveal_victims=True)
    assert detail is not None and marker not in json.dumps(detail, default=str)
