"""Triage rules: harm categories and a P1..P4 priority with the reasons that fired."""

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from contracts.cases import Triage
from contracts.enums import HarmCategory, Priority
from contracts.reports import NgoReferral, PlatformReport, PublicReport, VictimInfo
from streams.child_mentions import (
    CHILD_AGE_LIMIT,
    child_age_hits,
    child_mention_spans,
    photo_request_hits,
    school_child_hits,
    under_age_hits,
)
from streams.normalise import given_reference
from streams.textmatch import fold, negated, negation_in, occurrences, word_starts_at

RULES_VERSION = "2026-12-02.19"

AnyReport = PublicReport | PlatformReport | NgoReferral
H = HarmCategory

PRIORITY_ORDER: tuple[Priority, ...] = tuple(Priority)  # most urgent first

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

# Intimate material by name: a category word of NCII and a sexual word (SEXUAL_WORDS), so
# that "intimate video of an underage girl" is CSAM (CSAM_TRIPLE), "threatened to leak her
# intimate photos" sextortion. Not "intimate" or "intim" alone: "intimate partner", "kawan
# intim" (a close friend), "私密群组" (a private group). Rules 2026-12-01.4.
INTIMATE_MATERIAL_WORDS: tuple[str, ...] = (
    "intimate image", "intimate photo", "intimate pic", "intimate video", "intimate clip",  # en
    "intimate content", "intimate material", "intimate selfie", "intimate footage",  # en
    "intimate recording", "sex tape", "sextape", "sex video",  # en
    "gambar intim", "foto intim", "video intim", "klip intim", "rakaman intim",  # ms
    "video seks",  # ms
    "私密照", "私密视频", "私密視頻", "私密影片", "性爱视频", "性愛視頻", "性愛影片",  # zh
    "அந்தரங்க புகைப்பட", "அந்தரங்கப் புகைப்பட", "அந்தரங்க வீடியோ", "அந்தரங்க பட",  # ta
)  # fmt: skip

# Matched as casefolded substrings: Malay affixes (meng-ugut, di-ugut, ugut-an) and the
# unspaced Chinese and agglutinative Tamil scripts defeat word boundaries. Keep terms specific:
# each line was checked against ordinary sentences (tests/unit/test_triage.py, ORDINARY).
# ms = Bahasa Melayu, en = English, zh = Chinese (simplified and traditional), ta = Tamil.
# Ambiguous words ("live stream", "直播", "deepfake", "threaten", "send me") are not listed
# here: they count only next to a sexual word (CATEGORY_KEYWORD_PAIRS below).
CATEGORY_KEYWORDS: dict[HarmCategory, tuple[str, ...]] = {
    # OCSEA terms (ECPAT Terminology Guidelines) first.
    H.CSAM: (
        "csam", "child porn", "child sexual abuse material", "child abuse material",  # en
        "child abuse image", "child abuse video", "underage porn",  # en
        "pornografi kanak-kanak", "bahan penderaan seksual kanak-kanak",  # ms
        "porno kanak-kanak", "lucah kanak-kanak", "bogel kanak-kanak",  # ms
        "儿童色情", "兒童色情", "儿童裸照", "兒童裸照", "未成年色情", "未成年人色情",  # zh
        "குழந்தை ஆபாச", "சிறுவர் ஆபாச", "குழந்தைகள் ஆபாச", "குழந்தைகளின் ஆபாச",  # ta
        "சிறார் ஆபாச",  # ta
        "child sexual exploitation", "eksploitasi seksual kanak-kanak",  # en, ms
        "儿童性剥削", "兒童性剝削",  # zh
    ),
    H.AI_GENERATED_CSAM: (
        "nudify", "undress app", "ai csam",  # en
        "bogel palsu", "lucah palsu",  # ms: fake nude, fake obscene
        "一键脱衣", "一鍵脫衣", "ai脱衣", "ai脫衣", "脱衣软件", "脫衣軟體",  # zh
        "போலி நிர்வாண",  # ta: fake naked
    ),
    # A nude image in a report to this hub is presumed to be of a child, most often made by
    # the child (groomed or extorted), as is_child_victim presumes a child.
    H.SELF_GENERATED_SEXUAL_MATERIAL: (
        "nudes", "nude photo", "nude pic", "nude image", "nude video", "nude selfie",  # en
        "naked photo", "naked pic", "naked image", "naked video", "naked selfie",  # en
        "explicit photo", "explicit pic", "explicit image", "explicit video",  # en
        "sexting", "self-generated",  # en
        "gambar bogel", "foto bogel", "video bogel", "swafoto bogel",  # ms
        "gambar lucah", "foto lucah", "video lucah",  # ms
        "裸照", "裸体照", "裸體照", "裸露照", "不雅照", "不雅视频", "不雅視頻", "不雅影片",  # zh
        "裸聊",  # zh: naked video chat
        "நிர்வாண புகைப்பட", "நிர்வாணப் புகைப்பட", "நிர்வாண பட", "நிர்வாணப் பட",  # ta
        "நிர்வாண வீடியோ", "ஆபாச புகைப்பட", "ஆபாசப் புகைப்பட",  # ta
        # Rules 2026-12-02.14: an obscene video, an obscene picture ("சிறுமிகளின் ஆபாச
        # வீடியோக்கள் பகிரப்படுகின்றன", obscene videos of girls are shared, was P4).
        "ஆபாச வீடியோ", "ஆபாசப் பட",  # ta
    ),
    # H.LIVE_STREAMED_ABUSE: only in CATEGORY_KEYWORD_PAIRS ("live stream" + "abuse").
    H.GROOMING: (
        "grooming", "groomed", "online predator", "child predator", "sexual predator",  # en
        # A paedophile, and its slang (whole words: "torpedo", "pedometer"). 2026-12-01.4.
        "pedophil", "paedophil", "pedo", "pedos", "paedo", "paedos",  # en
        "pedofil",  # ms: pedofil, pedofilia
        "恋童", "戀童",  # zh: 恋童癖
        "for nudes", "for nude pic", "for nude photo", "for naked pic", "for naked photo",  # en
        "dandanan seksual", "memujuk kanak-kanak",  # ms
        "诱骗", "誘騙", "被引诱", "被引誘", "被人引诱", "被人引誘",  # zh
        "பாலியல் நோக்க",  # ta: with sexual intent
        "நிர்வாண புகைப்படம் கேட்", "நிர்வாண படம் கேட்", "நிர்வாணப் படம் கேட்",  # ta: asks for
    ),
    H.SEXTORTION: (
        "sextortion", "sextort", "sexual extortion", "blackmail",  # en
        "ugut",  # ms: also catches mengugut, diugut, peras ugut
        "勒索", "敲诈", "敲詐", "威胁公开", "威脅公開",  # zh: 勒索 also catches 性勒索
        "மிரட்ட",  # ta
    ),
    # Code of Conduct harm categories.
    H.NON_CONSENSUAL_INTIMATE_CONTENT: INTIMATE_MATERIAL_WORDS
    + (
        "revenge porn", "leaked nudes", "leaked my nudes",  # en
        "pornografi balas dendam",  # ms
        "sebar gambar bogel", "sebarkan gambar bogel", "sebar video lucah",  # ms
        "sebarkan video lucah",  # ms
        "复仇色情", "復仇色情", "泄露裸照", "洩露裸照", "散布裸照", "散佈裸照", "偷拍",  # zh
    ),
    H.ONLINE_SCAM: (
        "scam", "fraud", "phishing",  # en
        "penipuan", "skim cepat kaya", "pelaburan palsu",  # ms
        "诈骗", "詐騙", "骗钱", "騙錢", "钓鱼网站", "釣魚網站",  # zh
        "மோசடி",  # ta
    ),
    H.BULLYING_HARASSMENT: (
        "bully", "bullied", "harass", "stalking", "stalker",  # en
        "dibuli", "membuli", "pembuli", "kena buli", "buli siber",  # ms: not bare buli(mia)
        "gangguan seksual", "gangguan siber",  # ms
        "霸凌", "欺凌", "网络暴力", "網絡暴力", "網路暴力", "网暴", "網暴", "骚扰", "騷擾",  # zh
        "துன்புறுத்த", "பகடிவதை", "கொடுமைப்படுத்த",  # ta
    ),
    H.VIOLENCE_EXTREMISM_TERRORISM: (
        "terrorist", "terrorism", "extremis", "radicalis", "radicaliz",  # en: not terroris(ing)
        "incite violence",  # en
        "inciting violence", "mass shooting",  # en
        "pengganas", "ekstremis", "militan", "hasutan keganasan", "menghasut keganasan",  # ms
        "恐怖主义", "恐怖主義", "恐怖分子", "恐袭", "恐襲", "极端主义", "極端主義",  # zh
        "煽动暴力", "煽動暴力",  # zh
        "பயங்கரவாத", "தீவிரவாத", "வன்முறையைத் தூண்ட", "வன்முறையை தூண்ட",  # ta
    ),
    H.SELF_HARM: (
        "self-harm", "self harm", "suicide", "suicidal", "kill myself", "end my life",  # en
        "cutting myself", "cutting herself", "cutting himself",  # en
        "bunuh diri", "cederakan diri", "tamatkan hidup", "kelar tangan",  # ms
        "自杀", "自殺", "自残", "自殘", "割腕", "轻生", "輕生", "不想活",  # zh
        "தற்கொலை", "உயிரை மாய்",  # ta
    ),
    H.HATE_SPEECH: (
        "hate speech", "racist", "racial slur", "religious hatred",  # en
        "ucapan kebencian", "hasutan perkauman", "kenyataan perkauman", "hina agama",  # ms
        "仇恨言论", "仇恨言論", "种族歧视", "種族歧視", "煽动仇恨", "煽動仇恨",  # zh
        "வெறுப்பு பேச்சு", "வெறுப்புப் பேச்சு", "இனவெறி", "சாதிவெறி",  # ta
    ),
    H.ILLEGAL_DRUGS: (
        "cocaine", "methamphetamine", "ketamine", "marijuana", "cannabis",  # en: not heroin(e)
        "selling drugs", "drugs for sale", "drug dealer",  # en
        "dadah", "syabu", "pil kuda", "daun ganja", "daun ketum", "air ketum",  # ms: not
        "kanabis",  # ms: bare ganja(ran) or ketum(bar); dadah is illicit drugs, not medicine
        "毒品", "贩毒", "販毒", "冰毒", "吸大麻", "卖大麻", "賣大麻",  # zh: not 大麻(烦)
        "摇头丸", "搖頭丸",  # zh
        "போதைப்பொருள்", "போதைப் பொருள்", "கஞ்சா",  # ta
    ),
    H.MANIPULATED_MEDIA: (
        "deepfake", "deep fake", "face swap", "faceswap", "doctored photo",  # en: not bare
        "doctored video",  # en: "ai-generated" (AI art is ordinary; see GENERATED_WORDS)
        "video palsu", "gambar palsu",  # ms (and "deepfake", as in en)
        "深度伪造", "深度偽造", "深伪", "深偽", "换脸", "換臉",  # zh
        "டீப்ஃபேக்", "டீப் ஃபேக்", "போலி வீடியோ", "போலி புகைப்பட",  # ta
    ),
}  # fmt: skip

