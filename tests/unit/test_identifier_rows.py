"""What the linker writes for a batch's identifiers: URLs in today's canonical form."""

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from contracts.cases import Identifier
from graph.linking import _identifier_rows
from tests.factories import platform_report, triaged


def test_a_url_triaged_in_an_earlier_form_is_linked_in_todays() -> None:
    """Events triaged before URLs were read as https with encoded paths (2026-11-30) and
    linked after it made identifiers of their own, apart from those the data repair moved."""
    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    earlier = [
        Identifier(kind="url", value="http://example.com/my video.mp4"),
        Identifier(kind="url", value="https://example.com/my%20video.mp4"),
        Identifier(kind="phone", value="+60123456789"),
    ]
    payload = old.model_copy(update={"identifiers": earlier})
    rows = _identifier_rows([payload])
    assert [(r["key"], r["value"]) for r in rows] == [
        ("phone:+60123456789", "+60123456789"),
        ("url:https://example.com/my%20video.mp4", "https://example.com/my%20video.mp4"),
    ]
    # The two forms of one URL are one mention of one identifier.
    assert rows[1]["rids"] == [str(payload.report_id)]


def test_an_account_handle_triaged_in_an_earlier_form_is_linked_in_todays() -> None:
    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    earlier = [
        Identifier(kind="account", value="telegram:u:ｕｎｃｌｅ＿ｘ", platform="telegram"),
        Identifier(kind="account", value="telegram:u:t.me/uncle_x", platform="telegram"),
        Identifier(kind="account", value="telegram:id:12345", platform="telegram"),
    ]
    payload = old.model_copy(update={"identifiers": earlier})
    assert [r["key"] for r in _identifier_rows([payload])] == [
        "account:telegram:id:12345",
        "account:telegram:u:uncle_x",
    ]


def test_an_account_triaged_under_a_platforms_alias_is_linked_under_its_service() -> None:
    """Events triaged before 'm.facebook.com' and 'WhatsApp Business' were read as Facebook
    and WhatsApp, linked after the data repair moved their accounts, made them again."""
    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    earlier = [
        Identifier(kind="account", value="m.facebook.com:u:uncle_x", platform="m.facebook.com"),
        Identifier(kind="account", value="whatsapp business:u:0123456789",
                   platform="whatsapp business"),
        Identifier(kind="account", value="badhost:u:uncle_x", platform="badhost"),
    ]  # fmt: skip
    payload = old.model_copy(update={"identifiers": earlier})
    rows = _identifier_rows([payload])
    assert [(r["key"], r["platform"]) for r in rows] == [
        ("account:badhost:u:uncle_x", "badhost"),
        ("account:facebook:u:uncle_x", "facebook"),
        ("account:whatsapp:u:+60123456789", "whatsapp"),
    ]


class Recording:
    """Stands in for the preparation's transaction: no report prepared before; keeps the
    parameters of each statement."""

    def __init__(self) -> None:
        self.runs: list[dict[str, Any]] = []

    async def run(self, query: str, **params: Any) -> "Recording":
        self.runs.append(params)
        return self

    async def single(self, strict: bool = False) -> dict[str, Any]:
        return {"rows": []}


async def test_a_suspect_triaged_in_an_earlier_form_is_prepared_in_todays() -> None:
    """Its identifiers are written in today's form: the suspect must name those, or its USES
    edges find nothing and it keeps a name no later report gives it."""
    from contracts.cases import SuspectRef
    from graph.linking import prepare_batch

    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    handle = Identifier(kind="account", value="telegram:u:ｕｎｃｌｅ＿ｘ", platform="telegram")
    suspect = SuspectRef(key=f"suspect:{handle.key}", identifier_keys=[handle.key, "email:a@b.c"])
    payload = old.model_copy(update={"identifiers": [handle], "suspects": [suspect]})
    tx = Recording()
    await prepare_batch(tx, [(payload, uuid4())], datetime.now(UTC), 50)  # type: ignore[arg-type]
    (written,) = tx.runs[-1]["batch"]["suspects"]
    assert written["key"] == "suspect:account:telegram:u:uncle_x"
    assert written["identifier_keys"] == ["account:telegram:u:uncle_x", "email:a@b.c"]


