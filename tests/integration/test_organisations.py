"""Organisation keys (graph.organisations, `python -m api.keys`) on the real Neo4j."""

import pytest
from neo4j import Driver

from api import keys
from graph.organisations import KeyRefused, issue_key, issue_key_of
from tests.factories import unique


def _kind_of(neo4j_sync: Driver, org: str) -> tuple[str, str]:
    records, _, _ = neo4j_sync.execute_query(
        "MATCH (o:Organisation {id: $id}) RETURN o.kind AS kind, o.api_key_sha256 AS hash",
        id=org,
    )
    return records[0]["kind"], records[0]["hash"]


def test_a_key_for_the_other_kind_is_refused_and_the_key_kept(neo4j_sync: Driver) -> None:
    """Issued again as an NGO's, a platform's key turned it into an NGO, and locked it out of
    the platform door, without a word from the tool."""
    org = unique("platform-")
    assert issue_key_of(neo4j_sync, org, "platform")[1] is None  # created
    before = _kind_of(neo4j_sync, org)
    with pytest.raises(KeyRefused, match="--change-kind"):
        issue_key(neo4j_sync, org, "ngo")
    assert _kind_of(neo4j_sync, org) == before  # kind and key as they were
    assert issue_key_of(neo4j_sync, org, "platform")[1] == "platform"  # rotated
    assert issue_key_of(neo4j_sync, org, "ngo", change_kind=True)[1] == "platform"
    assert (_kind_of(neo4j_sync, org))[0] == "ngo"


@pytest.mark.parametrize(
    "org", [" platform-x", "platform x", "acme|x", "", "-acme", "a" * 129, "platform-x\n"]
)
def test_an_id_no_report_could_name_gets_no_key(neo4j_sync: Driver, org: str) -> None:
    # A report's organisation_id is compared as given, and its id derived from
    # 'channel|organisation|reference': ' x' could never submit; 'acme|x' with reference
    # 'CT-1' and 'acme' with 'x|CT-1' were one report.
    with pytest.raises(KeyRefused, match="is no organisation id"):
        issue_key(neo4j_sync, org, "platform")
    records, _, _ = neo4j_sync.execute_query(
        "MATCH (o:Organisation {id: $id}) RETURN count(o) AS n", id=org
    )
    assert records[0]["n"] == 0


def test_the_tool_prints_the_key_alone_and_says_what_it_did(
    neo4j_sync: Driver, capsys: pytest.CaptureFixture[str]
) -> None:
    org = unique("ngo-")
    keys.main([org, "--kind", "ngo"])
    out, err = capsys.readouterr()
    assert err == f"ngo {org}: key created\n"
    key = out.strip()
    assert key.startswith("ocsea_") and "\n" not in key
    with pytest.raises(SystemExit) as refused:
        keys.main([org, "--kind", "platform"])
    assert f"{org} is registered as ngo" in str(refused.value.code)
    keys.main([org, "--kind", "ngo"])
    assert capsys.readouterr().err == f"ngo {org}: key rotated\n"
