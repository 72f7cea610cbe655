"""Triage rules: harm categories and a P1..P4 priority with the reasons that fired."""

from collections.abc import Callable
from dataclasses import dataclass

from contracts.cases import Triage
from contracts.enums import HarmCategory, Priority
from contracts.reports import NgoReferral, PlatformReport, PublicReport, VictimInfo

RULES_VERSION = "2026-11-27.1"

AnyReport = PublicReport | PlatformReport | NgoReferral
H = HarmCategory

PRIORITY_ORDER: tuple[Priority, ...] = tuple(Priority)  # most urgent first
CHILD_AGE_LIMIT = 18  # Child Act 2001 s.2(1): a child is a person below 18.

OCSEA_CATEGORIES: frozenset[HarmCategory] = frozenset(
    {
        H.CSAM,
        H.AI_GENERATED_CSAM,
        H.SELF_GENERATED_SEXUAL_MATERIAL,
        H.LIVE_STREAMED_ABUSE,
        H.GROOMING,
        H.SEXTORTION,
    }
)
SEVERE_CATEGORIES: frozenset[HarmCategory] = frozenset(
    {H.CSAM, H.LIVE_STREAMED_ABUSE, H.SEXTORTION}
)

# Matched as casefolded substrings: Malay affixes (meng-ugut, di-ugut, ugut-an) and the
# unspaced Chinese and agglutinative Tamil scripts defeat word boundaries. Keep terms specific.
# ms = Bahasa Melayu, en = English, zh = Chinese (simplified and traditional), ta = Tamil.
CATEGORY_KEYWORDS: dict[HarmCategory, tuple[str, ...]] = {
    H.GROOMING: (
        "grooming", "groomed", "online predator",  # en
        "dandanan seksual", "memujuk kanak-kanak",  # ms
        "诱骗", "誘騙",  # zh
    ),
    H.SEXTORTION: (
        "sextortion", "sextort", "blackmail",  # en
        "ugut",  # ms: also catches mengugut, diugut, peras ugut
        "勒索", "威胁公开", "威脅公開",  # zh
        "மிரட்ட",  # ta
    ),
    H.CSAM: (
        "csam", "child porn", "child sexual abuse material",  # en
        "pornografi kanak-kanak", "bahan penderaan seksual kanak-kanak",  # ms
        "儿童色情", "兒童色情",  # zh
        "குழந்தை ஆபாச", "சிறுவர் ஆபாச",  # ta
    ),
    H.SELF_HARM: (
        "self-harm", "self harm", "suicide", "kill myself",  # en
        "bunuh diri", "cederakan diri",  # ms
        "自杀", "自殺", "自残", "自殘",  # zh
        "தற்கொலை",  # ta
    ),
    H.ONLINE_SCAM: (
        "scam", "fraud",  # en
        "penipuan",  # ms
        "诈骗", "詐騙",  # zh
        "மோசடி",  # ta
    ),
}  # fmt: skip

# Words that say a child is at risk right now: any hit makes the report P1.
IMMINENT_DANGER_KEYWORDS: tuple[str, ...] = (
    "in danger", "kidnap", "meet tonight", "meeting tonight", "going to kill myself",  # en
    "dalam bahaya", "culik", "jumpa malam ini", "nak bunuh diri",  # ms
    "有危险", "有危險", "绑架", "綁架", "想自杀", "想自殺",  # zh
    "ஆபத்தில்",  # ta
)  # fmt: skip


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def keyword_hits(text: str | None, keywords: tuple[str, ...]) -> list[str]:
    """Keywords of the table that occur in the text, in table order."""
    folded = _fold(text)
    return [word for word in keywords if word.casefold() in folded] if folded else []


def is_child_victim(victim: VictimInfo | None) -> bool:
    """True when the victim is, or must be presumed to be, below 18."""
    if victim is None:
        return False
    if victim.age is not None:
        return victim.age < CHILD_AGE_LIMIT
    if victim.age_range is not None:
        low, high = (int(part) for part in victim.age_range.split("-"))
        return max(low, high) < CHILD_AGE_LIMIT
    # Identified but no age at all: presume a child until KPWKM or PDRM learn otherwise,
    # because a missed child costs far more than an extra support assessment.
    return victim.identified