# Words that make an ambiguous word count: sexual content, and abuse.
SEXUAL_WORDS: tuple[str, ...] = (
    "nude", "naked", "sexual", "porn", "csam",  # en
    "bogel", "lucah", "seksual",  # ms
    "裸照", "裸体", "裸體", "裸聊", "色情", "不雅",  # zh
    "நிர்வாண", "ஆபாச", "பாலியல்",  # ta
) + INTIMATE_MATERIAL_WORDS  # fmt: skip
# Sexual abuse, or abuse of a child: not abuse alone, which a gamer's insults or an
# animal-cruelty stream are too ("verbally abused during a live stream" is no OCSEA).
ABUSE_WORDS: tuple[str, ...] = (
    "sexual abuse", "sexually abus", "child abuse", "abusing a child", "abusing children",  # en
    "molest", "rape", "raping",  # en
    "penderaan seksual", "penderaan kanak-kanak", "mendera kanak-kanak", "cabul",  # ms
    "rogol",  # ms
    "性虐", "性侵", "猥亵", "猥褻", "强奸", "強姦", "强暴", "強暴", "虐待儿童", "虐待兒童",  # zh
    "虐童", "儿童虐待", "兒童虐待",  # zh
    "பாலியல் துஷ்பிரயோக", "பாலியல் வன்கொடுமை", "குழந்தை துஷ்பிரயோக",  # ta
    "கற்பழி", "வன்புணர்",  # ta: rape (கற்பழித்தான், வன்புணர்வு); 2026-12-01.4
)  # fmt: skip
SEXUAL_ABUSE_WORDS = SEXUAL_WORDS + ABUSE_WORDS
# Rules 2026-12-02.14: nakedness, undressing and sex in plain words. "dia ada gambar aku x
# pakai baju, dia nk sebar kalau aku tak hantar lagi" (he has a picture of me undressed and
# will spread it unless I send more) was P4, "他让我在视频里脱衣服，我十三岁" (he makes me undress
# on video, I'm 13) P3 with no category, "he sells videos of minors having sex" P4. A request
# or a threat (SOUGHT_WORDS) and material of children (CSAM_TRIPLE) read them as sexual words;
# a live or a video call only where a child is named (_categories): a man who "buat live tak
# pakai baju" (goes live shirtless) is no abuse. Not "underwear" alone (a shop's advert).
PLAIN_SEXUAL_WORDS: tuple[str, ...] = (
    "private part", "having sex", "touch myself", "touch yourself",  # en
    "tak pakai baju", "x pakai baju", "tak berbaju", "tanpa baju", "tak berpakaian",  # ms
    "buka baju", "bukak baju", "tanggal baju",  # ms
    "没穿衣服", "沒穿衣服", "脱衣", "脫衣", "内衣照", "內衣照", "性视频", "性視頻",  # zh
    "ஆடை இல்லாமல்", "ஆடையில்லாமல்", "உடைகளை கழற்ற",  # ta: without clothes, to undress
)  # fmt: skip
# Sexual only as what someone asks a child for or threatens with: "keeps asking my 11 year
# old to send pictures of her body" and "有人拿我的私照要钱" (someone wants money for my private
# photos) were P4. Not beside a video and a child ("private photos of my kids", a family
# album, would be CSAM), nor "tunjuk badan" (showing off one's body) at a gym.
ASKED_FOR_WORDS: tuple[str, ...] = (
    "private photo", "private pic", "of her body", "of his body", "of your body",  # en
    "tunjuk badan",  # ms
    "私照",  # zh
    "உடம்பை காட்ட",  # ta: to show the body
)  # fmt: skip
SOUGHT_WORDS = SEXUAL_WORDS + PLAIN_SEXUAL_WORDS + ASKED_FOR_WORDS
# For imminent danger, any abuse going on now counts: a person being abused right now is an
# emergency whoever it is, and a missed one costs more than a call that was not needed.
ABUSE_NOW_WORDS: tuple[str, ...] = ABUSE_WORDS + (
    "abuse", "abusing", "penderaan", "didera", "mendera", "虐待", "துஷ்பிரயோக", "வன்கொடுமை",
    # Rules 2026-12-02.14: touching and groping, near a word for now: "he is touching me now
    # im scared", "pakcik saya tengah raba saya sekarang", "他现在正在摸我" were P4. Not
    # "touching my" alone ("stop touching my phone now"), nor a thing of hers
    # (OTHER_MEANING_AFTER).
    "touching me", "touching her", "touching him", "touching my private",  # en
    "raba", "meraba", "diraba", "pegang2 badan",  # ms
    "非礼", "非禮", "摸我",  # zh (not 性骚扰, harassment, as "sexual harassment" is not)
    "தவறாக தொடு",  # ta: touches wrongly
)  # fmt: skip
# A video call is live too: abuse shown to a caller is live-streamed abuse (2026-12-01.4:
# "on stream", "video call", "vc", "buat live", "tiktok live", "bigo live" were no category).
LIVE_WORDS: tuple[str, ...] = (
    "live stream", "livestream", "live-stream", "live video", "live broadcast",  # en
    "streaming live", "webcam", "on stream", "video call", "tiktok live", "bigo live",  # en
    "vc",  # en, ms: a video call, as typed (whole word: not "vcd", "mvc")
    "siaran langsung", "strim langsung", "penstriman langsung", "buat live",  # ms
    "panggilan video",  # ms
    "直播", "视频通话", "視頻通話", "視訊通話",  # zh
    "நேரலை", "லைவ்", "நேரடி ஒளிபரப்பு", "வீடியோ கால்",  # ta
)  # fmt: skip
GENERATED_WORDS: tuple[str, ...] = (
    "deepfake", "deep fake", "ai-generated", "ai generated", "face swap", "faceswap",  # en
    "dijana ai", "janaan ai",  # ms (and "deepfake", as in en)
    "深度伪造", "深度偽造", "深伪", "深偽", "ai生成", "换脸", "換臉", "合成",  # zh
    "டீப்ஃபேக்", "டீப் ஃபேக்", "செயற்கை நுண்ணறிவு மூலம்", "ai மூலம்",  # ta
)  # fmt: skip
REQUEST_WORDS: tuple[str, ...] = (
    "send me", "asked her to send", "asked him to send", "asks her to send",  # en
    "asks him to send", "asking her to send", "asking him to send",  # en
    "minta gambar", "minta foto", "minta video", "suruh hantar", "pujuk hantar",  # ms
    "paksa hantar",  # ms
    "索要", "索取", "要她发", "要他发", "让她发", "讓她發", "让他发", "讓他發",  # zh
    "要我发", "要我發", "叫我发", "叫我發", "让我发", "讓我發",  # zh: asks me to send
    "அனுப்பச் சொல்", "அனுப்ப சொல்", "அனுப்புமாறு", "அனுப்பும்படி",  # ta: asks to send
    # Rules 2026-12-02.14: a request for more than a picture, with a sexual word anywhere:
    # "he asked me to touch myself on cam, i'm 13", "dia suruh aku buka baju dalam video call"
    # and "அவன் என்னை உடைகளை கழற்றச் சொல்கிறான்" (he tells me to undress) were P3 or P4, no
    # category. Not the bare சொல்கிறான், சொன்னான் (he says, he said).
    # Not "told me to" ("my counsellor told me to stop watching porn"; a review of .14).
    "asked me to", "asks me to", "wants me to", "asking my", "asked my",  # en
    "suruh aku", "suruh saya", "paksa aku", "paksa saya",  # ms
    # ms: a parent's report (.15); not what a carer tells a child to do with such material
    # ("cikgu suruh anak saya buat laporan", "saya suruh anak saya padam": _CARERS_ASK_MS).
    "suruh anak", "suruh adik", "paksa anak", "paksa adik",  # ms
    "叫我", "要我", "让我", "讓我",  # zh (让我 not as "makes me feel": _FEELING_ZH)
    "கழற்றச் சொல்", "கழற்ற சொல்", "காட்டச் சொல்", "காட்ட சொல்",  # ta: to undress, to show
)  # fmt: skip
THREAT_WORDS: tuple[str, ...] = (
    "threaten", "extort",  # en: threatens, threatened, threatening
    "ancam",  # ms: mengancam, diancam, ancaman
    "威胁", "威脅", "要挟", "要挾",  # zh
    "அச்சுறுத்த",  # ta
    # Rules 2026-12-02.14: the threat said as a condition of sending or paying, or a demand
    # for money: "he said if i dont send more nudes he will post them online", "he got my
    # nudes and now asking for money", "網友要我傳裸照，不然要公開" (send nudes, or he makes
    # them public) were self-generated material, P3, and no sextortion.
    "if i dont send", "if i don't send", "if i don’t send", "unless i send",  # en
    "if i dont pay", "if i don't pay", "if i don’t pay", "unless i pay",  # en
    "kalau tak hantar", "kalau x hantar", "kalau aku tak hantar", "kalau aku x hantar",  # ms
    "kalau saya tak hantar", "kalau tidak hantar", "kalau tak bayar", "kalau x bayar",  # ms
    "kalau tidak bayar",  # ms
    # Or else: "不然要公開" (or he makes them public), "不然把我的裸照发出去". Not advice's
    # ("…，不然孩子可能会接触色情内容": OTHER_MEANING_AFTER; reviews of .14 and .15).
    "不然", "否则", "否則",  # zh
    "kalau tak dia", "kalau x dia", "kalau tidak dia",  # ms: or else he (.15)
    "இல்லையென்றால்", "இல்லைன்னா", "miratt",  # ta: or else; மிரட்டு romanised
)  # fmt: skip


# Material of children being abused, said in plain words: a word for pictures or videos, a
# word of sexual abuse and a word for children, anywhere in the text ("selling videos of kids
# being molested", "video budak kena rogol tersebar") is CSAM (each was P4, no category).
MEDIA_WORDS: tuple[str, ...] = (
    "video", "photo", "picture", "pics", "image", "clip",  # en
    "gambar", "foto", "klip",  # ms
    "视频", "視頻", "照片", "图片", "圖片", "影片",  # zh
    "வீடியோ", "புகைப்பட", "படங்க",  # ta
)  # fmt: skip
CHILDREN_WORDS: tuple[str, ...] = (
    "child", "children", "kids", "minors", "underage", "toddler",  # en
    "budak", "kanak-kanak", "bawah umur",  # ms
    "儿童", "兒童", "小孩", "幼女", "幼童", "未成年",  # zh
    "குழந்தை", "சிறுவர்", "சிறார்",  # ta
    # Rules 2026-12-02.14: a girl, a boy ("有人分享未成年少女的性视频", someone shares sex videos
    # of under-age girls, was P4).
    # Not 少女 (a young woman as much: "美少女", adult models; "少女时代", a band).
    "little girl", "little boy", "女童", "男童", "சிறுமி", "சிறுவன்",  # en, zh, ta
)  # fmt: skip
# (Undressing words count: sold or shared videos of children undressed are CSAM; a review of
# .18. A video of children swimming shirtless reads so too: owed a decision.)
CSAM_TRIPLE: tuple[tuple[str, ...], ...] = (
    MEDIA_WORDS,
    SEXUAL_ABUSE_WORDS + PLAIN_SEXUAL_WORDS,
    CHILDREN_WORDS,
)
_VIDEO_GAME = re.compile(r"video ?games?|permainan video|电子游戏|電子遊戲")
# "CP", slang for CSAM, only as material traded or shown ("selling cp", "jual cp", "cp links",
# "cp videos"): it is also cerebral palsy ("my son has CP"), a checkpoint, a pairing, and Call
# of Duty Mobile's points, which children buy and sell ("jual CP CODM murah"; CSAM_SLANG_NOT
# below). Rules 2026-12-01.4: "he sells cp on telegram" was P4, no category.
CSAM_SLANG = re.compile(
    r"\b(?:sell|sells|selling|sold|buy|buys|buying|bought|trade|trades|trading|traded|share"
    r"|shares|sharing|shared|send|sends|sending|sent|post|posts|posting|posted|collects?"
    r"|collecting|download\w*|jual|menjual|dijual|beli|membeli|tukar|kongsi|berkongsi"
    r"|sebar\w*|hantar)\s+(?:(?:some|more|free|new|kid|kiddie|child|baby|budak)\s+)?cp\b"
    r"|\bcp\s+(?:links?|videos?|vids?|pics?|photos?|images?|content|folders?|collections?"
    r"|files?|materials?|channels?|sellers?|trading|gambar|video|link|pautan|bahan)\b"
)
CSAM_SLANG_NOT = re.compile(r"\b(?:codm|cod|call of duty|top ?up|topup|reload)\b")

