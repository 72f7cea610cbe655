"""`ocsea`: a case's cut lists say what they show of how many; an API that does not answer
is one line."""

import argparse
import socket
from typing import Any

import pytest

from cli.client import ApiFailure, Client
from cli.main import _cases, _graph, _tasks, main
from cli.main import parser as main_parser
from cli.table import render


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


def test_an_api_that_does_not_answer_is_one_line_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as free:  # a port nothing listens on
        free.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{free.getsockname()[1]}"
    monkeypatch.setenv("OCSEA_API_URL", url)
    assert main(["tasks", "list"]) == 3  # not 1, a refusal's: a script can tell them apart
    assert capsys.readouterr().err == (
        f"ocsea: cannot reach the API at {url} ([Errno 111] Connection refused)\n"
    )


class Neighbourhood:
    """Stands in for the API client: a neighbourhood walked `depth` hops."""

    def __init__(self, depth: int, truncated: bool = False) -> None:
        self.depth, self.truncated = depth, truncated
        self.asked: dict[str, Any] = {}

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        assert path == "/v1/graph/neighbourhood"
        self.asked = params
        node = {"ref": "platform:whatsapp", "labels": ["Platform"]}
        return {
            "nodes": [node],
            "relationships": [],
            "depth": self.depth,
            "truncated": self.truncated,
        }


@pytest.mark.parametrize(("asked", "walked", "said"), [(3, 1, "1 hop"), (5, 3, "3 hops")])
def test_a_neighbourhood_walked_less_far_than_asked_says_so(
    asked: int, walked: int, said: str
) -> None:
    args = argparse.Namespace(
        action="neighbourhood", entity="platform:whatsapp", depth=asked, limit=100
    )
    _, text = _graph(args, Neighbourhood(walked))  # type: ignore[arg-type]
    assert text.endswith(f"(walked {said} of the {asked} asked)")
    _, whole = _graph(  # as far as asked: nothing to say
        argparse.Namespace(action="neighbourhood", entity="x", depth=2, limit=100),
        Neighbourhood(2),  # type: ignore[arg-type]
    )
    assert "walked" not in whole


def test_a_refusal_about_a_header_says_what_to_do_on_the_command_line() -> None:
    """'purpose_required: say why you need this data in X-Purpose' left a command-line user to
    find the flag (a README walk-through); a missing token, where the token goes."""
    from cli.client import ApiFailure

    purpose = {"code": "purpose_required", "message": "say why you need this data in X-Purpose"}
    assert "pass --purpose" in str(ApiFailure(400, [purpose]))
    token = {"code": "missing_token", "message": "send a bearer token as Authorization"}
    assert "set OCSEA_TOKEN" in str(ApiFailure(401, [token]))
    other = {"code": "not_found", "message": "no such case"}
    assert str(ApiFailure(404, [other])) == "HTTP 404: not_found: no such case"


# From a helper's bug hunt of the officers' command line (2026-12-02).


def test_control_characters_in_a_cell_are_shown_escaped_not_sent_to_the_terminal() -> None:
    """A searched value or a purpose with an escape sequence or a line break broke or
    rewrote rows of an administrator's audit table."""
    table = render([{"target": "username:hunt\x1b[31mred\x1b[0m\nX", "purpose": "a\x1bb"}],
                   ["target", "purpose"])  # fmt: skip
    assert "\x1b" not in table and "\\x1b[31mred" in table and "\\nX" in table
    assert len(table.splitlines()) == 3  # header, rule, one row


