"""Normalise identifiers so equal facts from different reports compare equal and link."""

import base64
import binascii
import ipaddress
import re
import string
import unicodedata
from collections.abc import Callable
from functools import lru_cache, partial
from typing import Literal
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import phonenumbers

from contracts.cases import Identifier
from contracts.deadletters import FieldError
from contracts.reports import (
    ContentItem,
    NgoReferral,
    PlatformReport,
    PublicReport,
    ReportedAccount,
)

UNKNOWN_PLATFORM = "unknown"
DEFAULT_PHONE_REGION = "MY"

# Reporters write platforms many ways; one name per service or the same account never links.
PLATFORM_ALIASES: dict[str, str] = {
    "fb": "facebook", "facebook.com": "facebook", "fb.com": "facebook", "messenger": "facebook",
    "ig": "instagram", "instagram.com": "instagram",
    "wa": "whatsapp", "whatsapp.com": "whatsapp", "wa.me": "whatsapp",
    "tg": "telegram", "t.me": "telegram", "telegram.org": "telegram",
    "twitter": "x", "twitter.com": "x", "x.com": "x",
    "tiktok.com": "tiktok", "tik tok": "tiktok",
    "yt": "youtube", "youtube.com": "youtube", "youtu.be": "youtube",
    "discord.com": "discord",
    "snapchat.com": "snapchat", "snap": "snapchat",
    "wechat.com": "wechat", "weixin": "wechat",
    "insta": "instagram", "telegram.me": "telegram",
    # Each service's own short and other domains (since 2026-12-01: a case got a takedown
    # notice for 'fb.watch' and another for 'facebook'). Not 'wa.link', someone else's.
    "fb.watch": "facebook", "fb.me": "facebook", "fb.gg": "facebook", "instagr.am": "instagram",
    "discord.gg": "discord", "discordapp.com": "discord", "youtube-nocookie.com": "youtube",
    # As Chinese-speaking reporters write them.
    "脸书": "facebook", "臉書": "facebook", "微信": "wechat", "电报": "telegram",
    "電報": "telegram", "推特": "x",
    # Since 2026-12-02 (a helper's bug hunt): Malaysian Chinese ("面子书", Facebook), Tamil
    # script, and "tele" for Telegram: each was a platform of its own, and a WhatsApp number
    # written under "வாட்ஸ்அப்" was no phone.
    "面子书": "facebook", "面子書": "facebook", "tele": "telegram",
    "வாட்ஸ்அப்": "whatsapp", "வாட்ஸ் அப்": "whatsapp", "வாட்சப்": "whatsapp",
    "முகநூல்": "facebook", "பேஸ்புக்": "facebook", "டெலிகிராம்": "telegram",
    "இன்ஸ்டாகிராம்": "instagram", "டிக்டாக்": "tiktok", "யூடியூப்": "youtube",
}  # fmt: skip
SERVICES = frozenset(PLATFORM_ALIASES.values())
# Where the services serve their files from: a takedown notice for a file there goes to the
# service (takedown_host), not one to each CDN server ('scontent-sin6-1.xx.fbcdn.net', a
# helper's review: a Meta report of five files gave five notices beside Facebook's). Not in
# PLATFORM_ALIASES: a CDN host names no account, and keys are never made from it.
CDN_DOMAINS: dict[str, str] = {
    "fbcdn.net": "facebook", "cdninstagram.com": "instagram", "whatsapp.net": "whatsapp",
    "tiktokcdn.com": "tiktok", "tiktokcdn-us.com": "tiktok", "tiktokv.com": "tiktok",
    "twimg.com": "x", "ytimg.com": "youtube", "googlevideo.com": "youtube",
    "discordapp.net": "discord", "telegram-cdn.org": "telegram", "telesco.pe": "telegram",
    "sc-cdn.net": "snapchat",
}  # fmt: skip

# Words around a service's name that name a product or part of it on the same accounts:
# 'Facebook Messenger', 'WhatsApp Business', 'Telegram channel', 'TikTok Lite', 'X (Twitter)'
# are where the same handles and numbers live. ('Messenger' alone is Facebook's.)
_SERVICE_QUALIFIERS = frozenset({
    "app", "apps", "business", "channel", "chat", "dm", "group", "groups", "lite", "live",
    "marketplace", "messenger", "meta", "page", "reels", "shorts", "stories", "story", "web",
    "grup", "kumpulan", "saluran", "群", "群组", "群組", "频道", "頻道",  # ms, zh: group, channel
})  # fmt: skip
# Not '-': 'web-whatsapp.com' or 'chat-wa' is someone else's name made to look like one.
_NAME_WORDS = re.compile(r"[\s/()\[\]|,&+]+")
# No port: an account's key names its platform before a ':' ('account:facebook:u:...'); a
# name's port is dropped before this is matched (_without_colon).
_HOST_LIKE = re.compile(r"^[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#][^:]*)?$")

# The characters of a handle on Telegram and X, and on Instagram and TikTok (with '.').
_TELEGRAM_HANDLE_CHARS = re.compile(r"^[a-z0-9_]+$")
_DOTTED_HANDLE_CHARS = re.compile(r"^[a-z0-9._]+$")

# Services where the "username" people quote is usually a phone number.
_PHONE_HANDLE_PLATFORMS = frozenset({"whatsapp", "telegram", "wechat"})

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_LABEL = re.compile(r"^[\w-]+$")
_TLD = re.compile(r"^([^\W\d_]{2,}|xn--[a-z0-9-]+)$", re.IGNORECASE)
_PHONE_LIKE = re.compile(r"^\+?[\d\s().-]{6,}$")
# What people write between a phone number's digits.
_PHONE_SEPARATORS = re.compile(r"[\s().-]")
_DEFAULT_PORTS = {"http": 80, "https": 443, "ftp": 21}
_TRACKING_PARAMS = frozenset({"fbclid", "gclid", "igshid", "igsh", "msclkid"})
# A service's own share and tracking parameters, on its pages only (elsewhere 's' or 'si' may
# name the page): each share of one reel, post or video carries its own, and the same link
# shared twice was two URLs that never linked. Keyed by the service's main host, as
# canonical_url names it.
_SHARE_PARAMS: dict[str, frozenset[str]] = {
    "x.com": frozenset({"s", "t", "ref_src", "ref_url"}),
    "tiktok.com": frozenset(
        {
            "_t", "_r", "is_from_webapp", "sender_device", "sender_web_id", "is_copy_url",
            "share_app_id", "share_link_id", "share_item_id", "social_share_type", "tt_from",
            "u_code", "timestamp", "checksum", "web_id", "refer", "source",
        }
    ),
    "facebook.com": frozenset(
        {"mibextid", "rdid", "share_url", "sfnsn", "extid", "__cft__[0]", "__tn__", "_rdr"}
    ),
    "youtube.com": frozenset({"si", "feature", "pp"}),
}  # fmt: skip

_HASH_BYTES = {"md5": 16, "sha1": 20, "sha256": 32}
_HEX = re.compile(r"^[0-9a-fA-F]+$")
_PDQ = re.compile(r"^[0-9a-f]{64}$")
# A hash as tools print it: after its algorithm's name ("MD5:d41d8c...", "sha-256 = ..."), or
# after '0x'. Read without them: "MD5:<hex>" and "0x<hex>" were dropped, and never linked.
_HASH_LABEL = re.compile(
    r"^(?:(?:md5|sha-?1|sha-?256|pdq|photodna)\s*[:=]\s*|(?:md5|sha-?1|sha-?256)\s+)", re.I
)
# '0x' before hex digits only: a base64 hash may start with "0x" (one in 2,048: a review).
_HEX_PREFIX = re.compile(r"^0x(?=[0-9a-fA-F]+$)", re.I)
# A PhotoDNA hash is 144 bytes; even as comma-separated decimals it stays under this.
PHOTODNA_MAX_LEN = 1024
PHOTODNA_BYTES = 144
_DECIMAL_BYTES = re.compile(r"^\d{1,3}(?:,\d{1,3})*$")
_DECIMAL_LIST = re.compile(r"\d{1,3}(?:[\s,]+\d{1,3})+")
_HEX_PAIRS = re.compile(r"[0-9a-fA-F]{2}(?:[:-][0-9a-fA-F]{2})+")
_LIST_SEPARATOR = re.compile(r"[\s,]+")
_ESCAPE = re.compile(r"%([0-9a-fA-F]{2})")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")