# A category fires when a word of each half of its pair occurs anywhere in the text.
KeywordPair = tuple[tuple[str, ...], tuple[str, ...]]
CATEGORY_KEYWORD_PAIRS: dict[HarmCategory, KeywordPair] = {
    H.LIVE_STREAMED_ABUSE: (LIVE_WORDS, SEXUAL_ABUSE_WORDS),
    H.AI_GENERATED_CSAM: (GENERATED_WORDS, SEXUAL_ABUSE_WORDS),
    H.GROOMING: (REQUEST_WORDS, SOUGHT_WORDS),
    H.SEXTORTION: (THREAT_WORDS, SOUGHT_WORDS),
}
# Rules 2026-12-02.15: money asked for the reporter's own material is sextortion too ("he got
# my nudes and now asking for money", "有人拿我的私照要钱" were self-generated material, P3).
# Not money beside any sexual word, as in .14: a scam selling porn is none (a review).
MONEY_WORDS: tuple[str, ...] = (
    "asking for money", "asks for money", "asked for money", "wants money", "demands money",
    "demanding money", "minta duit", "mintak duit", "minta wang",  # en, ms
    "要钱", "要錢",  # zh
    "பணம் கேட்",  # ta: asks for money
)  # fmt: skip
OWN_MATERIAL_WORDS: tuple[str, ...] = (
    # Intimate only: "copied my photos ... asking my friends for money" is an impersonation
    # scam (a review of .15).
    "my nudes", "my nude photo", "my nude pic", "my nude video", "my naked",  # en
    "my private photo", "my private pic",  # en (not "my nude colour lipstick")
    "my intimate", "my sexy",  # en
    "gambar bogel aku", "gambar bogel saya", "video bogel aku", "video bogel saya",  # ms
    "gambar lucah aku", "gambar lucah saya", "video lucah aku", "video lucah saya",  # ms
    "我的私照", "我的裸照", "我的不雅照", "我的不雅视频", "我的不雅視頻",  # zh
    "என் ஆடை இல்லாமல்", "என் நிர்வாண",  # ta
)  # fmt: skip
MONEY_FOR_MATERIAL: KeywordPair = (MONEY_WORDS, OWN_MATERIAL_WORDS)
# Plain words for one's pictures count where a child is named and the report tells of no
# impersonation: "Saya 15 tahun. Dia minta duit kalau tak dia sebar gambar saya", "im 15, he
# wants money or he will post my pics" were P3 under .16; "a scammer copied my photos ...
# asking my friends for money" and "Penjual minta duit tambahan, gambar saya produk rosak"
# are no sextortion (reviews of .15 and .16).
OWN_PLAIN_MATERIAL_WORDS: tuple[str, ...] = (
    "my photos", "my pics", "my pictures", "my videos",  # en
    "gambar aku", "gambar saya", "video aku", "video saya",  # ms
    "我的照片", "我的视频", "我的視頻", "我的影片",  # zh
    "என் படங்க", "என்னுடைய படங்க",  # ta
)  # fmt: skip
# A threat beside a trade's or an impersonator's words is sextortion still ("he said he is a
# photographer ... wants money or he will post them"; a review of .18).
_OR_ELSE: tuple[str, ...] = (
    "or he will", "or he'll", "or she will", "or else", "kalau tak", "kalau x", "kalau tidak",
    "不然", "否则", "否則", "இல்லைன்னா", "இல்லையென்றால்",
)  # fmt: skip
IMPERSONATION_WORDS: tuple[str, ...] = (
    # And a trade's own ("the photographer wants money before giving me my photos", "kedai
    # gambar minta duit cetak gambar saya untuk pasport"; a regression hunt).
    "photographer", "photo studio", "photo shop", "passport", "pasport", "kedai gambar",
    "jurugambar", "cetak", "照相馆", "照相館", "影楼", "影樓",
    "copied my", "fake account", "fake profile", "impersonat", "pretending to be me",  # en
    "akaun palsu", "profil palsu", "menyamar",  # ms
    "盗用", "盜用", "假账号", "假帳號", "冒充",  # zh
    "போலி கணக்கு",  # ta
)  # fmt: skip

# Rules 2026-12-02.3: abuse said in the simple present with its victim goes on: "he rapes
# her, i can't stop him now" was P4 (the now word 26 characters away), as "my uncle molests
# me every night" was; and abuse that keeps on ("he keeps raping her", "he has been molesting
# me since i was 10"). Not "raped her", a bare "rapes", nor "had been raping" (past); whole
# words ("grapes her", "housekeeps"). A headline's "man rapes his daughter" is P1 too.
ABUSE_OF_A_VICTIM_GOING_ON: tuple[str, ...] = tuple(
    f"{verb} {victim}"
    for verb in ("rapes", "molests", "sexually abuses", "sexually assaults")
    for victim in ("her", "him", "me", "my", "us", "our", "his", "them", "their", "ma")
) + tuple(
    f"{going} {abusing}"
    for going in ("keeps", "keep", "has been", "have been", "'s been", "’s been", "hes been")
    for abusing in ("raping", "molesting", "sexually abusing", "sexually assaulting")
) + ("hes raping", "hes molesting", "கற்பழிக்கிற")  # fmt: skip

# Words that say a child is at risk right now: any hit makes the report P1,
# unless the hit sits inside a simple negation (NEGATIONS_BEFORE, NEGATIONS_AFTER).
# Since 2026-12-01.1 also the words people use for the issue's own "imminent danger": "in
# imminent (immediate) danger" holds no "in danger", nor "dalam keadaan bahaya" "dalam
# bahaya", "处于危险" "有危险", "ஆபத்தான நிலையில்" "ஆபத்தில்", and "malam ni" is how "malam
# ini" (tonight) is typed: each such report was P3 or P4, with no emergency response.
# Since 2026-12-01.4 a wish to die and an abduction, each of which was P4. "Want to die" is
# P1 even where it may be a figure of speech ("nak mati" is also "penat nak mati", tired to
# death): a report to a child-protection hub that says it is more often a child's, and a P1
# not needed costs a police call where one missed may cost a child. Only laughter is left out
# (OTHER_MEANING_AFTER); "want to die of shame" stays, as a sextorted child says it.
IMMINENT_DANGER_KEYWORDS: tuple[str, ...] = (
    "in danger", "kidnap", "meet tonight", "meeting tonight", "going to kill myself",  # en
    "want to kill myself", "wanna kill myself", "want to end my life",  # en
    "in grave danger", "in serious danger", "in great danger", "in big danger",  # en
    "in real danger",  # en: rules 2026-12-02.14 ("my daughter is in big danger" was P4)
    "dlm bahaya", "nk bunuh diri",  # ms: as typed on a phone
    # Rules 2026-12-02.14: 想死 (want to die), not only 我想死: "她说她想死", "我好想死" were
    # P4. Not before whom one misses: "我想死你了" (I miss you so much) was P1
    # (OTHER_MEANING_AFTER).
    "想死", "很危险", "很危險",  # zh
    "abused right now", "being abused now", "in imminent danger", "in immediate danger",  # en
    "dalam bahaya", "dalam keadaan bahaya", "culik", "jumpa malam ini", "jumpa malam ni",  # ms
    "nak bunuh diri", "sedang didera", "sedang dicabul", "sedang dirogol",  # ms
    "有危险", "有危險", "处于危险", "處於危險", "生命危险", "生命危險",  # zh
    "绑架", "綁架", "想自杀", "想自殺",  # zh
    "正在被虐待", "正在被性侵", "正在被侵犯", "正在被猥亵", "正在被猥褻",  # zh
    "ஆபத்தில்", "ஆபத்தான நிலையில்",  # ta
    "ஆபத்துல",  # ta: spoken (rules 2026-12-02.14: "என் மகள் ஆபத்துல இருக்கா" was P4)
    # 2026-12-01.4: a wish to die, an abduction.
    "want to die", "wants to die", "wanna die", "abduct",  # en: abducted, abduction
    "nak mati", "nk mati",  # ms (whole words: not "anak mati", "nak matikan lampu")
    "要自杀", "要自殺", "不想活",  # zh: 不想活了, 不想活下去
    "拐走", "拐卖", "拐賣",  # zh
    "தற்கொலை செய்ய", "கடத்த",  # ta: கடத்தப்பட்டாள் (she was abducted)
    # Rules 2026-12-02.1: "don't" negates now (textmatch.NEGATIONS_BEFORE), and "she doesn't
    # want to die" is no wish to die. A reporter's own "I don't want to die" stays P1, as it
    # was: a child in fear says it ("he said he will find me, I don't want to die").
    "i don't want to die", "i don’t want to die", "i dont want to die",  # en
    # Rules 2026-12-02.2: rape or molestation said in the present progressive is going on:
    # "he is raping my daughter" was P4 (no word for now, no age), and "he is raping her, i
    # can't stop him now" too (the now word 23 characters away). Not "was raping".
    "is raping", "are raping", "'s raping", "’s raping", "is molesting", "are molesting",  # en
    "is sexually abusing", "is sexually assaulting", "is touching her private",  # en
    "is touching his private",  # en
    # Rules 2026-12-02.10: a child's threat to kill themself, told of them by another ("my 14
    # year old daughter says she will kill herself tonight", "he is suicidal and will end his
    # life") was P3 or P4 where the reporter's own "going to kill myself", and the Malay "dia
    # nak bunuh diri", were P1. A threat made before ("she tried to kill herself") is P1 too:
    # a child who has tried is at risk now.
    "kill herself", "kill himself", "kill themselves", "kill themself", "killing herself",  # en
    "killing himself", "end her life", "end his life", "end their life", "end her own life",
    "end his own life", "end their own life", "take her own life", "take his own life",  # en
    "take their own life", "commit suicide", "threatening suicide", "threatens suicide",  # en
    "is suicidal", "are suicidal", "'s suicidal", "’s suicidal", "am suicidal",  # en
    "im suicidal", "feeling suicidal", "feels suicidal", "feel suicidal",  # en
    "will kill myself", "gonna kill myself", "going to end my life", "will end my life",  # en
    "mahu bunuh diri", "mau bunuh diri", "ingin bunuh diri", "cuba bunuh diri",  # ms
    "结束自己的生命", "結束自己的生命",  # zh
    "threatened suicide", "attempted suicide", "suicide note", "hang herself",  # en
    "hang himself", "hang themselves", "unalive herself", "unalive himself",  # en
    "unalive themselves", "unalive themself", "unalive myself",  # en
    "mahu membunuh diri", "nak membunuh diri", "cuba membunuh diri", "ingin membunuh diri",  # ms
    "要结束生命", "想结束生命", "要結束生命", "想結束生命",  # zh
    "要跳楼", "想跳楼", "要跳樓", "想跳樓",  # zh: to jump from a building
    # Rules 2026-12-02.14: a child's own intent to die as it is said in each language was P4
    # where "want to kill myself" was P1: "நான் இன்று இரவு தற்கொலை செய்து கொள்ளப் போகிறேன்" (I
    # will kill myself tonight), "naan inniku rathiri saaga poren", "我想去死", "我活不下去了",
    # "i want to hang myself", "aku nak gantung diri", "aku tak nak hidup lagi". Denied, they
    # stay negated ("தற்கொலை செய்து கொள்ள மாட்டேன்", I will not; "他说他不会自杀").
    "தற்கொலை செய்து கொள்ள", "தற்கொலை செய்துகொள்ள", "தற்கொலை செய்துக் கொள்ள",  # ta
    # சாக வேண்டும், சாகணும் ("must die"), not of an abuser (OTHER_MEANING_BEFORE: "அந்த
    # மிருகம் சாகணும்", that beast must die; reviews of .14 and .15).
    "தற்கொலை பண்ண", "சாகப் போ", "சாக போ", "சாகப்போ", "சாக வேண்டும்", "சாகணும்",  # ta
    "உயிரை மாய்த்துக் கொள்ள", "உயிரை மாய்த்துக்கொள்ள", "உயிரை மாய்க்க",  # ta
    "தூக்குப் போட்டுக் கொள்", "தூக்கு போட்டு கொள்", "தூக்கு போட்டுக் கொள்",  # ta: hang
    "tharkolai pann", "saaga poren", "saaga pora", "saaga poga",  # ta, romanised
    "想去死", "要去死", "活不下去", "自我了断", "自我了斷", "想轻生", "想輕生", "要轻生",  # zh
    "要輕生", "结束我的生命", "結束我的生命", "打算自杀", "打算自殺", "准备自杀", "準備自殺",  # zh
    "会自杀", "會自殺", "想割腕", "要割腕",  # zh
    "kill myself", "wanna end my life", "gonna end my life", "end it all", "hang myself",  # en
    "slit my wrist",  # en
    "terjun bangunan", "gantung diri", "tak nak hidup", "x nak hidup", "tk nak hidup",  # ms
    "tamatkan hidup",  # ms
) + ABUSE_OF_A_VICTIM_GOING_ON  # fmt: skip
# "Happening now" alone is ordinary ("apa yang sedang berlaku?", "what is happening now?"):
# it is imminent danger only next to a sexual-abuse word.
HAPPENING_NOW_WORDS: tuple[str, ...] = (
    "happening now", "happening right now", "as we speak",  # en
    "sedang berlaku", "sedang berlangsung",  # ms
    "正在发生", "正在發生", "正在进行", "正在進行", "正在直播",  # zh
    "இப்போது நடக்கிற", "தற்போது நடக்கிற", "நடந்துகொண்டிருக்கிற",  # ta
    "நடந்து கொண்டிருக்கிற",  # ta
)  # fmt: skip
# Anywhere in the text with a word of sexual abuse; any abuse only near a word for "now"
# (_abuse_near_now): "abuse of power by admin, what is happening now?" was P1.
IMMINENT_DANGER_PAIRS: tuple[KeywordPair, ...] = ((HAPPENING_NOW_WORDS, SEXUAL_ABUSE_WORDS),)
# Rules 2026-12-02.10: abuse shown live is abuse going on. "he is live streaming abuse of a
# child on bigo live right now" was P4 (bare "abuse" is no sexual word, and "right now" was
# 40 characters from it), "right now there is a live stream showing a kid being sexually
# abused" P2 with no emergency response. In one sentence (live_abuse_now): a word of
# streaming live, not negated nor ended; a word for now, or a stream in the present ("is
# streaming"); and an act of abuse (ABUSE_NOW_WORDS, not negated; bare "abuse" only of a
# child named there; not told in the past) make it P1, unless the sentence tells of recorded
# material or content still up, or the stream's clause of long ago or of talk about abuse.
# Rules .12 and .13 (two more reviews) shaped the exclusions below.
STREAMING_LIVE = re.compile(
    r"\b(?:live ?-?stream(?:s|ing)?|stream(?:s|ing)?(?! of)|go(?:es|ing)? live"
    r"|is live(?! ?-?stream)|live now|on live|buat live|siaran langsung"
    r"|(?:sedang|tengah|ada) live|(?:bigo|tiktok|fb|ig|facebook|instagram|youtube|twitch|kick)"
    r" live|live on (?:bigo|tiktok|fb|ig|facebook|instagram|youtube|twitch|kick|telegram)"
    r"|webcam|video call|vc|being streamed|streamed live|broadcasting)\b|直播|நேரலை"
)
# A stream told in the present is going on without a word for now: "he is live streaming",
# "a child is being streamed", "a man on IG live molesting a girl", "currently streaming".
STREAM_GOING_ON = re.compile(
    r"\b(?:is|are|'s|’s|sedang|tengah)\s+(?:currently\s+|now\s+)?(?:live ?-?)?stream(?:ing)?\b"
    r"|\b(?:is live|live now|being streamed|at this (?:very )?moment|still (?:happening|going on"
    r"|going)|is broadcasting|currently (?:live|streaming|broadcasting|on)|(?:live|streaming) rn"
    r"|on (?:fb|ig|facebook|instagram|youtube|twitch|kick|bigo|tiktok) live)\b"
)
# Material, not a stream going on ("he streams child abuse videos on his channel"), news or
# talk about abuse ("berita kes rogol", "talking about the child abuse case"), content still
# up ("the page ... is still live now"), and abuse of no sexual kind ("verbally abusing him",
# "drug abuse", "report abuse"): the live rule reads none of them. Bare "abuse" counts only
# with a child named in its sentence (_names_a_child).
_LIVE_PAST = re.compile(
    r"\b(?:yesterday|last night|last week|the other day|semalam|kelmarin|minggu lepas)\b"
    r"|昨天|昨晚|上周|上週"
)
_LIVE_MATERIAL = re.compile(
    r"\b(?:videos|vids?|clips?|recordings?|recorded|rakaman)\b|(?<!live )\bvideo\b(?!\s*call)"
    r"|视频|影片"
)
_LIVE_TALK = re.compile(
    r"\b(?:news|berita|awareness|kesedaran|talking about|webinar|seminar)\b|新闻"
)
_STILL_UP = re.compile(
    r"\b(?:page|account|group|post|posts|content|link|links|channel|material|photos?"
    r"|pictures?|gambar|akaun|kumpulan)\b.*\bstill live\b"
)
_NOT_SEXUAL_BEFORE = re.compile(r"(?:verbal(?:ly)?|drugs?|substance|alcohol|dadah|report)\W+$")
_NOT_SEXUAL_AFTER = re.compile(r"\w*\s+(?:\w+\s+)?(?:verbally|emotionally)\b")
# Bare "abuse" is read only with a child named; these acts of abuse are read alone.
_SEXUAL_ABUSE_ACTS = frozenset(ABUSE_WORDS)
# As whole words ("son" is not in "person", nor "girl" in "girlfriend"), Malay with its
# suffixes ("anaknya", "adikku"), and an age below 18 (_CHILD_AGE: "9 year old", "umur 9";
# not "12 years ago", "25 year old").
_LIVE_CHILD = re.compile(
    r"\b(?:child|children|kids?|minors?|underage|toddlers?|bab(?:y|ies)|infants?|girls?|boys?"
    r"|schoolgirls?|schoolboys?|daughters?|sons?|nieces?|nephews?|sisters?|brothers?|cousins?"
    r"|students?|teens?|teenagers?|budak|kanak-kanak|bawah umur|remaja|pelajar"
    r"|(?:anak|adik)(?:nya|ku|mu)?)\b"
    r"|儿童|兒童|小孩|幼女|幼童|未成年|女儿|女兒|儿子|兒子|女孩|男孩|孩子|少女|侄女|外甥"
    r"|குழந்தை|சிறுவர்|சிறார்|மகள|மகன|சிறுமி|சிறுவன"
)
_CHILD_AGE = re.compile(
    r"\b(\d{1,2})\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b|\b(\d{1,2})\s*(?:yo|y/o)\b"
    r"|\b(?:umur|berumur|usia|aged?)\s*(\d{1,2})\b|(\d{1,2})\s*岁"
)
_STREAM_ENDED = re.compile(
    r"(?<!n't )(?<!not )(?<!never\s)\b(?:stopped|ended|finished|no longer|not)\s+$"
)
# A sentence ends at '.', '!' or '?' (not inside a link: 'tiktok.com/@x'), or at CJK
# punctuation.
_LIVE_SENTENCE_END = re.compile(r"[.!?]|[。！？]")
_URLISH = re.compile(r"https?://\S+|\S+\.(?:com|net|org|my|tv|me|io|be|ly|gg|co|app)\b\S*")
# A clause: a word of long ago in another clause ("I reported him last week, now he is live
# streaming ...") leaves the stream going on.
_LIVE_CLAUSE_BREAK = re.compile(r"[,;:，；：]|\b(?:and|but|dan|tapi)\b")


