"""Tiny stdlib HTTP helpers for the e2e tier."""

import json
import time
import urllib.error
import urllib.request
from typing import Any

from tests.e2e.kafka_probe import TopicWatch

JSON = {"Content-Type": "application/json"}


def post(
    url: str, body: Any = None, headers: dict[str, str] | None = None, raw: bytes | None = None
) -> tuple[int, dict]:
    data = raw if raw is not None else json.dumps(body).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={**JSON, **(headers or {})}
    )
    return _send(request)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict]:
    return _send(urllib.request.Request(url, headers=headers or {}))


def metric_sum(port: str, prefix: str) -> float:
    """The sum of the samples whose line starts with `prefix` on this port's metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        lines = answer.read().decode().splitlines()
    return sum(float(line.split()[-1]) for line in lines if line.startswith(prefix))


def _send(request: urllib.request.Request) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def wait_in_case(
    api: str, report_id: str, headers: dict[str, str] | None = None, seconds: float = 30
) -> dict:
    """Poll the report's status until it is in a case."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        code, body = get(f"{api}/v1/reports/{report_id}", headers)
        if code == 200 and body["status"] == "in_case":
            return body
        time.sleep(0.3)
    raise AssertionError(f"report {report_id} not in a case after {seconds}s")


def public_report_and_task(api: str, body: dict, tasks: TopicWatch) -> tuple[dict, dict]:
    """Submit a public report; its status once in a case, and the first TaskAssigned for that
    case on the agency topic `tasks` watches (created before the report is sent)."""
    code, accepted = post(f"{api}/v1/reports", body)
    assert code == 202, accepted
    status = wait_in_case(api, accepted["report_id"])
    task = tasks.wait_for(
        lambda e: e["event_type"] == "TaskAssigned" and e["payload"]["case_id"] == status["case_id"]
    )
    return status, task
