"""End-to-end fixtures: the whole system as separate processes, on ports apart from `make run`.

The `system` fixture starts the stream worker, the agency agents and the API explicitly
for this tier, against the real Kafka and Neo4j of `make services-up`, and stops them after.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from uuid import uuid4

import pytest

from api.security.principal import Role
from api.security.tokens import mint_token
from contracts import topics
from contracts.enums import Agency
from graph.driver import sync_driver
from graph.organisations import issue_key
from runtime.settings import get_settings
from streams.provision import provision
from tests.e2e.http import post, wait_in_case
from tests.e2e.kafka_probe import commit_group_at_end, stable_members, wait_for_members
from tests.factories import unique

ROOT = Path(__file__).resolve().parents[2]
_RUN = uuid4().hex[:8]
# Ports and consumer groups of this run's own, so a `make run` system beside it never
# takes its messages; the groups start at the topics' ends (committed before they start).
PORTS = {
    "OCSEA_API_PORT": "18080",
    "OCSEA_STREAMS_WEB_PORT": "16066",
    "OCSEA_AGENTS_WEB_PORT": "16067",
    "OCSEA_STREAMS_APP_ID": f"ocsea-streams-e2e-{_RUN}",
    "OCSEA_AGENTS_APP_ID": f"ocsea-agents-e2e-{_RUN}",
    # The SLA timer of these agents would race tests/integration/test_sla.py, which runs
    # escalation passes itself while this session-wide system is still up.
    "OCSEA_SLA_CHECK_INTERVAL_S": "86400",
}


@dataclass
class System:
    api: str
    logs: Path


def _wait(url: str, proc: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            urllib.request.urlopen(url, timeout=2)
        except OSError:
            time.sleep(0.5)
            continue
        if proc.poll() is None:  # what answered is ours, not another process on the port
            return
    tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
    pytest.fail(f"{url} did not answer; last lines of {log}:\n{tail}")


def _refuse_taken_ports() -> None:
    """A system left by a killed test run (or anything else) on this tier's ports would be
    the one tested: with the old code, while ours exits at once on the taken port."""
    for name in ("OCSEA_API_PORT", "OCSEA_STREAMS_WEB_PORT", "OCSEA_AGENTS_WEB_PORT"):
        try:
            socket.create_connection(("127.0.0.1", int(PORTS[name])), timeout=2).close()
        except OSError:
            continue
        pytest.fail(f"port {PORTS[name]} ({name}) is taken: stop what listens there")


# Package scope: the processes stop once the e2e tests are done, before the integration
# tests run, which read the graph's outbox (graph.outbox) that these agents' relay empties.
@pytest.fixture(scope="package")
def system() -> Iterator[System]:
    logs = Path(tempfile.mkdtemp(prefix="ocsea-e2e-"))
    env = {**os.environ, **PORTS}
    commands = {
        "streams": [
            sys.executable,
            "-m",
            "streams",
            "--datadir",
            str(logs / "streams"),
            "worker",
            "-l",
            "warn",
        ],
        "agents": [
            sys.executable,
            "-m",
            "agents",
            "--datadir",
            str(logs / "agents"),
            "worker",
            "-l",
            "warn",
        ],
        "api": [sys.executable, "-m", "api"],
    }
    _refuse_taken_ports()
    provision()
    commit_group_at_end(
        PORTS["OCSEA_STREAMS_APP_ID"], [*topics.INTAKE.values(), topics.REPORTS_TRIAGED]
    )
    agency_topics = [*topics.AGENCY_TASKS.values(), topics.TASK_EVENTS]
    commit_group_at_end(PORTS["OCSEA_AGENTS_APP_ID"], agency_topics)
    procs = {}
    for name, command in commands.items():
        out = open(logs / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        procs[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait(f"http://127.0.0.1:{PORTS['OCSEA_API_PORT']}/healthz", procs["api"], logs / "api.log")
        _wait(
            f"http://127.0.0.1:{PORTS['OCSEA_STREAMS_WEB_PORT']}/metrics",
            procs["streams"],
            logs / "streams.log",
        )
        _wait(
            f"http://127.0.0.1:{PORTS['OCSEA_AGENTS_WEB_PORT']}/metrics",
            procs["agents"],
            logs / "agents.log",
        )
        # Partitions must be assigned before a test produces, or its first messages wait
        # for a rebalance.
        wait_for_members(PORTS["OCSEA_STREAMS_APP_ID"], 1)
        wait_for_members(PORTS["OCSEA_AGENTS_APP_ID"], 1)
        yield System(api=f"http://127.0.0.1:{PORTS['OCSEA_API_PORT']}", logs=logs)
    finally:
        for proc in procs.values():
            proc.terminate()
        for proc in procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def extra_worker(
    system: System, name: str, web_port: str, module: str = "streams", **env: str
) -> Iterator[subprocess.Popen]:
    """One more process of `module` (streams: a stream worker; agents: the agency agents) in
    the system's group for it, with its own metrics port and `env` added, running once the
    group has it; stopped (killed, if it does not stop) after."""
    upper = module.upper()
    group = PORTS[f"OCSEA_{upper}_APP_ID"]
    before = stable_members(group)
    environ = {**os.environ, **PORTS, f"OCSEA_{upper}_WEB_PORT": web_port, **env}
    log = open(system.logs / f"{name}.log", "w")  # noqa: SIM115 - closed below
    command = [sys.executable, "-m", module, "--datadir", str(system.logs / name)]
    proc = subprocess.Popen(
        [*command, "worker", "-l", "warn"],
        cwd=ROOT,
        env=environ,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_members(group, before + 1)
        assert proc.poll() is None, Path(log.name).read_text()[-2000:]
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
        log.close()


def bearer(role: Role, agency: Agency | None, subject: str | None = None) -> dict[str, str]:
    token = mint_token(subject or unique("officer-"), role, agency, get_settings())
    return {"Authorization": f"Bearer {token}", "X-Purpose": "e2e walk-through"}


@pytest.fixture(scope="module")
def shared_case(system: System) -> dict:
    org = unique("platform-")
    with sync_driver(get_settings()) as driver:
        key = {"X-API-Key": issue_key(driver, org, "platform")}
    groomer = unique("groomer")
    digits = str(uuid4().int)[:7]
    phone = f"012-{digits[:3]} {digits[3:]}"
    victim_ref = unique("VIC-")
    ids = []
    description = f"asked a 12-year-old for photos on chatapp ({unique('note-')})"
    first = {"victim": {"age": 12, "pseudonym_ref": victim_ref}, "description": description}
    for extra in (first, {}):
        body = {
            "organisation_id": org,
            "reference": unique("CT-"),
            "incident_type": "grooming",
            "incident_time": datetime.now(UTC).isoformat(),
            "accounts": [{"platform": "chatapp", "username": groomer, "phone": phone}],
            **extra,
        }
        code, accepted = post(f"{system.api}/v1/reports/platform", body, key)
        assert code == 202, accepted
        ids.append(accepted["report_id"])
    statuses = [wait_in_case(system.api, rid, key) for rid in ids]
    assert statuses[0]["case_id"] == statuses[1]["case_id"]
    return {
        "case_id": statuses[0]["case_id"],
        "groomer": groomer,
        # As the graph keeps it and PDRM and KPWKM see it: qualified by the reporter.
        "victim_ref": f"{org}:{victim_ref}",
        "phone": phone,
        "report_ids": ids,  # the first names the victim and carries the description
        "description": description,
        "reporter_victim_ref": victim_ref,
    }