async def test_two_accounts_of_a_report_that_name_one_suspect_give_it_both_their_identifiers() -> (
    None
):
    """Keyed by the suspect, the second account's identifiers replaced the first's: the
    phone one account was seen with lost its USES edge (a review)."""
    from contracts.cases import SuspectRef
    from graph.linking import prepare_batch

    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    key = "suspect:account:telegram:u:uncle_x"
    both = [
        SuspectRef(key=key, identifier_keys=["account:telegram:u:uncle_x", "phone:+60123456789"]),
        SuspectRef(key=key, identifier_keys=["account:telegram:u:uncle_x", "email:a@b.example"]),
    ]
    payload = old.model_copy(update={"suspects": both})
    tx = Recording()
    await prepare_batch(tx, [(payload, uuid4())], datetime.now(UTC), 50)  # type: ignore[arg-type]
    (written,) = tx.runs[-1]["batch"]["suspects"]
    assert written["identifier_keys"] == [
        "account:telegram:u:uncle_x",
        "email:a@b.example",
        "phone:+60123456789",
    ]


def test_identifiers_triaged_before_2026_12_01_are_linked_in_todays_forms() -> None:
    """The triaged topic keeps a week: an event triaged before the e-mail, device, Facebook
    and link readings of 2026-12-01 linked under its old keys made a second case for one
    e-mail (a bug hunt); one now read as a placeholder linked everything that carried it."""
    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    earlier = [
        Identifier(kind="email", value="<uncle.x@gmail.com>"),
        Identifier(kind="email", value="unknown@unknown.com"),
        Identifier(kind="device", value="device:iphone"),
        Identifier(kind="device", value="device:352099001761481"),
        Identifier(kind="phone", value="+60120000000"),
        Identifier(kind="account", value="facebook:u:uncle.x", platform="facebook"),
        Identifier(kind="account", value="unknown:u:t.me/uncle_x", platform="unknown"),
        Identifier(kind="account", value="whatsapp:u:6591234567", platform="whatsapp"),
    ]
    payload = old.model_copy(update={"identifiers": earlier})
    assert [r["key"] for r in _identifier_rows([payload])] == [
        "account:facebook:u:unclex",
        "account:telegram:u:uncle_x",
        "account:whatsapp:u:+6591234567",
        "device:device:35209900176148",
        "email:uncle.x@gmail.com",
    ]


def test_a_handle_triaged_with_punctuation_around_it_is_linked_without_it() -> None:
    """Events triaged before 2026-12-02 and linked after it rebuilt the keys the data repair
    merged ('uncle_x.' beside 'uncle_x'), and a don't-know answer linked still (a review)."""
    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    earlier = [
        Identifier(kind="account", value="telegram:u:uncle_x.", platform="telegram"),
        Identifier(kind="account", value="x:u:(uncle_y)", platform="x"),
        Identifier(kind="account", value="instagram:u:uncle.z,", platform="instagram"),
        Identifier(kind="account", value="telegram:u:takde", platform="telegram"),
        Identifier(kind="account", value="discord:u:uncle.w.", platform="discord"),
    ]
    payload = old.model_copy(update={"identifiers": earlier})
    assert [r["key"] for r in _identifier_rows([payload])] == [
        "account:discord:u:uncle.w.",  # a handle there may end so
        "account:instagram:u:uncle.z",
        "account:telegram:u:uncle_x",
        "account:x:u:uncle_y",
    ]


def test_a_placeholder_user_id_triaged_before_is_no_identifier() -> None:
    """'facebook:id:dunno' in an event triaged before the don't-know words were placeholders
    linked again once the staleness test read handles only (a review)."""
    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    earlier = [
        Identifier(kind="account", value="facebook:id:dunno", platform="facebook"),
        Identifier(kind="account", value="facebook:id:100012345", platform="facebook"),
    ]
    payload = old.model_copy(update={"identifiers": earlier})
    assert [r["key"] for r in _identifier_rows([payload])] == ["account:facebook:id:100012345"]


def test_an_account_on_an_ipv6_host_is_on_the_platform_its_notices_name() -> None:
    """Its key writes the host with '-' for ':'; the Platform node had that name, which no
    takedown notice or analyst's 'platform:' walk used (a review)."""
    old = triaged(platform_report(urls=["https://example.com/a"])).payload
    host = "[2001:db8::1]/forum"
    earlier = [Identifier(kind="account", value="[2001-db8--1]/forum:u:uncle_x", platform=host)]
    payload = old.model_copy(update={"identifiers": earlier})
    (row,) = _identifier_rows([payload])
    assert (row["key"], row["platform"]) == ("account:[2001-db8--1]/forum:u:uncle_x", host)
