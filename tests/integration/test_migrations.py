"""Migrations that repair data, run against the real Neo4j on data broken the way they fix."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from neo4j import Driver

from graph.migrate import MIGRATIONS, apply_file
from graph.repairs import rekey_victim_pseudonyms
from runtime.pseudonyms import unkeyed_pseudonym, victim_pseudonym


def test_0011_renumbers_mentions_a_race_numbered_twice_and_recounts(neo4j_sync: Driver) -> None:
    key = f"test:recount:{uuid4().hex}"
    # Four mentions, numbered 0, 1, 0, 1 and counted 2: what two lost updates left behind.
    neo4j_sync.execute_query(
        "CREATE (i:Identifier {key: $key, report_count: 2}) "
        "WITH i UNWIND range(0, 3) AS k "
        "CREATE (:Report {id: $key + ':' + k})-[:MENTIONS {seq: k % 2, first_seen: datetime()}]->(i)",
        key=key,
    )
    try:
        apply_file(neo4j_sync, MIGRATIONS / "0011_recount_mentions.cypher")
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (i:Identifier {key: $key})<-[m:MENTIONS]-(r:Report) "
            "WITH i, m, r ORDER BY m.seq "
            "RETURN i.report_count AS count, collect(m.seq) AS seqs, collect(r.id) AS reports",
            key=key,
        )
        (row,) = records
        assert row["count"] == 4
        assert row["seqs"] == [0, 1, 2, 3]
        # Mentions that shared a number keep their order: both 0s come before both 1s.
        assert sorted(row["reports"][:2]) == [f"{key}:0", f"{key}:2"]
    finally:
        neo4j_sync.execute_query(
            "MATCH (i:Identifier {key: $key}) OPTIONAL MATCH (r:Report)-[:MENTIONS]->(i) "
            "DETACH DELETE r, i",
            key=key,
        )


def test_0016_marks_tasks_the_earlier_code_escalated_as_overdue(neo4j_sync: Driver) -> None:
    """Escalated as overdue before the marker existed: not to be escalated a second time.
    Escalated as unclaimed: left unmarked, its deadline's alarm is still to come."""
    prefix = f"test:0016:{uuid4().hex}"
    neo4j_sync.execute_query(
        "UNWIND ['overdue', 'unclaimed'] AS reason "
        "CREATE (:Task {id: $prefix + reason, status: 'claimed', reason: reason, "
        "escalated_at: datetime('2026-11-29T10:00:00Z')})",
        prefix=prefix,
    )
    try:
        apply_file(neo4j_sync, MIGRATIONS / "0016_task_overdue_marker.cypher")
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id STARTS WITH $prefix "
            "RETURN t.reason AS reason, t.overdue_escalated_at = t.escalated_at AS marked, "
            "t.overdue_escalated_at IS NULL AS unmarked",
            prefix=prefix,
        )
        rows = {r["reason"]: (r["marked"], r["unmarked"]) for r in records}
        assert rows == {"overdue": (True, False), "unclaimed": (None, True)}
    finally:
        neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id STARTS WITH $prefix DELETE t", prefix=prefix
        )


def test_0017_makes_each_provisioning_marker_one_node_a_name(neo4j_sync: Driver) -> None:
    """Two processes provisioning at once could each MERGE a marker of one name; with two
    InstallKey nodes the pseudonym key check read either. Copies are merged, then refused."""
    from neo4j.exceptions import ConstraintError

    name = f"test:0017:{uuid4().hex}"
    for constraint in ("data_repair_name", "install_key_name"):
        neo4j_sync.execute_query(f"DROP CONSTRAINT {constraint} IF EXISTS")
    neo4j_sync.execute_query(
        "UNWIND range(1, 2) AS n "
        "CREATE (:DataRepair {name: $name}), (:InstallKey {name: $name, check: 'c'})",
        name=name,
    )
    try:
        apply_file(neo4j_sync, MIGRATIONS / "0017_marker_names_unique.cypher")
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:DataRepair OR n:InstallKey) AND n.name = $name "
            "RETURN labels(n)[0] AS label, count(*) AS n ORDER BY label",
            name=name,
        )
        assert [(r["label"], r["n"]) for r in records] == [("DataRepair", 1), ("InstallKey", 1)]
        with pytest.raises(ConstraintError):
            neo4j_sync.execute_query("CREATE (:DataRepair {name: $name})", name=name)
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:DataRepair OR n:InstallKey) AND n.name = $name DELETE n",
            name=name,
        )
        apply_file(neo4j_sync, MIGRATIONS / "0017_marker_names_unique.cypher")


def test_victim_support_tasks_move_to_the_keyed_pseudonym_of_their_victim(
    neo4j_sync: Driver,
) -> None:
    """Tasks made before pseudonyms were keyed name their victim by the unkeyed one: moved,
    so that the next report about that victim finds its open task, not a second slot."""
    ref = f"test-org:VIC-{uuid4().hex}"
    ids = [f"test:rekey:{uuid4().hex}" for _ in range(2)]
    neo4j_sync.execute_query(
        "CREATE (:Victim {ref: $ref}) "
        "CREATE (:Task {id: $ids[0], task_type: 'victim_support', target: $old}) "
        "CREATE (:Task {id: $ids[1], task_type: 'victim_support', target: 'victim-000000000000'})",
        ref=ref,
        ids=ids,
        old=unkeyed_pseudonym(ref),
    )
    try:
        assert rekey_victim_pseudonyms(neo4j_sync, "neo4j") >= 1
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id IN $ids RETURN t.id AS id, t.target AS target", ids=ids
        )
        targets = {r["id"]: r["target"] for r in records}
        assert targets == {ids[0]: victim_pseudonym(ref), ids[1]: "victim-000000000000"}
        assert rekey_victim_pseudonyms(neo4j_sync, "neo4j") == 0  # nothing left to move
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Task AND n.id IN $ids) OR (n:Victim AND n.ref = $ref) DELETE n",
            ids=ids,
            ref=ref,
        )


def test_a_process_with_another_pseudonym_key_refuses_to_start(neo4j_sync: Driver) -> None:
    """The graph keeps a check value of the key it was made with: a worker holding another
    (started where the install's key file is not) would name each victim two ways."""
    from graph.repairs import check_pseudonym_key

    check_pseudonym_key(neo4j_sync)  # this process's key is the graph's
    records, _, _ = neo4j_sync.execute_query(
        "MATCH (k:InstallKey {name: 'pseudonym'}) RETURN k.check AS check"
    )
    kept = records[0]["check"]
    neo4j_sync.execute_query("MATCH (k:InstallKey {name: 'pseudonym'}) SET k.check = 'another'")
    try:
        with pytest.raises(RuntimeError, match="not the one this graph was made with"):
            check_pseudonym_key(neo4j_sync)
    finally:
        neo4j_sync.execute_query(
            "MATCH (k:InstallKey {name: 'pseudonym'}) SET k.check = $kept", kept=kept
        )


