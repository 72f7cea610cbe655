"""`ocsea`: tasks, cases, graph and audit from the command line, on the same HTTP API.

Set OCSEA_API_URL (default http://127.0.0.1:8080) and OCSEA_TOKEN (from `ocsea token ...`).

Exit status: 0 done; 1 the API refused (its reason printed); 2 the command line is wrong;
3 the API did not answer (not running there, or another server at that address).
"""

import argparse
import json
import sys
from typing import Any
from urllib.parse import quote

from cli.client import ApiFailure, Client, Unreachable
from cli.table import render
from contracts.enums import TaskStatus
from runtime.controlchars import CONTROL, escaped


def _seg(value: str) -> str:
    """An id as one segment of a path: a pasted id with a space was a URL urllib would not
    send (reported as the API unreachable), one with '?' or '/' another request."""
    return quote(value, safe="")


TASK_COLUMNS = ["task_id", "priority", "status", "task_type", "target", "due_at", "claimed_by"]


def _tasks(args: argparse.Namespace, client: Client) -> Any:
    if args.action == "list":
        page = client.get(
            "/v1/tasks",
            agency=args.agency,
            status=args.status,
            limit=args.limit,
            after=args.after,
        )
        more = f"\n(more: --after {page['next_after']})" if page["next_after"] else ""
        return page, render(page["items"], TASK_COLUMNS) + more
    if args.action == "show":
        task = client.get(f"/v1/tasks/{_seg(args.task_id)}")
        return task, render([task], TASK_COLUMNS + ["case_id"]) + _task_details(task)
    body: dict[str, Any] | None = None
    if args.action == "complete":
        outcome = {"code": args.outcome, "note": args.note, "content_removed_at": args.removed_at}
        body = {"outcome": {k: v for k, v in outcome.items() if v is not None}}
    elif args.action in ("decline", "escalate"):
        body = {"reason": args.reason}
    task = client.post(f"/v1/tasks/{_seg(args.task_id)}/{args.action}", body)
    return task, render([task], TASK_COLUMNS) + _task_details(task)


def _task_details(task: dict[str, Any]) -> str:
    """A task's outcome and its reason (a decline's, an escalation's): shown only in the JSON,
    an officer could not see in the table why a task was declined or what its outcome was."""
    outcome = task.get("outcome") or {}
    lines = [
        f"{name}: {escaped(str(value))}"
        for name, value in (
            ("outcome", outcome.get("code")),
            ("note", outcome.get("note")),
            ("content removed at", outcome.get("content_removed_at")),
            ("reason", task.get("reason")),
        )
        if value
    ]
    return "\n\n" + "\n".join(lines) if lines else ""


def _cases(args: argparse.Namespace, client: Client) -> Any:
    if args.action == "audit":
        # 'global': the records of no single case (queue listings, reads across the graph).
        case = _seg(args.case_id)
        path = "/v1/audit/global" if args.case_id == "global" else f"/v1/cases/{case}/audit"
        trail = client.get(path, after=args.after, limit=args.limit)
        table = render(
            trail["records"],
            ["seq", "at", "actor", "role", "agency", "action", "target", "purpose"],
            # Whole targets (at most 400 characters: a searched hash's key is up to 305; cut
            # at 60, the hash an administrator checks was not there).
            max_width=400,
        )
        foot = f"chain valid: {trail['chain_valid']} ({trail['length']} records)"
        if trail.get("merged_from"):
            # Their records stay in their own trails.
            merged = ", ".join(trail["merged_from"])
            foot += f"\nmerged into this case, each with its own trail (cases audit <id>): {merged}"
        if trail["earlier_after"] is not None:
            earlier = f"--after {trail['earlier_after']}"
            if trail.get("earlier_limit") is not None:
                earlier += f" --limit {trail['earlier_limit']}"
            foot += f"\n(earlier: {earlier})"
        return trail, f"{table}\n{foot}"
    if args.action == "report":
        found = client.get(f"/v1/cases/{_seg(args.case_id)}/reports/{_seg(args.report_id)}")
        withheld = ", ".join(found["withheld"]) or "nothing"
        head = (
            f"report {found['report_id']}  {found['channel']}  received {found['received_at']}"
            f"  withheld: {withheld}"
        )
        return found, f"{head}\n{json.dumps(found['report'], indent=2, ensure_ascii=False)}"
    case = client.get(f"/v1/cases/{_seg(args.case_id)}")
    head = case["case"]
    totals = case.get("totals", {})

    def title(name: str, key: str, cut: str) -> str:
        """The list's title, saying what it shows when the API cut it at its limit."""
        shown, total = len(case[key]), totals.get(key, len(case[key]))
        return name if shown >= total else f"{name} ({shown} of {total}: {cut})"

    # A merged case keeps the count it had; its reports are in the case it merged into, and
    # the header showed '214 reports' over an empty list, with no word of where they went.
    reports = totals.get("reports", head.get("report_count"))
    lines = [
        f"case {head['id']}  status {head.get('status')}  priority {head.get('priority')}"
        f"  reports {reports}",
        *(
            [f"merged into case {case['merged_into']}: its reports and tasks are there"]
            if case.get("merged_into")
            else []
        ),
        "",
        title("REPORTS", "reports", "the newest")
        + " (read one with: cases report <case_id> <report_id>)",
        render(case["reports"], ["id", "channel", "priority", "categories", "received_at"]),
        "",
        title("TASKS", "tasks", f"the {totals.get('open_tasks', '?')} open first"),
        render(case["tasks"], ["id", "agency", "task_type", "status", "priority", "due_at"]),
        "",
        title("VICTIMS", "victims", "the first"),
        render(case["victims"], ["pseudonym", "ref", "age", "age_range"]),
        "",
        title("TIMELINE", "timeline", "the newest"),
        render(case["timeline"], _timeline_columns(case["timeline"]), max_width=60),
    ]
    return case, "\n".join(lines)


