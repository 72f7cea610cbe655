"""A realistic report stream: offenders with accounts on 2-3 platforms, re-shared content.

Every linkable value carries the run id (or is derived from it), so one run never links
into an earlier run's cases. Phones cannot carry letters: their 8 subscriber digits are a
4-digit run code (minutes since the epoch, mod 10,000, so it repeats only after ~7 days)
and a 4-digit offender number.
"""

import hashlib
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid5

from bench import texts
from contracts import topics
from contracts.enums import Channel
from contracts.ids import organisation_report_id
from contracts.registry import encode_event
from contracts.reports import ReportSubmitted

PLATFORMS: dict[str, tuple[str, ...]] = {  # canonical name -> how reporters spell it
    "facebook": ("Facebook", "fb", "facebook.com", "m.facebook.com", "FB Messenger"),
    "instagram": ("Instagram", "ig", "instagram.com"),
    "whatsapp": ("WhatsApp", "wa", "WhatsApp Business"),
    "telegram": ("Telegram", "t.me"),
    "tiktok": ("TikTok", "tik tok"),
    "x": ("Twitter", "x.com", "X (Twitter)"),
    "discord": ("Discord",),
    "snapchat": ("Snapchat", "snap"),
}
PHONE_HANDLE = frozenset({"whatsapp", "telegram"})  # the "username" is the phone number
VIRAL = 5  # hashes so widely re-shared that they pass the link degree cap (50)
MAX_OFFENDERS = 9_999
BENCH_NAMESPACE = UUID("3c8f6b1e-2d4a-4f0e-8b7c-5a9e1d2c3b4f")


@dataclass(frozen=True)
class Account:
    platform: str
    username: str
    user_id: str
    email: str
    phone_digits: str  # 8 subscriber digits of an 011 number
    devices: tuple[str, ...]


@dataclass(frozen=True)
class Offender:
    index: int
    accounts: tuple[Account, ...]
    content: tuple[str, ...]  # seeds of the files they share


@dataclass(frozen=True)
class Item:
    """One encoded report, ready to produce."""

    report_id: str
    channel: Channel
    topic: str
    value: bytes
    offender: int
    event: ReportSubmitted


def phone_text(digits: str, rng: random.Random) -> str:
    """One of the ways Malaysians write the same 011 mobile number."""
    a, b = digits[:4], digits[4:]
    return rng.choice(
        [f"011-{a} {b}", f"+60 11-{a} {b}", f"6011{a}{b}", f"011 {a} {b}", f"(011) {a}-{b}"]
    )


