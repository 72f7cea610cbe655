"""Triage: categories from declarations and keywords, and the priority rules in order."""

import re
from datetime import UTC, datetime

import pytest

from contracts.enums import HarmCategory as H
from contracts.enums import Priority
from contracts.reports import NgoReferral, PlatformReport, PublicReport, VictimInfo
from streams.child_mentions import (
    AGE_WORDS_EN,
    AGE_WORDS_MS,
    AGE_WORDS_TA,
    AGE_WORDS_ZH,
    child_age_hits,
    school_child_hits,
    under_age_hits,
)
from streams.textmatch import fold, negated, negation_in
from streams.triage import (
    OCSEA_CATEGORIES,
    RULES_VERSION,
    child_ages_named,
    child_at_risk,
    facts_of,
    is_child_victim,
    names_a_child_victim,
    triage,
    without_quotes,
)


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
    assert RULES_VERSION == "2026-12-02.19"
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
        # Changed on purpose in 2026-11-30.1 (was False): a range reaching below 18 may be a
        # child, and a missed child costs far more than an extra support assessment.
        (VictimInfo(age_range="16-19"), True),
        (VictimInfo(age_range="16-18"), True),
        (VictimInfo(age_range="15-19"), True),
        (VictimInfo(age_range="17-17"), True),
        (VictimInfo(age_range="18-25"), False),  # lower bound not below 18
        (VictimInfo(age_range="25-18"), False),  # reversed, lower bound still 18
        (VictimInfo(age_range="17-12"), True),  # reversed range still read correctly
        (VictimInfo(age_range="19-17"), True),  # reversed, lower bound 17
        (VictimInfo(identified=True), True),  # identified, age unknown: presumed child
        (VictimInfo(identified=False), False),
        (VictimInfo(identified=True, age=30), False),
        # Rules 2026-12-02.11: a reference is a victim identified (a review of the fan-out).
        (VictimInfo(pseudonym_ref="VIC-1"), True),
        (VictimInfo(pseudonym_ref="VIC-1", age=30), False),
    ],
)
def test_is_child_victim(victim: VictimInfo | None, expected: bool) -> None:
    assert is_child_victim(victim) is expected


# Version 2026-11-30.1: keywords for every harm category in the four languages, keyword
# pairs for ambiguous words, "happening now" next to abuse, and negated danger words.


@pytest.mark.parametrize(
    ("description", "categories", "priority"),
    [
        (
            # Rules 2026-12-01.4: nude photos of a child named by age are CSAM too.
            "threatens to share nude photos of my 14 year old son unless he pays",
            [H.CSAM, H.SELF_GENERATED_SEXUAL_MATERIAL, H.SEXTORTION],
            Priority.P2,
        ),
        ("live stream of child abuse happening now", [H.LIVE_STREAMED_ABUSE], Priority.P1),
        ("我女儿被人引诱发裸照", [H.SELF_GENERATED_SEXUAL_MATERIAL, H.GROOMING], Priority.P3),
        (
            # The child's age in the text: grooming of a child (P3 before rules .3). Since
            # rules .4 also CSAM: lewd photos of a child named by age, whether the report
            # says they were asked for or sent (it seldom says which; a child cannot consent).
            "Ada orang minta gambar lucah dari anak saya berumur 13 tahun",
            [H.CSAM, H.SELF_GENERATED_SEXUAL_MATERIAL, H.GROOMING],
            Priority.P2,
        ),
        (
            "ஒருவர் என் மகளிடம் நிர்வாண புகைப்படங்கள் அனுப்பச் சொல்கிறார்",  # ta: asks my daughter to send naked photos
            [H.SELF_GENERATED_SEXUAL_MATERIAL, H.GROOMING],
            Priority.P3,
        ),
        ("she is no longer in danger", [H.UNKNOWN], Priority.P4),
    ],
)
def test_review_examples(description: str, categories: list[H], priority: Priority) -> None:
    result = triage(PublicReport(description=description))
    assert result.categories == categories
    assert result.priority == priority


@pytest.mark.parametrize(
    ("description", "category"),
    [
        # CSAM
        ("He sells child abuse material on Telegram", H.CSAM),
        ("Dia jual video lucah kanak-kanak", H.CSAM),  # ms
        ("群里在卖儿童裸照", H.CSAM),  # zh
        ("群組裡在賣兒童裸照", H.CSAM),  # zh, traditional
        ("சிறார் ஆபாச படங்கள் பகிரப்படுகின்றன", H.CSAM),  # ta
        # AI-generated CSAM: specific words, and a generator word next to a sexual word
        ("a nudify app was used on my daughter's school photo", H.AI_GENERATED_CSAM),
        ("AI-generated nude images of my niece", H.AI_GENERATED_CSAM),
        ("ada gambar bogel palsu anak saya", H.AI_GENERATED_CSAM),  # ms
        ("video lucah dijana AI tentang murid sekolah", H.AI_GENERATED_CSAM),  # ms
        ("有人用一键脱衣软件处理我女儿的照片", H.AI_GENERATED_CSAM),  # zh
        ("同学用AI换脸做了她的裸照", H.AI_GENERATED_CSAM),  # zh
        ("深度偽造的色情影片", H.AI_GENERATED_CSAM),  # zh, traditional
        ("என் மகளின் போலி நிர்வாண படங்கள்", H.AI_GENERATED_CSAM),  # ta
        ("டீப்ஃபேக் ஆபாச வீடியோ பரவுகிறது", H.AI_GENERATED_CSAM),  # ta
        # self-generated sexual material
        ("she sent nudes to a boy she met online", H.SELF_GENERATED_SEXUAL_MATERIAL),
        (
            "anak saya hantar gambar bogel kepada seorang lelaki",
            H.SELF_GENERATED_SEXUAL_MATERIAL,
        ),  # ms
        ("我儿子在网上发了裸照", H.SELF_GENERATED_SEXUAL_MATERIAL),  # zh
        ("她的不雅視頻被傳開", H.SELF_GENERATED_SEXUAL_MATERIAL),  # zh, traditional
        ("என் மகன் நிர்வாணப் புகைப்படம் அனுப்பினான்", H.SELF_GENERATED_SEXUAL_MATERIAL),  # ta
        # live-streamed abuse: a live word next to a sexual or abuse word
        ("he livestreams sexual abuse of kids", H.LIVE_STREAMED_ABUSE),
        ("siaran langsung penderaan kanak-kanak di aplikasi", H.LIVE_STREAMED_ABUSE),  # ms
        ("有人在直播性侵儿童", H.LIVE_STREAMED_ABUSE),  # zh
        ("有人在直播猥褻兒童", H.LIVE_STREAMED_ABUSE),  # zh, traditional
        ("குழந்தை பாலியல் துஷ்பிரயோகம் நேரலையில் காட்டப்படுகிறது", H.LIVE_STREAMED_ABUSE),  # ta
        # grooming: specific words, and a request word next to a sexual word
        ("a man asked my daughter for nudes", H.GROOMING),
        ("he keeps telling my son: send me naked pics", H.GROOMING),
        ("lelaki itu pujuk hantar gambar bogel", H.GROOMING),  # ms
        ("有人索要我儿子的裸照", H.GROOMING),  # zh
        ("我女兒被人引誘", H.GROOMING),  # zh, traditional
        ("அவன் பாலியல் நோக்கத்துடன் என் மகளுடன் பழகுகிறான்", H.GROOMING),  # ta
        ("அவன் நிர்வாண படம் கேட்கிறான்", H.GROOMING),  # ta
        # sextortion: a threat word next to a sexual word
        ("he threatened to post her nude video", H.SEXTORTION),
        ("this is sexual extortion of my son", H.SEXTORTION),
        ("dia mengancam untuk sebarkan gambar bogel", H.SEXTORTION),  # ms
        ("他威胁要公开我的裸照", H.SEXTORTION),  # zh
        ("他威脅要發布色情影片", H.SEXTORTION),  # zh, traditional
        ("அவன் என் நிர்வாண புகைப்படங்களை வெளியிடுவதாக அச்சுறுத்துகிறான்", H.SEXTORTION),  # ta
        # non-consensual intimate content
        ("my ex posted revenge porn of me", H.NON_CONSENSUAL_INTIMATE_CONTENT),
        ("bekas teman lelaki sebarkan gambar intim saya", H.NON_CONSENSUAL_INTIMATE_CONTENT),  # ms
        ("前男友泄露裸照", H.NON_CONSENSUAL_INTIMATE_CONTENT),  # zh
        ("我的私密影片被上傳", H.NON_CONSENSUAL_INTIMATE_CONTENT),  # zh, traditional
        ("என் அந்தரங்க புகைப்படங்கள் பகிரப்பட்டன", H.NON_CONSENSUAL_INTIMATE_CONTENT),  # ta
        # online scams (new words; Tamil மோசடி is tested above)
        ("a phishing link stole my password", H.ONLINE_SCAM),
        ("skim cepat kaya di Telegram", H.ONLINE_SCAM),  # ms
        ("这是钓鱼网站", H.ONLINE_SCAM),  # zh
        ("有人騙錢", H.ONLINE_SCAM),  # zh, traditional
        # bullying and harassment
        ("my son is being cyberbullied at school", H.BULLYING_HARASSMENT),
        ("anak saya dibuli di media sosial", H.BULLYING_HARASSMENT),  # ms
        ("我女儿在网上被霸凌", H.BULLYING_HARASSMENT),  # zh
        ("她受到網路暴力", H.BULLYING_HARASSMENT),  # zh, traditional
        ("என் மகளை இணையத்தில் துன்புறுத்துகிறார்கள்", H.BULLYING_HARASSMENT),  # ta
        # violence, extremism, terrorism
        ("this account posts terrorist propaganda", H.VIOLENCE_EXTREMISM_TERRORISM),
        ("akaun ini menyokong pengganas", H.VIOLENCE_EXTREMISM_TERRORISM),  # ms
        ("这个群组宣传恐怖主义", H.VIOLENCE_EXTREMISM_TERRORISM),  # zh
        ("這個群組宣傳極端主義", H.VIOLENCE_EXTREMISM_TERRORISM),  # zh, traditional
        ("இந்த பக்கம் பயங்கரவாத பிரச்சாரம் செய்கிறது", H.VIOLENCE_EXTREMISM_TERRORISM),  # ta
        # self-harm (new words)
        ("she has been cutting herself", H.SELF_HARM),
        ("dia kata nak tamatkan hidup", H.SELF_HARM),  # ms
        ("他在割腕", H.SELF_HARM),  # zh
        ("他想輕生", H.SELF_HARM),  # zh, traditional
        ("அவள் உயிரை மாய்த்துக்கொள்ள நினைக்கிறாள்", H.SELF_HARM),  # ta
        # hate speech
        ("the video is full of hate speech", H.HATE_SPEECH),
        ("ucapan kebencian terhadap kaum lain", H.HATE_SPEECH),  # ms
        ("种族歧视的言论", H.HATE_SPEECH),  # zh
        ("仇恨言論", H.HATE_SPEECH),  # zh, traditional
        ("வெறுப்புப் பேச்சு பதிவுகள்", H.HATE_SPEECH),  # ta
        # illegal drugs
        ("he is selling drugs to students", H.ILLEGAL_DRUGS),
        ("dia jual dadah kepada pelajar", H.ILLEGAL_DRUGS),  # ms
        ("有人在群里卖冰毒", H.ILLEGAL_DRUGS),  # zh
        ("有人在群裡販毒", H.ILLEGAL_DRUGS),  # zh, traditional
        ("பள்ளி அருகே கஞ்சா விற்பனை", H.ILLEGAL_DRUGS),  # ta
        # manipulated media
        ("a deepfake video of the minister", H.MANIPULATED_MEDIA),
        ("video palsu tentang menteri", H.MANIPULATED_MEDIA),  # ms
        ("深度伪造的视频", H.MANIPULATED_MEDIA),  # zh
        ("換臉影片", H.MANIPULATED_MEDIA),  # zh, traditional
        ("அமைச்சரின் டீப்ஃபேக் வீடியோ", H.MANIPULATED_MEDIA),  # ta
    ],
)
def test_keywords_of_every_category_in_four_languages(description: str, category: H) -> None:
    assert category in triage(PublicReport(description=description)).categories


def test_pair_reason_names_both_keywords() -> None:
    result = triage(PublicReport(description="he threatened to post her nude video"))
    assert result.priority == Priority.P2
    assert "sextortion (keywords 'threaten' + 'nude')" in result.reasons[0]


# Ordinary sentences, some with one half of a pair or a near-miss substring: no category.
ORDINARY = [
    "I watched a live stream of the football match with my son last night.",
    "Please send me the photos from the school trip.",
    "What is happening now with my report? I asked for an update right now.",
    "My daughter is the heroine of the school play and loves her new webcam.",
    "The teacher threatened to call our parents about the homework.",
    "She said the new AI-generated art is amazing, but I cannot go tonight.",
    "Saya menonton siaran langsung perlawanan bola sepak bersama anak saya.",  # ms
    "Apa yang sedang berlaku di sekolah hari ini? Sila hantar gambar pasport anak saya.",  # ms
    "Bendera dinaikkan semasa siaran langsung sambutan hari kebangsaan.",  # ms: ben-dera
    "Dia minta maaf dan dapat ganjaran kerana masakan ketumbar.",  # ms: ganja-ran, ketum-bar
    "Anak saya minta gambar kucing untuk projek sekolah.",  # ms
    "我和儿子一起看足球直播。",  # zh
    "请把旅行的照片发给我，这是个大麻烦。",  # zh: 大麻-烦
    "我女儿喜欢画画和看书，她正在做作业。",  # zh
    "老师要她发作业照片给我。",  # zh
    "我們一起看籃球直播。",  # zh, traditional
    "நான் என் மகனுடன் கால்பந்து போட்டியின் நேரலையைப் பார்த்தேன்.",  # ta: watched the live match
    "தயவுசெய்து பள்ளி சுற்றுலா புகைப்படங்களை அனுப்புங்கள்.",  # ta: please send school trip photos
    "புத்தர் நிர்வாணம் அடைந்தார் என்று என் மகள் படித்தாள்.",  # ta: the Buddha attained nirvana
    "பாட்டி ஆவணங்களை அனுப்பச் சொல்கிறார்.",  # ta: grandmother asks to send documents
    # Numbers in words and school words that name no child (rules 2026-11-30.4):
    "Please fill in Form 1 and the Form 4 application at the bank; the standard 2 pin plug broke.",
    "Our high school reunion was twelve years ago; I was twelve when we moved fifteen minutes away.",
    "A former student called from Standard Chartered about form 1 of the tax return.",
    "Tahun lepas saya pindah; dua belas tahun lepas saya pelajar tahun 2 universiti.",  # ms
    "我们十二点在大学一年级的教室见面，十二年前的相片在其中一个相册里。",  # zh
    "正月初一那天，当初一起读书的朋友来了。",  # zh: the lunar new year, friends from back then
    "பன்னிரண்டு வருடங்களுக்கு முன் நான் பள்ளியில் படித்தேன்.",  # ta: twelve years ago I studied at school
    # Rules 2026-12-01.2: 'rape' inside words, an idiom, abuse far from 'now', a video game.
    "Someone scraped my webcam photos and posted them.",
    "A live stream selling grapes keeps showing on my feed.",
    "Many children in danger of missing the school bus.",
    "Abuse of power by the admin, what is happening now with my complaint?",
    "The kids video game my son plays shows a cartoon rape scene in its trailer.",
    # Rules 2026-12-02.14: the new words' other meanings and halves of their pairs.
    "She asked me to pick up the kids today after school; in the end it all worked out.",
    "Please keep private photos of my kids off the school page, the sports day video is fine.",
    "Abang gym tu suka tunjuk badan semasa siaran langsung.",  # ms: shows off his body
    "Tiktok live seorang lelaki tak pakai baju menjual ubat.",  # ms: a shirtless man
    "我需要钱交学费，不然不能上学。",  # zh: I need money for the fees, or else no school
    "அவன் புதுசாக போட்ட வீடியோ பார்த்தேன்.",  # ta: I watched the video he newly posted
]


