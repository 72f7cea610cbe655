"""The permission matrix: which role may do what, scoped to the caller's own agency.

docs/permissions.md shows the same matrix; tests/unit/test_permissions.py keeps them equal.
"""

from enum import StrEnum

from api.security.principal import Principal, Role
from contracts.enums import Agency


class Permission(StrEnum):
    TASKS_READ = "tasks:read"  # list/see own agency's tasks
    TASKS_ACT = "tasks:act"  # claim/start/complete/decline/escalate own agency's tasks
    CASES_READ = "cases:read"  # case detail + timeline (facts the agency needs)
    GRAPH_READ = "graph:read"  # analyst graph queries
    VICTIMS_READ = "victims:read"  # victim details (age, the platform's own victim reference)
    AUDIT_READ = "audit:read"  # query a case's audit trail
    REPORTS_SUBMIT = "reports:submit"
    REPORTS_STATUS_OWN = "reports:status_own"


P = Permission
_PEOPLE_READ = frozenset({P.TASKS_READ, P.CASES_READ})
_INTEGRATOR = frozenset({P.REPORTS_SUBMIT, P.REPORTS_STATUS_OWN})

# fmt: off
MATRIX: dict[Role, frozenset[Permission]] = {
    Role.OFFICER:    _PEOPLE_READ | {P.TASKS_ACT, P.VICTIMS_READ},
    Role.CASEWORKER: _PEOPLE_READ | {P.TASKS_ACT, P.VICTIMS_READ},
    Role.ANALYST:    _PEOPLE_READ | {P.GRAPH_READ},
    Role.ADMIN:      _PEOPLE_READ | {P.GRAPH_READ, P.VICTIMS_READ, P.AUDIT_READ},
    Role.PLATFORM:   _INTEGRATOR,
    Role.NGO:        _INTEGRATOR,
}
# fmt: on

# Permissions on agency-owned data: officers and caseworkers only touch their own agency's.
AGENCY_SCOPED = frozenset({P.TASKS_READ, P.TASKS_ACT, P.CASES_READ, P.VICTIMS_READ})
# Roles that read across agencies (the point of a shared graph), but never act for another.
CROSS_AGENCY_READERS = frozenset({Role.ANALYST, Role.ADMIN})
_READS = frozenset({P.TASKS_READ, P.CASES_READ, P.VICTIMS_READ, P.GRAPH_READ, P.AUDIT_READ})


def allowed(principal: Principal, permission: Permission, agency: Agency | None = None) -> bool:
    """Whether the principal may use the permission, on data of `agency` when given."""
    if permission not in MATRIX.get(principal.role, frozenset()):
        return False
    if permission is P.VICTIMS_READ and not principal.sees_victim_details():
        return False
    if agency is None or permission not in AGENCY_SCOPED:
        return True
    if principal.role in CROSS_AGENCY_READERS and permission in _READS:
        return True
    return principal.agency == agency
