"""What a report's description says of a child: an age below 18 next to a word for a young
person (in digits or in words), a school year, a word calling someone under age, and
requests for photos. The triage rules (streams.triage) turn these into the child-victim fact
and the grooming-of-a-child rule; each pattern here has its tests in tests/unit/test_triage.py,
with the false friends it must not match."""

import re
from functools import lru_cache

from streams.textmatch import fold, negated, occurrences

CHILD_AGE_LIMIT = 18  # Child Act 2001 s.2(1): a child is a person below 18.

# An adult asking a child for photos is grooming whether or not the request says what kind:
# a request for photos counts as grooming beside a child named by age (CHILD_AGE_PATTERNS,
# CHILD_AGE_WORD_PATTERNS) or school year (SCHOOL_CHILD_PATTERNS), or as under age ("a man
# keeps asking my 12 year old son for photos" was P4, no category).
# Whole words, so that "for a picnic" and "for a video game" are no request.
PHOTO_REQUEST_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        # en: "for photos", "send me pics", "asked him for a selfie", "sending her videos"
        r"\b(?:for|send|sends|sending|sent|wants?|wanted|wanting)\b(?:\s+\w+){0,2}\s+"
        r"(?:photos?|pics?|pictures?|selfies?|videos?|nudes?)\b(?!\s*(?:game|call|clip))",
        # ms: "minta gambar", "hantarkan foto", "kirim video", "mintak pap"
        r"\b(?:minta|mintak|hantar|hantarkan|kirim|kirimkan|suruh hantar|send)\b(?:\s+\w+){0,2}\s+"
        r"(?:gambar|gmbr|foto|swafoto|video|pap)\b",
        # zh: 要照片, 索要相片, 发一张照片, 传自拍, 要视频
        r"(?:要|索要|发|發|传|傳)(?:一张|一張|张|張|些|几张|幾張)?(?:照片|相片|自拍|视频|視頻)",
        # ta: புகைப்படம் கேட், படங்கள் அனுப்ப, போட்டோ கேட், செல்ஃபி அனுப்ப
        r"(?:புகைப்பட|படம்|படங்க|போட்டோ|செல்ஃபி)\S*\s*(?:கேட்|அனுப்ப)",
    )
)
# Also "under 18", "below 16", "bawah 18 tahun", "未满18岁", "18 வயதுக்குட்பட்ட": a limit
# of 18 or below names a child as plainly as an age does.
UNDER_AGE_PATTERN = re.compile(
    r"\b(?:under|below|bawah)\s+(?:the\s+age\s+of\s+|umur\s+)?(?:1[0-8]|[1-9])\b(?![\d.,]\d)"
    r"(?!\s*(?:minutes?|mins?|hours?|hrs?|seconds?|secs?|days?|weeks?|months?|minit|jam|hari"
    r"|minggu|bulan|kg|km|cm|rm|ringgit|dollars?|%|percent|people|persons?|times|items?))"
    r"|(?:未满|未滿|不满|不滿)(?:1[0-8]|[1-9])(?:岁|歲|周岁|周歲)"
    r"|(?:1[0-8]|[1-9])\s*வயதுக்குட்பட்ட"
    r"|\bunder[- ]?age\b|\bminors\b"
    r"|\ba minor\b(?=\s*(?:[.,;:!?)]|$|and\b|who\b|for\b|to\b|girl|boy))"
    r"|bawah umur|未成年|சிறார்"
)
# A child named by age: the age next to a word for a young person, so that "a 2 year old
# iPhone", "whisky aged 12 years", "a company 15 years old" and "I was 12 years old when"
# (an adult telling of the past) name no child. en: "my 12 year old son", "12-year-old
# girl", "my son (12)", "my son, 12,", "my son is 12"; ms: "anak saya berumur 12 tahun",
# "adik perempuan saya 13 tahun"; zh: "12岁的女儿", "女儿今年12岁"; ta: "12 வயது மகள்",
# "மகள் 12 வயது".
_YOUNG_EN = (
    r"(?:sons?|daughters?|girls?|boys?|child|children|kids?|nieces?|nephews?|brothers?|"
    r"sisters?|students?|grandsons?|granddaughters?|cousins?|teens?|teenagers?|pupils?)"
)
_YOUNG_MS = r"(?:anak|budak|adik|kanak-kanak|murid|pelajar|remaja)"
_YOUNG_ZH = (
    r"(?:女儿|女兒|儿子|兒子|女孩|男孩|孩子|小孩|学生|學生|侄女|侄子|外甥|外甥女|妹妹|弟弟|"
    r"孙女|孫女|孙子|孫子|少女|少年)"
)
# Stems without the final virama, so that inflected forms match too (மகள், மகளிடம்).
_YOUNG_TA = r"(?:மகள|மகன|சிறுமி|சிறுவன|குழந்தை|மாணவி|மாணவன|பேத்தி|பேரன|தங்கை|தம்பி)"
_NUM = r"(?<![\d.,])(\d{1,2})(?![\d.,]\d)"
# A child telling of themselves, as children report: "I am 13", "I'm 12 years old", "saya
# berumur 13 tahun", "umur aku 14", "我今年13岁", "எனக்கு 13 வயது" (SELF_AGE_PATTERNS, with
# guards of their own in self_age_hits). In English the age must end the phrase or be called
# one ("I'm 12 hours away", "I am 15 minutes late" are no age).
_I_AM_EN = r"\b(?:i\s+am|i'm|i’m|im)\s+(?:only\s+|just\s+)?"
_STATEMENT_ENDS_EN = (
    r"(?=\s*(?:[.,;:!?)\"”'’…&-]|$|(?:and|but|so|now|this|turning|n|btw|lol|f|m|he|she|his|"
    r"him|dia|pls|please|plz|help|tolong)\b))"
)
# "years" alone is an age where the statement ends as a child ends it ("I'm 13 years.", "i'm
# 13 years lol", "im 13 years n he"), not where an adult's duration goes on: "I'm 13 years
# into the job", "I'm 10 years and counting", "I'm 10 years, two months sober", "I'm 11 years
# but still no promotion".
_COUNT_GOES_ON_EN = (
    r"(?:(?:\d{1,2}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven)\s+"
    r"(?:months?|weeks?|days?)|a\s+half|counting)\b"
)
_YEARS_END_EN = (
    r"(?=\s*(?:[.!?…;:()]|$|,(?!\s*(?:and\s+)?" + _COUNT_GOES_ON_EN + r")"
    r"|(?:and|but|n|so|lol|btw|pls|please|he|she|his|dia)\b"
    r"(?!\s+(?:" + _COUNT_GOES_ON_EN + r"|still\b))))"
)
_AGE_CALLED_EN = (
    r"(?:\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b|\s*(?:yo|y/o|y\.o\.?)(?!\w)"
    rf"|\s+years?\s+of\s+age\b|\s*(?:years?|yrs?)\b{_YEARS_END_EN}|{_STATEMENT_ENDS_EN})"
)
# "I just turned 13", "I've turned 13", "i turned 13 last month": an age reached lately is
# the age now. A bare "I turned 13" tells of a day that may be long past; "I had just turned
# 13" is the past.
_LATELY_TURNED_EN = r"(?:just|jus|jst|recently|only\s+just)\s+turned\s+"
_I_TURNED_LATELY_EN = (
    rf"(?:\bi(?:\s+have|'ve|’ve)\s+|\bive\s+)(?:{_LATELY_TURNED_EN}|turned\s+)"
    rf"|\bi\s+{_LATELY_TURNED_EN}"
)
_I_TURNED_EN = r"\bi\s+turned\s+"
_LATELY_EN = (
    r"(?:\s+(?:last|this)\s+(?:week|month|year)\b|\s+(?:yesterday|today|recently)\b"
    r"|\s+(?:a|one|two|three|four|five|six|\d{1,2})\s+(?:days?|weeks?|months?)\s+ago\b)"
)
# After "just turned 13": "in March" (not "in March 2010", "in May of 2009", "in March last
# year").
_IN_A_MONTH_EN = (
    r"\s+in\s+(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b"
    r"(?!\W*(?:of\s+)?\d|\s+(?:last|previous)\s+year)"
)
# "Saya" only where it is the subject, at a clause's start: after a noun it is "my" ("adik
# saya 13 tahun" is a sibling, named by the young-person patterns; "kereta saya 13 tahun" a
# car).
_CLAUSE_START_MS = (
    r"(?:^|(?<=[.,;:!?(])|(?<=[.,;:!?(] )|"
    + "|".join(
        rf"(?<=\b{word} )"
        for word in (
            "hai", "hi", "helo", "hello", "dan", "tapi", "tetapi", "sebab", "kerana", "salam",
            "assalamualaikum", "sekarang", "kini",
        )
    )
    + ")"
)  # fmt: skip
_I_MS = rf"{_CLAUSE_START_MS}(?:saya|aku|sy)\b"
# "saya baru masuk 13 tahun", "sy br masuk 13 thn" (I just turned 13).
_AGE_MS = r"(?:berumur|berusia|baru|br|masih|hanya|cuma|masuk|nak)"
# "saya dah 13 tahun" (I'm 13 already) only where the sentence ends: "saya dah 15 tahun dia
# ganggu" is fifteen years of it.
_ALREADY_MS = r"(?:dah|dh|sudah)\s+(?:masuk\s+)?"
_SENTENCE_ENDS_MS = r"(?=\s*(?:[.!?…,]|$))"
_YEARS_MS = r"(?:tahun|thn|thun)\b"
# After "saya 13 tahun" only what ends the statement: "saya 15 tahun bekerja di sini" and
# "saya 3 tahun berkawan dengan dia" are durations, said by adults.
_AGE_ENDS_MS = (
    r"(?=\s*(?:[.,;:!?)\"”'’…-]|$|(?:dan|tapi|je|jer|sahaja|saja|lah|ni|sekarang|pun|dia|"
    r"tolong)\b))"
)
# "我刚满13岁" (I just turned 13), "我今年满十三岁".
_I_ZH = (
    r"(?:我|本人)(?:是)?(?:今年|现在|現在)?(?:才|只有|只是|已经|已經|刚刚|剛剛|刚|剛)?(?:满|滿)?\s*"
)
# Now, and just now, written and spoken: "எனக்கு இப்போதுதான் 13 வயது ஆனது", "எனக்கு இப்பதான் 13
# வயசு" (I just turned 13).
_NOW_TA = r"(?:இப்போதுதான்|இப்பொழுதுதான்|இப்பதான்|இப்போ\s*தான்|இப்போது|இப்பொழுது|இப்போ|இப்ப|தற்போது)"
_I_TA = rf"(?:எனக்கு|நான்)\s*(?:{_NOW_TA}\s+)?"
# Tamil வயது (age) and its spoken வயசு, whole: not வயதில் (at the age of: the past).
_AGE_TA = r"வய(?:து|சு)(?![\u0b80-\u0bff])"


