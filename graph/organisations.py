"""Organisations (platforms, NGOs) and their hashed API keys."""

import hashlib
import secrets

from neo4j import AsyncDriver, Driver

FIND_BY_KEY = """
MATCH (o:Organisation {api_key_sha256: $key_hash})
RETURN o.id AS id, o.kind AS kind
"""
SET_KEY = """
MERGE (o:Organisation {id: $org_id})
SET o.kind = $kind, o.api_key_sha256 = $key_hash, o.key_issued_at = datetime()
"""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_key(driver: Driver, org_id: str, kind: str, database: str = "neo4j") -> str:
    """Create or rotate an organisation's key; the plain key is returned once, never stored."""
    key = f"ocsea_{secrets.token_urlsafe(32)}"
    driver.execute_query(
        SET_KEY, org_id=org_id, kind=kind, key_hash=hash_key(key), database_=database
    )
    return key


async def organisation_for_key(
    driver: AsyncDriver, key: str, database: str = "neo4j"
) -> tuple[str, str] | None:
    """(organisation id, kind) for a valid key, else None."""
    records, _, _ = await driver.execute_query(
        FIND_BY_KEY, key_hash=hash_key(key), database_=database
    )
    return (records[0]["id"], records[0]["kind"]) if records else None
