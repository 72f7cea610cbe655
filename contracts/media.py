"""Refuse anything that looks like media bytes: ocsea-hub holds hashes and URLs only.

The ways bytes hide in a JSON string, and what catches each:
- a data: URL, base64 or not (`data:image/png,%89PNG...`), of any media type;
- a base64 (or hex) blob, on one line or wrapped (MIME at 76, PEM at 64) over many lines,
  cut into chunks joined by punctuation ('.', '","'), or cut evenly into pieces shorter than
  a line (`base64 -w 43`);
- raw bytes: control characters, directly or percent-encoded (`%00%1A...`);
- bytes written out as numbers: hex dumps, `\\x`, octal or HTML (`&#255;`) escapes, decimals
  between commas.
Percent-encoded text is decoded first, so `data%3Aimage%2Fpng%3Bbase64%2C...` is caught too.
"""

import re
from collections.abc import Iterable, Iterator, Mapping
from enum import Enum
from typing import Any
from urllib.parse import unquote

from pydantic import BaseModel

MEDIA_REFUSED = "media_bytes_refused"
MEDIA_MESSAGE = f"{MEDIA_REFUSED}: send hashes and URLs, never the material itself"

_TOKEN = r"[a-z0-9!#$&^_.+-]+"
# RFC 2397: data:[<type>/<subtype>][;<parameter>]*,<data>. Any media type once a comma
# follows, not inside a word ("metadata:image/jpeg" is EXIF talk); a value that is itself a
# data URL with a registered top-level type, even cut off before its comma. Prose such as
# "missing data: the user deleted it" has a space after the colon and is left alone, and so
# is a URL whose query names a type ("?q=data:image/png": no comma, no data).
_DATA_URL = re.compile(
    rf"(?<![a-z0-9])data:(?:{_TOKEN}/{_TOKEN})?(?:;[^,;\s]*)*,",
    re.IGNORECASE,
)
_CUT_DATA_URL = re.compile(
    rf"\s*data:(?:application|audio|font|haptics|image|message|model|multipart|text|video)"
    rf"/{_TOKEN}",
    re.IGNORECASE,
)
# A run this long with no space is never prose; it is an encoded file.
_LONG_RUN = 1024
# Runs found whole, one after the other: a search for 1,024 or more tried again from every
# character of a run just shorter (a crafted 1 MB message took 4.5 s of the one intake
# agent's time, a helper found; twenty such held every door's reports for minutes).
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]+")


def _long_base64(text: str) -> bool:
    return any(m.end() - m.start() >= _LONG_RUN for m in _BASE64_RUN.finditer(text))


# Wrapped base64: consecutive lines of at least this many base64 characters and no space
# (prose has no 44-letter words; a URL has ':' and '.'), adding up to _WRAPPED_TOTAL. At 60,
# base64 wrapped at 48 or 59 columns passed (2026-12-01).
_LINE = 44
_WRAPPED_TOTAL = 1024
_BASE64_LINE = re.compile(rf"[A-Za-z0-9+/_-]{{{_LINE},}}={{0,2}}")
_HEX = re.compile(r"[0-9a-fA-F]+")
# Whitespace, and the escapes a JSON string encoded twice leaves behind (a literal "\n").
_SEPARATOR = re.compile(r"(?:\s|\\[nrt])+")
# A line that is one hash is not part of a blob, so a list of hashes, one a line, is accepted:
# hex SHA-256/PDQ (64), SHA-384 (96), SHA-512 (128), PhotoDNA (288), also written "0x...", as
# transaction hashes are; base64 MD5 (24), SHA-1 (28), SHA-256 (44), SHA-512 (88), each with
# its padding, and PhotoDNA (192).
_HEX_HASH_LENGTHS = frozenset({64, 96, 128, 288})
_BASE64_HASH_LENGTHS = frozenset({24, 28, 44, 88, 192})
# Raw bytes: control characters other than tab and line breaks, as characters or as the \u00XX
# escapes of JSON text. Text never has many; any file has some in every few hundred bytes.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\\u00(?:0[0-8bcefBCEF]|1[0-9a-fA-F]|7[fF])"
)
_MAX_CONTROLS = 16


