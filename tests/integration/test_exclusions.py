"""The exclusion list, managed with graph.exclusions, against the real Neo4j."""

import asyncio
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from neo4j import AsyncDriver, Driver

from contracts.cases import ReportTriaged
from graph.exclusions import (
    NeedsConfirmation,
    add_exclusion,
    history,
    list_exclusions,
    main,
    reach,
    remove_exclusion,
)
from graph.linking import decide_batch, prepare_batch
from runtime.settings import Settings
from streams.fanout import plan_tasks
from streams.linker import _reconcile
from tests.factories import e164, malaysian_mobile, platform_report, triaged, unique
from tests.integration.locks import blocked_behind
from tests.integration.test_linking import link, query


def _phone() -> tuple[str, str]:
    """A Malaysian mobile number as a reporter writes it, and its key in the graph."""
    national = malaysian_mobile()
    return national, f"phone:{e164(national)}"


def _report_with(phone: str) -> ReportTriaged:
    """A platform report whose one identifier is this phone number."""
    return triaged(platform_report(accounts=[{"phone": phone}]))


async def test_an_excluded_identifier_stops_linking_and_its_removal_asks_before_merging(
    neo4j: AsyncDriver, neo4j_sync: Driver, settings: Settings
) -> None:
    db, cap = settings.neo4j_database, 50
    phone, key = _phone()
    first = await link(neo4j, _report_with(phone))
    assert key in await _keys(neo4j, first.report_id)

    # Typed as a reporter writes it; stored as the graph's key.
    added = add_exclusion(neo4j_sync, f"phone:{phone}", "carrier placeholder", "admin-1", db)
    assert (added.key, added.created, added.known) == (key, True, True)
    (rule,) = [r for r in list_exclusions(neo4j_sync, db) if r["key"] == key]
    assert (rule["reason"], rule["added_by"], rule["reports"]) == (
        "carrier placeholder",
        "admin-1",
        1,
    )
    rows = await query(neo4j, "MATCH (i:Identifier {key: $key}) RETURN i.excluded AS x", key=key)
    assert rows == [{"x": True}]
    excluded = await link(neo4j, _report_with(phone))
    assert excluded.kind == "opened" and excluded.case_id != first.case_id
    assert excluded.shared_keys == []

    # Two cases now carry the number: letting it link again would merge them.
    assert reach(neo4j_sync, key, db, cap).cases == 2
    with pytest.raises(NeedsConfirmation, match="reaches 2 cases"):
        remove_exclusion(neo4j_sync, key, "real number", "admin-2", db, cap, confirmed=False)
    assert key in {r["key"] for r in list_exclusions(neo4j_sync, db)}

    assert remove_exclusion(neo4j_sync, key, "real number", "admin-2", db, cap, True) == (
        key,
        True,
    )
    assert remove_exclusion(neo4j_sync, key, "again", "admin-2", db, cap, True) == (key, False)
    assert key not in {r["key"] for r in list_exclusions(neo4j_sync, db)}
    joined = await link(neo4j, _report_with(phone))
    assert joined.kind == "merged" and joined.case_id == first.case_id
    assert joined.merged_case_ids == [excluded.case_id]
    assert [(h["action"], h["by"], h["reason"]) for h in history(neo4j_sync, key, db)] == [
        ("added", "admin-1", "carrier placeholder"),
        ("removed", "admin-2", "real number"),
    ]


async def test_adding_a_rule_again_keeps_the_first_and_records_the_attempt(
    neo4j_sync: Driver, settings: Settings
) -> None:
    db = settings.neo4j_database
    _, key = _phone()
    first = add_exclusion(neo4j_sync, key, "placeholder", "admin-1", db)
    again = add_exclusion(neo4j_sync, key, "something else", "admin-2", db)
    assert (first.created, first.known) == (True, False)
    assert (again.created, again.added_by, again.reason) == (False, "admin-1", "placeholder")
    assert [h["action"] for h in history(neo4j_sync, key, db)] == ["added", "add_repeated"]