def test_url_identifiers_and_rules_move_to_todays_canonical_form(neo4j_sync: Driver) -> None:
    """Since 2026-11-30 'example.com/x' (read as http) and 'https://example.com/x' are one
    identifier, and a path is percent-encoded. Stored before: an identifier whose new form
    exists gives it its mentions, numbered again in the order they were made; one without is
    renamed; rules move too; two old forms of one URL become one identifier."""
    from graph.repairs import recanonicalise_urls

    host = f"test-{uuid4().hex}.example"
    joined, renamed = f"url:http://{host}/a", f"url:http://{host}/b"
    twin = f"url:https://{host}/a"
    within = f"url:http://{host}/"  # this test's keys only: a graph may hold many others
    rids = [f"test:join:{uuid4().hex}" for _ in range(7)]
    neo4j_sync.execute_query(
        """
        CREATE (old:Identifier {key: $joined, kind: 'url', value: 'http://' + $host + '/a',
                                report_count: 2, first_seen: datetime('2026-11-01T00:00:00Z'),
                                last_seen: datetime('2026-11-03T00:00:00Z')})
        CREATE (new:Identifier {key: $twin, kind: 'url', value: 'https://' + $host + '/a',
                                report_count: 1, first_seen: datetime('2026-11-02T00:00:00Z'),
                                last_seen: datetime('2026-11-02T00:00:00Z')})
        CREATE (b:Identifier {key: $renamed, kind: 'url', value: 'http://' + $host + '/b',
                              report_count: 1, excluded: true})
        CREATE (:Report {id: $rids[0]})-[:MENTIONS {seq: 0, report_id: $rids[0],
                 first_seen: datetime('2026-11-01T00:00:00Z')}]->(old)
        CREATE (:Report {id: $rids[1]})-[:MENTIONS {seq: 1, report_id: $rids[1],
                 first_seen: datetime('2026-11-03T00:00:00Z')}]->(old)
        CREATE (:Report {id: $rids[2]})-[:MENTIONS {seq: 0, report_id: $rids[2],
                 first_seen: datetime('2026-11-02T00:00:00Z')}]->(new)
        CREATE (:Report {id: $rids[3]})-[:MENTIONS {seq: 0, report_id: $rids[3],
                 first_seen: datetime('2026-11-04T00:00:00Z')}]->(b)
        CREATE (:ExclusionRule {key: $renamed, reason: 'a viral page', added_by: 'admin-1'})
        // A report that named both forms (earlier code kept them apart): one mention after.
        CREATE (both:Report {id: $rids[6]})
        CREATE (both)-[:MENTIONS {seq: 2, report_id: $rids[6],
                 first_seen: datetime('2026-11-05T00:00:00Z')}]->(old)
        CREATE (both)-[:MENTIONS {seq: 1, report_id: $rids[6],
                 first_seen: datetime('2026-11-05T00:00:00Z')}]->(new)
        // A rule in the old form, the identifier already in the new one: it gets the mark.
        CREATE (:ExclusionRule {key: 'url:http://' + $host + '/e', reason: 'spam', added_by: 'a'})
        CREATE (:Identifier {key: 'url:https://' + $host + '/e', kind: 'url',
                             value: 'https://' + $host + '/e', report_count: 0, excluded: false})
        WITH 1 AS one
        UNWIND [['http://' + $host + '/c d', 4], ['http://' + $host + '/c%20d', 5]] AS form
        CREATE (:Report {id: $rids[form[1]]})-[:MENTIONS {seq: 0, report_id: $rids[form[1]],
                 first_seen: datetime('2026-11-0' + form[1] + 'T00:00:00Z')}]->
               (:Identifier {key: 'url:' + form[0], kind: 'url', value: form[0], report_count: 1})
        """,
        joined=joined,
        twin=twin,
        renamed=renamed,
        host=host,
        rids=rids,
    )
    try:
        assert recanonicalise_urls(neo4j_sync, "neo4j", within) >= 4
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (i:Identifier) WHERE i.key STARTS WITH 'url:' AND i.value CONTAINS $host "
            "OPTIONAL MATCH (r:Report)-[m:MENTIONS]->(i) WITH i, r, m ORDER BY m.seq "
            "RETURN i.key AS key, i.value AS value, i.report_count AS count, "
            "i.excluded AS excluded, toString(i.first_seen) AS first_seen, "
            "collect(r.id) AS reports, collect(m.seq) AS seqs",
            host=host,
        )
        rows = {r["key"]: r for r in records}
        spaced = f"url:https://{host}/c%20d"
        marked = f"url:https://{host}/e"
        assert set(rows) == {twin, f"url:https://{host}/b", spaced, marked}
        assert rows[marked]["excluded"] is True
        # Two old forms of one URL ('/c d' and '/c%20d' over http): one identifier now.
        assert rows[spaced]["reports"] == [rids[4], rids[5]] and rows[spaced]["count"] == 2
        merged = rows[twin]
        # The order they were made, and the report that named both forms once.
        assert merged["reports"] == [rids[0], rids[2], rids[1], rids[6]]
        assert merged["seqs"] == [0, 1, 2, 3] and merged["count"] == 4
        assert merged["first_seen"] == "2026-11-01T00:00:00Z"
        moved = rows[f"url:https://{host}/b"]
        assert moved["value"] == f"https://{host}/b" and moved["reports"] == [rids[3]]
        assert moved["excluded"] is True
        rules, _, _ = neo4j_sync.execute_query(
            "MATCH (e:ExclusionRule) WHERE e.key CONTAINS $host RETURN e.key AS key, "
            "e.reason AS reason",
            host=host,
        )
        assert sorted((r["key"], r["reason"]) for r in rules) == [
            (f"url:https://{host}/b", "a viral page"),
            (marked, "spam"),
        ]
        changes, _, _ = neo4j_sync.execute_query(
            "MATCH (c:ExclusionChange) WHERE c.key CONTAINS $host "
            "RETURN c.key AS key, c.action AS action ORDER BY c.key",
            host=host,
        )
        assert [(c["key"], c["action"]) for c in changes] == [
            (renamed, "removed"),
            (f"url:http://{host}/e", "removed"),
            (f"url:https://{host}/b", "added"),
            (marked, "added"),
        ]
        assert recanonicalise_urls(neo4j_sync, "neo4j", within) == 0  # nothing left to move
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Report AND n.id IN $rids) "
            "OR ((n:Identifier OR n:ExclusionRule OR n:ExclusionChange) AND n.key CONTAINS $host) "
            "DETACH DELETE n",
            rids=rids,
            host=host,
        )


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def test_account_handles_and_their_suspects_move_to_todays_form(neo4j_sync: Driver) -> None:
    """Since 2026-11-30 a handle pasted in full-width forms is the handle ('ｕｎｃｌｅ＿ｘ' is
    'uncle_x'). Stored before: its identifier joins the one of today's form (mentions, the
    suspects that use it), and its suspect joins that identifier's suspect (the reports that
    name it, what it uses). An account whose platform name changed form follows onto that
    platform."""
    from graph.repairs import rekey_account_handles

    tag = uuid4().hex[:12]
    handle = f"uncle_{tag}"
    old, new = f"account:telegram:u:{_full_width(handle)}", f"account:telegram:u:{handle}"
    moved, renamed = f"account:test-host-{tag} sdn. bhd.:u:abc", f"account:test-host-{tag}:u:abc"
    rids = [f"test:rekey:{uuid4().hex}" for _ in range(3)]
    neo4j_sync.execute_query(
        """
        MERGE (tg:Platform {name: 'telegram'})
        CREATE (host:Platform {name: $host})
        CREATE (o:Identifier:Account {key: $old, kind: 'account', value: substring($old, 8),
                                      report_count: 1, first_seen: datetime('2026-11-01T00:00:00Z'),
                                      last_seen: datetime('2026-11-01T00:00:00Z')})
               -[:ON_PLATFORM {first_seen: datetime(), last_seen: datetime()}]->(tg)
        CREATE (n:Identifier:Account {key: $new, kind: 'account', value: substring($new, 8),
                                      report_count: 1, first_seen: datetime('2026-11-02T00:00:00Z'),
                                      last_seen: datetime('2026-11-02T00:00:00Z')})
               -[:ON_PLATFORM {first_seen: datetime(), last_seen: datetime()}]->(tg)
        CREATE (m:Identifier:Account {key: $moved, kind: 'account', value: substring($moved, 8),
                                      report_count: 1})
               -[:ON_PLATFORM {first_seen: datetime(), last_seen: datetime(), report_id: 'r'}]->(host)
        CREATE (r0:Report {id: $rids[0]})-[:MENTIONS {seq: 0, report_id: $rids[0],
                 first_seen: datetime('2026-11-01T00:00:00Z')}]->(o)
        CREATE (r1:Report {id: $rids[1]})-[:MENTIONS {seq: 0, report_id: $rids[1],
                 first_seen: datetime('2026-11-02T00:00:00Z')}]->(n)
        CREATE (r2:Report {id: $rids[2]})-[:MENTIONS {seq: 0, report_id: $rids[2],
                 first_seen: datetime('2026-11-03T00:00:00Z')}]->(m)
        CREATE (so:Suspect {id: 'suspect:' + $old, first_seen: datetime('2026-11-01T00:00:00Z'),
                            last_seen: datetime('2026-11-01T00:00:00Z')})
        CREATE (sn:Suspect {id: 'suspect:' + $new, first_seen: datetime('2026-11-02T00:00:00Z'),
                            last_seen: datetime('2026-11-02T00:00:00Z')})
        CREATE (r0)-[:NAMES {report_id: $rids[0]}]->(so), (r1)-[:NAMES {report_id: $rids[1]}]->(sn)
        // A suspect whose account an earlier, stopped pass moved already: moved on its own.
        CREATE (:Suspect {id: 'suspect:' + $old + 'ｚ', first_seen: datetime(), last_seen: datetime()})
        CREATE (so)-[:USES {first_seen: datetime('2026-11-01T00:00:00Z'),
                            last_seen: datetime('2026-11-01T00:00:00Z')}]->(o)
        CREATE (sn)-[:USES {first_seen: datetime('2026-11-02T00:00:00Z'),
                            last_seen: datetime('2026-11-02T00:00:00Z')}]->(n)
        """,
        old=old,
        new=new,
        moved=moved,
        host=f"test-host-{tag} sdn. bhd.",
        rids=rids,
    )
    try:
        # This test's keys only (a graph may hold many others): two prefixes.
        moved_now = rekey_account_handles(neo4j_sync, "neo4j", "account:telegram:u:ｕ")
        moved_now += rekey_account_handles(neo4j_sync, "neo4j", f"account:test-host-{tag}")
        assert moved_now == 2
        records, _, _ = neo4j_sync.execute_query(
            """
            MATCH (i:Identifier) WHERE i.key IN [$old, $new, $moved, $renamed]
            OPTIONAL MATCH (r:Report)-[m:MENTIONS]->(i)
            WITH i, r, m ORDER BY m.seq
            WITH i, collect(r.id) AS reports, collect(m.seq) AS seqs
            OPTIONAL MATCH (su:Suspect)-[:USES]->(i)
            WITH i, reports, seqs, collect(su.id) AS users
            OPTIONAL MATCH (i)-[:ON_PLATFORM]->(p:Platform)
            RETURN i.key AS key, i.value AS value, reports, seqs, users,
                   collect(p.name) AS platforms
            """,
            old=old,
            new=new,
            moved=moved,
            renamed=renamed,
        )
        rows = {r["key"]: r for r in records}
        assert set(rows) == {new, renamed}
        assert rows[new]["reports"] == [rids[0], rids[1]] and rows[new]["seqs"] == [0, 1]
        assert rows[new]["users"] == [f"suspect:{new}"]  # one suspect, one edge
        assert rows[new]["platforms"] == ["telegram"]
        assert rows[renamed]["value"] == renamed.removeprefix("account:")
        assert rows[renamed]["platforms"] == [f"test-host-{tag}"]
        suspects, _, _ = neo4j_sync.execute_query(
            "MATCH (s:Suspect) WHERE s.id IN ['suspect:' + $old, 'suspect:' + $new] "
            "OPTIONAL MATCH (r:Report)-[:NAMES]->(s) WITH s, r ORDER BY r.id "
            "RETURN s.id AS id, collect(r.id) AS named, toString(s.first_seen) AS first_seen",
            old=old,
            new=new,
        )
        assert [(s["id"], s["named"]) for s in suspects] == [(f"suspect:{new}", sorted(rids[:2]))]
        assert suspects[0]["first_seen"] == "2026-11-01T00:00:00Z"
        alone, _, _ = neo4j_sync.execute_query(
            "MATCH (s:Suspect) WHERE s.id IN ['suspect:' + $old + 'ｚ', 'suspect:' + $new + 'z'] "
            "RETURN s.id AS id",
            old=old,
            new=new,
        )
        assert [s["id"] for s in alone] == [f"suspect:{new}z"]
        again = rekey_account_handles(neo4j_sync, "neo4j", f"account:test-host-{tag}")
        assert again == 0  # nothing left to move
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Report AND n.id IN $rids) "
            "OR (n:Identifier AND n.key IN [$old, $new, $moved, $renamed]) "
            "OR (n:Suspect AND n.id IN ['suspect:' + $old, 'suspect:' + $new, "
            "'suspect:' + $old + 'ｚ', 'suspect:' + $new + 'z']) "
            "OR (n:Platform AND n.name STARTS WITH $host) "
            "DETACH DELETE n",
            rids=rids,
            old=old,
            new=new,
            moved=moved,
            renamed=renamed,
            host=f"test-host-{tag}",
        )