def _is_hash(line: str) -> bool:
    hex_digits = line[2:] if line[:2] in ("0x", "0X") else line
    if len(hex_digits) in _HEX_HASH_LENGTHS and _HEX.fullmatch(hex_digits):
        return True
    # Base64 of 32 and 64 bytes ends in '=' and '==': a line of 44 or 88 without its padding
    # is a piece of something else (`base64 -w 44` passed at any size).
    if len(line) in _PADDING and not _has_padding(line, _PADDING[len(line)]):
        return False
    return len(line) in _BASE64_HASH_LENGTHS and not _HEX.fullmatch(line)


_PADDING = {24: 2, 28: 1, 44: 1, 88: 2}


def _has_padding(line: str, signs: int) -> bool:
    return line.endswith("=" * signs) and not line.endswith("=" * (signs + 1))


def _wrapped_base64(text: str) -> bool:
    """1,024+ base64 characters over consecutive lines (or space-separated chunks) of _LINE+."""
    run = 0
    for line in _SEPARATOR.split(text):
        if len(line) >= _LINE and _BASE64_LINE.fullmatch(line) and not _is_hash(line):
            run += len(line)
            if run >= _WRAPPED_TOTAL:
                return True
        else:
            run = 0
    return False


# Base64 cut into chunks and joined by punctuation rather than space: "AAAA.BBBB.CCCC", or a
# JSON list written into a string ('["AAAA","BBBB"]'). A JWT is three base64 chunks joined by
# '.', and share links carry them, so the total is set above the largest tokens (~2-3 kB).
_CHUNKED_TOTAL = 4096
_JOINER = re.compile(r"[^A-Za-z0-9]{1,4}")


def _listed_hash(chunk: str) -> bool:
    # A hash in a list joined by punctuation: hex of a hash's length, or a base64 SHA-512
    # with its padding. A 192-character base64 PhotoDNA has no padding to tell it from a
    # piece of a file (one a line, it is a hash: whitespace joins are _wrapped_base64's).
    # The hex lengths, with or without '0x', are none of the base64 ones.
    return _is_hash(chunk) and (len(chunk) not in _BASE64_HASH_LENGTHS or chunk.endswith("=="))


def _joined(text: str, end: int, start: int) -> bool:
    """Two chunks joined by their own '=' padding, or by one to four characters that are
    neither letters nor digits, not all whitespace (lines and spaces: _wrapped_base64)."""
    if end == start:
        return True
    gap = text[end:start]
    return end >= 0 and _JOINER.fullmatch(gap) is not None and not gap.isspace()


def _chunked_base64(text: str) -> bool:
    """4,096+ base64 characters in chunks of _LINE+, each joined to the next by punctuation."""
    run, end = 0, -1
    for chunk in _BASE64_LINE.finditer(text):
        joined = _joined(text, end, chunk.start())
        if _listed_hash(chunk.group()):
            run, end = 0, -1
            continue
        run = run + len(chunk.group()) if joined else len(chunk.group())
        if run >= _CHUNKED_TOTAL:
            return True
        end = chunk.end()
    return False


# Base64 cut shorter than a line: wrapped at 43 columns, '.' every 43 characters, a JSON list
# of 43-character strings (a review sent each as a report, and each was kept). Pieces of one
# length, 16 or more, each one after the other with one to four other characters between
# (the last may be shorter), adding up to _WRAPPED_TOTAL, three of four of them mixing upper
# and lower case letters and digits, as base64 of any file does (a short piece may lack
# one): lists of usernames, hex ids, UUIDs or numbers, one length each, are no file.
_PIECE = re.compile(r"[A-Za-z0-9+/_-]{16,}={0,2}")
# A file's pieces are many: a token of a few parts of other lengths (a JWT) is none.
_PIECES_AT_LEAST = 3
# Between pieces: punctuation with spaces or line breaks around it (a JSON list puts '", "'
# between its items, printed with an indent '",\n  "'), or only spaces and line breaks.
_NOT_ALNUM = re.compile(r"(?:\s*[^A-Za-z0-9\s]{1,4}\s*){1,2}|\s+")
# A file's base64 uses all 64 symbols within 1,024 characters; lists of ids of one length
# use fewer: Bitcoin's base58 58, bech32 32, Ethereum's checksummed hex 22 (a sextortion
# report lists the wallets it was told to pay).
BASE64_SYMBOLS_AT_LEAST = 59


def _base64_like(piece: str) -> bool:
    return (
        any(c.isupper() for c in piece)
        and any(c.islower() for c in piece)
        and any(c.isdigit() for c in piece)
    )


