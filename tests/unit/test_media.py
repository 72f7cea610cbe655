"""Media bytes are refused in every string of an intake contract, in every form they take;
ordinary reports in the four languages, URLs and hashes are not."""

import base64
import hashlib
import json
import os
import random
from pathlib import Path
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel, ValidationError

from contracts.deadletters import FieldError
from contracts.media import MEDIA_REFUSED, looks_like_media
from contracts.registry import ContractError, decode_event, to_field_errors
from contracts.reports import IntakeContract, NgoReferral, PlatformReport, PublicReport

SAMPLES = Path(__file__).parent.parent / "samples" / "v1"
# Bytes that look like a compressed file: every value, in no order (fixed seed: repeatable).
FILE = random.Random(7).randbytes(3000)
BASE64 = base64.b64encode(FILE).decode()
PHOTODNA = random.Random(8).randbytes(144)
REQUIRED: dict[type[BaseModel], dict[str, Any]] = {
    PublicReport: {},
    PlatformReport: {
        "organisation_id": "messenger-co",
        "reference": "CT-1",
        "incident_type": "csam",
        "incident_time": "2026-01-01T00:00:00Z",
    },
    NgoReferral: {"organisation_id": "hotline-my", "reference": "HL-1", "classification": "csam"},
}


def wrap(text: str, width: int, newline: str = "\n") -> str:
    return newline.join(text[i : i + width] for i in range(0, len(text), width))


