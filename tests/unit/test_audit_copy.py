"""The audit topic's copy of a record (graph.audit.audit_event): the record as the chain holds
it, so that its hash checks from the copy alone (the chain's independent witness)."""

from datetime import UTC, datetime
from typing import Any

import pytest

from contracts.audit import AuditRecorded
from contracts.registry import decode_event, encode_event
from graph.audit import AuditEntry, audit_event, audit_fields, entry_hash, verify_chain


def _record(**given: Any) -> AuditEntry:
    fields = audit_fields(
        **{
            "actor": "officer-7",
            "role": "officer",
            "agency": "PDRM",
            "action": "case.read",
            "case_id": None,
            "target": None,
            "purpose": "referral review",
            "now": datetime(2026, 12, 1, 3, 0, tzinfo=UTC),
            **given,
        }
    )
    fields["prev_hash"] = ""
    fields["hash"] = entry_hash(**fields)
    return AuditEntry(**fields)


@pytest.mark.parametrize(
    "given",
    [{}, {"actor": " officer-7 "}, {"target": "phone:+60123456789 "}, {"purpose": "\tcase 12"}],
)
def test_the_copy_on_the_topic_checks_against_its_own_hash(given: dict[str, Any]) -> None:
    # Trimmed as other contracts' text is, an actor ' officer-7 ' failed its hash on the
    # topic: the witness flagged a sound record.
    record = _record(**given)
    copy = decode_event(encode_event(audit_event(record, "tests")), (AuditRecorded,))
    assert isinstance(copy, AuditRecorded)
    p = copy.payload
    as_copied = AuditEntry(
        record_id=str(p.record_id),
        chain=p.chain,
        actor=p.actor,
        role=p.role,
        agency=p.agency,
        action=p.action,
        case_id=None,
        target=p.target,
        purpose=p.purpose,
        at=p.at,
        prev_hash=p.prev_hash,
        hash=p.hash,
    )
    assert as_copied == record
    assert verify_chain([as_copied], expected_head=record.hash)
