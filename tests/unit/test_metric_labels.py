"""Metric labels carry closed vocabularies only: never a name a report brought in."""

import pytest

from agents.lifecycle import platform_label


@pytest.mark.parametrize("target", ["facebook", "x", "whatsapp", "telegram", "tiktok"])
def test_a_known_platform_is_its_own_label(target: str) -> None:
    assert platform_label(target) == target


@pytest.mark.parametrize(
    "target",
    [
        # A hotline's traced host can carry a person's name; so can a reporter's free text.
        "nur-aisyah-binti-ahmad.blogspot.com",
        "siti.aminah2012.wordpress.com",
        "ali.abu",
        "badhost",
        "unknown-host",
        "some new app",
    ],
)
def test_any_other_target_is_other(target: str) -> None:
    assert platform_label(target) == "other"
