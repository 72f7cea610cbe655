"""Neo4j driver construction from settings.

Server notices (e.g. a property not yet in the schema) are off: they would flood the logs
of a fresh graph.
"""

from functools import lru_cache

from neo4j import AsyncDriver, AsyncGraphDatabase, Driver, GraphDatabase

from runtime.settings import Settings, get_settings


def _auth(settings: Settings) -> tuple[str, str] | None:
    return (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None


def sync_driver(settings: Settings) -> Driver:
    return GraphDatabase.driver(
        settings.neo4j_uri, auth=_auth(settings), notifications_min_severity="OFF"
    )


def async_driver(settings: Settings) -> AsyncDriver:
    return AsyncGraphDatabase.driver(
        settings.neo4j_uri, auth=_auth(settings), notifications_min_severity="OFF"
    )


@lru_cache(maxsize=1)
def shared_async_driver() -> AsyncDriver:
    """The process's one async driver: one connection pool for all its agents."""
    return async_driver(get_settings())