def test_accounts_and_open_tasks_move_from_a_platforms_alias_to_its_service(
    neo4j_sync: Driver,
) -> None:
    """Since 2026-11-30 'm.facebook.com', 'FB Messenger' and their like are Facebook. An
    account stored under such a name joins (or becomes) the Facebook account; the open
    takedown or preservation task addressed to the alias is addressed to 'facebook', so
    that the next report calls for that task instead of a second one; of two that become one
    (two aliases, or an alias and 'facebook' in one case) the one furthest along stays and
    the other closes as superseded by it, as in a merge, its agency told through the outbox
    and its case's status following (they were both left open before); closed tasks keep
    their history; a platform left with nothing on it goes."""
    from graph.platform_tasks import repair_platform_tasks
    from graph.repairs import move_platform_aliases

    tag = uuid4().hex[:12]
    mobile, web = f"x{tag}.m.facebook.com", f"y{tag}.web.facebook.com"
    wa_web = f"z{tag}.web.whatsapp.com"
    old, twin = f"account:{mobile}:u:test-{tag}", f"account:facebook:u:test-{tag}"
    alone, alone_now = f"account:{mobile}:u:other-{tag}", f"account:facebook:u:other-{tag}"
    cases = [str(uuid4()) for _ in "abc"]
    ids = [str(uuid4()) for _ in range(6)]
    rid = f"test:alias:{uuid4().hex}"
    tasks = [
        # (id, case, type, target, status): created in this order.
        (ids[0], cases[0], "preservation_request", mobile, "received"),
        (ids[1], cases[0], "preservation_request", web, "in_progress"),
        (ids[2], cases[0], "preservation_request", mobile, "completed"),
        (ids[3], cases[1], "takedown_notice", "facebook", "claimed"),
        (ids[4], cases[1], "takedown_notice", web, "escalated"),  # unclaimed, by the SLA
        (ids[5], cases[2], "takedown_notice", wa_web, "in_progress"),
    ]
    neo4j_sync.execute_query(
        """
        MERGE (fb:Platform {name: 'facebook'})
        CREATE (alias:Platform {name: $mobile})
        CREATE (o:Identifier:Account {key: $old, kind: 'account', value: substring($old, 8),
                                      report_count: 1, first_seen: datetime('2026-11-01T00:00:00Z'),
                                      last_seen: datetime('2026-11-01T00:00:00Z')})
               -[:ON_PLATFORM {first_seen: datetime(), last_seen: datetime()}]->(alias)
        CREATE (n:Identifier:Account {key: $twin, kind: 'account', value: substring($twin, 8),
                                      report_count: 1, first_seen: datetime('2026-11-02T00:00:00Z'),
                                      last_seen: datetime('2026-11-02T00:00:00Z')})
               -[:ON_PLATFORM {first_seen: datetime(), last_seen: datetime()}]->(fb)
        CREATE (a:Identifier:Account {key: $alone, kind: 'account', value: substring($alone, 8),
                                      report_count: 1})
               -[:ON_PLATFORM {first_seen: datetime(), last_seen: datetime()}]->(alias)
        CREATE (r:Report {id: $rid})-[:MENTIONS {seq: 0, report_id: $rid,
                 first_seen: datetime('2026-11-01T00:00:00Z')}]->(o)
        WITH 1 AS one
        UNWIND range(0, size($tasks) - 1) AS n
        WITH n, $tasks[n] AS t
        CREATE (task:Task {id: t[0], case_id: t[1], task_type: t[2], target: t[3],
                           status: t[4], agency: 'MCMC',
                           created_at: datetime('2026-11-01T00:00:00Z') + duration({minutes: n})})
        WITH task WHERE task.case_id = $escalated
        MERGE (c:Case {id: $escalated}) ON CREATE SET c.status = 'escalated'
        CREATE (c)-[:HAS_TASK]->(task)
        """,
        escalated=cases[1],
        mobile=mobile,
        old=old,
        twin=twin,
        alone=alone,
        rid=rid,
        tasks=[list(t) for t in tasks],
    )
    try:
        moved = move_platform_aliases(
            neo4j_sync, "neo4j", f"account:{mobile}:", targets=[mobile, web, wa_web]
        )
        assert moved == 2 + 2 + 2  # two accounts, two tasks moved, two closed
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id IN $ids "
            "RETURN t.id AS id, t.target AS target, t.status AS status, t.superseded_by AS by",
            ids=ids,
        )
        assert {r["id"]: (r["target"], r["status"], r["by"]) for r in records} == {
            # The slot went to the task an officer is working on; the other closes.
            ids[0]: (mobile, "superseded", ids[1]),
            ids[1]: ("facebook", "in_progress", None),  # the newer alias, but in progress
            ids[2]: (mobile, "completed", None),  # closed before: history
            # The case had a takedown to Facebook claimed: the escalated duplicate closes.
            ids[3]: ("facebook", "claimed", None),
            ids[4]: (web, "superseded", ids[3]),
            ids[5]: ("whatsapp", "in_progress", None),
        }
        # Its case was escalated for the duplicate only: in progress now, on its timeline,
        # and each agency told (staged in the outbox, which the agents' relay publishes).
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (c:Case {id: $cid}) OPTIONAL MATCH (c)-[:HAS_EVENT]->(e:TimelineEntry) "
            "RETURN c.status AS status, collect(e.kind + ' ' + e.task_id) AS entries",
            cid=cases[1],
        )
        assert (records[0]["status"], records[0]["entries"]) == (
            "in_progress",
            [f"TaskSuperseded {ids[4]}"],
        )
        staged, _, _ = neo4j_sync.execute_query(
            "MATCH (e:OutboxEvent) WHERE e.key IN $keys "
            "RETURN e.event_type AS type, e.key AS key ORDER BY e.seq",
            keys=[*ids, *cases],
        )
        assert sorted((r["type"], r["key"]) for r in staged) == sorted(
            [
                ("TaskSuperseded", ids[0]),
                ("TaskSuperseded", ids[4]),
                ("CaseStatusChanged", cases[1]),
            ]
        )
        records, _, _ = neo4j_sync.execute_query(
            """
            MATCH (i:Identifier) WHERE i.key IN [$old, $twin, $alone, $alone_now]
            OPTIONAL MATCH (r:Report)-[:MENTIONS]->(i)
            OPTIONAL MATCH (i)-[:ON_PLATFORM]->(p:Platform)
            RETURN i.key AS key, collect(DISTINCT r.id) AS reports,
                   collect(DISTINCT p.name) AS platforms
            """,
            old=old,
            twin=twin,
            alone=alone,
            alone_now=alone_now,
        )
        rows = {r["key"]: (r["reports"], r["platforms"]) for r in records}
        assert rows == {twin: ([rid], ["facebook"]), alone_now: ([], ["facebook"])}
        left, _, _ = neo4j_sync.execute_query(
            "MATCH (p:Platform {name: $mobile}) RETURN count(p) AS n", mobile=mobile
        )
        assert left[0]["n"] == 0
        again = move_platform_aliases(
            neo4j_sync, "neo4j", f"account:{mobile}:", targets=[mobile, web, wa_web]
        )
        assert again == 0  # nothing left to move
        # The repair for graphs the first version ran on: nothing left here either.
        assert repair_platform_tasks(neo4j_sync, "neo4j", [mobile, web]) == 0
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Report AND n.id = $rid) OR (n:Task AND n.id IN $ids) "
            "OR (n:Case AND n.id IN $cases) OR (n:OutboxEvent AND n.key IN $ids + $cases) "
            "OR (n:Identifier AND n.key IN [$old, $twin, $alone, $alone_now]) "
            "OR (n:Platform AND n.name = $mobile) "
            "DETACH DELETE n",
            rid=rid,
            ids=ids,
            cases=cases,
            old=old,
            twin=twin,
            alone=alone,
            alone_now=alone_now,
            mobile=mobile,
        )


