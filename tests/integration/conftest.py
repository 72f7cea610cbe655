"""Integration fixtures: the real Neo4j and Kafka that `make services-up` started.

Nothing is started here: if the services are not up, the tests fail and say how to start them.
"""

from collections.abc import AsyncIterator, Iterator

import pytest
from kafka.errors import KafkaError
from neo4j import AsyncDriver, Driver
from neo4j.exceptions import ServiceUnavailable

from graph.driver import async_driver, sync_driver
from graph.migrate import migrate
from runtime.settings import Settings, get_settings
from streams.provision import create_topics


@pytest.fixture(scope="session")
def settings() -> Settings:
    return get_settings()


@pytest.fixture(scope="session", autouse=True)
def topics(settings: Settings) -> None:
    """The system's topics, made as provisioning makes them (as `migrate` makes the graph's
    schema below): on a fresh Kafka, the tests that read a topic the system had not made yet
    failed ('topic ocsea.tasks.lifecycle.v1 does not exist') when this tier ran before the
    e2e tier, whose system provisions them, as `make test-integration` runs it."""
    try:
        create_topics(settings)
    except KafkaError as exc:
        pytest.fail(
            f"Kafka is not answering at {settings.kafka_bootstrap}: run `make services-up` "
            f"({type(exc).__name__}: {exc})"
        )


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