def _self_age_forms(
    en: str, en_end: str, ms: str, zh: str, zh_units: str, ta: str, ms_also: tuple[str, ...] = ()
) -> tuple[re.Pattern[str], ...]:
    """The ways a child tells their own age, with the number as `en`, `ms`, `zh` and `ta`
    match it in each language (digits, or words), `en_end` what ends an English age and
    `zh_units` the Chinese words for years of age; `ms_also`, Malay forms of their own."""
    return tuple(
        re.compile(pattern)
        for pattern in (
            rf"{_I_AM_EN}(?:an?\s+)?{en}{en_end}",
            rf"(?:{_I_TURNED_LATELY_EN}){en}(?:{_LATELY_EN}|{_IN_A_MONTH_EN}|{en_end})",
            rf"{_I_TURNED_EN}{en}{_LATELY_EN}",
            rf"{_I_MS}\s+(?:{_AGE_MS}\s+)*{ms}\s*{_YEARS_MS}{_AGE_ENDS_MS}",
            rf"{_I_MS}\s+{_ALREADY_MS}{ms}\s*{_YEARS_MS}{_SENTENCE_ENDS_MS}",
            *ms_also,
            rf"{_I_ZH}{zh}\s*{zh_units}(?!以上|时|時|那年|的|就|起|开始|開始|被|以后|以後)",
            rf"{_I_TA}{ta}\s*{_AGE_TA}",
        )
    )