def _timeline_columns(entries: list[dict[str, Any]]) -> list[str]:
    """The timeline's columns; the case an entry was made in, where a merged case's are."""
    columns = ["at", "kind", "agency", "summary"]
    return [*columns, "merged_case"] if any("merged_case" in e for e in entries) else columns


def _graph(args: argparse.Namespace, client: Client) -> Any:
    if args.action == "search":
        found = client.get("/v1/search", kind=args.kind, value=args.value, limit=args.limit)
        return found, _search_lines(found, args.limit)
    if args.action == "shared":
        found = client.get("/v1/graph/shared-cases", entity=args.entity, limit=args.limit)
        table = render(found["cases"], ["case_id", "status", "priority", "reports"])
        return found, table + _cut(found, f"the first {args.limit} cases")
    if args.action == "path":
        found = client.get("/v1/graph/path", **{"from": args.source, "to": args.target})
        if not found["nodes"]:
            # A bare '(none)' read as if the tool had failed.
            return found, (
                f"no path between {args.source} and {args.target} within 6 hops (paths do not "
                "pass through hubs, excluded identifiers, platforms, organisations, victims "
                "or cases of over 1,000 links: `graph shared` tells whether both are in one)"
            )
    else:
        found = client.get(
            "/v1/graph/neighbourhood", entity=args.entity, depth=args.depth, limit=args.limit
        )
    nodes = render(
        [{"ref": n["ref"], "labels": n["labels"]} for n in found["nodes"]], ["ref", "labels"], 70
    )
    rels = render(found["relationships"], ["from", "type", "to"], 50)
    walked = found.get("depth")
    if args.action == "neighbourhood" and walked is not None and walked != args.depth:
        # The API walks one hop only from a wide start (a hub, a platform, a large case);
        # said only in the JSON, an analyst took one hop for the whole neighbourhood.
        rels += f"\n\n(walked {walked} hop{'s' if walked != 1 else ''} of the {args.depth} asked)"
    if args.action == "neighbourhood":
        rels += _cut(found, f"the first {args.limit} paths, the shortest first")
    return found, f"{nodes}\n\n{rels}"


def _search_lines(found: dict[str, Any], limit: int) -> str:
    """Each identifier found whole, with its cases: in a table, keys and case lists were cut
    at 60 characters (one and a half of 27 cases, and a hash that could not be copied)."""
    if not found["results"]:
        return "(none)"
    lines = []
    for row in found["results"]:
        hub = "  hub (over the degree cap: it links no more reports)" if row.get("hub") else ""
        lines.append(f"{escaped(row['key'])}  reports {row.get('reports')}{hub}")
        more = f" (the first {limit}: there are more)" if row.get("cases_truncated") else ""
        lines.append(f"  cases{more}: {', '.join(row['cases']) or '(none)'}")
    if found.get("identifiers_truncated"):
        lines.append(f"\n(cut at the first {limit} identifiers: --limit up to 200 shows more)")
    if any(row.get("cases_truncated") for row in found["results"]):
        lines.append("\n(case lists cut: `graph shared <key> --limit 500` lists up to 500)")
    return "\n".join(lines)