def _names_a_child(sentence: str) -> bool:
    """Whether the sentence names a child: a word for one, or an age below 18."""
    if _LIVE_CHILD.search(sentence):
        return True
    ages = (int(n) for m in _CHILD_AGE.finditer(sentence) for n in m.groups() if n)
    return any(age < CHILD_AGE_LIMIT for age in ages)


# Matched only where a word starts: "rape" is in "scraped" and "grapes" ("someone scraped my
# webcam photos" was live-streamed abuse, P2, with a PDRM referral), "nak mati" in "anak
# mati", "pedo" in "torpedo".
START_ON_WORD_BOUNDARY: frozenset[str] = frozenset(
    {"rape", "raping", "nak mati", "nk mati", "vc", "pedo", "pedos", "paedo", "paedos", "pedofil"}
    # Rules 2026-12-02.14: "raba" in "kerabat diraja sekarang", "kill myself" in "upskill
    # myself", "end it all" in "spend it all", "touching her" in "retouching her photos".
    | {"raba", "kill myself", "end it all", "tak nak hidup", "x nak hidup", "tk nak hidup"}
    | {"touching me", "touching her", "touching him"}
    | {"i don't want to die", "i don’t want to die", "i dont want to die"}
    | {w for w in ABUSE_OF_A_VICTIM_GOING_ON if w[0].isascii() and w[0].isalpha()}  # not "'s"
)
# Matched only where a word ends: "in danger" is not "in dangerous places", "want to die" not
# "want to diet", "nak mati" not "nak matikan lampu", "vc" not "vcd", "pedo" not "pedometer".
END_ON_WORD_BOUNDARY: frozenset[str] = frozenset(
    {"in danger", "want to die", "wants to die", "wanna die", "nak mati", "nk mati"}
    | {"vc", "pedo", "pedos", "paedo", "paedos"}
    | {"i don't want to die", "i don’t want to die", "i dont want to die"}
    | set(ABUSE_OF_A_VICTIM_GOING_ON)
    | {"touching me", "touching her", "touching him"}  # not "memories", "herself", "himself"
)
# A danger word followed by these is an idiom: "children in danger of falling for scams" was
# P1. Not where harm follows ("in danger of being raped" was P4 since 2026-12-01.2; P1 again
# since 2026-12-01.4). "I want to die laughing" is no wish to die.
_HARM_AFTER_OF = (
    r"(?:being\s+|getting\s+)?(?:rap|molest|abus|sexual|assault|attack|kidnap|abduct|traffick"
    r"|kill|hurt|harm|exploit|groom|sextort|beaten|death|dying|suicid|self-harm"
    r"|losing\s+(?:her|his|their|my|your)\s+life)"
)
_LAUGHING = re.compile(r" (?:laughing|of laughter)\b")
# A danger word after these is no danger: Malay "nak mati" after a word of tiredness, hunger
# or fun is "to death" ("penat nak mati", "lawak nak mati"; not "takut nak mati", scared, nor
# "malu nak mati", ashamed, as a sextorted child says it). Tamil கடத்தல் is also smuggling
# (போதைப்பொருள் கடத்தல், drug smuggling) and passing time (நேரத்தைக் கடத்த).
_TO_DEATH_MS = re.compile(
    r"\b(?:penat|letih|lapar|haus|panas|sejuk|bosan|ngantuk|mengantuk|lawak|kelakar|seronok"
    r"|best|sedap|comel)(?:\s+gila)?\s*$"  # rules 2026-12-02.14: "lawak gila nak mati" was P1
)
# Rules 2026-12-02.14: "saya nak mati ketawa tengok video ni" (dying of laughter) was P1.
_LAUGHING_MS = re.compile(r" (?:ketawa|gelak)\b")
# 好 as "very", not 好好 ("properly": "他让我好好配合"), nor 让我们 (let us; a review of .15).
_FEELING_ZH = re.compile(
    r"(?:们|們)?(?:很|非常|感到|觉得|覺得|好(?!好)|太|十分|不舒服|生气|生氣|害怕|难过|難過|失望)"
)
# Who tells a child to do something and is no groomer: a teacher, a parent, the reporter.
# What a carer tells a child to do with such material (after "suruh aku", "suruh anak"...):
# report it, delete it, stay away ("cikgu suruh anak saya buat laporan", "mak suruh aku
# delete gmbr lucah", "ustaz suruh anak jauhi video lucah"). Read after the request, not
# from who asks: a guard on who asks hid a father's or a teacher's request to undress (a
# review of .18).
_CARERS_ASK_MS = re.compile(
    r"(?:\s+\w+){0,2}?\s+(?:buat laporan|lapor|laporkan|report|padam|delete|buang|block"
    r"|jauhi|jauh)\b"
)
_ADVICE_ZH = re.compile(
    r"[，,]?\s*(?:孩子|小孩|子女|可能|容易|你会|你會|会被|會被|就会|就會"
    r"|(?:会|會|将|將)(?:触犯|觸犯|违法|違法|面临|面臨|被罚|被罰|受到))"
)
# A way of living, after "tak nak hidup": not the wish to die (a review of .14).
# Only hardship and fear: "tak nak hidup macam ni", "kat dunia ni lagi", "dengan malu ni"
# are a child's wish to die (a review of .15).
_NOT_A_LIFE = re.compile(
    r" (?:(?:dalam|dlm) (?:ketakutan|kemiskinan|kesusahan)|susah|miskin|senang|mewah"
    r"|tanpa (?:telefon|phone|fon|hp|handphone|internet|wifi|game|games))\b"
)
# Rules 2026-12-02.14: a Tamil word inside another ("புதுசாக போட்ட", newly posted, holds
# "சாக போ"): Tamil vowel signs are no letters to word_starts_at.
_INSIDE_A_TAMIL_WORD = re.compile(r"[\u0b80-\u0bff]$")
_ABUSER_BEFORE_TA = re.compile(
    _INSIDE_A_TAMIL_WORD.pattern + r"|(?:வன்|அவர்|மிருகம்|அவங்க|ஆள்|நாய்|நாள்|எல்லாரும்|எல்லோரும்)\s*$"
)
# A word with another meaning where these follow it (matched right after it) or come before
# it (searched in the 40 characters before), in every table that lists it. Rules 2026-12-02.1:
# - "cabul" (molest) is also "violate" in "pencabulan hak asasi", "mencabuli kedaulatan", a
#   violation of rights, sovereignty, the law: it was sexual abuse. Not "mencabul kehormatan"
#   (outraging modesty, Penal Code s.354), which is abuse.
# - "vc" (a video call, as typed) is also a Vice-Chancellor ("VC universiti", "VC UiTM",
#   "Naib Canselor (VC)") and venture capital ("a VC firm"): "VC universiti" with "gangguan
#   seksual" (sexual harassment) was live-streamed abuse, P2.
# - The danger words' idioms above.
OTHER_MEANING_AFTER: dict[str, re.Pattern[str]] = {
    # Advice's "or else" (a review of .14): "不然孩子可能会…", "否则可能被人…".
    **dict.fromkeys(("不然", "否则", "否則"), _ADVICE_ZH),
    # A review of .14: not how one will live ("saya tak nak hidup dalam ketakutan", in fear;
    # "tak nak hidup susah macam kami"), nor 让我 as "makes me feel" ("这个网站让我很生气").
    **dict.fromkeys(("tak nak hidup", "x nak hidup", "tk nak hidup"), _NOT_A_LIFE),
    **dict.fromkeys(("让我", "讓我"), _FEELING_ZH),
    "in danger": re.compile(rf" of (?!{_HARM_AFTER_OF})"),
    "in big danger": re.compile(rf" of (?!{_HARM_AFTER_OF})"),
    "in real danger": re.compile(rf" of (?!{_HARM_AFTER_OF})"),
    "want to die": _LAUGHING,
    "wanna die": _LAUGHING,
    # 跳楼价: a rock-bottom price, as sellers (and scammers) write it.
    "要跳楼": re.compile(r"价|價"),
    "想跳楼": re.compile(r"价|價"),
    "要跳樓": re.compile(r"价|價"),
    "想跳樓": re.compile(r"价|價"),
    "kill herself": _LAUGHING,
    "kill himself": _LAUGHING,
    "kill themselves": _LAUGHING,
    # Rules 2026-12-02.14 (the new danger words): "i'll kill myself laughing"; 想死你了, 想死你们
    # 了, 想死我了 (I miss you so much); "nak mati ketawa"; a thing of hers touched ("she is
    # touching her phone now"); 摸我的 what is no body ("他在摸我的猫", he pets my cat); "rabak"
    # (torn).
    "kill myself": _LAUGHING,
    # 想死你了, 想死我了: missed you so, the person and a closing 了 (a regression hunt: "我想死
    # 他们把我的照片发到网上了", typed without a comma, is a wish to die); 想死去的妈妈: misses a
    # late mother (a review of .16); 想死的心都有了: "I could die" (of an exam).
    "想死": re.compile(
        r"(?:你|您|妳|他|她|我|大家)(?:们|們)?(?:了|啦|呀|啊|喔|哦|咯|!|！)"
        r"|去的(?:妈|媽|爸|奶|爷|爺|外婆|外公|亲人|親人|朋友|老公|老婆)|的心"
    ),
    # A request of what a carer asks (a review of .18 replaced a guard on who asks, which hid
    # a father's or a teacher's request to undress): not to, to report, to delete.
    **dict.fromkeys(
        ("asked me to", "asks me to"), re.compile(r" (?:explain|report|delete|block|stop|talk)\b")
    ),
    **dict.fromkeys(("叫我", "要我"), re.compile(r"(?:不要|别|別|举报|舉報|删除|刪除)")),
    **dict.fromkeys(("suruh aku", "suruh saya"), _CARERS_ASK_MS),
    **dict.fromkeys(("suruh anak", "suruh adik", "paksa anak", "paksa adik"), _CARERS_ASK_MS),
    "nak mati": _LAUGHING_MS,
    "nk mati": _LAUGHING_MS,
    "touching her": re.compile(
        r" (?:phone|hair|face|hands?|bag|toys?|food|homework|books?|laptop|ipad|tablet|screen"
        r"|cat|dog|pet)s?\b"
    ),
    "摸我": re.compile(r"的(?!身|胸|下|私|屁|腿|大腿|乳|奶|敏感|隐|隱)"),
    "raba": re.compile(r"k"),
    "cabul": re.compile(
        r"(?:an|i)?\s+(?:terhadap\s+)?(?:hak|kedaulatan|undang|perlembagaan|privasi|perjanjian"
        r"|peraturan|akta|wilayah|ruang udara|prinsip|kebebasan|demokrasi)"
    ),
    "vc": re.compile(
        r"[\s-]+(?:(?:of|for|bagi)\s+)?(?:the\s+)?(?:universit|uni\b|uitm|um\b|usm|ukm|upm|utm"
        r"|uum|unimas|ums\b|upsi|usim|umt|umk|unimap|utem|uthm|uiam|iium|unisza|kolej|college"
        r"|politeknik|polytechnic|firms?\b|funds?\b|funding|investors?\b|backed|capital)"
    ),
}
# Someone told to kill themself (cyberbullying, "the bully told her to kill herself"), or
# that people should: a harm reported, not a child's own threat, unless the rest of its
# sentence says the child means it now ("... and now she wants to", "she is standing on the
# roof": _INTENT_AFTER). Told to a person (her, him, my son), not "asking how to", "she
# should kill herself" (her own words).
_TOLD_TO = re.compile(
    r"\b(?:told|tell|tells|telling|urged|urging|asked|asking|encourag\w*|dared|daring)\s+"
    r"(?:her|him|me|them|you|us|my\s+\w+|the\s+\w+)\s+to\s+(?:go\s+(?:and\s+)?)?$"
    r"|\b(?:people|everyone|everybody|u|you)\s+should\s+(?:go\s+(?:and\s+)?)?$"
)
_INTENT_AFTER = re.compile(
    r"\b(?:now|tonight|right now|wants? to|going to|gonna|will|standing|tried|trying|try"
    r"|attempt\w*|joined|sekarang|malam ni|malam ini)\b|现在|今晚"
)
# Read for danger only (_danger_at), since rules 2026-12-02.14: "kill myself" is a self-harm
# keyword too, and "he told me to kill myself" stays self-harm content, as it was.
_SUICIDE_TOLD = frozenset(
    {
        "kill herself", "kill himself", "kill themselves", "kill themself", "commit suicide",
        "end her life", "end his life", "end their life", "take her own life",
        "take his own life", "take their own life", "hang herself", "hang himself",
        "hang themselves", "kill myself",  # rules 2026-12-02.14: "he told me to kill myself"
    }
)  # fmt: skip