def test_a_services_page_stored_under_its_other_hosts_joins_the_page_on_its_domain(
    neo4j_sync: Driver,
) -> None:
    """Since 2026-11-30 'https://www.facebook.com/x' from a platform, 'm.facebook.com/x'
    pasted from a phone and 'facebook.com/x' typed by the public are one page: identifiers
    stored under the other hosts join the one on the main domain, their mentions in the
    order they were made."""
    from graph.repairs import REPAIRS, join_service_hosts

    assert REPAIRS["2026-11-30-url-service-hosts"] is join_service_hosts
    path = f"groups/test-{uuid4().hex}"
    forms = [f"url:https://www.facebook.com/{path}", f"url:https://m.facebook.com/{path}"]
    main = f"url:https://facebook.com/{path}"
    rids = [f"test:hosts:{uuid4().hex}" for _ in range(3)]
    neo4j_sync.execute_query(
        """
        UNWIND range(0, 2) AS n
        WITH n, [$forms[0], $main, $forms[1]][n] AS key
        CREATE (:Report {id: $rids[n]})-[:MENTIONS {seq: 0, report_id: $rids[n],
                 first_seen: datetime('2026-11-01T00:00:00Z') + duration({days: n})}]->
               (:Identifier {key: key, kind: 'url', value: substring(key, 4), report_count: 1,
                             first_seen: datetime('2026-11-01T00:00:00Z') + duration({days: n}),
                             last_seen: datetime('2026-11-01T00:00:00Z') + duration({days: n})})
        """,
        forms=forms,
        main=main,
        rids=rids,
    )
    try:
        moved = sum(join_service_hosts(neo4j_sync, "neo4j", form) for form in forms)
        assert moved == 2
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (i:Identifier) WHERE i.key IN $keys "
            "OPTIONAL MATCH (r:Report)-[m:MENTIONS]->(i) WITH i, r, m ORDER BY m.seq "
            "RETURN i.key AS key, i.report_count AS count, collect(r.id) AS reports",
            keys=[*forms, main],
        )
        assert [(r["key"], r["count"], r["reports"]) for r in records] == [(main, 3, rids)]
        assert sum(join_service_hosts(neo4j_sync, "neo4j", form) for form in forms) == 0
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Report AND n.id IN $rids) OR (n:Identifier AND n.key IN $keys) "
            "DETACH DELETE n",
            rids=rids,
            keys=[*forms, main],
        )