def refusals(model: type[BaseModel], body: dict[str, Any]) -> list[FieldError]:
    """The field errors the API would answer for `body` (api.errors uses to_field_errors)."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate({**REQUIRED[model], **body})
    return to_field_errors(caught.value.errors(include_url=False))


# --- detection ---


@pytest.mark.parametrize(
    "text",
    [
        "data:image/jpeg;base64," + BASE64[:64],
        "data:image/png,%89PNG%0D%0A%1A%0A%00%00%00%0DIHDR",  # not base64
        "see DATA:Image/PNG;Base64,iVBORw0KGgo",
        "data:,GIF89a",
        "data:;base64,R0lGODlh",
        "data:text/plain;charset=utf-8,hello",
        "data:application/x-custom-thing,abc",
        "data:video/mp4",  # cut off before the comma
        "https://x.example/share?img=data%3Aimage%2Fpng%3Bbase64%2CiVBORw0KGgo",
    ],
)
def test_data_urls_are_refused_whatever_their_form(text: str) -> None:
    assert looks_like_media(text)


@pytest.mark.parametrize(
    "text",
    [
        "missing data: the user deleted it",
        "Data: none. DATA:\nkept by the platform",
        "metadata: stripped, data:  gone",
        "https://commons.wikimedia.org/wiki/Data:Ncei.noaa.gov/weather/New_York_City.tab",
    ],
)
def test_prose_and_urls_with_the_word_data_are_accepted(text: str) -> None:
    assert not looks_like_media(text)


@pytest.mark.parametrize(
    "text",
    [
        BASE64,  # one line
        wrap(BASE64, 76),  # MIME
        wrap(BASE64, 64, "\r\n"),  # PEM, CRLF
        "Here is the file:\n" + wrap(BASE64, 60, " \n ") + "\nthanks",
        wrap(BASE64, 76, " "),  # chunks separated by spaces
        wrap(BASE64, 76, "\\n"),  # JSON encoded twice: a literal backslash-n
        wrap(base64.urlsafe_b64encode(FILE).decode(), 76),
        wrap(FILE.hex(), 60),  # xxd -p
    ],
)
def test_base64_blobs_are_refused_wrapped_or_not(text: str) -> None:
    assert looks_like_media(text)


def test_a_wrapped_blob_under_the_limit_or_in_short_lines_is_not_a_blob() -> None:
    # The rule's edges: 1,023 characters in lines of 44+, or any length in lines of 15.
    assert not looks_like_media(wrap(BASE64[:1023], 64))
    assert looks_like_media(wrap(BASE64[:1024], 64))
    assert not looks_like_media(wrap(BASE64[:2000], 15))
    # Lines of 16 to 43, of one length, are a file's too since 2026-12-01: `base64 -w 43` was
    # kept (a review's walk-through of the README); 1,023 characters of them not yet.
    assert looks_like_media(wrap(BASE64[:2000], 43))
    assert looks_like_media(wrap(BASE64[:2000], 16))
    assert not looks_like_media(wrap(BASE64[:1023], 43))
    # Wrapped at 48 or 59 columns it passed while lines had to be 60 long (2026-12-01).
    assert looks_like_media(wrap(BASE64[:2000], 48))
    assert looks_like_media(wrap(BASE64[:2000], 59))


LARGER = base64.b64encode(FILE * 2).decode()  # 8,000 characters


def urlsafe(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@pytest.mark.parametrize("joiner", [".", ";", "|", '","', '", "', "-."])
def test_base64_cut_into_chunks_joined_by_punctuation_is_refused(joiner: str) -> None:
    chunked = wrap(LARGER, 100, joiner)
    assert looks_like_media(chunked)
    assert looks_like_media(json.dumps([LARGER[i : i + 100] for i in range(0, 8000, 100)]))


def test_chunks_joined_by_their_padding_or_a_hashs_length_are_refused() -> None:
    # From a review: padded pieces side by side ('...==AAAA'), chunks joined by '=', and
    # 192-character chunks (a base64 PhotoDNA's length, with no padding to tell them apart).
    padded = "".join(base64.b64encode(FILE[i : i + 50]).decode() for i in range(0, 3000, 50))
    assert looks_like_media(padded + padded)
    assert looks_like_media(wrap(LARGER, 100, "="))
    assert looks_like_media(wrap(LARGER, 192, "."))


def test_tokens_and_hashes_joined_by_punctuation_are_not_a_blob() -> None:
    # A JWT is base64 chunks joined by '.', in share links; a hash list is joined by commas.
    token = ".".join(
        urlsafe(part)
        for part in (b'{"alg":"RS256","typ":"JWT"}', FILE[:700], FILE[700:956])  # ~1.3 kB
    )
    assert not looks_like_media(token)
    assert not looks_like_media(" ".join(f"https://x.example/s?t={token}" for _ in range(4)))
    hashes = ",".join(hashlib.sha256(bytes([n])).hexdigest() for n in range(200))
    assert not looks_like_media(hashes)
    sha512s = [base64.b64encode(hashlib.sha512(bytes([n])).digest()).decode() for n in range(99)]
    assert not looks_like_media(", ".join(sha512s))
    upper = ",".join("0X" + hashlib.sha256(bytes([n])).hexdigest() for n in range(80))
    assert not looks_like_media(upper)
    # One a line, a PhotoDNA list is hashes (as _wrapped_base64 reads lines), not chunks.
    photodnas = [base64.b64encode(random.Random(n).randbytes(144)).decode() for n in range(30)]
    assert not looks_like_media("\n".join(photodnas))
    # The rule's edges: chunks of other lengths up to 4,095 characters are not yet a blob;
    # chunks of one length (a file cut evenly) are from 1,024 (since 2026-12-01: '.' every
    # 43 characters, or a JSON list of 43-character strings, was kept).
    uneven = ".".join(LARGER[i : i + 64 + i % 7] for i in range(0, 4095, 64))[:4095]
    assert not looks_like_media(uneven)
    assert looks_like_media(wrap(LARGER[:4096], 64, "."))
    assert not looks_like_media(wrap(LARGER[:1023], 43, "."))
    assert looks_like_media(wrap(LARGER[:1024], 43, "."))
    assert looks_like_media(json.dumps(wrap(LARGER[:3000], 43).split("\n")))


@pytest.mark.parametrize(
    "text",
    [
        FILE[:400].decode("latin-1"),  # bytes smuggled as characters
        "".join(f"%{b:02X}" for b in FILE[:400]),  # percent-encoded
        "".join(f"\\u{b:04x}" for b in FILE[:400]),  # JSON escapes, as raw text
    ],
)
def test_raw_bytes_are_refused(text: str) -> None:
    assert looks_like_media(text)


def _xxd(data: bytes) -> str:
    """`xxd` output: offsets, eight groups of two bytes, the bytes as text."""
    lines = []
    for at in range(0, len(data), 16):
        row = data[at : at + 16]
        groups = " ".join(row[i : i + 2].hex() for i in range(0, len(row), 2))
        text = "".join(chr(b) if 32 <= b < 127 else "." for b in row)
        lines.append(f"{at:08x}: {groups}  {text}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    "text",
    [
        " ".join(f"{b:02x}" for b in FILE[:600]),  # a hex dump, byte by byte
        " ".join(FILE[i : i + 2].hex() for i in range(0, 1200, 2)),  # in groups of two bytes
        _xxd(FILE[:800]),  # with offsets and the text column
        "".join(f"\\x{b:02x}" for b in FILE[:600]),  # escapes
        repr(FILE[:2000]),  # Python's repr: printable bytes between the escapes
        "".join(f"\\{b:03o}" for b in FILE[:600]),  # octal escapes
        ", ".join(f"0x{b:02x}" for b in FILE[:600]),  # a C array
        ",".join(str(b) for b in FILE[:600]),  # decimals
        str([b - 256 if b > 127 else b for b in FILE[:600]]),  # Java's signed bytes
        "the photo: " + ", ".join(str(b) for b in FILE[:600]) + " thank you",
        "".join(f"&#{b};" for b in FILE[:600]),  # HTML character references
        "".join(f"&#x{b:x};" for b in FILE[:600]),  # the same in hex
        "".join(f"&#{b:04d};" for b in FILE[:600]),  # zero-padded, as HTML allows
        "".join(f"&#x{b:04x};" for b in FILE[:600]),
    ],
    ids=["hex", "groups", "xxd", "escapes", "repr", "octal", "c-array", "decimals", "signed",
         "in-prose", "html-decimal", "html-hex", "html-padded", "html-padded-hex"],
)  # fmt: skip
def test_bytes_written_out_as_numbers_are_refused(text: str) -> None:
    """A hex dump or a list of byte values of a JPEG passed as text (2026-11-30)."""
    assert looks_like_media(text)


@pytest.mark.parametrize(
    "text",
    [
        ", ".join(str(12_345_678 + i) for i in range(200)),  # message ids
        "\n".join(f"0123456{i:03d} 0198765{i:03d}" for i in range(300)),  # phone numbers
        " ".join(f"012 345 {6000 + i}" for i in range(256)),  # phones in a paragraph
        "\n".join(", ".join(f"01{i % 10} 34{i % 7} 67{i:02d}" for _ in range(4)) for i in range(64)),
        "\n".join(f"{i} 12 30 2024 10 00 received" for i in range(200)),  # a table of times
        "\n".join(" ".join(str((i * j) % 40) for j in range(8)) for i in range(64)),  # counts
        "\n".join(f"jam {h}: " + " ".join(str((h * j) % 90) for j in range(8)) for h in range(64)),
        "\n".join("小时 " + " ".join(str((h + j) % 60) for j in range(8)) for h in range(64)),
        ", ".join(f"{10 + i % 12}:{i % 60:02d}" for i in range(260)),  # times of messages
        " ".join(f"{b:02x}" for b in FILE[:500]),  # 500 bytes: under the 512 of a file
        "\n".join(" ".join(f"{b:02x}" for b in FILE[i : i + 7]) for i in range(0, 2100, 7)),
    ],
    ids=["ids", "phones", "phones-prose", "phone-lines", "times", "counts", "counts-malay",
         "counts-chinese", "clock-times", "short-dump", "lines-of-seven"],
)  # fmt: skip
def test_numbers_in_reports_are_not_bytes(text: str) -> None:
    assert not looks_like_media(text)


@pytest.mark.parametrize(
    "text",
    [
        "தமிழ் செய்தி: ஒரு குழந்தை ஆபத்தில் உள்ளது. " * 40,
        "我的孩子在网上被陌生人威胁，请帮助我们。" * 60,
        "Anak saya dihubungi di sekolah, sangat membimbangkan, sudah dilaporkan. " * 40,
        "L'enfant a été contacté à l'école, très inquiétant, déjà signalé. " * 40,
    ],
    ids=["tamil", "chinese", "malay", "accented"],
)
def test_text_written_as_html_character_references_is_not_bytes(text: str) -> None:
    """Text copied from a page's source: every character (Tamil, Chinese) or every accented
    one a reference. Only references to values 0 to 255 are byte-like, and prose has few."""
    for written in (
        text.encode("ascii", "xmlcharrefreplace").decode(),
        "".join(f"&#x{ord(c):x};" if ord(c) > 127 else c for c in text),
    ):
        assert not looks_like_media(written)


@pytest.mark.parametrize(
    "text",
    [
        "pasted from a terminal: \x1b[31mDark.Uncle\x1b[0m said \x07 page\x0cbreak\x00",
        "https://x.example/a%00b?c=%1B%5B0m&d=%0D%0A" + "&e=%09" * 20,
        "a JSON dump: {\\u0000, \\u001b, \\u000a}",
    ],
)
def test_a_few_stray_control_characters_are_not_bytes(text: str) -> None:
    assert not looks_like_media(text)


HASH_LISTS = [
    "\n".join(random.Random(i).randbytes(32).hex() for i in range(40)),  # SHA-256
    "\n".join(random.Random(i).randbytes(64).hex().upper() for i in range(20)),  # SHA-512
    "\n".join(random.Random(i).randbytes(144).hex() for i in range(8)),  # PhotoDNA hex
    "\n".join(base64.b64encode(random.Random(i).randbytes(144)).decode() for i in range(10)),
]


@pytest.mark.parametrize("text", HASH_LISTS, ids=["sha256", "sha512", "photodna-hex", "photodna"])
def test_a_list_of_hashes_one_a_line_is_not_a_blob(text: str) -> None:
    assert len(text) > 1024
    assert not looks_like_media(text)


ORDINARY = {
    "ms": "Ada orang ugut adik saya untuk hantar gambar. Akaun itu hubungi dia setiap malam, "
    "kadang-kadang dari nombor lain. Dia berumur 13 tahun.\n",
    "en": "Someone is threatening my sister (13) to send more photos; he says he will post the "
    "old ones: 100% sure it's the same account. Missing data: the chat was deleted.\n",
    "zh": "有人威胁我妹妹发送照片，每天晚上用同一个账户联系她，她只有十三岁。\n",
    "ta": "என் தங்கையை ஒருவர் மிரட்டி படங்களை அனுப்பச் சொல்கிறார்; ஒவ்வொரு இரவும் ஒரே கணக்கு.\n",
}
LONG_URLS = [
    "https://cdn.example.com/" + "/".join(f"album.{i}" for i in range(150)) + "/f.jpg?s=share",
    "https://www.tiktok.com/@user.name_88/video/7301234567890123456?"
    + "&".join(f"param_{i}=Value{i}x{i * 7919}" for i in range(60)),
    "https://ta.wikipedia.org/wiki/" + "%E0%AE%A4%E0%AE%99%E0%AF%8D%E0%AE%95%E0%AF%88" * 40,
    "https://www.google.com/search?q=akaun+ugut+adik+hantar+gambar&"
    + "&".join(f"ei{i}=Zk3aZ-aBC{i}dEfGhIjKlMnOp" for i in range(40)),
]


@pytest.mark.parametrize("language", sorted(ORDINARY))
def test_long_reports_in_the_four_languages_are_accepted(language: str) -> None:
    description = ORDINARY[language] * (9_000 // len(ORDINARY[language]))
    report = PublicReport(description=description, language=language, urls=LONG_URLS)
    assert report.description == description.strip()
    assert not looks_like_media(description)


@pytest.mark.parametrize("url", LONG_URLS, ids=["path", "query", "tamil", "search"])
def test_long_urls_are_accepted(url: str) -> None:
    assert len(url) > 1000 and not looks_like_media(url)


def test_hashes_of_every_kind_are_accepted() -> None:
    item = {
        "md5": "D41D8CD98F00B204E9800998ECF8427E",
        "sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "pdq": "f" * 64,
        "url": "https://cdn.example.com/f/abc.jpg",
    }
    photodnas = [
        base64.b64encode(PHOTODNA).decode(),  # 192
        PHOTODNA.hex(),  # 288
        ", ".join(["255"] * 144),  # the longest decimal form: 718
    ]
    report = PlatformReport(
        **REQUIRED[PlatformReport],
        content=[{**item, "photodna": p} for p in photodnas],
        description="\n".join(HASH_LISTS),
    )
    assert [c.photodna for c in report.content] == photodnas


@pytest.mark.parametrize(
    ("photodna", "code"),
    [
        (BASE64[:2048], "string_too_long"),  # room for 1,536 bytes before the cap
        (BASE64[:700], MEDIA_REFUSED),  # under the cap, but no hash is one run of 700
        (PHOTODNA.hex() + "00", MEDIA_REFUSED),
    ],
)
def test_photodna_has_room_for_a_hash_not_a_file(photodna: str, code: str) -> None:
    (error,) = refusals(PlatformReport, {"content": [{"photodna": photodna}]})
    assert (error.code, error.field) == (code, "content.0.photodna")


# --- every string field of the three contracts, with the field named ---

BLOB = "data:image/png,%89PNG%0D%0A%1A%0A"


@pytest.mark.parametrize(
    ("model", "body", "field"),
    [
        (PlatformReport, {"content": [{}, {"url": BLOB}]}, "content.1.url"),
        (PlatformReport, {"content": [{"sha256": BLOB}]}, "content.0.sha256"),
        (PlatformReport, {"content": [{"photodna": BLOB}]}, "content.0.photodna"),
        (PlatformReport, {"accounts": [{"display_name": BLOB}]}, "accounts.0.display_name"),
        (PlatformReport, {"accounts": [{"username": BLOB}]}, "accounts.0.username"),
        (PlatformReport, {"accounts": [{"phone": BLOB}]}, "accounts.0.phone"),
        (PlatformReport, {"accounts": [{"device_ids": ["A1", BLOB]}]}, "accounts.0.device_ids.1"),
        (PlatformReport, {"accounts": [{"ips": [{"ip": BLOB}]}]}, "accounts.0.ips.0.ip"),
        (PlatformReport, {"victim": {"pseudonym_ref": BLOB}}, "victim.pseudonym_ref"),
        (PlatformReport, {"reference": BLOB}, "reference"),
        (PlatformReport, {"description": wrap(BASE64, 76)}, "description"),
        (PublicReport, {"reporter": {"name": BLOB}}, "reporter.name"),
        (PublicReport, {"reporter": {"email": BLOB}}, "reporter.email"),
        (PublicReport, {"usernames": ["@a", "@b", BLOB]}, "usernames.2"),
        (PublicReport, {"platform": BLOB}, "platform"),
        (PublicReport, {"urls": ["https://ok.example/", BLOB]}, "urls.1"),
        (
            NgoReferral,
            {"hosting_provider": BLOB},
            "hosting_provider",
        ),  # organisation_id: its pattern
        (
            NgoReferral,
            {"content": [{"url": "https://ok.example/" + BASE64[:1500]}]},
            "content.0.url",
        ),
    ],
)
def test_media_is_refused_with_its_field(
    model: type[BaseModel], body: dict[str, Any], field: str
) -> None:
    errors = refusals(model, body)
    assert [(e.code, e.field) for e in errors] == [(MEDIA_REFUSED, field)]


def test_a_refusal_is_reported_beside_the_other_errors() -> None:
    errors = refusals(NgoReferral, {"classification": "nope", "accounts": [{"display_name": BLOB}]})
    assert {(e.code, e.field) for e in errors} == {
        ("enum", "classification"),
        (MEDIA_REFUSED, "accounts.0.display_name"),
    }


def test_the_event_decoder_names_the_full_path() -> None:
    data = json.loads((SAMPLES / "ReportSubmitted.platform.json").read_text())
    data["payload"]["report"]["content"][0]["url"] = BLOB
    with pytest.raises(ContractError) as caught:
        decode_event(json.dumps(data).encode())
    assert [(e.code, e.field) for e in caught.value.errors] == [
        (MEDIA_REFUSED, "payload.report.content.0.url")
    ]


def _string_paths(annotation: Any, path: tuple[str | int, ...]) -> set[tuple[str | int, ...]]:
    """Where a string can go in `annotation`: list items get index 0."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _string_paths(args[0], path)
    if origin in (Union, UnionType):
        return set().union(*(_string_paths(arg, path) for arg in args))
    if origin is list:
        return _string_paths(args[0], (*path, 0))
    if annotation is str:
        return {path}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return set().union(
            *(_string_paths(f.annotation, (*path, n)) for n, f in annotation.model_fields.items())
        )
    return set()


