"""Matching words in a report's free text: folded once, negations recognised. Shared by the
triage rules (streams.triage) and what a description says of a child (streams.child_mentions)."""

import re
from functools import lru_cache

# A danger or under-age word right after one of these ("no longer in danger", "tidak lagi
# dalam bahaya", "不再有危险", "not underage") or right before one of these (Tamil:
# "ஆபத்தில் இல்லை") does not count.
NEGATIONS_BEFORE: tuple[str, ...] = (
    "not", "no longer", "no more", "never", "isn't", "isn’t", "wasn't", "wasn’t",  # en
    "aren't", "aren’t",  # en
    "tidak", "tidak lagi", "tak", "tak lagi", "bukan", "tiada",  # ms
    "x", "tk", "takde", "tak de",  # ms: as typed on a phone ("dia x dalam bahaya")
    "不再", "不", "没", "沒", "不会", "不會",  # zh: 不会 "will not"
)  # fmt: skip
NEGATIONS_AFTER: tuple[str, ...] = (
    " இல்லை", "இல்லை", "லை",  # ta: ஆபத்தில் இல்லை, ஆபத்தில்லை (not in danger)
)  # fmt: skip


@lru_cache(maxsize=8)
def fold(text: str | None) -> str:
    """Casefolded, whitespace collapsed. Every table of the triage rules and every pattern
    is looked up in the same description: folded once per report."""
    return " ".join((text or "").casefold().split())


def negated(folded: str, start: int, end: int) -> bool:
    """True when folded[start:end] sits right after or before a negation word."""
    before = folded[:start].rstrip()
    for negation in NEGATIONS_BEFORE:
        if before.endswith(negation):
            lead = before[: -len(negation)]
            # Latin-script negations must be whole words ("cannot" is not "not").
            if not (negation.isascii() and lead[-1:].isalnum()):
                return True
    return folded[end:].startswith(NEGATIONS_AFTER)


def _negation_pattern() -> re.Pattern[str]:
    latin = sorted((n for n in NEGATIONS_BEFORE if n.isascii()), key=len, reverse=True)
    other = sorted((n for n in NEGATIONS_BEFORE if not n.isascii()), key=len, reverse=True)
    words = "|".join(re.escape(n) for n in latin)
    return re.compile(rf"\b(?:{words})\b|" + "|".join(re.escape(n) for n in other))


# Any negation of NEGATIONS_BEFORE inside a stretch of text (Latin-script ones as whole words).
_ANY_NEGATION = _negation_pattern()


def negation_in(folded: str) -> bool:
    """True when the (folded) text holds a negation word anywhere: "he is not raping her now"
    between an abuse word and a word for now."""
    return _ANY_NEGATION.search(folded) is not None


def word_starts_at(folded: str, i: int) -> bool:
    """True when no letter comes right before folded[i] ('rape' starts no word in 'scraped')."""
    return i == 0 or not folded[i - 1].isalpha()


def occurrences(folded: str, word: str) -> list[int]:
    """Where `word` starts in the text, every time."""
    found, i = [], folded.find(word)
    while i >= 0:
        found.append(i)
        i = folded.find(word, i + 1)
    return found