SELF_AGE_PATTERNS = _self_age_forms(
    _NUM,
    _AGE_CALLED_EN,
    _NUM,
    _NUM,
    "(?:岁|歲|周岁|周歲)",
    _NUM,
    # "umur" makes it an age: "umur saya dah 13 tahun dia..." too.
    ms_also=(
        rf"(?:{_I_MS}\s+(?:umur|usia)|\b(?:umur|usia)\s+(?:saya|aku|sy))\s+"
        rf"(?:(?:baru|br|dah|dh|sudah|masuk|nak)\s+)*{_NUM}(?:\s*{_YEARS_MS})?{_AGE_ENDS_MS}",
    ),
)
# A self-stated age below this is no reporter's ("I am one [of them]", "I'm 2 and a half
# hours away", "I am 4 months pregnant").
SELF_AGE_MIN = 8
# Told of the past ("since I'm 12", "masa umur saya 12 tahun", "从我13岁", "当我13岁"), or
# someone else's words ("she said hi I'm 16": a scammer's persona): no child reporting.
_SELF_AGE_NOT_NOW = re.compile(
    r"(?:\b(?:since|when|sejak|masa|semasa|waktu|ketika|sewaktu|dari)\s+(?:\w+\s+){0,2}$"
    r"|(?:从|自从|當|当|(?<![现現])在)\s*$"
    r"|\b(?:she|he|they|scammer|profile|girl|guy|dia)\s+(?:said|says|wrote|writes|texted|"
    r"claimed|claims|sent|sends|messaged|typed|kata|cakap)\b.{0,30}$"
    r"|\b(?:kata|cakap)\s+dia\b.{0,30}$|(?:他|她)说.{0,15}$)"
)


# A name between a young person and the age: one or two words in English (not one that
# makes the age a thing's or someone else's), one to three Han characters in Chinese.
_NOT_A_NAME_EN = (
    r"(?:a|an|the|his|her|my|our|their|your|has|have|had|got|gets|bought|buys|owns?|with|and|"
    r"for|of|who|was|is|in|at|on|from|to|needs?|wants?|drives?|sold|sells?)"
)
_NAME_EN = rf"(?:\s+(?!{_NOT_A_NAME_EN}\b)[^\W\d_]+){{1,2}}?"
_NAME_ZH = r"(?!今年|才|只有|已经|已經)[\u4e00-\u9fff]{1,3}?"
# Words before a Chinese age, one or two of them ("今年才12岁": this year only 12).
_AGE_ADVERBS_ZH = r"(?:今年|才|只有|已经|已經){0,2}"


# An age told in the next sentence, of a young person named in the one before: "a man keeps
# asking my niece for nudes. She is 12.", "他一直向我侄女要裸照。她才12岁", "... anak saya. Dia
# baru 12 tahun" (each was P3 with no victim support). The sentence before: at most 100
# characters from the young person to its end.
# The pronoun must be the young person's (she after a daughter, he after a son): "...
# harassing my daughter. He is 16.", "my daughter has a new boyfriend. he's 17" are the
# man's ages (a review). Where the pronoun says no gender (Malay "dia", "he" after "my
# kids", 他 after 孩子), no adult may be named between ("My kids were messaged by a stranger.
# He is 17."), but the one a Malay child was asked "oleh" (by), and "anak lelaki" (a son).
def _to_sentence_end(limit: int, ends: str, space: str, barred: str | None = None) -> str:
    """Up to `limit` characters to the end of the sentence (one of `ends`) and the `space`
    after it, none of them starting a `barred` word."""
    character = rf"(?:(?!{barred})[^{ends}\n])" if barred else rf"[^{ends}\n]"
    return rf"{character}{{0,{limit}}}[{ends}]{space}"


