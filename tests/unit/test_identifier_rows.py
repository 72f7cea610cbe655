"""What the linker writes for a batch's identifiers: URLs in today's canonical form."""

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