URL_MENTIONED_A_DAY_APART = """
UNWIND range(0, size($keys) - 1) AS n
WITH n, $keys[n] AS key, datetime('2026-11-01T00:00:00Z') + duration({days: n}) AS at
CREATE (:Report {id: $rids[n]})-[:MENTIONS {seq: 0, report_id: $rids[n], first_seen: at}]->
       (:Identifier {key: key, kind: 'url', value: substring(key, 4),
                     report_count: 1, first_seen: at, last_seen: at})
"""


def _url_mentioned_a_day_apart(neo4j_sync: Driver, keys: list[str], rids: list[str]) -> None:
    """Each URL key an identifier of its own, mentioned by its report, a day after the one
    before (as stored before a repair)."""
    neo4j_sync.execute_query(URL_MENTIONED_A_DAY_APART, keys=keys, rids=rids)


def test_a_video_stored_under_its_other_links_and_a_typed_host_join_todays_url(
    neo4j_sync: Driver,
) -> None:
    """Since 2026-11-30 (evening) 'youtu.be/ID' shared from the app, '/shorts/ID' and
    'watch?v=ID&t=42s' are one video, and 'ｅｘａｍｐｌｅ.com' typed with an input method is
    'example.com' (stored before as its punycode): identifiers in the old forms join
    today's, their mentions in the order they were made."""
    from graph.repairs import REPAIRS, join_video_links_and_typed_hosts

    repair = join_video_links_and_typed_hosts
    assert REPAIRS["2026-11-30-url-videos-and-typed-hosts"] is repair
    video = uuid4().hex[:11]
    path = f"test-{uuid4().hex}"
    groups = [
        (
            [f"url:https://youtu.be/{video}", f"url:https://youtube.com/shorts/{video}"],
            f"url:https://youtube.com/watch?v={video}",
        ),
        ([f"url:https://xn--mi7chab1aes7c.com/{path}"], f"url:https://example.com/{path}"),
    ]
    try:
        for forms, today in groups:
            keys = [forms[0], today, *forms[1:]]
            rids = [f"test:videos:{uuid4().hex}" for _ in keys]
            _url_mentioned_a_day_apart(neo4j_sync, keys, rids)
            assert sum(repair(neo4j_sync, "neo4j", form) for form in forms) == len(forms)
            records, _, _ = neo4j_sync.execute_query(
                "MATCH (i:Identifier) WHERE i.key IN $keys "
                "OPTIONAL MATCH (r:Report)-[m:MENTIONS]->(i) WITH i, r, m ORDER BY m.seq "
                "RETURN i.key AS key, i.report_count AS count, collect(r.id) AS reports",
                keys=keys,
            )
            assert [(r["key"], r["count"], r["reports"]) for r in records] == [
                (today, len(keys), rids)
            ]
            assert sum(repair(neo4j_sync, "neo4j", form) for form in forms) == 0
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Report AND n.id STARTS WITH 'test:videos:') "
            "OR (n:Identifier AND n.key IN $keys) DETACH DELETE n",
            keys=[key for forms, today in groups for key in [*forms, today]],
        )


def test_a_video_stored_under_its_youtube_music_link_joins_the_video(neo4j_sync: Driver) -> None:
    """Since 2026-11-30 (night) 'music.youtube.com/watch?v=ID' is the video
    'youtube.com/watch?v=ID': an identifier stored under the YouTube Music link joins the
    video's, its mention after the one made before it; a YouTube Music playlist stays."""
    from graph.repairs import REPAIRS, join_music_videos

    assert REPAIRS["2026-11-30-url-music-videos"] is join_music_videos
    video = uuid4().hex[:11]
    music = f"url:https://music.youtube.com/watch?v={video}"
    today = f"url:https://youtube.com/watch?v={video}"
    playlist = f"url:https://music.youtube.com/playlist?list=PL{uuid4().hex}"
    # Stored with a port (kept before when not the scheme's default): a key of its own.
    music_port = f"url:https://music.youtube.com:8443/watch?v={video}"
    # Another URL in an earlier form: not this repair's to move (its reason would be wrong).
    other = f"url:https://m.facebook.com/test-{uuid4().hex}"
    keys = [today, music, playlist, music_port, other]
    rids = [f"test:music:{uuid4().hex}" for _ in keys]
    try:
        _url_mentioned_a_day_apart(neo4j_sync, keys, rids)
        # The test's own keys only: the graph is shared.
        assert sum(join_music_videos(neo4j_sync, "neo4j", key) for key in (music, music_port)) == 2
        assert join_music_videos(neo4j_sync, "neo4j", playlist) == 0
        assert join_music_videos(neo4j_sync, "neo4j", other) == 0
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (i:Identifier) WHERE i.key IN $keys "
            "OPTIONAL MATCH (r:Report)-[m:MENTIONS]->(i) WITH i, r, m ORDER BY m.seq "
            "RETURN i.key AS key, i.report_count AS count, collect(r.id) AS reports "
            "ORDER BY key",
            keys=keys,
        )
        assert [(r["key"], r["count"], r["reports"]) for r in records] == sorted(
            [
                (other, 1, [rids[4]]),
                (playlist, 1, [rids[2]]),
                (today, 3, [rids[0], rids[1], rids[3]]),
            ]
        )
        assert join_music_videos(neo4j_sync, "neo4j", music) == 0
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Report AND n.id STARTS WITH 'test:music:') "
            "OR (n:Identifier AND n.key IN $keys) DETACH DELETE n",
            keys=keys,
        )


