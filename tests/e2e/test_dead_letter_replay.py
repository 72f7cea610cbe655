"""A report dead-lettered for a passing failure is linked once the operator's tool sends it
back (cli.deadletters replay), through the running worker, with nothing else done by hand;
the replay is recorded, so the same command again sends nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from kafka import KafkaProducer

from cli.deadletters.command import main
from contracts import topics
from contracts.registry import encode_event
from runtime.deadletter import dead_letter
from runtime.settings import get_settings
from tests.e2e.conftest import System
from tests.e2e.kafka_probe import TopicWatch
from tests.factories import account, platform_report, triaged, unique


def test_a_report_refused_while_linking_failed_is_linked_when_replayed(
    system: System, capsys: pytest.CaptureFixture[str]
) -> None:
    report = triaged(platform_report(accounts=[account(unique("replayed_"))]))
    rid = str(report.payload.report_id)
    # As the linker keeps a report whose batch the graph refused (streams.linker).
    letter = dead_letter(
        encode_event(report),
        f"{topics.REPORTS_TRIAGED}/0@0",
        "link_failed: TransientError",
        [],
        "streams.linker",
    )
    cases = TopicWatch(topics.CASE_EVENTS)
    producer = KafkaProducer(bootstrap_servers=get_settings().kafka_bootstrap, acks="all")
    try:
        producer.send(topics.DEAD_LETTERS, value=encode_event(letter)).get(timeout=30)
        assert main(["replay", "--id", str(letter.event_id)]) == 0
        shown = capsys.readouterr().out
        assert f"1 to send back:\n  1 to {topics.REPORTS_TRIAGED}" in shown
        assert "nothing sent" in shown and "note:" not in shown  # a passing failure

        assert (
            main(["replay", "--reason", "link_failed", "--id", str(letter.event_id), "--yes"]) == 0
        )
        out = capsys.readouterr().out
        assert "sent 1" in out and "recorded 1 replay(s)" in out
        opened = cases.wait_for(
            lambda e: e["event_type"] == "CaseOpened" and e["payload"]["report_id"] == rid, 60
        )
        # Recorded: the same command again sends nothing, and the listing says when it went.
        by_id = ["--id", str(letter.event_id)]
        assert main(["replay", "--reason", "link_failed", *by_id, "--yes"]) == 0
        again = capsys.readouterr().out
        assert "0 to send back" in again and "1 left: replayed before" in again
        assert "sent" not in again.replace("to send back", "")
        assert main(["list", *by_id]) == 0
        replayed_at = capsys.readouterr().out.splitlines()[-1].rsplit(maxsplit=1)[-1]
        assert abs(datetime.now(UTC) - datetime.fromisoformat(replayed_at)) < timedelta(hours=1)
    finally:
        producer.close()
        cases.close()
    assert opened["correlation_id"] == rid


def test_a_replay_of_everything_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", "--yes"]) == 2
    assert "needs --reason or --id" in capsys.readouterr().err