# Values written where there is no value. They are not identifiers: kept, the first reports
# carrying one would all merge into one case. Each is compared with the value as normalised
# (lowercase, trimmed; the id or handle without its platform or scheme; for content
# `ALGORITHM:HEX`): the "any" row applies to every kind, a kind's own row to that kind only.
PLACEHOLDERS: dict[str, frozenset[str]] = {
    "any": frozenset(
        {
            "n/a",
            "na",
            "n.a",
            "nil",
            "none",
            "null",
            "test",
            "undefined",
            "unknown",  # en
            "anonymous",
            "anon",
            "xxx",
            "no name",
            "not known",
            "dont know",
            "don't know",  # en
            "tiada",
            "tidak tahu",
            "tak tahu",
            "tidak diketahui",
            "tiada nama",
            "tak tau",
            "tidak tau",
            "tak pasti",
            "tidak pasti",
            "tak ingat",
            "tidak ingat",
            "lupa",  # ms: don't know, not sure, don't remember, forgot
            "idk",
            "no idea",
            "deleted",
            "deleted account",
            "akaun dipadam",  # an account gone since
            "不记得",
            "不記得",  # zh: don't remember
            "不知道",
            "不详",
            "不詳",
            "无",
            "無",
            "没有",
            "沒有",
            "未知",
            "தெரியாது",
            "இல்லை",  # ta: don't know, none
            # 2026-12-02, a review of fan-out: each was a takedown's target or a victim.
            "n / a",
            "n /a",
            "n/ a",
            "not applicable",
            "not sure",
            "to be confirmed",
            "please select",
            "-- select --",
            "--select--",
            "- select -",
            "sila pilih",  # a form's unchosen option ('-- select --')
        }
    ),  # fmt: skip
    # Don't-know answers (2026-12-02, a review: each was an account every report giving it
    # shared). Every kind's but an e-mail's ('dunno@gmail.com' may be someone's address).
    "account": frozenset(
        {
            "dunno",
            "i don't know",
            "i dont know",
            "no username",
            "not provided",
            "not given",
            "private account",
            "same as above",  # en
            "takde",
            "tak ada",
            "tiada maklumat",
            "xtau",
            "x tau",
            "tk tau",
            "tak tau nama",
            "tak tahu nama",
            "entah",  # ms, with the chat spellings
            "不清楚",  # zh
            "தெரியவில்லை",  # ta
        }
    ),
    # The MAC address Android has given every app since version 6, whatever the phone.
    "device": frozenset({"02:00:00:00:00:00"}),
    # A platform or host named as "another one": it names none ("其他", "lain-lain").
    "platform": frozenset(
        {"other", "others", "lain", "lain-lain", "lainnya", "其他", "其它", "மற்றவை"}
        | {"lain lain", "lain2", "other platform", "other platforms", "other app", "other apps"}
        | {"unknown host", "unknown provider", "unknown platform", "unknown app", "unknown site"}
    ),
    # Hashes of the empty file: every failed download or empty upload has them.
    "content": frozenset(
        {
            "md5:d41d8cd98f00b204e9800998ecf8427e",
            "sha1:da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        }
    ),
}
# Each kind's own row, with the don't-know answers for every kind but an e-mail's.
_DONT_KNOW = PLACEHOLDERS["account"]
_PLACEHOLDERS_OF: dict[str, frozenset[str]] = {
    kind: PLACEHOLDERS.get(kind, frozenset()) | (_DONT_KNOW if kind != "email" else frozenset())
    for kind in ("account", "content", "phone", "email", "device", "payment", "ip", "url",
                 "platform")
}  # fmt: skip
# And any value of nothing but zeros and punctuation: "-", "0", "0000000000", the all-zero
# UUID a device reports when ad tracking is off, an all-zero hash.
# ASCII punctuation only: a username of emoji or of another script's symbols is a real one.
# A page of a site, with no fragment: (host, path, query).
_SITE_PAGE = re.compile(r"^[a-z][a-z0-9+.-]*://([^/?#:@]+)(/[^?#]*)?(\?[^#]*)?$")
_NO_VALUE = re.compile(r"^[0\s!-/:-@\[-`{-~]*$")
# The same accounts, phones and files recur across reports: normalise each value once.
_CACHE = 65_536
_ANY_PLACEHOLDER = PLACEHOLDERS["any"]
_NONE: frozenset[str] = frozenset()
# What people end a placeholder with or put around it ('tiada.', '"n/a"').
# (Not '-': 'anon-' and 'xxx-' may be handles; a review. The dashes a form puts alone, '—'.)
_AROUND_A_PLACEHOLDER = " .,!?;:'\"()[]<>。，！？—–"


@lru_cache(maxsize=_CACHE)
def is_placeholder(kind: str, value: str) -> bool:
    """True if the normalised `value` is a stand-in for "no value" (see PLACEHOLDERS), or,
    for a URL, a known platform's front page ('https://facebook.com/'), which names no one
    thing: every report that typed the platform's name linked into one case."""
    lowered = value.strip().lower()
    # And without the punctuation people end it with or put around it ('tiada.', '"n/a"').
    bare = lowered.strip(_AROUND_A_PLACEHOLDER)
    # Set lookups, no generators: this runs for every identifier of every report.
    anything, of_kind = _ANY_PLACEHOLDER, _PLACEHOLDERS_OF.get(kind, _DONT_KNOW)
    return (
        lowered in anything
        or lowered in of_kind
        or (bare != lowered and (not bare or bare in anything or bare in of_kind))
        or bool(_NO_VALUE.match(lowered))
        or (kind == "url" and _is_platform_front_page(lowered))
    )


def given_reference(ref: str | None) -> str | None:
    """A victim's reference as given, or None for a stand-in ('N/A', 'unknown', '-'): such a
    reference made a child victim and a KPWKM task of every report giving it, and one
    Victim node of all an organisation's reports that did (a review of fan-out)."""
    return None if ref is None or is_placeholder("account", ref) else ref


def _is_platform_front_page(url: str) -> bool:
    """A general-purpose platform's front page ('https://www.facebook.com/', and on its other
    hosts: 'https://m.facebook.com/', 'https://web.whatsapp.com/'), whatever its query says
    ('?ref=bookmarks', '?hl=en'), or one of its own pages with no query ('facebook.com/
    marketplace', 'instagram.com/direct/inbox', 'tiktok.com/foryou', 'web.telegram.org/k'):
    each names no one thing, and until 2026-12-02 the pages were identifiers every report
    that linked one shared ("I met him on facebook.com/marketplace"). Not any site's: a site
    that exists for abuse is known by its address. A page with a query or a fragment may name
    one thing ('permalink.php?story_fbid=...', 'web.telegram.org/k/#@uncle_x')."""
    found = _SITE_PAGE.match(url)
    if found is None:
        return False
    site = _service_host(found.group(1))
    if site not in PLATFORM_ALIASES and site not in _SITE_PAGES:
        return False
    path = (found.group(2) or "").strip("/")
    if not path:
        return True
    return not found.group(3) and path in _SITE_PAGES.get(site, _COMMON_PAGES)


# Company forms that end a provider's or platform's name: "BadHost Ltd.", "BadHost, Inc" and
# "badhost" are one hosting provider, one takedown and preservation target. Only whole words
# at the end, and never the whole name.
LEGAL_FORMS: frozenset[str] = frozenset(
    {
        "ltd", "limited", "inc", "incorporated", "llc", "llp", "lp", "corp", "corporation",
        "co", "company", "plc", "gmbh", "ag", "sa", "sas", "sarl", "srl", "spa", "bv", "nv",
        "ab", "as", "oy", "kk", "pte", "pty", "pvt", "sdn", "bhd", "berhad", "sendirian",
    }
)  # fmt: skip
_FORM_PUNCTUATION = ".,"


def _without_legal_form(key: str) -> str:
    words = key.split(" ")
    if len(words) < 2 or words[-1].replace(".", "").strip(",") not in LEGAL_FORMS:
        return key
    while len(words) > 1 and words[-1].replace(".", "").strip(",") in LEGAL_FORMS:
        words.pop()
    return " ".join(words).rstrip(_FORM_PUNCTUATION)


@lru_cache(maxsize=_CACHE)
def normalise_platform(name: str) -> str:
    """Canonical lowercase platform name, resolving common aliases and domains, without a
    trailing company form ("BadHost Sdn. Bhd." is "badhost"). Its own canonical form: each
    step may uncover another ('www.www.fb', 'Facebook /'), so they run until none changes
    anything; stored keys are normalised again (exclusion rules, data repairs). A name that
    says "none" or "another" ('N/A', 'Tidak tahu', 'Lain-lain') is the unknown platform: kept,
    it was a takedown target ('n/a') and a platform of its own for accounts."""
    settled = _settled(_platform_pass, name)
    return UNKNOWN_PLATFORM if not settled or is_placeholder("platform", settled) else settled


# Enough for any value people type; one still changing after them is used as it stands.
_SETTLE_PASSES = 8


def _settled(
    step: Callable[[str], str], value: str, done: Callable[[str], bool] = lambda _: False
) -> str:
    """`step` applied until it changes nothing, or until `done` says the value is settled."""
    for _ in range(_SETTLE_PASSES):
        if done(value):
            break
        stepped = step(value)
        if stepped == value:
            break
        value = stepped
    return value


def _platform_pass(name: str) -> str:
    key = " ".join(name.strip().casefold().replace("\uff1a", ":").split())
    # An app's link names its service ('fb://profile/1', 'tg://resolve?...', 'whatsapp://');
    # any other scheme ('ftp://', a defanged 'hxxps://', 'rtmps://') is dropped, and a port.
    scheme = _ANY_SCHEME.match(key)
    if scheme is not None:
        # 'fb-messenger://' is Facebook's, as 'fb://' is ('x-callback://', 'yt-dlp://' are
        # no one's: only Facebook's own app schemes are read by their first part).
        whole, first = scheme.group(1), re.split(r"[-+.]", scheme.group(1))[0]
        for word in (whole, first) if first in _APP_SCHEME_PREFIXES else (whole,):
            if (app := _service_named(word)) is not None:
                return app
        key = key[scheme.end() :]
        # An Android app by its package ('android-app://com.facebook.katana',
        # 'market://details?id=com.whatsapp', an intent's 'package=com.whatsapp'); only in
        # such a link, and the whole package: 'com.whatsapp-update.example' is someone's host.
        package = _ANDROID_PACKAGE.match(key)
        if package is not None and package.group(1) in ANDROID_PACKAGES:
            return ANDROID_PACKAGES[package.group(1)]
    key = key.removeprefix("www.").rstrip("/").strip()
    key = _PORT_BEFORE_PATH.sub(r"\1", key)
    key = _without_colon(key)
    if not key:
        return ""
    # 'Facebook.' and 'facebook.com.' (a fully qualified host) name the service too.
    key = _without_legal_form(key).rstrip(".").strip()
    if not key:
        return ""
    if key in PLATFORM_ALIASES:
        return PLATFORM_ALIASES[key]
    if _HOST_LIKE.match(key):
        return _service_of_host(key) or key
    return _service_named_in(key) or key


# A form's label typed with its answer ('Platform: Instagram', 'App: Bigo Live'): the answer.
_PLATFORM_LABELS = frozenset({
    "platform", "app", "apps", "aplikasi", "application", "site", "website", "laman",
    "laman web", "medium", "media", "social media", "media sosial", "service", "via",
    "平台", "应用", "應用", "网站", "網站", "媒体", "媒體", "社交媒体", "社交媒體", "தளம்", "செயலி",
})  # fmt: skip


_ANY_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://")
_IPV6_HOST = re.compile(r"^\[[0-9a-f:.]+\](?:[/?#]|$)")
_ANDROID_PACKAGE = re.compile(
    r"^(?:.*?[?&;#/](?:id|package)=)?([a-z]\w*(?:\.\w+){1,4})(?=$|[;&#/])"
)
_APP_SCHEME_PREFIXES = frozenset({"fb"})
_BANK_LABEL = re.compile(r"^(?:bank|akaun bank|bank account)\s*[:-]\s*")
ANDROID_PACKAGES: dict[str, str] = {
    "com.facebook.katana": "facebook", "com.facebook.orca": "facebook",
    "com.facebook.lite": "facebook", "com.facebook.mlite": "facebook",
    "com.instagram.android": "instagram", "com.whatsapp": "whatsapp",
    "com.whatsapp.w4b": "whatsapp", "org.telegram.messenger": "telegram",
    "com.zhiliaoapp.musically": "tiktok", "com.ss.android.ugc.trill": "tiktok",
    "com.twitter.android": "x", "com.google.android.youtube": "youtube",
    "com.snapchat.android": "snapchat", "com.discord": "discord", "com.tencent.mm": "wechat",
}  # fmt: skip
_PORT_BEFORE_PATH = re.compile(r"^([a-z0-9.-]+\.[a-z0-9-]+|\[[0-9a-f:.]+\]):\d+(?=[/?#]|$)")


def _without_colon(key: str) -> str:
    """A name without the ':' an account's key cannot hold ('account:PLATFORM:u:...'): 'IG:'
    made 'account:ig::u:uncle_x', which no step after intake could read back, so the account
    linked nothing and its notices went to 'ig:'. A label before it ('Platform: Instagram')
    is dropped, a service before it names the service ('Telegram: @uncle_x', 'FB: Messenger'),
    a port after a host says nothing of whose it is ('facebook.com:8080'); else the two
    sides are one name. An IP address (a takedown's host) is kept as it is."""
    if ":" not in key or _is_ip_address(key) or _IPV6_HOST.match(key):
        return key
    head, _, tail = (part.strip() for part in key.partition(":"))
    # A label, or a placeholder as one ('Lain-lain: Bigo Live', 'Other: IG').
    labelled = head in _PLATFORM_LABELS or is_placeholder("platform", head)
    if not tail or labelled:
        return tail if labelled else head
    if not head:
        return tail
    if tail.isdigit() and (_HOST_LIKE.match(head) or _is_ip_address(head)):
        return head
    return _service_named(head) or f"{head} {tail}"


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


def _service_of_host(key: str, domains: dict[str, str] = PLATFORM_ALIASES) -> str | None:
    """The service whose domain a host (or a link) is on: 'm.facebook.com', 'web.whatsapp.com',
    'vm.tiktok.com/ZS...'. Whole labels only: 'notfacebook.com' and 'web-whatsapp.com' are
    no one's but their owners'. `domains`: the services' own (or their CDNs', CDN_DOMAINS)."""
    labels = re.split(r"[/?#]", key, maxsplit=1)[0].split(".")
    for start in range(len(labels) - 1):
        service = domains.get(".".join(labels[start:]))
        if service is not None:
            return service
    return None


def takedown_host(host: str) -> str:
    """Where a takedown notice for a file at `host` goes: its service, by the service's
    domains or its CDN's (CDN_DOMAINS), else the host as normalise_platform gives it."""
    named = normalise_platform(host)
    if named in SERVICES:
        return named
    return _service_of_host(named, CDN_DOMAINS) or named


def organisation_service(organisation_id: str) -> str:
    """The service a platform's organisation id names: 'tiktok-my' is TikTok's Malaysian
    office, and its report naming no platform is about TikTok (it was 'tiktok-my', and a
    takedown for a tiktok.com video went to both). An id naming no one service is itself."""
    named = normalise_platform(organisation_id)
    if named in SERVICES:
        return named
    first = re.split(r"[-_.\s]+", named, maxsplit=1)[0]
    return _service_named(first) or named


def _service_named_in(key: str) -> str | None:
    """The one service a name of several words names, each word a service's name, an alias
    or a product word ('fb messenger', 'whatsapp business', 'twitter/x'); None if any word
    is something else or two services are named ('telegram x'). A word of one letter ('x')
    names nothing by itself: 'Live X' or 'App X' may be anything, 'X (Twitter)' is X."""
    words = [word for word in _NAME_WORDS.split(key) if word]
    if len(words) < 2:
        return None
    if any(w not in _SERVICE_QUALIFIERS and _service_word(w) is None for w in words):
        return None
    naming = [w for w in words if len(w) > 1]
    named = {_service_word(w) for w in naming if w not in _SERVICE_QUALIFIERS}
    if not named:  # only product words: 'messenger lite'
        named = {_service_word(w) for w in naming} - {None}
    # A one-letter word names the same service, or is a product word ('群', a group).
    agreeing = all(
        _service_word(w) in named for w in words if len(w) == 1 and w not in _SERVICE_QUALIFIERS
    )
    return named.pop() if len(named) == 1 and agreeing else None


def _service_word(word: str) -> str | None:
    """The service a word names by itself; a domain ('whatsapp.com') only as a whole name."""
    return None if "." in word else _service_named(word)


def _service_named(name: str) -> str | None:
    """The service a name is, or is an alias of ('fb', 'facebook.com'); None for others."""
    return name if name in SERVICES else PLATFORM_ALIASES.get(name)


@lru_cache(maxsize=_CACHE)
def normalise_username(platform: str, username: str) -> str:
    """Username without whitespace or leading "@", casefolded; phone handles become E.164.

    Read as people paste it: compatibility forms folded (full-width 'ｕｎｃｌｅ＿ｘ' and '＠'
    are 'uncle_x' and '@'), invisible format characters dropped (a zero-width space or a
    direction mark copied with it), and a link to the profile on the same service read as
    its handle ('t.me/uncle_x'): each of these made one handle several identifiers."""
    service = normalise_platform(platform)
    # Folding can uncover what a pass reads (a combining mark that becomes a letter of the
    # handle, an ASCII neighbour of a joiner): run until nothing changes, so that a handle
    # normalised twice is the handle normalised once. An ASCII handle is settled at once.
    step = partial(_username_pass, service)
    return _settled(step, step(username), done=str.isascii)


def _username_pass(service: str, username: str) -> str:
    value = _without_invisibles(unicodedata.normalize("NFKC", username))
    # Folded before a link or a phone is read from it: casefolding can compose a letter
    # out of a mark the link's pattern does not take.
    value = unicodedata.normalize("NFKC", _without_leading_at(value).casefold())
    value = _handle_of_profile_link(service, value) or value
    value = _without_punctuation_around(service, value)
    if service == "instagram" and _INSTAGRAM_HANDLE.match(value) and value.rstrip("."):
        # Instagram takes no username ending in a period: one there ends the writer's
        # sentence ('DM @uncle.x.'), as a link to the profile already reads it.
        value = value.rstrip(".")
    if service == "facebook" and _FACEBOOK_HANDLE.match(value):
        # Facebook counts neither periods nor case in a username: 'uncle.x' and 'unclex'
        # are one profile (facebook.com/uncle.x opens facebook.com/unclex's).
        value = value.replace(".", "")
    if (
        service == "whatsapp"
        and _ASCII_DIGITS.match(value)
        and len(value) >= _INTERNATIONAL_MIN
        and (number := _international(value))
    ):
        # WhatsApp names an account by its number: digits not written as a national number
        # are an international one, as a wa.me link reads them ('6591234567').
        return number
    if service in _PHONE_HANDLE_PLATFORMS:
        # Only a number written as a phone: national "0...", "+...", or Malaysia's "60..." as
        # wa.me links write it. "user0123456789" must stay a username, and any other run of
        # digits (a user id) was read as a Malaysian number, the key of someone's phone.
        compact = _PHONE_SEPARATORS.sub("", value)
        if _PHONE_LIKE.match(value) and compact.startswith(("0", "+", "60")):
            phone = normalise_phone(value)
            if phone is not None:
                return phone
    # Handles on the services we see are case-insensitive (folded above); user ids are not
    # (kept as given: _user_id_value).
    return value


# What a sentence or a list puts around a handle ('DM @uncle_x.', '"uncle.x"', 'uncle.x,').
AROUND_A_HANDLE = ".,;:!?'\"()[]<>"
# Services whose handles take a known set of characters; TikTok's end in no period either.
_HANDLE_GRAMMAR = {
    "telegram": _TELEGRAM_HANDLE_CHARS,
    "x": _TELEGRAM_HANDLE_CHARS,
    "instagram": _DOTTED_HANDLE_CHARS,
    "tiktok": _DOTTED_HANDLE_CHARS,
    "facebook": re.compile(r"^[a-z0-9.]+$"),
}


def _without_punctuation_around(service: str, value: str) -> str:
    """A handle on a service whose handles take no such characters, without the punctuation
    around it: 'uncle_x.' on Telegram, '(uncle.x)' on Instagram and 'uncle.x.' on TikTok were
    accounts apart from 'uncle_x' and 'uncle.x' (2026-12-02, a review). Only if what is left
    is a handle there."""
    grammar = _HANDLE_GRAMMAR.get(service)
    if grammar is None:
        return value
    trimmed = value
    if not grammar.match(value):  # '(@uncle_x)': the '@' inside what is around it
        trimmed = _without_leading_at(value.strip(AROUND_A_HANDLE)).strip(AROUND_A_HANDLE)
    if service == "tiktok":
        trimmed = trimmed.rstrip(".")
    return trimmed if trimmed and grammar.match(trimmed) else value


# Format characters that join or shape what they sit in are kept: the zero-width joiner and
# non-joiner (emoji sequences, Indic scripts) and tag characters (flags of regions). Without
# them, distinct emoji handles were one.
_KEPT_FORMAT = frozenset({"\u200c", "\u200d"})


def _without_invisibles(text: str) -> str:
    """Without the format characters nobody sees: zero-width spaces, direction marks, BOMs;
    a joiner only between two other non-ASCII characters (in an emoji sequence or a script
    that needs it), a tag character only after one (a flag's tags follow its emoji)."""
    if text.isascii():
        return text
    chars = [ch for ch in text if unicodedata.category(ch) != "Cf" or _shapes(ch)]
    kept = []
    for i, ch in enumerate(chars):
        after = i > 0 and not chars[i - 1].isascii()
        if ch in _KEPT_FORMAT:
            if after and i < len(chars) - 1 and not chars[i + 1].isascii():
                kept.append(ch)
        elif _is_tag(ch):
            if after:
                kept.append(ch)
        else:
            kept.append(ch)
    return "".join(kept)


def _is_tag(ch: str) -> bool:
    return "\U000e0020" <= ch <= "\U000e007f"


def _shapes(ch: str) -> bool:
    return ch in _KEPT_FORMAT or _is_tag(ch)


def _without_leading_at(text: str) -> str:
    """Without whitespace around and every leading '@' ('@ @uncle_x' is 'uncle_x')."""
    value = text.strip()
    while value.startswith("@"):
        value = value[1:].strip()
    return value


# A profile link: host, then the handle alone ('@' allowed before it).
_PROFILE_LINK = re.compile(
    r"^(?:https?://)?([a-z0-9.-]+\.[a-z]{2,})/@?([\w.+-]+)/?$", re.IGNORECASE
)


def _handle_of_profile_link(service: str, value: str) -> str | None:
    """The handle of a link to a profile on `service` ('https://t.me/uncle_x' on Telegram);
    None for anything else (a link to another service, a post, a page with a query)."""
    if "/" not in value:
        return None
    # As the link among a report's URLs reads it, where that names a handle on this service
    # ('api.whatsapp.com/send?phone=...', 'tiktok.com/@uncle?_t=...'); else as before.
    url = canonical_url(value)
    profile = _profile_of_link(url) if url else None
    if profile is not None and profile[:2] == (service, "u"):
        # Folded: canonical_url decodes escapes the casefold before it could not see.
        return profile[2].casefold()
    found = _PROFILE_LINK.match(value)
    # On any of the service's hosts, as its URLs are ('mbasic.facebook.com/uncle').
    host = _service_host(found.group(1).lower()) if found else ""
    if found is None or host in _CONTENT_HOSTS or PLATFORM_ALIASES.get(host) != service:
        return None
    handle = found.group(2)
    if host == "wa.me":
        # The international number; else a national one ('wa.me/0123456789'), read as a
        # phone by the handle's own rules.
        return _international(handle) or handle
    # A page of the service, not a handle: 'facebook.com/profile.php' (its id is in the
    # query, which this form does not take), 'x.com/home'.
    return None if handle.lower().endswith(".php") or handle.lower() in _SERVICE_PAGES else handle


_SERVICE_PAGES = frozenset({"home", "explore", "watch", "login", "share", "search", "messages"})
# Hosts whose one-part links name a video or a post, not an account: 'youtu.be/dQw4w9WgXcQ'.
_CONTENT_HOSTS = frozenset({"youtu.be"})


# An extension after the number ('ext. 12', 'x12', '#12'), which the parser reads itself.
_PHONE_EXTENSION = re.compile(r"(?:ext\.?|extension|x|#)\s*\d{1,7}\s*$", re.IGNORECASE)


def _masked(raw: str) -> bool:
    """A letter inside the number, past any label before it ('Tel:', 'HP'): the parser reads
    letters as a keypad's digits, so a masked number ('012-345 XXXX', X being 9) or a word
    ('012-PRIVATE') became a valid number, and every report masking one the same way (and
    the subscriber of 012-345 9999) was linked into one case."""
    start = next((i for i, ch in enumerate(raw) if ch.isdecimal() or ch == "+"), len(raw))
    number = _PHONE_EXTENSION.sub("", raw[start:])
    return any(ch.isalpha() for ch in number)


# A label in brackets after a number ("012-345 6789 (HP)", "(WhatsApp)", "(bimbit)"): the
# number was read as none (masked: a letter after its digits), where "HP: 012..." was read.
_LABEL_AFTER = re.compile(r"\s*[(\[][^\d()\[\]]{1,20}[)\]]\s*$")


_INTERNATIONAL_MIN = 10
_KEYPAD_RUNS = "1234567890" * 3 + " " + "9876543210" * 3


@lru_cache(maxsize=_CACHE)
def normalise_phone(raw: str) -> str | None:
    """E.164 form of a phone number, reading national numbers as Malaysian; None if invalid
    or masked ('012-345 XXXX')."""
    raw = _LABEL_AFTER.sub("", raw)
    if _masked(raw):
        return None
    try:
        number = phonenumbers.parse(raw.strip(), DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        # No Malaysian number: digits alone may be an international one without its '+',
        # as platforms export them and as a WhatsApp handle of the same digits is read
        # ('6591234567' is Singapore's; it was refused, the handle's phone never linked).
        # Ten digits at least: a Malaysian landline typed without its area code ('4359395')
        # is some other country's number as often as not.
        compact = _PHONE_SEPARATORS.sub("", raw.strip())
        digits = compact.isascii() and compact.isdigit() and len(compact) >= _INTERNATIONAL_MIN
        # A run of the keypad ('12345678901', '12345678910') is a filler, as one digit
        # repeated is.
        keypad = compact in _KEYPAD_RUNS or compact.startswith(("123456789", "987654321"))
        if not digits or compact.startswith("0") or keypad:
            return None
        return _international(compact)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    # A filler ('012-000 0000', '012-111 1111'): valid, and every report that typed one
    # linked with the others (and with whoever holds the number).
    return None if len(set(e164[-7:])) == 1 else e164


_NAMED_ADDRESS = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_ADDRESS_LITERAL = re.compile(r"^\[(?:ipv6:)?[0-9a-f.:]+\]", re.IGNORECASE)
_AROUND_AN_ADDRESS = " \t\n.,;:'\"()[]<>"


@lru_cache(maxsize=_CACHE)
def normalise_email(raw: str) -> str | None:
    """Lowercase email as a mail client reads it: full-width forms folded, invisible
    characters, a 'mailto:', angle brackets and a trailing dot dropped, the domain in
    punycode. None unless it has one '@', a local part and a domain, or if either names no
    one ('unknown@unknown.com', 'n/a@n/a', 'tiada@tiada.com')."""
    value = _without_invisibles(unicodedata.normalize("NFKC", raw)).strip().lower()
    if value.startswith("mailto:"):
        # A link's query is no part of the address ('mailto:x@gmail.com?subject=hi').
        value = value.removeprefix("mailto:").partition("?")[0]
    # A name before the address ('Uncle X <uncle.x@gmail.com>'), and what a list or a
    # sentence puts around it ('uncle.x@gmail.com,', "'uncle.x@gmail.com'", '(...)', a dot
    # after the bracket): each made a key of its own, or none (2026-12-02, a review).
    if (named := _NAMED_ADDRESS.search(value)) is not None:
        value = named.group(1)
    # What Outlook pastes: 'uncle.x@gmail.com <mailto:uncle.x@gmail.com>'. The end is cut
    # with the domain (below), where an address literal's bracket is kept.
    value = value.lstrip(_AROUND_AN_ADDRESS)
    if value.startswith("mailto:"):
        value = value.removeprefix("mailto:").partition("?")[0]
    local, at, domain = value.rpartition("@")
    # No domain holds a '?'; an address literal ('uncle@[192.0.2.1]') keeps its bracket.
    domain = domain.partition("?")[0]
    literal = _ADDRESS_LITERAL.match(domain)
    domain = literal.group(0) if literal else domain.rstrip(_AROUND_AN_ADDRESS)
    value = f"{local}{at}{domain}"
    if not at or not local or not domain or "@" in local or any(ch.isspace() for ch in value):
        return None
    domain = _ascii_domain(domain)
    labels = domain.split(".")
    if any(is_placeholder("email", part) for part in (local, domain, labels[0])):
        return None
    # Dots and "+tag" are not stripped: only some providers (e.g. Gmail) ignore them, and a
    # wrong guess would link two different people.
    return f"{local}@{domain}"


def _ascii_domain(domain: str) -> str:
    """'bücher.de' as 'xn--bcher-kva.de', as mail is delivered; as typed if it is no name."""
    try:
        return domain.encode("idna").decode("ascii")
    except UnicodeError:
        return domain


def _is_tracking(key: str) -> bool:
    lowered = key.lower()
    return lowered.startswith("utm_") or lowered in _TRACKING_PARAMS


def _looks_like_host(value: str) -> bool:
    host, _, port = re.split(r"[/?#]", value, maxsplit=1)[0].partition(":")
    if port and not port.isdigit():
        return False
    try:
        ipaddress.IPv4Address(host)
        return True
    except ValueError:
        pass
    labels = host.removesuffix(".").split(".")  # 'example.com.': fully qualified
    return (
        len(labels) >= 2
        and all(_LABEL.match(label) for label in labels)
        and bool(_TLD.match(labels[-1]))
    )


def _ascii_host(host: str) -> str:
    """Non-ASCII labels in their punycode form, so `bücher.example` is `xn--bcher-kva.example`.
    Only NFC and lowercase are applied (no IDNA 2003 mapping, which would make `faß` `fass`)."""
    labels = []
    for label in host.split("."):
        if not label.isascii():
            label = "xn--" + unicodedata.normalize("NFC", label).encode("punycode").decode()
        labels.append(label)
    return ".".join(labels)


# A '%' that starts no escape is a percent sign: read as one, '%4%31' became '%41' and then
# 'A' on a second pass (one URL, three keys).
_STRAY_PERCENT = re.compile(r"%(?![0-9a-fA-F]{2})")


def _escaped(part: str) -> str:
    """Escapes in one form: a stray '%' as '%25', unreserved characters decoded, the rest
    in upper case."""
    return _ESCAPE.sub(_escape, _STRAY_PERCENT.sub("%25", part))


def _escape(match: re.Match[str]) -> str:
    """A percent escape as RFC 3986 compares it: `%7e` is `~`, `%2f` is `%2F`."""
    char = chr(int(match.group(1), 16))
    return char if char in _UNRESERVED else "%" + match.group(1).upper()


# A URL "defanged" so that it cannot be clicked, as hotlines and analysts write the URLs of
# abuse material: 'hxxps://badsite[.]com/v/1'. Read as the URL it is: defanged, a referral's
# URLs had no host, so no takedown notice and no link (a review of fan-out).
_DEFANGED = re.compile(
    r"(?i)^h(?:xx|\*\*)p(s?)(\[?:\]?)//|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\[:\]"
)


_SCHEME_AND_HOST = re.compile(r"(?:[^/]*//)?[^/?#]*")


def refang(raw: str) -> str:
    """The URL a defanged one stands for ('hxxps://a[.]b/c' -> 'https://a.b/c'); any other
    text as it is. Only its scheme and host: a path's '(.)' or '[dot]' is the page's own
    ('/wiki/Full_stop_(.)'; a review)."""
    if "[" not in raw and "(" not in raw and "{" not in raw and "xx" not in raw.lower():
        return raw  # most URLs: no regex run

    def undo(found: re.Match[str]) -> str:
        text = found.group(0)
        if text.lower().startswith("h"):
            return f"http{found.group(1)}://"
        return ":" if ":" in text else "."

    where = _SCHEME_AND_HOST.match(raw)
    head = where.group(0) if where else ""
    return _DEFANGED.sub(undo, head) + raw[len(head) :]


@lru_cache(maxsize=_CACHE)
def canonical_url(raw: str) -> str | None:
    """Canonical form of a web URL for linking; None if it cannot be parsed as one. A
    defanged URL ('hxxps://badsite[.]com/v/1') is read as the URL it stands for."""
    value = _typed_host_in_ascii(refang(raw.strip()))
    if not value:
        return None
    if value.startswith("//"):
        value = "http:" + value
    elif not _SCHEME.match(value):
        # Only bare hosts get a scheme; anything else (mailto:, data:, prose) is not a web URL.
        if not _looks_like_host(value):
            return None
        value = "http://" + value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname  # already lowercased
    if not host:
        return None
    # 'example.com.' is the same host written as fully qualified.
    host = _service_host(_ascii_host(_host_as_typed(host.rstrip("."))))
    if not host:
        return None
    video = _youtube_video(host, parts.path, parts.query)
    if video is not None:
        return f"https://youtube.com/watch?v={video}"
    given = parts.scheme.lower()
    # http and https name one resource: a member of the public types 'example.com/x' (read
    # as http), the platform reports 'https://example.com/x'. Kept apart, the two reports
    # never linked. (graph.repairs moved the identifiers stored in earlier forms.)
    scheme = "https" if given == "http" else given
    netloc = f"[{host}]" if ":" in host else host
    # The default port of the scheme given or of the one kept: 'http://x:443/' is
    # 'https://x/' (kept as 'https://x:443/', it changed again when canonicalised twice).
    if port is not None and port not in (_DEFAULT_PORTS.get(given), _DEFAULT_PORTS.get(scheme)):
        netloc = f"{netloc}:{port}"
    if "@" in parts.netloc:
        netloc = f"{parts.netloc.rpartition('@')[0]}@{netloc}"
    path = _percent_encoded(_escaped(parts.path)).rstrip("/") or "/"
    # Bytes that are no UTF-8 ('?id=%FF%FE', a GBK search term) are kept as bytes: decoded
    # as U+FFFD, any two of one length were one URL, and linked.
    pairs = parse_qsl(parts.query, keep_blank_values=True, errors="surrogateescape")
    shared = _SHARE_PARAMS.get(host, frozenset())
    query = sorted((k, v) for k, v in pairs if not _is_tracking(k) and k.lower() not in shared)
    # A fragment names a place in a page, except where it names the resource itself: an old
    # MEGA link ('#!AbCd!key') or a single-page app's route ('#/profile/alice'). Dropped,
    # every MEGA folder was one URL and linked unrelated reports.
    # Telegram's web client names the chat there too ('web.telegram.org/k/#@uncle_x',
    # '#-1001234'): dropped, every chat pasted from it was one URL.
    names_chat = host == "web.telegram.org" and parts.fragment[:1] in _CHAT_FRAGMENT_STARTS
    fragment = parts.fragment if parts.fragment[:1] in ("!", "/") or names_chat else ""
    fragment = _percent_encoded(_escaped(fragment))
    if not query and not fragment and netloc == host:  # no port, no user
        netloc, path = _one_link_of(host, path)
    return urlunsplit((scheme, netloc, path, urlencode(query, errors="surrogateescape"), fragment))


# One thing, linked several ways (2026-12-02, a review): a Telegram invite, old and new; a
# Discord invite on each of its hosts; a post on X under any user's name or none (the id
# names it); a TikTok video under its author's handle in any case.
_TELEGRAM_INVITE = re.compile(r"^/joinchat/([\w-]+)$")
_DISCORD_INVITE = re.compile(r"^/(?:invite/)?([\w-]+)$")
_DISCORD_INVITE_HOSTS = frozenset({"discord.gg", "discord.com", "discordapp.com"})
_X_POST = re.compile(r"^/(?:i/web|i|[\w]{1,15})/status(?:es)?/(\d+)(?:/.*)?$", re.IGNORECASE)
_TIKTOK_VIDEO = re.compile(r"^/@([\w.-]+)/(video|photo)/(\d+)$")


def _one_link_of(host: str, path: str) -> tuple[str, str]:
    """(host, path) of the one link the service has for what this one names (above)."""
    if host == "t.me" and (invite := _TELEGRAM_INVITE.match(path)):
        return host, f"/+{invite.group(1)}"
    if host in _DISCORD_INVITE_HOSTS:
        invite = _DISCORD_INVITE.match(path)
        if invite and (host == "discord.gg" or path.startswith("/invite/")):
            return "discord.com", f"/invite/{invite.group(1)}"
    if host == "x.com" and (post := _X_POST.match(path)):
        return host, f"/i/status/{post.group(1)}"
    if host == "tiktok.com" and (video := _TIKTOK_VIDEO.match(path)):
        return host, f"/@{video.group(1).lower()}/{video.group(2)}/{video.group(3)}"
    return host, path


# Where a host ends and the path begins, in a URL as written: with or without a scheme.
_AUTHORITY = re.compile(r"^((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//)?([^/?#]*)(.*)$", re.DOTALL)
# The full stops a Chinese or Japanese input method types; browsers read them as '.'
# (UTS 46). The full-width one NFKC maps itself.
_IDEOGRAPHIC_STOPS = str.maketrans({"\u3002": ".", "\uff61": "."})


def _typed_host_in_ascii(value: str) -> str:
    """The host of a URL typed with an input method in full-width mode ('ｅｘａｍｐｌｅ.com',
    'example。com/x') as a browser reads it: full-width forms as ASCII (NFKC), ideographic
    full stops as dots. Kept apart, the same site typed two ways never linked. Where no
    ASCII delimiter follows, the whole URL was typed full-width, and is read so."""
    for _ in range(2):  # a full-width scheme hides the authority from the first pass
        found = _AUTHORITY.match(value)
        if found is None or found.group(2).isascii():
            return value
        scheme, authority, rest = found.groups()
        value = f"{scheme or ''}{_as_typed(authority)}{rest}"
    return value


def _as_typed(text: str) -> str:
    """Full-width forms as ASCII (NFKC), ideographic full stops as dots, as browsers read a
    host typed with an input method."""
    return unicodedata.normalize("NFKC", text).translate(_IDEOGRAPHIC_STOPS)


def _host_as_typed(host: str) -> str:
    """A host read as a browser reads one typed with an input method: full-width forms as
    ASCII (NFKC), ideographic full stops as dots. So is a label a host canonicalised before
    this kept in punycode ('ｅｘａｍｐｌｅ.com' was stored as 'xn--mi7chab1aes7c.com'), so
    that a stored key and the URL typed today are one (graph.repairs): no valid
    international host has such a label, IDNA maps those forms before encoding. What the
    mapping makes must still be labels of letters, digits and hyphens: a label whose
    forms map to ':', '/', '@' or '?' is kept as it is (read, it moved the host)."""
    labels = []
    for label in host.split("."):
        # 'ｘｎ－－...' typed full-width is a punycode label too, once mapped.
        label = _typed_label(label)
        if label.startswith("xn--"):
            try:
                decoded = label[4:].encode().decode("punycode")
            except (UnicodeError, ValueError):
                decoded = label
            mapped = _typed_label(decoded)
            label = mapped if mapped != decoded else label
        labels.append(label)
    return ".".join(labels)


def _typed_label(label: str) -> str:
    """A label's full-width forms and ideographic full stops as ASCII (lower case), if what
    they make is still letters, digits and hyphens; else the label as it is."""
    if label.isascii():
        return label
    mapped = _as_typed(label).lower()
    return mapped if all(_LABEL.match(part) for part in mapped.split(".")) else label


# A YouTube video is one page however it is linked: 'youtu.be/ID?si=...' shared from the
# app, 'youtube.com/watch?v=ID&t=42s', '/shorts/ID', '/embed/ID' in a page that shows it.
# Kept as written, reports of one video never linked. Its id is 11 characters of base64url.
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
# YouTube Music plays the same videos under the same ids ('music.youtube.com/watch?v=ID').
_YOUTUBE_HOSTS = frozenset(
    {"youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com", "music.youtube.com"}
)
_YOUTUBE_VIDEO_PATHS = frozenset({"shorts", "embed", "v", "e", "live"})
# Words of an id's length that name no video: '/embed/videoseries?list=...' embeds a
# playlist, '/embed/live_stream?channel=...' a channel's live stream (taken for videos,
# every playlist was one URL).
_YOUTUBE_NOT_VIDEOS = frozenset({"videoseries", "live_stream"})


def _youtube_video(host: str, path: str, query: str) -> str | None:
    """The id of the video a YouTube link shows, or None for any other link (a channel, a
    playlist, a search) and any other host."""
    segments = [s for s in path.split("/") if s]
    if host == "youtu.be":
        candidate = segments[0] if len(segments) == 1 else ""
    elif host not in _YOUTUBE_HOSTS:
        return None
    elif segments == ["watch"]:
        candidate = _only(parse_qsl(query), "v")
    elif len(segments) == 2 and segments[0] in _YOUTUBE_VIDEO_PATHS:
        candidate = segments[1]
    else:
        return None
    if candidate in _YOUTUBE_NOT_VIDEOS or not _YOUTUBE_ID.fullmatch(candidate):
        return None
    return candidate


# A service serves the same page on its other hosts and domains: 'www.facebook.com/groups/1'
# from a platform, 'm.facebook.com/groups/1' pasted from a phone and 'facebook.com/groups/1'
# typed by the public are one page, as 'twitter.com/a/status/1' and 'x.com/a/status/1' are.
# Only a service's own domains (PLATFORM_ALIASES): elsewhere 'www.' may be another site.
_SERVICE_SUBDOMAINS = frozenset({"www", "m", "mobile", "web", "mbasic", "touch"})
# Except where a subdomain names someone: 'uncle.t.me' is the channel 'uncle' (and 'mobile'
# may be one), and 'web.telegram.org' is Telegram's web client, not its site.
_OWN_SUBDOMAINS = {
    "t.me": frozenset({"www"}),
    "telegram.me": frozenset({"www"}),
    "telegram.org": frozenset({"www"}),
}
_SAME_SITE = {"twitter.com": "x.com", "fb.com": "facebook.com", "telegram.me": "t.me"}
_CHAT_FRAGMENT_STARTS = frozenset("@-" + string.digits)


def _service_host(host: str) -> str:
    """A service's host as its main domain ('m.facebook.com' is 'facebook.com'); any other
    host as it is."""
    labels = host.split(".")
    for start in range(1, len(labels) - 1):
        domain = ".".join(labels[start:])
        if domain in PLATFORM_ALIASES:
            if _OWN_SUBDOMAINS.get(domain, _SERVICE_SUBDOMAINS).issuperset(labels[:start]):
                return _SAME_SITE.get(domain, domain)
            return host
    return _SAME_SITE.get(host, host)


# What RFC 3986 lets a path or fragment hold as it is; anything else is percent-encoded (as
# UTF-8). 'example.com/视频/1' as a browser shows it and '.../%E8%A7%86%E9%A2%91/1' as it sends
# it, or 'my video.mp4' and 'my%20video.mp4', are one URL. '%' is kept: escapes are already
# in one form (_escape).
_PATH_SAFE = "/%:@!$&'()*+,;=~"


def _percent_encoded(part: str) -> str:
    return quote(part, safe=_PATH_SAFE)


def _b64_to_bytes(value: str) -> bytes | None:
    padded = value.replace("-", "+").replace("_", "/")
    padded += "=" * (-len(padded) % 4)
    try:
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None


def _photodna(compact: str) -> str | None:
    """Lowercase hex of the hash, if it is hex, base64 or comma-separated decimals of its
    size (one hash, three encodings); None for anything else, as for the other hashes. Hex of
    the hash's size is hex; of another size, base64 first: base64 of only hex letters
    ('AAAA...', 144 zero bytes) was lowercased as hex, which missed the all-zero placeholder.
    Until 2026-12-02 another value was kept as given: 'not available', 'pending', 'yes' or
    '-1' in a platform's PhotoDNA field were each one key that every report carrying it
    shared, up to the degree cap."""
    if _HEX.match(compact) and len(compact) == 2 * PHOTODNA_BYTES:
        return compact.lower()
    if _DECIMAL_BYTES.match(compact):
        numbers = [int(n) for n in compact.split(",")]
        if len(numbers) == PHOTODNA_BYTES and max(numbers) <= 255:
            return bytes(numbers).hex()
        return None
    raw = _b64_to_bytes(compact)
    return raw.hex() if raw is not None and len(raw) == PHOTODNA_BYTES else None


@lru_cache(maxsize=_CACHE)
def normalise_hash(algorithm: str, value: str) -> str | None:
    """Canonical hash: lowercase hex for md5/sha1/sha256/pdq/PhotoDNA; None if it is not
    one of its algorithm's size in an encoding read here."""
    alg = algorithm.strip().lower()
    text = _HEX_PREFIX.sub("", _HASH_LABEL.sub("", value.strip(), count=1), count=1)
    if alg == "photodna":
        # As a JSON array ('[68,32,...]'), decimals after ';', hex in pairs after ':' or '-'
        # (2026-12-02: a review; refused since the hash's size is required).
        text = text.strip().removeprefix("[").removesuffix("]").replace(";", ",")
        if _HEX_PAIRS.fullmatch(text):
            text = re.sub(r"[:-]", "", text)
        if _DECIMAL_LIST.fullmatch(text):
            # Decimals separated by spaces as well as commas: compacted first, '1 23 ...' and
            # '12 3 ...' were one digit string, read as hex: two hashes, one key.
            return _photodna(",".join(_LIST_SEPARATOR.split(text)))
        compact = "".join(text.split())
        # Too long is refused rather than truncated: a cut hash would match the wrong file.
        return _photodna(compact) if 0 < len(compact) <= PHOTODNA_MAX_LEN else None
    if alg == "pdq":
        lowered = text.lower()
        return lowered if _PDQ.match(lowered) else None
    size = _HASH_BYTES.get(alg)
    if size is None or not text:
        return None
    if _HEX.match(text):
        # Hex of the wrong length is refused, never re-read as base64 (that would invent a hash).
        return text.lower() if len(text) == 2 * size else None
    raw = _b64_to_bytes(text)
    return raw.hex() if raw is not None and len(raw) == size else None


_IP_PORT = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:.]+(?:%[^\]]+)?\]):(\d{1,5})$")
_MAX_PORT = 65_535


