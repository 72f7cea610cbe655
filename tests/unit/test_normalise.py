"""Normalisation: equal facts written differently must come out equal."""

import base64
import hashlib
from datetime import UTC, datetime

import pytest

from contracts.enums import HarmCategory
from contracts.reports import (
    ContentItem,
    IpSighting,
    NgoReferral,
    PlatformReport,
    PublicReport,
    ReportedAccount,
)
from streams.normalise import (
    PHOTODNA_MAX_LEN,
    canonical_url,
    extract_identifiers,
    normalise_email,
    normalise_hash,
    normalise_ip,
    normalise_key,
    normalise_phone,
    normalise_platform,
    normalise_username,
)

MD5 = hashlib.md5(b"example").digest()
SHA1 = hashlib.sha1(b"example").digest()
SHA256 = hashlib.sha256(b"example").digest()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("fb", "facebook"),
        (" Facebook.com ", "facebook"),
        ("https://www.facebook.com/", "facebook"),
        ("IG", "instagram"),
        ("wa", "whatsapp"),
        ("WhatsApp", "whatsapp"),
        ("tg", "telegram"),
        ("Twitter", "x"),
        ("X", "x"),
        ("TikTok", "tiktok"),
        ("Some  New   App", "some new app"),
        ("   ", "unknown"),
    ],
)
def test_normalise_platform(raw: str, expected: str) -> None:
    assert normalise_platform(raw) == expected


def test_username_strips_at_and_casefolds() -> None:
    assert normalise_username("instagram", "  @Ali.Baba_99 ") == "ali.baba_99"


def test_username_on_phone_platform_becomes_e164() -> None:
    assert normalise_username("wa", "012-345 6789") == "+60123456789"


def test_username_with_digits_is_not_mistaken_for_phone() -> None:
    assert normalise_username("telegram", "User0123456789") == "user0123456789"


@pytest.mark.parametrize(
    "raw",
    ["012-345 6789", "+60 12 345 6789", "0060123456789", "60123456789", "(012) 3456789"],
)
def test_malaysian_mobile_variants_are_equal(raw: str) -> None:
    assert normalise_phone(raw) == "+60123456789"


def test_malaysian_landline_and_foreign_number() -> None:
    assert normalise_phone("03-2123 4567") == "+60321234567"
    assert normalise_phone("+1 650 253 0000") == "+16502530000"


@pytest.mark.parametrize("raw", ["12345", "not a phone", "", "+60 1"])
def test_invalid_phone_is_none(raw: str) -> None:
    assert normalise_phone(raw) is None


def test_email_lowercased_but_dots_and_tags_kept() -> None:
    assert normalise_email("  Ali.Baba+tag@Gmail.COM ") == "ali.baba+tag@gmail.com"


@pytest.mark.parametrize("raw", ["no-at-sign", "@example.com", "ali@", "a b@example.com"])
def test_invalid_email_is_none(raw: str) -> None:
    assert normalise_email(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://Example.COM/Path", "http://example.com/Path"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#frag", "https://example.com/a"),
        ("https://example.com/a/b/", "https://example.com/a/b"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        (
            "https://example.com/p?utm_source=x&b=2&UTM_medium=y&a=1&fbclid=f&gclid=g",
            "https://example.com/p?a=1&b=2",
        ),
        ("https://example.com/p?utm_source=x", "https://example.com/p"),
        ("example.com/path/", "http://example.com/path"),
        ("www.example.com.my", "http://www.example.com.my/"),
        ("203.0.113.5/x", "http://203.0.113.5/x"),
        ("https://Bücher.Example/x", "https://bücher.example/x"),
        ("https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"),
        ("https://[2001:DB8::1]:443/", "https://[2001:db8::1]/"),
        ("//cdn.example.com/x/", "http://cdn.example.com/x"),
        ("https://User@Example.com/", "https://User@example.com/"),
        ("https://instagram.com/p/1?igshid=abc&hl=ms", "https://instagram.com/p/1?hl=ms"),
    ],
)
def test_canonical_url(raw: str, expected: str) -> None:
    assert canonical_url(raw) == expected


