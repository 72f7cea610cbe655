"""Audit every read and change of case data by a person: who, what, when and why."""

import re
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from fastapi import Request
from neo4j import AsyncDriver

from api.errors import ApiError
from api.security.principal import Principal
from graph.audit import AuditEntry, append_all, append_fields, audit_fields

PRODUCER = "api.audit"
PURPOSE_HEADER = "X-Purpose"
# Bounds of the AuditRecorded contract, checked before the graph write so that the graph and
# the topic never disagree about what is recorded.
MAX_PURPOSE, MAX_ACTION, MAX_TARGET = 500, 100, 400  # as contracts.audit
# A graph read that reaches many cases is recorded in each of their chains up to this many;
# the global record names how many it reached in all.
MAX_CASES_RECORDED = 50
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def cases_in(answer: Any) -> list[str]:
    """The ids of the cases an answer shows: 'case:<id>' refs, case_id values and lists of
    cases, wherever they sit in it (graph paths, search results, shared cases)."""
    found: dict[str, None] = {}

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str):
            if value.startswith("case:") and _UUID.match(value[5:]):
                found[value[5:]] = None
            elif key in ("case_id", "cases") and _UUID.match(value):
                found[value] = None

    walk(answer)
    return list(found)


def _case_uuid(case_id: str | None) -> UUID | None:
    if case_id is None:
        return None
    try:
        return UUID(case_id)
    except ValueError as exc:
        raise ApiError(400, "invalid_case_id", "case_id must be a UUID", field="case_id") from exc


def _purpose(request: Request, required: bool) -> str | None:
    purpose = (request.headers.get(PURPOSE_HEADER) or "").strip()
    if required and not purpose:
        raise ApiError(
            400, "purpose_required", "say why you need this data in X-Purpose", field=PURPOSE_HEADER
        )
    if len(purpose) > MAX_PURPOSE:
        raise ApiError(
            400,
            "purpose_too_long",
            f"X-Purpose is limited to {MAX_PURPOSE} characters",
            field=PURPOSE_HEADER,
        )
    return purpose or None


class Auditor:
    """Appends audit records to the graph's hash chains; each is copied to topics.AUDIT
    through the graph's outbox (graph.audit)."""

    def __init__(self, driver: AsyncDriver, database: str):
        self._driver = driver
        self._database = database

    def fields(
        self,
        request: Request,
        principal: Principal,
        action: str,
        case_id: str | None = None,
        target: str | None = None,
        purpose_required: bool = True,
    ) -> dict[str, Any]:
        """The record that `principal` did `action`, checked but not yet written (for a
        change that appends it in its own transaction: graph.audit.append_in); 400
        purpose_required without an X-Purpose."""
        purpose = _purpose(request, purpose_required)
        case = _case_uuid(case_id)
        if not 0 < len(action) <= MAX_ACTION or (target and len(target) > MAX_TARGET):
            raise ValueError("audit action or target outside the contract's bounds")
        return audit_fields(
            actor=principal.subject,
            role=str(principal.role),
            agency=str(principal.agency) if principal.agency else None,
            action=action,
            case_id=str(case) if case else None,
            target=target,
            purpose=purpose,
            now=datetime.now(UTC),
        )

    async def record(
        self,
        request: Request,
        principal: Principal,
        action: str,
        case_id: str | None = None,
        target: str | None = None,
        purpose_required: bool = True,
    ) -> AuditEntry:
        """Record that `principal` did `action`; 400 purpose_required without an X-Purpose."""
        fields = self.fields(request, principal, action, case_id, target, purpose_required)
        return await append_fields(self._driver, fields, PRODUCER, self._database)

    async def record_read(
        self,
        request: Request,
        principal: Principal,
        action: str,
        target: str,
        answer: Any,
    ) -> list[AuditEntry]:
        """Record a read across the graph: in the global chain, and in the chain of each
        case its answer shows (up to MAX_CASES_RECORDED), all in one transaction, so that a
        case's own trail says who saw it through a search, a path or a neighbourhood too."""
        cases = cases_in(answer)
        shown = cases[:MAX_CASES_RECORDED]
        reached = f" [{len(cases)} case(s)]"
        summary = target[: MAX_TARGET - len(reached)] + reached
        records = [self.fields(request, principal, action, None, summary)]
        records += [
            self.fields(request, principal, action, case, target[:MAX_TARGET]) for case in shown
        ]
        return await append_all(self._driver, records, PRODUCER, self._database)