def _told_to_without_intent(folded: str, start: int, word: str) -> bool:
    """Whether the suicide words at `start` are said of someone told to ('told her to kill
    herself'), with nothing after them in the sentence saying the child means it now."""
    if not _TOLD_TO.search(folded, max(0, start - 40), start):
        return False
    end = SENTENCE_END.search(folded, start + len(word))
    rest = folded[start + len(word) : end.start() if end else None]
    return _INTENT_AFTER.search(rest) is None


OTHER_MEANING_BEFORE: dict[str, re.Pattern[str]] = {
    "nak mati": _TO_DEATH_MS,
    "nk mati": _TO_DEATH_MS,
    # Rules 2026-12-02.14: "in the end it all worked out", "社会自杀率" (society's suicide rate),
    # "我需要钱" (I need money), a Tamil word inside another.
    "end it all": re.compile(r"\bthe\s+$"),
    # A review of .14: 思想死板 (rigid thinking) holds 想死. (Not 得 before it, nor "could"
    # before "kill myself": "我觉得想死", "被他逼得想死", "i would kill myself if he posts my
    # nudes" are a child's own, and a figure of speech costs a call; a review of .15.)
    "想死": re.compile(r"思$|(?:笑|热|熱|饿|餓|冷|累|困|闷|悶|无聊|無聊)得$"),
    "raba": re.compile(r"-$"),  # meraba-raba: fumbling
    "要钱": re.compile(r"[需不]$"),  # 需要钱 (needs money), 不要钱 (free)
    "要錢": re.compile(r"[需不]$"),
    "会自杀": re.compile(r"[社教协]$"),
    "會自殺": re.compile(r"[社教協]$"),
    "சாகப் போ": _INSIDE_A_TAMIL_WORD,
    "சாக போ": _INSIDE_A_TAMIL_WORD,
    "சாகப்போ": _INSIDE_A_TAMIL_WORD,
    # Said of him, the beast, the one who hurt her (a word ending -வன், he who): a wish for
    # the abuser's death, not the child's own (reviews of .14 and .15).
    "சாக வேண்டும்": _ABUSER_BEFORE_TA,
    "சாகணும்": _ABUSER_BEFORE_TA,
    "கடத்த": re.compile(r"(?:போதை|கஞ்சா|நேர)\S*\s*$"),
    "vc": re.compile(
        r"(?:canselor|chancellor|rektor|rector|\b(?:universiti|university|uni|uitm|um|usm|ukm"
        r"|upm|utm|uum|unimas|iium|uiam)(?:'s|’s)?)\W{0,3}$"
    ),
}
_ON_WORD_BOUNDARY = START_ON_WORD_BOUNDARY | END_ON_WORD_BOUNDARY
_CHECKED_WHERE = _ON_WORD_BOUNDARY | OTHER_MEANING_AFTER.keys() | OTHER_MEANING_BEFORE.keys()
# Abuse going on now, said with the abuse word near a word for "now": "he is raping her now",
# "dia sedang rogol adik saya", "他正在强奸我女儿" (each was P4: only fixed phrases counted).
# Near: at most NOW_GAP characters between them, either way round, so that "abuse of power
# by admin, what is happening now?" is not (it was P1).
NOW_WORDS = re.compile(
    r"\b(?:right now|now|at the moment|as we speak|sedang|tengah|skrg|sekarang)\b"
    r"|正在|现在|現在|இப்போது|தற்போது"
    # Rules 2026-12-02.14: spoken Tamil, whole ("அவன் இப்போ என் தங்கையை பாலியல் வன்கொடுமை
    # செய்கிறான்", he is sexually assaulting my sister now, was P4); not இப்படி (like this).
    r"|இப்பதான்|(?:இப்போ|இப்ப)(?![\u0b80-\u0bff])"
)
# Rules 2026-12-02.3: abuse that recurs goes on, said where the verb has no tense:
# "dia rogol adik saya setiap malam", "他每晚都强奸我" were P4. Rules 2026-12-02.4: in English
# too ("he rape me every night", "he molest her every day" were P4), though not where the
# abuse word is in the past ("raped", "molested": PAST_FORM_AFTER) nor, in any of the three
# languages, where the sentence says it was long ago (PAST_MARKERS: "dia pernah rogol saya
# setiap malam dulu", "他以前每晚都强奸我", "he used to rape me every night" are past, and were
# P1 in Malay and Chinese). Tamil's recurring words wait for a check of its past tense.
RECURRING_WORDS = re.compile(
    r"\b(?:setiap malam|tiap malam|tiap2 malam|setiap hari|tiap hari|hari-hari)\b"
    r"|每晚|每天晚上|每天|经常|經常"
    r"|\b(?:every night|every day|every morning|every weekend|each night|nightly)\b"
)
PAST_FORM_AFTER = re.compile(r"e?d\b")
# Recurring abuse is of a person: the abuse word as a verb with its victim after it ("rape
# me", "abuses my sister", "rapes 12yo girl", "rogol adik", "强奸我"), or told in the passive
# ("saya kena rogol", "dirogol", "我每晚都被强奸"); not a noun of material or talk ("shares
# sexual abuse material every day", "posts rape videos every night", "read about child
# abuse every day", "强奸视频": each was P1 under rules 2026-12-02.4, a review found).
RECURRING_VICTIM_AFTER = re.compile(
    r"[a-z]*\s+(?:me|her|him|us|them|my|our|his|their|your|the|a|an"
    r"|children|kids?|girls?|boys?|babies|baby|minors?|students?)\b"
    r"|[a-z]*\s+\d+\s*(?:yo\b|y/o|years?|yrs?)"
    r"|\s+(?:saya|aku|sy|ak|adik|anak|dia|kakak|budak|cucu|murid|mereka|kami|kita|kanak"
    r"|kawan|rakan|pelajar|mangsa)\b"
    r"|(?:我|她|他|孩子|女儿|女兒|儿子|兒子|妹妹|弟弟|侄女|外甥女|孙女|孫女|学生|學生|小孩)"
)
# The passive: in English a participle after "is", "being", "gets" ("is being raped every
# night", "gets molested every day"; not "I get rape threats"), in Malay "kena" or "di-"
# ("kena rogol", "dirogol"), in Chinese 被 right before the verb or its doer ("被强奸",
# "被他强奸"; not "被推送强奸视频", pushed rape videos: a review).
PASSIVE_BEFORE_EN = re.compile(r"\b(?:is|are|am|being|been|gets|getting|get)\s+$")
PASSIVE_BEFORE = re.compile(r"(?:\bkena\s+|\bdi|被(?:他|她|他们|他們|人)?)$")
# Told of long ago in its sentence ("he used to rape me", "dia pernah rogol saya", "他以前每
# 晚都强奸我", "... every night last year", "... 那时我才十岁"); after the abuse, only words
# that say long ago plainly (AFTER_ABUSE), and "dulu" right after its time ("setiap malam
# dulu"; "saya nak report polis dulu" is "first"); never right after "since" (sejak, 自从:
# the abuse that began then goes on, "since 2 years ago"), nor "以前也", "比以前" (before too,
# worse than before).
PAST_MARKERS = re.compile(
    r"\b(?:used to|years ago|back then|when (?:i|she|he) was|as a (?:child|kid)|last year"
    r"|pernah|dulu|dahulu|masa kecil|semasa kecil|waktu kecil|tahun lepas)\b"
    r"|(?<!比)以前(?!也|都)|曾经|曾經|过去|過去|小时候|小時候|当年|當年|那时|那時"
)
AFTER_ABUSE = frozenset(
    {"years ago", "back then", "last year", "tahun lepas", "masa kecil", "semasa kecil",
     "waktu kecil", "小时候", "小時候", "当年", "當年", "那时", "那時"}
)  # fmt: skip
_SINCE_BEFORE = re.compile(
    r"(?:\b(?:since|ever since|sejak|semenjak)\s+(?:\S+\s+){0,2}|自从|從|从)$"
)
_RIGHT_AFTER_ITS_TIME = re.compile(r"^\s*(?:\S+\s+)?$")
SENTENCE_END = re.compile(r"[.!?。！？\n]")
NOW_GAP = 20
# A negation between the abuse word and "now" negates the abuse only within its clause:
# "raping her i cant help now" is the reporter who cannot help (it was P4 once "cant" became
# a negation, rules 2026-12-02.1), "the abuse is not happening now" the abuse. A clause ends
# at punctuation or where the reporter starts speaking of themselves.
CLAUSE_BREAK = re.compile(r"[,.;:!?，。；：！？]|\b(?:and|but|i|i'm|im|saya|aku)\b|我")
# Meeting tonight said with words between ("he wants to meet her alone tonight", "malam ni
# dia nak jumpa adik"), either way round, at most MEET_GAP characters apart: P1 as the
# adjacent "meet tonight" is (each was P4). Rules 2026-12-01.4.
MEET_WORDS: tuple[str, ...] = (
    "meet", "meets", "meeting", "jumpa", "berjumpa", "见面", "見面", "சந்திக்க",
)  # fmt: skip
# Rules 2026-12-02.14: fetching a child, and asking one out, as meeting one: "he's coming to
# pick up my 13 year old daughter tonight", "网友约我今晚出去，我13岁" (an online friend asks
# me out tonight, I'm 13) were P3. Not "ambil" (take: "ambil gambar"), nor a bare 约 (预约,
# an appointment).
FETCH_WORDS: tuple[str, ...] = (
    # Not "jemput", as often "invite" ("jemput hadir malam ini").
    "pick up", "picking up",  # en
    "约我", "约她", "約我", "約她", "来接", "來接",  # zh
)  # fmt: skip
TONIGHT_WORDS: tuple[str, ...] = (
    "tonight", "tonite", "malam ni", "malam ini", "mlm ni", "mlm ini", "今晚", "இன்றிரவு",
    "this evening", "今天晚上", "今夜", "petang ni", "petang ini",  # rules 2026-12-02.14
)  # fmt: skip
# Rules 2026-12-02.14: a meeting today counts too, but only where the report names a stranger
# or someone met online: "a man from discord is coming to pick up my 13 yo son today", "lelaki
# tu nak jumpa anak saya harini" were P3 and P4, while "my son is meeting his friends today
# after school" and "jumpa cikgu hari ini" (meeting the teacher today) are a day's plans. Not
# a bare he, dia or 他, which nearly every report has; not "anak lelaki" (a son), "pakcik
# saya" (my uncle), 我叔叔. Meeting words only (a parent writes "I will pick up my daughter
# today"), and not "after school" nor "until today" (a review of .14: "...wanted to meet my
# daughter after school, we reported it", "sehingga hari ini dia masih hantar mesej").
DAY_WORDS: tuple[str, ...] = (
    "today", "harini", "hari ini", "hari ni", "after school", "lepas sekolah",  # en, ms
    "今天", "放学后", "放學後", "இன்று", "இன்னைக்கு",  # zh, ta
)  # fmt: skip
STRANGER_NAMED = re.compile(
    r"\b(?:man|men|guy|guys|strangers?|adults?|met online|from (?:discord|tiktok"
    r"|roblox|instagram|ig|facebook|fb|telegram|whatsapp|online)|orang dewasa"
    r"|kenal (?:dari|kat|di))\b|(?<!anak )(?<!adik )(?<!budak )\blelaki\b"
    r"|\bpak ?cik\b(?!\s+(?:saya|aku|sy|kami|kita)\b)"
    r"|网友|網友|陌生人|男人|男子|(?<!我)(?<!我的)叔叔|அந்நியன்"
)
# "until today": a meeting before, and what goes on since.
# "After school" told as past or as a habit in its sentence ("Last month a man ... wanted to
# meet my daughter after school, we reported it", "she usually meets her friends after
# school" were P1; reviews of .15 and .16). Only "after school": a past word beside "today"
# is a groomer's story ("a man she met online 2 weeks ago wants to meet her today").
_AFTER_SCHOOL = frozenset({"after school", "lepas sekolah", "放学后", "放學後"})
_MEETING_PAST = re.compile(
    r"\b(?:last (?:week|month|night|year)|yesterday|ago|semalam|kelmarin|minggu lepas"
    r"|bulan lepas|tahun lepas|pernah|usually|always|every|often|biasanya|selalu|setiap)\b"
    r"|昨天|前天|上个月|上個月|上周|上週|上星期|每天|经常|經常|通常|நேற்று|தினமும்"
)
# (Not "sampai", also "arrive": "akan sampai hari ini untuk jumpa anak saya".)
_UNTIL = re.compile(r"\b(?:sehingga|hingga|until|till|up to)\s+$")
MEET_GAP = 30
# Rules 2026-12-02.1: the words between made "let's meet for dinner tonight" P1, an adults'
# dinner. The near match was meant for a groomer meeting a child tonight: it counts where the
# report is about a child (it names one by age, school year or a word for one, calls someone
# under age, states a victim below 18, or tells of grooming or another OCSEA harm), or where
# the meeting is with a person ("meet her", "jumpa dia", "跟她见面", "அவளைச் சந்திக்க"): a
# reporter fearing for "her" often gives no age. The adjacent "meet tonight", "jumpa malam
# ni" (IMMINENT_DANGER_KEYWORDS) stay P1 alone, as before.
_MEETING_CHILD_WORDS: tuple[str, ...] = CHILDREN_WORDS + (
    "daughter", "daughters", "son", "sons", "girl", "girls", "boy", "boys", "kid", "niece",
    "nephew", "teen", "teens", "teenager", "teenagers",  # en
    "anak", "adik", "remaja",  # ms
    "女儿", "女兒", "儿子", "兒子", "女孩", "男孩", "孩子", "少女", "侄女", "外甥",  # zh
    "மகள", "மகன", "சிறுமி", "சிறுவன",  # ta: stems (மகளை, மகனை)
)  # fmt: skip
MET_PERSON_AFTER = re.compile(
    r"\s+(?:up\s+)?(?:with\s+|dengan\s+|dgn\s+)?(?:her|him|me|dia|aku|saya|sy)\b"
)
MET_PERSON_WITHIN = re.compile(r"(?:跟|和|与|與|见|見)(?:我|她)|அவளை|அவனை|என்னை")


