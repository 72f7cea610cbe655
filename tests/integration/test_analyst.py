"""Analyst reads on the real Neo4j: bounded, hub-avoiding, victims pseudonymised."""

from uuid import uuid4

import pytest
from neo4j import AsyncDriver, Driver
from neo4j.exceptions import CypherSyntaxError

from contracts.enums import OPEN_TASK_STATUSES
from graph import analyst, queries, queries_cypher
from graph.exclusions import add_exclusion
from graph.queries import ReadTimedOut, UnknownEntity, victim_pseudonym
from runtime.settings import Settings
from tests.factories import account, e164, malaysian_mobile, platform_report, triaged, unique
from tests.integration.test_linking import link, query


@pytest.fixture
async def linked_case(neo4j: AsyncDriver) -> dict:
    phone = malaysian_mobile()
    a, b = (
        account(unique("ana"), phone=phone),
        account(unique("bob"), platform="chatapp", phone=phone),
    )
    victim = {"age": 13, "pseudonym_ref": unique("VIC-")}
    first = await link(
        neo4j, triaged(platform_report(incident_type="sextortion", accounts=[a], victim=victim))
    )
    second = await link(neo4j, triaged(platform_report(accounts=[b])))
    assert first.case_id == second.case_id
    return {
        "case_id": first.case_id,
        "a": f"account:testgram:u:{a['username']}",
        "b": f"account:chatapp:u:{b['username']}",
        "victim": victim,
        # As the graph keeps it: qualified by the reporting organisation.
        "victim_ref": f"test-platform:{victim['pseudonym_ref']}",
        "phone": e164(phone),
    }


async def test_case_detail_reveals_victims_only_when_allowed(
    neo4j: AsyncDriver, linked_case: dict
) -> None:
    hidden = await analyst.case_detail(neo4j, linked_case["case_id"], reveal_victims=False)
    shown = await analyst.case_detail(neo4j, linked_case["case_id"], reveal_victims=True)
    assert hidden is not None and shown is not None
    pseudonym = victim_pseudonym(linked_case["victim_ref"])
    assert hidden["victims"] == [{"pseudonym": pseudonym}]
    assert shown["victims"] == [
        {
            "pseudonym": pseudonym,
            "ref": linked_case["victim_ref"],
            "age": 13,
            "age_range": None,
        }
    ]
    assert len(hidden["reports"]) == 2
    assert {t["agency"] for t in hidden["tasks"]} >= {"PDRM", "KPWKM"}
    assert linked_case["victim"]["pseudonym_ref"] not in str(hidden)


async def test_unknown_case_is_none(neo4j: AsyncDriver) -> None:
    assert await analyst.case_detail(neo4j, str(uuid4()), reveal_victims=False) is None


async def test_subgraph_is_bounded_and_pseudonymous(neo4j: AsyncDriver, linked_case: dict) -> None:
    bounded = await analyst.case_subgraph(
        neo4j, linked_case["case_id"], reveal_victims=False, limit=1
    )
    reports = [n for n in bounded["nodes"] if "Report" in n["labels"]]
    assert len(reports) == 1
    # Cut, and saying so: an analyst must not take one report for the whole case.
    assert bounded["truncated"] is True and bounded["reports_total"] == 2
    # The newest report is the one kept.
    whole = await analyst.case_subgraph(neo4j, linked_case["case_id"], reveal_victims=False)
    times = [n["properties"]["received_at"] for n in whole["nodes"] if "Report" in n["labels"]]
    assert reports[0]["properties"]["received_at"] == max(times)
    # One report, and at most one thing it mentions besides its PART_OF edge.
    assert len([r for r in bounded["relationships"] if r["type"] != "PART_OF"]) <= 1
    # The newest report is kept; which of its items a limit of 1 keeps is arbitrary: read
    # the whole (small) case to be sure the victim is there, then check it is pseudonymised.
    graph = await analyst.case_subgraph(
        neo4j, linked_case["case_id"], reveal_victims=False, limit=100
    )
    assert len([n for n in graph["nodes"] if "Report" in n["labels"]]) == 2
    assert graph["truncated"] is False and graph["reports_total"] == 2
    pseudonym = victim_pseudonym(linked_case["victim_ref"])
    victims = [n for n in graph["nodes"] if "Victim" in n["labels"]]
    assert victims == [
        {"ref": pseudonym, "labels": ["Victim"], "properties": {"pseudonym": pseudonym}}
    ]
    assert linked_case["victim"]["pseudonym_ref"] not in str(graph)


