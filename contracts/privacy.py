"""Pseudonymous references: how readers without need-to-know refer to a victim."""

import hashlib


def victim_pseudonym(ref: str) -> str:
    """A stable reference that does not reveal the reporter's own victim reference."""
    return "victim-" + hashlib.sha256(f"ocsea-victim:{ref}".encode()).hexdigest()[:12]
