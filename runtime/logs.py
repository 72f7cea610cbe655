"""structlog JSON logs; the correlation id rides along on every line via contextvars."""

import logging
import sys

import structlog


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stderr; call once per process."""
    logging.basicConfig(format="%(message)s", stream=sys.stderr, level=level.upper())
    # Client libraries log every connection at INFO; keep their warnings only.
    for noisy in ("kafka", "aiokafka", "neo4j"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


def bind_correlation(correlation_id: object) -> None:
    """Attach the correlation id to every log line until cleared."""
    structlog.contextvars.clear_contextvars()
    structlog.contextvars.bind_contextvars(correlation_id=str(correlation_id))


get_logger = structlog.get_logger