def _put(body: dict[str, Any], path: tuple[str | int, ...], value: str) -> dict[str, Any]:
    """`body` with `value` at `path`, making the dicts and one-item lists on the way."""
    head, rest = path[0], path[1:]
    assert isinstance(head, str)
    if not rest:
        return {**body, head: value}
    if rest[0] == 0:
        inner = _put({}, rest[1:], value) if len(rest) > 1 else value
        return {**body, head: [inner]}
    return {**body, head: _put({}, rest, value)}


# Fields whose own constraint refuses any data first (2 letters; a pattern).
CONSTRAINED_FIRST = {"hosting_country", "victim.age_range", "organisation_id"}
SWEEP = sorted(
    (model.__name__, ".".join(map(str, path)), model, path)
    for model in REQUIRED
    for path in _string_paths(model, ())
)


@pytest.mark.parametrize(
    ("name", "field", "model", "path"), SWEEP, ids=[f"{s[0]}:{s[1]}" for s in SWEEP]
)
def test_every_string_field_refuses_media(
    name: str, field: str, model: type[BaseModel], path: tuple[str | int, ...]
) -> None:
    errors = refusals(model, _put({}, path, BLOB))
    assert [e.field for e in errors] == [field]
    if field not in CONSTRAINED_FIRST:
        assert errors[0].code == MEDIA_REFUSED


