"""Ids that the contract derives rather than lets a producer choose."""

from uuid import UUID, uuid5

REPORT_NAMESPACE = UUID("0d7c5e8a-2b61-4a8e-b5f3-94c1d2a7e6b0")


def organisation_report_id(channel: str, organisation_id: str, reference: str) -> UUID:
    """Platform and NGO reports are named by (organisation, reference): a resend, through
    either door, is one report. Producers writing to the intake topics compute it too."""
    return uuid5(REPORT_NAMESPACE, f"{channel}|{organisation_id}|{reference}")
