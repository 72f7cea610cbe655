"""An analyst's entity reference (api.cases._entity): identifiers as reports carry them."""

import pytest

from api.cases import _entity
from api.errors import ApiError


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        # 'phone:012-999 1234' found nothing where 'phone:+60129991234' found the case, and
        # the analyst read '(none)' (a helper's bug hunt); search normalised, these did not.
        ("phone:012-999 1234", "phone:+60129991234"),
        ("phone:+60129991234", "phone:+60129991234"),
        ("email:Someone@Example.COM", "email:someone@example.com"),
        ("case:3f1c2a0e-4f5b-4d7e-9a53-0c2b8f3e9d11", "case:3f1c2a0e-4f5b-4d7e-9a53-0c2b8f3e9d11"),
    ],
)
def test_an_identifier_is_read_as_reports_carry_it(typed: str, key: str) -> None:
    assert _entity(typed) == key


def test_a_value_no_report_could_carry_is_refused_naming_its_field() -> None:
    with pytest.raises(ApiError) as refused:
        _entity("ip:10.0.0.1", "from")
    [error] = refused.value.errors
    assert (refused.value.status, error.code, error.field) == (422, "invalid_entity", "from")
    assert "not a linkable ip value" in error.message


def test_a_search_for_a_profile_link_also_seeks_the_account_it_names() -> None:
    """A report's link to a profile is kept as the account since 2026-12-02 (older reports
    hold the link): a search for the link seeks both."""
    from api.cases import search_keys

    assert search_keys("url", "t.me/uncle_x1") == [
        "url:https://t.me/uncle_x1",
        "account:telegram:u:uncle_x1",
    ]
    assert search_keys("url", "https://example.com/x") == ["url:https://example.com/x"]


def test_a_walk_from_a_profile_link_starts_at_the_account_it_names() -> None:
    """Reports since 2026-12-02 hold the account, not the link: a neighbourhood, path or
    shared-cases walk from the link found nothing of them (a review)."""
    assert _entity("url:t.me/uncle_x1") == "account:telegram:u:uncle_x1"
    assert _entity("url:https://wa.me/60123456789") == "account:whatsapp:u:+60123456789"
    assert _entity("url:example.com/x") == "url:https://example.com/x"
