"""Ids that the contract derives rather than lets a producer choose."""

import re
from uuid import UUID, uuid5

# What a report names as its organisation_id, and what an organisation's key is issued for
# (graph.organisations): no spaces and no '|', which the report id's name separates with:
# 'a|b' with reference 'c' and 'a' with reference 'b|c' were one report id.
ORGANISATION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
ORGANISATION_ID = re.compile(ORGANISATION_ID_PATTERN)

REPORT_NAMESPACE = UUID("0d7c5e8a-2b61-4a8e-b5f3-94c1d2a7e6b0")


def organisation_report_id(channel: str, organisation_id: str, reference: str) -> UUID:
    """Platform and NGO reports are named by (organisation, reference): a resend, through
    either door, is one report. Producers writing to the intake topics compute it too."""
    return uuid5(REPORT_NAMESPACE, f"{channel}|{organisation_id}|{reference}")