@lru_cache(maxsize=_CACHE)
def normalise_ip(raw: str) -> str | None:
    """Compressed IP address; IPv4-mapped IPv6 becomes plain IPv4; None if invalid. A port
    after it ('8.8.8.8:443', '[2001:db8::1]:443', as connection logs write it) is dropped
    (2026-12-02, a review: the address linked nothing)."""
    value = raw.strip()
    if (with_port := _IP_PORT.match(value)) is not None:
        if int(with_port.group(2)) > _MAX_PORT:
            return None
        value = with_port.group(1)
    # An IPv6 address's zone ('%eth0') names the interface it was seen on, not the address.
    value = value.strip("[]").partition("%")[0]
    try:
        ip = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return str(ip)


AnyReport = PublicReport | PlatformReport | NgoReferral
Kind = Literal["account", "content", "phone", "email", "device", "payment", "ip", "url"]
_MAX_VALUE = 2048
_MAX_VALUE_BYTES = 4096
_HASH_FIELDS = ("md5", "sha1", "sha256", "pdq", "photodna")


class _Collector:
    """Gathers identifiers, dropping empty, oversized and duplicate values."""

    def __init__(self) -> None:
        self.items: dict[tuple[Kind, str, str], Identifier] = {}

    def add(self, kind: Kind, value: str | None, platform: str | None = None) -> None:
        # In bytes too: Neo4j's index holds a key of at most ~8 kB, and 2,048 characters of
        # emoji are 8 kB (a review: a username of them would have failed the linker's write).
        if not value or len(value) > _MAX_VALUE or len(value.encode()) > _MAX_VALUE_BYTES:
            return
        key = (kind, value, platform or "")
        if key not in self.items:
            self.items[key] = Identifier(kind=kind, value=value, platform=platform)

    def sorted(self) -> list[Identifier]:
        return [self.items[key] for key in sorted(self.items)]


