"""Batch linking decisions, without Neo4j: the same as linking reports one by one."""

from graph.grouping import ReportKeys, decide

OPENED = {"case-old": "2026-01-01", "case-new": "2026-06-01"}


def plan(reports: list[ReportKeys], cases_of_key: dict[str, list[str]] | None = None):
    return decide(
        reports, cases_of_key or {}, lambda c: (OPENED.get(c, ""), c), lambda rid: f"case-of-{rid}"
    )


def test_unrelated_reports_open_a_case_each() -> None:
    result = plan([ReportKeys("r1", ["a"]), ReportKeys("r2", ["b"])])
    assert [(d.case_id, d.kind) for d in result.decisions] == [
        ("case-of-r1", "opened"),
        ("case-of-r2", "opened"),
    ]
    assert result.opened == [("case-of-r1", "r1"), ("case-of-r2", "r2")]


def test_reports_sharing_a_key_in_one_batch_share_the_first_ones_case() -> None:
    result = plan([ReportKeys("r1", ["a"]), ReportKeys("r2", ["b"]), ReportKeys("r3", ["a", "c"])])
    assert [(d.report_id, d.case_id, d.kind) for d in result.decisions] == [
        ("r1", "case-of-r1", "opened"),
        ("r2", "case-of-r2", "opened"),
        ("r3", "case-of-r1", "linked"),
    ]
    assert result.decisions[2].shared_keys == ["a"]
    assert result.decisions[0].shared_keys == []


def test_chains_through_the_batch_join_one_group() -> None:
    result = plan([ReportKeys("r1", ["a"]), ReportKeys("r2", ["a", "b"]), ReportKeys("r3", ["b"])])
    assert {d.case_id for d in result.decisions} == {"case-of-r1"}


def test_a_report_touching_an_existing_case_links_to_it() -> None:
    result = plan([ReportKeys("r1", ["a"])], {"a": ["case-new"]})
    assert (result.decisions[0].case_id, result.decisions[0].kind) == ("case-new", "linked")
    assert result.opened == [] and result.merges == []


def test_two_cases_merge_into_the_oldest_on_the_report_that_bridges_them() -> None:
    result = plan(
        [ReportKeys("r1", ["a"]), ReportKeys("r2", ["a", "b"])],
        {"a": ["case-new"], "b": ["case-old"]},
    )
    assert [(d.case_id, d.kind) for d in result.decisions] == [
        ("case-old", "linked"),
        ("case-old", "merged"),
    ]
    (merge,) = result.merges
    assert (merge.survivor, merge.losers, merge.report_id) == ("case-old", ["case-new"], "r2")
    assert result.decisions[1].merged_case_ids == ["case-new"]


def test_reports_with_no_linkable_keys_stand_alone() -> None:
    result = plan([ReportKeys("r1", []), ReportKeys("r2", [])])
    assert [d.kind for d in result.decisions] == ["opened", "opened"]
    assert len({d.case_id for d in result.decisions}) == 2


def test_reports_reaching_one_case_by_different_keys_never_end_in_a_merged_case() -> None:
    # One by one: r1 merges case-d into case-mid and joins it; r2 then merges case-mid
    # into case-old, taking r1 along. Both must end in case-old, which absorbs the others.
    opened = {"case-old": "2026-01-01", "case-mid": "2026-03-01", "case-d": "2026-06-01"}
    result = decide(
        [ReportKeys("r1", ["m1", "d"]), ReportKeys("r2", ["o", "m2"])],
        {"m1": ["case-mid"], "d": ["case-d"], "o": ["case-old"], "m2": ["case-mid"]},
        lambda c: (opened[c], c),
        lambda rid: f"case-of-{rid}",
    )
    assert {d.case_id for d in result.decisions} == {"case-old"}
    merged_away = {loser for merge in result.merges for loser in merge.losers}
    assert merged_away == {"case-mid", "case-d"}
    assert {merge.survivor for merge in result.merges} == {"case-old"}


def test_a_merge_names_the_report_that_joins_the_cases_when_none_touches_both() -> None:
    """r1 joins case-old and a new key k; r2 joins case-new and k. One by one, r2 merges the
    cases: the merge named r1, which touched one case only."""
    result = plan(
        [ReportKeys("r1", ["a", "k"]), ReportKeys("r2", ["b", "k"])],
        {"a": ["case-old"], "b": ["case-new"]},
    )
    assert [(d.report_id, d.kind) for d in result.decisions] == [("r1", "linked"), ("r2", "merged")]
    [merge] = result.merges
    assert (merge.report_id, merge.survivor, merge.losers) == ("r2", "case-old", ["case-new"])
    assert merge.shared_keys == ["b", "k"]


def test_of_two_reports_that_could_merge_the_first_in_the_batch_does() -> None:
    result = plan(
        [ReportKeys("r1", ["x"]), ReportKeys("r2", ["a", "b"]), ReportKeys("r3", ["a", "b"])],
        {"a": ["case-old"], "b": ["case-new"]},
    )
    assert [d.kind for d in result.decisions] == ["opened", "merged", "linked"]