def test_the_sweep_covers_the_fields_of_the_review() -> None:
    fields = {s[1] for s in SWEEP}
    assert len(fields) >= 25 and len(SWEEP) >= 50
    assert {"content.0.url", "reporter.name", "accounts.0.display_name"} <= fields
    assert {"accounts.0.username", "content.0.photodna", "hosting_provider"} <= fields


def test_a_string_field_added_later_is_checked_too() -> None:
    class Later(PlatformReport):
        note: str | None = None
        tags: list[str] = []
        extra: dict[str, str] = {}

    assert {"note", "tags", "extra"} <= Later._unchecked_fields
    later: list[tuple[dict[str, Any], str]] = [
        ({"note": BLOB}, "note"),
        ({"tags": ["ok", BLOB]}, "tags"),
        ({"extra": {"k": BLOB}}, "extra"),
    ]
    for body, field in later:
        with pytest.raises(ValidationError) as caught:
            Later.model_validate({**REQUIRED[PlatformReport], **body})
        errors = to_field_errors(caught.value.errors())
        assert [(e.code, e.field) for e in errors] == [(MEDIA_REFUSED, field)]


def test_every_intake_model_is_an_intake_contract() -> None:
    nested = {
        annotation
        for model in REQUIRED
        for field in model.model_fields.values()
        for annotation in _models_in(field.annotation)
    }
    assert nested and all(issubclass(m, IntakeContract) for m in nested | set(REQUIRED))