def test_a_rule_on_one_key_of_a_number_gets_rules_on_its_others(neo4j_sync: Driver) -> None:
    """Since 2026-11-30 a WhatsApp handle written as a phone is the phone's identifier too: a
    rule added before on the handle alone no longer stopped the number linking. Its other
    keys are excluded with the rule's reason; a number one of whose keys someone let link
    (its rule removed, also under an earlier form of the key) is left as it is."""
    from graph.repairs import REPAIRS, exclude_same_numbers
    from tests.factories import e164, malaysian_mobile

    assert REPAIRS["2026-11-30-same-number-rules"] is exclude_same_numbers
    # Run again after the rekeys that turn accounts into a number's keys (a helper's review).
    order = list(REPAIRS)
    again = order.index("2026-12-01-same-number-rules-after-rekeys")
    assert REPAIRS[order[again]] is exclude_same_numbers
    assert again > max(order.index(n) for n in REPAIRS if n.startswith("2026-12-01-account"))
    assert again > order.index("2026-12-01-platform-placeholders")
    numbers = [e164(malaysian_mobile()) for _ in "abcd"]  # valid numbers: a phone's keys
    excluded, let_link, let_link_then, added_again = numbers
    neo4j_sync.execute_query(
        """
        UNWIND $numbers AS number
        CREATE (:ExclusionRule {key: 'account:whatsapp:u:' + number, reason: 'scam bait',
                                added_by: 'admin-1'})
        WITH 1 AS one LIMIT 1
        CREATE (:ExclusionChange {key: 'account:telegram:u:' + $let_link, action: 'removed',
                                  by: 'admin-1', reason: 'a real account', at: datetime()})
        // Removed when the platform was stored as 'whatsapp business' (moved by a repair).
        CREATE (:ExclusionChange {key: 'account:whatsapp business:u:' + $let_link_then,
                                  action: 'removed', by: 'admin-1', reason: 'a real number',
                                  at: datetime()})
        // No one's decision: a repair that moved the rule recorded its old key as removed.
        CREATE (:ExclusionChange {key: 'account:whatsapp business:u:' + $excluded,
                                  action: 'removed', by: 'system', reason: 'moved',
                                  at: datetime()})
        // Removed, then added again: excluded is the last word.
        CREATE (:ExclusionChange {key: 'phone:' + $added_again, action: 'removed',
                                  by: 'admin-1', reason: 'x', at: datetime() - duration('PT1H')})
        CREATE (:ExclusionChange {key: 'phone:' + $added_again, action: 'added',
                                  by: 'admin-1', reason: 'y', at: datetime()})
        """,
        numbers=numbers,
        let_link=let_link,
        let_link_then=let_link_then,
        excluded=excluded,
        added_again=added_again,
    )
    try:
        mine = [f"account:whatsapp:u:{n}" for n in numbers]  # this test's rules only
        added = sum(exclude_same_numbers(neo4j_sync, "neo4j", key) for key in mine)
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (e:ExclusionRule) WHERE any(n IN $numbers WHERE e.key ENDS WITH n) "
            "RETURN e.key AS key, e.reason AS reason, e.added_by AS by",
            numbers=numbers,
        )
        rules = {r["key"]: (r["reason"], r["by"]) for r in records}
        assert rules[f"phone:{excluded}"][1] == "system"
        assert rules[f"phone:{excluded}"][0].endswith("scam bait")
        assert f"payment:{excluded}" in rules and f"account:telegram:u:{excluded}" in rules
        assert f"account:telegram:u:{added_again}" in rules
        assert not [
            k for k in rules if k.endswith((let_link, let_link_then)) and "whatsapp" not in k
        ]
        assert added >= len(rules) - 4
        assert sum(exclude_same_numbers(neo4j_sync, "neo4j", key) for key in mine) == 0
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:ExclusionRule OR n:ExclusionChange) "
            "AND any(x IN $numbers WHERE n.key ENDS WITH x) DETACH DELETE n",
            numbers=numbers,
        )


def test_the_alias_repair_chooses_from_what_an_officer_committed_while_it_waited(
    neo4j_sync: Driver,
) -> None:
    """The task that stays was chosen from statuses read without a lock: an officer starting
    the service's task while the repair ran had it closed in favour of the alias's task,
    only claimed. Each task is now locked before its status is read again, as a merge does."""
    import threading

    from graph.platform_tasks import repair_platform_tasks
    from tests.integration.locks import blocked_behind_sync

    alias = f"x{uuid4().hex[:12]}.m.facebook.com"
    case, on_alias, on_service = str(uuid4()), str(uuid4()), str(uuid4())
    neo4j_sync.execute_query(
        """
        UNWIND $tasks AS t
        CREATE (:Task {id: t[0], case_id: $case, task_type: 'takedown_notice', target: t[1],
                       status: t[2], agency: 'MCMC', created_at: datetime(t[3])})
        """,
        case=case,
        tasks=[
            [on_alias, alias, "claimed", "2026-11-01T00:00:00Z"],
            [on_service, "facebook", "assigned", "2026-11-02T00:00:00Z"],
        ],
    )
    done: dict[str, int] = {}
    tag = f"officer-{uuid4().hex[:12]}"
    try:
        with neo4j_sync.session() as officer:
            tx = officer.begin_transaction(metadata={"test": tag})
            tx.run("MATCH (t:Task {id: $id}) SET t.status = 'in_progress'", id=on_service)
            repair = threading.Thread(
                target=lambda: done.update(n=repair_platform_tasks(neo4j_sync, "neo4j", [alias]))
            )
            repair.start()
            try:
                # Neo4j's word that the repair waits for the officer's task.
                assert blocked_behind_sync(neo4j_sync, tag), "the repair never waited"
                assert repair.is_alive()
            finally:
                tx.commit()
        repair.join(30)
        assert done == {"n": 1}
        rows, _, _ = neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id IN $ids "
            "RETURN t.id AS id, t.status AS status, t.superseded_by AS by",
            ids=[on_alias, on_service],
        )
        assert {r["id"]: (r["status"], r["by"]) for r in rows} == {
            on_service: ("in_progress", None),  # the officer's work stays
            on_alias: ("superseded", on_service),
        }
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Task AND n.id IN $ids) OR (n:OutboxEvent AND n.key IN $ids) "
            "DETACH DELETE n",
            ids=[on_alias, on_service],
        )


def test_the_aliases_of_2026_12_01_move_accounts_and_tasks_to_the_service(
    neo4j_sync: Driver,
) -> None:
    """'fb.watch' (and the service's other short domains) named no service before: an account
    and a takedown notice under it stayed apart from Facebook's."""
    from graph.repairs import REPAIRS, move_platform_aliases

    assert REPAIRS["2026-12-01-platform-aliases"] is move_platform_aliases
    tag = uuid4().hex[:12]
    host = f"x{tag}.fb.watch"
    old, now = f"account:{host}:u:test-{tag}", f"account:facebook:u:test-{tag}"
    task_id = str(uuid4())
    neo4j_sync.execute_query(
        """
        CREATE (:Identifier:Account {key: $old, kind: 'account', value: substring($old, 8),
                                     report_count: 1})
               -[:ON_PLATFORM {first_seen: datetime(), last_seen: datetime()}]->
               (:Platform {name: $host})
        CREATE (:Task {id: $task, case_id: $case, task_type: 'takedown_notice', target: $host,
                       status: 'assigned', agency: 'MCMC', created_at: datetime()})
        """,
        old=old,
        host=host,
        task=task_id,
        case=str(uuid4()),
    )
    try:
        assert move_platform_aliases(neo4j_sync, "neo4j", f"account:{host}:", [host]) == 2
        records, _, _ = neo4j_sync.execute_query(
            "OPTIONAL MATCH (a:Account {key: $now})-[:ON_PLATFORM]->(p:Platform) "
            "OPTIONAL MATCH (t:Task {id: $task}) "
            "RETURN p.name AS platform, t.target AS target",
            now=now,
            task=task_id,
        )
        assert records[0].data() == {"platform": "facebook", "target": "facebook"}
    finally:
        neo4j_sync.execute_query(
            "MATCH (t:Task {id: $task}) SET t.status = 'completed'", task=task_id
        )