@pytest.mark.parametrize("purpose", ["semakan – rujukan", "审查", "a\nb"])
def test_a_purpose_no_header_can_carry_is_refused_in_one_line(
    purpose: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each ended in a UnicodeEncodeError or ValueError traceback."""
    with pytest.raises(SystemExit) as exited:
        main(["--purpose", purpose, "tasks", "list"])
    assert (
        exited.value.code == 2 and "--purpose must be plain Latin text" in capsys.readouterr().err
    )


def test_a_token_with_a_line_break_inside_is_refused_and_a_final_one_dropped(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("OCSEA_TOKEN", "abc\ndef")
    assert main(["tasks", "list"]) == 2
    assert "OCSEA_TOKEN is no token" in capsys.readouterr().err
    monkeypatch.setenv("OCSEA_TOKEN", "abc.def.ghi\n")
    assert Client().token == "abc.def.ghi"


@pytest.mark.parametrize(("status", "body"), [(200, b""), (200, b"<html>docs</html>")])
def test_another_server_at_the_api_url_is_one_line(
    status: int, body: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neo4j's port answers 200 with no body, a page HTML: each was a traceback."""

    class Answer:
        def __enter__(self) -> "Answer":
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def read(self) -> bytes:
            return body

    monkeypatch.setattr("urllib.request.urlopen", lambda request, timeout: Answer())
    monkeypatch.setenv("OCSEA_API_URL", "http://127.0.0.1:7687")
    assert main(["tasks", "list"]) == 3
    assert "answered, but not as the ocsea-hub API" in capsys.readouterr().err


@pytest.mark.parametrize("ttl", ["0", "-60"])
def test_a_token_minted_to_live_no_time_is_refused(
    ttl: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """It minted a token expired at once, with status 0."""
    with pytest.raises(SystemExit) as exited:
        main(["token", "--sub", "o-1", "--role", "officer", "--agency", "PDRM", "--ttl", ttl])
    assert exited.value.code == 2 and "1 s at least" in capsys.readouterr().err


def test_an_expired_token_is_answered_with_what_to_do() -> None:
    failure = ApiFailure(401, [{"code": "token_expired", "message": "the token has expired"}])
    assert "mint a new token and set OCSEA_TOKEN" in str(failure)


@pytest.mark.parametrize("argv", [["--json", "token"], ["--purpose", "x", "token"]])
def test_token_after_global_options_is_told_to_come_first(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """'ocsea --json token' raised KeyError: 'token' (a helper's bug hunt)."""
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2 and "`token` comes first" in capsys.readouterr().err


def test_a_neighbourhood_cut_at_its_limit_says_so_and_asks_with_the_limit_given() -> None:
    """The API stops at `limit` paths (100 unless asked): said only in the JSON, an analyst
    took the first 100 for the whole neighbourhood, and the command line had no --limit."""
    args = main_parser().parse_args(["graph", "neighbourhood", "phone:+60123456789"])
    api = Neighbourhood(2, truncated=True)
    _, text = _graph(args, api)  # type: ignore[arg-type]
    assert api.asked["limit"] == 100
    assert text.endswith(
        "(cut at the first 100 paths, the shortest first: there are more; "
        "--limit up to 500 shows more)"
    )
    args = main_parser().parse_args(["graph", "neighbourhood", "x", "--limit", "300"])
    api = Neighbourhood(2)
    _, whole = _graph(args, api)  # type: ignore[arg-type]
    assert api.asked["limit"] == 300 and "cut at" not in whole


class Answers:
    """Stands in for the API client: one answer for any path."""

    def __init__(self, answer: dict[str, Any]) -> None:
        self.answer = answer

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        return self.answer

    def post(self, path: str, body: Any = None) -> dict[str, Any]:
        return self.answer


def test_no_path_says_between_what_and_how_far_it_looked() -> None:
    args = main_parser().parse_args(["graph", "path", "phone:+60123456789", "case:c-1"])
    _, text = _graph(args, Answers({"nodes": [], "relationships": []}))  # type: ignore[arg-type]
    assert text.startswith("no path between phone:+60123456789 and case:c-1 within 6 hops")


def test_shared_cases_cut_at_the_limit_say_so() -> None:
    args = main_parser().parse_args(["graph", "shared", "phone:+60123456789", "--limit", "1"])
    cases = {"cases": [{"case_id": "c-1"}], "truncated": True}
    _, text = _graph(args, Answers(cases))  # type: ignore[arg-type]
    assert "(cut at the first 1 cases: there are more" in text


def test_a_tasks_outcome_and_reason_are_in_its_table_view() -> None:
    """Shown only with --json, an officer could not see why a task was declined."""
    task = {
        "task_id": "t-1",
        "status": "declined",
        "outcome": None,
        "reason": "not in our\x1b[2J jurisdiction",
    }
    args = main_parser().parse_args(["tasks", "show", "t-1"])
    _, text = _tasks(args, Answers(task))  # type: ignore[arg-type]
    assert text.endswith("\n\nreason: not in our\\x1b[2J jurisdiction")
    outcome = {"code": "arrest", "note": "suspect held", "content_removed_at": None}
    done = {"task_id": "t-2", "status": "completed", "reason": None, "outcome": outcome}
    args = main_parser().parse_args(["tasks", "complete", "t-2", "--outcome", "arrest"])
    _, text = _tasks(args, Answers(done))  # type: ignore[arg-type]
    assert text.endswith("\n\noutcome: arrest\nnote: suspect held")


def test_an_id_is_sent_as_one_path_segment() -> None:
    """A pasted id with a space was a URL urllib refused (said as the API unreachable, exit
    3); one with '?' or '/' asked for another resource."""
    paths: list[str] = []

    class Recording(Answers):
        def get(self, path: str, **params: Any) -> dict[str, Any]:
            paths.append(path)
            return {"task_id": "t"}

        def post(self, path: str, body: Any = None) -> dict[str, Any]:
            paths.append(path)
            return {"task_id": "t"}

    client = Recording({})
    _tasks(main_parser().parse_args(["tasks", "show", "a b"]), client)  # type: ignore[arg-type]
    _tasks(main_parser().parse_args(["tasks", "claim", "x?y=1"]), client)  # type: ignore[arg-type]
    _tasks(main_parser().parse_args(["tasks", "start", "../../cases"]), client)  # type: ignore[arg-type]
    assert paths == [
        "/v1/tasks/a%20b",
        "/v1/tasks/x%3Fy%3D1/claim",
        "/v1/tasks/..%2F..%2Fcases/start",
    ]


def test_a_status_no_task_has_is_refused_with_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as leaving:
        main_parser().parse_args(["tasks", "list", "--status", "clamed"])
    assert leaving.value.code == 2
    assert "invalid choice: 'clamed' (choose from 'assigned', 'received'" in capsys.readouterr().err


def test_a_merged_case_says_where_it_went_and_counts_the_reports_it_holds() -> None:
    """A merged case showed 'reports 214' over an empty list and no word of its survivor."""
    detail = _detail({"reports": 0, "tasks": 0, "open_tasks": 0, "victims": 0, "timeline": 1})
    detail["case"] |= {"status": "merged", "report_count": 214}
    detail |= {"reports": [], "tasks": [], "merged_into": "c-2"}
    text = _shown(detail)
    assert "status merged  priority P2  reports 0\n" in text
    assert "merged into case c-2: its reports and tasks are there" in text
    assert "merged into" not in _shown(_detail({"reports": 1}))


def test_a_search_shows_keys_and_cases_whole_and_says_where_cut() -> None:
    """In a table, keys and case lists were cut at 60 characters: one and a half of 27
    cases, and a hash that could not be copied (a helper's bug hunt)."""
    key = "content:sha256:" + "9" * 64
    cases = [f"{i:08d}-0000-4000-8000-000000000000" for i in range(5)]
    found: dict[str, Any] = {"key": key, "reports": 122, "hub": False, "cases": cases}
    answer = {
        "results": [found | {"cases_truncated": True}],
        "truncated": True,
        "identifiers_truncated": False,
    }
    args = main_parser().parse_args(["graph", "search", "--kind", "hash", "--value", "x"])
    assert args.limit == 50
    _, text = _graph(args, Answers(answer))  # type: ignore[arg-type]
    assert f"{key}  reports 122\n" in text
    assert ", ".join(cases) in text and "(the first 50: there are more)" in text
    # One identifier whose cases were cut: no word of more identifiers (a review).
    assert text.endswith("(case lists cut: `graph shared <key> --limit 500` lists up to 500)")
    assert "identifiers" not in text
    whole = {"results": [found | {"cases_truncated": False}], "truncated": False}
    _, text = _graph(args, Answers(whole))  # type: ignore[arg-type]
    assert "there are more" not in text and "cut" not in text
    more = whole | {"truncated": True, "identifiers_truncated": True}
    _, text = _graph(args, Answers(more))  # type: ignore[arg-type]
    assert text.endswith("(cut at the first 50 identifiers: --limit up to 200 shows more)")


def test_no_path_names_large_cases_among_what_paths_do_not_cross() -> None:
    """Two identifiers of one large case had 'no path', and nothing said why."""
    args = main_parser().parse_args(["graph", "path", "phone:+60123456789", "case:c-1"])
    _, text = _graph(args, Answers({"nodes": [], "relationships": []}))  # type: ignore[arg-type]
    assert "cases of over 1,000 links" in text and "graph shared" in text