def _models_in(annotation: Any) -> set[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}.union(
            *(_models_in(f.annotation) for f in annotation.model_fields.values())
        )
    return set().union(*(_models_in(arg) for arg in get_args(annotation)))


def test_lists_of_other_hashes_and_words_ending_in_data_are_not_media() -> None:
    """From a review: these real reports were refused (the first two as a wrapped blob,
    the last two as data: URLs)."""
    eth = "\n".join("0x" + os.urandom(32).hex() for _ in range(16))  # transaction hashes
    sha512 = "\n".join(
        base64.b64encode(hashlib.sha512(os.urandom(8)).digest()).decode() for _ in range(12)
    )
    for text in (
        eth,
        sha512,
        "EXIF says metadata:image/jpeg was stripped",
        "https://example.com/search?q=data:image/png",
    ):
        assert not looks_like_media(text), text[:40]
    # A data URL after a word boundary, or a value that is one, is still refused.
    assert looks_like_media("look at this data:image/png,xyz")
    assert looks_like_media("data:video/mp4")


def test_an_error_never_repeats_media_its_input_carried() -> None:
    """A JSON key, or an event type, of base64 media was copied whole into the error's field
    or message, and so kept for ever in the dead letter whose original was withheld."""
    key = json.dumps({"description": "x", BASE64: 1})
    (error,) = refusals(PublicReport, json.loads(key))
    assert error.code == "extra_forbidden"
    assert BASE64[:100] not in error.field and len(error.field) <= 200
    with pytest.raises(ContractError) as caught:
        decode_event(json.dumps({"event_type": BASE64}).encode())
    (unknown,) = caught.value.errors
    assert unknown.code == "unknown_event_type" and BASE64[:100] not in unknown.message