_MEETINGS = MEET_WORDS + FETCH_WORDS


def _one_of(words: tuple[str, ...]) -> str:
    """A pattern for any of the words, Latin-script ones as whole words."""
    return "|".join(rf"\b{re.escape(w)}\b" if w.isascii() else re.escape(w) for w in words)


def _meeting_pattern(meetings: tuple[str, ...], soon: tuple[str, ...]) -> re.Pattern[str]:
    """Every meeting word and time word within MEET_GAP of each other, either way round,
    overlapping (in a look-ahead): a match skipped (negated, "until today") used up the words
    of the next ("didn't meet her today but tonight he will meet her" was P3; a review)."""
    return re.compile(
        rf"(?=(?P<meet>{_one_of(meetings)}).{{0,{MEET_GAP}}}?(?P<tonight>{_one_of(soon)})"
        rf"|(?P<tonight_>{_one_of(soon)}).{{0,{MEET_GAP}}}?(?P<meet_>{_one_of(meetings)}))"
    )


@dataclass(frozen=True)
class _Meeting:
    """A meeting word and a time word near it (_meeting_pattern), and where they lie: the
    look-ahead itself matches nothing."""

    meet: str
    when: str
    meet_end: int
    when_start: int
    start: int
    end: int

    @property
    def reason(self) -> str:
        return f"{self.meet} + {self.when} (near)"


def _meetings(pattern: re.Pattern[str], folded: str) -> Iterator[_Meeting]:
    """The pattern's meetings with no negation before or within them ("he will not meet her
    tonight", "malam ni dia tak jumpa")."""
    for match in pattern.finditer(folded):
        meet_at, when_at = ("meet", "tonight") if match.group("meet") else ("meet_", "tonight_")
        start = min(match.start(meet_at), match.start(when_at))
        end = max(match.end(meet_at), match.end(when_at))
        if negated(folded, start, end) or negation_in(folded[start:end]):
            continue
        yield _Meeting(
            match.group(meet_at), match.group(when_at), match.end(meet_at),
            match.start(when_at), start, end,
        )  # fmt: skip


MEET_TONIGHT = _meeting_pattern(_MEETINGS, TONIGHT_WORDS)
# Apart from tonight's: a meeting today found first hid one tonight right after it ("he
# wants to meet my daughter today or tonight" was P4 under .14; a review). Not 今天 in
# 今天晚上 (this evening).
MEET_TODAY = _meeting_pattern(MEET_WORDS, DAY_WORDS)
_SOON_WORDS = TONIGHT_WORDS + DAY_WORDS
MEETING_CHILD = re.compile(_one_of(_MEETING_CHILD_WORDS))


def keyword_hits(text: str | None, keywords: tuple[str, ...]) -> list[str]:
    """Keywords of the table that occur in the text, in table order."""
    folded = fold(text)
    # The tables are written casefolded (a unit test checks): casefolding every keyword of
    # every table for every report was most of triage's time (~65 µs a report).
    if not folded:
        return []
    return [
        word
        for word in keywords
        if word in folded and (word not in _CHECKED_WHERE or _bounded(folded, word))
    ]


def _bounded(folded: str, word: str) -> list[int]:
    """Where `word` starts in the text, at word boundaries where its tables ask for them, and
    not where it has another meaning (OTHER_MEANING_AFTER, OTHER_MEANING_BEFORE)."""
    starts = occurrences(folded, word)
    if word in START_ON_WORD_BOUNDARY:
        starts = [i for i in starts if word_starts_at(folded, i)]
    if word in END_ON_WORD_BOUNDARY:
        starts = [i for i in starts if not folded[i + len(word) : i + len(word) + 1].isalnum()]
    if (after := OTHER_MEANING_AFTER.get(word)) is not None:
        starts = [i for i in starts if not after.match(folded, i + len(word))]
    if (before := OTHER_MEANING_BEFORE.get(word)) is not None:
        starts = [i for i in starts if not before.search(folded, max(0, i - 40), i)]
    return starts


def pair_hit(text: str | None, pair: KeywordPair) -> str | None:
    """The reason text 'a' + 'b' when a word of each half of the pair occurs, else None."""
    # The first half first: most descriptions have none, and the second is not read.
    if not (first := keyword_hits(text, pair[0])):
        return None
    second = keyword_hits(text, pair[1])
    return f"'{first[0]}' + '{second[0]}'" if second else None


def affirmed_hits(text: str | None, words: tuple[str, ...]) -> list[str]:
    """Keywords of the table in the text, leaving out hits that are negated or of another
    meaning (OTHER_MEANING_AFTER, OTHER_MEANING_BEFORE: idioms too)."""
    folded = fold(text)
    return [word for word in keyword_hits(folded, words) if _affirmed_starts(folded, word)]


def _affirmed_starts(folded: str, word: str) -> list[int]:
    """Where `word` starts in the text, neither negated nor of another meaning."""
    return [i for i in _bounded(folded, word) if not negated(folded, i, i + len(word))]


def danger_hits(text: str | None, about_a_child: bool, live: str | None) -> list[str]:
    """Imminent-danger keywords and pairs in the text, leaving out negated hits;
    `about_a_child` when the report's facts name a child or an OCSEA harm (_meeting_tonight);
    `live`, the live rule's hit on the same text (facts_of reads it once, for the categories
    too)."""
    folded = fold(text)
    found = [w for w in keyword_hits(folded, IMMINENT_DANGER_KEYWORDS) if _danger_at(folded, w)]
    for now_words, context in IMMINENT_DANGER_PAIRS:
        if (now := affirmed_hits(folded, now_words)) and (near := keyword_hits(folded, context)):
            found.append(f"{now[0]} + {near[0]}")
    if not found and (near_now := _abuse_near_now(folded)):
        found.append(near_now)
    if not found and live:
        found.append(live)
    if not found and (meeting := _meeting_tonight(folded, about_a_child)):
        found.append(meeting)
    return found


