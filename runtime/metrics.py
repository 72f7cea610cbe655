"""Prometheus metrics; labels carry only closed vocabularies, never personal data."""

from prometheus_client import Counter, Gauge, Histogram

REPORTS_ACCEPTED = Counter(
    "ocsea_reports_accepted_total", "Reports accepted at a door", ["channel", "door"]
)
REPORTS_REJECTED = Counter(
    "ocsea_reports_rejected_total", "Submissions refused with field errors", ["channel", "code"]
)
DEAD_LETTERS = Counter(
    "ocsea_dead_letters_total", "Messages sent to the dead-letter topic", ["source"]
)
SUBMITTED_NOT_KEPT = Counter(
    "ocsea_submitted_not_kept_total",
    "Reports too large to carry whole to the graph: linked from their derived facts only",
)
SEND_RETRIES = Counter(
    "ocsea_send_retries_total",
    "Event sends that failed and were tried again (runtime.faustapp.send_events)",
)
EVENTS_PROCESSED = Counter("ocsea_events_processed_total", "Events handled by a stage", ["stage"])
CASES_OPENED = Counter("ocsea_cases_opened_total", "Cases opened")
CASES_MERGED = Counter("ocsea_cases_merged_total", "Case merges")
TASKS_ASSIGNED = Counter("ocsea_tasks_assigned_total", "Tasks assigned", ["agency", "task_type"])
TASKS_RECEIVED = Counter(
    "ocsea_tasks_received_total", "Tasks received by agency agents", ["agency"]
)
STAGE_SECONDS = Histogram("ocsea_stage_seconds", "Time spent per batch in a stage", ["stage"])
# A collection walks every tracked object of its generations: in the stream worker a young
# one took ~60 ms under load (runtime.gcpause, README).
GC_PAUSE_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)
GC_PAUSE = Histogram(
    "ocsea_gc_pause_seconds",
    "Time the process stood still in Python's garbage collector, by generation (0-2)",
    ["generation"],
    buckets=GC_PAUSE_BUCKETS,
)
# Which transactions lose deadlocks (graph.driver.counting_retries); `work` is a fixed name.
SLA_ESCALATION_FAILURES = Counter(
    "ocsea_sla_escalation_failures_total",
    "Tasks the SLA check could not escalate, alone in their transaction (agents.sla): each is "
    "tried again every pass and logged as sla_escalation_failed; alert on any",
)
# The serial part of linking: every worker's decisions take one lock in turn
# (graph.linking). Its share of wall time is how near the lock is to bounding the rate.
DECISION_LOCK_HELD = Counter(
    "ocsea_decision_lock_held_seconds",
    "Seconds this worker's decisions held the linker's decision lock, from the decision's "
    "read answering to its commit",
)
GRAPH_RETRIES = Counter(
    "ocsea_graph_retries_total",
    "Graph write transactions the driver ran again (a deadlock or a connection lost), by work",
    ["work"],
)
TASKS_COMPLETED = Counter(
    "ocsea_tasks_completed_total",
    "Tasks completed, by agency and outcome code",
    ["agency", "outcome"],
)
TASKS_DECLINED = Counter("ocsea_tasks_declined_total", "Tasks declined", ["agency"])
TASKS_ESCALATED = Counter(
    "ocsea_tasks_escalated_total",
    "Tasks escalated, by agency and reason: unclaimed, overdue (SLA) or officer",
    ["agency", "reason"],
)
# Takedowns are measured in minutes to days; the top bucket is a week.
TIME_TO_REMOVAL = Histogram(
    "ocsea_time_to_removal_seconds",
    "From MCMC task creation to the platform removing the content (a known platform, or other)",
    ["platform"],
    buckets=(300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400),
)
TIME_TO_CLAIM = Histogram(
    "ocsea_time_to_claim_seconds",
    "From task assignment to an officer claiming it",
    ["agency"],
    buckets=(60, 300, 900, 1800, 3600, 4 * 3600, 12 * 3600, 86400, 3 * 86400, 7 * 86400),
)
# The outbox (graph.outbox): what the relay has published, what still waits (it grows while
# Kafka or the relay is down) and how long the oldest has waited: alert on the age, which
# also catches an event the relay keeps failing to send and everything queued behind it.
OUTBOX_RELAYED = Counter(
    "ocsea_outbox_relayed_total", "Events published from the graph's outbox by the relay"
)
OUTBOX_PENDING = Gauge(
    "ocsea_outbox_pending", "Events staged in the graph's outbox, not yet published"
)
OUTBOX_OLDEST_AGE = Gauge(
    "ocsea_outbox_oldest_age_seconds",
    "How long the oldest event in the graph's outbox has waited (0 when none waits)",
)
# An event Kafka refused that no dead letter could hold (too large, withheld as possible
# media, or refused by the dead-letter topic too): kept in the graph as OutboxRefused.
OUTBOX_SET_ASIDE = Counter(
    "ocsea_outbox_set_aside_total",
    "Outbox events Kafka refused that no dead letter held: kept as OutboxRefused nodes",
)