def test_an_errors_text_is_kept_short_and_otherwise_as_it_was() -> None:
    long_name = "field_" * 100
    error = FieldError(code="x", field=f"payload.{long_name}", message="not so " * 1000)
    assert len(error.field) == 200 and error.field.startswith("payload.field_")
    assert len(error.message) == 1000 and error.message.endswith("…")
    plain = FieldError(code="missing", field="payload.report.reference", message="Field required")
    assert (plain.field, plain.message) == ("payload.report.reference", "Field required")


def test_addresses_and_hashes_written_in_numbers_are_not_bytes() -> None:
    """Found refused (2026-12-01): a login history of 40 IPv6 addresses and a list of MAC
    addresses read as a hex dump; four PhotoDNA hashes in decimals, one a line, as bytes;
    base64 SHA-256s one a line, once lines of 44 count towards a wrapped blob."""
    rng = random.Random(7)
    ipv6 = "\n".join(
        f"2026-11-01 10:00:{n:02d} UTC login from 2406:3003:2077:97a3:"
        + ":".join(f"{rng.randrange(65536):x}" for _ in range(4))
        for n in range(40)
    )
    assert not looks_like_media(ipv6)
    assert not looks_like_media(ipv6.replace("2406:3003:2077:97a3:", "2406:3003::"))
    macs = "\n".join(
        " ".join(":".join(f"{rng.randrange(256):02x}" for _ in range(6)) for _ in range(2))
        for _ in range(50)
    )
    assert not looks_like_media(macs)
    photodnas = "\n".join(",".join(str(rng.randrange(256)) for _ in range(144)) for _ in range(4))
    assert not looks_like_media(photodnas)
    sha256s = [base64.b64encode(hashlib.sha256(bytes([n])).digest()).decode() for n in range(60)]
    assert all(len(h) == 44 for h in sha256s) and not looks_like_media("\n".join(sha256s))