def _danger_at(folded: str, word: str) -> list[int]:
    """Where the danger word starts affirmed (_affirmed_starts), and not said of someone told
    to kill themself (_told_to_without_intent)."""
    starts = _affirmed_starts(folded, word)
    if word in _SUICIDE_TOLD:
        starts = [i for i in starts if not _told_to_without_intent(folded, i, word)]
    return starts


def _abuse_near_now(folded: str) -> str | None:
    """'<abuse word> + <now word>' when the two sit within NOW_GAP characters of each other,
    with no negation at or between them ("he is not raping her now", "the abuse is not
    happening now"). An act of abuse, not a sexual word: "now he wants nudes" is no abuse
    going on."""
    abuse = keyword_hits(folded, ABUSE_NOW_WORDS)
    if not abuse:
        return None
    nows = [(m.start(), m.end(), m.group(0), False) for m in NOW_WORDS.finditer(folded)]
    nows += [(m.start(), m.end(), m.group(0), True) for m in RECURRING_WORDS.finditer(folded)]
    for word in abuse:
        for i in _bounded(folded, word):  # not 'rape' in 'scraped'
            end = i + len(word)
            if negated(folded, i, end):
                continue
            for start, stop, now, recurring in nows:
                if not (-NOW_GAP <= start - end <= NOW_GAP or -NOW_GAP <= i - stop <= NOW_GAP):
                    continue
                if recurring and _recurred_in_the_past(folded, (i, end), (start, stop)):
                    continue
                if not negation_in(_same_clause(folded, (i, end), (start, stop))):
                    return f"{word} + {now} (near)"
    return None


def live_abuse_now(text: str | None) -> str | None:
    """'<stream word> + <abuse word> + <now word>' for abuse streamed live now, in one
    sentence (STREAMING_LIVE, STREAM_GOING_ON), else None."""
    folded = fold(text)
    if not STREAMING_LIVE.search(folded):
        return None
    ends = _sentence_ends_outside_links(folded)
    start = 0
    for end in [*ends, len(folded)]:
        sentence, start = folded[start:end], end + 1
        if hit := _live_abuse_in(sentence):
            return hit
    return None


def _sentence_ends_outside_links(folded: str) -> list[int]:
    """Where sentences end (_LIVE_SENTENCE_END), leaving out dots inside links: one pass over
    both, in order (a text of many links and dots is read once, not each end against each
    link)."""
    links = iter([m.span() for m in _URLISH.finditer(folded)] + [(len(folded) + 1,) * 2])
    link = next(links)
    ends = []
    for m in _LIVE_SENTENCE_END.finditer(folded):
        while link[1] <= m.start():
            link = next(links)
        if not link[0] <= m.start() < link[1]:
            ends.append(m.start())
    return ends


def _live_abuse_in(sentence: str) -> str | None:
    """live_abuse_now's reading of one sentence."""
    streams = [
        m
        for m in STREAMING_LIVE.finditer(sentence)
        if not negated(sentence, m.start(), m.end())
        and not _STREAM_ENDED.search(sentence, max(0, m.start() - 20), m.start())
        and (m.group(0) != "vc" or m.start() in _bounded(sentence, "vc"))
    ]
    if not streams or _LIVE_MATERIAL.search(sentence) or _STILL_UP.search(sentence):
        return None
    stream = streams[0]
    breaks = [m.span() for m in _LIVE_CLAUSE_BREAK.finditer(sentence)]
    clause = _clause_of(sentence, stream.start(), breaks)
    if PAST_MARKERS.search(clause) or _LIVE_PAST.search(clause) or _LIVE_TALK.search(clause):
        return None
    now = STREAM_GOING_ON.search(sentence) or NOW_WORDS.search(sentence)
    if now is None:
        return None
    child = _names_a_child(sentence)
    for word in keyword_hits(sentence, ABUSE_NOW_WORDS):
        if word not in _SEXUAL_ABUSE_ACTS and not child:
            continue
        for i in _affirmed_starts(sentence, word):
            if _live_abuse_word_counts(sentence, i, word, breaks):
                return f"{stream.group(0)} + {word} + {now.group(0)} (live)"
    return None


def _live_abuse_word_counts(
    sentence: str, i: int, word: str, breaks: list[tuple[int, int]]
) -> bool:
    """Whether the abuse word at `i` tells of abuse that may be going on: not told in the
    past (its past form outside the passive present, a word of long ago in its clause), nor
    'verbally' or of drugs."""
    before, after = sentence[max(0, i - 20) : i], sentence[i : i + len(word) + 30]
    if _NOT_SEXUAL_BEFORE.search(before) or _NOT_SEXUAL_AFTER.match(after):
        return False
    # Told in the past ("raped my daughter", "molested her"), unless in the passive present
    # ("is being abused").
    if PAST_FORM_AFTER.match(sentence, i + len(word)) and not PASSIVE_BEFORE_EN.search(before):
        return False
    clause = _clause_of(sentence, i, breaks)
    return not (PAST_MARKERS.search(clause) or _LIVE_PAST.search(clause))


def _clause_of(sentence: str, at: int, breaks: list[tuple[int, int]]) -> str:
    """The clause of the sentence that holds position `at`, between the breaks around it
    (_LIVE_CLAUSE_BREAK's spans, found once a sentence: a search for each abuse word made a
    long sentence quadratic)."""
    after = bisect_right(breaks, (at, at))
    start = breaks[after - 1][1] if after else 0
    end = breaks[after][0] if after < len(breaks) else len(sentence)
    return sentence[start:end]


def _recurred_in_the_past(folded: str, abuse: tuple[int, int], recurring: tuple[int, int]) -> bool:
    """True when abuse said with a word of recurrence is not abuse of a person going on: the
    abuse word in its past form ("raped", "molested") unless in the present passive ("is
    being raped"), with neither its victim after it nor a passive before it (a noun: "abuse
    material every day"), or with a word of long ago in its sentence (PAST_MARKERS)."""
    before = folded[max(0, abuse[0] - 12) : abuse[0]]
    participle = PAST_FORM_AFTER.match(folded, abuse[1]) is not None
    if participle:
        if not PASSIVE_BEFORE_EN.search(before):
            return True
    elif not (RECURRING_VICTIM_AFTER.match(folded, abuse[1]) or PASSIVE_BEFORE.search(before)):
        return True
    low, high = min(abuse[0], recurring[0]), max(abuse[1], recurring[1])
    ends_before = [m.end() for m in SENTENCE_END.finditer(folded, 0, low)]
    after = SENTENCE_END.search(folded, high)
    start = ends_before[-1] if ends_before else 0
    sentence = folded[start : after.start() if after else None]
    spans = (abuse[0] - start, abuse[1] - start, recurring[1] - start)
    return any(_long_ago(sentence, marker, spans) for marker in PAST_MARKERS.finditer(sentence))


def _long_ago(sentence: str, marker: re.Match[str], spans: tuple[int, int, int]) -> bool:
    """Whether a word of long ago says the abuse is past (PAST_MARKERS)."""
    abuse_start, abuse_end, recurring_end = spans
    word, before = marker.group(0), sentence[: marker.start()]
    if _SINCE_BEFORE.search(before):
        return False
    if marker.start() < abuse_start:
        return True
    if word in ("dulu", "dahulu"):  # "setiap malam dulu", not "... polis dulu"
        return (
            _RIGHT_AFTER_ITS_TIME.match(sentence[max(abuse_end, recurring_end) : marker.start()])
            is not None
        )
    return word in AFTER_ABUSE


def _same_clause(folded: str, abuse: tuple[int, int], now: tuple[int, int]) -> str:
    """The text between the abuse word and the now word that is in the abuse word's clause
    (CLAUSE_BREAK): up to the first break after it, or from the last break before it."""
    if abuse[0] < now[0]:
        between = folded[abuse[1] : now[0]]
        cut = CLAUSE_BREAK.search(between)
        return between[: cut.start()] if cut else between
    between = folded[now[1] : abuse[0]]
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(between)]
    return between[breaks[-1] :] if breaks else between


def _meeting_tonight(folded: str, about_a_child: bool) -> str | None:
    """'<meet> + <tonight> (near)' for MEET_TONIGHT, with no negation before or within it
    ("he will not meet her tonight", "malam ni dia tak jumpa"), in a report about a child or
    with a person met (MEETING_CHILD, MET_PERSON_AFTER, MET_PERSON_WITHIN); today only with
    a stranger named (STRANGER_NAMED) and a child."""
    if not any(word in folded for word in _SOON_WORDS):  # most descriptions: no regex run
        return None
    child = about_a_child or MEETING_CHILD.search(folded) is not None
    for meeting in _meetings(MEET_TONIGHT, folded):
        if (
            child
            or MET_PERSON_AFTER.match(folded, meeting.meet_end)
            or MET_PERSON_WITHIN.search(folded, meeting.start, meeting.end)
        ):
            return meeting.reason
    if not (child and STRANGER_NAMED.search(folded)):
        return None  # today: a stranger and a child ("meet me today to buy my sofa" is not)
    for meeting in _meetings(MEET_TODAY, folded):
        until = _UNTIL.search(folded, max(0, meeting.when_start - 20), meeting.when_start)
        told_before = meeting.when in _AFTER_SCHOOL and _MEETING_PAST.search(
            _sentence_around(folded, meeting.start, meeting.end)
        )
        if not (until or told_before):  # "until today"; "last month ... after school"
            return meeting.reason
    return None


def _sentence_around(folded: str, start: int, end: int) -> str:
    """The sentence folded[start:end] is in (up to '.', '!', '?', '。' and the like; fold has
    made line breaks spaces), at most 300 characters each way."""
    low, high = max(0, start - 300), min(len(folded), end + 300)
    left = max(folded.rfind(mark, low, start) for mark in ".!?。！？")
    rights = [i for mark in ".!?。！？" if (i := folded.find(mark, end, high)) != -1]
    return folded[max(left + 1, low) : min(rights, default=high)]


def is_child_victim(victim: VictimInfo | None) -> bool:
    """True when the victim is, or must be presumed to be, below 18."""
    if victim is None:
        return False
    if victim.age is not None:
        return victim.age < CHILD_AGE_LIMIT
    if victim.age_range is not None:
        # A range reaching below 18 ("16-18", "15-19") may be a child: presume one (below).
        low, high = (int(part) for part in victim.age_range.split("-"))
        return min(low, high) < CHILD_AGE_LIMIT
    # Identified but no age at all: presume a child until KPWKM or PDRM learn otherwise,
    # because a missed child costs far more than an extra support assessment. A victim the
    # reporter gives a reference to is one it has identified, whatever its flag says (rules
    # 2026-12-02.11: a sextortion victim a platform numbered 'VIC-1' got no support task).
    # A reference that is a stand-in ('N/A', 'unknown') identifies no one (a review).
    return victim.identified or given_reference(victim.pseudonym_ref) is not None


@dataclass(frozen=True)
class Facts:
    """What the rules look at, computed once per report."""

    report: AnyReport
    categories: dict[HarmCategory, list[str]]  # category -> where it came from
    danger_words: list[str]
    child_victim: bool
    # Ages below 18 and school years the description gives, when no victim age is stated.
    child_ages: list[str]
    under_age: list[str]  # 'underage', 'under 16'... in the description, likewise
    # Words of sexual abuse (ABUSE_WORDS, not negated) in a report that names a child.
    child_abuse: list[str]


# Intimate material of a child is CSAM, whoever made or shared it: a child cannot consent, and
# the law makes no difference (Sexual Offences against Children Act 2017). "Someone leaked a
# sex tape of my 15 year old daughter" was NCII, P3, with no PDRM referral. Rules 2026-12-01.4.
# Since 2026-12-02.1 material found by keyword is the child's only near where the description
# names the child (_near_a_child): not an adult's sex tape told of far from "my 12 year old son".
INTIMATE_CATEGORIES: frozenset[HarmCategory] = frozenset(
    {H.SELF_GENERATED_SEXUAL_MATERIAL, H.NON_CONSENSUAL_INTIMATE_CONTENT}
)


