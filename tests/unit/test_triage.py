"""Triage: categories from declarations and keywords, and the priority rules in order."""

from datetime import UTC, datetime

import pytest

from contracts.enums import HarmCategory as H
from contracts.enums import Priority
from contracts.reports import NgoReferral, PlatformReport, PublicReport, VictimInfo
from streams.triage import RULES_VERSION, is_child_victim, triage


def _platform(incident: H = H.BULLYING_HARASSMENT, **kw: object) -> PlatformReport:
    base: dict[str, object] = {
        "organisation_id": "org-1",
        "reference": "ref-1",
        "incident_type": incident,
        "incident_time": datetime(2026, 11, 1, tzinfo=UTC),
    }
    return PlatformReport(**(base | kw))


def _ngo(classification: H = H.ONLINE_SCAM, **kw: object) -> NgoReferral:
    return NgoReferral(
        organisation_id="ngo-1", reference="N-1", classification=classification, **kw
    )


def test_rules_version_is_recorded() -> None:
    assert RULES_VERSION == "2026-11-27.1"
    assert triage(PublicReport()).rules_version == RULES_VERSION


def test_empty_public_report_is_unknown_p4() -> None:
    result = triage(PublicReport())
    assert result.categories == [H.UNKNOWN]
    assert result.priority == Priority.P4
    assert result.reasons == ["P4: no higher-priority rule fired (rule default)"]


def test_declared_categories_are_merged_in_enum_order() -> None:
    result = triage(_ngo(H.ONLINE_SCAM, suspected_categories=[H.HATE_SPEECH, H.ONLINE_SCAM]))
    assert result.categories == [H.ONLINE_SCAM, H.HATE_SPEECH]
    assert result.priority == Priority.P4


def test_unknown_is_dropped_when_something_else_is_known() -> None:
    result = triage(_platform(H.UNKNOWN, description="this is a scam"))
    assert result.categories == [H.ONLINE_SCAM]


@pytest.mark.parametrize(
    ("description", "category"),
    [
        ("He keeps grooming my daughter", H.GROOMING),
        ("He said he would SEXTORT me", H.SEXTORTION),
        ("Dia mengugut untuk sebarkan gambar saya", H.SEXTORTION),  # ms
        ("他说要勒索我，否则公开照片", H.SEXTORTION),  # zh
        ("அவன் என்னை மிரட்டுகிறான்", H.SEXTORTION),  # ta
        ("group sharing child porn links", H.CSAM),
        ("kumpulan berkongsi pornografi kanak-kanak", H.CSAM),  # ms
        ("群组里有兒童色情内容", H.CSAM),  # zh, traditional
        ("my friend talks about suicide", H.SELF_HARM),
        ("kawan saya nak bunuh diri", H.SELF_HARM),  # ms
        ("她说想自杀", H.SELF_HARM),  # zh
        ("அவள் தற்கொலை பற்றி பேசுகிறாள்", H.SELF_HARM),  # ta
        ("ini penipuan pelaburan", H.ONLINE_SCAM),  # ms
        ("这是网络诈骗", H.ONLINE_SCAM),  # zh
        ("இது ஒரு மோசடி", H.ONLINE_SCAM),  # ta
    ],
)
def test_keyword_rules_detect_categories(description: str, category: H) -> None:
    assert category in triage(PublicReport(description=description)).categories


def test_keyword_reason_names_the_keyword() -> None:
    result = triage(PublicReport(description="Dia ugut saya"))
    assert result.priority == Priority.P2
    assert any("keyword 'ugut'" in r and "rule severe_category" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("report", "fragment"),
    [
        (_platform(escalate=True), "P1: escalation flag set by platform (rule escalation_flag)"),
        (_ngo(escalate=True), "P1: escalation flag set by NGO (rule escalation_flag)"),
        (PublicReport(child_in_danger=True), "P1: reporter says a child is in danger"),
        (PublicReport(description="She is IN DANGER now"), "imminent-danger keywords: in danger"),
        (PublicReport(description="budak itu dalam bahaya"), "dalam bahaya"),  # ms
        (PublicReport(description="孩子有危险"), "有危险"),  # zh
        (PublicReport(description="குழந்தை ஆபத்தில் உள்ளது"), "ஆபத்தில்"),  # ta
    ],
)
def test_p1_rules(report: PlatformReport | NgoReferral | PublicReport, fragment: str) -> None:
    result = triage(report)
    assert result.priority == Priority.P1
    assert any(fragment in r for r in result.reasons)


@pytest.mark.parametrize("category", [H.CSAM, H.LIVE_STREAMED_ABUSE, H.SEXTORTION])
def test_p2_severe_categories(category: H) -> None:
    result = triage(_platform(category))
    assert result.priority == Priority.P2
    assert any(r.startswith("P2: severe category: " + category.value) for r in result.reasons)


def test_p2_grooming_with_child_victim() -> None:
    result = triage(_platform(H.GROOMING, victim=VictimInfo(age=13)))
    assert result.priority == Priority.P2
    assert "P2: grooming with a victim below 18 (rule grooming_of_child)" in result.reasons


def test_grooming_of_an_adult_is_only_p3() -> None:
    result = triage(_platform(H.GROOMING, victim=VictimInfo(age=18)))
    assert result.priority == Priority.P3
    assert not any("grooming_of_child" in r for r in result.reasons)


@pytest.mark.parametrize(
    "category", [H.AI_GENERATED_CSAM, H.SELF_GENERATED_SEXUAL_MATERIAL, H.GROOMING]
)
def test_p3_other_ocsea_categories(category: H) -> None:
    result = triage(_platform(category))
    assert result.priority == Priority.P3
    assert any("rule ocsea_category" in r for r in result.reasons)


def test_p3_child_victim_of_non_ocsea_harm() -> None:
    result = triage(_platform(H.BULLYING_HARASSMENT, victim=VictimInfo(age=12)))
    assert result.priority == Priority.P3
    assert result.reasons == ["P3: victim is below 18 (rule child_victim)"]


def test_p4_non_ocsea_harm_with_adult_victim() -> None:
    result = triage(_platform(H.ONLINE_SCAM, victim=VictimInfo(age=40)))
    assert result.priority == Priority.P4


def test_highest_priority_wins_and_all_reasons_are_kept_in_rule_order() -> None:
    result = triage(_platform(H.CSAM, escalate=True, victim=VictimInfo(age=10)))
    assert result.priority == Priority.P1
    assert [r.split(" (rule ")[1] for r in result.reasons] == [
        "escalation_flag)",
        "severe_category)",
        "ocsea_category)",
        "child_victim)",
    ]


@pytest.mark.parametrize(
    ("victim", "expected"),
    [
        (None, False),
        (VictimInfo(age=17), True),
        (VictimInfo(age=18), False),
        (VictimInfo(age=17, age_range="18-25"), True),  # an exact age beats a range
        (VictimInfo(age_range="13-15"), True),
        (VictimInfo(age_range="16-19"), False),  # upper bound not below 18
        (VictimInfo(age_range="17-12"), True),  # reversed range still read correctly
        (VictimInfo(identified=True), True),  # identified, age unknown: presumed child
        (VictimInfo(identified=False), False),
        (VictimInfo(identified=True, age=30), False),
    ],
)
def test_is_child_victim(victim: VictimInfo | None, expected: bool) -> None:
    assert is_child_victim(victim) is expected
