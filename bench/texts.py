"""Words and report texts for the generated stream (English and Bahasa Melayu)."""

import random

HANDLE_WORDS = ("abang", "kakak", "sayang", "bujang", "manis", "geng", "cikgu", "budak", "hero")
MAIL_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.my")
NGOS = ("bench-ngo-protect", "bench-ngo-hotline", "bench-ngo-childline")

# (category, weight, texts); a few texts carry imminent-danger words and become P1.
_TEXTS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    (
        "csam",
        35,
        (
            "Account is sharing child sexual abuse material links in a group",
            "Kumpulan ini berkongsi pornografi kanak-kanak",
            "Re-upload of known CSAM flagged by hash match",
        ),
    ),
    (
        "grooming",
        25,
        (
            "An adult is grooming my 13 year old niece through direct messages",
            "Lelaki ini memujuk kanak-kanak untuk berjumpa",
            "He asked her to meet tonight and keep it secret, she is in danger",
        ),
    ),
    (
        "sextortion",
        20,
        (
            "He is blackmailing a student with private photos",
            "Dia mengugut adik saya supaya hantar gambar lagi",
        ),
    ),
    (
        "self_generated_sexual_material",
        10,
        ("A teen was pressured to send images that are now being shared",),
    ),
    ("live_streamed_abuse", 5, ("Paid live stream that appears to show a child",)),
    ("online_scam", 5, ("Online scam targeting teens with fake modelling jobs",)),
)
_WEIGHTS = [weight for _, weight, _ in _TEXTS]


def pick(rng: random.Random) -> tuple[str, str]:
    """A harm category and a description that fits it."""
    category, _, texts = rng.choices(_TEXTS, weights=_WEIGHTS)[0]
    return category, rng.choice(texts)