def _profile_account(out: _Collector, url: str | None) -> bool:
    """The account a link to a profile names, in place of the link: the public paste
    't.me/uncle_x' or 'wa.me/60123456789' where a platform reports the account (as a link
    alone the two reports never linked). True when the link names one. Read only where a
    service's links name profiles, in the form each uses (PROFILE_LINKS); a share link's
    query is no part of it."""
    profile = _profile_of_link(url) if url else None
    if profile is None:
        return False
    service, form, value = profile
    _account(out, service, value if form == "id" else None, value if form == "u" else None)
    return True


def profile_account_keys(url: str) -> list[str]:
    """The keys a link to a profile stands for (the account, and a number's phone), as a
    report's URL is read: a search for the link finds the account."""
    out = _Collector()
    _profile_account(out, canonical_url(url))
    return [i.key for i in out.sorted()]


def _profile_of_link(url: str) -> tuple[str, str, str] | None:
    """(service, 'u' or 'id', value) of the profile a canonical link names (PROFILE_LINKS)."""
    parts = urlsplit(url)
    reader = PROFILE_LINKS.get(parts.hostname or "")
    found = reader[1](parts.path, parse_qsl(parts.query)) if reader else None
    return None if reader is None or found is None else (reader[0], *found)


_ASCII_DIGITS = re.compile(r"^[1-9][0-9]*$")
# Handles as each service allows them: a word outside these is a page, not a person.
_TELEGRAM_HANDLE = re.compile(r"^[a-z][a-z0-9_]{4,31}$", re.IGNORECASE)
_INSTAGRAM_HANDLE = re.compile(r"^[a-z0-9._]{1,30}$", re.IGNORECASE)
_X_HANDLE = re.compile(r"^[a-z0-9_]{1,15}$", re.IGNORECASE)
_FACEBOOK_HANDLE = re.compile(r"^[a-z0-9.]{5,50}$", re.IGNORECASE)
_AT_HANDLE = re.compile(r"^/@([\w.-]{1,100})/?$")
_ONE_PART = re.compile(r"^/([^/]+)/?$")
_TELEGRAM_PREVIEW = re.compile(r"^/s/([^/]+)/?$")
# One-part pages of a service that its handle rules would take for a person.
# Each also holds the pages every service has (_COMMON_PAGES), but Telegram's: there any word
# of five letters or more may be a username ('t.me/search'), and only its own routes are none.
_COMMON_PAGES = _SERVICE_PAGES | {
    "about", "account", "accounts", "download", "help", "legal", "login", "logout",
    "notifications", "privacy", "settings", "signin", "signup", "terms",
}  # fmt: skip
_TELEGRAM_PAGES = frozenset({
    "addemoji", "addlist", "addstickers", "addtheme", "boost", "confirmphone", "contact",
    "invoice", "joinchat", "proxy", "setlanguage", "socks", "share", "login", "giftcode",
})  # fmt: skip
_INSTAGRAM_PAGES = _COMMON_PAGES | {
    "api", "challenge", "create", "developer", "direct", "directory", "emails", "nametag",
    "oauth", "p", "press", "reel", "reels", "session", "static", "stories", "threads",
    "topics", "tv", "web",
}  # fmt: skip
_X_PAGES = _COMMON_PAGES | {
    "bookmarks", "compose", "followers", "following", "hashtag", "i", "intent", "jobs",
    "lists", "premium", "rules", "tos",
}  # fmt: skip
_FACEBOOK_PAGES = _COMMON_PAGES | {
    "ads", "adsmanager", "bookmarks", "business", "careers", "checkpoint",
    "communitystandards", "dating", "developers", "donate", "events", "feeds",
    "find-friends", "friends", "fundraisers", "gaming", "games", "groups", "hashtag", "jobs",
    "lite", "marketplace", "me", "memories", "mobile", "news", "offers", "onthisday",
    "pages", "people", "photo", "photos", "places", "policies", "profile", "recover",
    "reels", "reg", "saved", "sharer", "stories", "video", "videos", "weather",
}  # fmt: skip
# Each service's pages that name no one thing, by its main host (_is_platform_front_page):
# the one-part pages its handle rules know, its web client's and its feeds.
_SITE_PAGES: dict[str, frozenset[str]] = {
    "facebook.com": _FACEBOOK_PAGES | {"home.php", "messages/t", "watch/live"},
    "instagram.com": _INSTAGRAM_PAGES | {"direct/inbox", "explore/people", "accounts/activity"},
    "x.com": _X_PAGES | {"messages", "notifications", "i/bookmarks"},
    "t.me": _TELEGRAM_PAGES,
    "web.telegram.org": frozenset({"a", "k", "z"}),
    "tiktok.com": _COMMON_PAGES | {"foryou", "following", "friends", "live", "upload"},
    "youtube.com": _COMMON_PAGES
    | {"feed/subscriptions", "feed/trending", "feed/library", "feed/history", "shorts"},
}
Found = tuple[str, str] | None  # ('u' | 'id', value)
Query = list[tuple[str, str]]