_ADULTS_EN = r"man|men|guy|guys|boyfriend|girlfriend|stranger|adult|uncle|teacher|husband|wife"
_NO_ADULT_BEFORE_THEN_EN = _to_sentence_end(100, ".!?", r"\s+", rf"\b(?:{_ADULTS_EN})\b")
_ADULTS_MS = (
    r"(?<!oleh )(?<!anak )(?<!adik )(?<!budak )\b(?:lelaki|pakcik|orang dewasa|suami|isteri"
    r"|cikgu|guru)\b"
)
_ADULTS_ZH = r"男人|男子|叔叔|老师|老師|男朋友|女朋友|陌生人|丈夫|老公|大人"
_BEFORE_THEN_EN = _to_sentence_end(100, ".!?", r"\s+")
_GIRL_EN = r"(?:daughters?|girls?|nieces?|sisters?|granddaughters?)"
_BOY_EN = r"(?:sons?|boys?|nephews?|brothers?|grandsons?)"
_ANY_CHILD_EN = r"(?:child|children|kids?|students?|cousins?|teens?|teenagers?|pupils?)"
_THEN_SHE_EN = (
    rf"(?:{_GIRL_EN}\b{_BEFORE_THEN_EN}she|{_BOY_EN}\b{_BEFORE_THEN_EN}he"
    rf"|{_ANY_CHILD_EN}\b{_NO_ADULT_BEFORE_THEN_EN}(?:she|he))"
    r"(?:\s+is|\s+was|'s|’s)\s+(?:only\s+|just\s+)?"
)
_NO_ADULT_BEFORE_THEN_MS = _to_sentence_end(100, ".!?", r"\s+", _ADULTS_MS)
_THEN_SHE_MS = (
    rf"\b{_NO_ADULT_BEFORE_THEN_MS}dia\s+"
    r"(?:(?:baru|br|masih|hanya|cuma|sekarang|skrg|kini)\s+)?(?:(?:berumur|berusia|umur|usia)\s+)?"
)
# Years said of work or a place ("Dia 5 tahun bekerja di sana") are no age.
_NOT_AN_AGE_AFTER_TAHUN = (
    r"(?!\s*(?:lepas|lalu|yang lalu|yang lepas|dahulu|dulu|lebih|lagi|di|kat|sejak|sudah"
    r"|bekerja|kerja|berkhidmat|tinggal|belajar|mengajar)\b)"
)
_GIRL_ZH = r"(?:女儿|女兒|女孩|侄女|外甥女|妹妹|孙女|孫女|少女)"
_BOY_ZH = r"(?:儿子|兒子|男孩|侄子|外甥(?!女)|弟弟|孙子|孫子|少年)"
_ANY_CHILD_ZH = r"(?:孩子|小孩|学生|學生)"
_BEFORE_THEN_ZH = _to_sentence_end(40, "。！？.!?", r"\s*")
_NO_ADULT_BEFORE_THEN_ZH = _to_sentence_end(40, "。！？.!?", r"\s*", _ADULTS_ZH)
_THEN_SHE_ZH = (
    rf"(?:{_GIRL_ZH}{_BEFORE_THEN_ZH}她|{_BOY_ZH}{_BEFORE_THEN_ZH}他"
    rf"|{_ANY_CHILD_ZH}{_NO_ADULT_BEFORE_THEN_ZH}(?:她|他))"
    rf"{_AGE_ADVERBS_ZH}"
)
_NOT_AN_AGE_AFTER_EN = (
    r"(?!\s*(?:minutes?|hours?|days?|weeks?|months?|am|pm|:|%|percent|kg|cm|km|kilomet\w*"
    r"|miles?|met(?:re|er)s?|m\b|lbs?|pounds?|feet|ft|inch\w*))"
)
CHILD_AGE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        rf"{_NUM}\s*-?\s*(?:years?|yrs?)\s*-?\s*olds?\s+{_YOUNG_EN}\b",
        rf"{_NUM}\s*(?:yo|y/o|y\.o\.?)\s+{_YOUNG_EN}\b",
        rf"\b{_YOUNG_EN}\s*(?:\(|,)\s*(?:aged?\s+)?{_NUM}\s*(?:\)|,|years?|yrs?|yo\b)",
        rf"\b{_YOUNG_EN}\s+(?:is|was|aged|age)\s+(?:only\s+|just\s+)?{_NUM}\b"
        r"(?!\s*(?:minutes?|hours?|days?|weeks?|months?|am|pm|:))",
        rf"\b{_YOUNG_MS}\b(?:\s+\w+){{0,3}}?\s+(?:yang\s+|yg\s+)?"
        rf"(?:berumur|berusia|umur|usia|umurnya|usianya)?\s*{_NUM}\s*(?:tahun|thn|thun)\b"
        r"(?!\s*(?:lepas|lalu|yang lalu|dahulu))",
        # Rules 2026-12-02.14: the age alone, as parents call a child, before a verb: "my 11
        # year old is being messaged by a man", "keeps asking my 11 year old to send pictures"
        # named no child; not "my 11 year old car".
        r"\b(?:my|our|his|her|their|your)\s+" + _NUM + r"\s*-?\s*(?:(?:years?|yrs?)\s*-?\s*old"
        r"|yo|y/o)(?=\s+(?:is|was|has|to|keeps|got)\b)",
        # "adik aku umur 13", "anak saya umur 12": 'umur' makes the number an age.
        rf"\b{_YOUNG_MS}\b(?:\s+\w+){{0,2}}?\s+(?:umur|usia|umurnya|usianya)\s+{_NUM}\b"
        r"(?!\s*(?:bulan|minggu|hari|lepas|lalu|tahun lepas|tahun lalu))",
        # en: "my daughter 12 years old", "my daughter 12yo", "my daughter who is 12"
        rf"\b{_YOUNG_EN}\s+(?:who\s+is\s+|who's\s+)?{_NUM}\s*(?:-?\s*(?:years?|yrs?)"
        r"\s*-?\s*old|yo\b|y/o)",
        rf"\b{_YOUNG_EN}\s+who(?:\s+is|'s|’s)\s+(?:only\s+|just\s+)?{_NUM}\b"
        r"(?!\s*(?:minutes?|hours?|days?|weeks?|months?|am|pm|:|%))",
        rf"\b{_THEN_SHE_EN}{_NUM}\b{_NOT_AN_AGE_AFTER_EN}",
        rf"\b{_YOUNG_MS}{_THEN_SHE_MS}{_NUM}\s*(?:tahun|thn|thun)\b{_NOT_AN_AGE_AFTER_TAHUN}",
        rf"{_THEN_SHE_ZH}{_NUM}\s*(?:岁|歲)(?!以上|时|時|那年)",
        # The child's name between ("my son Ahmad (12)", "my daughter Nur Aisyah 12 years
        # old", "anak saya Ahmad (12)", "我女儿小美12岁"): one or two words, not a word that
        # makes the age a thing's ("my son bought a 12 years old car").
        rf"\b{_YOUNG_EN}{_NAME_EN}\s*\(\s*(?:aged?\s+)?{_NUM}\s*\)",
        rf"\b{_YOUNG_EN}{_NAME_EN}\s*,\s*(?:aged?\s+)?{_NUM}\s*,",
        rf"\b{_YOUNG_EN}{_NAME_EN}\s+{_NUM}\s*(?:-?\s*(?:years?|yrs?)\s*-?\s*old|yo\b|y/o)",
        rf"\b{_YOUNG_MS}\b(?:\s+\w+){{1,3}}?\s*\(\s*{_NUM}\s*(?:tahun|thn|thun)?\s*\)",
        rf"{_NUM}\s*(?:岁|歲|周岁|周歲)(?!以上|时|時|那年)(?:的)?{_YOUNG_ZH}",
        rf"{_YOUNG_ZH}(?:{_NAME_ZH})?{_AGE_ADVERBS_ZH}{_NUM}\s*(?:岁|歲)(?!以上|时|時|那年)",
        # \S, not \w: Tamil vowel signs are combining marks, which \w does not match.
        rf"{_NUM}\s*வயத\S*\s+{_YOUNG_TA}",
        rf"{_YOUNG_TA}\S*\s+{_NUM}\s*வயத",
        rf"{_YOUNG_TA}\S*\s+வயத\S*\s+{_NUM}\b",  # "என் மகளுக்கு வயது 12"
    )
)


def _counted(*numbers: str) -> tuple[tuple[str, int], ...]:
    """Number words for 1, 2, 3... in order; 'a/b' gives two spellings the same value."""
    return tuple(
        (word, value) for value, words in enumerate(numbers, start=1) for word in words.split("/")
    )


# Ages in words, below 18 only ("eighteen", "lapan belas", "十八" name no child). Numbers are
# matched whole, so that "twenty-two", "dua puluh dua", "二十二岁" and "இருபத்து இரண்டு"
# are never read as two (see the guards in CHILD_AGE_WORD_PATTERNS).
AGE_WORDS_EN = _counted(
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
)  # fmt: skip
AGE_WORDS_MS = _counted(
    "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "lapan/delapan", "sembilan",
    "sepuluh", "sebelas", "dua belas", "tiga belas", "empat belas", "lima belas", "enam belas",
    "tujuh belas",
)  # fmt: skip
# 十二, not 一十二 (rarely written); 两/兩 as well as 二 for two.
AGE_WORDS_ZH = _counted(
    "一", "二/两/兩", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三",
    "十四", "十五", "十六", "十七",
)  # fmt: skip
# Written and common spoken spellings (ரெண்டு, நாலு, பதினாலு...). Not ஒரு ("a", also "one"):
# "ஒரு வயதான பெண்" is "an elderly woman".
AGE_WORDS_TA = _counted(
    "ஒன்று", "இரண்டு/ரெண்டு", "மூன்று", "நான்கு/நாலு", "ஐந்து/அஞ்சு", "ஆறு", "ஏழு", "எட்டு",
    "ஒன்பது", "பத்து", "பதினொன்று/பதினொரு", "பன்னிரண்டு/பன்னிரெண்டு",
    "பதின்மூன்று/பதிமூன்று", "பதினான்கு/பதிநான்கு/பதினாலு", "பதினைந்து/பதினஞ்சு", "பதினாறு",
    "பதினேழு",
)  # fmt: skip
_AGE_VALUE: dict[str, int] = dict(AGE_WORDS_EN + AGE_WORDS_MS + AGE_WORDS_ZH + AGE_WORDS_TA)


