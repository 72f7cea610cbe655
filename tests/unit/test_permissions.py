"""The permission matrix, cell by cell, and the documented table kept equal to MATRIX."""

import re
from pathlib import Path

import pytest

from api.security.permissions import MATRIX, Permission, allowed
from api.security.principal import Principal, Role
from contracts.enums import Agency

P = Permission
OWN, ANY, YES, NO = "own agency", "any agency", "yes", "no"
# Written out by hand, independently of MATRIX: what each role may do and how it is scoped.
EXPECTED: dict[Role, dict[Permission, str]] = {
    Role.OFFICER: {P.TASKS_READ: OWN, P.TASKS_ACT: OWN, P.CASES_READ: OWN, P.VICTIMS_READ: OWN},
    Role.CASEWORKER: {P.TASKS_READ: OWN, P.TASKS_ACT: OWN, P.CASES_READ: OWN, P.VICTIMS_READ: OWN},
    Role.ANALYST: {P.TASKS_READ: ANY, P.CASES_READ: ANY, P.GRAPH_READ: YES},
    Role.ADMIN: {
        P.TASKS_READ: ANY,
        P.CASES_READ: ANY,
        P.GRAPH_READ: YES,
        P.VICTIMS_READ: ANY,
        P.AUDIT_READ: YES,
    },
    Role.PLATFORM: {P.REPORTS_SUBMIT: YES, P.REPORTS_STATUS_OWN: YES},
    Role.NGO: {P.REPORTS_SUBMIT: YES, P.REPORTS_STATUS_OWN: YES},
}
VICTIM_AGENCIES = {Agency.PDRM, Agency.KPWKM}
PEOPLE = {Role.OFFICER, Role.CASEWORKER, Role.ANALYST, Role.ADMIN}
TARGETS: list[Agency | None] = [None, *Agency]


def principal(role: Role, agency: Agency | None) -> Principal:
    org = None if role in PEOPLE else "org-1"
    return Principal(subject="s-1", role=role, agency=agency, organisation_id=org)


def principals() -> list[Principal]:
    out = []
    for role in Role:
        agencies: list[Agency | None] = list(Agency) if role in PEOPLE else [None]
        out += [principal(role, agency) for agency in agencies]
    return out


def expected(who: Principal, permission: Permission, target: Agency | None) -> bool:
    rule = EXPECTED[who.role].get(permission, NO)
    if rule == NO:
        return False
    if permission is P.VICTIMS_READ and who.agency not in VICTIM_AGENCIES:
        return False
    return rule != OWN or target is None or target == who.agency


CELLS = [(who, perm, target) for who in principals() for perm in Permission for target in TARGETS]


@pytest.mark.parametrize(
    ("who", "permission", "target"),
    CELLS,
    ids=[f"{w.role}-{w.agency}-{p}-on-{t}" for w, p, t in CELLS],
)
def test_every_cell(who: Principal, permission: Permission, target: Agency | None) -> None:
    assert allowed(who, permission, target) is expected(who, permission, target)


def test_the_matrix_has_every_role_and_the_same_grants_as_the_hand_written_table() -> None:
    assert set(MATRIX) == set(Role)
    for role in Role:
        assert MATRIX[role] == frozenset(EXPECTED[role]), role


@pytest.mark.parametrize(
    ("role", "agency", "permission", "target", "ok"),
    [
        (Role.OFFICER, Agency.PDRM, P.TASKS_READ, Agency.PDRM, True),
        (Role.OFFICER, Agency.PDRM, P.TASKS_READ, Agency.KPWKM, False),
        (Role.OFFICER, Agency.PDRM, P.TASKS_ACT, Agency.MCMC, False),
        (Role.CASEWORKER, Agency.KPWKM, P.TASKS_ACT, Agency.KPWKM, True),
        (Role.ANALYST, Agency.MCMC, P.TASKS_READ, Agency.KPWKM, True),
        (Role.ANALYST, Agency.MCMC, P.TASKS_ACT, Agency.MCMC, False),
        (Role.ADMIN, Agency.MCMC, P.CASES_READ, Agency.PDRM, True),
        (Role.OFFICER, Agency.PDRM, P.VICTIMS_READ, None, True),
        (Role.CASEWORKER, Agency.KPWKM, P.VICTIMS_READ, None, True),
        (Role.OFFICER, Agency.MCMC, P.VICTIMS_READ, None, False),
        (Role.ANALYST, Agency.PDRM, P.VICTIMS_READ, None, False),
        (Role.ANALYST, Agency.MCMC, P.VICTIMS_READ, None, False),
        (Role.ADMIN, Agency.KPWKM, P.VICTIMS_READ, Agency.PDRM, True),
        (Role.ADMIN, Agency.MCMC, P.VICTIMS_READ, None, False),
        (Role.PLATFORM, None, P.TASKS_READ, None, False),
        (Role.NGO, None, P.GRAPH_READ, None, False),
        (Role.PLATFORM, None, P.REPORTS_SUBMIT, None, True),
    ],
)
def test_named_rules(
    role: Role, agency: Agency | None, permission: Permission, target: Agency | None, ok: bool
) -> None:
    assert allowed(principal(role, agency), permission, target) is ok


