"""One typed settings object, read from OCSEA_* environment variables."""

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OCSEA_", frozen=True)

    kafka_bootstrap: str = "127.0.0.1:9092"
    neo4j_uri: str = "bolt://127.0.0.1:7687"
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    api_host: str = "127.0.0.1"
    api_port: int = 8080
    # Faust app ids are the consumer groups. A test run uses groups of its own, so a
    # `make run` worker beside it never takes its messages.
    streams_app_id: str = "ocsea-streams"
    agents_app_id: str = "ocsea-agents"
    # Faust's web server (metrics); 0.0.0.0 inside containers.
    web_host: str = "127.0.0.1"
    streams_web_port: int = 6066
    agents_web_port: int = 6067
    topic_partitions: int = 4
    # How long Kafka waits for a worker or agents process that stopped answering (killed,
    # frozen) before its partitions go to the others in its group: Faust's 60 s by default.
    # Shorter moves work sooner after a crash; too short and a long GC pause or a busy
    # machine takes a live worker's partitions from it (heartbeats come every 3 s).
    kafka_session_timeout_s: float = 60.0
    log_level: str = "INFO"
    # Identifiers seen in more reports than this stop linking: a carrier NAT address or a
    # viral file would otherwise join every case into one.
    link_degree_cap: int = 50
    public_max_body_bytes: int = 64 * 1024
    public_rate_per_minute: int = 30
    # The proxies whose X-Forwarded-For the API believes (comma-separated addresses, or *):
    # behind a reverse proxy, the public door's limit counts each reporter's own address,
    # not the proxy's, which every reporter would share.
    forwarded_allow_ips: str = "127.0.0.1"
    # Bearer tokens: HS256 with this key, or an OIDC issuer's keys when oidc_jwks_url is set.
    # Unset, each install makes its own random key in jwt_secret_file (only its user may
    # read it): a default key written in the code let anyone who read the code sign an
    # administrator's token (api.security.tokens.signing_key).
    jwt_secret: str | None = None
    jwt_secret_file: str = ".run/jwt-secret"
    # The key behind victims' pseudonyms (runtime.pseudonyms), shared by the stream worker
    # (task targets) and the API (graph views): never changed once set, or every pseudonym
    # changes. Unset, the install's own key in pseudonym_key_file (as jwt_secret).
    pseudonym_key: str | None = None
    pseudonym_key_file: str = ".run/pseudonym-key"
    jwt_issuer: str = "ocsea-hub-local"
    jwt_audience: str = "ocsea-hub"
    oidc_jwks_url: str | None = None
    # SLA: how often agents look for unclaimed or overdue tasks, and how long a task may
    # stay unclaimed (as a share of its time to due) before it is escalated.
    sla_check_interval_s: float = 30.0
    # Stored on each task as claim_by when it is created or its due time changes: a new
    # value applies to those tasks, not to tasks already waiting.
    sla_unclaimed_share: float = 0.25
    # Reports the intake and the linker take at once. 400 (with two batches in flight) was
    # tried on 2026-11-30 and not kept: it linked no faster, and the p99 at 500/s offered
    # was worse (each report waits for a larger batch): docs/benchmarks.md.
    worker_batch_size: int = 200
    # Batches the linker works on at once. Linking is two transactions (graph.linking): one
    # batch's preparation runs while another's decision holds the decision lock. Measured
    # on 2 cores with the linker of 2026-11-27: 1 -> ~570, 2 -> ~650, 3 -> ~730, 4 -> ~670
    # reports/s.
    linker_concurrency: int = 3
    worker_batch_within_s: float = 0.05
    # The largest record batch the workers and agents send to one partition. aiokafka sends
    # a partition one batch at a time (in order), so at Faust's default (16 kB, ~4 triaged
    # reports) a batch of 200 reports went as ~50 produce requests, one after another's ack.
    # Under the default record limit of the smaller topics (1 MB) with room for the batch's
    # own header.
    producer_batch_bytes: int = 512 * 1024
    # Agency queues record receipts: a larger, slower batch is one transaction for many tasks
    # and costs Neo4j less per task. Receipts are not on the path from report to task event.
    agent_batch_size: int = 1000
    agent_batch_within_s: float = 0.5
    # Officer actions, SLA escalations and audit records stage their events in the graph
    # (graph.outbox); the agents publish them this often, up to a page per transaction.
    outbox_relay_interval_s: float = 0.2
    outbox_page_size: int = 500


@lru_cache
def get_settings() -> Settings:
    return Settings()
