"""`ocsea cases show`: a list the API cut at its limit says what it shows of how many."""

import argparse
from typing import Any

from cli.main import _cases


class Answering:
    """Stands in for the API client: answers the case detail."""

    def __init__(self, detail: dict[str, Any]) -> None:
        self.detail = detail

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        assert path == "/v1/cases/c-1"
        return self.detail


def _detail(totals: dict[str, int]) -> dict[str, Any]:
    return {
        "case": {"id": "c-1", "status": "open", "priority": "P2", "report_count": 3},
        "reports": [{"id": "r-3", "channel": "public"}],
        "tasks": [{"id": "t-1", "agency": "PDRM", "status": "assigned"}],
        "victims": [],
        "timeline": [{"at": "2026-12-01T03:00:00Z", "kind": "TaskClaimed"}],
        "totals": totals,
    }


def _shown(detail: dict[str, Any]) -> str:
    args = argparse.Namespace(action="show", case_id="c-1")
    _, text = _cases(args, Answering(detail))  # type: ignore[arg-type]
    return str(text)


def test_cut_lists_say_what_they_show_of_how_many() -> None:
    totals = {"reports": 3, "tasks": 563, "open_tasks": 157, "victims": 0, "timeline": 4452}
    text = _shown(_detail(totals))
    assert "REPORTS (1 of 3: the newest)" in text
    assert "TASKS (1 of 563: the 157 open first)" in text
    assert "TIMELINE (1 of 4452: the newest)" in text
    assert "VICTIMS\n" in text  # none of none: not cut


def test_whole_lists_have_their_plain_titles() -> None:
    totals = {"reports": 1, "tasks": 1, "open_tasks": 1, "victims": 0, "timeline": 1}
    text = _shown(_detail(totals))
    assert "\nTASKS\n" in text and "\nTIMELINE\n" in text and "\nREPORTS (read one" in text
