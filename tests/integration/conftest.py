"""Integration fixtures: the real Neo4j and Kafka that `make services-up` started.

Nothing is started here: if the services are not up, the tests fail and say how to start them.
"""

from collections.abc import AsyncIterator, Iterator

import pytest
from neo4j import AsyncDriver, Driver
from neo4j.exceptions import ServiceUnavailable

from graph.driver import async_driver, sync_driver
from graph.migrate import migrate
from runtime.settings import Settings, get_settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session")
def neo4j_sync(settings: Settings) -> Iterator[Driver]:
    driver = sync_driver(settings)
    try:
        driver.verify_connectivity()
    except ServiceUnavailable as exc:
        pytest.fail(
            f"Neo4j is not answering at {settings.neo4j_uri}: run `make services-up` ({exc})"
        )
    migrate(driver, settings.neo4j_database)
    yield driver
    driver.close()


@pytest.fixture
async def neo4j(neo4j_sync: Driver, settings: Settings) -> AsyncIterator[AsyncDriver]:
    driver = async_driver(settings)
    yield driver
    await driver.close()