def _cut(found: dict[str, Any], shown: str) -> str:
    """A line saying the API stopped at the limit, where it did: said only in the JSON, an
    analyst took the first 100 for all there is."""
    if not found.get("truncated"):
        return ""
    return f"\n\n(cut at {shown}: there are more; --limit up to 500 shows more)"


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="ocsea", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    top.add_argument("--json", action="store_true", help="print the API's JSON instead of a table")
    top.add_argument("--purpose", help="why you need this data (sent as X-Purpose; audited)")
    sub = top.add_subparsers(dest="command", required=True)

    token = sub.add_parser("token", help="mint a local development token: --sub --role --agency")
    token.add_argument("rest", nargs=argparse.REMAINDER)

    tasks = sub.add_parser("tasks", help="your agency's task queue").add_subparsers(
        dest="action", required=True
    )
    listing = tasks.add_parser("list")
    listing.add_argument("--agency", choices=["MCMC", "PDRM", "KPWKM"])
    # Checked here, with the choices listed: a typo was the API's 422 after a round trip.
    listing.add_argument("--status", action="append", choices=[s.value for s in TaskStatus])
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--after", help="the cursor a page printed, for the page after it")
    for name in ("show", "claim", "start"):
        tasks.add_parser(name).add_argument("task_id")
    done = tasks.add_parser("complete")
    done.add_argument("task_id")
    done.add_argument(
        "--outcome",
        required=True,
        help="e.g. arrest, content_removed, review_routed, support_given",
    )
    done.add_argument("--note")
    done.add_argument(
        "--removed-at",
        dest="removed_at",
        help="MCMC: when the platform removed it, ISO 8601 with its zone (2026-12-01T10:00+08:00)",
    )
    for name in ("decline", "escalate"):
        cmd = tasks.add_parser(name)
        cmd.add_argument("task_id")
        cmd.add_argument("--reason", required=True)

    cases = sub.add_parser(
        "cases", help="case detail, its reports as submitted, audit trail"
    ).add_subparsers(dest="action", required=True)
    cases.add_parser("show").add_argument("case_id")
    audit = cases.add_parser("audit")
    audit.add_argument("case_id", help="a case id, or 'global'")
    audit.add_argument("--after", type=int, help="show the records after this number")
    audit.add_argument("--limit", type=int, default=500, help="records to show (at most 500)")
    one = cases.add_parser("report", help="a report of the case as its reporter submitted it")
    one.add_argument("case_id")
    one.add_argument("report_id")

    graph = sub.add_parser("graph", help="explore linked cases").add_subparsers(
        dest="action", required=True
    )
    search = graph.add_parser("search")
    search.add_argument(
        "--kind", required=True, choices=["username", "hash", "phone", "email", "url"]
    )
    search.add_argument("--value", required=True)
    search.add_argument(
        "--limit", type=int, default=50, help="identifiers, and cases of each, to show (<= 200)"
    )
    around = graph.add_parser("neighbourhood")
    around.add_argument("entity", help="e.g. phone:+60123456789 or case:<id>")
    around.add_argument("--depth", type=int, default=2)
    around.add_argument("--limit", type=int, default=100, help="paths to show (at most 500)")
    route = graph.add_parser("path")
    route.add_argument("source")
    route.add_argument("target")
    shared = graph.add_parser("shared")
    shared.add_argument("entity")
    shared.add_argument("--limit", type=int, default=100, help="cases to show (at most 500)")
    return top


def _header_safe(text: str) -> bool:
    """Whether `text` can be an HTTP header's value: Latin-1, no control characters."""
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return CONTROL.search(text) is None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["token"]:
        # `ocsea token --sub ... --role ... --agency ...` is the mint tool's own command line.
        from api.security.mint import main as mint

        mint(argv[1:], prog="ocsea token")
        return 0
    command_line = parser()
    args = command_line.parse_args(argv)
    if args.command == "token":
        # Global options before it sent it to the parser above, which only lists it for help:
        # 'ocsea --json token' raised KeyError, and with --sub 'unrecognized arguments'.
        command_line.error("`token` comes first: ocsea token --sub ... --role ... (no --json)")
    if args.purpose is not None and not _header_safe(args.purpose):
        # Sent as an HTTP header: an en dash or Chinese text ended in a UnicodeEncodeError
        # traceback, a line break in a ValueError one.
        command_line.error("--purpose must be plain Latin text on one line (no '–', '审查')")
    client = Client(purpose=args.purpose)
    if client.token and not _header_safe(client.token):
        print("ocsea: OCSEA_TOKEN is no token (it holds a line break or other characters)",
              file=sys.stderr)  # fmt: skip
        return 2
    handler = {"tasks": _tasks, "cases": _cases, "graph": _graph}[args.command]
    try:
        data, table = handler(args, client)
    except ApiFailure as refusal:
        print(f"ocsea: {refusal}", file=sys.stderr)
        return 1
    except Unreachable as failure:  # a script told it apart from a refusal by its message only
        print(f"ocsea: {failure}", file=sys.stderr)
        return 3
    print(json.dumps(data, indent=2) if args.json else table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
