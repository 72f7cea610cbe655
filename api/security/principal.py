"""The authenticated caller: a pseudonymous subject, a role and (for people) an agency."""

from dataclasses import dataclass
from enum import StrEnum

from contracts.enums import VICTIM_AGENCIES, Agency


class Role(StrEnum):
    OFFICER = "officer"
    CASEWORKER = "caseworker"
    ANALYST = "analyst"
    ADMIN = "admin"
    PLATFORM = "platform"
    NGO = "ngo"


# Analysts explore the graph; they do not need to know who the child is.
VICTIM_ROLES = frozenset({Role.OFFICER, Role.CASEWORKER, Role.ADMIN})


@dataclass(frozen=True)
class Principal:
    subject: str  # pseudonymous subject from the token ("sub"), never a name
    role: Role
    agency: Agency | None  # MCMC / PDRM / KPWKM for people; None for platforms/NGOs
    organisation_id: str | None = None  # for platform/ngo principals

    def sees_victim_details(self) -> bool:
        """True only for KPWKM or PDRM officers, caseworkers and admins."""
        return self.agency in VICTIM_AGENCIES and self.role in VICTIM_ROLES
