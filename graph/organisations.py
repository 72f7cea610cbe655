"""Organisations (platforms, NGOs) and their hashed API keys."""

import hashlib
import secrets

from neo4j import AsyncDriver, Driver

from contracts.ids import ORGANISATION_ID

FIND_BY_KEY = """
MATCH (o:Organisation {api_key_sha256: $key_hash})
RETURN o.id AS id, o.kind AS kind
"""
# An organisation keeps its kind: the key of a platform issued again as an NGO's turned it
# into one, and locked it out of the platform door (403) with no word from the tool. The
# kind changes only when asked ($change_kind). Answers the kind it had (null: created).
SET_KEY = """
MERGE (o:Organisation {id: $org_id})
WITH o, o.kind AS before
CALL (o, before) {
  WITH o, before WHERE before IS NULL OR before = $kind OR $change_kind
  SET o.kind = $kind, o.api_key_sha256 = $key_hash, o.key_issued_at = datetime()
}
RETURN before
"""


class KeyRefused(Exception):
    """An organisation id no report could name, or a change of kind not asked for."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(
    driver: Driver, org_id: str, kind: str, database: str = "neo4j", change_kind: bool = False
) -> str:
    """Create or rotate an organisation's key; the plain key is returned once, never stored.
    KeyRefused for an id no report could name (ORGANISATION_ID), or an organisation of the
    other kind unless `change_kind`."""
    return issue_key_of(driver, org_id, kind, database, change_kind)[0]


def issue_key_of(
    driver: Driver, org_id: str, kind: str, database: str = "neo4j", change_kind: bool = False
) -> tuple[str, str | None]:
    """issue_key, and the kind the organisation had before (None: it is new)."""
    # Whole: '$' also matches before a final newline, and 'org\n' was issued a key whose
    # reports (their id trimmed to 'org') were all refused as another organisation's.
    if not ORGANISATION_ID.fullmatch(org_id):
        raise KeyRefused(
            f"{org_id!r} is no organisation id: 1-128 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit (reports name it exactly so)"
        )
    key = f"ocsea_{secrets.token_urlsafe(32)}"
    records, _, _ = driver.execute_query(
        SET_KEY,
        org_id=org_id,
        kind=kind,
        key_hash=hash_key(key),
        change_kind=change_kind,
        database_=database,
    )
    before = records[0]["before"]
    if before is not None and before != kind and not change_kind:
        raise KeyRefused(
            f"{org_id} is registered as {before}; its key was left as it was (to change it "
            f"to {kind}, which locks it out of the {before} door, pass --change-kind)"
        )
    return key, before


async def organisation_for_key(
    driver: AsyncDriver, key: str, database: str = "neo4j"
) -> tuple[str, str] | None:
    """(organisation id, kind) for a valid key, else None."""
    records, _, _ = await driver.execute_query(
        FIND_BY_KEY, key_hash=hash_key(key), database_=database
    )
    return (records[0]["id"], records[0]["kind"]) if records else None