def _only(query: Query, name: str) -> str:
    """The value of a parameter given once; '' if absent or given more than once (which of
    two would be read depends on their order)."""
    values = [v for k, v in query if k == name]
    return values[0] if len(values) == 1 else ""


def _one_part(path: str, handle: re.Pattern[str], pages: frozenset[str]) -> str | None:
    """The one part of a path, if it is a handle as the service allows them and none of its
    pages (nor a script such as 'permalink.php', shared by every post it shows)."""
    found = _ONE_PART.match(path)
    name = found.group(1) if found else ""
    page = name.casefold() in pages or name.casefold().endswith(".php")
    return name if handle.match(name) and not page else None


def _international(written: str) -> str | None:
    """A number as wa.me links and send?phone= write it: international, with or without '+'
    or '00' ('6591234567' is Singapore's, not read as Malaysian); in E.164 if valid."""
    digits = written.strip().removeprefix("+")  # a '+' in a query is read as a space
    digits = digits.removeprefix("00") if digits.startswith("00") else digits
    number = "+" + digits if _ASCII_DIGITS.match(digits) else ""
    return number if _is_phone(number) else None


def _wa_me(path: str, query: Query) -> Found:
    found = _ONE_PART.match(path)
    number = _international(found.group(1)) if found else None
    return ("u", number) if number else None


def _whatsapp_send(path: str, query: Query) -> Found:
    number = _international(_only(query, "phone")) if path == "/send" else None
    return ("u", number) if number else None


def _t_me(path: str, query: Query) -> Found:
    # 't.me/s/uncle_x' is the channel's web preview: the channel.
    preview = _TELEGRAM_PREVIEW.match(path)
    path = f"/{preview.group(1)}" if preview else path
    found = _ONE_PART.match(path)
    if found and found.group(1).startswith("+"):
        # 't.me/+60123456789' opens the chat of that number; 't.me/+AbCd' is an invite.
        number = _international(found.group(1))
        return ("u", number) if number else None
    name = _one_part(path, _TELEGRAM_HANDLE, _TELEGRAM_PAGES)
    return ("u", name) if name else None


def _instagram(path: str, query: Query) -> Found:
    name = _one_part(path, _INSTAGRAM_HANDLE, _INSTAGRAM_PAGES)
    return ("u", name.rstrip(".")) if name and name.rstrip(".") else None


def _x(path: str, query: Query) -> Found:
    name = _one_part(path, _X_HANDLE, _X_PAGES)
    return ("u", name) if name else None


def _at_handle(path: str, query: Query) -> Found:
    found = _AT_HANDLE.match(path)
    return ("u", found.group(1)) if found else None


