"""`python -m api.keys` when Neo4j is out of reach: one line and a status of its own."""

import pytest
from neo4j.exceptions import ServiceUnavailable

from api import keys


def test_neo4j_out_of_reach_is_one_line_and_status_3(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """It was a 70-line stack trace with status 1, a refusal's (a helper's bug hunt)."""

    def unreachable(*args: object, **kwargs: object) -> None:
        raise ServiceUnavailable("Couldn't connect to 127.0.0.1:1")

    monkeypatch.setattr(keys, "issue_key_of", unreachable)
    with pytest.raises(SystemExit) as exited:
        keys.main(["ngo-x", "--kind", "ngo"])
    err = capsys.readouterr().err
    assert exited.value.code == 3
    assert err.startswith("python -m api.keys: Neo4j at ") and "ServiceUnavailable" in err