def _categories(
    report: AnyReport, young: list[str], child: str | None, live: str | None
) -> dict[HarmCategory, list[str]]:
    """Declared and detected categories; `young` is what the description says of a child's
    age (for the photo-request rule), `child` how the report names a child (_child_named),
    `live` the live rule's hit (live_abuse_now)."""
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
    for category, pair in CATEGORY_KEYWORD_PAIRS.items():
        if hit := pair_hit(report.description, pair):
            found.setdefault(category, []).append(f"keywords {hit}")
    if hit := pair_hit(report.description, MONEY_FOR_MATERIAL):
        found.setdefault(H.SEXTORTION, []).append(f"keywords {hit}")
    elif (
        (hit := pair_hit(report.description, (MONEY_WORDS, OWN_PLAIN_MATERIAL_WORDS)))
        and (child is not None or _names_a_child(fold(report.description)))
        and (
            not keyword_hits(report.description, IMPERSONATION_WORDS)
            or keyword_hits(report.description, _OR_ELSE)
        )
    ):
        found.setdefault(H.SEXTORTION, []).append(f"keywords {hit} (a child named)")
    # Abuse of a named child streamed live now (rules 2026-12-02.10): "abuse" alone is no
    # sexual word, and the category was missing. (Not a plain word of undressing beside a
    # live and a child anywhere in the text: "adik saya nampak seorang lelaki buat live tak
    # pakai baju" is no abuse of the child; a review of .14.)
    named = child is not None or _names_a_child(fold(report.description))
    if live and named:
        found.setdefault(H.LIVE_STREAMED_ABUSE, []).append(f"keywords {live}")
    # A child asked to undress on a live or a video call is (a review of .15: "dia tengah
    # suruh adik saya buka baju dalam video call sekarang" had lost the category).
    asked = H.GROOMING in found and pair_hit(report.description, (LIVE_WORDS, PLAIN_SEXUAL_WORDS))
    if asked and named:
        found.setdefault(H.LIVE_STREAMED_ABUSE, []).append(f"keywords {asked}")
    if triple := _csam_triple(report.description):
        found.setdefault(H.CSAM, []).append(f"keywords {triple}")
    if _cp_slang(report.description):
        found.setdefault(H.CSAM, []).append("keyword 'cp' (slang)")
    requests = photo_request_hits(report.description)
    if requests and young:
        # The child's age in the quoted form, which reasons sent outside the victim
        # agencies leave out (without_quotes): '12 year old son' is the reporter's words.
        found.setdefault(H.GROOMING, []).append(f"keywords '{requests[0]}'{_quoted(young[0])}")
    if child is not None:
        for category in (c for c in HarmCategory if c in INTIMATE_CATEGORIES & found.keys()):
            # Found by keyword alone, the material is the child's only near where the
            # description names the child (_near_a_child); declared, it is the report's.
            by_keyword = all(source.startswith("keyword") for source in found[category])
            words = CATEGORY_KEYWORDS[category]
            if young and by_keyword and not _near_a_child(report.description, words):
                continue
            found.setdefault(H.CSAM, []).append(f"{category.value} of a child{child}")
    # UNKNOWN only stands in when nothing else is known.
    if len(found) > 1:
        found.pop(H.UNKNOWN, None)
    return found or {H.UNKNOWN: ["no category declared or detected"]}


def _csam_triple(text: str | None) -> str | None:
    """The hits, as 'media' + 'abuse' + 'children', when a word of each of CSAM_TRIPLE's
    lists occurs, not counting a "video game" (no recording of a child). Media words first:
    most descriptions have none, and the other lists are not read. Rules 2026-12-02.1: not
    where every media word or every sexual or abuse word is negated ("this is not a video of
    a child being sexually abused", "a video of my son, he was not molested" were CSAM, P2
    with a PDRM referral): one affirmed word of each still makes CSAM."""
    folded = fold(text)
    if not keyword_hits(folded, MEDIA_WORDS):
        return None
    plain = _VIDEO_GAME.sub(" ", folded)
    hits = [keyword_hits(plain, words) for words in CSAM_TRIPLE]
    if not all(hits):
        return None
    media, abuse = affirmed_hits(plain, MEDIA_WORDS), affirmed_hits(plain, CSAM_TRIPLE[1])
    if not (media and abuse):
        return None
    return f"'{media[0]}' + '{abuse[0]}' + '{hits[2][0]}'"


def _cp_slang(text: str | None) -> bool:
    folded = fold(text)
    if "cp" not in folded:  # most descriptions: no regex is run
        return False
    return bool(CSAM_SLANG.search(folded)) and not CSAM_SLANG_NOT.search(folded)


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


def sexual_abuse_of_child(facts: Facts) -> Verdict:
    """Rules 2026-12-01.4: "He raped my 13 year old daughter" was P3, category unknown, with no
    PDRM referral. P2 gives one (streams.fanout: an urgent priority), due in 24 h; not P1,
    which needs the abuse to be going on now (_abuse_near_now). No harm category of the
    contract names contact abuse (HarmCategory): the category is left as detected rather than
    called CSAM or grooming, which it may not be. Rules 2026-12-02.1: the abuse told near where
    the description names the child (_abuse_of_child), not anywhere in it."""
    if facts.child_abuse:
        said = facts.child_ages or facts.under_age
        source = _quoted(said[0]) if said else " (victim age below 18)"
        return Priority.P2, f"sexual abuse of a child: '{facts.child_abuse[0]}'{source}"
    return None


def grooming_of_child(facts: Facts) -> Verdict:
    if H.GROOMING not in facts.categories:
        return None
    if facts.child_victim:
        return Priority.P2, f"grooming with a victim below 18{_age_source(facts)}"
    # "An underage girl": a child, though no age is given (not a victim for KPWKM to reach,
    # as a stated or written age is, but grooming of a child all the same).
    if facts.under_age:
        return Priority.P2, f"grooming of a child{_quoted(facts.under_age[0])}"
    return None


def ocsea_category(facts: Facts) -> Verdict:
    if OCSEA_CATEGORIES & facts.categories.keys():
        return Priority.P3, f"OCSEA category: {_describe(facts, OCSEA_CATEGORIES)}"
    return None


def child_victim(facts: Facts) -> Verdict:
    if facts.child_victim:
        return Priority.P3, f"victim is below 18{_age_source(facts)}"
    return None


def _age_source(facts: Facts) -> str:
    return _quoted(facts.child_ages[0]) if facts.child_ages else ""


def _quoted(words: str) -> str:
    """What the description says of a child, quoted in a reason ('umur saya 14')."""
    return f" (description: '{words}')"


_QUOTE = re.compile(r" \(description: '.*?'\)")


def without_quotes(reason: str) -> str:
    """A reason without the words it quotes from the description: an age, or a child called
    under age, which only those who may see victim details read (KPWKM and PDRM)."""
    return _QUOTE.sub(" (as the description says)", reason)


# Evaluated in order; every rule that fires adds a reason, and the highest priority wins.
RULES: tuple[Callable[[Facts], Verdict], ...] = (
    escalation_flag,
    child_in_danger,
    imminent_danger_keywords,
    severe_category,
    sexual_abuse_of_child,
    grooming_of_child,
    ocsea_category,
    child_victim,
)


def _states_age(report: AnyReport) -> bool:
    victim = None if isinstance(report, PublicReport) else report.victim
    return victim is not None and (victim.age is not None or victim.age_range is not None)


def child_ages_named(report: AnyReport) -> list[str]:
    """Ages below 18 the description gives a young person, and school years that place a
    child ("a form 2 student"), when the report states no victim age itself (a stated age
    wins: "age 25" in a victim block is not overruled by the text)."""
    if _states_age(report):
        return []
    return child_age_hits(report.description) + school_child_hits(report.description)


def under_age_named(report: AnyReport) -> list[str]:
    """'Underage', 'minor' and the like in the description, when no victim age is stated."""
    return [] if _states_age(report) else under_age_hits(report.description)


def names_a_child_victim(report: AnyReport) -> bool:
    """A victim below 18: stated (VictimInfo), or, without a stated age, named by age or
    school year in the description ("my 12 year old son", "a form 2 student"): a public
    report has no victim block at all. (A child only called under age, with no victim, is
    `child_at_risk`.)"""
    return facts_of(report).child_victim


# Harms done to a child now, by someone in contact with them: a child the report calls under
# age is at risk. Not CSAM alone: a hotline's "depicts a minor" describes material, whose
# victim PDRM's referral identifies; KPWKM would get a task for every such referral.
CONTACT_HARMS: frozenset[HarmCategory] = frozenset(
    {H.GROOMING, H.SEXTORTION, H.SELF_GENERATED_SEXUAL_MATERIAL, H.LIVE_STREAMED_ABUSE}
)


def child_at_risk(facts: Facts) -> bool:
    """A child the description calls under age, in a report of a contact harm or of sexual
    abuse ("an underage girl was raped": KPWKM's support), where no victim below 18 is
    stated or aged in the text (that is `child_victim`)."""
    contact = bool(CONTACT_HARMS & facts.categories.keys()) or bool(facts.child_abuse)
    return not facts.child_victim and bool(facts.under_age) and contact


def facts_of(report: AnyReport) -> Facts:
    """Compute once the facts that the triage rules read (and prepare_report's child_victim:
    the description's patterns run once a report)."""
    victim = None if isinstance(report, PublicReport) else report.victim
    ages, under_age = child_ages_named(report), under_age_named(report)
    said = ages or under_age
    child = _child_named(report, said)
    live = live_abuse_now(report.description)
    categories = _categories(report, said, child, live)
    child_victim = is_child_victim(victim) or bool(ages)
    about_a_child = child_victim or bool(under_age) or bool(OCSEA_CATEGORIES & categories.keys())
    return Facts(
        report=report,
        categories=categories,
        danger_words=danger_hits(report.description, about_a_child, live),
        child_victim=child_victim,
        child_ages=ages,
        under_age=under_age,
        child_abuse=_abuse_of_child(report.description, said, child),
    )


def _abuse_of_child(text: str | None, said: list[str], child: str | None) -> list[str]:
    """Words of sexual abuse, not negated, in a report that names a child: near where the
    description names the child (_near_a_child), or anywhere when a victim age below 18 is
    stated (the report is the victim's)."""
    if child is None:
        return []
    if said:
        return _near_a_child(text, ABUSE_WORDS, affirmed=True)
    return affirmed_hits(text, ABUSE_WORDS)


# A child and the material or the abuse a description tells of go together when told in the
# same sentence, or within CHILD_GAP characters ("My daughter is 14. He posted her nude photos
# on Telegram."): about a sentence either side, as the examples of tests/unit/test_triage.py
# tell them (the farthest, 37 characters apart). Rules 2026-12-02.1: a long description naming
# "my 12 year old son" in one sentence and an adult's sex tape, or a rape in the news, in
# another was CSAM, or sexual abuse of a child, P2 with a PDRM referral.
CHILD_GAP = 100
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|[。！？]")


def _near_a_child(text: str | None, words: tuple[str, ...], affirmed: bool = False) -> list[str]:
    """The words of the table (affirmed: not negated, as affirmed_hits) that occur near where
    the description names a child (child_mention_spans). Where the child's words cannot be
    placed, anywhere, as before rules 2026-12-02.1."""
    folded = fold(text)
    spans = child_mention_spans(text)
    if not spans:
        return affirmed_hits(folded, words) if affirmed else keyword_hits(folded, words)
    found = []
    for word in keyword_hits(folded, words):
        starts = _affirmed_starts(folded, word) if affirmed else _bounded(folded, word)
        if any(_near(folded, i, i + len(word), spans) for i in starts):
            found.append(word)
    return found


def _near(folded: str, start: int, end: int, spans: tuple[tuple[int, int], ...]) -> bool:
    for child_start, child_end in spans:
        if child_end <= start:
            low, high = child_end, start
        elif end <= child_start:
            low, high = end, child_start
        else:
            return True  # overlapping
        if high - low <= CHILD_GAP or not _SENTENCE_END.search(folded, low, high):
            return True
    return False


def _child_named(report: AnyReport, said: list[str]) -> str | None:
    """How the report names a child, as a reason ends: by an age or an under-age word in the
    description (quoted), or by a victim age below 18; None if it does not. Not a victim
    presumed a child for want of an age (is_child_victim): that presumption asks KPWKM to
    look, not for material to be called CSAM or a report of abuse P2."""
    if said:
        return _quoted(said[0])
    victim = None if isinstance(report, PublicReport) else report.victim
    if _states_age(report) and is_child_victim(victim):
        return " (victim age below 18)"
    return None


def triage(report: AnyReport) -> Triage:
    """Categories, priority and reasons for a report under RULES_VERSION."""
    return triage_of(facts_of(report))


def triage_of(facts: Facts) -> Triage:
    """Categories, priority and reasons from a report's facts under RULES_VERSION."""
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