@pytest.mark.parametrize("description", ORDINARY)
def test_ordinary_sentences_get_no_category(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.categories == [H.UNKNOWN]
    assert result.priority == Priority.P4


@pytest.mark.parametrize(
    ("description", "fragment"),
    [
        ("live stream of child abuse happening now", "happening now + child abuse"),
        ("he is being abused now, please help", "being abused now"),
        ("penderaan sedang berlaku di rumah itu", "penderaan + sedang (near)"),  # ms
        ("budak itu sedang didera", "sedang didera"),  # ms
        ("孩子正在被虐待", "正在被虐待"),  # zh
        ("性侵正在發生", "正在發生 + 性侵"),  # zh, traditional
        ("பாலியல் துஷ்பிரயோகம் இப்போது நடக்கிறது", "இப்போது நடக்கிற + பாலியல்"),  # ta
        # A negation word must be whole: "retak" (cracked) is not "tak" (not).
        ("Jambatan retak dalam bahaya runtuh", "dalam bahaya"),  # ms
        # One negated hit does not hide another that is not negated.
        ("She is no longer in danger, but her brother is in danger", "in danger"),
        # 2026-12-01.1: the words for the issue's own "imminent danger".
        ("My 12 year old daughter is in imminent danger, he is coming tonight.", "imminent danger"),
        ("My daughter is in immediate danger.", "in immediate danger"),
        ("Anak saya dalam keadaan bahaya, lelaki itu nak jumpa dia malam ni.", "dalam keadaan"),
        ("dia nak jumpa malam ni", "jumpa malam ni"),  # ms, as typed
        ("我的女儿现在处于危险之中", "处于危险"),  # zh
        ("孩子有生命危险", "生命危险"),  # zh
        ("என் மகள் ஆபத்தான நிலையில் இருக்கிறாள்", "ஆபத்தான நிலையில்"),  # ta
    ],
)
def test_imminent_danger_phrases_make_p1(description: str, fragment: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any(
        r.startswith("P1: imminent-danger keywords: ") and fragment in r for r in result.reasons
    )


@pytest.mark.parametrize(
    "description",
    [
        "she is no longer in danger",
        "She is NOT in danger",
        "The child isn't in danger any more",
        "he was not kidnapped, he was at a friend's house",
        "the abuse is not happening now",
        "Budak itu tidak lagi dalam bahaya",  # ms
        "budak itu tak dalam bahaya",  # ms
        "孩子已经不再有危险",  # zh
        "孩子沒有危險",  # zh, traditional
        "她说她不想自杀",  # zh
        "குழந்தை இப்போது ஆபத்தில் இல்லை",  # ta: the child is not in danger now
        "குழந்தைக்கு இனி ஆபத்தில்லை",  # ta: the child is in no danger any more
        "She is not in imminent danger",
        "Budak itu tidak lagi dalam keadaan bahaya",  # ms
        "孩子已经不再处于危险",  # zh
        "dia x dalam bahaya",  # ms, as typed on a phone (rules 2026-12-01.2)
        "budak tu tk dalam bahaya",  # ms
        "他说不会有危险",  # zh: "will not" (it was P1)
    ],
)
def test_negated_danger_words_do_not_make_p1(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority != Priority.P1
    assert not any("imminent_danger_keywords" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("description", "not_expected"),
    [
        ("A gamer verbally abused my son during a live stream", H.LIVE_STREAMED_ABUSE),
        ("有人在直播虐待动物", H.LIVE_STREAMED_ABUSE),
        ("siaran langsung penderaan haiwan di media sosial", H.LIVE_STREAMED_ABUSE),
        ("a deepfake of my colleague was used to abuse him at work", H.AI_GENERATED_CSAM),
        (
            "the neighbours keep terrorising our street with loud music",
            H.VIOLENCE_EXTREMISM_TERRORISM,
        ),
        ("my sister is being treated for bulimia", H.BULLYING_HARASSMENT),
    ],
)
def test_abuse_or_word_parts_alone_do_not_make_a_category(
    description: str, not_expected: H
) -> None:
    """From a review of the rules: generic abuse beside a live stream or a deepfake is no
    OCSEA, and word parts ('terroris' in terrorising, 'buli' in bulimia) are no category."""
    assert not_expected not in triage(PublicReport(description=description)).categories


def test_dangerous_is_not_in_danger() -> None:
    assert triage(PublicReport(description="he posts videos in dangerous places")).priority != (
        Priority.P1
    )
    assert triage(PublicReport(description="my daughter is in danger")).priority == Priority.P1


@pytest.mark.parametrize(
    ("description", "age"),
    [
        ("a man keeps asking my 12 year old son for photos", "12 year old son"),
        ("my 12-year-old daughter", "12-year-old daughter"),
        ("a 15 yo girl", "15 yo girl"),
        ("my son (12) gets messages", "son (12)"),
        ("my son, 12, was asked", "son, 12,"),
        ("my daughter is 13 and", "daughter is 13"),
        ("adik saya berumur 13 tahun", "adik berumur 13 tahun"),
        ("anak perempuan saya 12 tahun", "anak 12 tahun"),
        ("kanak-kanak berusia 10 tahun", "kanak-kanak berusia 10 tahun"),
        ("我12岁的女儿", "12岁的女儿"),
        ("我女儿今年12岁", "女儿今年12岁"),
        ("என் 14 வயது மகன்", "14 வயது மகன"),
        ("ஒருவர் என் 12 வயது மகளிடம்", "12 வயது மகள"),
        ("மகள் 12 வயது", "மகள் 12 வயத"),
        # The child's name between, quoted without it (rules 2026-12-01.3, a helper's review):
        ("my son Ahmad (12) is being asked for photos", "son (12)"),
        ("my son ahmad (aged 12) gets messages", "son (aged 12)"),
        ("my daughter Nur Aisyah 12 years old is being asked", "daughter 12 years old"),
        ("my daughter Aisyah, 12, was asked", "daughter, 12,"),
        ("anak saya Ahmad (12) diminta gambar", "anak (12)"),
        ("他要我女儿小美12岁的照片", "女儿12岁"),
        ("我女儿小美今年12岁", "女儿今年12岁"),
    ],
)
def test_an_age_below_18_next_to_a_young_person_names_a_child(description: str, age: str) -> None:
    assert child_age_hits(description) == [age]
    result = triage(PublicReport(description=description))
    assert result.priority in (Priority.P2, Priority.P3)
    assert any(f"description: '{age}'" in reason for reason in result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        "I am 35 years old and someone keeps asking me for photos",
        "he has done this for 12 years",
        "sudah berlaku sejak 3 tahun",  # ms: for 3 years (a duration, not an age)
        "他坐了12年牢",  # zh: 12 years (年 is a duration)
        "the 2018 year old record",
        "my son is 18 years old",
        # Things, not people (found by a review of the first version of these rules):
        "selling a 2 year old iPhone, it was a scam",
        "a 12 years old account was hacked",
        "the 16 year old whisky",
        "my son bought a 12 years old whisky",  # a thing's age, past a name's place
        "my son has 12 years old car",
        "anak (2)",  # a count, not an age in brackets
        "我女儿的老师42岁",
        "my 2 yo cat",
        "a 1.5 years old account",
        "my son waited 15 minutes, aged 15 minutes",
        "minimum age 13 for the app",
        "akaun ini berusia 2 tahun",  # ms: the account is 2 years old
        "syarikat yang berusia 15 tahun",  # ms: a company 15 years old
        "anak saya 2 tahun lepas ditipu",  # ms: my child was cheated 2 years ago
        "游戏分级 12岁以上",  # zh: rated 12 and over
        # An adult telling of the past:
        "I was 12 years old when it happened, I am 30 now",
        "我12岁时被性侵，现在我30岁",
        # Not an age of one's own (rules 2026-11-30.5):
        "I'm 12 hours away from home",
        "I am 15 minutes late",
        "I am 1 of the victims' parents, I am 45.",
        "kereta saya 13 tahun",  # ms: my car is 13 years (old): 'saya' after a noun is 'my'
        "saya 13 tahun lepas pergi ke sana",  # ms: 13 years ago
        "saya 10 tahun di syarikat ini",  # ms: 10 years at this company
        "我13岁的时候被骗过",  # zh: when I was 13
        "I am 18 and he asks for nudes",
        # Durations, the past, someone else's words, ages no reporter has (found by a review):
        "saya 15 tahun bekerja di sini",
        "Saya 3 tahun berkawan dengan dia di Facebook. Dia minta gambar bogel saya.",
        "Saya lima tahun bekerja di syarikat ini",
        "masa umur saya 12 tahun dia pegang saya. Sekarang umur saya 30",
        "从我13岁开始他就骚扰我，现在我25岁了",
        "我13岁被他性侵",
        "எனக்கு 13 வயதில் நடந்தது",
        "He has been abusing me since I'm 12, now I am 25.",
        "The scammer said hi I'm 15. then asked me for nudes",
        "He targets lonely women online. I am one.",
        "I am 4 and a half months pregnant and he threatens to post my nudes",
        # Rules 2026-11-30.6: no age reached lately, a duration across a line break:
        "I'm 13 years into this job and he blackmails me",
        "I turned 13 in 2010, now I'm 29",
        "I turned 13. He started messaging me then. I am 30 now",
        "when I just turned 13 he abused me. I am 30 now",
        "I had just turned 13 when it happened",
        "I just turned 15 minutes ago",
        "I have turned 16 pages of his messages over to the police",
        "saya sudah 10 tahun bekerja di sini, dia ugut saya",
        "我满13岁的时候他骚扰我，现在我30岁",
        "saya 15 tahun\nbekerja di sini, dia ugut saya",
        "Saya 10 tahun\n  bekerja dengan dia. Dia minta gambar bogel saya.",
        # Found by a review of the first version of these rules:
        "I'm 13 years and counting at this company",
        "I'm 11 years but still no promotion",
        "im 15 years now in malaysia",
        "I'm 12 years this month in the job",
        "I'm 10 years and 2 months sober",
        "I'm 10 years, 2 months sober",
        "I'm 12 years - and counting - in this job",
        "saya dah 15 tahun dia ganggu",  # ms: he has harassed me for fifteen years
        "saya sudah 12 tahun dia ugut saya",
        "saya dah 10 tahun je kerja sini",
        "saya dah 10 tahun pun dia tak berhenti",
        "saya sudah 14 tahun sekarang di syarikat ini",
        "In 2012 I just turned 13 and he started messaging me. I am 27 now.",
        "I just turned 13, he abused me. I am 30 now",
        "I just turned 13 in March 2010 when he started",
        "saya 15 tahun\nmenjadi guru di sini",
        "saya 15 tahun\nsebagai guru, dia ugut saya",
        # Found by a second review:
        "I'm 10 years, two months sober",
        "I'm 12 years, and counting, in this job",
        "I just turned 13 in May of 2009 when he started",
        "I just turned 13 in March last year when he started",
        "saya 15 tahun" + " " * 17 + "\nbekerja di sini",
        "我刚满13岁他就骚扰我，现在我30岁",
        "Saya baru masuk 13 tahun. Dia ganggu saya. Sekarang saya 30 tahun.",
        # Found by a third review:
        "I just turned 13, he abused me. I am 30 now and he still messages",
        "I just turned 13. I'm 30 years old now and scared",
        "我刚满13岁他就骚扰我，我今年30岁了",
        "a girl messaged me, hi im 16 she said, then asked for money",
        "saya dah 10 tahun tolong mak jual kuih",
    ],
)
def test_adult_ages_durations_and_things_name_no_child(description: str) -> None:
    assert child_age_hits(description) == []
    reasons = " ".join(triage(PublicReport(description=description)).reasons)
    assert "victim is below 18" not in reasons


@pytest.mark.parametrize(
    "description",
    [
        "a man keeps asking my 12 year old son for photos on a game chat",  # en
        "my son (12) gets messages asking for pics",  # en
        "someone online asks an underage girl to send pictures",  # en: under age, no number
        "dia minta gambar adik saya yang berumur 13 tahun",  # ms
        "anak perempuan saya 12 tahun diminta hantar gambar",  # ms
        "一个男人向我12岁的女儿要照片",  # zh
        "我女儿今年12岁，有人向她要照片",  # zh
        "ஒருவர் என் 12 வயது மகளிடம் புகைப்படம் கேட்கிறார்",  # ta
    ],
)
def test_asking_a_child_for_photos_is_grooming_of_a_child(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.GROOMING in result.categories
    assert result.priority == Priority.P2


def test_the_age_in_a_photo_request_reason_is_only_in_the_quoted_form() -> None:
    """The grooming reason quoted '12 year old son' outside the (description: ...) form,
    which reasons sent to MCMC leave out (without_quotes): the age reached MCMC's tasks."""
    result = triage(PublicReport(description=PHOTO_REQUEST))
    assert any("12 year old son" in reason for reason in result.reasons)
    assert not any("12 year old" in without_quotes(reason) for reason in result.reasons)


PHOTO_REQUEST = "a man keeps asking my 12 year old son for photos on a game chat"


@pytest.mark.parametrize(
    "description",
    [
        "my 12 year old son paid a stranger for a video game",  # not a request for a video
        "my 12 year old son went for a picnic",  # not "for a pic"
        "a man who works under agency XYZ asked for photos of my IC",  # not "under age"
        "a minor issue: the seller asked for photos of the bicycle",  # not "a minor"
        "a buyer asked me for photos of my 10 year old bicycle",  # a thing, not a child
    ],
)
def test_requests_and_ages_that_are_not_about_a_child_are_no_grooming(description: str) -> None:
    assert H.GROOMING not in triage(PublicReport(description=description)).categories


def test_not_underage_is_not_under_age() -> None:
    assert under_age_hits("she said she is not underage") == []
    assert under_age_hits("he knew she was underage") == ["underage"]


@pytest.mark.parametrize(
    ("description", "hit"),
    [
        ("she is under 18", "under 18"),
        ("under 18 years of age", "under 18"),
        ("a girl below 16", "below 16"),
        ("budak bawah 18 tahun", "bawah 18"),  # ms
        ("未满18岁的女孩", "未满18岁"),  # zh
        ("18 வயதுக்குட்பட்ட சிறுமி", "18 வயதுக்குட்பட்ட"),  # ta
    ],
)
def test_a_limit_of_18_or_below_names_someone_under_age(description: str, hit: str) -> None:
    assert under_age_hits(description) == [hit]


@pytest.mark.parametrize(
    "description",
    ["under 25", "under 180 cm", "not under 18", "under 1.5 hours", "under 10 minutes",
     "bawah 5 minit", "under 5 kg"],
)  # fmt: skip
def test_other_limits_name_no_one_under_age(description: str) -> None:
    assert under_age_hits(description) == []


@pytest.mark.parametrize(
    "description",
    [
        "a man wants photos of a girl under 16",  # en: wants photos, under 16
        "he wanted more pictures from my 13 year old daughter",  # en
        "lelaki itu suruh send gambar kepada adik saya berumur 12 tahun",  # ms: send gambar
    ],
)
def test_more_ways_of_asking_a_child_for_photos_are_grooming(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.GROOMING in result.categories and result.priority == Priority.P2


@pytest.mark.parametrize(
    "description",
    [
        "the account posted about his 12 year old brother",
        "he asked her for nudes and joked she looks underage",
        "he asked for photos of her and of his 12 year old brother",
        "he asked a form 2 student for photos",
        "he asked for photos of his twelve-year-old brother",
    ],
)
def test_a_stated_adult_victim_age_wins_over_the_text(description: str) -> None:
    report = PlatformReport(
        organisation_id="p",
        reference="r",
        incident_type=H.BULLYING_HARASSMENT,
        incident_time=datetime(2026, 11, 30, tzinfo=UTC),
        description=description,
        victim=VictimInfo(age=25, pseudonym_ref="V-1"),
    )
    assert child_ages_named(report) == [] and not names_a_child_victim(report)
    result = triage(report)
    assert "below 18" not in " ".join(result.reasons)
    assert "grooming of a child" not in " ".join(result.reasons)


# Version 2026-11-30.4: ages written in words, and school years, name a child as an age in
# digits does ("a man keeps asking my twelve-year-old daughter for photos" was P4).


@pytest.mark.parametrize(
    ("description", "age"),
    [
        ("a man keeps asking my twelve-year-old daughter for photos", "twelve-year-old daughter"),
        ("a fourteen year old girl was added to the group", "fourteen year old girl"),
        ("a pretty sixteen-year-old girl", "sixteen-year-old girl"),  # "pretty" is no "twenty"
        ("my son, thirteen, was asked", "son, thirteen,"),
        ("my son (twelve) gets messages", "son (twelve)"),
        ("my daughter is fourteen", "daughter is fourteen"),
        ("my daughter is fourteen and he keeps messaging her", "daughter is fourteen"),
        ("my son just turned eleven.", "son turned eleven"),
        ("a girl aged fifteen", "girl aged fifteen"),
        ("anak saya berumur dua belas tahun", "anak berumur dua belas tahun"),  # ms
        ("adik saya sebelas tahun", "adik saya sebelas tahun"),  # ms
        ("anak perempuan saya tujuh belas tahun", "anak tujuh belas tahun"),  # ms
        ("我十二岁的女儿", "十二岁的女儿"),  # zh
        ("我女儿今年十三岁", "女儿今年十三岁"),  # zh
        ("我兩歲的兒子", "兩歲的兒子"),  # zh, traditional
        ("என் பன்னிரண்டு வயது மகள்", "பன்னிரண்டு வயது மகள"),  # ta: my twelve-year-old daughter
        ("என் மகளுக்கு பதினான்கு வயது", "மகளுக்கு பதினான்கு வயத"),  # ta: my daughter is fourteen
    ],
)
def test_an_age_in_words_below_18_next_to_a_young_person_names_a_child(
    description: str, age: str
) -> None:
    assert child_age_hits(description) == [age]
    result = triage(PublicReport(description=description))
    assert result.priority in (Priority.P2, Priority.P3)
    assert any(f"description: '{age}'" in reason for reason in result.reasons)


def test_age_words_are_the_ages_below_18_in_each_language() -> None:
    """The tables stop at seventeen: "eighteen", "lapan belas" and "十八" name no child."""
    for table in (AGE_WORDS_EN, AGE_WORDS_MS, AGE_WORDS_ZH, AGE_WORDS_TA):
        assert {value for _, value in table} == set(range(1, 18))


@pytest.mark.parametrize(
    ("description", "school"),
    [
        ("a Form 2 student was asked for her number", "form 2 student"),
        ("my daughter in Form 2 gets messages", "daughter in form 2"),
        ("my son is in standard 5", "son is in standard 5"),
        ("I'm in form 3 and a man keeps messaging me", "i'm in form 3"),  # a child reporting
        ("he chats with a secondary school student", "secondary school student"),
        ("primary school pupils were added to the group", "primary school pupils"),
        ("pelajar Tingkatan 3 itu dihantar mesej", "pelajar tingkatan 3"),  # ms
        ("anak saya yang kini di tingkatan 2", "anak saya yang kini di tingkatan 2"),  # ms
        ("dia kacau budak sekolah rendah", "budak sekolah rendah"),  # ms
        ("seorang pelajar sekolah menengah", "pelajar sekolah menengah"),  # ms
        ("murid tahun 4 di kampung saya", "murid tahun 4"),  # ms
        ("anak saya darjah 5", "darjah 5"),  # ms
        ("dia tahun 3 sekolah kebangsaan", "tahun 3 sekolah"),  # ms
        ("我女儿上小五", "女儿上小五"),  # zh
        ("他在读中二", "读中二"),  # zh
        ("一个中一学生", "中一学生"),  # zh
        ("她读小学五年级", "五年级"),  # zh
        ("受害者是中學生", "中學生"),  # zh, traditional
        ("ஒரு பள்ளி மாணவி", "பள்ளி மாணவ"),  # ta: a school pupil (girl)
        ("அந்த பள்ளிச் சிறுமி", "பள்ளிச் சிறுமி"),  # ta: that school girl
    ],
)
def test_a_school_year_names_a_child(description: str, school: str) -> None:
    assert school_child_hits(description) == [school]
    assert child_ages_named(PublicReport(description=description)) == [school]
    assert names_a_child_victim(PublicReport(description=description))
    reasons = triage(PublicReport(description=description)).reasons
    assert f"P3: victim is below 18 (description: '{school}') (rule child_victim)" in reasons


@pytest.mark.parametrize(
    "description",
    [
        # Numbers in words that are no child's age:
        "twelve years ago he moved next door",
        "I was twelve when it happened, I am 30 now",
        "he waited fifteen minutes for my son",
        "selling a two-year-old phone",
        "my son is one of them",
        "my son, fifteen minutes later, called me",
        "my brother is three years older",
        "a boy aged three months",
        "the children, three of them, were online",
        "a twenty-two-year-old student",  # not two
        "a twenty two year old student",
        "my eighteen year old son",
        "dua belas tahun lepas dia tipu saya",  # ms: twelve years ago
        "anak saya dua belas tahun lepas ditipu",  # ms: my child was cheated twelve years ago
        "anak saya dua puluh dua tahun",  # ms: 22, not 2
        "budak itu belajar dua tahun di sana",  # ms: studied for two years
        "adik saya dua tahun lebih muda",  # ms: two years younger
        "十二点见面",  # zh: twelve o'clock
        "十二年前的事",  # zh: twelve years ago
        "二十二岁的女儿",  # zh: 22, not 2
        "女儿十八岁",  # zh: 18
        "女儿十二岁时",  # zh: when she was 12
        "பன்னிரண்டு வருடங்களுக்கு முன்",  # ta: twelve years ago
        "இருபத்து இரண்டு வயது மகள்",  # ta: 22, not 2
        # School words that place no child:
        "please send the Form 1 application to the bank",
        "form 1 of the tax return was wrong",
        "a form 6 student",  # 18-19
        "Standard Chartered called about my card",
        "the standard 2 pin plug is broken",
        "photos from our high school reunion",
        "a former student harassed me",
        "when I was in Form 2 he abused me",
        "when I was a form 2 student he abused me",
        "a former secondary school student of mine",
        "tahun 1 projek ini",  # ms: year 1 of the project
        "tahun 2019 dia tipu saya",  # ms
        "tahun lepas dia tipu saya",  # ms: last year
        "pelajar tahun 2 universiti",  # ms: a university student
        "masa saya pelajar tingkatan 3 dulu",  # ms: when I was in Form 3
        "bekas pelajar sekolah menengah",  # ms: a former secondary school student
        "pelajar sekolah memandu",  # ms: a driving-school student
        "pusing 90 darjah 2 kali",  # ms: turn 90 degrees twice
        "tingkatan 3 dalam permainan itu",  # ms: level 3 in the game
        "他在大学一年级",  # zh: first year of university
        "研究生一年级",  # zh: first-year graduate student
        "高中三年级",  # zh: senior high year 3 (17-18)
        "正月初一那天",  # zh: the first day of the lunar year
        "其中一个学生",  # zh: one of the students
        "小一点的照片",  # zh: a smaller photo
        "当初一起玩的朋友",  # zh: friends we played with back then
        "我读初二的时候被欺负",  # zh: when I was in 初二
        "以前我读中一",  # zh: I used to be in 中一
        "他的英文只有小学生水平",  # zh: a primary pupil's level (of anyone)
        "நான் பள்ளி மாணவியாக இருந்தபோது",  # ta: when I was a school pupil
        "முன்னாள் பள்ளி மாணவி",  # ta: a former school pupil
    ],
)
def test_numbers_in_words_and_school_words_that_name_no_child(description: str) -> None:
    assert child_age_hits(description) == []
    assert school_child_hits(description) == []
    reasons = " ".join(triage(PublicReport(description=description)).reasons)
    assert "victim is below 18" not in reasons


@pytest.mark.parametrize(
    "description",
    [
        "a man keeps asking my twelve-year-old daughter for photos",  # en
        "a man asks a form 2 student to send pictures",  # en
        "pelajar Tingkatan 2 diminta hantar gambar",  # ms
        "dia minta gambar adik saya yang berumur dua belas tahun",  # ms
        "一个男人向我十二岁的女儿要照片",  # zh
        "有人向读初二的女孩要照片",  # zh
        "ஒருவர் என் பன்னிரண்டு வயது மகளிடம் புகைப்படம் கேட்கிறார்",  # ta
    ],
)
def test_asking_a_child_named_in_words_or_by_school_year_for_photos_is_grooming(
    description: str,
) -> None:
    result = triage(PublicReport(description=description))
    assert H.GROOMING in result.categories
    assert result.priority == Priority.P2
    assert any("(rule grooming_of_child)" in reason for reason in result.reasons)
    assert any("(rule child_victim)" in reason for reason in result.reasons)


def test_every_keyword_table_is_written_casefolded() -> None:
    """keyword_hits and the patterns compare the tables as written with the casefolded
    description: a word written 'Sextortion' would never match."""
    import streams.child_mentions
    import streams.textmatch
    import streams.triage

    def words(value: object) -> list[str]:
        """Every string inside a module-level table, however nested (pairs, dicts)."""
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [w for v in value.values() for w in words(v)]
        if isinstance(value, tuple | list | frozenset | set):
            return [w for v in value for w in words(v)]
        return []

    tables = {
        name: words(value)
        for module in (streams.triage, streams.child_mentions, streams.textmatch)
        for name, value in vars(module).items()
        if name.isupper() and name != "PRIORITY_ORDER" and not name.startswith("_")
    }
    assert {"CATEGORY_KEYWORDS", "NEGATIONS_BEFORE", "IMMINENT_DANGER_PAIRS"} <= set(tables)
    assert {"AGE_WORDS_EN", "AGE_WORDS_MS", "AGE_WORDS_ZH", "SCHOOL_WORDS"} <= set(tables)
    unfolded = [(n, w) for n, ws in tables.items() for w in ws if w != w.casefold()]
    assert unfolded == []


# Version 2026-11-30.5: a child telling of themselves, as children report. Before, "he asks
# me to send pics, I'm 12" named no child: grooming without a child, P3, and no victim
# support; a child's own report in Malay ("Saya berumur 13 tahun") was P4.
@pytest.mark.parametrize(
    ("description", "age"),
    [
        ("He keeps asking me to send pics. I'm 12.", "i'm 12"),
        ("i am only 13 and he wants photos", "i am only 13"),
        ("im 14 yrs old, he asked for nudes", "im 14 yrs old"),
        ("I am thirteen. He asked me for pictures.", "i am thirteen"),
        ("Dia ajak saya hantar gambar. Saya berumur 13 tahun.", "saya berumur 13 tahun"),
        ("hai saya 12 tahun, dia minta gambar saya", "saya 12 tahun"),
        ("umur saya 14. dia minta gambar", "umur saya 14"),
        ("dia suruh hantar gambar, saya tiga belas tahun", "saya tiga belas tahun"),
        ("他一直要我发照片。我今年13岁。", "我今年13岁"),
        ("他要我发照片，我十三岁", "我十三岁"),
        ("அவன் என்னிடம் புகைப்படம் கேட்கிறான். எனக்கு 13 வயது.", "எனக்கு 13 வயது"),
        ("எனக்கு பதிமூன்று வயது, அவன் புகைப்படம் கேட்கிறான்", "எனக்கு பதிமூன்று வயது"),
        # As children write it (found by a review of the first version of these rules):
        ("im 13 n he keeps asking for pics", "im 13"),
        ("I'm 13 btw, he wants nudes", "i'm 13"),
        ("he asked for photos. i'm 13 y.o.", "i'm 13 y.o."),
        ("dia minta gambar bogel, sy 13 thn", "sy 13 thn"),
        ("saya umur 13 tahun dan dia minta gambar", "saya umur 13 tahun"),
        ("assalamualaikum saya 12 tahun, dia suruh hantar gambar", "saya 12 tahun"),
        ("他要我发照片，我今年才13岁", "我今年才13岁"),
        ("அவன் புகைப்படம் கேட்கிறான், எனக்கு 13 வயசு", "எனக்கு 13 வயசு"),
        # In lines, without punctuation:
        ("He keeps asking for nudes\nI'm 13\nhis acc is @x", "i'm 13"),
        ("Dia minta gambar bogel\nSaya 13 tahun\nAkaun dia t.me/x", "saya 13 tahun"),
        # Rules 2026-11-30.6: "years" without "old", and an age reached lately:
        ("He keeps asking for pics. I'm 13 years.", "i'm 13 years"),
        ("i'm 13 years, he wants nudes", "i'm 13 years"),
        ("I just turned 13 and he keeps asking for pics", "i just turned 13"),
        ("ive just turned 14, he wants pics", "ive just turned 14"),
        ("I've turned 12. he asked me for nudes", "i've turned 12"),
        ("i turned 13 last month, he asks for pics", "i turned 13 last month"),
        ("i recently turned fourteen. he wants photos", "i recently turned fourteen"),
        ("我刚满13岁，他一直要我发照片", "我刚满13岁"),
        ("他要我发照片，我今年刚满十三岁", "我今年刚满十三岁"),
        ("saya baru masuk 13 tahun, dia minta gambar", "saya baru masuk 13 tahun"),
        ("dia minta gambar bogel. saya dah 13 tahun", "saya dah 13 tahun"),
        ("எனக்கு இப்போதுதான் 13 வயது ஆனது, அவன் புகைப்படம் கேட்கிறான்", "எனக்கு இப்போதுதான் 13 வயது"),
        # Found by a review of the first version of these rules:
        ("He wants pics\nI'm 13\nkenal dia kat tiktok", "i'm 13"),
        ("dia minta gambar\nsaya 13 tahun\nbelajar di SMK Seri", "saya 13 tahun"),
        ("dia minta gambar\nsaya 13 tahun\nkenal dia dari tiktok", "saya 13 tahun"),
        ("dia minta gambar bogel, umur saya dah 13 tahun", "umur saya dah 13 tahun"),
        ("dia minta gambar. umur saya baru masuk 13 tahun", "umur saya baru masuk 13 tahun"),
        ("dia minta gambar bogel. aku dh 13 tahun", "aku dh 13 tahun"),
        ("dia minta gambar, saya br masuk 13 thn", "saya br masuk 13 thn"),
        ("அவன் புகைப்படம் கேட்கிறான். எனக்கு இப்பதான் 13 வயசு", "எனக்கு இப்பதான் 13 வயசு"),
        ("அவன் புகைப்படம் கேட்கிறான். எனக்கு இப்போ தான் 13 வயது", "எனக்கு இப்போ தான் 13 வயது"),
        ("i jus turned 13 and he keeps asking for pics", "i jus turned 13"),
        ("I just turned 13 in March, he wants nudes", "i just turned 13 in march"),
        ("i turned 13 two weeks ago and he asks for pics", "i turned 13 two weeks ago"),
        # Found by a second review: as children end it, and ages children tell groomers.
        ("i'm 13 years lol he wants nudes", "i'm 13 years"),
        ("i'm 13 years and he wants nudes", "i'm 13 years"),
        ("im 13 years n he keeps asking for pics", "im 13 years"),
        ("I'm 14 but I told him I'm 18, now he wants nudes", "i'm 14"),
        ("im 14 but on the app i said im 18. he asks for pics", "im 14"),
        ("I'm 13. he sent me a message saying hi im 25 send pics", "i'm 13"),
        ("im 15 he wants to marry me after im 18 and asks for pics", "im 15"),
        ("他要我发照片，我13岁，他让我说我18岁", "我13岁"),
        ("他要我发照片，现在我13岁", "我13岁"),  # 现在 (now) is no 在 (at the time of)
        ("saya dah 13 tahun, dia minta gambar", "saya dah 13 tahun"),
        ("dia minta gambar\nsaya 13 tahun\nkerja sekolah banyak", "saya 13 tahun"),
        ("dia minta gambar\nsaya 13 tahun\nmenjadi mangsa dia", "saya 13 tahun"),
        # Found by a third review:
        ("I'm 13 years, and he wants nudes", "i'm 13 years"),
        ("im 13 years, one guy keeps asking for pics", "im 13 years"),
        ("sekarang saya 13 tahun, dia minta gambar", "saya 13 tahun"),
        ("I am 13 now and he wants pics", "i am 13"),
    ],
)
def test_a_child_telling_their_own_age_is_a_child_victim(description: str, age: str) -> None:
    assert child_age_hits(description) == [age]
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P2
    assert H.GROOMING in result.categories
    assert any(
        f"grooming with a victim below 18 (description: '{age}')" in r for r in result.reasons
    )


def test_a_run_of_line_breaks_is_read_as_one_break(monkeypatch: pytest.MonkeyPatch) -> None:
    """A description of line breaks alone (10,000 characters are allowed) is read in one
    pass: the first version's pattern looked ahead from every break in the run, and took
    minutes on such a text."""
    from streams import child_mentions

    calls: list[str] = []
    ends = child_mentions._line_ends

    def counted(line_break: re.Match[str]) -> str:
        calls.append(line_break.group())
        return ends(line_break)

    monkeypatch.setattr(child_mentions, "_line_ends", counted)
    assert child_age_hits("saya 13 tahun" + "\n" * 9_980 + "dia minta gambar") == ["saya 13 tahun"]
    assert child_age_hits("saya 15 tahun" + "\n" * 9_980 + "kerja di sini") == []  # years at work
    assert len(calls) == 2


# Rules 2026-12-01.2 (a bug hunt): abuse going on now, told in the active voice or with the
# abuse near a word for "now", was P4 with no category.
@pytest.mark.parametrize(
    "description",
    [
        # Not "is raping" (an imminent-danger keyword since 2026-12-02.2) nor "rapes her"
        # (since 2026-12-02.3): the near rule.
        "right now he abuses my daughter",
        "he raping her now",
        "my daughter is being raped now",
        "dia sedang rogol adik saya",
        "dia tengah rogol budak tu",
        "他正在强奸我女儿",
        # Rules 2026-12-02.3: recurring, in languages whose verbs have no tense.
        "dia rogol adik saya setiap malam",
        "pakcik cabul saya tiap malam",
        "他每晚都强奸我",
        "他经常猥亵我女儿",
        # Rules 2026-12-02.4: in English too, as people write it without the verb's -s.
        "he rape me every night",
        "he molest her every day",
        "every night he abuses her",
    ],
)
def test_abuse_near_a_word_for_now_is_p1(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any("(near)" in r and "imminent-danger" in r for r in result.reasons)


# Rules 2026-12-02.4: recurring abuse told in the past is not going on (the Malay and Chinese
# ones were P1 under 2026-12-02.3, whose recurring words had no past check).
@pytest.mark.parametrize(
    "description",
    [
        "he raped me every night",
        "she was abused every day",
        "he molested me every night when i was 10",
        "he used to rape me every night",
        "dia pernah rogol saya setiap malam dulu",
        "masa kecil pakcik cabul saya tiap malam",
        "他以前每晚都强奸我",
        "我小时候他经常猥亵我",
        # A second review (rules 2026-12-02.8): a word of long ago after the abuse, or after
        # an unrelated 从, was read as no past under .6.
        "my uncle rape me every night last year",
        "he rape me every night years ago",
        "ayah tiri rogol saya setiap malam dulu",
        "ayah rogol saya setiap malam masa kecil",
        "他每晚都强奸我，那时我才十岁",
        "我从马来西亚来，他以前每晚都强奸我",
    ],
)
def test_recurring_abuse_told_in_the_past_is_not_p1(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority != Priority.P1
    assert not any("(near)" in r for r in result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        # A review of 2026-12-02.4: material, not a person, with a word of recurrence (P1).
        "the group shares sexual abuse material every day",
        "Telegram group selling child abuse content every day",
        "he posts rape videos every night",
        "I read about child abuse every day in the news",
        "dia jual video rogol setiap hari",
        "他每天都分享强奸视频",
        # A third review (rules 2026-12-02.9): threats, pushed videos, talk, a resolution.
        "I get rape threats every day on instagram",
        "他每天被推送强奸视频",
        "我每天都被迫看强奸视频",
        "news about rape that happens every day in india",
        "he watches abuse 4k videos every night",
    ],
)
def test_abuse_material_shared_every_day_is_no_abuse_going_on(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority != Priority.P1
    assert not any("(near)" in r for r in result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        # A review of 2026-12-02.4: a word of long ago after the abuse, or after "since", or
        # "dulu" as "first", took recurring abuse going on from P1 to P4.
        "dia rogol saya setiap malam sejak tahun lepas",
        "他每晚都强奸我，以前也这样",
        "ayah tiri rogol saya setiap malam, tunggu mak keluar dulu",
        "he rape me every night ever since last year",
        "since last year he rapes me every night",
        # A second review (rules 2026-12-02.8): the passive, and a victim named by a noun,
        # were P4 under .6.
        "saya kena rogol setiap malam",
        "adik saya dirogol setiap malam",
        "我每晚都被强奸",
        "我每天晚上都被他强奸",
        "he rape the children every night",
        "he sexually abuse kids every day",
        "dia rogol kawan saya setiap malam",
        "he rapes 12yo girl every night",
        # A third review (rules 2026-12-02.9): the English passive, "since" with words
        # between, and time words after the abuse that do not say long ago.
        "my daughter is being raped every night by her stepfather",
        "she gets molested every day by her stepfather",
        "my sister has been molested every night",
        "my stepfather rape me every night since 2 years ago",
        "dia rogol saya setiap malam sejak 2 tahun lepas",
        "dia rogol adik saya setiap malam sejak dari dulu",
        "bapa tiri rogol adik saya setiap malam, saya nak report polis dulu",
        "他每天晚上强奸我，比以前更严重",
    ],
)
def test_recurring_abuse_since_long_ago_is_still_going_on(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


def test_a_word_of_long_ago_in_another_sentence_leaves_recurring_abuse_going_on() -> None:
    result = triage(PublicReport(description="Dulu dia baik. Dia rogol adik saya setiap malam"))
    assert result.priority == Priority.P1


@pytest.mark.parametrize(
    "description",
    ["he is not raping her now", "the abuse is not happening now", "dia tak rogol sekarang"],
)
def test_abuse_near_now_said_not_to_happen_is_not_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


@pytest.mark.parametrize(
    "description",
    [
        "I want to kill myself",
        "i wanna kill myself",
        "aku nk bunuh diri",
        "我想死",
        "anak saya dlm bahaya",
        "she is in grave danger",
        "她现在很危险",
    ],
)
def test_danger_as_people_type_it_on_a_phone_is_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


@pytest.mark.parametrize(
    "description",
    [
        "Someone is selling videos of kids being molested on telegram",
        "video budak kena rogol tersebar di telegram",
        "ada orang jual video lucah budak bawah umur",
        "He shares child sexual exploitation material",
        "网上有儿童性剥削",
    ],
)
def test_material_of_children_abused_in_plain_words_is_csam(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.CSAM in result.categories and result.priority == Priority.P2


def test_a_chinese_request_for_nudes_from_a_child_is_grooming_of_a_child() -> None:
    result = triage(PublicReport(description="我13岁，他要我发裸照"))
    assert H.GROOMING in result.categories and result.priority == Priority.P2


@pytest.mark.parametrize(
    ("description", "said"),
    [
        ("anak saya 12 thn kena ugut", "anak saya 12 thn"),
        ("adik aku umur 13 kena ugut sebar gambar bogel dia", "adik umur 13"),
        ("my daughter 12 years old, a man keeps asking for nudes", "daughter 12 years old"),
        ("my daughter 12yo is being asked for pics", "daughter 12yo"),
        ("my daughter who is 12 gets messages from a man", "daughter is 12"),
        ("im only 13 pls help", "im only 13"),
    ],
)
def test_a_childs_age_as_people_write_it_names_a_child(description: str, said: str) -> None:
    result = triage(PublicReport(description=description))
    assert any(f"(description: '{said}')" in r for r in result.reasons), result.reasons


@pytest.mark.parametrize("description", ["anak saya umur 12 bulan", "my son who is 25"])
def test_an_age_that_names_no_child_is_not_read(description: str) -> None:
    assert not any("below 18" in r for r in triage(PublicReport(description=description)).reasons)


def test_a_childs_name_before_the_age_stays_out_of_the_reasons() -> None:
    # Quoted whole, 'adik saya nurul ain 13 tahun' went into every agency's task reasons.
    result = triage(PublicReport(description="adik saya Nurul Ain 13 tahun kena ugut"))
    assert any("(description: 'adik 13 tahun')" in r for r in result.reasons)
    assert not any("nurul" in r.casefold() for r in result.reasons)


def test_rape_inside_a_word_near_now_is_no_abuse_going_on() -> None:
    # The near-'now' rule checked the word's start on the text cut at the hit, where it
    # always starts: 'scraped ... now' read as rape going on, once 'rape' stood elsewhere.
    text = "The rape case went to court in 2019. Someone scraped my photos now."
    assert triage(PublicReport(description=text)).priority != Priority.P1


# Rules 2026-12-01.4, from a review of false negatives (most serious first). Each list of
# reports that must now fire is followed by the nearby sentences that must not.


# 1. Intimate material of a child named by age or called under age is CSAM (it was NCII or
# self-generated material, P3 or P4, with no PDRM referral).
@pytest.mark.parametrize(
    "description",
    [
        "Someone leaked a sex tape of my 15 year old daughter",
        "intimate video of an underage girl shared on telegram",
        "my 14 year old son's nude photos are being shared",
        "sebar gambar intim anak saya berumur 14 tahun",  # ms
        "video intim budak bawah umur tersebar",  # ms
        "未成年少女的私密视频被传到网上",  # zh
        "我14岁的女儿的私密照被人发到群里",  # zh
        "என் 14 வயது மகளின் அந்தரங்க புகைப்படங்கள் பகிரப்பட்டன",  # ta
    ],
)
def test_intimate_material_of_a_named_child_is_csam(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.CSAM in result.categories
    assert result.priority == Priority.P2
    assert any(r.startswith("P2: severe category: csam") for r in result.reasons)


@pytest.mark.parametrize(
    ("victim", "csam"),
    [
        (VictimInfo(age=15), True),
        (VictimInfo(age_range="15-17"), True),
        (VictimInfo(age=25), False),
        # Presumed a child for want of an age (KPWKM looks), but not said to be one: the
        # material is not called CSAM on a presumption.
        (VictimInfo(identified=True), False),
    ],
)
def test_intimate_material_of_a_victim_below_18_is_csam(victim: VictimInfo, csam: bool) -> None:
    for category in (H.NON_CONSENSUAL_INTIMATE_CONTENT, H.SELF_GENERATED_SEXUAL_MATERIAL):
        result = triage(_platform(category, victim=victim))
        assert (H.CSAM in result.categories) is csam
        assert (result.priority == Priority.P2) is csam


def test_the_age_that_makes_material_csam_is_not_told_to_mcmc() -> None:
    result = triage(
        PublicReport(description="Someone leaked a sex tape of my 15 year old daughter")
    )
    severe = next(r for r in result.reasons if "severe category" in r)
    assert "15 year old daughter" in severe
    assert "15" not in without_quotes(severe)


@pytest.mark.parametrize(
    ("description", "category"),
    [
        ("he threatened to leak her intimate photos", H.SEXTORTION),
        ("dia ancam sebar video intim", H.SEXTORTION),  # ms
        ("he asked her to send intimate pics", H.GROOMING),
        ("他威胁要公开她的私密视频", H.SEXTORTION),  # zh
    ],
)
def test_intimate_material_is_a_sexual_word(description: str, category: H) -> None:
    assert category in triage(PublicReport(description=description)).categories


@pytest.mark.parametrize(
    "description",
    [
        "my ex leaked my sex tape",  # an adult's: NCII, not CSAM
        "my ex posted intimate photos of me",
        "intimate partner violence, he threatened to hurt me",  # no material
        "dia kawan intim saya tapi dia ancam saya",  # ms: a close friend
        "he threatened and intimidated my neighbour",  # 'intim' in intimidated
        "他威胁要公开私密群组的聊天记录",  # zh: a private group's chat log
    ],
)
def test_intimacy_without_a_child_or_without_material_is_not_csam(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.CSAM not in result.categories
    assert H.SEXTORTION not in result.categories


# 2. Sexual abuse of a child the report names is P2 (it was P3, category unknown, with no
# PDRM referral: streams.fanout refers every P2 to PDRM).
@pytest.mark.parametrize(
    ("description", "word"),
    [
        ("He raped my 13 year old daughter", "rape"),
        ("lelaki itu rogol anak saya berumur 12 tahun", "rogol"),  # ms
        ("anak saya 12 tahun kena cabul", "cabul"),  # ms
        ("我12岁的女儿被性侵", "性侵"),  # zh
        ("我12歲的女兒被強姦", "強姦"),  # zh, traditional
        ("என் 12 வயது மகளை அவன் கற்பழித்தான்", "கற்பழி"),  # ta
        ("an underage girl was raped by her tutor", "rape"),
    ],
)
def test_sexual_abuse_of_a_named_child_is_p2(description: str, word: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P2
    assert any(
        r.startswith(f"P2: sexual abuse of a child: '{word}'") and "sexual_abuse_of_child" in r
        for r in result.reasons
    )


def test_sexual_abuse_of_a_child_called_under_age_puts_the_child_at_risk() -> None:
    # KPWKM's victim support: no victim is named, but a child is (streams.fanout).
    facts = facts_of(PublicReport(description="an underage girl was raped by her tutor"))
    assert child_at_risk(facts)
    assert not child_at_risk(facts_of(PublicReport(description="an underage girl was bullied")))


@pytest.mark.parametrize(
    "description",
    [
        "he did not rape my 13 year old daughter",  # negated
        "my 13 year old daughter was not raped",
        "I was raped when I was 12, I am 30 now",  # an adult telling of the past
        "my 12 year old son scraped his knee",  # 'rape' in scraped
        "someone was raped in the news, my son is 25",  # no child
    ],
)
def test_abuse_denied_or_of_no_named_child_is_not_p2(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert not any("sexual_abuse_of_child" in r for r in result.reasons)
    assert result.priority not in (Priority.P1, Priority.P2)


# 3, 4 and 8. The platform X is not the Malay negation "x" (as typed: "dia x dalam bahaya"),
# "non-stop" (不停, 不断, tak henti, tidak berhenti) negates nothing, and "in danger of" is
# danger where harm follows.
@pytest.mark.parametrize(
    "description",
    [
        "he is raping her on X now",
        "he is raping her on x now",
        "budak tu kena rogol kat x sekarang",  # ms
        "adik saya kena cabul dekat X sekarang",  # ms
        "现在他不停地强奸她",  # zh
        "他现在不断性侵我女儿",  # zh
        "他現在不斷性侵我女兒",  # zh, traditional
        "sekarang dia tak henti rogol budak tu",  # ms
        "sekarang dia tidak berhenti rogol adik",  # ms
        "she is in danger of being raped",
        "my daughter is in danger of being sexually abused by him",
        "the child is in danger of being killed",
    ],
)
def test_words_that_negate_nothing_or_are_no_idiom_leave_danger_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


@pytest.mark.parametrize(
    ("text", "is_negated"),
    [
        ("found her on x dalam bahaya", False),
        ("dia kat x dalam bahaya", False),
        ("dia dari x dalam bahaya", False),
        ("dia X dalam bahaya", False),  # a capital: the platform
        ("dia x dalam bahaya", True),  # as typed on a phone
        ("box dalam bahaya", False),  # 'x' ends a word
    ],
)
def test_x_negates_only_as_typed_for_not(text: str, is_negated: bool) -> None:
    folded = fold(text)
    start = folded.index("dalam bahaya")
    assert negated(folded, start, start + len("dalam bahaya")) is is_negated


def test_x_as_not_still_negates_abuse_near_now() -> None:
    assert triage(PublicReport(description="dia x rogol budak tu sekarang")).priority != (
        Priority.P1
    )


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("他不停地", False),
        ("不断", False),
        ("tak henti-henti", False),
        ("tidak berhenti", False),
        ("他不去", True),
        ("dia tak datang", True),
        ("he is not here", True),
    ],
)
def test_non_stop_is_no_negation(text: str, found: bool) -> None:
    assert negation_in(fold(text)) is found


# 5. A wish to die, and an abduction, are imminent danger (each was P4).
@pytest.mark.parametrize(
    ("description", "fragment"),
    [
        ("she says she want to die", "want to die"),
        ("my son wants to die", "wants to die"),
        ("i wanna die", "wanna die"),
        # Idioms of shame stay P1: a sextorted child says them.
        ("he posted my pics, I want to die of shame", "want to die"),
        # "I don't want to die" is a child's plea as often as not: P1 (no negation word).
        ("he said he will find me, I don't want to die", "want to die"),
        ("saya nak mati", "nak mati"),  # ms
        ("aku nk mati je", "nk mati"),  # ms, as typed
        ("malu nak mati, dia sebar gambar saya", "nak mati"),  # ms: ashamed to death
        ("她说她要自杀", "要自杀"),  # zh
        ("他說他要自殺", "要自殺"),  # zh, traditional
        ("我不想活了", "不想活"),  # zh
        ("அவள் தற்கொலை செய்யப் போகிறாள்", "தற்கொலை செய்ய"),  # ta
        ("my son was abducted", "abduct"),
        ("孩子被拐走了", "拐走"),  # zh
        ("有人要拐卖我女儿", "拐卖"),  # zh
        ("有人要拐賣我女兒", "拐賣"),  # zh, traditional
        ("என் மகள் கடத்தப்பட்டாள்", "கடத்த"),  # ta: my daughter was abducted
    ],
)
def test_a_wish_to_die_or_an_abduction_is_p1(description: str, fragment: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any(
        r.startswith("P1: imminent-danger keywords: ") and fragment in r for r in result.reasons
    )


@pytest.mark.parametrize(
    "description",
    [
        "I want to die laughing at this video",  # an idiom of laughter
        "I want to diet before the school trip",
        "tolong nak matikan lampu bilik",  # ms: to switch off
        "anak mati lemas semalam",  # ms: 'anak mati' is no 'nak mati'
        "penat nak mati hari ni",  # ms: tired to death
        "lawak nak mati video ni",  # ms: funny to death
        "他说他不要自杀",  # zh: will not
        "我不想要自杀",  # zh: does not want to
        "அவள் தற்கொலை செய்ய மாட்டாள்",  # ta: she will not
        "he was not abducted, he was at a friend's house",
        "போதைப்பொருள் கடத்தல் கும்பல்",  # ta: a drug-smuggling gang
        "நேரத்தைக் கடத்த விளையாடுகிறான்",  # ta: plays to pass the time
    ],
)
def test_idioms_and_denials_near_the_new_danger_words_are_not_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


# 6. Meeting tonight with words between, either way round (each was P4). The reason names
# the word for meeting first, whichever comes first in the text.
@pytest.mark.parametrize(
    ("description", "fragment"),
    [
        ("he wants to meet my daughter alone tonight", "meet + tonight (near)"),
        ("tonight he is going to meet her at the mall", "meet + tonight (near)"),
        ("dia nak jumpa adik saya seorang diri malam ni", "jumpa + malam ni (near)"),  # ms
        ("malam ini lelaki itu akan jumpa anak saya", "jumpa + malam ini (near)"),  # ms
        ("他今晚要跟我女儿见面", "见面 + 今晚 (near)"),  # zh
        ("அவன் இன்றிரவு என் மகளைச் சந்திக்கப் போகிறான்", "சந்திக்க + இன்றிரவு (near)"),  # ta
    ],
)
def test_meeting_tonight_with_words_between_is_p1(description: str, fragment: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any(fragment in r for r in result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        "he will not meet her tonight",
        "dia tak jumpa budak tu malam ni",  # ms
        "malam ni dia tak jumpa adik",  # ms
        # Too far apart (MEET_GAP): two things told.
        "He wanted to meet her last month at the mall near our house, and tonight she cried",
        "she meets her friends every week; my dinner tonight",
    ],
)
def test_meeting_denied_or_far_from_tonight_is_not_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


# 7. Live-streaming words: a video call, a live on an app.
@pytest.mark.parametrize(
    "description",
    [
        "he made her do sexual things on video call",
        "he showed nude pics of kids on stream",
        "dia vc bogel dengan budak sekolah",  # ms: a naked video call
        "dia buat live lucah dengan budak",  # ms
        "tiktok live with a naked child",
        "bigo live lucah budak bawah umur",  # ms
        "视频通话时他让孩子裸体",  # zh
    ],
)
def test_new_live_words_make_live_streamed_abuse(description: str) -> None:
    assert H.LIVE_STREAMED_ABUSE in triage(PublicReport(description=description)).categories


@pytest.mark.parametrize(
    "description",
    [
        "we had a video call with grandma",
        "tiktok live selling clothes",
        "I bought a VCD of a sexual health lecture",  # 'vc' inside a word
        "the MVC framework exposes naked pointers",  # 'vc' inside a word
    ],
)
def test_live_words_alone_or_inside_words_make_no_live_streamed_abuse(description: str) -> None:
    assert H.LIVE_STREAMED_ABUSE not in triage(PublicReport(description=description)).categories


# 8. "In danger of" followed by harm is danger (test_words_that_negate_nothing_...); only
# the idiom is not.
@pytest.mark.parametrize(
    "description",
    ["children in danger of falling for scams", "he is in danger of failing his exams"],
)
def test_in_danger_of_no_harm_is_an_idiom(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


# 9. Slang: "cp" as traded material is CSAM; a paedophile is grooming.
@pytest.mark.parametrize(
    ("description", "category"),
    [
        ("he sells cp on telegram", H.CSAM),
        ("this group is sharing CP links", H.CSAM),
        ("ada orang jual cp dalam group ni", H.CSAM),  # ms
        ("a pedo is messaging kids on roblox", H.GROOMING),
        ("there are paedophiles in this chat", H.GROOMING),
        ("ada pedofil dalam group ni", H.GROOMING),  # ms
        ("群里有恋童癖", H.GROOMING),  # zh
        ("群裡有戀童癖", H.GROOMING),  # zh, traditional
    ],
)
def test_slang_for_csam_and_paedophiles(description: str, category: H) -> None:
    assert category in triage(PublicReport(description=description)).categories


@pytest.mark.parametrize(
    "description",
    [
        "my son has CP and is bullied at school",  # cerebral palsy
        "jual CP CODM murah, dia tipu anak saya",  # ms: Call of Duty Mobile's points
        "he scammed my son selling cp for call of duty",
        "we stopped at the police cp on the highway",  # a checkpoint
        "he showed my son his torpedo collection and a pedometer",
    ],
)
def test_cp_and_pedo_inside_other_meanings_are_not_ocsea(description: str) -> None:
    categories = triage(PublicReport(description=description)).categories
    assert H.CSAM not in categories and H.GROOMING not in categories


# Rules 2026-12-02.1, from a review of over-firings and misses of rules 2026-12-01.4.


# 1. Intimate material, or sexual abuse, is a child's only near where the description names
# the child: in the same sentence, or within CHILD_GAP characters (about a sentence either
# side). A child named in passing in a long description made an adult's sex tape CSAM and a
# rape told of elsewhere sexual abuse of a child, each P2 with a PDRM referral.
FAR_FROM_THE_CHILD = [
    "My 12 year old son plays Roblox after school and I check his phone every week, he is "
    "fine. Separately, I want to report my ex-husband: he posted our sex tape on a Telegram "
    "group.",
    "My 12 year old son plays Roblox after school and I check his phone every week, he is "
    "fine. I also saw in the news that a woman was raped in Johor last month.",
    "Anak saya berumur 12 tahun bermain permainan dalam talian setiap hari selepas sekolah. "
    "Saya juga ingin melaporkan bekas suami saya yang menyebarkan video intim saya di Telegram.",
]


@pytest.mark.parametrize("description", FAR_FROM_THE_CHILD)
def test_material_or_abuse_far_from_a_named_child_is_not_the_childs(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.CSAM not in result.categories
    assert not any("sexual_abuse_of_child" in r for r in result.reasons)
    assert result.priority == Priority.P3  # the child named: a victim below 18
    assert not child_at_risk(facts_of(PublicReport(description=description)))


@pytest.mark.parametrize(
    ("description", "rule"),
    [
        ("My daughter is 14. He posted her nude photos on Telegram.", "severe_category"),
        (
            "My 15 year old daughter broke up with her boyfriend last month. He has now posted "
            "her intimate video on a Telegram group.",
            "severe_category",
        ),
        # One sentence, however long (a child writing without full stops):
        (
            "my 15 year old daughter broke up with her boyfriend last month and he was angry "
            "and he kept messaging her and now he has posted her intimate video on a group",
            "severe_category",
        ),
        ("My daughter is 13. A man raped her yesterday at the bus stop.", "sexual_abuse_of_child"),
        ("Anak saya 12 tahun. Semalam dia kena cabul oleh jiran.", "sexual_abuse_of_child"),
        ("我女儿12岁。昨天她被邻居性侵了。", "sexual_abuse_of_child"),
    ],
)
def test_material_or_abuse_near_a_named_child_is_still_p2(description: str, rule: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P2
    assert any(f"(rule {rule})" in r for r in result.reasons)
    if rule == "severe_category":
        assert H.CSAM in result.categories


def test_a_stated_victim_age_makes_material_anywhere_in_the_description_the_childs() -> None:
    # The report is the victim's: no place in the text to be near.
    result = triage(
        _platform(
            H.BULLYING_HARASSMENT,
            description=FAR_FROM_THE_CHILD[0].replace("My 12 year old son", "My son"),
            victim=VictimInfo(age=15),
        )
    )
    assert H.CSAM in result.categories and result.priority == Priority.P2


# 2. "Pencabulan hak" (a violation of rights) is no "cabul" (molest).
@pytest.mark.parametrize(
    "description",
    [
        "Pencabulan hak asasi oleh pihak sekolah terhadap anak saya berumur 12 tahun.",
        "Ini pencabulan terhadap hak kanak-kanak, anak saya 12 tahun dinafikan sekolah.",
        "Mereka mencabuli kedaulatan negara, anak saya 12 tahun pun tahu.",
        "siaran langsung tentang pencabulan hak asasi manusia",  # no live-streamed abuse
    ],
)
def test_a_violation_of_rights_is_no_sexual_abuse(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert not any("sexual_abuse_of_child" in r for r in result.reasons)
    assert H.LIVE_STREAMED_ABUSE not in result.categories
    assert result.priority not in (Priority.P1, Priority.P2)


def test_outraging_a_childs_modesty_is_still_sexual_abuse() -> None:
    result = triage(PublicReport(description="lelaki itu mencabul kehormatan anak saya 12 tahun"))
    assert any(r.startswith("P2: sexual abuse of a child: 'cabul'") for r in result.reasons)


# 3. "VC" is also a Vice-Chancellor and venture capital, not a video call.
@pytest.mark.parametrize(
    "description",
    [
        "VC universiti dituduh melakukan gangguan seksual terhadap pelajar.",
        "Naib Canselor (VC) UiTM disiasat atas gangguan seksual",
        "the VC of the university is accused of sexual harassment",
        "the university's VC ignored complaints of sexual harassment",
        "a VC firm partner sexually harassed a founder",
    ],
)
def test_a_vice_chancellor_or_venture_capital_is_no_video_call(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.LIVE_STREAMED_ABUSE not in result.categories
    assert result.priority not in (Priority.P1, Priority.P2)


@pytest.mark.parametrize(
    "description",
    [
        "dia ajak vc lepas tu suruh bogel",
        "he made my son undress on vc, it was sexual",
        "budak universiti tu kena paksa vc bogel",  # a university student, on a video call
    ],
)
def test_a_video_call_typed_vc_is_still_live(description: str) -> None:
    assert H.LIVE_STREAMED_ABUSE in triage(PublicReport(description=description)).categories


# 4. Meeting tonight with words between is P1 in a report about a child, or with a person met
# ("meet her"); an adults' dinner is no danger.
@pytest.mark.parametrize(
    "description",
    [
        "We meet for dinner tonight.",
        "let's meet for dinner tonight, he is a scammer",
        "the committee meets at the hall tonight",
        "kami jumpa untuk makan malam ni",  # ms: we meet to eat tonight
        "我们今晚见面吃饭",  # zh: we meet for dinner tonight
    ],
)
def test_a_meeting_tonight_about_no_child_and_no_one_met_is_not_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


@pytest.mark.parametrize(
    "description",
    [
        "he wants to meet up tonight, i'm 13",  # a child reporting
        "he asked for nudes and wants to meet up tonight",  # grooming
        "someone wants to meet me alone tonight",  # a person met
        "dia nak jumpa dia seorang diri malam ni",  # ms: meet her alone tonight
        "他今晚要跟她见面",  # zh: he meets her tonight
        "a man wants to meet an underage girl for dinner tonight",
    ],
)
def test_a_meeting_tonight_with_a_child_or_a_person_met_is_p1(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any("(near)" in r for r in result.reasons)


# 5. Written in capitals, X is the negation as typed; still the platform after a place word.
@pytest.mark.parametrize(
    ("description", "p1"),
    [
        ("DIA X DALAM BAHAYA", False),
        ("Tolong! DIA X DALAM BAHAYA", False),
        ("BUDAK TU X DALAM BAHAYA LAGI", False),
        ("SAYA JUMPA DIA KAT X DALAM BAHAYA", True),
        ("HE IS RAPING HER ON X NOW", True),
        ("ANAK SAYA DALAM BAHAYA", True),
        ("dia X dalam bahaya", True),  # a capital among small letters: the platform
    ],
)
def test_a_capital_x_among_capitals_is_the_negation(description: str, p1: bool) -> None:
    assert (triage(PublicReport(description=description)).priority == Priority.P1) is p1


@pytest.mark.parametrize(
    ("text", "is_negated"),
    [
        ("DIA X DALAM BAHAYA", True),
        ("Tolong, DIA X DALAM BAHAYA", True),
        ("DIA KAT X DALAM BAHAYA", False),
        ("dia X dalam bahaya", False),
        ("Found him on X DALAM BAHAYA", False),  # after a small word: the platform
    ],
)
def test_x_in_capitals_negates_unless_a_place_word_comes_before(
    text: str, is_negated: bool
) -> None:
    folded = fold(text)
    start = folded.index("dalam bahaya")
    assert negated(folded, start, start + len("dalam bahaya")) is is_negated


# 6. Material of children abused, denied: not CSAM where every media word or every abuse word
# is negated; one affirmed of each still is.
@pytest.mark.parametrize(
    "description",
    [
        "this is not a video of a child being sexually abused",
        "a video of the kids at the pool, they were not molested",
        "ini bukan video budak kena rogol",  # ms
    ],
)
def test_material_of_children_abused_said_not_to_be_is_not_csam(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.CSAM not in result.categories
    assert result.priority not in (Priority.P1, Priority.P2)


@pytest.mark.parametrize(
    "description",
    [
        "He sent not one video but many videos of kids being molested",
        "it is not a cartoon, it is a real video of children being raped",
    ],
)
def test_one_affirmed_media_and_abuse_word_is_still_csam(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.CSAM in result.categories and result.priority == Priority.P2


# 7. English contractions negate, whole words, with either apostrophe; a negation reaches
# over "a", "want to", "be", "nak", "akan" (NEGATED_THROUGH).
@pytest.mark.parametrize(
    "description",
    [
        "he didn't rape my 13 year old daughter",
        "he didn’t rape my 13 year old daughter",
        "he didnt rape my 13 year old daughter",
        "she doesn't want to die, she is just sad",
        "he doesn't want to meet tonight",
        "he doesn’t want to meet my daughter tonight",
        "he wont meet her tonight",
        "she can't be in danger, she is at home",
        "she will not be in danger",
        "it's not a kidnap, he is with his dad",
        "dia tak nak jumpa malam ni",  # ms: he does not want to meet tonight
        "dia tidak akan jumpa adik malam ni",  # ms: he will not meet her tonight
    ],
)
def test_contractions_and_negations_over_a_few_words_negate(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority not in (Priority.P1, Priority.P2)


@pytest.mark.parametrize(
    "description",
    [
        "now he won't stop raping her",  # "won't stop" negates nothing
        "he doesn't stop abusing her right now",
        "I cant breathe, he is raping me now",
        "he is not a good man, he kidnapped my son",
        "I don't want to die, he said he will find me",  # a reporter's fear, as before
        "i dont want to die",
        "I'm not sure but he wants to meet my daughter tonight",
        # A negation in the reporter's own clause negates no abuse: "he is raping her i cant
        # help now" was P4 once "cant" was a negation.
        "he is raping her i cant help now",
        "他正在强奸她我不知道怎么办",  # zh: I don't know what to do
        "sekarang saya tak tahu, dia rogol adik",  # ms: now, I do not know, he rapes her
    ],
)
def test_contractions_leave_what_they_do_not_negate_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("he doesn't", True),
        ("he doesn’t", True),
        ("he dont", True),
        ("she cannot", True),
        ("he won't stop", False),
        ("he didn’t stop", False),
        ("he decants the wine", False),  # whole words: no "cant" in "decants"
    ],
)
def test_english_contractions_are_negations(text: str, found: bool) -> None:
    assert negation_in(fold(text)) is found


@pytest.mark.parametrize(
    ("description", "p1"),
    [
        # Rules 2026-12-02.2: each was P4 (no word for now within 20 characters, no age).
        ("he is raping my daughter", True),
        ("he is raping her, i can't stop him now", True),
        ("he's raping her in the car", True),
        ("my stepfather is molesting my sister in the next room", True),
        ("the tutor is sexually abusing my son", True),
        ("He is sexually abusing my daughter right now", True),
        # Past, or said not to happen.
        ("he was raping her last year", False),
        ("he is not raping her", False),
        ("he isn't molesting anyone, it was a misunderstanding", False),
    ],
)
def test_rape_said_in_the_present_progressive_is_going_on(description: str, p1: bool) -> None:
    priority = triage(PublicReport(description=description)).priority
    assert (priority == Priority.P1) is p1


@pytest.mark.parametrize(
    ("description", "p1"),
    [
        # Rules 2026-12-02.3: each was P4 (no word for now within 20 characters, no age).
        ("he rapes her, i can't stop him now", True),
        ("my uncle molests me every night", True),
        ("the coach molests our son after training", True),
        ("my stepfather sexually abuses my sister", True),
        ("HE RAPES HER. please help", True),
        # From a review of the rule: other victims, other verbs, abuse that keeps on.
        ("my stepdad molests his daughter every night", True),
        ("he rapes them every night", True),
        ("he rapes ma sister", True),
        ("he sexually assaults her every night", True),
        ("he keeps raping her", True),
        ("he has been raping her for months", True),
        ("he's been molesting me since i was 10", True),
        ("hes raping her", True),
        ("அவன் என்னை தினமும் கற்பழிக்கிறான்", True),  # ta: he rapes me every day
        # Past, negated, without a victim, or inside another word.
        ("he raped her last year", False),
        ("he had been raping her before his arrest", False),
        ("he tried to rape me last year", False),
        ("he never rapes her", False),
        ("he never ever rapes her", False),
        ("he never really molests me", False),
        ("he no longer molests me", False),
        ("he doesn't rape her", False),
        ("a man who rapes should be jailed", False),
        ("someone grapes her vineyard", False),
        ("he rapes herself", False),
        ("the housekeeps raping", False),
    ],
)
def test_abuse_said_in_the_simple_present_with_its_victim_is_going_on(
    description: str, p1: bool
) -> None:
    priority = triage(PublicReport(description=description)).priority
    assert (priority == Priority.P1) is p1


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("he never ever rapes her", "rapes her"),
        ("he never really molests me", "molests me"),
        ("she is not really in danger", "in danger"),
        ("he has not once molested me", "molested me"),
        ("he did not even rape her", "rape her"),
    ],
)
def test_a_negation_reaches_over_an_adverb(text: str, word: str) -> None:
    """Rules 2026-12-02.3: 'never ever' and 'not really' negate what follows; the adverb
    between hid the negation ('he never ever rapes her' was P1)."""
    folded = fold(text)
    start = folded.index(word)
    assert negated(folded, start, start + len(word))


# A helper's bug hunt (2026-12-02): a child's age in these phrasings was missed, and each
# report was P3 with no KPWKM victim support.
@pytest.mark.parametrize(
    ("description", "said"),
    [
        ("A man keeps asking my niece for nudes. She is 12.", "niece 12"),
        ("my daughter is being asked for nudes by a man. She is 12.", "daughter 12"),
        ("anak lelaki saya diminta gambar bogel. Dia baru 12 tahun", "anak 12 tahun"),
        ("anak saya diugut oleh pakcik. Dia 12 tahun", "anak 12 tahun"),
        ("Someone is asking my son for photos. He's only twelve.", "son twelve"),
        ("有个男人一直向我侄女要裸照。她才12岁。", "侄女才12岁"),
        ("我女儿今年才12岁，有人一直要她的裸照", "女儿今年才12岁"),
        (
            "anak perempuan saya baru tiga belas tahun, lelaki minta gambar bogel",
            "anak tiga belas tahun",
        ),
        (
            "adik saya sekarang dua belas tahun, ada orang minta gambar bogel",
            "adik dua belas tahun",
        ),
        ("anak saya dua belas thn, ada orang minta gambar bogel", "anak saya dua belas thn"),
        ("Ada orang minta gambar bogel anak saya. Dia baru 12 tahun", "anak 12 tahun"),
        ("என் மகளுக்கு வயது 12, அவன் படங்கள் அனுப்பச் சொல்கிறான்", "மகளுக்கு வயது 12"),
        ("என் மகளுக்கு வயது பன்னிரண்டு, அவன் படங்கள் அனுப்பச் சொல்கிறான்", "மகளுக்கு வயது பன்னிரண்டு"),
        ("my little sister who's 12 is asked to send nudes", "sister who's 12"),
    ],
)
def test_a_childs_age_said_after_them_or_with_an_adverb_names_a_child(
    description: str, said: str
) -> None:
    assert said in child_age_hits(description)
    result = triage(PublicReport(description=description))
    assert any("below 18" in r for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "description",
    [
        "my son went out. He is 2 hours late",  # a time, not an age
        "my daughter met him. He is 45",  # an adult's age
        "budak itu baru dua tahun di sini",  # ms: only two years here
        "anak saya diugut. Dia baru 2 tahun lepas pindah",  # ms: moved two years ago
        "我女儿很好。她才12点回家",  # zh: came home at 12 o'clock
        # A review: the pronoun is someone else's, an adult comes between, or it is a distance
        # or years at work.
        "A man is harassing my daughter online. He is 16.",
        "my daughter has a new boyfriend. he's 17 and she is 25",
        "anak saya kena ganggu. Dia 5 tahun bekerja di sana",
        "my daughter is fine. she is 12 km from here",
        "我女儿认识了一个男朋友。他才16岁",
        # A third review: where the pronoun says no gender, an adult named between.
        "Anak perempuan saya ada teman lelaki baru. Dia 17 tahun.",
        "我孩子在网上认识了一个男朋友。他17岁。",
        "My kids were messaged by a stranger. He is 17.",
    ],
)
def test_a_number_after_a_young_person_that_is_no_childs_age_is_not_read(
    description: str,
) -> None:
    assert child_age_hits(description) == []


@pytest.mark.parametrize(
    "description",
    [
        # A review of rules 2026-12-02.9: abuse streamed live now was P4 or P2.
        "he is live streaming abuse of a child on bigo live right now",
        "man streaming himself abusing a young girl live on bigo now",
        "right now there is a live stream showing a kid being sexually abused",
        "he is live streaming sexual abuse of a child",
        "dia tengah live stream kat bigo, mendera seorang budak perempuan di bilik itu",
        "a man is abusing a little girl on bigo live right now",
        # A second review: "currently", "rn", "still happening", a past in another clause,
        # a dot in a link, a sister or an infant, a video call, the passive, "on FB live",
        # "ada live", broadcasting, a child beaten on a stream.
        "she is currently live streaming her son being sexually abused",
        "he is currently live on bigo and the sexual abuse of the girl is still happening",
        "pedo on twitch live rn molesting kid",
        "I reported this account last week and nobody acted, now he is live streaming the "
        "sexual abuse of a child again on bigo",
        "someone is streaming sexual abuse of a child on telegram right now, the stream "
        "started yesterday and is still going",
        "he is live streaming right now at tiktok.com/@abc123 the sexual abuse of a young girl",
        "he is live streaming the abuse of my little sister right now",
        "a man is live streaming the abuse of an infant on telegram right now",
        "a child is being streamed live while being molested by a man on telegram right now",
        "there is a man on FB live molesting a child",
        "ada live kat bigo skrg ni, ada pakcik buat penderaan seksual pada budak perempuan",
        "The man is currently broadcasting himself sexually abusing a small girl on his "
        "telegram channel",
        "sekarang anak saya tengah video call dengan lelaki dari telegram dan dia mencabul "
        "anak saya",
        "a man is live streaming on tiktok right now and the little boy he is physically "
        "abusing is screaming",
        # A third review (rules .12 lost these): Malay suffixes, a stream still on, one that
        # will not stop, no space after a full stop, a word of talk in another clause.
        "bapa tiri sedang buat live di tiktok sambil mendera anaknya yang kecil",
        "he is still live now on bigo and the man beside him is abusing my daughter, please hurry",
        "he will not stop streaming his abuse of my little girl, someone please help right now",
        "he won't stop live streaming the rape of my niece, please help us right now",
        "I reported him last week.Now he is live streaming the sexual abuse of a child on bigo",
        "please raise awareness, a man is live streaming the rape of a toddler on bigo right now",
    ],
)
def test_abuse_streamed_live_now_is_p1_live_streamed_abuse(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert H.LIVE_STREAMED_ABUSE in result.categories
    assert any("(live)" in r for r in result.reasons) or any("(near)" in r for r in result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        "he live streamed abuse of a child last year, now he is in jail",
        "he is streaming games now",
        "my son is live streaming minecraft right now and a stranger asked his age",
        # A review of rules 2026-12-02.10's first version: past streams, material, abuse of
        # no sexual kind, a stream of insults, a request to report.
        "yesterday he live streamed abuse of a child on bigo, now the recording is on telegram",
        "my son is streaming fortnite now and people in chat are verbally abusing him",
        "this kid is streaming on tiktok now and talking about drug abuse",
        "she gets a constant stream of abuse from classmates on instagram, even now",
        "the streamer is live now, please someone report abuse",
        "he streams child abuse videos on his channel, please take it down now",
        # A second review: content "still live", a stream that ended, abuse of no sexual
        # kind said after the verb, talk about a case, words inside words.
        "the facebook page sharing child abuse content is still live now, please take it down",
        "the account that posted the molest photos of my daughter is still live now",
        "he is not live now, he stopped streaming after abusing the child",
        "my kid is on vc now with friends, one is abusing him verbally",
        "the girl is being abused emotionally by her stepmother, she streams on tiktok now",
        "the police are live now on facebook talking about the child abuse case",
        "right now this person on the stream keeps abusing the refund glitch in roblox",
        "my ex-girlfriend is on bigo live now, for hours she has been abusing substances",
        # A third review: "currently" of no stream, abuse told in the past, years ago, a vice
        # chancellor.
        "he is currently in jail for streaming the rape of a child",
        "the account that was streaming child sexual abuse is currently suspended",
        "he raped my daughter two years ago and now he is live streaming on bigo every night",
        "12 years ago my uncle abused me, and he is currently live streaming on tiktok",
        "my son is on vc rn, his coach sexually abused him when he was small",
        "my daughter currently uses her webcam for school, she told me her teacher molested her",
        "the uitm vc is currently under investigation for sexually abusing a student",
    ],
)
def test_a_stream_with_no_abuse_going_on_is_not_p1(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority != Priority.P1
    assert not any("(live)" in r for r in result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        # A review of rules 2026-12-02.9: told of a child by another, each was P3 or P4.
        "my 14 year old daughter says she will kill herself tonight",
        "my 12 year old son is suicidal and says he will end his life tonight",
        "she is 13 and going to kill herself",
        "he threatened to kill himself after the man posted his photos",
        "i will kill myself if he sends the video to my parents",
        # A review of the first version: the same said other ways.
        "my 14 year old daughter says she will commit suicide tonight",
        "my son is threatening suicide after the video was shared",
        "my daughter wants to take her own life after he shared her photos",
        "my child says they will end their life tonight",
        "my 13 year old says they want to kill themself",
        "she says she is killing herself tonight",
        "adik saya kata dia mahu bunuh diri sebab gambar bogel dia tersebar",
        "anak saya cuba bunuh diri semalam",
        "他想结束自己的生命",
        # A second review: a threat or an attempt made before, the written Malay, a note,
        # Chinese, and the words young people use.
        "my 13 year old threatened suicide after the man leaked her photos",
        "she attempted suicide last month and now says she will try again tonight",
        "anak saya mahu membunuh diri",
        "my 14 year old daughter posted a suicide note on instagram tonight",
        "我女儿说她要跳楼",
        "she wants to unalive herself tonight",
        "she said she will hang herself",
        "she told me she wants to kill herself",
        # A third review: a child's own intent beside words of telling or "should".
        "my son keeps asking how to kill himself",
        "she feels like she should kill herself",
        "they urged him to end his life and he is standing on the bridge now",
        "the bully told her to kill herself and now she wants to",
        "the blue whale challenge group encourages kids to kill themselves, my son joined it",
    ],
)
def test_a_childs_threat_to_kill_themself_is_p1(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any("imminent-danger" in r for r in result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        "she said she would never kill herself",
        # A review of the first version: laughter, and "suicidal" as a word for others.
        "he'll kill himself laughing when he sees this meme",
        "non-suicidal self-injury content on instagram",
        "the video mocks suicidal people",
        # A second review: someone told to (cyberbullying), or people who should.
        "the bully told her to kill herself",
        "kids in the group are telling my son to kill himself",
        "He told me to go commit suicide",
        "this tiktok account posts memes about how people should kill themselves",
        # A third review: a rock-bottom price (跳楼价), zombies.
        "卖家说要跳楼价出售手机，我付了钱没收到货",
        "the game lets you unalive zombies",
    ],
)
def test_a_threat_to_kill_themself_denied_or_an_idiom_is_not_p1(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority != Priority.P1


# Rules 2026-12-02.14, from a review that ran triage on realistic reports in the four
# languages. Each list of reports that must now fire is followed by the nearby sentences that
# must not.
# 1. A child's own intent to die, as it is said in each language (each was P4, most with
# self-harm as their only category).
@pytest.mark.parametrize(
    ("description", "fragment"),
    [
        ("நான் இன்று இரவு தற்கொலை செய்து கொள்ளப் போகிறேன்", "தற்கொலை செய்து கொள்ள"),  # ta
        ("நான் தற்கொலை செய்துகொள்ள போகிறேன்", "தற்கொலை செய்துகொள்ள"),  # ta
        ("அவள் தற்கொலை செய்துக் கொள்ள போகிறாள்", "தற்கொலை செய்துக் கொள்ள"),  # ta
        ("நான் தற்கொலை பண்ணிக்க போறேன்", "தற்கொலை பண்ண"),  # ta, spoken
        ("நான் இன்னைக்கு ராத்திரி சாகப் போறேன்", "சாகப் போ"),  # ta: I'm going to die tonight
        ("நான் சாக போறேன்", "சாக போ"),  # ta
        ("நான் சாகப்போறேன்", "சாகப்போ"),  # ta
        ("எனக்கு சாக வேண்டும்", "சாக வேண்டும்"),  # ta: I want to die
        ("எனக்கு சாகணும்", "சாகணும்"),  # ta, spoken
        ("உயிரை மாய்த்துக் கொள்ளப் போகிறேன்", "உயிரை மாய்த்துக் கொள்ள"),  # ta
        ("அவள் உயிரை மாய்த்துக்கொள்ள நினைக்கிறாள்", "உயிரை மாய்த்துக்கொள்ள"),  # ta
        ("அவன் உயிரை மாய்க்க போகிறான்", "உயிரை மாய்க்க"),  # ta
        ("நான் தூக்குப் போட்டுக் கொள்வேன்", "தூக்குப் போட்டுக் கொள்"),  # ta: hang myself
        ("நான் தூக்கு போட்டு கொள்வேன்", "தூக்கு போட்டு கொள்"),  # ta
        ("நான் தூக்கு போட்டுக் கொள்வேன்", "தூக்கு போட்டுக் கொள்"),  # ta
        ("naan tharkolai pannika poren", "tharkolai pann"),  # ta, romanised
        ("naan inniku rathiri saaga poren", "saaga poren"),  # ta, romanised
        ("aval saaga pora", "saaga pora"),  # ta, romanised
        ("naan saaga poganum", "saaga poga"),  # ta, romanised
        ("她说她想死", "想死"),  # zh
        ("我好想死", "想死"),  # zh
        ("我想死了", "想死"),  # zh
        ("我想去死", "想去死"),  # zh
        ("我要去死了", "要去死"),  # zh
        ("我活不下去了", "活不下去"),  # zh
        ("我要自我了断", "自我了断"),  # zh
        ("我要自我了斷", "自我了斷"),  # zh, traditional
        ("我想轻生", "想轻生"),  # zh
        ("他想輕生", "想輕生"),  # zh, traditional
        ("她说她要轻生", "要轻生"),  # zh
        ("她說她要輕生", "要輕生"),  # zh, traditional
        ("今晚我会结束我的生命", "结束我的生命"),  # zh
        ("今晚我會結束我的生命", "結束我的生命"),  # zh, traditional
        ("我打算自杀", "打算自杀"),  # zh
        ("我打算自殺", "打算自殺"),  # zh, traditional
        ("我准备自杀", "准备自杀"),  # zh
        ("我準備自殺", "準備自殺"),  # zh, traditional
        ("我会自杀", "会自杀"),  # zh
        ("我會自殺", "會自殺"),  # zh, traditional
        ("我想割腕", "想割腕"),  # zh
        ("她说她要割腕", "要割腕"),  # zh
        ("i kill myself if he posts it", "kill myself"),
        ("he told me to kill myself and now i want to", "kill myself"),  # meant now
        ("i wanna end my life", "wanna end my life"),
        ("im gonna end my life", "gonna end my life"),
        ("i just want to end it all tonight", "end it all"),
        ("i'm going to hang myself", "hang myself"),
        ("i want to slit my wrists", "slit my wrist"),
        ("saya nak terjun bangunan", "terjun bangunan"),  # ms: jump from a building
        ("aku nak gantung diri", "gantung diri"),  # ms: hang myself
        ("aku tak nak hidup lagi", "tak nak hidup"),  # ms: I don't want to live
        ("aku x nak hidup dah", "x nak hidup"),  # ms, as typed
        ("aku tk nak hidup", "tk nak hidup"),  # ms, as typed
        ("saya nak tamatkan hidup saya", "tamatkan hidup"),  # ms
        ("my daughter is in big danger", "in big danger"),
        ("my son is in real danger", "in real danger"),
        ("என் மகள் ஆபத்துல இருக்கா", "ஆபத்துல"),  # ta, spoken: my daughter is in danger
    ],
)
def test_a_childs_own_intent_to_die_is_p1(description: str, fragment: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any(
        r.startswith("P1: imminent-danger keywords: ") and fragment in r for r in result.reasons
    )


@pytest.mark.parametrize(
    "description",
    [
        "நான் தற்கொலை செய்து கொள்ள மாட்டேன்",  # ta: I will not kill myself
        "அவள் தற்கொலை செய்துகொள்ள மாட்டாள்",  # ta: she will not
        "நான் சாகப் போவதில்லை",  # ta: I am not going to die
        "நான் தற்கொலை செய்து கொள்ளப் போவதில்லை",  # ta: I am not going to kill myself
        "நான் தற்கொலை செய்யப் போவதில்லை",  # ta (it was P1)
        "அவன் புதுசாக போட்ட வீடியோ பார்த்தேன்",  # ta: 'சாக போ' inside newly posted
        "என் மகள் ஆபத்துல இல்ல",  # ta, spoken: not in danger
        "我想死你了",  # zh: I miss you so much (it was P1)
        "我想死你们了，下次见",  # zh
        "可想死我了",  # zh: I missed you so
        "他说他不会自杀",  # zh: he will not
        "社会自杀率上升，孩子需要关注",  # zh: society's suicide rate
        "he told me to kill myself",  # cyberbullying: not the child's own threat
        "i'll kill myself laughing at this meme",
        "i would never kill myself, but he keeps messaging me",
        "I want to upskill myself this year",
        "in the end it all worked out for my son",
        "I spend it all on games, my 12 year old son says",
        "lawak gila nak mati",  # ms: funny to death
        "saya nak mati ketawa tengok video ni",  # ms: dying of laughter
        "saya tak nak bunuh diri",  # ms: I don't want to kill myself
    ],
)
def test_denials_idioms_and_words_inside_words_are_no_intent_to_die(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


def test_told_to_kill_oneself_is_still_self_harm_content() -> None:
    """'kill myself' is a self-harm keyword too: told to, it is no P1 but keeps the category."""
    result = triage(PublicReport(description="he told me to kill myself"))
    assert result.categories == [H.SELF_HARM]
    assert result.priority == Priority.P4


# 2. Words that deny danger in Chinese and Malay (each was P1), right before the danger word
# only: a negation earlier in the sentence, or a question, leaves it P1.
@pytest.mark.parametrize(
    "description",
    [
        "她已经脱离生命危险",  # zh: she is out of danger
        "送院后没有生命危险",  # zh: no danger to her life after hospital
        "送院後沒有生命危險",  # zh, traditional
        "他说他没有想自杀",  # zh
        "anak saya dah selamat, tiada lagi dalam bahaya",  # ms: no longer in danger
        "dia tidak lagi berada dalam bahaya",  # ms
        "dia x lagi dlm bahaya",  # ms, as typed
        "dia tk lagi dalam bahaya",  # ms, as typed
    ],
)
def test_chinese_and_malay_denials_of_danger_are_not_p1(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority != Priority.P1
    assert not any("imminent_danger_keywords" in r for r in result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        "没有人帮她，她有危险",  # zh: no one helps her, she is in danger
        "她是不是有危险",  # zh: is she in danger? (是不是 asks)
        "dia berada dalam bahaya sekarang",  # ms: 'berada' alone negates nothing
        "tiada siapa tolong, anak saya dalam bahaya",  # ms
    ],
)
def test_a_negation_not_right_before_the_danger_word_leaves_it_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


# 3. Touching and groping near a word for now, and spoken Tamil words for now (each was P4).
@pytest.mark.parametrize(
    ("description", "fragment"),
    [
        ("he is touching me now im scared", "touching me + now (near)"),
        ("my uncle is in my room now touching me", "touching me + now (near)"),
        ("he keeps touching her everywhere right now", "touching her + right now (near)"),
        ("he is touching my private parts right now", "touching my private + right now"),
        ("pakcik saya tengah raba saya sekarang", "raba + tengah (near)"),  # ms
        ("dia sedang meraba adik saya", "meraba + sedang (near)"),  # ms
        ("adik saya sedang diraba", "diraba + sedang (near)"),  # ms
        ("abang tiri tgh pegang2 badan aku sekarang", "pegang2 badan + sekarang (near)"),  # ms
        ("他现在正在摸我", "摸我 + "),  # zh
        ("他现在在摸我的大腿", "摸我 + 现在 (near)"),  # zh: my thigh
        ("他现在在非礼我", "非礼 + 现在 (near)"),  # zh
        ("他現在在非禮我", "非禮 + 現在 (near)"),  # zh, traditional
        ("அவன் இப்போ என்னை தவறாக தொடுகிறான்", "தவறாக தொடு + இப்போ (near)"),  # ta
        ("அவன் இப்போ என் தங்கையை பாலியல் வன்கொடுமை செய்கிறான்", "+ இப்போ (near)"),  # ta
        ("அவன் இப்ப என்னை கற்பழிக்க போறான்", "கற்பழி + இப்ப (near)"),  # ta
        ("இப்பதான் அவன் என்னை கற்பழிக்க வந்தான்", "கற்பழி + இப்பதான் (near)"),  # ta
    ],
)
def test_touching_or_groping_now_is_p1(description: str, fragment: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any(fragment in r for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "description",
    [
        "stop touching my phone now",
        "stop touching my phone now he said",
        "my daughter is touching her phone now",
        "he is retouching her photos now for the school magazine",
        "a touching message now viral about my son",
        "the video is so touching, my daughter cried now",
        "he is not touching me now",
        "kerabat diraja sekarang sedang bersidang",  # ms: 'raba' inside a word
        "seluar dia rabak sekarang",  # ms: torn
        "dia tak raba aku sekarang",  # ms: not
        "他现在在摸我的猫",  # zh: he pets my cat now
        "அவன் இப்படி பாலியல் வன்கொடுமை செய்தான்",  # ta: இப்படி (like this) is no 'now'
    ],
)
def test_touching_a_thing_inside_words_or_denied_is_not_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


# 4. Meeting a child soon: fetching and asking out, this evening, and today where a stranger
# or an online contact is named (each was P3 or P4).
@pytest.mark.parametrize(
    ("description", "fragment"),
    [
        ("lelaki tu nak jumpa anak saya harini", "jumpa + harini (near)"),  # ms
        (
            "dia kata nak jumpa anak saya hari ini, lelaki tu kenal dari tiktok",
            "jumpa + hari ini (near)",
        ),  # ms
        ("i'm going to meet an adult from discord today, im 14", "meet + today (near)"),
        ("网友今天要跟我女儿见面", "见面 + 今天 (near)"),  # zh: an online friend, today
        ("他约我女儿今天晚上见面", "+ 今天晚上 (near)"),  # zh: this evening, not 今天
        ("网友约我今晚出去，我13岁", "约我 + 今晚 (near)"),  # zh
        ("他今晚要来接我13岁的女儿", "来接 + 今晚 (near)"),  # zh
        ("he's coming to pick up my 13 year old daughter tonight", "pick up + tonight (near)"),
        ("he wants to meet my daughter this evening", "meet + this evening (near)"),
        ("dia nak jumpa adik saya petang ni", "jumpa + petang ni (near)"),  # ms
        ("a stranger wants to meet me today, im 12", "meet + today (near)"),
    ],
)
def test_meeting_a_child_soon_is_p1(description: str, fragment: str) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority == Priority.P1
    assert any(fragment in r for r in result.reasons), result.reasons


@pytest.mark.parametrize(
    "description",
    [
        "my son is meeting his friends today after school",
        "my son is meeting his friend today, he is excited",  # a bare 'he' is no stranger
        "my daughter is meeting her tutor today",
        "jumpa cikgu hari ini",  # ms: meeting the teacher today
        "anak saya nak jumpa kawan dia harini",  # ms
        "anak lelaki saya jumpa kawan hari ini",  # ms: 'anak lelaki' is a son
        "帮女儿预约今天看医生",  # zh: an appointment (预约), no 约我
        "女儿今天要见面试官，她说他很凶",  # zh: a job interviewer, a bare 他
        "can you pick up the kids today",
        "saya nak ambil anak saya lepas sekolah hari ini",  # ms: 'ambil' (take) is no meeting
        "he will not pick up my son today, a man from discord said",
        "my son is meeting his uncle today",  # family: no stranger
        # A stranger, but no child: an adult's sale.
        "a man from facebook marketplace wants to meet me today to buy my sofa",
    ],
)
def test_a_days_plans_without_a_stranger_are_not_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


# 5. Sextortion said as a condition of sending or paying, or a demand for money, with a sexual
# word that may be said in plain words (each was self-generated material, P3, or P4).
@pytest.mark.parametrize(
    "description",
    [
        "he said if i dont send more nudes he will post them online",
        "he got my nudes and now asking for money",
        "unless i send him more naked pics he will share the video",
        "dia ada gambar aku x pakai baju, dia nk sebar kalau aku tak hantar lagi",  # ms
        "dia ada video aku tak berbaju, kalau tak bayar dia sebar",  # ms
        "有人拿我的私照要钱",  # zh: wants money for my private photos
        "網友要我傳裸照，不然要公開",  # zh, traditional: or else
        "他有我没穿衣服的照片，否则就发给我同学",  # zh
        "அவன் என் ஆடை இல்லாமல் உள்ள படங்களை வைத்து பணம் கேட்கிறான்",  # ta: asks money
        "someone is threatening to leak my private photos, im 16",
    ],
)
def test_a_condition_of_sending_or_paying_is_sextortion(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.SEXTORTION in result.categories
    assert result.priority in (Priority.P1, Priority.P2)


@pytest.mark.parametrize(
    ("description", "not_expected"),
    [
        # A condition, or money, with no sexual word.
        ("my daughter's school photos were posted today, if i dont pay the school fee", None),
        ("我需要钱交学费，不然不能上学", None),  # zh: I need money for fees, or else
        ("她需要钱所以发了裸照", H.SEXTORTION),  # zh: 需要钱 (needs money) is no demand
        # Words sexual only when asked for or threatened with, beside a video and a child.
        ("private photos of my kids were posted on facebook without consent", H.CSAM),
        ("a video of her body transformation at the gym, my kids watched it", H.CSAM),
        ("the gym bro tunjuk badan, siaran langsung sedang berlangsung", None),  # ms
        # Undressed words on a live with no child named: an adult shirtless.
        ("tiktok live lelaki tak pakai baju jual ubat", H.LIVE_STREAMED_ABUSE),  # ms
    ],
)
def test_plain_and_asked_for_sexual_words_alone_make_no_ocsea(
    description: str, not_expected: H | None
) -> None:
    result = triage(PublicReport(description=description))
    assert result.priority != Priority.P1
    if not_expected is None:
        assert not OCSEA_CATEGORIES & set(result.categories)
    else:
        assert not_expected not in result.categories


# 6. Asking a child to undress, to touch themself or to show their body (each was P3 or P4).
@pytest.mark.parametrize(
    "description",
    [
        "he asked me to touch myself on cam, i'm 13",
        "他让我在视频里脱衣服，我十三岁",  # zh: he makes me undress on video, I'm 13
        "一个大人要我发内衣照片，我12岁",  # zh: underwear photos
        "அவன் என்னை உடைகளை கழற்றச் சொல்கிறான், எனக்கு 13 வயது",  # ta: tells me to undress
        "an adult on roblox keeps asking my 11 year old to send pictures of her body",
        "dia suruh aku tunjuk badan aku, aku 13 tahun",  # ms: show my body
    ],
)
def test_asking_a_child_to_undress_is_grooming_of_a_child(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.GROOMING in result.categories
    assert result.priority == Priority.P2
    assert any("(rule grooming_of_child)" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("dia suruh aku buka baju dalam video call", {H.GROOMING}),  # ms: no child named
        ("dia paksa aku hantar gambar tak berbaju", {H.GROOMING}),  # ms
        ("他叫我拍没穿衣服的照片", {H.GROOMING}),  # zh
        ("அவன் என் உடம்பை காட்டச் சொல்கிறான்", {H.GROOMING}),  # ta: tells me to show my body
        # Not live-streamed abuse for a word of undressing beside a video call (rules .15).
        ("dia suruh adik saya buka baju dalam video call", {H.GROOMING}),  # ms
        (
            "im 12 and a man asked me to show my private part on video call",
            {H.GROOMING},
        ),
    ],
)
def test_asking_to_undress_is_grooming(description: str, expected: set[H]) -> None:
    assert expected <= set(triage(PublicReport(description=description)).categories)


@pytest.mark.parametrize(
    "description",
    [
        "அவன் நிர்வாண புகைப்படம் பற்றி சொன்னான்",  # ta: he said (சொன்னான்) no request
        "அவன் ஆபாசம் பற்றி சொல்கிறான்",  # ta: he talks about obscenity
        "他让我很害怕",  # zh: he frightens me (让我, with no sexual word)
    ],
)
def test_saying_or_a_request_without_a_sexual_word_is_no_grooming(description: str) -> None:
    assert H.GROOMING not in triage(PublicReport(description=description)).categories


# 7. Material of girls and boys in Tamil and Chinese, and sex in plain words (each was P4).
@pytest.mark.parametrize(
    "description",
    [
        "டெலிகிராம் குழுவில் சிறுமிகளின் ஆபாச வீடியோக்கள் பகிரப்படுகின்றன",  # ta
        "சிறுவன் ஆபாசப் படங்கள் விற்கப்படுகின்றன",  # ta: obscene pictures of a boy
        "有人分享未成年少女的性视频",  # zh
        "群里有女童的没穿衣服的照片",  # zh
        "he sells videos of minors having sex",
        "photos of a little girl's private parts are shared in the group",
    ],
)
def test_material_of_girls_and_boys_is_csam(description: str) -> None:
    result = triage(PublicReport(description=description))
    assert H.CSAM in result.categories
    assert result.priority == Priority.P2


@pytest.mark.parametrize(
    "description",
    [
        "少女时代的演唱会视频很好看",  # zh: a girl group's concert video
        "the little girl in the video is singing a song",
        "video anak saya tunjuk badan sado di gim",  # ms: shows off his muscles
    ],
)
def test_a_girl_or_a_boy_in_a_video_with_no_sexual_word_is_no_csam(description: str) -> None:
    assert H.CSAM not in triage(PublicReport(description=description)).categories


# 8. A child telling their school year without "in", and a child called by age alone.
@pytest.mark.parametrize(
    ("description", "said"),
    [
        ("aku form 2, dia minta gambar", "aku form 2"),  # ms
        ("saya tingkatan 1", "saya tingkatan 1"),  # ms
        ("hi saya tingkatan 1 dan dia ugut saya", "saya tingkatan 1"),  # ms
        ("i'm form 3", "i'm form 3"),
        ("I am form 1 and a man keeps messaging me", "i am form 1"),
        ("my 11 year old is being messaged by a man", "my 11 year old"),
        ("an adult keeps asking my 11 year old to send pictures", "my 11 year old"),
        ("our 9yo has been getting messages from a stranger", "our 9yo"),
    ],
)
def test_a_childs_own_school_year_or_an_age_alone_names_a_child(
    description: str, said: str
) -> None:
    assert child_ages_named(PublicReport(description=description)) == [said]
    assert names_a_child_victim(PublicReport(description=description))


@pytest.mark.parametrize(
    "description",
    [
        "please fill form 2 of the application",
        "press the f2 key to rename the file",
        "my 11 year old car broke down",
        "my 5 year old laptop has a virus",
        "i'm form 3 class teacher at the school",
        "saya cikgu tingkatan 1",  # ms: a form 1 teacher
        "dulu aku form 2, sekarang aku kerja",  # ms: my own schooldays
        "my 25 year old is getting married",
    ],
)
def test_forms_keys_and_things_of_an_age_name_no_child(description: str) -> None:
    assert child_ages_named(PublicReport(description=description)) == []


# Rules 2026-12-02.15, from a review of what .14 lost or added (each below was wrong under .14).
@pytest.mark.parametrize(
    "description",
    [
        # A meeting today found first hid the one tonight right after it.
        "he wants to meet my daughter today or tonight",
        "dia nak jumpa anak saya hari ini pukul 9 malam ini",  # ms
        "他要和我女儿今天见面，今晚八点在商场",  # zh
        # Still not out of danger, and the rhetorical "isn't she in danger?".
        "我女儿仍未脱离生命危险，请帮忙",  # zh
        "我女儿被网友约出去后被打伤，现在还没脱离生命危险",  # zh
        "我的孩子不是有危险吗？为什么警察还不来",  # zh
        # Tamil "not" is a word of its own: இல்லம் (home) is none.
        "நான் இப்போது ஆபத்தில் இல்லத்தில் இருக்கிறேன்",  # ta
        # A child's own wish to die in the first person, in Tamil.
        "எனக்கு சாக வேண்டும்",  # ta
        "aku tk nak hidup",  # ms
        "a man wants to meet my 12 year old son today",
    ],
)
def test_what_rules_14_lost_is_p1_again(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


@pytest.mark.parametrize(
    "description",
    [
        # A parent's own fetch, a past meeting, a family member, "until today".
        "A man on Roblox has been sending my 10 year old daughter messages. I will pick up my "
        "daughter after school today and take her phone.",
        "Last month a man from tiktok wanted to meet my 12 year old daughter after school, we "
        "reported it to the police",
        "Lelaki itu pernah jumpa anak saya, sehingga hari ini dia masih hantar mesej",  # ms
        "Pakcik saya akan jemput anak saya lepas sekolah hari ini",  # ms: my uncle
        "Saya jemput anak saya lepas sekolah hari ini dan terus ke balai polis",  # ms
        "Kami ingin menjemput ibu bapa dan anak-anak ke ceramah keselamatan siber malam ini",
        # Figures of speech and other meanings.
        "他们的思想死板，不让孩子用手机",  # zh: rigid thinking
        "saya tak nak hidup dalam ketakutan lagi, tolong tangkap dia",  # ms: live in fear
        "anak saya tak nak hidup susah macam kami",  # ms
        "என் மகளை துன்புறுத்தியவன் சாக வேண்டும்",  # ta: the abuser must die
        "அந்த மிருகம் சாகணும்",  # ta
        # Harassment now is no abuse going on, as in English and Malay.
        "他现在一直在网上性骚扰我的女儿",  # zh
    ],
)
def test_what_rules_14_made_p1_wrongly_is_not(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


@pytest.mark.parametrize(
    ("description", "category"),
    [
        # Advice and scams with a sexual word are no sextortion.
        ("家长要注意孩子的上网习惯，不然孩子可能会接触色情内容", H.SEXTORTION),  # zh
        ("网上有很多不要钱的色情视频", H.SEXTORTION),  # zh: free porn videos
        ("Scammer wants money for a fake porn subscription", H.SEXTORTION),
        ("诈骗集团冒充警察打电话来要钱，说我看了色情网站", H.SEXTORTION),  # zh
        # Told to stop, told to report; "makes me angry".
        ("My counsellor told me to stop watching porn, i am 15", H.GROOMING),
        ("The police told me to report the porn site to MCMC", H.GROOMING),
        ("这个网站让我很生气，上面有很多色情广告", H.GROOMING),  # zh
        # 少女 as young women; "F1" as a visa or a fan.
        ("这个网站有很多美少女的色情视频，都是成年模特", H.CSAM),  # zh
        ("im f1 fan, someone sent me nude photos", H.CSAM),
        # A man shirtless on a live, seen by a child: no abuse of the child.
        (
            "Adik saya umur 12 tahun nampak seorang lelaki buat live tak pakai baju",
            H.LIVE_STREAMED_ABUSE,
        ),  # fmt: skip
    ],
)
def test_what_rules_14_categorised_wrongly_is_not(description: str, category: H) -> None:
    assert category not in triage(PublicReport(description=description)).categories


@pytest.mark.parametrize(
    "description",
    [
        "he got my nudes and now asking for money",
        "有人拿我的私照要钱",  # zh: someone wants money for my private photos
        "அவன் என் ஆடை இல்லாமல் உள்ள படங்களை வைத்து பணம் கேட்கிறான்",  # ta
        "dia ada gambar bogel aku, dia minta duit",  # ms: he has my nude pictures, asks money
    ],
)
def test_money_asked_for_ones_own_material_is_sextortion(description: str) -> None:
    assert H.SEXTORTION in triage(PublicReport(description=description)).categories


# Rules 2026-12-02.16, from a review of what .15 lost or added (each wrong under .15).
@pytest.mark.parametrize(
    "description",
    [
        "I would kill myself if he posts my nudes",
        "i swear i could kill myself right now, he posted my nudes",
        "我觉得想死",  # zh: I feel like dying (得 in 觉得)
        "我被他逼得想死",  # zh: he drove me to wanting to die
        "aku tak nak hidup macam ni lagi",  # ms: not like this any more
        "aku tak nak hidup kat dunia ni lagi",  # ms
        "aku tak nak hidup dengan malu ni, dia dah sebar gambar aku",  # ms
        "நான் இப்போதே சாக வேண்டும்",  # ta: I must die right now
        "என் மகள் சாக வேண்டும் என்று சொல்கிறாள்",  # ta: my daughter says she must die
        "a man from discord didn't meet her today but tonight he will meet my 12 year old daughter",
        "a man from discord has messaged my 12 yo son until today and wants to meet him today",
        "lelaki dari tiktok akan sampai hari ini untuk jumpa anak saya",  # ms: arrive
        "a man from tiktok will meet my 12 year old daughter after school",
        "lelaki dari tiktok nak jumpa anak saya lepas sekolah",  # ms
        "网友放学后要和我女儿见面",  # zh
        "她未完全脱离生命危险",  # zh: not yet wholly out of danger
        "நான் இப்போது ஆபத்தில் இல்லத்தில் இருக்கிறேன்",  # ta: in danger at home
    ],
)
def test_what_rules_15_lost_is_p1_again(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


@pytest.mark.parametrize(
    "description",
    [
        "她不是有危险，她在家很安全",  # zh: plain denials, as common as the question
        "我不是想死，只是很累",  # zh
        "அவள் ஆபத்துல இல்லப்பா",  # ta: spoken 'not' with a particle
        "Last month a man from tiktok wanted to meet my 12 year old daughter after school, we "
        "reported it to the police",
    ],
)
def test_what_rules_15_made_p1_wrongly_is_not(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


@pytest.mark.parametrize(
    ("description", "category", "expected"),
    [
        ("他要我给钱，不然把我的裸照发出去", H.SEXTORTION, True),  # zh
        ("dia mintak duit, kalau tak dia viralkan video lucah aku", H.SEXTORTION, True),  # ms
        ("saya f2, lelaki tu minta gambar bogel", H.CSAM, True),  # ms: a child's school year
        ("他说让我好好看看你的裸体", H.GROOMING, True),  # zh: 好好 is no feeling
        (
            "A scammer copied my photos from facebook and is asking for money from my friends",
            H.SEXTORTION,
            False,
        ),  # fmt: skip
        ("有人盗用我的照片开假账号向我朋友要钱", H.SEXTORTION, False),  # zh: impersonation
        ("Cikgu suruh anak saya buat laporan tentang bahaya pornografi", H.GROOMING, False),
        ("这个色情网站让我们很生气", H.GROOMING, False),  # zh: 让我们, let us
        ("I'm F1 visa student, someone sent me nude photos", H.CSAM, False),
    ],
)
def test_what_rules_15_categorised_wrongly(description: str, category: H, expected: bool) -> None:
    assert (category in triage(PublicReport(description=description)).categories) is expected


# Rules 2026-12-02.17, from a review of .16 (each wrong under .16).
@pytest.mark.parametrize(
    "description",
    [
        # A past word beside "today" is a groomer's story, not a past meeting.
        "A man she met online 2 weeks ago wants to meet my daughter today",
        "A stranger who messaged my 12 year old daughter yesterday wants to meet her today",
        "Semalam lelaki dari tiktok cakap dia nak jumpa anak saya 12 tahun hari ini",  # ms
        "我女儿12岁，上个月认识的陌生人今天要跟她见面",  # zh
        "நேற்று ஒரு அந்நியன் என் 12 வயது மகளுக்கு மெசேஜ் அனுப்பினான், இன்று அவளை சந்திக்க வருவான்",
    ],
)
def test_what_rules_16_lost_is_p1_again(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


@pytest.mark.parametrize(
    "description",
    [
        "My 12 year old daughter usually meets her friends after school; a man online keeps "
        "asking her for photos",  # a habit, not a plan
        "அந்த ஆள் சாகணும். என் மகள் 12 வயது",  # ta: that man must die
        "இந்த நாய் சாகணும், என் மகளை தொட்டான்",  # ta: this dog must die
        "நம்ம எல்லாரும் ஒரு நாள் சாக வேண்டும்",  # ta: we all must die one day
        "笑得想死 我14岁",  # zh: laughing so hard
        "热得想死，我的孩子12岁",  # zh: so hot
        "我想死去的妈妈，我14岁",  # zh: I miss my late mother
        "Anak saya 14 tahun, dia kata dia tak nak hidup tanpa telefon",  # ms: without a phone
    ],
)
def test_what_rules_16_made_p1_wrongly_is_not(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


@pytest.mark.parametrize(
    ("description", "category", "expected"),
    [
        (
            "lelaki tu suruh adik saya buka baju dalam video call sekarang, adik saya 10 tahun",
            H.GROOMING,
            True,
        ),  # fmt: skip
        (
            "orang tu tengah paksa adik saya 11 tahun buka baju dalam video call sekarang",
            H.GROOMING,
            True,
        ),  # fmt: skip
        ("我女儿12岁，那个网友让我们的女儿脱衣服给他看", H.GROOMING, True),  # zh: 让我们的
        ("Saya 15 tahun. Dia minta duit kalau tak dia sebar gambar saya", H.SEXTORTION, True),
        ("im 15, he wants money or he will post my pics", H.SEXTORTION, True),
        ("我15岁，他拿我的视频要钱", H.SEXTORTION, True),  # zh
        ("saya suruh anak saya padam gambar bogel", H.GROOMING, False),  # ms: the reporter
        ("Im f4 level at work and someone sent nude photos", H.CSAM, False),
        ("im f1 student from uni, a guy wants my nudes", H.CSAM, False),
    ],
)
def test_what_rules_16_categorised_wrongly(description: str, category: H, expected: bool) -> None:
    assert (category in triage(PublicReport(description=description)).categories) is expected


# Rules 2026-12-02.18, from a regression hunt of .17 against .13 (a corpus of 428 reports and
# 72 probes of the day's new words).
@pytest.mark.parametrize(
    "description",
    [
        # A wish to die typed without a comma is no "miss you" (.13 read each as P1).
        "我想死他们把我的照片发到网上了",
        "我想死大家都看到我的裸照了",
        "我想死你们别管我了",
    ],
)
def test_what_rules_17_lost_is_p1_again(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


@pytest.mark.parametrize(
    "description",
    [
        "考试考砸了，想死的心都有了",  # zh: failed an exam, "I could die"
        "I'm in big danger of missing my flight",
    ],
)
def test_figures_of_speech_with_the_days_new_words_are_not_p1(description: str) -> None:
    assert triage(PublicReport(description=description)).priority != Priority.P1


@pytest.mark.parametrize(
    ("description", "category", "expected"),
    [
        (
            "Seller on Shopee keeps asking for money for my nude colour lipstick order",
            H.SEXTORTION,
            False,
        ),  # fmt: skip
        (
            "I'm 16 and the photographer wants money before giving me my photos",
            H.SEXTORTION,
            False,
        ),  # fmt: skip
        ("不要在网上分享不雅照片，不然会触犯法律", H.SEXTORTION, False),  # zh: a school notice
        ("My 10 year old asked me to explain what porn is", H.GROOMING, False),
        ("妈妈叫我不要在网上看色情网站，我13岁", H.GROOMING, False),  # zh: mum told me not to
        ("mak suruh aku delete gmbr lucah dalam phone", H.GROOMING, False),  # ms: mum
        # A stepparent is no carer here; a stranger's request stays grooming.
        (
            "Ayah tiri suruh anak saya buka baju dalam video call sekarang, anak saya 10 tahun",
            H.GROOMING,
            True,
        ),  # fmt: skip
        ("pakcik saya suruh adik buka baju skrg, adik 9 tahun", H.GROOMING, True),  # ms
        ("he asked me to send nudes, im 14", H.GROOMING, True),
        ("photos of a little girl's private parts are shared in the group", H.CSAM, True),
    ],
)
def test_what_rules_17_categorised_wrongly(description: str, category: H, expected: bool) -> None:
    assert (category in triage(PublicReport(description=description)).categories) is expected


# Rules 2026-12-02.19, from a review of .18: its guards hid real abuse (each wrong under .18).
@pytest.mark.parametrize(
    "description",
    [
        "he is so touching me now im scared, im 12",
        "pakcik tu meraba-raba badan saya sekarang, saya 10 tahun",  # ms: groping
        "我活不下去了 哈哈 他们都笑我",  # zh: bitter laughter
        "நான் சாகப் போறேன் போல இருக்கு, அவன் என் படங்களை பரப்பிவிட்டான்",  # ta
    ],
)
def test_what_rules_18_lost_is_p1_again(description: str) -> None:
    assert triage(PublicReport(description=description)).priority == Priority.P1


@pytest.mark.parametrize(
    ("description", "category"),
    [
        ("爸爸叫我脱衣服，我12岁", H.GROOMING),  # zh: a father's request to undress
        ("老师叫我脱衣服拍照，我13岁", H.GROOMING),  # zh: a teacher's
        ("ayah suruh aku buka baju, aku 10 tahun", H.GROOMING),  # ms
        ("teacher asked me to touch myself on cam, i'm 13", H.GROOMING),
        ("cikgu suruh anak saya buka baju dalam video call, anak saya 12 tahun", H.GROOMING),
        ("ada orang jual video kanak-kanak tanpa baju dalam group telegram", H.CSAM),  # ms
        ("群里有人分享男童脱衣视频", H.CSAM),  # zh
        (
            "he said he is a photographer, took my photos and now wants money or he will post them, im 14",
            H.SEXTORTION,
        ),  # fmt: skip
        ("Saya 15 tahun. Dia minta duit kalau tak dia cetak dan sebar gambar saya", H.SEXTORTION),
    ],
)
def test_what_rules_18_hid(description: str, category: H) -> None:
    assert category in triage(PublicReport(description=description)).categories