def test_a_hex_dump_joined_by_colons_is_still_bytes() -> None:
    # Sixteen pairs a line joined by ':' is no address (eight groups at most).
    dump = "\n".join(":".join(f"{b:02x}" for b in FILE[i : i + 16]) for i in range(0, 800, 16))
    assert looks_like_media(dump)


_PLATFORM: dict[str, Any] = {
    "organisation_id": "acme",
    "reference": "r1",
    "incident_type": "csam",
    "incident_time": "2026-12-01T06:00:00Z",
}


def _file_in_pieces(size: int, piece: int) -> list[str]:
    """A file of `size` random bytes in base64, cut into strings of `piece` characters."""
    text = base64.b64encode(os.urandom(size)).decode()
    return [text[i : i + piece] for i in range(0, len(text), piece)]


def test_a_file_cut_into_pieces_across_a_lists_items_is_refused() -> None:
    """Each string was checked alone: ~150 kB of a file passed in 256-character pieces across
    accounts' device ids, and in 1,000-character pieces among a report's URLs (a review)."""
    pieces = _file_in_pieces(8_000, 256)
    accounts = [{"platform": "x", "device_ids": pieces[i : i + 20]} for i in range(0, 42, 20)]
    with pytest.raises(ValidationError, match=MEDIA_REFUSED):
        PlatformReport(**_PLATFORM, accounts=accounts)
    with pytest.raises(ValidationError, match=MEDIA_REFUSED):
        PublicReport(urls=_file_in_pieces(3_000, 1_000))
    with pytest.raises(ValidationError, match=MEDIA_REFUSED):
        PublicReport(usernames=_file_in_pieces(1_000, 200))


def test_what_is_no_file_across_fields_passes() -> None:
    """Push tokens (base64 with ':'), long URLs, base64 SHA-256s one a field, and short ids,
    many of each, are no file's pieces."""
    token = "dQw4w9WgXcQ:APA91b" + "H" * 130
    digests = [base64.b64encode(hashlib.sha256(bytes([i])).digest()).decode() for i in range(40)]
    accounts = [
        {"platform": "x", "device_ids": [f"{token}{i}", digests[i], f"38400000-8cf0-{i:04d}"]}
        for i in range(40)
    ]
    report = PlatformReport(**_PLATFORM, accounts=accounts)
    assert len(report.accounts) == 40
    urls = [f"https://example.com/{i}/{'x' * 900}.html" for i in range(20)]
    assert len(PublicReport(urls=urls).urls) == 20


def test_lists_of_wallets_and_base64_hashes_are_no_file_and_files_at_hash_widths_are() -> None:
    """A review of the day's checks: a sextortion report listing 25 Ethereum or 31 Bitcoin
    wallets (ids of one length mixing cases and digits) was refused as a file cut evenly,
    and so were lists of base64 MD5s and SHA-1s; a file wrapped at 44 or 88 columns passed
    as lines of hashes, and a JSON list printed with an indent as no list."""
    rng = random.Random(5)
    hexdigits = "0123456789abcdefABCDEF"
    base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    eth = "\n".join("0x" + "".join(rng.choice(hexdigits) for _ in range(40)) for _ in range(25))
    btc = "\n".join("1" + "".join(rng.choice(base58) for _ in range(33)) for _ in range(31))
    md5s = "\n".join(base64.b64encode(hashlib.md5(bytes([n])).digest()).decode() for n in range(43))
    sha1s = "\n".join(
        base64.b64encode(hashlib.sha1(bytes([n])).digest()).decode() for n in range(37)
    )
    for text in (eth, btc, ", ".join(btc.split("\n")), md5s, sha1s):
        assert len(text) >= 1_024 and not looks_like_media(text), text[:30]
    for width in (44, 88):
        assert looks_like_media(wrap(LARGER[:5_000], width))
    assert looks_like_media(json.dumps(wrap(LARGER[:8_000], 43).split("\n"), indent=2))