_FACEBOOK_PEOPLE = re.compile(r"^/people/[^/]+/([1-9][0-9]*)/?$")


def _facebook(path: str, query: Query) -> Found:
    # A profile without a username is known by its numeric id, as platforms report it.
    if path == "/profile.php":
        user_id = _only(query, "id")
        return ("id", user_id) if _ASCII_DIGITS.match(user_id) else None
    found = _ONE_PART.match(path)
    if found and _ASCII_DIGITS.match(found.group(1)):
        return ("id", found.group(1))
    # A profile without a username as Facebook also links it: '/people/Uncle-X/100012345'
    # (2026-12-02, a review: it was a URL apart from the account's id).
    if people := _FACEBOOK_PEOPLE.match(path):
        return ("id", people.group(1))
    name = _one_part(path, _FACEBOOK_HANDLE, _FACEBOOK_PAGES)
    return ("u", name) if name else None


# The hosts whose links name profiles (canonical, as canonical_url leaves them) and how each
# reads one. Not Discord, Snapchat or WeChat, whose one-part links are the service's pages.
PROFILE_LINKS: dict[str, tuple[str, Callable[[str, Query], Found]]] = {
    "wa.me": ("whatsapp", _wa_me),
    "whatsapp.com": ("whatsapp", _whatsapp_send),
    "api.whatsapp.com": ("whatsapp", _whatsapp_send),
    "t.me": ("telegram", _t_me),
    "instagram.com": ("instagram", _instagram),
    "x.com": ("x", _x),
    "tiktok.com": ("tiktok", _at_handle),
    "youtube.com": ("youtube", _at_handle),
    "facebook.com": ("facebook", _facebook),
}


def _url(raw: str) -> str | None:
    """A URL as an identifier: canonical, and not a site's front page."""
    url = canonical_url(raw)
    return None if url is None or is_placeholder("url", url) else url


def _user_id_value(platform: str, user_id: str | None) -> str | None:
    # User ids can be case-sensitive (e.g. YouTube channel ids), so no casefold.
    uid = user_id.strip() if user_id else ""
    return f"{platform_in_key(platform)}:id:{uid}" if not is_placeholder("account", uid) else None


def _username_value(platform: str, username: str | None) -> str | None:
    handle = normalise_username(platform, username) if username else ""
    return (
        f"{platform_in_key(platform)}:u:{handle}" if not is_placeholder("account", handle) else None
    )


def platform_in_key(platform: str) -> str:
    """A platform as an account's key names it: an IPv6 host ('[2001:db8::1]/forum', kept
    for its takedown notices) without its ':', which the key cannot hold (a review)."""
    return platform.replace(":", "-")


def _account(out: _Collector, platform: str, user_id: str | None, username: str | None) -> None:
    out.add("account", _user_id_value(platform, user_id), platform)
    named = _profile_named_by(username) if username else None
    if named is not None and (named[0] != platform or named[1] == "id"):
        # A link to a profile given as the username: the account its service names, as the
        # same link among the report's URLs reads it ('t.me/uncle_x' with no platform or
        # under Facebook, 'facebook.com/profile.php?id=...'). Kept as given, it was a key
        # of its own ('unknown:u:t.me/uncle_x') that never linked.
        service, form, value = named
        _account(out, service, value if form == "id" else None, value if form == "u" else None)
        return
    handle = _username_value(platform, username)
    out.add("account", handle, platform)
    # A username that is an e-mail address (a login, or the public form's one field for
    # names) is that address too: it linked only to reports that gave it as a username,
    # never to an account's e-mail.
    if username and _EMAIL_SHAPED.match(username.strip()):
        out.add("email", normalise_email(username))
    # On WhatsApp, Telegram and WeChat a handle written as a phone is that phone: the public
    # report the number as the WhatsApp "username" where a platform or an NGO gives it as
    # the phone, and kept only as a handle the two never linked.
    out.add("phone", _number_of(f"account:{handle}") if handle else None)


def _profile_named_by(username: str) -> tuple[str, str, str] | None:
    """(service, 'u' or 'id', value) of the profile a link given as a username names."""
    if "/" not in username:
        return None
    url = canonical_url(_without_leading_at(username))
    return _profile_of_link(url) if url else None


def _is_phone(value: str) -> bool:
    """A valid phone number in its E.164 form (a '+' handle may be an invite hash or a number
    no plan has: no phone, and no key the exclusion tool could name)."""
    return (
        value.startswith("+")
        and normalise_phone(value) == value
        and not is_placeholder("phone", value)
    )


def _content_key(alg: str, raw: str) -> str | None:
    """`ALGORITHM:HASH` with the hash canonical; None if invalid or a placeholder."""
    hashed = normalise_hash(alg, raw) if raw else None
    # Judged as typed too: PhotoDNA's opaque form drops spaces ('tak tau' is 'taktau').
    if not hashed or is_placeholder("content", hashed) or is_placeholder("content", raw):
        return None
    value = f"{alg}:{hashed}"
    return None if is_placeholder("content", value) else value


def _hash_values(item: ContentItem) -> list[str]:
    return [
        value
        for alg in _HASH_FIELDS
        if (raw := getattr(item, alg)) and (value := _content_key(alg, raw))
    ]


_HASH_FORMS = {
    "md5": "an MD5 is 32 hex digits or 24 base64 characters",
    "sha1": "a SHA-1 is 40 hex digits or 28 base64 characters",
    "sha256": "a SHA-256 is 64 hex digits or 44 base64 characters",
    "pdq": "a PDQ hash is 64 hex digits",
    "photodna": f"a PhotoDNA hash is {PHOTODNA_BYTES} bytes, in hex, base64 or decimals",
}


# No '/': 'tiktok.com/@uncle.x' (a profile link given as a username) is no address.
_EMAIL_SHAPED = re.compile(r"^[^@\s/]+@[^@\s/]+$")


def unreadable_identifiers(report: AnyReport) -> list[FieldError]:
    """The identifiers a report gives that cannot be read, and so link nothing: a hash of
    the wrong length or alphabet, a phone or an e-mail address that is none. The report is
    accepted without them (what else it says may be a child in danger); an HTTP caller is
    told of them (they were dropped in silence, and an integrator sending "MD5:..." never
    knew). A placeholder ("N/A", "000000") is not listed: it was meant to say nothing."""
    if isinstance(report, PublicReport):
        return []
    found = []
    for i, item in enumerate(report.content):
        for alg in _HASH_FIELDS:
            raw = getattr(item, alg)
            if raw and normalise_hash(alg, raw) is None and not is_placeholder("content", raw):
                message = f"not read, so it links nothing: {_HASH_FORMS[alg]}"
                found.append(
                    FieldError(code="unreadable_hash", field=f"content.{i}.{alg}", message=message)
                )
    for i, acc in enumerate(report.accounts):
        if (
            acc.phone
            and normalise_phone(acc.phone) is None
            and not is_placeholder("phone", acc.phone)
        ):
            message = (
                "not read as a phone number, so it links nothing (a Malaysian number may omit +60)"
            )
            found.append(
                FieldError(code="unreadable_phone", field=f"accounts.{i}.phone", message=message)
            )
        if (
            acc.email
            and normalise_email(acc.email) is None
            # An address of its shape read as none names no one ('unknown@unknown.com').
            and not _EMAIL_SHAPED.match(acc.email.strip())
        ):
            message = "not read as an e-mail address, so it links nothing"
            found.append(
                FieldError(code="unreadable_email", field=f"accounts.{i}.email", message=message)
            )
    return found


def file_keys(item: ContentItem) -> list[str]:
    """The identifier keys of one content item's hashes (`content:ALG:HASH`): one file's."""
    return [f"content:{value}" for value in _hash_values(item)]


def _content(out: _Collector, item: ContentItem) -> None:
    for value in _hash_values(item):
        out.add("content", value)
    if item.url:
        out.add("url", _url(item.url))


def _linkable_ip(raw: str) -> str | None:
    """The address, if it can link: private, CGNAT and loopback addresses are shared by
    unrelated people and would link everything to everything."""
    ip = normalise_ip(raw)
    return ip if ip is not None and ipaddress.ip_address(ip).is_global else None


# An IMEI (14 digits, 15 with its check digit, 16 as IMEISV), a decimal MEID (18 digits) or
# a hex MEID (14 or 15, starting A-F), which people write in groups: "35-209900-176148-1".
_IMEI_OR_MEID = re.compile(r"^(?:\d{14,16}|\d{18}|[a-f][0-9a-f]{13,14})$")
_GROUPED = re.compile(r"^(imei|imeisv|meid)?[\s:#]*([0-9a-f]+(?:[\s.-]+[0-9a-f]+)*)$")
_GROUP_SEPARATORS = re.compile(r"[\s.-]+")
# "duitnow 012-345 6789", "DuitNow: 012...", "duitnow - 012...": a scheme word, then the handle.
_PAYMENT_SCHEME = re.compile(r"^([a-z][a-z0-9]*)(\s*:\s*|\s+[-\u2013\u2014]\s+|\s+)(\S.*)$")
# Schemes written with only a space before the handle ("duitnow 012-345 6789"); any other
# first word before a space is part of a name ("bank islam 14-0123-..."), not a scheme.
# E-wallets and transfers, which people address by phone number.
_WALLET_SCHEMES = frozenset(
    {"duitnow", "tng", "boost", "grabpay", "shopeepay", "bigpay", "paypal", "wise", "mae", "setel"}
)
_SPACED_SCHEMES = _WALLET_SCHEMES | {
    # Banks, by one word each (_BANK_NAMES names those of several words so).
    "maybank", "cimb", "rhb", "ambank", "affin", "bsn", "agrobank", "muamalat", "hsbc",
    "ocbc", "uob", "bankislam", "publicbank", "hongleong", "bankrakyat", "alliance",
}  # fmt: skip
_DIGIT_GROUPS = re.compile(r"^\d+(?:[\s.-]+\d+)*$")
_BANK_SCHEMES = _SPACED_SCHEMES - _WALLET_SCHEMES
_TRAILING_DIGIT_GROUPS = re.compile(r"\s(\d+(?:[\s.-]+\d+)+)$")
# Words between a payment scheme and its handle that name no one.
_SCHEME_WORDS = re.compile(
    r"^(?:(?:bank|berhad|bhd|islamic|qr|id|account|acc|akaun|a/c|no\.?|number|"
    r"nombor)(?:\s*[:#.-]\s*|\s+))+",
)


_MAC_SEPARATED = re.compile(r"^[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}$")
_MAC_DOTTED = re.compile(r"^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$")
_BRACED_GUID = re.compile(r"^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$")
_DEVICE_ID_MIN = 6
# Phones' model codes, which name every phone of a model: Samsung's, Oppo's, Realme's,
# vivo's and Apple's forms. (Xiaomi's, '2201117TY', are shaped as a serial may be: kept.)
_MODEL_CODE = re.compile(
    r"^(?:sm-[a-z]\d{3,4}[a-z0-9/]{0,4}|cph\d{4}|rmx\d{4}|v\d{4}[a-z]?|"
    r"(?:iphone|ipad)\d{1,2},\d{1,2})$"
)


# A label before a device id ('Serial: R58M123ABCD', 'IMEI 1: 3520...', 'No. IMEI', 'MAC:',
# 'Android ID:', 'IDFA', 'GAID'), dropped; 'imei', 'imeisv' and 'meid' alone are read with
# the number (_GROUPED: an IMEISV is known by its label). A dual-SIM phone's slot number
# ('IMEI 1:', 'IMEI2') goes with the label.
_DEVICE_LABEL = re.compile(
    r"^(?:no\.?\s*imei|serial(?:\s*(?:no\.?|number))?|s/n|sn|mac(?:[\s_-]*address)?|"
    r"android\s*id|idfa|gaid|aaid|hwid|udid|device[\s_-]*id)(?=[\s:#=])[\s:#=.-]*(?=\S)",
    re.IGNORECASE,
)
_NUMBERED_IMEI = re.compile(
    r"^(imeisv|imei|meid)(?![a-z])\s*(?:no\.?|number)?\s*(?:\(?[12]\)?(?=\s*[:#=-]|\s))?"
    r"[\s:#=-]*",
    re.IGNORECASE,
)
# Two ids in one field ('352099001761481 / 352099001761482'): each, if each is one.
_DEVICE_LIST = re.compile(r"\s*[/,;|]\s*")
_NOTE_AFTER = re.compile(r"\s*\([^()\d]*\d?[^()\d]*\)\s*$")
_SECOND_IMEI = re.compile(r"\s+(?=imei\s*[12]?\s*[:#=-])", re.IGNORECASE)
_NO_SECOND_ID = re.compile(r"\s*[/,;|]\s*(?:n/a|na|-+|none|tiada)\s*$", re.IGNORECASE)
_SPACED_DEVICE_LIST = re.compile(r"\s+[/,;|]\s+|\s*[,;|]\s+")
_KNOWN_DEVICE_SHAPE = re.compile(
    r"^(?:\d{14,18}|[a-f][0-9a-f]{13,14}|[0-9a-f]{2}(?::[0-9a-f]{2}){5}|"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
)