@dataclass(frozen=True)
class Facts:
    """What the rules look at, computed once per report."""

    report: AnyReport
    categories: dict[HarmCategory, list[str]]  # category -> where it came from
    danger_words: list[str]
    child_victim: bool


def _categories(report: AnyReport) -> dict[HarmCategory, list[str]]:
    found: dict[HarmCategory, list[str]] = {}
    if isinstance(report, PlatformReport):
        found.setdefault(report.incident_type, []).append("incident_type")
    if isinstance(report, NgoReferral):
        found.setdefault(report.classification, []).append("classification")
    for category in report.suspected_categories:
        found.setdefault(category, []).append("suspected_categories")
    for category, words in CATEGORY_KEYWORDS.items():
        for word in keyword_hits(report.description, words):
            found.setdefault(category, []).append(f"keyword '{word}'")
    # UNKNOWN only stands in when nothing else is known.
    if len(found) > 1:
        found.pop(H.UNKNOWN, None)
    return found or {H.UNKNOWN: ["no category declared or detected"]}


def _describe(facts: Facts, wanted: frozenset[HarmCategory]) -> str:
    hits = [c for c in HarmCategory if c in facts.categories and c in wanted]
    return ", ".join(f"{c.value} ({'; '.join(facts.categories[c])})" for c in hits)


Verdict = tuple[Priority, str] | None


def escalation_flag(facts: Facts) -> Verdict:
    report = facts.report
    if isinstance(report, PlatformReport | NgoReferral) and report.escalate:
        who = "platform" if isinstance(report, PlatformReport) else "NGO"
        return Priority.P1, f"escalation flag set by {who}"
    return None


def child_in_danger(facts: Facts) -> Verdict:
    if isinstance(facts.report, PublicReport) and facts.report.child_in_danger:
        return Priority.P1, "reporter says a child is in danger"
    return None


def imminent_danger_keywords(facts: Facts) -> Verdict:
    if facts.danger_words:
        return Priority.P1, f"imminent-danger keywords: {', '.join(facts.danger_words)}"
    return None


def severe_category(facts: Facts) -> Verdict:
    if SEVERE_CATEGORIES & facts.categories.keys():
        return Priority.P2, f"severe category: {_describe(facts, SEVERE_CATEGORIES)}"
    return None


def grooming_of_child(facts: Facts) -> Verdict:
    if H.GROOMING in facts.categories and facts.child_victim:
        return Priority.P2, "grooming with a victim below 18"
    return None


def ocsea_category(facts: Facts) -> Verdict:
    if OCSEA_CATEGORIES & facts.categories.keys():
        return Priority.P3, f"OCSEA category: {_describe(facts, OCSEA_CATEGORIES)}"
    return None


def child_victim(facts: Facts) -> Verdict:
    if facts.child_victim:
        return Priority.P3, "victim is below 18"
    return None


# Evaluated in order; every rule that fires adds a reason, and the highest priority wins.
RULES: tuple[Callable[[Facts], Verdict], ...] = (
    escalation_flag,
    child_in_danger,
    imminent_danger_keywords,
    severe_category,
    grooming_of_child,
    ocsea_category,
    child_victim,
)


def facts_of(report: AnyReport) -> Facts:
    """Compute once the facts that the triage rules read."""
    victim = None if isinstance(report, PublicReport) else report.victim
    return Facts(
        report=report,
        categories=_categories(report),
        danger_words=keyword_hits(report.description, IMMINENT_DANGER_KEYWORDS),
        child_victim=is_child_victim(victim),
    )


def triage(report: AnyReport) -> Triage:
    """Categories, priority and reasons for a report under RULES_VERSION."""
    facts = facts_of(report)
    priority = Priority.P4
    reasons: list[str] = []
    for rule in RULES:
        verdict = rule(facts)
        if verdict is None:
            continue
        level, detail = verdict
        reasons.append(f"{level.value}: {detail} (rule {rule.__name__})")
        priority = min(priority, level, key=PRIORITY_ORDER.index)
    if not reasons:
        reasons.append("P4: no higher-priority rule fired (rule default)")
    categories = [c for c in HarmCategory if c in facts.categories]
    return Triage(
        categories=categories, priority=priority, reasons=reasons, rules_version=RULES_VERSION
    )
