"""Apply the versioned migration files in order, once each: `python -m graph.migrate`."""

import re
import time
from pathlib import Path

from neo4j import Driver, Session
from neo4j.exceptions import TransientError

from graph.repairs import run_repairs
from runtime.logs import get_logger

MIGRATIONS = Path(__file__).parent / "migrations"
log = get_logger(__name__)


def migration_files() -> list[tuple[int, Path]]:
    files = []
    for path in sorted(MIGRATIONS.glob("*.cypher")):
        match = re.match(r"(\d+)_", path.name)
        if match:
            files.append((int(match.group(1)), path))
    return files


def statements(path: Path) -> list[str]:
    """Split a file on ';' line ends, dropping // comment lines."""
    lines = [ln for ln in path.read_text().splitlines() if not ln.strip().startswith("//")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def applied_versions(driver: Driver, database: str) -> set[int]:
    records, _, _ = driver.execute_query(
        "MATCH (m:SchemaMigration) RETURN m.version AS version", database_=database
    )
    return {r["version"] for r in records}


def apply_file(driver: Driver, path: Path, database: str = "neo4j") -> None:
    """Run one migration file's statements, whether or not it was applied before."""
    with driver.session(database=database) as session:
        for statement in statements(path):
            _run_retrying(session, statement)


def _run_retrying(session: Session, statement: str, attempts: int = 5) -> None:
    """Auto-commit: schema commands need their own transactions, and data repairs batch
    themselves with CALL { ... } IN TRANSACTIONS on a large graph. So no managed transaction
    retries a deadlock with a running worker: this does. Statements are written to be run
    again (IF NOT EXISTS, repairs that recompute)."""
    for attempt in range(1, attempts + 1):
        try:
            session.run(statement).consume()
            return
        except TransientError as exc:
            if attempt == attempts:
                raise
            log.warning("migration_statement_retrying", error=exc.code, attempt=attempt)
            time.sleep(0.5 * attempt)


def migrate(driver: Driver, database: str = "neo4j") -> list[int]:
    """Apply pending migrations; return the versions applied now."""
    done = applied_versions(driver, database)
    applied = []
    for version, path in migration_files():
        if version in done:
            continue
        apply_file(driver, path, database)
        driver.execute_query(
            "MERGE (m:SchemaMigration {version: $version}) "
            "SET m.name = $name, m.applied_at = datetime()",
            version=version,
            name=path.name,
            database_=database,
        )
        log.info("migration_applied", version=version, name=path.name)
        applied.append(version)
    # Repairs of data Cypher cannot compute (graph.repairs), once the schema they need is in.
    for name in run_repairs(driver, database):
        log.info("data_repair_applied", name=name)
    return applied


def main() -> None:
    from neo4j import GraphDatabase

    from runtime.logs import configure_logging
    from runtime.settings import get_settings

    settings = get_settings()
    configure_logging(settings.log_level)
    auth = (settings.neo4j_user, settings.neo4j_password) if settings.neo4j_password else None
    with GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        applied = migrate(driver, settings.neo4j_database)
    print(f"migrations applied: {applied or 'none pending'}")


if __name__ == "__main__":
    main()