async def test_a_rule_added_between_preparation_and_decision_still_stops_linking(
    neo4j: AsyncDriver,
) -> None:
    # A rule added while a batch mentioning the identifier is being prepared does not mark
    # it (the preparation checked before the rule existed): the decision checks the rule.
    phone, key = _phone()
    first = await link(neo4j, _report_with(phone))
    second = _report_with(phone)
    batch = [(second.payload, second.correlation_id)]
    now = datetime.now(UTC)
    async with neo4j.session() as session:
        await session.execute_write(prepare_batch, batch, now, 50)
        await query(neo4j, "CREATE (:ExclusionRule {key: $key, reason: 'race'})", key=key)
        rows = await query(
            neo4j, "MATCH (i:Identifier {key: $key}) RETURN i.excluded AS x", key=key
        )
        assert rows == [{"x": False}]
        (outcome,) = await session.execute_write(
            decide_batch, batch, now, 50, plan_tasks, _reconcile
        )
    assert outcome.kind == "opened" and outcome.case_id != first.case_id


async def test_a_removal_waits_for_a_decision_in_progress_and_counts_its_cases(
    neo4j: AsyncDriver, neo4j_sync: Driver, settings: Settings
) -> None:
    # A decision in progress attaches a report carrying the excluded number to a new case:
    # a removal checked beside it would count one case and let the next report merge two
    # without asking. It waits for the decision's lock instead, and then counts two.
    db, cap = settings.neo4j_database, 50
    phone, key = _phone()
    await link(neo4j, _report_with(phone))
    add_exclusion(neo4j_sync, key, "placeholder", "admin-1", db)
    second = _report_with(phone)
    batch = [(second.payload, second.correlation_id)]
    now = datetime.now(UTC)
    async with neo4j.session() as session:
        await session.execute_write(prepare_batch, batch, now, cap)
    decider, tag = neo4j.session(), unique("decision")
    tx = await decider.begin_transaction(metadata={"test": tag})
    removing = None
    try:
        (outcome,) = await decide_batch(tx, batch, now, cap, plan_tasks, _reconcile)  # type: ignore[arg-type]
        assert outcome.kind == "opened"
        removing = asyncio.create_task(
            asyncio.to_thread(
                remove_exclusion, neo4j_sync, key, "real number", "admin-2", db, cap, False
            )
        )
        assert await blocked_behind(neo4j, tag), "the removal never waited for the decision"
        assert not removing.done()
    finally:
        await tx.commit()
        await decider.close()
    with pytest.raises(NeedsConfirmation, match="reaches 2 cases"):
        await removing
    assert key in {r["key"] for r in list_exclusions(neo4j_sync, db)}


async def test_removing_a_hubs_rule_asks_nothing_and_does_not_walk_its_mentions(
    neo4j: AsyncDriver, neo4j_sync: Driver, settings: Settings
) -> None:
    # Past the degree cap an identifier never links again, so its removal merges nothing;
    # its mentions (a viral file's: thousands) are not walked under the decision lock.
    db, cap = settings.neo4j_database, 2
    phone, key = _phone()
    add_exclusion(neo4j_sync, key, "placeholder", "admin-1", db)
    for _ in range(3):
        await link(neo4j, _report_with(phone))
    found = reach(neo4j_sync, key, db, cap)
    assert (found.excluded, found.hub, found.cases) == (True, True, 0)
    assert remove_exclusion(neo4j_sync, key, "viral", "admin-1", db, cap, False) == (key, True)


def test_a_rule_stored_before_keys_were_normalised_can_still_be_removed(
    neo4j_sync: Driver, settings: Settings
) -> None:
    db, typed = settings.neo4j_database, f"phone:012-{uuid4().int % 10**7:07d}"
    neo4j_sync.execute_query("CREATE (:ExclusionRule {key: $key})", key=typed, database_=db)
    assert remove_exclusion(neo4j_sync, typed, "never matched", "admin-1", db, 50, False) == (
        typed,
        True,
    )


