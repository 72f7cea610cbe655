"""Versioned event contract of ocsea-hub: frozen pydantic models, topics and JSON Schemas."""