class _PieceRun:
    """Pieces of base64 characters read one after the other: their length, their count, how
    many mix case and digits as base64 does, and the symbols they use."""

    def __init__(self) -> None:
        self.length = self.count = self.like = 0
        self.seen: set[str] = set()

    def start(self, piece: str) -> None:
        self.length, self.count, self.like = len(piece), 1, int(_base64_like(piece))
        self.seen = set(piece)

    def add(self, piece: str) -> None:
        self.length, self.count = self.length + len(piece), self.count + 1
        self.like += _base64_like(piece)
        self.seen.update(piece)

    def clear(self) -> None:
        self.length = self.count = self.like = 0

    def is_a_file(self, total: int, pieces: int = 1) -> bool:
        return (
            self.count >= pieces
            and self.length >= total
            and 4 * self.like >= 3 * self.count
            and len(self.seen) >= BASE64_SYMBOLS_AT_LEAST
        )


def _cut_in_pieces(text: str) -> bool:
    run, size, end = _PieceRun(), 0, -1
    for found in _PIECE.finditer(text):
        piece = found.group()
        if _is_hash(piece):
            run.clear()
            end = -1
            continue
        joined = end >= 0 and _NOT_ALNUM.fullmatch(text, end, found.start()) is not None
        if joined and len(piece) <= size:
            run.add(piece)
        else:
            run.start(piece)
            size = len(piece)
        if run.is_a_file(_WRAPPED_TOTAL, _PIECES_AT_LEAST):
            return True
        if len(piece) < size:  # the last piece of a file: what comes next starts anew
            run.clear()
            end = -1
            continue
        end = found.end()
    return False


def _chunked_pieces(text: str) -> bool:
    """Base64 cut into pieces of any lengths from 16 joined by punctuation ('AAAA.BBBB', a
    5.5 kB JPEG cut at random lengths of 20 to 43 and joined by '.' passed: _chunked_base64
    reads chunks of _LINE+, _cut_in_pieces pieces of one length): _CHUNKED_TOTAL characters,
    with the symbols and the mixed case of base64 (_PieceRun), so that a JWT or a list of
    ids is none."""
    run, end = _PieceRun(), -1
    for found in _PIECE.finditer(text):
        piece = found.group()
        if _is_hash(piece):
            run.clear()
            end = -1
            continue
        if _joined(text, end, found.start()):
            run.add(piece)
        else:
            run.start(piece)
        if run.is_a_file(_CHUNKED_TOTAL):
            return True
        end = found.end()
    return False


def _many_controls(text: str) -> bool:
    if "\\u" not in text and (
        text.isprintable()
        or text.replace("\n", "").replace("\r", "").replace("\t", "").isprintable()
    ):
        return False
    return len(_CONTROL.findall(text)) >= _MAX_CONTROLS