def _one_of(numbers: tuple[tuple[str, int], ...]) -> str:
    """A regex group of the words, longest first ("seventeen" before "seven")."""
    words = sorted((word for word, _ in numbers), key=len, reverse=True)
    return "(" + "|".join(re.escape(word) for word in words) + ")"


_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUM_EN = "".join(rf"(?<!{tens}[ -])" for tens in _EN_TENS) + rf"\b{_one_of(AGE_WORDS_EN)}\b"
_NUM_MS = rf"\b{_one_of(AGE_WORDS_MS)}\b"
_NUM_ZH = rf"(?<![一二三四五六七八九十百千两兩零〇\d]){_one_of(AGE_WORDS_ZH)}"
# Tamil tens end in -பத்து or -பது ("இருபத்து இரண்டு" is 22); \S, not \w (vowel signs).
_NUM_TA = rf"(?<!\S)(?<!த்து )(?<!பது ){_one_of(AGE_WORDS_TA)}"
# One young person ("my son is twelve"): a plural before a number word is more often a count
# ("the boys, two of them,"), and "my sons, three," says nothing of an age.
_YOUNG_EN_ONE = (
    r"(?:son|daughter|girl|boy|child|kid|niece|nephew|brother|sister|student|grandson|"
    r"granddaughter|cousin|teen|teenager|pupil)"
)
# Words allowed between a Malay young word and the age: whose, which one, how old. Not any
# word, as the digits allow: "budak itu belajar dua tahun di sana" is a duration.
_BETWEEN_MS = (
    r"(?:saya|aku|kami|kita|dia|awak|kamu|mereka|perempuan|lelaki|sulung|bongsu|kecil|"
    r"kandung|tiri|angkat|saudara|sepupu|jiran|kawan|rakan|itu|ini|tu|tersebut|hanya|cuma|"
    r"masih|yang|baru|br|sekarang|skrg|kini)"
)
# An age in words is an age only where a number could not be a count or a time: "my son is
# twelve." or "my son is twelve and", not "my son is one of them"; "my son, thirteen," not
# "my son, fifteen minutes later"; "dua belas tahun" not "dua belas tahun lepas" (ago);
# "十二岁", not "十二点" or "十二年前"; and beside a young person, as the digits are.
_AGE_END_EN = (
    r"(?=\s*(?:[.,;:!?)]|$|(?:and|but|so|now)\b|(?:years?|yrs?)\s*-?\s*old\b"
    r"|years?\s+of\s+age\b|this\s+year\b))"
)
CHILD_AGE_WORD_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        # en: "twelve-year-old daughter", "a fourteen year old girl", "thirteen yo boy"
        rf"{_NUM_EN}\s*-?\s*(?:(?:years?|yrs?)\s*-?\s*olds?|yo|y/o|y\.o\.?)\s+{_YOUNG_EN}\b",
        # en: "my son, thirteen,", "my son (twelve)", "my son, aged twelve,"
        rf"\b{_YOUNG_EN_ONE}\s*(?:\(|,)\s*(?:aged?\s+)?{_NUM_EN}\s*"
        r"(?:\)|,|(?:years?|yrs?)\s*-?\s*old\b)",
        # en: "my daughter is fourteen", "a girl who is only twelve.", "my son just turned ten"
        rf"\b{_YOUNG_EN_ONE}\s+(?:who\s+)?(?:is|was|(?:has\s+)?(?:just\s+)?turned|turns)\s+"
        rf"(?:only\s+|just\s+)?{_NUM_EN}{_AGE_END_EN}",
        # en: "a girl aged fourteen", "children aged twelve" (not "aged three months")
        rf"\b{_YOUNG_EN}\s*,?\s+aged?\s+{_NUM_EN}(?!\s*(?:-|minutes?|hours?|days?|weeks?|months?))",
        # ms: "anak saya berumur dua belas tahun", "adik saya sebelas tahun"
        rf"\b{_YOUNG_MS}\b(?:\s+{_BETWEEN_MS}){{0,3}}\s+"
        rf"(?:(?:berumur|berusia|umur|usia|umurnya|usianya)\s+)?{_NUM_MS}\s+(?:tahun|thn|thun)\b"
        r"(?!\s*(?:lepas|lalu|yang lalu|yang lepas|dahulu|dulu|lebih|lagi|di|kat|sejak|sudah)\b)",
        # zh: "十二岁的女儿", "女儿今年十三岁" (not "十二岁以上", "十二岁时", "十二岁那年")
        rf"{_NUM_ZH}\s*(?:岁|歲|周岁|周歲)(?!以上|时|時|那年)(?:的)?{_YOUNG_ZH}",
        rf"{_YOUNG_ZH}{_AGE_ADVERBS_ZH}{_NUM_ZH}\s*(?:岁|歲)(?!以上|时|時|那年)",
        rf"{_THEN_SHE_ZH}{_NUM_ZH}\s*(?:岁|歲)(?!以上|时|時|那年)",
        # ta: "பன்னிரண்டு வயது மகள்", "மகளுக்கு பதினான்கு வயது" (வயது is an age, never a year)
        rf"{_NUM_TA}\s*வயத\S*\s+{_YOUNG_TA}",
        rf"{_YOUNG_TA}\S*\s+(?:இப்போது\s+|தற்போது\s+)?{_NUM_TA}\s*வயத",
        rf"{_YOUNG_TA}\S*\s+வயத\S*\s+{_NUM_TA}(?=[\s,.;:!?)]|$)",
        # en, ms: the age in the next sentence ("... my niece. She is twelve.")
        rf"\b{_THEN_SHE_EN}{_NUM_EN}{_AGE_END_EN}",
        rf"\b{_YOUNG_MS}{_THEN_SHE_MS}{_NUM_MS}\s+(?:tahun|thn|thun)\b{_NOT_AN_AGE_AFTER_TAHUN}",
    )
)
# A child telling of themselves in words: "I am thirteen.", "saya tiga belas tahun", "我十三岁",
# "எனக்கு பதிமூன்று வயது" (as SELF_AGE_PATTERNS).
SELF_AGE_WORD_PATTERNS = _self_age_forms(
    _NUM_EN, _AGE_END_EN, _NUM_MS, _NUM_ZH, "(?:岁|歲)", _NUM_TA
)
# Any number word, or a Chinese or Tamil word for age: without one, no word pattern can match.
_AGE_WORD_GATE = re.compile(
    rf"(?<![a-z]){_one_of(AGE_WORDS_EN + AGE_WORDS_MS)}(?![a-z])|岁|歲|வயத|வயச"
)