def _device_keys(given: str) -> list[str]:
    """The device keys of one field (_device): a list's ids each (_devices_in)."""
    return [key for device in _devices_in(given) if (key := _device(device))]


def _devices_in(given: str) -> list[str]:
    """Each id of a list in one field, a placeholder among them left out ('3520... / N/A'):
    ids of a known shape (IMEI, MEID, MAC, GUID) however they are separated, others only
    where the separator has spaces around it ('R58M1 / R58M2'): 'ABC123/4567890' is one."""
    # 'N/A' or '-' in place of a second id ('3520.../N/A') says there is none; a note in
    # brackets after an id is no part of it ('3520... (SIM 1)').
    value = _NO_SECOND_ID.sub("", given.strip()) or given.strip()
    value = _NOTE_AFTER.sub("", value) or value
    labelled = [p.strip() for p in _SECOND_IMEI.split(value) if p.strip()]
    if len(labelled) > 1 and all(_device(p) for p in labelled):
        return labelled  # 'IMEI: 3520... IMEI2: 3520...'

    spaced = [p for p in _SPACED_DEVICE_LIST.split(value) if p]
    if len(spaced) > 1:
        kept = [p for p in spaced if not is_placeholder("device", p)]
        return kept if kept and all(_device(p) for p in kept) else [given]
    tight = [p for p in _DEVICE_LIST.split(value) if p]
    shaped = all(_KNOWN_DEVICE_SHAPE.match(normalise_device(p)) for p in tight)
    return tight if len(tight) > 1 and shaped else [value]


def normalise_device(raw: str) -> str:
    """Lowercase trimmed device id; an IMEI or MEID loses the separators between its groups
    (and an "IMEI:" label), so it compares equal however it was written. An IMEI is its 14
    digits: written with its check digit (15, valid) or as an IMEISV (16, labelled so) it
    was a device of its own."""
    value = _settled(partial(_DEVICE_LABEL.sub, ""), raw.strip()).lower()
    value = _NUMBERED_IMEI.sub(lambda m: f"{m.group(1).lower()} ", value).strip()
    grouped = _GROUPED.match(value)
    if grouped:
        label, compact = grouped.group(1), _GROUP_SEPARATORS.sub("", grouped.group(2))
        if _IMEI_OR_MEID.match(compact):
            with_check = len(compact) == 15 and compact.isdigit() and _luhn_valid(compact)
            software_version = len(compact) == 16 and compact.isdigit() and label == "imeisv"
            return compact[:14] if with_check or software_version else compact
    # A MAC address in any of its three written forms is one ('aa-bb-cc-dd-ee-01',
    # 'aabb.ccdd.ee01'), and a GUID in braces is the GUID (2026-12-02, a review).
    if _MAC_SEPARATED.match(value) or _MAC_DOTTED.match(value):
        digits = re.sub(r"[:.-]", "", value)
        return ":".join(digits[i : i + 2] for i in range(0, 12, 2))
    if _BRACED_GUID.match(value):
        return value[1:-1]
    return value


def _luhn_valid(digits: str) -> bool:
    """Whether the last digit is the Luhn check digit of the others (an IMEI's 15th)."""
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _payment_handle(handle: str) -> str:
    compact = _PHONE_SEPARATORS.sub("", handle)
    # Only a number written as a phone (national "0..." or "+..."): a bare run of digits can
    # be a bank account or an identity card number that happens to parse as a phone.
    if _PHONE_LIKE.match(handle) and compact[:1] in ("0", "+"):
        phone = normalise_phone(handle)
        if phone is not None:
            return phone
    if _DIGIT_GROUPS.match(handle):
        return compact  # an account number written in groups
    # A name, then an account number in groups ('bank islam 14-0123-01-234567'): the number
    # without its separators, as when it comes alone.
    grouped = _TRAILING_DIGIT_GROUPS.search(handle)
    if grouped is not None and grouped.start() > 0:
        number = re.sub(r"[\s.-]", "", grouped.group(1))
        return f"{' '.join(handle[: grouped.start()].split())} {number}"
    return " ".join(handle.split())


# How people write the e-wallets' names: "Touch 'n Go", "TnG eWallet", "Grab Pay", "DuitNow
# ID" are one scheme each. Each was a scheme of its own ('touchngo:' beside 'tng:'), or a
# handle kept as typed ('tng:ewallet 012-345 6789'): the same wallet never linked.
_WALLET_NAMES = re.compile(
    r"^(?:(?P<tng>touch\s*['’]?\s*n\s*['’]?\s*go|tng)(?:\s*e-?wallet)?"
    r"|(?P<duitnow>duit\s*now)(?:\s*id)?|(?P<grabpay>grab\s*pay)|(?P<shopeepay>shopee\s*pay)"
    r"|(?P<bigpay>big\s*pay))\b"
)


def _wallet_named(value: str) -> str:
    """The value with its e-wallet's or bank's name written one way (_WALLET_NAMES,
    _BANK_NAMES), without the word 'e-wallet' after it ("Boost e-wallet 012..." was kept as
    typed)."""
    found = _WALLET_NAMES.match(value) or _BANK_NAMES.match(value)
    if found is not None and found.lastgroup is not None:
        value = found.lastgroup + value[found.end() :]
    name, _, rest = value.partition(" ")
    if name in _WALLET_SCHEMES and (wallet := _E_WALLET_WORD.match(rest)):
        value = f"{name} {rest[wallet.end() :]}".strip()
    return value


_E_WALLET_WORD = re.compile(r"e-?wallet\b\s*")
# Banks of several words, or written with 'Bank' ('Bank Islam', 'Public Bank Berhad', 'Hong
# Leong Bank', 'Bank Muamalat', 'CIMB Bank'), named by one word each, a scheme: each spelling
# was an account key of its own (2026-12-02, a review).
_BANK_NAMES = re.compile(
    r"^(?:(?P<bankislam>bank\s*islam(?:\s*malaysia)?)|(?P<publicbank>public\s*bank)"
    r"|(?P<hongleong>hong\s*leong(?:\s*bank)?)|(?P<bankrakyat>bank\s*rakyat)"
    r"|(?P<muamalat>bank\s*muamalat)|(?P<bsn>bank\s*simpanan\s*nasional)"
    r"|(?P<alliance>alliance\s*bank)|(?P<affin>affin\s*bank)|(?P<rhb>rhb\s*bank)"
    r"|(?P<ambank>am\s*bank)|(?P<cimb>cimb\s*bank)|(?P<agrobank>agro\s*bank)"
    r"|(?P<ocbc>ocbc\s*bank)|(?P<uob>uob\s*bank)|(?P<hsbc>hsbc\s*bank))"
    r"(?:\s*malaysia)?(?:\s*(?:berhad|bhd\.?))?(?![a-z])"
)
# A Malaysian mobile number with its country code and no '+' ('60123456789'): after an
# e-wallet's name, which people address by phone, it is the phone (bare, it may be a bank
# account's digits, and stays so).
_MOBILE_WITH_COUNTRY_CODE = re.compile(r"^601\d{8,9}$")


def normalise_payment(raw: str) -> str:
    """Lowercase payment handle as `scheme:handle` when it names a scheme, the handle in E.164
    if it is a phone number and without separators if it is a grouped number."""
    value = _wallet_named(" ".join(raw.strip().lower().split()))
    # 'Bank: Bank Islam 1401...': a form's label before the bank's name.
    if (label := _BANK_LABEL.match(value)) is not None:
        rest = value[label.end() :]
        if _BANK_NAMES.match(rest) is not None or rest.partition(" ")[0] in _BANK_SCHEMES:
            value = _wallet_named(rest)
    scheme = _PAYMENT_SCHEME.match(value)
    if scheme is None:
        return _payment_handle(value)
    name, separator, handle = scheme.groups()
    if not separator.strip() and name not in _SPACED_SCHEMES:
        # "bank islam 14-...": only a space after a name no scheme table knows.
        return _payment_handle(value)
    # 'CIMB Bank: 8000...', 'Maybank account no. 1234 ...', 'DuitNow QR 012...': the words
    # between the scheme and the handle name no one (2026-12-02, a review: each was a key
    # apart from 'cimb:8000...'). Only before a number: 'paypal: no.1seller' is a handle.
    numbered = _SCHEME_WORDS.sub("", handle)
    if numbered != handle and (_DIGIT_GROUPS.match(numbered) or _PHONE_LIKE.match(numbered)):
        handle = numbered
    compact = _PHONE_SEPARATORS.sub("", handle)
    if name in _WALLET_SCHEMES and _MOBILE_WITH_COUNTRY_CODE.match(compact):
        handle = "+" + compact
    return f"{name}:{_payment_handle(handle)}"


@lru_cache(maxsize=_CACHE)
def _device(raw: str) -> str | None:
    device = normalise_device(raw)
    # A pasted key ("device:unknown") is judged without its label. A device id has digits
    # (an IMEI, an advertising id, a serial): a model ('iPhone', 'Samsung') or a label with
    # nothing after it ('IMEI:') names every such phone, and linked them all. Since
    # 2026-12-02 (a review) nor is a model with its number ('iPhone 12', 'Samsung A12': an
    # id has no spaces, an IMEI's groups are joined above) or its code ('SM-A125F'), a value
    # of fewer than six letters and digits ('1', '123'), one digit repeated ('IMEI
    # 111111111111111'), or the MAC address every Android app reads ('02:00:00:00:00:00').
    bare = device.removeprefix("device:")
    alphanumerics = [ch for ch in bare if ch.isalnum()]
    if (
        is_placeholder("device", bare)
        or not any(ch.isdigit() for ch in bare)
        or any(ch.isspace() for ch in bare)
        or len(alphanumerics) < _DEVICE_ID_MIN
        or len(set(alphanumerics)) == 1
        or _MODEL_CODE.match(bare)
    ):
        return None
    return f"device:{device}"


_PAYMENT_WORDS = re.compile(r"[\s:]+")
_NO_HANDLE_WORDS = (
    _WALLET_SCHEMES
    | _SPACED_SCHEMES
    | {
        "account", "akaun", "app", "qr", "bank", "banking", "transfer", "online", "e-wallet",
        "ewallet", "wallet", "id", "maybank2u", "m2u", "public", "islam", "rakyat", "hong",
        "leong", "alliance", "usdt", "bitcoin", "btc", "eth", "ethereum", "crypto",
        "touchngo", "touch", "n", "go", "cash", "cashapp", "venmo",
    }
)  # fmt: skip


def _payment(raw: str) -> str | None:
    payment = normalise_payment(raw)
    _, _, handle = payment.rpartition(":")
    if all(word in _NO_HANDLE_WORDS for word in _PAYMENT_WORDS.split(payment) if word):
        # A wallet or bank named without a handle ("TnG eWallet", "Maybank", "CIMB Bank",
        # "bitcoin", "bank transfer") names every scam that uses it: as one key it linked
        # them all (two reviews). A handle of letters ('$johndoe', 'paypal: johndoe') stays.
        return None
    placeholder = is_placeholder("payment", payment) or is_placeholder("payment", handle)
    return None if placeholder else payment


def _account_identifiers(out: _Collector, acc: ReportedAccount, unnamed: str = "") -> None:
    """Everything one reported account carries that can link it elsewhere; an account that
    names no platform is on `unnamed` (_unnamed_accounts_platform)."""
    platform = normalise_platform(acc.platform or unnamed)
    _account(out, platform, acc.user_id, acc.username)
    out.add("email", normalise_email(acc.email) if acc.email else None)
    out.add("phone", normalise_phone(acc.phone) if acc.phone else None)
    for sighting in acc.ips:
        out.add("ip", _linkable_ip(sighting.ip))
    for given in acc.device_ids:
        for key in _device_keys(given):
            out.add("device", key)
    for handle in acc.payment_handles:
        out.add("payment", _payment(handle))


def _unnamed_accounts_platform(report: PlatformReport | NgoReferral) -> str:
    """The platform of a report's accounts that name none: a platform's own service when no
    account of its report names one (it reports its own users, as its report naming no
    platform is about its own service: streams.prepare.report_platforms). They were keyed
    on the 'unknown' platform, so that TikTok's user 7012345 and Instagram's user 7012345,
    each reported by its own service, were one account and linked two services' cases,
    while TikTok's report did not link to a public report naming the same TikTok user.
    Where some account names a platform, one that does not may be on any service: unknown."""
    if not isinstance(report, PlatformReport):
        return ""
    named = {normalise_platform(acc.platform) for acc in report.accounts if acc.platform}
    named.discard(UNKNOWN_PLATFORM)
    return "" if named else organisation_service(report.organisation_id)


def suspect_groups(report: AnyReport) -> list[list[Identifier]]:
    """One group per reported account: the identifiers one person behind it was seen using."""
    if isinstance(report, PublicReport):
        return []
    groups = []
    unnamed = _unnamed_accounts_platform(report)
    for acc in report.accounts:
        out = _Collector()
        _account_identifiers(out, acc, unnamed)
        if found := out.sorted():
            groups.append(found)
    return groups