def test_bad_keys_and_missing_reasons_are_refused(neo4j_sync: Driver, settings: Settings) -> None:
    db = settings.neo4j_database
    for key in ["nocolon", "colour:red", "phone:", "phone:12345", "ip:10.1.2.3"]:
        with pytest.raises(ValueError, match="not an identifier key|not a linkable"):
            add_exclusion(neo4j_sync, key, "r", "admin-1", db)
    # A link to a profile links as its account (2026-12-02): a rule on the link never matched.
    with pytest.raises(ValueError, match="links as account:telegram:u:uncle_x1"):
        add_exclusion(neo4j_sync, "url:t.me/uncle_x1", "r", "admin-1", db)
    with pytest.raises(ValueError, match="reason"):
        add_exclusion(neo4j_sync, "phone:0123456789", " ", "admin-1", db)
    with pytest.raises(ValueError, match="who decided"):
        add_exclusion(neo4j_sync, "phone:0123456789", "placeholder", "", db)


def test_the_command_line_adds_lists_removes_and_shows_history(
    neo4j_sync: Driver, capsys: pytest.CaptureFixture[str]
) -> None:
    national, key = _phone()
    spaced = f"{national[:3]} {national[3:6]} {national[6:]}"
    assert (
        main(["add", "phone:", *spaced.split(), "--reason", "placeholder", "--by", "admin-1"]) == 0
    )
    assert main(["list"]) == 0
    assert main(["remove", key, "--reason", "real number", "--by", "admin-1"]) == 0
    assert main(["remove", key, "--reason", "real number", "--by", "admin-1"]) == 1
    assert main(["history", key]) == 0
    assert main(["add", "bogus", "--reason", "x", "--by", "admin-1"]) == 2
    out, err = capsys.readouterr()
    assert f"excluded {key} (not in the graph yet" in out
    assert f"{key}\t0 reports" in out and "placeholder" in out
    assert f"removed {key}" in out
    assert f"not excluded: {key}" in err
    assert "\tadded\tadmin-1\tplaceholder" in out and "\tremoved\tadmin-1\treal number" in out
    assert "not an identifier key" in err
    # A key nobody ever excluded says so, rather than printing nothing (a walk-through).
    _, untouched = _phone()
    assert main(["history", untouched]) == 0
    out, _ = capsys.readouterr()
    assert out == f"no exclusion changes recorded for {untouched}\n"


async def _keys(neo4j: AsyncDriver, report_id: str) -> list[str]:
    rows = await query(
        neo4j,
        "MATCH (:Report {id: $rid})-[:MENTIONS]->(i) RETURN collect(i.key) AS keys",
        rid=report_id,
    )
    return rows[0]["keys"]


async def test_excluding_a_phone_excludes_the_same_number_as_a_handle(
    neo4j: AsyncDriver, capsys: pytest.CaptureFixture[str]
) -> None:
    """The usual placeholder number is also a WhatsApp handle and a payment handle: excluded
    as a phone only, those two still linked unrelated reports."""
    national, key = _phone()
    number = key.removeprefix("phone:")
    assert main(["add", key, "--reason", "placeholder", "--by", "admin-1"]) == 0
    out, _ = capsys.readouterr()
    assert f"excluded account:whatsapp:u:{number} (the same number)" in out
    assert f"excluded payment:tng:{number} (the same number)" in out

    def reported(**extra: object) -> ReportTriaged:
        account = {"platform": "whatsapp", "username": national, **extra}
        return triaged(platform_report(accounts=[account]))

    first = await link(neo4j, reported())
    second = await link(neo4j, reported(payment_handles=[f"tng {national}"]))
    assert first.case_id != second.case_id  # the handle no longer links them
    assert main(["remove", key, "--reason", "a real number", "--by", "admin-1", "--yes"]) == 0
    out, _ = capsys.readouterr()
    assert f"still excluded: account:whatsapp:u:{number}" in out