# A school year or school places a child as an age does (Malaysian schooling: primary Darjah
# or Tahun 1-6 at 7-12, secondary Tingkatan 1-5 at 13-17; not Form 6, at 18-19). Each needs
# the school sense: "form 1" is also a bank's or the tax office's form, "tahun 2" is also
# "year 2" (of a course, of a plan), "standard 2" a plug, 初一 the first day of a lunar month,
# 其中一 "one of them", 小一点 "a little smaller".
_FORM = (
    r"form\s*(?:[1-5]|one|two|three|four|five)\b(?![\d.,]\d)"
    r"(?!\s*(?:of|for|application|applications|submission)\b)"
)
_STANDARD = r"standard\s*(?:[1-6]|one|two|three|four|five|six)\b(?![\d.,]\d)"
_SCHOOL_EN = r"(?:primary|secondary|high|middle|elementary)\s+school"
_PUPIL_EN = r"(?:students?|pupils?|girls?|boys?|kids?|child|children|schoolgirls?|schoolboys?)"
_TINGKATAN = r"tingkatan\s*(?:[1-5]|satu|dua|tiga|empat|lima)\b(?![\d.,]\d)"
_DARJAH = r"darjah\s*(?:[1-6]|satu|dua|tiga|empat|lima|enam)\b(?![\d.,]\d)"
_TAHUN = (
    r"tahun\s*(?:[1-6]|satu|dua|tiga|empat|lima|enam)\b(?![\d.,]\d)"
    r"(?!\s*(?:lepas|lalu|dahulu|lagi|universiti|university|kolej|ipt)\b)"
)
# Between a Malay young word and the school year: "anak saya yang kini di tingkatan 2".
_AT_SCHOOL_MS = rf"(?:{_BETWEEN_MS}|kini|sekarang|sedang|belajar|bersekolah|di|dalam)"
_GRADE_ZH = r"(?:小[一二三四五六]|初[一二三]|中[一二三四五])"
_STUDY_ZH = r"(?<![想纪紀怀懷思悼])念"  # 念 to study, not 想念 (to miss) or 纪念 (to mark)
SCHOOL_CHILD_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        # en: "a form 2 student", "standard 4 pupils", "a secondary school student" (not "high
        # school reunion", "form 1 application", "standard 2 pin plug")
        rf"\b(?:{_FORM}|{_STANDARD}|{_SCHOOL_EN})\s+{_PUPIL_EN}\b",
        # en: "my daughter in form 2", "my son is in standard 5", "i'm in form 3" (a child
        # reporting), not "my daughter was in form 2"
        rf"(?:\b{_YOUNG_EN}(?:\s+(?:who|is|are|currently|now|still|studying|studies))*"
        rf"|\bi\s+am|\bi['’]m|\bim)\s+(?:now\s+|currently\s+|still\s+|only\s+)?in\s+"
        rf"(?:{_FORM}|{_STANDARD}|{_SCHOOL_EN})",
        # Rules 2026-12-02.14: a child telling their school year without "in": "aku form 2",
        # "saya tingkatan 1", "i'm form 3" named no child. Not a teacher's ("i'm form 3 class
        # teacher"), nor "form 2 of the application", nor an F1 visa, an F1 fan (a review of
        # .14), but "im f2" (a review of .15: it lost "saya f2, lelaki tu minta gambar").
        rf"(?:\bi\s+am|\bi['’]m|\bim|{_I_MS})\s+(?:(?:now|currently|still|baru|masih|dah)\s+)?"
        rf"(?:{_FORM}|{_TINGKATAN}|f[1-5]\b(?![\d.,]\d)"
        r"(?!\s*(?:visa|fan\w*|race\w*|driver\w*|cars?|keys?|student|level|grade|engineer\w*"
        r"|staff|officer|manager|at work)\b))"
        r"(?!\s+(?:class\s+)?(?:teacher|guru|cikgu|tutor|adviser|advisor|coordinator)\b)",
        # ms: "pelajar tingkatan 3", "budak sekolah rendah", "anak saya yang kini di tingkatan
        # 2", "budak sekolah" (not "sekolah memandu", a driving school; darjah is below)
        rf"\b{_YOUNG_MS}\b(?:\s+{_AT_SCHOOL_MS}){{0,4}}\s+"
        rf"(?:sekolah\s+(?:rendah|menengah)\b|{_TINGKATAN})"
        r"|\bbudak\s+(?:perempuan\s+|lelaki\s+)?sekolah\b(?!\s+memandu)",
        # ms: "darjah 5" is only a school year with the number after it (not "90 darjah 2 kali",
        # "30 darjah celsius"); "murid tahun 4", "tahun 3 sekolah kebangsaan", not "tahun 2019",
        # "tahun lepas" or "pelajar tahun 2 universiti"
        rf"(?<!\d)(?<!\d )\b{_DARJAH}(?!\s*(?:kali|celsius|selsius)\b)"
        rf"|\b(?:murid|budak|kanak-kanak)\b(?:\s+{_AT_SCHOOL_MS}){{0,4}}\s+{_TAHUN}"
        rf"|\b{_TAHUN}\s+(?:di\s+)?(?:sekolah|sk|sjk\w*)\b",
        # zh: "读初二", "我女儿上小五", "中一学生", "初二的女生" (not 初一 the lunar date,
        # 其中一个, 小一点, 当初一起, 想念初一那天)
        rf"(?:{_YOUNG_ZH}(?:今年|现在|現在|目前)?在?(?:读|讀|念|上)|读|讀|{_STUDY_ZH}|升上?)"
        rf"{_GRADE_ZH}(?!点|點|号|號|些|个|個|位|名|人|直|起|段|次|样|樣|那|当天|當天|晚|早|日)",
        rf"(?<![其集当當最]){_GRADE_ZH}(?:的)?(?:学生|學生|女生|男生|女孩|男孩)",
        # zh: "一年级", "小学五年级" (not "大学一年级", "高中三年级", "十二年级")
        r"(?<!大学)(?<!大學)(?<!研究生)(?<!硕士)(?<!碩士)(?<!博士)(?<!本科)(?<!高中)"
        r"(?<![大一二三四五六七八九十])[一二三四五六](?:年级|年級)",
        # zh: "小学生", "中学生", "初中生" (not "小学生水平", "小学生都懂": anyone's level)
        r"(?<![连連])(?:小学生|小學生|中学生|中學生|初中生|国中生|國中生)"
        r"(?!水平|程度|都懂|都知道|都会|都會)",
        # ta: "பள்ளி மாணவி", "பள்ளிச் சிறுமி" (a school girl-pupil, a school girl)
        r"பள்ளி(?:க்கூட|ச்|க்)?\s*(?:மாணவ|சிறுமி|சிறுவன)",
    )
)
# Every school pattern needs one of these words: most descriptions name no school, and
# substrings are checked in a quarter of the time one regex takes (~0.6 against 2.7 µs).
SCHOOL_WORDS: tuple[str, ...] = (
    "form", "standard", "school", "tingkatan", "darjah", "sekolah", "tahun",  # en, ms
    "f1", "f2", "f3", "f4", "f5",  # en, ms: a form as children type it ("im f2")
    "小", "初", "中", "年级", "年級",  # zh: every grade and 小学生, 中学生, 初中生
    "பள்ளி",  # ta
)  # fmt: skip
# One's own schooldays, or a former pupil, name no child now: "when I was a form 2 student",
# "a former secondary school student", "masa saya pelajar tingkatan 3", "bekas pelajar",
# "我读初二的时候", "以前我读中一", "நான் பள்ளி மாணவியாக இருந்தபோது" (when I was a pupil).
_PAST_BEFORE = re.compile(
    r"(?:\bi\s+was|\bwe\s+were|\bback\s+in|\bformer|\bex-|\bbekas|\bdulu|\bdahulu|\bzaman"
    r"|\b(?:masa|semasa|ketika|waktu|sewaktu)\s+(?:saya|aku|gua|kami|kecil)"
    r"|当年|當年|以前|小时候|小時候|曾经|曾經|那时|那時|முன்னாள்)"
    r"(?:\s*(?:in|a|an|still|just|only|at|di|dalam|seorang|masih|saya|aku|我|还是|還是|是|在))*"
    r"\s*$"
)
_PAST_AFTER = re.compile(
    r"\s*,?\s*(?:back then|years ago|dulu|dahulu)\b"
    r"|的?(?:时候|時候|时代|時代|时|時|那年|那时|那時)"
    r"|\S*\s*இருந்த"  # ta: இருந்தபோது (when ... was), இருந்தேன் (I was)
)