async def test_neighbourhood_and_path_go_through_the_shared_phone(
    neo4j: AsyncDriver, linked_case: dict
) -> None:
    around = await analyst.neighbourhood(neo4j, linked_case["a"], depth=2)
    refs = {n["ref"] for n in around["nodes"]}
    assert f"phone:{linked_case['phone']}" in refs
    assert not any("Victim" in n["labels"] for n in around["nodes"])
    path = await analyst.shortest_path(neo4j, linked_case["a"], linked_case["b"])
    assert {n["ref"] for n in path["nodes"]} >= {linked_case["a"], linked_case["b"]}
    assert 2 <= len(path["relationships"]) <= 6
    assert around["truncated"] is False  # every path of the walk is in the answer


async def test_a_neighbourhood_stopped_at_its_limit_says_so(
    neo4j: AsyncDriver, linked_case: dict
) -> None:
    """The walk stops at `limit` paths: the answer said nothing of it, and an analyst took
    the first 100 for the whole neighbourhood."""
    cut = await analyst.neighbourhood(neo4j, linked_case["a"], depth=2, limit=1)
    assert cut["truncated"] is True and len(cut["relationships"]) == 1
    whole = await analyst.neighbourhood(neo4j, linked_case["a"], depth=2)
    assert whole["truncated"] is False and len(whole["relationships"]) > 1


async def test_neighbourhood_skips_hub_identifiers(neo4j: AsyncDriver) -> None:
    viral = {"sha256": uuid4().hex * 2}
    outcomes = [
        await link(
            neo4j, triaged(platform_report(accounts=[account(unique("h"))], content=[viral])), cap=1
        )
        for _ in range(3)
    ]
    key = f"content:sha256:{viral['sha256']}"
    nobody = await analyst.neighbourhood(neo4j, f"account:testgram:u:{unique('nobody')}", depth=1)
    assert nobody["nodes"] == []
    around = await analyst.neighbourhood(neo4j, key, depth=3)
    cases = {n["ref"] for n in around["nodes"] if "Case" in n["labels"]}
    # Reached in two hops directly from the hub itself, never by walking through it.
    assert cases == {f"case:{o.case_id}" for o in outcomes}
    reports = [n for n in around["nodes"] if "Report" in n["labels"]]
    assert len(reports) == 3


