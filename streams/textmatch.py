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
    # Rules 2026-12-02.1: the contractions, with either apostrophe and as typed without one
    # ("he didn't rape her", "she doesnt want to meet him tonight" were affirmed). Whole
    # words, as every Latin-script negation: "cant" is none in "decant".
    "don't", "don’t", "dont", "doesn't", "doesn’t", "doesnt", "didn't", "didn’t", "didnt",  # en
    "won't", "won’t", "wont", "can't", "can’t", "cant", "cannot", "weren't", "weren’t",  # en
    "isnt", "wasnt", "arent", "werent",  # en
    "tidak", "tidak lagi", "tak", "tak lagi", "bukan", "tiada",  # ms
    "x", "tk", "takde", "tak de",  # ms: as typed on a phone ("dia x dalam bahaya")
    "不再", "不", "没", "沒", "不会", "不會",  # zh: 不会 "will not"
    "不想",  # zh: "does not want" (我不想要自杀, I don't want to kill myself)
    # Rules 2026-12-02.14: "送院后没有生命危险" (no danger to her life after hospital), "她已经
    # 脱离生命危险" (out of danger), "anak saya dah selamat, tiada lagi dalam bahaya" and "dia
    # x lagi dlm bahaya" (no longer in danger) were P1: the words before them end in 有 (没有),
    # not in the 没 that negates. Right before the word only: "没有人帮她，她有危险" (no one
    # helps her, she is in danger) stays P1; and 脱离 is not out of danger when it is itself
    # denied ("仍未脱离生命危险", still not out of it: _ends_in_negation). 不是 ("她不是想自杀",
    # she does not mean to), but not in its rhetorical question, "不是有危险吗" (isn't she in
    # danger?), which says she is (negated: reviews of .14 and .15).
    "没有", "沒有", "不是", "脱离", "脫離",  # zh
    "tiada lagi", "x lagi", "tk lagi",  # ms
)  # fmt: skip
NEGATIONS_AFTER: tuple[str, ...] = (
    " இல்லை", "இல்லை", "லை",  # ta: ஆபத்தில் இல்லை, ஆபத்தில்லை (not in danger)
    " மாட்டே", " மாட்டா",  # ta: will not (தற்கொலை செய்ய மாட்டேன்); not மாட்டி (trapped)
    # Rules 2026-12-02.14: spoken "not", as ஆபத்துல (in danger) is spoken (ஆபத்துல இல்ல), and
    # "will not go to", now that சாகப் போ (going to die) is a danger word: "நான் சாகப்
    # போவதில்லை" (I am not going to die), "தற்கொலை செய்து கொள்ளப் போவதில்லை". Spoken இல்ல
    # as a whole word only (_negated_after): not இல்லம் (home), இல்லாமல் (without).
    " இல்ல", "வதில்லை", " போவதில்லை", "ப் போவதில்லை",  # ta
)  # fmt: skip
# "Non-stop" starts with a negation word and negates nothing: "他不停地", "不断", "dia tak
# henti-henti", "tidak berhenti" ("现在他不停地强奸她" was not P1). Rules 2026-12-01.4.
# Nor "won't stop", "doesn't stop", "never stops" (rules 2026-12-02.1: with the contractions
# negations, "now he won't stop raping her" would have lost its P1).
NOT_A_NEGATION_WHEN_FOLLOWED_BY: tuple[str, ...] = (
    "停", "断", "斷", " henti", " berhenti", " stop",
)  # fmt: skip
# A negation reaches the word over these ("not a kidnap", "doesn't want to meet her tonight",
# "will not be in danger", "tak nak jumpa malam ni", "tidak akan dirogol"): at most two of
# them, whole words. Rules 2026-12-02.1: each of these was read as affirmed.
NEGATED_THROUGH: tuple[str, ...] = (
    "a", "an", "the", "be", "want to", "wants to", "wanna", "going to", "gonna",  # en
    # Rules 2026-12-02.3: adverbs between ("he never ever rapes her", "never really").
    "ever", "once", "really", "actually", "even",  # en
    "nak", "nk", "mahu", "mau", "hendak", "ingin", "akan",  # ms
    # Rules 2026-12-02.14: "dia tidak lagi berada dalam bahaya" (no longer in danger) was P1.
    "berada", "lagi",  # ms
)  # fmt: skip
# The platform X (Twitter) is no Malay "x" (not) after a word saying where or how ("on X",
# "kat X", "dari X"), nor where it is written as a capital (see fold): "he is raping her on
# X now" was not P1, "dia live kat x dalam bahaya" no danger. Rules 2026-12-01.4.
PLATFORM_X_AFTER: tuple[str, ...] = (
    "on", "at", "in", "from", "via", "to", "through", "using",  # en
    "di", "kat", "dari", "dekat", "ke", "guna", "melalui", "pada",  # ms
)  # fmt: skip
# What a capital X standing alone folds to: one letter like X, in no table and no negation.
PLATFORM_X = "𝕏"
_CAPITAL_X = re.compile(r"(?<![\w'’])X(?![\w'’])")
# Written in capitals, X is the negation as typed: "DIA X DALAM BAHAYA" was P1 (rules
# 2026-12-02.1). So where the whole text has no small letter, or the X stands between two
# words in capitals; still the platform after a place word ("ON X NOW": PLATFORM_X_AFTER).
_X_IN_CAPITALS = re.compile(r"(?<![\w'’])([A-Z]{2,}[ \t]+)X(?=[ \t]+[A-Z]{2,}(?![\w'’]))")
_SMALL_LETTER = re.compile(r"[a-z]")