def _told_of_past(folded: str, start: int, end: int) -> bool:
    """True when folded[start:end] is said of one's schooldays or of a former pupil."""
    return bool(
        _PAST_BEFORE.search(folded, max(0, start - 40), start) or _PAST_AFTER.match(folded, end)
    )


def child_age_hits(text: str | None) -> list[str]:
    """The ages below 18 the text gives a young person, as written ("12 year old son",
    "twelve-year-old daughter", "dua belas tahun", "十二岁的女儿")."""
    hits = [_without_words_between(match) for match in _child_age_matches(fold(text))]
    return hits + _self_ages(text)


def _child_age_matches(folded: str) -> list[re.Match[str]]:
    """The matches of an age below 18 next to a young person."""
    found = _ages(folded, CHILD_AGE_PATTERNS, CHILD_AGE_WORD_PATTERNS)
    return [match for match, age in found if age < CHILD_AGE_LIMIT]


def _self_ages(text: str | None) -> list[str]:
    """A child's own age (self_age_hits), found in the text read by lines."""
    return self_age_hits(fold(_LINE_BREAK.sub(_line_ends, text or "")))


def _without_words_between(match: re.Match[str]) -> str:
    """The hit without the words between its young person and the age ('adik 13 tahun' for
    'adik saya nurul ain 13 tahun'): those are the child's name as often as not, and the
    hit is quoted in triage's reasons, which every agency's task carries."""
    text, age_at = match.group(0), match.start(1) - match.start(0)
    head, age = text[:age_at], text[age_at:]
    if (young := _YOUNG_ZH_AT.match(head)) and " " not in head:
        # Chinese writes no spaces: '女儿小美12岁' is '女儿12岁' ('女儿今年12岁' stays).
        adverb = _ZH_AGE_SAID_WITH.search(head, young.end())
        return young.group(0) + (adverb.group(0) if adverb else "") + age
    if _SENTENCE_END_IN.search(head):
        # Told in the next sentence: the young person and the age ('daughter 12'), not the
        # sentences between.
        return f"{head.split()[0].strip('.,;:!?')} {age}"
    cut = max(head.rfind("("), head.rfind(","))
    if cut > 0:
        # 'son ahmad (12)', 'daughter aisyah, 12,': all before the bracket or comma is a name.
        first = head[:cut].split()[0]
        return f"{first}{head[cut:]}{age}" if head[cut] == "," else f"{first} {head[cut:]}{age}"
    before = head.split()
    if len(before) <= 2:
        return text
    said = [before[0], *before[-1:]] if before[-1] in _AGE_SAID_WITH else [before[0]]
    return " ".join([*said, age])


_YOUNG_ZH_AT = re.compile(_YOUNG_ZH)
_SENTENCE_END_IN = re.compile(r"[.!?]\s")
_ZH_AGE_SAID_WITH = re.compile(rf"{_AGE_ADVERBS_ZH}$")


# The word that says an age comes, kept in a hit ('adik berumur 13 tahun', 'son turned eleven').
_AGE_SAID_WITH = frozenset(
    {"berumur", "berusia", "umur", "usia", "umurnya", "usianya", "turned", "is", "was", "aged"}
)


