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


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        # Walked as typed, each found nothing where the graph's name found the node.
        ("platform:Telegram", "platform:telegram"),
        ("platform:Snap", "platform:snapchat"),
        ("case:3F1C2A0E-4F5B-4D7E-9A53-0C2B8F3E9D11", "case:3f1c2a0e-4f5b-4d7e-9a53-0c2b8f3e9d11"),
        (
            "report:3F1C2A0E-4F5B-4D7E-9A53-0C2B8F3E9D11",
            "report:3f1c2a0e-4f5b-4d7e-9a53-0c2b8f3e9d11",
        ),
        ("case:not-a-uuid", "case:not-a-uuid"),
    ],
)
def test_platforms_and_ids_are_read_as_the_graph_names_them(typed: str, key: str) -> None:
    assert _entity(typed) == key


@pytest.mark.parametrize(
    ("typed", "generic", "exact"),
    [
        # As a report shows them, each found nothing (a helper's bug hunt).
        ("uncle.x", "uncle.x", ["account:facebook:u:unclex"]),
        ("instagram.com/abang5016", "instagram.com/abang5016", ["account:instagram:u:abang5016"]),
        (
            "abang5016.",
            "abang5016.",
            # Since 2026-12-02 a sentence's period after a handle is no part of it on the
            # services whose handles take none there (streams.normalise).
            [
                "account:facebook:u:abang5016",
                "account:instagram:u:abang5016",
                "account:telegram:u:abang5016",
                "account:tiktok:u:abang5016",
                "account:x:u:abang5016",
            ],
        ),
        ("@Uncle_X", "uncle_x", []),
    ],
)
def test_a_username_is_sought_as_each_service_reads_it(
    typed: str, generic: str, exact: list[str]
) -> None:
    from api.cases import username_search_keys

    assert username_search_keys(typed) == (generic, exact)


def test_a_number_as_a_username_is_sought_as_the_messaging_services_key_it() -> None:
    from api.cases import username_search_keys

    _, exact = username_search_keys("011-7003 0186")
    assert "account:whatsapp:u:+601170030186" in exact
    assert "account:telegram:u:+601170030186" in exact


def test_a_photodna_hash_is_sought_in_any_of_its_encodings() -> None:
    """Refused as 'not a valid hash' (a helper's bug hunt), though intake links it."""
    import base64

    from api.cases import search_keys

    raw = bytes(range(144))
    key = f"content:photodna:{raw.hex()}"
    assert key in search_keys("hash", raw.hex())
    assert key in search_keys("hash", base64.b64encode(raw).decode())
    assert key in search_keys("hash", ",".join(map(str, raw)))
    assert search_keys("hash", "zzz") == []


def test_a_search_cut_at_its_limit_says_so() -> None:
    from api.cases import _cut_search

    rows = [{"key": f"k{i}", "cases": ["a", "b", "c"]} for i in range(3)]
    cut = _cut_search(rows, 2)
    assert cut["truncated"] is True and [r["key"] for r in cut["results"]] == ["k0", "k1"]
    assert cut["identifiers_truncated"] is True
    assert all(r["cases"] == ["a", "b"] and r["cases_truncated"] for r in cut["results"])
    whole = _cut_search(rows, 3)
    assert whole["truncated"] is False and not any(r["cases_truncated"] for r in whole["results"])
    # Case lists cut, every identifier shown: not "more identifiers" (a review).
    cases_only = _cut_search(rows[:2], 2)
    assert (cases_only["truncated"], cases_only["identifiers_truncated"]) == (True, False)


def test_a_blank_entity_value_is_refused() -> None:
    with pytest.raises(ApiError):
        _entity("platform:   ")


def test_graph_times_are_written_as_the_api_models_write_them() -> None:
    """The case views wrote Neo4j's '...14:00:00.123456000+00:00' beside the tasks'
    '...14:00:00.123456Z': two forms of one instant in one answer."""
    from datetime import UTC, datetime, timedelta, timezone

    from neo4j.time import DateTime
    from pydantic import TypeAdapter

    from graph.queries import plain

    at = datetime(2026, 12, 2, 14, 0, 0, 123456, tzinfo=UTC)
    as_models_write = TypeAdapter(datetime).dump_python(at, mode="json")
    assert plain(DateTime.from_native(at)) == as_models_write == "2026-12-02T14:00:00.123456Z"
    whole = at.replace(microsecond=0)
    assert plain(DateTime.from_native(whole)) == "2026-12-02T14:00:00Z"
    myt = at.astimezone(timezone(timedelta(hours=8)))
    assert plain(DateTime.from_native(myt)) == "2026-12-02T22:00:00.123456+08:00"