@pytest.mark.parametrize(
    ("role", "agency", "sees"),
    [
        (Role.OFFICER, Agency.PDRM, True),
        (Role.CASEWORKER, Agency.KPWKM, True),
        (Role.ADMIN, Agency.PDRM, True),
        (Role.OFFICER, Agency.MCMC, False),
        (Role.ANALYST, Agency.PDRM, False),
        (Role.ANALYST, Agency.KPWKM, False),
        (Role.PLATFORM, None, False),
    ],
)
def test_sees_victim_details(role: Role, agency: Agency | None, sees: bool) -> None:
    assert principal(role, agency).sees_victim_details() is sees


# --- docs/permissions.md is the same matrix ---------------------------------------------

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
VICTIM_ADMINS = "PDRM/KPWKM admins"


def doc_table() -> tuple[list[str], list[list[str]]]:
    text = DOC.read_text()
    block = text.split("<!-- permission-matrix:start -->")[1].split(
        "<!-- permission-matrix:end -->"
    )[0]
    rows = [
        [c.strip() for c in ln.strip().strip("|").split("|")] for ln in block.strip().splitlines()
    ]
    header, body = rows[0], [r for r in rows[2:]]
    return header[1:], body


def row_principals(label: str) -> list[Principal]:
    match = re.fullmatch(r"(\w+)(?: \((\w+)\))?", label)
    assert match, f"row label {label!r} is not 'role' or 'role (AGENCY)'"
    role = Role(match.group(1))
    if match.group(2):
        return [principal(role, Agency(match.group(2)))]
    agencies: list[Agency | None] = list(Agency) if role in PEOPLE else [None]
    return [principal(role, a) for a in agencies]


def cell_holds(cell: str, who: Principal, permission: Permission) -> bool:
    """Whether allowed() behaves as the documented cell says, for every target agency."""
    results = {target: allowed(who, permission, target) for target in TARGETS}
    if cell == VICTIM_ADMINS:
        cell = ANY if who.agency in VICTIM_AGENCIES else NO
    if cell in (YES, ANY):
        return all(results.values())
    if cell == NO:
        return not any(results.values())
    if cell == OWN:
        return all(ok is (t in (None, who.agency)) for t, ok in results.items())
    raise AssertionError(f"unknown cell {cell!r}")


def test_the_doc_columns_are_the_permissions() -> None:
    columns, _ = doc_table()
    assert columns == [p.value for p in Permission]


def test_the_doc_table_matches_allowed_cell_by_cell() -> None:
    columns, rows = doc_table()
    checked = 0
    for label, *cells in rows:
        for who in row_principals(label):
            for column, cell in zip(columns, cells, strict=True):
                assert cell_holds(cell, who, Permission(column)), (label, who.agency, column, cell)
                checked += 1
    assert checked >= 7 * len(Permission)


def test_the_doc_table_grants_exactly_matrix() -> None:
    columns, rows = doc_table()
    granted: dict[Role, set[Permission]] = {}
    for label, *cells in rows:
        role = row_principals(label)[0].role
        granted.setdefault(role, set()).update(
            Permission(col) for col, cell in zip(columns, cells, strict=True) if cell != NO
        )
    assert set(granted) == set(Role)
    assert {role: frozenset(perms) for role, perms in granted.items()} == MATRIX