def test_excluding_a_handle_excludes_the_number_but_not_a_key_someone_let_link(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A WhatsApp handle written as a phone is that phone's identifier too: excluded alone,
    the number went on linking. A key of the number whose rule someone removed is left to
    link, and said so."""
    number = _phone()[1].removeprefix("phone:")
    assert main(["add", f"account:whatsapp:u:{number}", "--reason", "bait", "--by", "a"]) == 0
    out, _ = capsys.readouterr()
    assert f"excluded phone:{number} (the same number)" in out

    number = _phone()[1].removeprefix("phone:")
    telegram, handle = f"account:telegram:u:{number}", f"account:whatsapp:u:{number}"
    assert main(["add", telegram, "--reason", "bot", "--by", "admin-1"]) == 0  # all its keys
    for key in (telegram, handle):
        assert main(["remove", key, "--reason", "a real account", "--by", "admin-1", "--yes"]) == 0
    capsys.readouterr()
    assert main(["add", handle, "--reason", "scam bait", "--by", "admin-1"]) == 0
    out, _ = capsys.readouterr()
    assert f"excluded {handle}" in out
    assert f"left to link: {telegram}" in out and f"excluded {telegram}" not in out


async def test_excluding_a_file_by_one_hash_excludes_its_other_hashes(
    neo4j: AsyncDriver, neo4j_sync: Driver, capsys: pytest.CaptureFixture[str]
) -> None:
    """A viral file reported with its MD5 and its SHA-256: excluded by the SHA-256, it went on
    linking unrelated reports by the MD5. Another file of the same report is not that file."""
    sha256, md5, other_md5 = uuid4().hex * 2, uuid4().hex, uuid4().hex
    items = [{"sha256": sha256, "md5": md5}, {"md5": other_md5}]
    first = await link(neo4j, triaged(platform_report(content=items)))
    key = f"content:sha256:{sha256}"
    assert main(["add", key, "--reason", "viral meme", "--by", "admin-1"]) == 0
    out, _ = capsys.readouterr()
    assert f"excluded content:md5:{md5} (the same file)" in out
    assert other_md5 not in out
    (change,) = history(neo4j_sync, f"content:md5:{md5}", "neo4j")
    assert (change["action"], change["reason"]) == ("added", f"the same file as {key}: viral meme")

    by_md5 = await link(neo4j, triaged(platform_report(content=[{"md5": md5}])))
    assert by_md5.case_id != first.case_id
    by_other_file = await link(neo4j, triaged(platform_report(content=[{"md5": other_md5}])))
    assert by_other_file.case_id == first.case_id

    assert main(["remove", key, "--reason", "not viral", "--by", "admin-1", "--yes"]) == 0
    out, _ = capsys.readouterr()
    assert f"still excluded: content:md5:{md5} (the same file; remove it on its own)" in out


async def test_a_rule_on_one_hash_of_a_file_gets_rules_on_its_others(
    neo4j: AsyncDriver, neo4j_sync: Driver
) -> None:
    """Rules added before 2026-12-01 named one hash: the repair adds the file's others, with
    the rule's reason, but not for a file one of whose hashes someone let link."""
    from graph.repairs import REPAIRS, exclude_same_files

    assert REPAIRS["2026-12-01-same-file-rules"] is exclude_same_files
    files = [(uuid4().hex * 2, uuid4().hex) for _ in "ab"]
    await link(neo4j, triaged(platform_report(content=[{"sha256": s, "md5": m} for s, m in files])))
    (excluded, _), (let_link, let_link_md5) = files
    for sha256 in (excluded, let_link):
        neo4j_sync.execute_query(
            "CREATE (:ExclusionRule {key: $key, reason: 'viral', added_by: 'admin-1'})",
            key=f"content:sha256:{sha256}",
        )
    assert main(["add", f"content:md5:{let_link_md5}", "--reason", "x", "--by", "admin-1"]) == 0
    assert main(["remove", f"content:md5:{let_link_md5}", "--reason", "y", "--by", "admin-1"]) == 0
    mine = [f"content:sha256:{excluded}", f"content:sha256:{let_link}"]
    assert sum(exclude_same_files(neo4j_sync, "neo4j", key) for key in mine) == 1
    rules = {row["key"]: row["reason"] for row in list_exclusions(neo4j_sync, "neo4j")}
    assert rules[f"content:md5:{files[0][1]}"] == (
        f"the same file as {mine[0]} (data repair 2026-12-01): viral"
    )
    assert f"content:md5:{let_link_md5}" not in rules
    assert sum(exclude_same_files(neo4j_sync, "neo4j", key) for key in mine) == 0


@pytest.mark.parametrize(
    ("reason", "by", "refused"),
    [
        ("placeholder\tnumber", "admin-1", "a reason must be one line"),
        ("placeholder\nnumber", "admin-1", "a reason must be one line"),
        ("placeholder", "admin\n1", r"who decided it \(--by\) must be one line"),
        ("placeholder", "system", "kept for the data repairs"),
        ("placeholder", " System ", "kept for the data repairs"),
    ],
)
def test_a_reason_or_name_that_would_break_the_columns_or_pose_as_a_repair_is_refused(
    neo4j_sync: Driver, settings: Settings, reason: str, by: str, refused: str
) -> None:
    """A tab or a line break in a reason shifted `list`'s and `history`'s columns; a removal
    recorded as by 'system' was ignored where a person's removals are honoured (LET_LINK)."""
    _, key = _phone()
    with pytest.raises(ValueError, match=refused):
        add_exclusion(neo4j_sync, key, reason, by, settings.neo4j_database)
    with pytest.raises(ValueError, match=refused):
        remove_exclusion(neo4j_sync, key, reason, by, settings.neo4j_database, 50, True)
    assert history(neo4j_sync, key, settings.neo4j_database) == []


def test_adding_a_phone_again_records_the_attempt_on_that_key_only(
    neo4j_sync: Driver, settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """The number's other keys (handles, payment keys) have their rules: a repeated `add`
    recorded an 'add_repeated' change on each of them too."""
    _, key = _phone()
    handle = f"account:whatsapp:u:{key.removeprefix('phone:')}"
    assert main(["add", key, "--reason", "placeholder", "--by", "admin-1"]) == 0
    assert main(["add", key, "--reason", "placeholder again", "--by", "admin-2"]) == 0
    out, _ = capsys.readouterr()
    assert f"already excluded: {key} (by admin-1: placeholder)" in out
    db = settings.neo4j_database
    assert [row["action"] for row in history(neo4j_sync, key, db)] == ["added", "add_repeated"]
    assert [row["action"] for row in history(neo4j_sync, handle, db)] == ["added"]


async def test_adding_a_rule_says_how_many_cases_it_leaves_linked(
    neo4j: AsyncDriver, capsys: pytest.CaptureFixture[str]
) -> None:
    national, key = _phone()
    first = await link(neo4j, _report_with(national))
    second = await link(neo4j, _report_with(national))
    assert first.case_id == second.case_id
    assert main(["add", key, "--reason", "placeholder", "--by", "admin-1"]) == 0
    out, _ = capsys.readouterr()
    assert f"excluded {key}\n  it reaches 1 live case(s), which stay linked as they are\n" in out


async def test_an_excluded_number_does_not_link_through_a_link_to_its_chat(
    neo4j: AsyncDriver,
) -> None:
    """'wa.me/<number>' was also a URL identifier, which no rule of the number covered: with
    the number excluded, public reports pasting its chat link still merged into one case."""
    from tests.integration.test_linking import _public_report

    national, key = _phone()
    assert main(["add", key, "--reason", "scam bait", "--by", "admin-1"]) == 0
    number = key.removeprefix("phone:+")
    first = await link(neo4j, _public_report(urls=[f"https://wa.me/{number}"]))
    second = await link(neo4j, _public_report(urls=[f"wa.me/{number}"]))
    assert first.case_id != second.case_id
    assert not any(k.startswith("url:") for k in await _keys(neo4j, second.report_id))