def test_a_task_addressed_to_a_platform_typed_with_a_colon_moves_to_the_service(
    neo4j_sync: Driver,
) -> None:
    """'IG:' was a platform of its own until 2026-12-02: its accounts never reached the graph,
    but a takedown notice went to 'ig:'; the repair addresses it to Instagram."""
    from graph.repairs import REPAIRS, move_platform_aliases

    assert REPAIRS["2026-12-02-platform-colons"] is move_platform_aliases
    tag = uuid4().hex[:12]
    target = f"ig{tag}.instagram.com:"  # a colon after a host of the service
    task_id = str(uuid4())
    neo4j_sync.execute_query(
        "CREATE (:Task {id: $task, case_id: $case, task_type: 'takedown_notice', "
        "target: $target, status: 'assigned', agency: 'MCMC', created_at: datetime()})",
        task=task_id,
        case=str(uuid4()),
        target=target,
    )
    try:
        assert move_platform_aliases(neo4j_sync, "neo4j", f"account:{target}", [target]) == 1
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (t:Task {id: $task}) RETURN t.target AS target", task=task_id
        )
        assert records[0]["target"] == "instagram"
    finally:
        neo4j_sync.execute_query(
            "MATCH (t:Task {id: $task}) SET t.status = 'completed'", task=task_id
        )


def _moved_by(
    neo4j_sync: Driver, repair: Callable[..., int], kind: str, old: str, new: str, left: str
) -> None:
    """`repair` moves identifier `old` to `new` and leaves `left` as it is."""
    keys = [old, new, left]
    neo4j_sync.execute_query(
        """
        UNWIND [$old, $left] AS key
        CREATE (:Identifier {key: key, kind: $kind, value: substring(key, size($kind) + 1),
                             report_count: 1})
        """,
        old=old,
        left=left,
        kind=kind,
    )
    try:
        assert repair(neo4j_sync, "neo4j", old) == 1
        assert repair(neo4j_sync, "neo4j", left) == 0
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (i:Identifier) WHERE i.key IN $keys RETURN i.key AS key", keys=keys
        )
        assert sorted(r["key"] for r in records) == sorted([new, left])
    finally:
        neo4j_sync.execute_query(
            "MATCH (i:Identifier) WHERE i.key IN $keys DETACH DELETE i", keys=keys
        )


def test_emails_stored_as_mail_clients_write_them_move_to_todays_form(
    neo4j_sync: Driver,
) -> None:
    """'mailto:', angle brackets and full-width forms made keys of their own; the repair moves
    them to the address (2026-12-01). One that names no one is left as it is: no report
    makes its key any more."""
    from graph.repairs import rekey_emails

    tag = uuid4().hex[:12]
    old, new = f"email:mailto:uncle.{tag}@gmail.com", f"email:uncle.{tag}@gmail.com"
    _moved_by(neo4j_sync, rekey_emails, "email", old, new, f"email:unknown@unknown.com{tag}")
    # And one stored with the '>' a sentence's dot after the bracket left (a walk-through).
    from graph.repairs import rekey_bracketed_emails

    tag = uuid4().hex[:12]
    old, new = f"email:uncle.{tag}@gmail.com>", f"email:uncle.{tag}@gmail.com"
    _moved_by(neo4j_sync, rekey_bracketed_emails, "email", old, new, f"email:aunt.{tag}@gmail.com")


def test_urls_stored_with_a_services_share_parameters_move_to_the_link(
    neo4j_sync: Driver,
) -> None:
    """'?igsh=' on Instagram (and X's, TikTok's, Facebook's, YouTube's share parameters) made
    a URL of each share; the repair moves them to the link (2026-12-01). Other sites' URLs
    stay, whatever their parameters."""
    from graph.repairs import drop_share_params

    tag = uuid4().hex[:12]
    old = f"url:https://instagram.com/reel/{tag}?igsh=abc"
    new = f"url:https://instagram.com/reel/{tag}"
    _moved_by(neo4j_sync, drop_share_params, "url", old, new, f"url:https://example.com/{tag}?s=q")


def test_accounts_and_devices_stored_before_2026_12_01_move_to_todays_keys(
    neo4j_sync: Driver,
) -> None:
    """A link given as a username, a Facebook handle with periods, an IMEI with its check
    digit: each was a key of its own; the repairs move them. Others stay."""
    from graph.repairs import rekey_imeis, rekey_linked_handles

    tag = uuid4().hex[:12]
    handle = f"uncle_{tag}"
    _moved_by(
        neo4j_sync,
        rekey_linked_handles,
        "account",
        f"account:unknown:u:t.me/{handle}",
        f"account:telegram:u:{handle}",
        f"account:unknown:u:{handle}",
    )
    letters = "".join(chr(ord("a") + int(c, 16) % 26) for c in tag)  # a Facebook handle's
    _moved_by(
        neo4j_sync,
        rekey_linked_handles,
        "account",
        f"account:facebook:u:uncle.{letters}",
        f"account:facebook:u:uncle{letters}",
        f"account:instagram:u:uncle.{letters}",
    )
    imei = _with_check_digit(f"35{int(tag, 16) % 10**12:012d}")
    _moved_by(
        neo4j_sync, rekey_imeis, "device", f"device:device:{imei}", f"device:device:{imei[:14]}",
        f"device:device:{tag}-1",
    )  # fmt: skip


def test_instagram_usernames_stored_with_a_closing_period_move_to_the_username(
    neo4j_sync: Driver,
) -> None:
    """'uncle.x.' (a sentence's period typed after the handle) was an account of its own
    beside the 'uncle.x' a link to the profile names; the repair moves it. A period inside
    a handle stays."""
    from graph.repairs import rekey_instagram_periods

    tag = uuid4().hex[:12]
    _moved_by(
        neo4j_sync,
        rekey_instagram_periods,
        "account",
        f"account:instagram:u:uncle.{tag}.",
        f"account:instagram:u:uncle.{tag}",
        f"account:instagram:u:uncle.{tag}x",
    )


def test_handles_and_addresses_stored_with_punctuation_around_them_move_to_todays_keys(
    neo4j_sync: Driver,
) -> None:
    """'uncle_x.' on Telegram and 'uncle.x@gmail.com,' were keys apart from the handle and the
    address (a review, 2026-12-02); the repairs move them. A handle on a service whose
    handles may end so, and an address with nothing around it, stay."""
    from graph.repairs import REPAIRS, rekey_punctuated_emails, rekey_punctuated_handles

    assert REPAIRS["2026-12-02-punctuated-handles"] is rekey_punctuated_handles
    assert REPAIRS["2026-12-02-punctuated-emails"] is rekey_punctuated_emails
    tag = uuid4().hex[:12]
    _moved_by(
        neo4j_sync,
        rekey_punctuated_handles,
        "account",
        f"account:telegram:u:uncle_{tag}.",
        f"account:telegram:u:uncle_{tag}",
        f"account:discord:u:uncle_{tag}.",
    )
    _moved_by(
        neo4j_sync,
        rekey_punctuated_emails,
        "email",
        f"email:uncle.{tag}@gmail.com,",
        f"email:uncle.{tag}@gmail.com",
        f"email:aunt.{tag}@gmail.com",
    )