class Workload:
    def __init__(self, run: str, reports: int, seed: int = 7):
        self.run = run
        self.rng = random.Random(seed)
        self.code = int(time.time() // 60) % 10_000
        count = min(MAX_OFFENDERS, max(20, reports // 5))
        self.offenders = [self._offender(i) for i in range(count)]
        # A few prolific offenders, a long tail of occasional ones.
        self.weights = [1 / (1 + i) ** 0.5 for i in range(count)]
        self.known = [f"known-{k}" for k in range(max(10, count // 4))]
        self.viral = [f"viral-{k}" for k in range(VIRAL)]
        self.now = datetime.now(UTC)

    def _offender(self, index: int) -> Offender:
        rng, run = self.rng, self.run
        name = f"{run}_{rng.choice(texts.HANDLE_WORDS)}{index}"
        devices = tuple(f"{run}-dev-{index}-{d}" for d in range(rng.randint(1, 2)))
        accounts = tuple(
            Account(
                platform=platform,
                username=f"{name}_{platform[:2]}",
                user_id=f"{run}{index:05d}{n}",
                email=f"{name}.{n}@{rng.choice(texts.MAIL_DOMAINS)}",
                phone_digits=f"{self.code:04d}{index:04d}",
                devices=devices,
            )
            for n, platform in enumerate(rng.sample(sorted(PLATFORMS), rng.randint(2, 3)))
        )
        content = tuple(f"o{index}-{k}" for k in range(rng.randint(2, 5)))
        return Offender(index, accounts, content)

    def hashes(self, seed: str) -> tuple[str, str]:
        """sha256 and md5 of a file known only by its seed (unique to this run)."""
        data = f"{self.run}:{seed}".encode()
        return hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest()

    def url(self, seed: str) -> str:
        return f"https://files-{self.run}.example.net/m/{self.hashes(seed)[1][:16]}.jpg"

    def items(self, count: int, start: int = 0) -> list[Item]:
        return [self.item(start + i) for i in range(count)]

    def item(self, number: int) -> Item:
        rng = self.rng
        offender = rng.choices(self.offenders, weights=self.weights)[0]
        roll = rng.random()
        if roll < 0.60:
            channel, body = Channel.PLATFORM, self._platform(number, offender)
        elif roll < 0.85:
            channel, body = Channel.PUBLIC, self._public(number, offender)
        else:
            channel, body = Channel.NGO, self._ngo(number, offender)
        rid = self.report_id(number, channel, body)
        event = ReportSubmitted.model_validate(
            {
                "occurred_at": datetime.now(UTC),
                "producer": "bench",
                "correlation_id": rid,
                "payload": {"report_id": rid, "report": body},
            }
        )
        value = encode_event(event)
        return Item(str(rid), channel, topics.INTAKE[channel], value, offender.index, event)

    def report_id(self, number: int, channel: Channel, body: dict[str, Any]) -> UUID:
        """Fresh for every run: a report id seen before is a replay, which the linker answers
        from the stored outcome without linking, so repeating ids would measure replays.
        Organisations' reports are named as the HTTP door names them."""
        if channel == Channel.PUBLIC:
            return uuid5(BENCH_NAMESPACE, f"{self.run}:{number}")
        return organisation_report_id(channel.value, body["organisation_id"], body["reference"])

    def _account(self, acc: Account) -> dict[str, Any]:
        rng = self.rng
        out: dict[str, Any] = {"platform": rng.choice(PLATFORMS[acc.platform])}
        if acc.platform in PHONE_HANDLE:
            out["username"] = phone_text(acc.phone_digits, rng)
        elif rng.random() < 0.8:
            handle = acc.username.upper() if rng.random() < 0.2 else acc.username
            out["username"] = ("@" if rng.random() < 0.3 else "") + handle
        if rng.random() < 0.7 or "username" not in out:
            out["user_id"] = acc.user_id
        if rng.random() < 0.3:
            out["email"] = acc.email.capitalize() if rng.random() < 0.3 else acc.email
        if rng.random() < 0.3:
            out["phone"] = phone_text(acc.phone_digits, rng)
        if rng.random() < 0.4:
            out["device_ids"] = list(acc.devices)
        return out

    def _content(self, offender: Offender) -> list[dict[str, Any]]:
        rng = self.rng
        seeds = rng.sample(offender.content, rng.randint(1, min(3, len(offender.content))))
        if rng.random() < 0.10:
            seeds.append(rng.choice(self.known))
        if rng.random() < 0.03:
            seeds.append(rng.choice(self.viral))
        items = []
        for seed in seeds:
            sha256, md5 = self.hashes(seed)
            item: dict[str, Any] = {"sha256": sha256, "viewed_by_platform": True}
            if rng.random() < 0.4:
                item["md5"] = md5
            if rng.random() < 0.5:
                item["url"] = self.url(seed)
                item["publicly_available"] = True
                item["still_online"] = rng.random() < 0.6
            items.append(item)
        return items

    def _victim(self, offender: Offender) -> dict[str, Any]:
        ref = f"{self.run}-v{offender.index}-{self.rng.randint(0, 2)}"
        return {"age": self.rng.randint(9, 17), "pseudonym_ref": ref, "identified": True}

    def _platform(self, number: int, offender: Offender) -> dict[str, Any]:
        rng = self.rng
        accounts = rng.sample(offender.accounts, rng.randint(1, 2))
        category, text = texts.pick(rng)
        body: dict[str, Any] = {
            "channel": "platform",
            "organisation_id": f"bench-{accounts[0].platform}",
            "reference": f"{self.run}-p{number}",
            "incident_type": category,
            "incident_time": self.now - timedelta(minutes=rng.randint(5, 5000)),
            "accounts": [self._account(a) for a in accounts],
            "content": self._content(offender),
            "escalate": rng.random() < 0.02,
            "description": text,
        }
        if rng.random() < 0.3:
            body["victim"] = self._victim(offender)
        return body

    def _public(self, number: int, offender: Offender) -> dict[str, Any]:
        rng = self.rng
        acc = rng.choice(offender.accounts)
        named = self._account(acc)
        category, text = texts.pick(rng)
        body: dict[str, Any] = {
            "channel": "public",
            "platform": named["platform"],
            "usernames": [named.get("username") or acc.username],
            "description": text,
            "language": rng.choice(["ms", "en"]),
            "child_in_danger": rng.random() < 0.02,
        }
        if rng.random() < 0.5:
            body["suspected_categories"] = [category]
        if rng.random() < 0.4:
            body["urls"] = [self.url(rng.choice(offender.content))]
        if rng.random() < 0.3:
            mail = f"{self.run}.reporter{number}@yahoo.com"
            body["reporter"] = {"name": "Puan Aminah", "email": mail}
        return body

    def _ngo(self, number: int, offender: Offender) -> dict[str, Any]:
        rng = self.rng
        category, text = texts.pick(rng)
        body: dict[str, Any] = {
            "channel": "ngo",
            "organisation_id": rng.choice(texts.NGOS),
            "reference": f"{self.run}-n{number}",
            "classification": category,
            "hosting_country": rng.choice(["MY", "SG", "US", "NL"]),
            "accounts": [self._account(rng.choice(offender.accounts))],
            "content": self._content(offender),
            "description": text,
            "escalate": rng.random() < 0.01,
        }
        if rng.random() < 0.4:
            body["victim"] = self._victim(offender)
        return body
