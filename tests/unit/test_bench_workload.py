"""The benchmark's workload: every run must link new reports, never replay an earlier run's."""

from bench.workload import Workload
from contracts.enums import Channel
from contracts.ids import organisation_report_id


def test_two_runs_with_the_same_seed_share_no_report_id():
    first = {i.report_id for i in Workload("runa", 300, seed=7).items(300)}
    second = {i.report_id for i in Workload("runb", 300, seed=7).items(300)}
    assert len(first) == 300
    assert first.isdisjoint(second)


def test_organisation_reports_are_named_as_the_http_door_names_them():
    items = Workload("runc", 200, seed=3).items(200)
    organisational = [i for i in items if i.channel != Channel.PUBLIC]
    assert organisational
    for item in organisational:
        report = item.event.payload.report
        expected = organisation_report_id(
            item.channel.value, report.organisation_id, report.reference
        )
        assert item.report_id == str(expected)


def test_every_spelling_the_bench_sends_is_read_as_its_platform():
    """The bench's accounts link across reports only if intake reads each way reporters
    spell a platform as that platform."""
    from bench.workload import PLATFORMS
    from streams.normalise import normalise_platform

    for canonical, spellings in PLATFORMS.items():
        assert {normalise_platform(s) for s in spellings} == {canonical}