def test_canonical_url_makes_variants_equal() -> None:
    variants = [
        "https://t.me/joinchat/abc?utm_source=wa",
        "HTTPS://T.ME:443/joinchat/abc/#top",
        "https://t.me/joinchat/abc",
    ]
    assert len({canonical_url(v) for v in variants}) == 1


@pytest.mark.parametrize(
    "raw", ["", "hello world", "mailto:a@example.com", "http://a.com:99999/", "http://"]
)
def test_unparseable_url_is_none(raw: str) -> None:
    assert canonical_url(raw) is None


@pytest.mark.parametrize(("alg", "digest"), [("md5", MD5), ("sha1", SHA1), ("sha256", SHA256)])
def test_hash_hex_uppercase_and_base64_agree(alg: str, digest: bytes) -> None:
    hex_value = digest.hex()
    assert normalise_hash(alg, hex_value.upper()) == hex_value
    assert normalise_hash(alg.upper(), f" {hex_value} ") == hex_value
    assert normalise_hash(alg, base64.b64encode(digest).decode()) == hex_value
    assert normalise_hash(alg, base64.b64encode(digest).decode().rstrip("=")) == hex_value
    assert normalise_hash(alg, base64.urlsafe_b64encode(digest).decode()) == hex_value


def test_hash_of_wrong_length_is_none() -> None:
    assert normalise_hash("md5", SHA1.hex()) is None
    assert normalise_hash("sha256", MD5.hex()) is None
    assert normalise_hash("sha1", base64.b64encode(MD5).decode()) is None
    assert normalise_hash("md5", "zz" * 16) is None


def test_short_hex_is_not_reread_as_base64() -> None:
    # 22 chars of base64 decode to 16 bytes; a truncated hex md5 must not slip through.
    assert normalise_hash("md5", MD5.hex()[:22]) is None


def test_pdq_and_unknown_algorithm() -> None:
    pdq = "AB" * 32
    assert normalise_hash("pdq", pdq) == "ab" * 32
    assert normalise_hash("pdq", "ab" * 31) is None
    assert normalise_hash("tlsh", "ab" * 32) is None


def test_photodna_is_opaque_trimmed_and_capped() -> None:
    assert normalise_hash("photodna", " 12,34,\n 56 ") == "12,34,56"
    assert normalise_hash("photodna", "AbC=") == "AbC="
    assert normalise_hash("photodna", "1" * (PHOTODNA_MAX_LEN + 1)) is None
    assert normalise_hash("photodna", "   ") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 8.8.8.8 ", "8.8.8.8"),
        ("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("::ffff:8.8.8.8", "8.8.8.8"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("1.2.3", None),
        ("999.1.1.1", None),
    ],
)
def test_normalise_ip(raw: str, expected: str | None) -> None:
    assert normalise_ip(raw) == expected


def _platform_report(**kw: object) -> PlatformReport:
    base: dict[str, object] = {
        "organisation_id": "org-1",
        "reference": "ref-1",
        "incident_type": HarmCategory.CSAM,
        "incident_time": datetime(2026, 11, 1, tzinfo=UTC),
    }
    return PlatformReport(**(base | kw))


def _keys(report: PlatformReport | PublicReport | NgoReferral) -> list[str]:
    return [i.key for i in extract_identifiers(report)]


# An account carrying every kind of identifier, each written the way reporters write it.
EVERYTHING_ACCOUNT = ReportedAccount(
    platform="FB",
    user_id="1000123",
    username="@Predator.X",
    email="Bad.Guy@Example.com",
    phone="012-345 6789",
    ips=[IpSighting(ip="8.8.8.8"), IpSighting(ip="10.0.0.1")],
    device_ids=["ABC-DEF"],
    payment_handles=[" TNG:0123456789 "],
)