def _cut_at_random(text: str, shortest: int, longest: int, seed: int) -> list[str]:
    pick, pieces, at = random.Random(seed), [], 0
    while at < len(text):
        size = pick.randint(shortest, longest)
        pieces.append(text[at : at + size])
        at += size
    return pieces


def test_a_file_cut_at_random_lengths_and_joined_by_punctuation_is_refused() -> None:
    """A review's 5.5 kB JPEG in base64 cut at random lengths of 20 to 43 and joined by '.'
    passed (chunks were read from 44 characters, pieces only of one length), and was stored."""
    assert looks_like_media(".".join(_cut_at_random(LARGER, 20, 43, 1)))
    assert looks_like_media('","'.join(_cut_at_random(LARGER, 16, 60, 2)))
    # Under 4,096 characters it is not yet a file, as chunks of 44+ are not (above).
    assert not looks_like_media(".".join(_cut_at_random(LARGER[:4000], 20, 43, 3)))


def _groups(data: bytes, width: int, offsets: bool) -> str:
    """A dump of `width`-byte groups, two a line (`od -An -tx8`) or with xxd's offsets."""
    lines = []
    for at in range(0, len(data), 2 * width):
        row = data[at : at + 2 * width]
        groups = " ".join(row[i : i + width].hex() for i in range(0, len(row), width))
        lines.append(f"{at:08x}: {groups}  ................" if offsets else f" {groups}")
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("width", "offsets"), [(8, True), (8, False), (16, True)], ids=["xxd-g8", "od-tx8", "xxd-g16"]
)
def test_a_dump_in_groups_of_eight_or_sixteen_bytes_is_refused(width: int, offsets: bool) -> None:
    """`xxd -g 8` and `od -An -tx8` write groups of 16 hex digits, `xxd -g 16` of 32: each
    passed as a report's description (only groups of 2, 4 and 8 digits were counted)."""
    assert looks_like_media(_groups(FILE[:2000], width, offsets))


def test_lists_of_md5_hashes_are_no_dump() -> None:
    """32 hex digits is an MD5's length: a list of them, without a dump's offsets, is hashes."""
    md5s = [hashlib.md5(bytes([n])).hexdigest() for n in range(256)]
    assert not looks_like_media("\n".join(md5s))
    assert not looks_like_media("\n".join(" ".join(md5s[i : i + 2]) for i in range(0, 256, 2)))
    assert not looks_like_media(", ".join(md5s))


def test_numbered_hash_lists_and_lists_of_sixteen_digit_ids_are_no_dump() -> None:
    """A review of the groups of 16 digits: a list numbered '0001:' read as a dump's offsets,
    and 70 Android ids one a line or in a paragraph, were refused as media."""
    md5s = [hashlib.md5(bytes([n])).hexdigest() for n in range(40)]
    assert not looks_like_media("\n".join(f"{i + 1:04d}: {m}" for i, m in enumerate(md5s)))
    ids = [random.Random(n).randbytes(8).hex() for n in range(70)]
    assert not looks_like_media("\n".join(ids))


@pytest.mark.parametrize("a_row", [2, 5, 8])
def test_a_dump_in_rows_of_two_or_more_eight_byte_groups_is_refused(a_row: int) -> None:
    """`od -An -tx8 -w64` writes eight groups a row: a bound of four let it through."""
    groups = [FILE[i : i + 8].hex() for i in range(0, 1600, 8)]
    rows = [" ".join(groups[i : i + a_row]) for i in range(0, len(groups), a_row)]
    assert looks_like_media("\n".join(rows))


def test_a_run_of_base64_is_a_file_from_1024_characters_read_in_one_pass() -> None:
    """The long-run check searched for 1,024 or more from every character of a run just
    shorter: quadratic, 4.5 s of the intake agent's time for a crafted 1 MB message. Runs
    are now read whole; what they decide is unchanged."""
    from contracts import media

    assert not media._long_base64(("A" * 1023 + "!") * 50)
    assert media._long_base64("!" * 5 + "A" * 1024 + "!")