def test_a_thing_stored_under_its_other_links_joins_todays_url(neo4j_sync: Driver) -> None:
    """A Telegram invite's old form, a Discord invite on discord.gg, a post on X under its
    author's name were URLs apart from the same thing's other links (2026-12-02); the repair
    moves them. Another page of the service stays."""
    from graph.repairs import REPAIRS, join_links_of_one_thing

    assert REPAIRS["2026-12-02-links-of-one-thing"] is join_links_of_one_thing
    tag = uuid4().hex[:12]
    _moved_by(
        neo4j_sync,
        join_links_of_one_thing,
        "url",
        f"url:https://t.me/joinchat/{tag}",
        f"url:https://t.me/+{tag}",
        f"url:https://t.me/{tag}x",
    )
    number = int(tag, 16)
    _moved_by(
        neo4j_sync,
        join_links_of_one_thing,
        "url",
        f"url:https://x.com/uncle/status/{number}",
        f"url:https://x.com/i/status/{number}",
        f"url:https://x.com/uncle{tag}",
    )
    _moved_by(
        neo4j_sync,
        join_links_of_one_thing,
        "url",
        f"url:https://x.com/i/web/status/{number + 1}",
        f"url:https://x.com/i/status/{number + 1}",
        f"url:https://x.com/i/web{tag}",
    )
    from graph.repairs import rekey_facebook_people_links

    assert REPAIRS["2026-12-02-facebook-people-links"] is rekey_facebook_people_links
    _moved_by(
        neo4j_sync,
        rekey_facebook_people_links,
        "account",
        f"account:facebook:u:facebook.com/people/uncle-x/{number}",
        f"account:facebook:id:{number}",
        f"account:facebook:u:people{tag}",
    )


def test_a_bank_account_stored_with_the_banks_words_moves_to_todays_key(
    neo4j_sync: Driver,
) -> None:
    """'cimb:bank 8000...' was a key apart from 'cimb:8000...' (2026-12-02)."""
    from graph.repairs import REPAIRS, rekey_bank_accounts

    assert REPAIRS["2026-12-02-bank-accounts"] is rekey_bank_accounts
    number = f"8{int(uuid4().hex[:8], 16) % 10**9:09d}"
    _moved_by(
        neo4j_sync,
        rekey_bank_accounts,
        "payment",
        f"payment:cimb:bank {number}",
        f"payment:cimb:{number}",
        f"payment:maybank:{number}",
    )


def test_a_mac_address_stored_in_another_form_moves_to_todays(neo4j_sync: Driver) -> None:
    """'aa-bb-cc-dd-ee-01' was a device apart from 'aa:bb:cc:dd:ee:01' (2026-12-02)."""
    from graph.repairs import REPAIRS, rekey_mac_and_guid_devices

    assert REPAIRS["2026-12-02-mac-and-guid-devices"] is rekey_mac_and_guid_devices
    tag = uuid4().hex[:12]
    mac = ":".join(tag[i : i + 2] for i in range(0, 12, 2))
    _moved_by(
        neo4j_sync,
        rekey_mac_and_guid_devices,
        "device",
        f"device:device:{mac.replace(':', '-')}",
        f"device:device:{mac}",
        f"device:device:{tag}-1",
    )


def _with_check_digit(fourteen: str) -> str:
    """An IMEI: fourteen digits and their Luhn check digit."""
    from streams.normalise import _luhn_valid

    return next(fourteen + d for d in "0123456789" if _luhn_valid(fourteen + d))


def test_the_alias_repair_raises_the_task_that_stays_to_the_urgency_of_the_one_it_closes(
    neo4j_sync: Driver,
) -> None:
    """Of a P3 takedown to 'facebook' and a P1 one to 'm.facebook.com' in one case, both
    waiting, the older stays (as a merge chooses), and it stayed P3, due in three days, its
    agency told nothing: a merge gives it the higher priority and the earlier due time."""
    from graph.platform_tasks import repair_platform_tasks

    mobile = f"x{uuid4().hex[:12]}.m.facebook.com"
    case, kept, urgent = str(uuid4()), str(uuid4()), str(uuid4())
    created = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    neo4j_sync.execute_query(
        """
        CREATE (c:Case {id: $case, status: 'open'})
        CREATE (c)-[:HAS_TASK]->(:Task {id: $kept, case_id: $case, task_type: 'takedown_notice',
                target: 'facebook', status: 'received', agency: 'MCMC', priority: 'P3',
                due_at: $created + duration({days: 3}), created_at: $created,
                claim_by: $created + duration({hours: 18}), reasons: ['P3: a report']})
        CREATE (c)-[:HAS_TASK]->(:Task {id: $urgent, case_id: $case,
                task_type: 'takedown_notice', target: $mobile, status: 'received',
                agency: 'MCMC', priority: 'P1', due_at: $created + duration({hours: 1}),
                created_at: $created + duration({minutes: 5}), reasons: ['P1: escalated']})
        """,
        case=case,
        kept=kept,
        urgent=urgent,
        mobile=mobile,
        created=created,
    )
    try:
        assert repair_platform_tasks(neo4j_sync, "neo4j", [mobile]) == 1
        records, _, _ = neo4j_sync.execute_query(
            "MATCH (t:Task) WHERE t.id IN [$kept, $urgent] RETURN t.id AS id, t.status AS status,"
            " t.priority AS priority, t.due_at AS due, t.claim_by AS claim_by, t.reasons AS why",
            kept=kept,
            urgent=urgent,
        )
        rows = {r["id"]: r for r in records}
        assert rows[urgent]["status"] == "superseded"
        stays = rows[kept]
        assert (stays["status"], stays["priority"]) == ("received", "P1")
        assert stays["due"].to_native() == created + timedelta(hours=1)
        # Its claim-by time follows (a share of the hour from its creation), no longer 18 h.
        assert created < stays["claim_by"].to_native() < created + timedelta(hours=1)
        assert stays["why"][0].startswith("more urgent: it continues a task of its type")
        staged, _, _ = neo4j_sync.execute_query(
            "MATCH (e:OutboxEvent) WHERE e.key IN [$kept, $urgent] "
            "RETURN e.event_type AS type, e.key AS key, e.topic AS topic",
            kept=kept,
            urgent=urgent,
        )
        # The update to MCMC's queue, where its agent reads it (not the lifecycle topic).
        assert sorted((r["type"], r["key"], r["topic"]) for r in staged) == sorted(
            [
                ("TaskSuperseded", urgent, "ocsea.tasks.lifecycle.v1"),
                ("TaskUpdated", kept, "ocsea.tasks.mcmc.v1"),
            ]
        )
    finally:
        neo4j_sync.execute_query(
            "MATCH (n) WHERE (n:Task AND n.id IN [$kept, $urgent]) OR (n:Case AND n.id = $case) "
            "OR (n:OutboxEvent AND n.key IN [$kept, $urgent, $case]) "
            "OR (n:TimelineEntry AND n.task_id IN [$kept, $urgent]) DETACH DELETE n",
            kept=kept,
            urgent=urgent,
            case=case,
        )


def test_an_e_wallet_or_an_account_under_another_of_their_names_moves_to_the_one_name(
    neo4j_sync: Driver,
) -> None:
    """'touchngo:' beside 'tng:', a WhatsApp account under 'வாட்ஸ்அப்': each never linked
    with the same wallet or account (2026-12-02)."""
    from graph.repairs import REPAIRS, move_platform_aliases, rekey_wallet_names
    from tests.factories import e164, malaysian_mobile

    assert REPAIRS["2026-12-02-wallet-names"] is rekey_wallet_names
    assert REPAIRS["2026-12-02-platform-aliases"] is move_platform_aliases
    number = e164(malaysian_mobile())
    _moved_by(
        neo4j_sync, rekey_wallet_names, "payment", f"payment:touchngo:{number}",
        f"payment:tng:{number}", f"payment:boost:{number}",
    )  # fmt: skip
    handle = f"uncle_{uuid4().hex[:12]}"

    def accounts_only(driver: Driver, database: str, within: str) -> int:
        return move_platform_aliases(driver, database, within, targets=[])

    _moved_by(
        neo4j_sync, accounts_only, "account", f"account:முகநூல்:u:{handle}",
        f"account:facebook:u:{handle}", f"account:facebook:u:{handle}x",
    )  # fmt: skip