# Bytes written out as numbers, each form counted on its own terms (a line adds to a run if
# it holds 8 such bytes; any other line ends the run):
# - hex in pairs or groups of 4, 8 or 16 digits (32 or 64 after a dump's offset), apart or
#   after "0x" ("ff d8 ff e0", xxd's "ffd8 ffe0" with its offsets and text column, "0xff,
#   0xd8", `od -An -tx8`'s "e0ffd8ff..."), when at least a quarter of
#   the groups have a letter: a file's do (six in ten pairs, eight in ten groups of four),
#   while times, phone numbers and tables of counts are digits only;
# - escapes, however much printable text sits between them (Python's repr of bytes):
#   "\xff", octal "\377", HTML's "&#255;" and "&#xff;";
# - decimals between commas, signed or not ("255,216,255", Java's "-1, -40"), brackets
#   aside; decimals between spaces are left alone (a table of counts is that too).
# Counted token by token: a regex of repeated optional separators backtracks exponentially
# on text that almost matches.
_BYTES_RUN = 512
_BYTES_A_LINE = 8
_HEX_SEPARATOR = re.compile(r"[\s,;:]+|0x|0X")
_HEX_GROUP_LENGTHS = frozenset({2, 4, 8})
# Groups of 8 bytes (16 digits: `xxd -g 8`, `od -tx8`) count on a line that starts with a
# dump's offset, or holds two or more of them (od -An writes two a line, eight with -w64: a
# bound of four let that through, a second review found): one a line is a list of ids
# (Android ids, perceptual hashes), and passes; a paragraph of 64 or more such ids is read
# as bytes. Groups of 16 and 32 bytes (`xxd -g 16`) are a hash's length (MD5, SHA-256), and a
# list of hashes is no file: only after an offset. The offset as xxd and hexdump write it (8
# hex digits and ':') or od (7 octal digits): a list numbered "0001:" is none (a review
# found numbered MD5 lists refused).
_WIDE_GROUP = 16
_HASH_LONG_GROUP_LENGTHS = frozenset({_WIDE_GROUP, 32, 64})
_DUMP_OFFSET = re.compile(r"\s*(?:[0-9a-fA-F]{8}:|[0-7]{7})\s")
_HEX_LETTER = re.compile(r"[a-fA-F]")
_WIDE_HEX = re.compile(rf"(?<![0-9a-fA-F])[0-9a-fA-F]{{{_WIDE_GROUP}}}(?![0-9a-fA-F])")
# HTML's character references name byte values too ("&#255;&#216;", "&#xff;", zero-padded
# "&#0065;" or "&#x00ff;"): only 0 to 255, so Tamil or Chinese written as references
# ("&#2980;", "&#35270;") is left alone.
_ESCAPED_BYTE = re.compile(
    r"\\x[0-9a-fA-F]{2}|\\[0-3][0-7]{2}"
    r"|&#0*(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9]);|&#[xX]0*[0-9a-fA-F]{1,2};"
)
_DECIMAL_BYTE = re.compile(r"-?\d{1,3}")
_BRACKETS = "[](){} \t"

# Written out as numbers, 512 bytes of a file have ~640 decimal digits or more (hex digits
# are 0-9 ten times in sixteen); prose has a few. Counted in C before any token is (the token
# count costs ~0.5 ms for 10,000 characters of prose; the digit count ~30 µs).
_DIGITS_AT_LEAST = 400


def _hex_run(line: str) -> int:
    """The longest run of hex groups in the line with a letter in at least a quarter."""
    longest = run = groups = lettered = 0
    lengths = _HEX_GROUP_LENGTHS
    if _DUMP_OFFSET.match(line):
        lengths = _HEX_GROUP_LENGTHS | _HASH_LONG_GROUP_LENGTHS
    elif len(_WIDE_HEX.findall(line)) >= 2:
        lengths = _HEX_GROUP_LENGTHS | {_WIDE_GROUP}
    for token in _HEX_SEPARATOR.split(line):
        if not token:
            continue
        if len(token) in lengths and _HEX.fullmatch(token):
            run, groups = run + len(token) // 2, groups + 1
            lettered += 1 if _HEX_LETTER.search(token) else 0
            if 4 * lettered >= groups:
                longest = max(longest, run)
        else:
            run = groups = lettered = 0
    return longest


def _decimal_run(line: str) -> int:
    """The longest run of byte values (-128 to 255) between commas."""
    if "," not in line:
        return 0
    longest = run = 0
    for token in line.split(","):
        token = token.strip(_BRACKETS)
        if _DECIMAL_BYTE.fullmatch(token) and -128 <= int(token) <= 255:
            run += 1
            longest = max(longest, run)
        else:
            run = 0
    return longest


# Addresses written in hex: IPv6 (up to eight groups of 1-4 digits joined by ':', '::' too)
# and MAC addresses (six pairs joined by ':'). A login history of 40 IPv6 addresses, or a
# list of MACs, was counted as a hex dump and the report refused.
_HEX_ADDRESS = re.compile(
    r"(?<![0-9a-fA-F:])(?:[0-9a-fA-F]{1,4}:{1,2}){2,7}[0-9a-fA-F]{1,4}(?![0-9a-fA-F:])"
)
# A line that is one PhotoDNA hash written as decimals (144 of them), as hashes are exempt
# when written in hex or base64: four such lines were refused as bytes.
_PHOTODNA_DECIMALS = 144


def _bytes_as_numbers(text: str) -> bool:
    if len(text) < 2 * _BYTES_RUN or sum(map(text.count, "0123456789")) < _DIGITS_AT_LEAST:
        return False  # two characters a byte at the least, and digits among them
    total = 0
    for line in text.splitlines():
        decimals = _decimal_run(line)
        if decimals == _PHOTODNA_DECIMALS and len(line.split(",")) == _PHOTODNA_DECIMALS:
            decimals = 0
        hex_line = _HEX_ADDRESS.sub(" ", line) if ":" in line else line
        run = max(_hex_run(hex_line), len(_ESCAPED_BYTE.findall(line)), decimals)
        total = total + run if run >= _BYTES_A_LINE else 0
        if total >= _BYTES_RUN:
            return True
    return False