# Links a member of the public writes into the description instead of the form's URL
# field ('he sent me https://t.me/uncle_x', '他的链接是www.example.com/x谢谢', 'ig nya
# instagram.com/uncle_x'): a child reporting writes everything there. Only what cannot be
# prose: a scheme, 'www.', or a service's own domain with a path. Before it may come any
# character but a Latin letter or digit ('是www.' in Chinese; 'abc.com/x' holds no 'c.com').
_SERVICE_DOMAINS = sorted((k for k in PLATFORM_ALIASES if "." in k), key=len, reverse=True)
_SERVICE_PAGE = (
    r"(?:[a-z0-9-]+\.)*(?:" + "|".join(re.escape(domain) for domain in _SERVICE_DOMAINS) + r")/"
)
_LINK_START = rf"(?:https?://|www\.|{_SERVICE_PAGE})"
_TEXT_LINK = re.compile(
    rf"(?<![A-Za-z0-9_.@/\-\u00c0-\u024f]){_LINK_START}[!-~]+", re.IGNORECASE | re.ASCII
)
# Links listed without spaces ('t.me/a,t.me/b', 'https://x.com/a;https://x.com/b') are two:
# a comma, semicolon or bar right before another link's start ends the first, unless the
# first's query gives links as a value ('share?urls=https://t.me/a,https://t.me/b' is one
# link; 'watch?v=ID,https://...' are two). A comma may be in a path too
# ('/img/w_100,h_100,www.jpg'): 'www.' starts a link only before a host.
_NEXT_LINK = re.compile(
    rf"[,;|](?=https?://|www\.[a-z0-9-]+\.[a-z]|{_SERVICE_PAGE})", re.IGNORECASE | re.ASCII
)
# Where a link written in running text ends: at a space, or at a character outside ASCII
# (Chinese runs on without spaces: 'www.example.com/x谢谢'), except one that goes on a part
# the link left open ('/视频/1', '?kw=裸聊': cut there, every page and search of a site was
# one identifier), up to a space or the punctuation that ends a phrase in those scripts.
_GOES_ON_AFTER = frozenset("/=?&#%+")
_ENDS_A_PHRASE = frozenset("，。、；：！？「」『』（）《》【】〈〉…　")
_CLOSING = ".,;:!?'\"*"
_PAIRS = {")": "(", "]": "[", "}": "{", ">": "<"}
# At most this many from one description (10,000 characters could hold ~500): each is an
# identifier written with the report.
TEXT_LINKS_MAX = 20


# Candidates looked at in one description at most, links or not ('中www./' repeated is
# 2,000 of them): the reading stays linear and the URL cache holds a handful.
_TEXT_CANDIDATES_MAX = 5 * TEXT_LINKS_MAX


def links_in_text(text: str | None) -> list[str]:
    """The links a description holds, as written, in order, each once, at most
    TEXT_LINKS_MAX: only those that are an identifier (a URL, not a known platform's front
    page), and none that names a phone number ('wa.me/60123456789'): like a number in the
    text, it is as likely the reporter's own as the offender's."""
    return list(_links_in_text(text or ""))


# Preparing a report reads its links three times (identifiers, content online, hosts): the
# description is read once.
@lru_cache(maxsize=256)
def _links_in_text(text: str) -> tuple[str, ...]:
    found: list[str] = []
    position = 0
    for _ in range(_TEXT_CANDIDATES_MAX):
        match = _TEXT_LINK.search(text, position)
        if match is None:
            break
        end = _link_end(text, match.start(), match.end())
        listed = _next_listed(text, match.start(), max(end, match.end()))
        if listed is not None:
            end = position = listed
        else:
            position = max(end, match.end())
        if end < 0:
            continue  # prose after a site's root
        link = _without_closing(text[match.start() : end])
        if len(link) > _MAX_VALUE or link in found:
            continue
        canonical = _url(link)
        if canonical is None or _names_a_number(canonical):
            continue
        found.append(link)
        if len(found) == TEXT_LINKS_MAX:
            break
    return tuple(found)


# A query value that is a link: with a scheme (also percent-encoded, once or twice), 'www.',
# or a service's page. (Names hold no '?': each '?' is looked at once.)
_LINKS_AS_A_VALUE = re.compile(
    rf"[?&][^=&#?\s]*=(?:https?(?::|%3a|%253a)|www\.|{_SERVICE_PAGE})", re.IGNORECASE
)


def _next_listed(text: str, start: int, end: int) -> int | None:
    """Where another link listed right after the one at text[start:end] begins (its
    separator), if one does and the first's query gives no link as a value before it."""
    listed = _NEXT_LINK.search(text, start + 1, end)
    if listed is None or _LINKS_AS_A_VALUE.search(text, start, listed.start()):
        return None
    return listed.start()


_AFTER_ROOT = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?(?://)?[^/?#]*/$", re.IGNORECASE)
_PATH_GOES_ON = re.compile(r"[/?#]")


def _link_end(text: str, start: int, end: int) -> int:
    """Where a link whose ASCII run is text[start:end] ends (_GOES_ON_AFTER): through the
    letters, digits and marks of other scripts that go on a part it left open, never through
    punctuation ('facebook.com/”'), at most _MAX_VALUE characters in all; -1 when what
    follows a site's root is prose, not a path."""
    if end == len(text) or text[end - 1] not in _GOES_ON_AFTER:
        return end
    limit = min(len(text), start + _MAX_VALUE + 1)
    goes_to = end
    while goes_to < limit and _goes_on(text[goes_to]):
        goes_to += 1
    # After a site's root, letters are a path only if it goes on as one ('/视频/1'); else
    # they are prose ('facebook.com/上认识他的'), and the link is dropped: its root alone
    # would join every report naming the site.
    if _AFTER_ROOT.match(text[start:end]) and not _PATH_GOES_ON.search(text, end, goes_to):
        return -1 if goes_to > end else end
    return goes_to


def _goes_on(char: str) -> bool:
    if char.isascii():
        return "!" <= char <= "~"
    return unicodedata.category(char)[0] in "LNM"


# WhatsApp's chat links and Telegram's by number always carry a phone number, however it is
# typed ('wa.me/60 12-345 6789' reads as 'wa.me/60', which every such link shared).
_NUMBER_LINK = re.compile(
    # On t.me only a path of digits: 't.me/+1AbC...' is an invite (2026-12-02, a review).
    r"^https://(?:wa\.me/\+?[\d\s-]|(?:api\.)?whatsapp\.com/send\b|t\.me/\+?[\d\s-]+(?:[/?#]|$))",
    re.IGNORECASE,
)


def _names_a_number(url: str) -> bool:
    if _NUMBER_LINK.match(url):
        return True
    profile = _profile_of_link(url)
    return profile is not None and _is_phone(profile[2])


def _without_closing(link: str) -> str:
    """'https://x.com/a.' and '(see https://x.com/a)' are 'https://x.com/a'; a bracket the
    link opened stays ('wikipedia.org/wiki/A_(b)')."""
    while link and (
        link[-1] in _CLOSING
        or (link[-1] in _PAIRS and link.count(_PAIRS[link[-1]]) < link.count(link[-1]))
    ):
        link = link[:-1]
    return link


def linked_hosts(links: list[str]) -> list[str]:
    """The hosts of the links that are identifiers (not a known platform's front page), a
    service's by its name ('youtu.be/...' and 't.me/...' are youtube and telegram), each
    once, sorted."""
    urls = {url for link in links if (url := _url(link))}
    found = {takedown_host(urlsplit(url).hostname or "") for url in urls}
    found.discard(UNKNOWN_PLATFORM)
    return sorted(found)


def report_links(report: AnyReport) -> list[str]:
    """A report's URLs: the form's, and for a public report those its description holds."""
    if isinstance(report, PublicReport):
        return [*report.urls, *links_in_text(report.description)]
    return list(report.urls)


def extract_identifiers(report: AnyReport) -> list[Identifier]:
    """Deduplicated, sorted linkable identifiers of a report; bad values are skipped."""
    out = _Collector()
    for url in report_links(report):
        canonical = _url(url)
        # A link to a profile links as the account (and a number's phone) it names, not also
        # as a URL: the URL key linked on its own, past an exclusion of the number or the
        # account ('wa.me/<excluded number>' still merged cases) and past its degree cap.
        if not _profile_account(out, canonical):
            out.add("url", canonical)
    if isinstance(report, PublicReport):
        # Reporter contact is deliberately not extracted: one helpful reporter would link
        # every case they ever reported.
        platform = normalise_platform(report.platform or "")
        for name in report.usernames:
            _account(out, platform, None, name)
        return out.sorted()
    unnamed = _unnamed_accounts_platform(report)
    for acc in report.accounts:
        _account_identifiers(out, acc, unnamed)
    for item in report.content:
        _content(out, item)
    return out.sorted()


def _account_value(value: str) -> str | None:
    """`platform:id:USER_ID` or `platform:u:USERNAME`, as _account writes them."""
    platform, _, rest = value.partition(":")
    form, _, handle = rest.partition(":")
    platform = normalise_platform(platform)
    if form == "id":
        return _user_id_value(platform, handle)
    if form == "u":
        # As a report's username is read: a link to a profile names that profile's account.
        out = _Collector()
        _account(out, platform, None, handle)
        return next((i.value for i in out.sorted() if i.kind == "account"), None)
    return None


def _content_value(value: str) -> str | None:
    """`ALGORITHM:HASH`, the hash in its canonical form."""
    alg, _, digest = value.partition(":")
    alg = alg.strip().lower()
    return _content_key(alg, digest) if alg in _HASH_FIELDS else None


def _device_value(value: str) -> str | None:
    # The graph's device keys read `device:device:ID`; the id alone is accepted too.
    return _device(value.strip().lower().removeprefix("device:"))


_KEY_FORMS: dict[str, tuple[Callable[[str], str | None], str]] = {
    "account": (_account_value, "PLATFORM:id:USER_ID or PLATFORM:u:USERNAME"),
    "content": (_content_value, "md5|sha1|sha256|pdq|photodna:HASH"),
    "phone": (
        normalise_phone,
        "a valid phone number, not a placeholder; national numbers are read as Malaysian",
    ),
    "email": (normalise_email, "an address with a local part and a domain"),
    "device": (_device_value, "a device id"),
    "payment": (_payment, "a payment handle"),
    "ip": (_linkable_ip, "a globally routable address (private and CGNAT ones never link)"),
    # As reports carry URLs (_url): a site's front page or a placeholder makes no identifier,
    # and a rule on one ('https://www.facebook.com') was taken and never matched anything.
    "url": (_url, "a web URL, not a site's front page or a placeholder"),
}


def same_number_keys(key: str) -> list[str]:
    """The other keys a phone number is carried under, for any of them: the phone
    ('phone:+60...'), the number as a WhatsApp, Telegram or WeChat handle, and as a payment
    handle, bare or after an e-wallet's name. Excluding one alone left the others
    linking (a handle written as a phone is that phone's identifier too)."""
    number = _number_of(key)
    if number is None:
        return []
    handles = [f"account:{platform}:u:{number}" for platform in sorted(_PHONE_HANDLE_PLATFORMS)]
    # Wallets only: after a bank's name a number may be an account number.
    payments = [f"payment:{number}"] + [f"payment:{s}:{number}" for s in sorted(_WALLET_SCHEMES)]
    return [other for other in [f"phone:{number}", *handles, *payments] if other != key]


def _number_of(key: str) -> str | None:
    """The phone number a phone key, or a phone handle or payment key in E.164, carries."""
    kind, _, value = key.partition(":")
    if kind == "phone":
        number = value
    elif kind == "account":
        platform, _, handle = value.partition(":u:")
        number = handle if platform in _PHONE_HANDLE_PLATFORMS else ""
    elif kind == "payment":
        # Bare or a wallet's: after a bank's name a number may be an account number that
        # happens to read as a phone ('ocbc 0123456789').
        scheme, _, number = value.rpartition(":")
        number = number if scheme in ("", *_WALLET_SCHEMES) else ""
    else:
        return None
    return number if _is_phone(number) else None


def normalise_key(key: str) -> str:
    """An identifier key typed by a person (`kind:value`), in the form the graph stores it, so
    that an exclusion rule names the identifier reports really carry; ValueError if it
    cannot name one."""
    kind, sep, value = key.strip().partition(":")
    kind = kind.strip().lower()
    if not sep or kind not in _KEY_FORMS or not value.strip():
        kinds = ", ".join(sorted(_KEY_FORMS))
        raise ValueError(
            f"not an identifier key: {key!r} (expected KIND:VALUE, KIND one of {kinds})"
        )
    normalise, expected = _KEY_FORMS[kind]
    normalised = normalise(value.strip())
    # Extraction drops longer values, so such a key could never name an identifier.
    if not normalised or len(normalised) > _MAX_VALUE:
        raise ValueError(f"not a linkable {kind} value: {value.strip()!r} (expected {expected})")
    return f"{kind}:{normalised}"