def _ages(
    folded: str,
    digit_patterns: tuple[re.Pattern[str], ...],
    word_patterns: tuple[re.Pattern[str], ...],
) -> list[tuple[re.Match[str], int]]:
    """Each match of the patterns with the age it gives (group 1, in digits or in words)."""
    found = []
    # Every pattern needs a number, in digits or in words: most descriptions give none.
    if _DIGIT.search(folded):
        found += [(m, int(m.group(1))) for p in digit_patterns for m in p.finditer(folded)]
    if _AGE_WORD_GATE.search(folded):
        found += [(m, _AGE_VALUE[m.group(1)]) for p in word_patterns for m in p.finditer(folded)]
    return found


# Children write in lines, without punctuation ("he wants nudes\nI'm 13\nhis acc is @x"):
# folded, a line break was a space, and "i'm 13 his" no age. A line ends a statement, unless
# a line ending in "tahun" goes on with an adult's work or marriage: "saya 15 tahun\nbekerja
# di sini" is fifteen years at work. (Not where a child goes on to say where they met him or
# study: "saya 13 tahun\nkenal dia kat tiktok", "saya 13 tahun\nbelajar di SMK".)
_LINE_BREAK = re.compile(r"\n\s*")  # linear: no backtracking through a run of breaks
_ADULT_YEARS_GO_ON_MS = re.compile(
    r"(?i)(?:bekerja|berkerja|kerja(?!\s+(?:sekolah|rumah))|berkhidmat|bertugas|mengajar|"
    r"berniaga|berkahwin|kahwin|sebagai|menjadi(?!\s+mangsa))\b"
)
_YEARS_END_THE_LINE = re.compile(r"(?i)(?:tahun|thn|thun)$")


def _line_ends(line_break: re.Match[str]) -> str:
    text, start, end = line_break.string, line_break.start(), line_break.end()
    if _ADULT_YEARS_GO_ON_MS.match(text, end) and _YEARS_END_THE_LINE.search(
        text[max(0, start - 40) : start].rstrip()
    ):
        return " "
    return ". "


# An adult's age said to be theirs now ("I am 30 now.", "now I'm 30", "sekarang saya 30
# tahun", "现在我30岁", "எனக்கு இப்போது 30 வயது"): a child's age the same reporter gives is of
# the past. Not "I told him I'm 18, now he wants nudes" ("now" begins what follows).
_NOW_BEFORE = re.compile(r"(?:\b(?:now|sekarang|kini)|现在|現在)[\s,，]*$")
_NOW_AFTER = re.compile(
    r"(?:\s*(?:years?|yrs?)(?:\s*-?\s*old)?)?\s+(?:now|sekarang|kini)\b"
    r"(?!\s+(?:he|she|they|i|dia|saya|aku)\b)"
)
_NOW_WITHIN = re.compile(r"\b(?:now|sekarang|kini)\b|现在|現在|今年|已经|已經|இப்போது|தற்போது")
# Someone else's words told after the age: "hi im 16 she said" (a scammer's persona).
_SAID_AFTER = re.compile(
    r"\W{0,3}(?:she|he|they|dia)\s+(?:said|says|wrote|writes|texted|claimed|claims|kata|cakap)\b"
)


def _adult_now(folded: str, match: re.Match[str], age: int) -> bool:
    return age >= CHILD_AGE_LIMIT and bool(
        _NOW_BEFORE.search(folded, max(0, match.start() - 15), match.start())
        or _NOW_AFTER.match(folded, match.end())
        or _NOW_WITHIN.search(match.group(0))
    )


def self_age_hits(folded: str) -> list[str]:
    """The ages from SELF_AGE_MIN to 17 a reporter gives as their own, now: not told of the
    past, and not in someone else's words (_SELF_AGE_NOT_NOW). None where the reporter also
    says they are an adult now ("I just turned 13, he abused me. I am 30 now"). An adult age
    without "now" does not cancel a child's: children tell groomers they are 18 ("I'm 14 but
    I told him I'm 18"). `folded` keeps line breaks as full stops."""
    now = [
        (match, age)
        for match, age in _ages(folded, SELF_AGE_PATTERNS, SELF_AGE_WORD_PATTERNS)
        if not _SELF_AGE_NOT_NOW.search(folded, max(0, match.start() - 60), match.start())
        and not _SAID_AFTER.match(folded, match.end())
    ]
    if any(_adult_now(folded, match, age) for match, age in now):
        return []
    return [match.group(0) for match, age in now if SELF_AGE_MIN <= age < CHILD_AGE_LIMIT]


def school_child_hits(text: str | None) -> list[str]:
    """School years and schools that place a child, as written ("form 2 student", "pelajar
    tingkatan 3", "读初二", "பள்ளி மாணவ"), unless told of one's own past or a former pupil."""
    return [match.group(0) for match in _school_matches(fold(text))]


def _school_matches(folded: str) -> list[re.Match[str]]:
    if not any(word in folded for word in SCHOOL_WORDS):
        return []
    return [
        match
        for pattern in SCHOOL_CHILD_PATTERNS
        for match in pattern.finditer(folded)
        if not _told_of_past(folded, match.start(), match.end())
    ]


def photo_request_hits(text: str | None) -> list[str]:
    """Requests for photos or videos in the text, as written ("for photos")."""
    folded = fold(text)
    return [m.group(0) for pattern in PHOTO_REQUEST_PATTERNS for m in pattern.finditer(folded)]


def under_age_hits(text: str | None) -> list[str]:
    """Words calling someone under age, unless negated ("not underage")."""
    return [match.group(0) for match in _under_age_matches(fold(text))]


def _under_age_matches(folded: str) -> list[re.Match[str]]:
    return [
        m for m in UNDER_AGE_PATTERN.finditer(folded) if not negated(folded, m.start(), m.end())
    ]


@lru_cache(maxsize=8)
def child_mention_spans(text: str | None) -> tuple[tuple[int, int], ...]:
    """Where, in fold(text), the text names a child: each hit of child_age_hits,
    school_child_hits and under_age_hits, as (start, end). Read only for reports that name a
    child and tell of sexual material or abuse (streams.triage: is the child near it?). A
    child's own age is found in the text read by lines, and placed where its words stand."""
    folded = fold(text)
    spans = [match.span() for match in _child_age_matches(folded)]
    for hit in _self_ages(text):
        spans += [(i, i + len(hit)) for i in occurrences(folded, hit)]
    spans += [match.span() for match in _school_matches(folded) + _under_age_matches(folded)]
    return tuple(sorted(spans))


_DIGIT = re.compile(r"\d")