def test_extract_identifiers_from_platform_report() -> None:
    report = _platform_report(
        accounts=[EVERYTHING_ACCOUNT],
        content=[ContentItem(md5=MD5.hex().upper(), sha1=SHA1.hex(), url="Example.com/x/")],
        urls=["https://example.com/x?utm_source=a"],
    )
    assert _keys(report) == [
        "account:facebook:id:1000123",
        "account:facebook:u:predator.x",
        f"content:md5:{MD5.hex()}",
        f"content:sha1:{SHA1.hex()}",
        "device:device:abc-def",
        "email:bad.guy@example.com",
        "ip:8.8.8.8",
        "payment:tng:0123456789",
        "phone:+60123456789",
        "url:http://example.com/x",
        "url:https://example.com/x",
    ]
    accounts = [i for i in extract_identifiers(report) if i.kind == "account"]
    assert {i.platform for i in accounts} == {"facebook"}


def test_extract_identifiers_dedupes_and_skips_bad_values() -> None:
    report = _platform_report(
        accounts=[
            ReportedAccount(platform="instagram", username="Ali"),
            ReportedAccount(platform="IG", username="@ali", phone="12345", email="nope"),
        ],
        content=[ContentItem(md5="not-a-hash"), ContentItem(sha256=SHA256.hex())],
    )
    assert _keys(report) == ["account:instagram:u:ali", f"content:sha256:{SHA256.hex()}"]


def test_extract_identifiers_public_report_without_platform() -> None:
    report = PublicReport(usernames=["@Someone"], urls=["https://wa.me/60123456789#x"])
    assert _keys(report) == ["account:unknown:u:someone", "url:https://wa.me/60123456789"]


def test_extract_identifiers_public_report_ignores_reporter_contact() -> None:
    report = PublicReport(
        platform="TikTok",
        usernames=["abc"],
        reporter={"email": "parent@example.com", "phone": "0123456789"},
    )
    assert _keys(report) == ["account:tiktok:u:abc"]


def test_extract_identifiers_ngo_referral() -> None:
    report = NgoReferral(
        organisation_id="ngo-1",
        reference="N-7",
        classification=HarmCategory.GROOMING,
        accounts=[ReportedAccount(platform="tg", user_id="Ab12")],
    )
    assert _keys(report) == ["account:telegram:id:Ab12"]


def _reported_everything() -> PlatformReport:
    return _platform_report(
        accounts=[
            EVERYTHING_ACCOUNT,
            ReportedAccount(platform="wa", username="012 345 6789"),
        ],
        content=[ContentItem(md5=MD5.hex().upper(), sha256=base64.b64encode(SHA256).decode())],
        urls=["https://Example.com/x/?utm_source=a"],
    )


@pytest.mark.parametrize(
    "typed",
    [
        "account:Facebook.com:id:1000123",
        "account:fb:u:@PREDATOR.X",
        "account:WhatsApp:u:+60 12-345 6789",
        f"content:MD5:{MD5.hex()}",
        f"content:sha256:{SHA256.hex().upper()}",
        "device:abc-def",
        "device:device:ABC-DEF",
        " email:BAD.GUY@example.com ",
        "ip:::ffff:8.8.8.8",
        "payment:tng:0123456789",
        "phone:0123456789",
        "phone:+60 12 345 6789",
        "url:https://example.com/x",
    ],
)
def test_a_typed_key_names_the_identifier_a_report_carries(typed: str) -> None:
    # An exclusion rule (graph.exclusions) must name the key linking really uses.
    assert normalise_key(typed) in _keys(_reported_everything())


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("nocolon", "not an identifier key"),
        ("colour:red", "not an identifier key"),
        ("phone:  ", "not an identifier key"),
        ("phone:12345", "not a linkable phone value"),
        ("email:nobody", "not a linkable email value"),
        ("ip:10.0.0.1", "not a linkable ip value"),
        ("ip:100.64.0.1", "not a linkable ip value"),
        ("content:sha256:abc", "not a linkable content value"),
        ("content:crc32:" + "a" * 8, "not a linkable content value"),
        ("account:facebook:name:x", "not a linkable account value"),
        ("url:not a url", "not a linkable url value"),
    ],
)
def test_a_key_that_can_name_no_identifier_is_refused(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_key(typed)