def _looks_encoded(text: str) -> bool:
    # Each check is behind a test that is quick in C: these run on every string of every report.
    if (
        ":" in text
        and "data:" in text.lower()
        and (_DATA_URL.search(text) or _CUT_DATA_URL.match(text))
    ):
        return True
    # Without a _LINE-character word there is no base64 line and no long run.
    if (
        len(text) >= _LINE
        and max(map(len, text.split())) >= _LINE
        and _BASE64_LINE.search(text)
        and (
            _long_base64(text)
            or (len(text) >= _WRAPPED_TOTAL and _wrapped_base64(text))
            or (len(text) >= _CHUNKED_TOTAL and _chunked_base64(text))
        )
    ):
        return True
    if len(text) >= _WRAPPED_TOTAL and _cut_in_pieces(text):
        return True
    if len(text) >= _CHUNKED_TOTAL and _chunked_pieces(text):
        return True
    return _many_controls(text) or _bytes_as_numbers(text)


def looks_like_media(text: str) -> bool:
    """True for data: URLs, base64 blobs (wrapped or not) and raw bytes, as is or %-encoded."""
    if (
        len(text) < _LINE
        and text.isprintable()
        and ":" not in text
        and "%" not in text
        and "\\" not in text
    ):
        return False  # most strings: a name, an id, a hash; none of the checks can match
    if _looks_encoded(text):
        return True
    if "%" in text:
        decoded = unquote(text)
        return decoded != text and _looks_encoded(decoded)
    return False


def refuse_media_bytes(value: str | None) -> str | None:
    if value is not None and looks_like_media(value):
        raise ValueError(MEDIA_MESSAGE)
    return value


def refuse_media_in(value: Any, checked: type | tuple[type, ...] = ()) -> None:
    """Refuse media bytes in any string inside `value`, walking lists, tuples, sets, dicts and
    models; models of the `checked` types checked their own fields and are skipped, and so
    are enum members (fixed values)."""
    for text in _strings_within(value, checked, containers=(list, tuple, set, frozenset)):
        if not isinstance(text, Enum):
            refuse_media_bytes(text)


def _strings_within(
    value: Any,
    checked: type | tuple[type, ...] = (),
    containers: tuple[type[Iterable[Any]], ...] = (list,),
) -> Iterator[str]:
    """Every string inside `value` (keys included), in order, walked with a stack of its own:
    JSON nested ~1,000 deep ('[[[[...]]]]') passed the parser and overflowed a recursive
    walk, and the request answered 500 with no dead letter kept."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, Mapping):
            for key, inner in reversed(list(item.items())):
                stack += [inner, key]
        elif isinstance(item, containers):
            stack += reversed(list(item))
        elif isinstance(item, BaseModel) and not isinstance(item, checked):
            stack += reversed(list(item.__dict__.values()))


# Below this many characters in all, no file's pieces can make what the check sees as one.
MEDIA_ACROSS_FROM_CHARS = 1024
# A string of base64 characters only, as long as a wrapped line of a file or longer: a token
# with ':' or '.' in it (a push token, a URL) is none.
_BASE64_PIECE = re.compile(r"[A-Za-z0-9+/_-]{44,}={0,2}")


def pieces_look_like_media(strings: Iterable[str]) -> bool:
    """A file cut into pieces across many strings (a list's items, a JSON object's keys),
    each under what the check of one string sees as a file: the strings that are all base64
    and a line's length or more, checked together, one a line (a hash a line is no file)."""
    pieces = [text for text in strings if _BASE64_PIECE.fullmatch(text)]
    return (
        sum(map(len, pieces)) >= MEDIA_ACROSS_FROM_CHARS
        and len(set().union(*pieces)) >= BASE64_SYMBOLS_AT_LEAST  # not wallets, push tokens
        and looks_like_media("\n".join(pieces))
    )


def strings_in(value: Any) -> Iterator[str]:
    """Every string in parsed JSON, keys included."""
    return _strings_within(value)