async def test_a_neighbourhood_steps_through_no_wide_node_and_shows_no_timeline_entry(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A depth-3 walk from an identifier beside a case of 15,000 edges listed millions of
    paths (3-8 s, past the read timeout), and a case's timeline entries were each one node,
    'node' (a review on a large graph)."""
    shared = account(unique("wide"))
    first = await link(neo4j, triaged(platform_report(accounts=[shared])))
    for _ in range(8):  # the shared account grows wider than any report
        await link(neo4j, triaged(platform_report(accounts=[shared, account(unique("o"))])))
    own = account(unique("own"))
    last = await link(neo4j, triaged(platform_report(accounts=[own, shared])))
    start = f"account:testgram:u:{own['username']}"
    degrees = await query(
        neo4j,
        "MATCH (r:Report {id: $rid}), (i:Identifier {key: $key}) "
        "RETURN COUNT { (r)--() } AS report, COUNT { (i)--() } AS shared",
        rid=last.report_id,
        key=f"account:testgram:u:{shared['username']}",
    )
    report_degree, shared_degree = degrees[0]["report"], degrees[0]["shared"]
    assert shared_degree > report_degree

    def reports(around: dict) -> set[str]:
        return {n["ref"] for n in around["nodes"] if "Report" in n["labels"]}

    monkeypatch.setattr(analyst, "WIDE_STEP", 1_000)
    wide_open = await analyst.neighbourhood(neo4j, start, depth=3, limit=500)
    assert f"report:{first.report_id}" in reports(wide_open)  # own -> report -> shared -> r1
    assert not [n for n in wide_open["nodes"] if "TimelineEntry" in n["labels"]]
    assert "node" not in {n["ref"] for n in wide_open["nodes"]}
    # Through the shared account, wider than the cap, no more: it is the walk's end.
    monkeypatch.setattr(analyst, "WIDE_STEP", report_degree)
    capped = await analyst.neighbourhood(neo4j, start, depth=3, limit=500)
    assert f"report:{first.report_id}" not in reports(capped)
    assert f"account:testgram:u:{shared['username']}" in {n["ref"] for n in capped["nodes"]}


async def test_walks_never_go_through_an_excluded_identifier(
    neo4j: AsyncDriver, neo4j_sync: Driver, settings: Settings
) -> None:
    # Excluded first, the shared phone links nothing: two cases, joined only through it.
    phone = malaysian_mobile()
    added = add_exclusion(
        neo4j_sync, f"phone:{phone}", "placeholder", "admin-1", settings.neo4j_database
    )
    a, b = account(unique("ana"), phone=phone), account(unique("bob"), phone=phone)
    first = await link(neo4j, triaged(platform_report(accounts=[a])))
    second = await link(neo4j, triaged(platform_report(accounts=[b])))
    assert first.case_id != second.case_id
    a_key, b_key = f"account:testgram:u:{a['username']}", f"account:testgram:u:{b['username']}"

    # Three hops from a, the phone is an end: the other report is only beyond it.
    around = await analyst.neighbourhood(neo4j, a_key, depth=3)
    refs = {n["ref"] for n in around["nodes"]}
    assert added.key in refs
    assert f"report:{second.report_id}" not in refs and b_key not in refs
    path = await analyst.shortest_path(neo4j, a_key, b_key)
    assert path["nodes"] == []
    # Let back, the same walks go through it.
    await query(neo4j, "MATCH (i:Identifier {key: $k}) SET i.excluded = false", k=added.key)
    await query(neo4j, "MATCH (r:ExclusionRule {key: $k}) DELETE r", k=added.key)
    refs = {n["ref"] for n in (await analyst.neighbourhood(neo4j, a_key, depth=3))["nodes"]}
    assert f"report:{second.report_id}" in refs
    assert added.key in {
        n["ref"] for n in (await analyst.shortest_path(neo4j, a_key, b_key))["nodes"]
    }


async def test_cases_sharing_and_search(neo4j: AsyncDriver, linked_case: dict) -> None:
    shared, more = await analyst.cases_sharing(neo4j, f"phone:{linked_case['phone']}")
    assert [c["case_id"] for c in shared] == [linked_case["case_id"]] and more is False
    by_key = await analyst.search(neo4j, [f"phone:{linked_case['phone']}"], None)
    assert by_key[0]["cases"] == [linked_case["case_id"]]
    username = linked_case["b"].rsplit(":u:", 1)[1]
    by_name = await analyst.search(neo4j, [], username)
    assert [row["key"] for row in by_name] == [linked_case["b"]]


async def test_a_hub_search_lists_at_most_limit_of_its_cases(neo4j: AsyncDriver) -> None:
    # With a degree cap of 2, the phone links only its first two reports; each later one
    # opens a case of its own (its account is new), so the phone is in five cases.
    phone = malaysian_mobile()
    outcomes = [
        await link(
            neo4j, triaged(platform_report(accounts=[account(unique("hub"), phone=phone)])), cap=2
        )
        for _ in range(6)
    ]
    cases = {o.case_id for o in outcomes}
    assert len(cases) == 5
    key = f"phone:{e164(phone)}"
    (found,) = await analyst.search(neo4j, [key], None, limit=3)
    assert found["key"] == key and found["reports"] == 6 and found["hub"] is True
    assert len(found["cases"]) == 3 and set(found["cases"]) <= cases
    # Cases sharing it: the first 3 of 5, and a word that there are more.
    shared, more = await analyst.cases_sharing(neo4j, key, limit=3)
    assert len(shared) == 3 and more is True
    shared, more = await analyst.cases_sharing(neo4j, key, limit=5)
    assert {c["case_id"] for c in shared} == cases and more is False
    assert sum(c["reports"] for c in shared) == 6
    # A hub's mentions are read up to a bound (a viral file's ran into the read timeout):
    # its cases are those of the mentions read, and the answer says it is cut.
    bound = pytest.MonkeyPatch()
    bound.setattr(analyst, "MAX_MENTIONS_READ", 3)
    try:
        part, more = await analyst.cases_sharing(neo4j, key, limit=5)
    finally:
        bound.undo()
    assert more is True and sum(c["reports"] for c in part) == 3
    assert {c["case_id"] for c in part} <= cases
    # A report prepared and not decided yet mentions the phone and is in no case: the answer
    # is whole still (it said truncated).
    await neo4j.execute_query(
        "MATCH (i:Identifier {key: $key}) CREATE (:Report {id: $rid})-[:MENTIONS]->(i)",
        key=key,
        rid=str(uuid4()),
    )
    shared, more = await analyst.cases_sharing(neo4j, key, limit=5)
    assert {c["case_id"] for c in shared} == cases and more is False
    (everything,) = await analyst.search(neo4j, [key], None, limit=50)
    assert sorted(everything["cases"]) == sorted(cases)
    # The walk stops at the limit: one case wanted, not all six mentions read.
    profiled = await neo4j.execute_query(
        "PROFILE " + queries_cypher.SEARCH_IDENTIFIERS, keys=[key], limit=1
    )
    assert profiled.summary.profile is not None
    walked = _rows_of(profiled.summary.profile, "MENTIONS")
    # Some expansion along MENTIONS must be in the profile (the walk was profiled at all).
    assert walked and sum(walked) < 6


async def test_an_identifier_without_a_case_is_found_with_no_cases(neo4j: AsyncDriver) -> None:
    key = f"email:{unique('nocase')}@example.org"
    await neo4j.execute_query(
        "CREATE (:Identifier {key: $key, kind: 'email', value: $value, report_count: 0})",
        key=key,
        value=key.split(":", 1)[1],
    )
    assert await analyst.search(neo4j, [key], None) == [
        {"key": key, "kind": "email", "reports": 0, "hub": False, "cases": []}
    ]


def _operators(plan: dict) -> list[dict]:
    """Every operator of a plan or profile, depth first."""
    return [plan, *(op for child in plan.get("children", []) for op in _operators(child))]


def _rows_of(profile: dict, relationship: str) -> list[int]:
    """Rows that each of the profile's expansions along `relationship` produced."""
    along = f":{relationship}]"
    return [op["rows"] for op in _operators(profile) if along in op["args"].get("Details", "")]


async def test_username_search_reads_the_text_index_not_every_identifier(
    neo4j: AsyncDriver,
) -> None:
    result = await neo4j.execute_query(
        "EXPLAIN " + queries_cypher.SEARCH_USERNAME, suffix=":u:someone", limit=5
    )
    assert result.summary.plan is not None
    operators = {op["operatorType"].split("@")[0] for op in _operators(result.summary.plan)}
    assert "NodeIndexEndsWithScan" in operators
    assert "NodeByLabelScan" not in operators and "AllNodesScan" not in operators


async def test_unknown_entity_kind_is_refused(neo4j: AsyncDriver) -> None:
    with pytest.raises(UnknownEntity):
        await analyst.neighbourhood(neo4j, "victim:abc", depth=1)


async def test_two_reporters_victim_references_are_two_victims(neo4j: AsyncDriver) -> None:
    """Each platform numbers its own victims: a 'VIC-1' from two platforms is two children,
    each with the age its reporter gave (one node held both, showing the last age given)."""
    ref = unique("VIC-")
    phone = malaysian_mobile()  # shared, so that the two reports make one case
    cases = []
    for org, age in (("platform-one", 9), ("platform-two", 15)):
        report = platform_report(
            organisation_id=org,
            incident_type="grooming",
            accounts=[account(unique("u"), phone=phone)],
            victim={"age": age, "pseudonym_ref": ref},
        )
        cases.append((await link(neo4j, triaged(report))).case_id)
    assert cases[0] == cases[1]
    detail = await analyst.case_detail(neo4j, cases[0], reveal_victims=True)
    assert detail is not None
    victims = sorted((v["ref"], v["age"]) for v in detail["victims"])
    assert victims == [(f"platform-one:{ref}", 9), (f"platform-two:{ref}", 15)]
    support = [t for t in detail["tasks"] if t["task_type"] == "victim_support"]
    assert len({t["target"] for t in support}) == 2  # one per child


async def test_what_officers_wrote_about_a_task_is_not_in_an_analysts_graph(
    neo4j: AsyncDriver, linked_case: dict
) -> None:
    """An outcome's note ("support given to the 12-year-old at her school") and a decline's
    reason are free text about a child: shown in the graph only where victims are."""
    from contracts.enums import Agency
    from contracts.lifecycle import TaskOutcome
    from graph.lifecycle import Action
    from tests.integration.test_lifecycle import act

    detail = await analyst.case_detail(neo4j, linked_case["case_id"], reveal_victims=True)
    assert detail is not None
    support = next(t["id"] for t in detail["tasks"] if t["task_type"] == "victim_support")
    note = f"support given at her school {uuid4().hex}"
    await act(neo4j, support, Action.CLAIM, Agency.KPWKM)
    await act(
        neo4j,
        support,
        Action.COMPLETE,
        Agency.KPWKM,
        outcome=TaskOutcome(code="support_given", note=note),
    )
    around = await analyst.neighbourhood(neo4j, f"case:{linked_case['case_id']}", 1)
    tasks = [n for n in around["nodes"] if "Task" in n["labels"]]
    assert any(t["properties"].get("outcome_code") == "support_given" for t in tasks)
    assert note not in str(around)


async def test_a_wide_start_is_walked_one_hop_only(
    neo4j: AsyncDriver, linked_case: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a start of thousands of edges (a platform, a large merged case) every path was
    read before the limit, holding Neo4j for the read timeout. Wide here means over 1 edge."""
    phone = f"phone:{linked_case['phone']}"
    deep = await analyst.neighbourhood(neo4j, phone, 3)
    assert deep["depth"] == 3
    monkeypatch.setattr(analyst, "WIDE_START", 1)
    wide = await analyst.neighbourhood(neo4j, phone, 3)
    assert wide["depth"] == 1
    assert {n["ref"] for n in wide["nodes"]} < {n["ref"] for n in deep["nodes"]}


async def test_a_neighbourhood_never_walks_through_a_victim(neo4j: AsyncDriver) -> None:
    """A child named by two reports of one organisation is one Victim node: at depth 3 the
    walk went account, report, victim, the other report, and tied two separate cases
    together by the child (the shortest path never did)."""
    victim = {"age": 12, "pseudonym_ref": unique("VIC-")}
    a, b = account(unique("ana")), account(unique("bob"))
    first = await link(neo4j, triaged(platform_report(accounts=[a], victim=victim)))
    second = await link(neo4j, triaged(platform_report(accounts=[b], victim=dict(victim))))
    assert first.case_id != second.case_id
    around = await analyst.neighbourhood(neo4j, f"account:testgram:u:{a['username']}", depth=3)
    assert around["depth"] == 3
    assert f"report:{first.report_id}" in {n["ref"] for n in around["nodes"]}
    assert not [n for n in around["nodes"] if "Victim" in n["labels"]]
    assert f"report:{second.report_id}" not in {n["ref"] for n in around["nodes"]}


async def test_a_case_merged_twice_names_the_case_it_is_part_of_now(neo4j: AsyncDriver) -> None:
    """A merged into B, then B into C: A's detail named B, itself merged."""
    c_acc, b_acc, a_acc = (account(unique(x)) for x in "cba")
    oldest = await link(neo4j, triaged(platform_report(accounts=[c_acc])))
    middle = await link(neo4j, triaged(platform_report(accounts=[b_acc])))
    newest = await link(neo4j, triaged(platform_report(accounts=[a_acc])))
    first = await link(neo4j, triaged(platform_report(accounts=[a_acc, b_acc])))
    assert (first.case_id, first.merged_case_ids) == (middle.case_id, [newest.case_id])
    second = await link(neo4j, triaged(platform_report(accounts=[b_acc, c_acc])))
    assert (second.case_id, second.merged_case_ids) == (oldest.case_id, [middle.case_id])
    for merged in (newest, middle):
        detail = await analyst.case_detail(neo4j, merged.case_id, False)
        assert detail is not None and detail["merged_into"] == oldest.case_id
    live = await analyst.case_detail(neo4j, oldest.case_id, False)
    assert live is not None and live["merged_into"] is None
    # The graph view shows each merge's reason and the survivor's state before it, not the
    # lists of ids kept for undoing it.
    around = await analyst.neighbourhood(neo4j, f"case:{middle.case_id}", depth=1)
    merges = [r for r in around["relationships"] if r["type"] == "MERGED_INTO"]
    assert len(merges) == 2
    for merge in merges:
        assert set(merge["properties"]) == {
            "reason",
            "at",
            "report_id",
            "survivor_priority",
            "survivor_categories",
        }


async def test_an_agency_reads_a_case_merged_away_while_it_has_a_task_where_it_went(
    neo4j: AsyncDriver,
) -> None:
    """A merge moves the merged case's tasks to the survivor: the officer holding the
    referral's case id got 404 the moment it merged, and never learnt where it went."""
    from contracts.enums import Agency
    from graph.lifecycle import Action
    from tests.integration.test_lifecycle import act

    older_acc, newer_acc = account(unique("old")), account(unique("new"))
    older = await link(neo4j, triaged(platform_report(accounts=[older_acc])))
    newer = await link(neo4j, triaged(platform_report(accounts=[newer_acc])))
    (referral,) = await query(
        neo4j,
        "MATCH (:Case {id: $cid})-[:HAS_TASK]->(t:Task {agency: 'PDRM'}) RETURN t.id AS id",
        cid=newer.case_id,
    )
    await act(neo4j, referral["id"], Action.CLAIM, Agency.PDRM)  # the case in progress now
    both = await link(neo4j, triaged(platform_report(accounts=[older_acc, newer_acc])))
    assert (both.case_id, both.merged_case_ids) == (older.case_id, [newer.case_id])
    # Its end is told on the lifecycle topic too, from the status it had when the merge
    # locked it (outcome, staged in the outbox), as its MERGED_INTO edge records it.
    closed = [(c.case_id, c.previous, c.current) for c in both.merged_statuses]
    assert closed == [(newer.case_id, "in_progress", "merged")]
    agencies_on_survivor = {
        row["agency"]
        for row in await query(
            neo4j,
            "MATCH (:Case {id: $cid})-[:HAS_TASK]->(t:Task) RETURN DISTINCT t.agency AS agency",
            cid=older.case_id,
        )
    }
    assert "PDRM" in agencies_on_survivor and "KPWKM" not in agencies_on_survivor
    assert not await query(
        neo4j, "MATCH (:Case {id: $cid})-[:HAS_TASK]->(t) RETURN t", cid=newer.case_id
    )
    assert await analyst.agency_has_task(neo4j, newer.case_id, "PDRM")
    assert await analyst.agency_has_task(neo4j, older.case_id, "PDRM")
    # Only where a task is: no agency reads a case by a merge it has no task in.
    assert not await analyst.agency_has_task(neo4j, newer.case_id, "KPWKM")
    detail = await analyst.case_detail(neo4j, newer.case_id, False)
    assert detail is not None and detail["merged_into"] == older.case_id


async def test_a_read_past_its_timeout_is_read_timed_out(
    neo4j: AsyncDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neo4j's timeout came to the API as an unhandled ClientError: a plain-text 500."""
    monkeypatch.setattr(queries, "TIMEOUT_S", 0.2)
    slow = "UNWIND range(1, 500000000) AS x WITH x WHERE x < 0 RETURN count(*) AS n"
    with pytest.raises(ReadTimedOut):
        await queries.read(neo4j, slow, "neo4j")
    # Any other refusal is not a timeout, and goes on as it was.
    with pytest.raises(CypherSyntaxError):
        await queries.read(neo4j, "RETURN 1 +", "neo4j")


async def test_a_cut_case_detail_shows_the_open_tasks_and_newest_entries_and_its_totals(
    neo4j: AsyncDriver, linked_case: dict
) -> None:
    """Cut at the limit from the oldest, a case grown by merges showed its first 200 of
    4,452 timeline entries, and 200 closed tasks while 121 open ones were hidden."""
    from contracts.enums import Agency
    from graph.lifecycle import Action
    from tests.integration.test_lifecycle import act

    case_id = linked_case["case_id"]
    whole = await analyst.case_detail(neo4j, case_id, reveal_victims=False)
    assert whole is not None and len(whole["tasks"]) >= 3
    claimed = next(t for t in whole["tasks"] if t["agency"] == "MCMC")
    await act(neo4j, claimed["id"], Action.CLAIM, Agency.MCMC)  # the timeline's first entry
    closed = next(t for t in whole["tasks"] if t["agency"] == "PDRM")
    await act(neo4j, closed["id"], Action.DECLINE, Agency.PDRM, reason="not ours")
    # First in the order of urgency ('P0' sorts before 'P1'): cut from there, it filled the page.
    await neo4j.execute_query("MATCH (t:Task {id: $id}) SET t.priority = 'P0'", id=closed["id"])

    cut = await analyst.case_detail(neo4j, case_id, reveal_victims=False, limit=1)

    assert cut is not None
    [task] = cut["tasks"]
    assert task["id"] != closed["id"] and task["status"] in OPEN_TASK_STATUSES
    whole = await analyst.case_detail(neo4j, case_id, reveal_victims=False)
    assert whole is not None
    assert cut["timeline"] == whole["timeline"][-1:]  # the newest entry (the decline's)
    assert [r["id"] for r in cut["reports"]] == [whole["reports"][-1]["id"]]
    assert len(whole["timeline"]) == 2 and whole["timeline"][0]["seq"] < whole["timeline"][1]["seq"]
    assert cut["totals"] == {
        "reports": 2,
        "tasks": len(whole["tasks"]),
        "open_tasks": len(whole["tasks"]) - 1,
        "victims": 1,
        "timeline": len(whole["timeline"]),
    }


async def test_a_username_as_a_report_shows_it_finds_the_account_over_the_api(
    neo4j: AsyncDriver, settings: Settings
) -> None:
    """Sought as typed, 'uncle.x' (the report's Facebook 'unclex') and a link to the profile
    found nothing where the account was in the case (a helper's bug hunt)."""
    from api.security.principal import Role
    from contracts.enums import Agency
    from tests.e2e.conftest import bearer
    from tests.integration.test_audit import _api

    name = unique("uncle.")
    outcome = await link(neo4j, triaged(platform_report(accounts=[account(name, "Facebook")])))
    analyst = bearer(Role.ANALYST, Agency.MCMC, "analyst-search-1")
    async with _api(settings, neo4j) as client:
        answers = [
            (
                await client.get(
                    "/v1/search", params={"kind": "username", "value": value}, headers=analyst
                )
            ).json()
            for value in (name, f"https://www.facebook.com/{name}", name.replace(".", ""))
        ]
    key = f"account:facebook:u:{name.replace('.', '')}"
    for answer in answers:
        assert [(r["key"], r["cases"]) for r in answer["results"]] == [(key, [outcome.case_id])]
        assert answer["truncated"] is False