@lru_cache(maxsize=8)
def fold(text: str | None) -> str:
    """Casefolded, whitespace collapsed. Every table of the triage rules and every pattern
    is looked up in the same description: folded once per report. A capital X standing
    alone is the platform, and folds to PLATFORM_X, never to the negation "x", unless it is
    written among capitals (_X_IN_CAPITALS)."""
    text = text or ""
    if "X" in text and _SMALL_LETTER.search(text):
        text = _CAPITAL_X.sub(PLATFORM_X, _X_IN_CAPITALS.sub(r"\1x", text))
    return " ".join(text.casefold().split())


_AT_PLATFORM_X = re.compile(rf"\b(?:{'|'.join(PLATFORM_X_AFTER)}) x$")


def _latin(word: str) -> bool:
    """A Latin-script word, matched whole ("don’t" with the typographic apostrophe too)."""
    return word.replace("’", "'").isascii()


def negated(folded: str, start: int, end: int) -> bool:
    """True when folded[start:end] sits right after a negation word, or after one and up to
    two words it reaches over (NEGATED_THROUGH), or right before a negation word."""
    before = folded[:start].rstrip()
    for _ in range(3):
        if _ends_in_negation(before) and not _asked_zh(before, folded, end):
            return True
        through = next((w for w in NEGATED_THROUGH if _ends_in_word(before, w)), None)
        if through is None:
            break
        before = before[: -len(through)].rstrip()
    return _negated_after(folded[end:])


# 不是…吗 asks, and says yes: "我的孩子不是有危险吗？" (isn't my child in danger?).
_QUESTION_ZH = re.compile(r"[^，。！？,.!?；;]*?[吗嗎]")


def _asked_zh(before: str, folded: str, end: int) -> bool:
    return before.endswith("不是") and _QUESTION_ZH.match(folded, end) is not None


# Spoken Tamil இல்ல negates with a particle after it (இல்லப்பா, இல்லடா, இல்லங்க), not as the
# start of இல்லம் (home), இல்லத்தில், இல்லாமல் (without), இல்லாத.
_NOT_ILLA = re.compile(r"ம்|த்|ா")


def _negated_after(rest: str) -> bool:
    return any(
        rest.startswith(n) and not (n == " இல்ல" and _NOT_ILLA.match(rest, len(n)))
        for n in NEGATIONS_AFTER
    )


def _ends_in_word(text: str, word: str) -> bool:
    return text.endswith(word) and not text[-len(word) - 1 : -len(word)].isalnum()


_NOT_YET_ZH = ("未", "没", "沒", "没有", "沒有", "不能", "无法", "無法")


def _ends_in_negation(before: str) -> bool:
    for negation in NEGATIONS_BEFORE:
        if before.endswith(negation):
            lead = before[: -len(negation)]
            # Latin-script negations must be whole words ("knot" is not "not").
            if _latin(negation) and lead[-1:].isalnum():
                continue
            if negation.split()[0] == "x" and _AT_PLATFORM_X.search(lead + "x"):
                continue
            # 是不是 asks (rules 2026-12-02.14): "她是不是有危险" (is she in danger?) stays P1.
            if negation == "不是" and lead.endswith("是"):
                continue
            # Not yet out of danger is in danger (rules 2026-12-02.14, a review): "仍未脱离
            # 生命危险", "还没脱离".
            if negation in ("脱离", "脫離") and lead.removesuffix("完全").endswith(_NOT_YET_ZH):
                continue
            return True
    return False


def _negation_pattern() -> re.Pattern[str]:
    latin = sorted(
        (n for n in NEGATIONS_BEFORE if _latin(n) and n.split()[0] != "x"), key=len, reverse=True
    )
    other = sorted((n for n in NEGATIONS_BEFORE if not _latin(n)), key=len, reverse=True)
    words = "|".join(re.escape(n) for n in latin)
    # One fixed-width look-behind a word: "on x" is the platform.
    not_at = "".join(rf"(?<!\b{w} )" for w in PLATFORM_X_AFTER)
    others = "|".join(re.escape(n) for n in other)
    non_stop = "|".join(re.escape(n) for n in NOT_A_NEGATION_WHEN_FOLLOWED_BY)
    return re.compile(rf"(?:\b(?:{words})\b|{not_at}\bx\b|{others})(?!{non_stop})")


# Any negation of NEGATIONS_BEFORE inside a stretch of text (Latin-script ones as whole
# words), but not "non-stop" nor the platform X (the two tables above).
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
