"""The task queue's page cursor: opaque, URL-safe, and refused clearly when it is not one."""

import base64
from datetime import UTC, datetime, timedelta, timezone
from uuid import uuid4

import pytest

from api.errors import ApiError
from api.tasks import queue_cursor, queue_position
from graph.tasks import QueuePosition


@pytest.mark.parametrize(
    "due_at",
    [
        datetime(2026, 12, 1, 10, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 18, 0, 0, 123456, tzinfo=timezone(timedelta(hours=8))),
    ],
)
def test_a_cursor_names_the_position_it_was_made_from(due_at: datetime) -> None:
    position = QueuePosition("P2", due_at, str(uuid4()))
    cursor = queue_cursor(position)
    assert cursor.replace("-", "").replace("_", "").isalnum()  # nothing to escape in a URL
    assert queue_position(cursor) == position


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not base64!",
        queue_cursor(QueuePosition("P9", datetime.now(UTC), str(uuid4()))),  # no such priority
        queue_cursor(QueuePosition("P1", datetime.now(UTC), "not-a-uuid")),
        queue_cursor(QueuePosition("P1", datetime(2026, 12, 1), str(uuid4()))),  # no zone
        "UDF8MjAyNi0xMi0wMQ",  # 'P1|2026-12-01': a part missing
        # Times the graph cannot compare with were a 500 from the driver or Neo4j.
        *(
            base64.urlsafe_b64encode(f"P1|{due}|{uuid4()}".encode()).decode()
            for due in (
                "2026-01-01T00:00:00+23:00",
                "2026-01-01T00:00:00+05:30:15",
                "0001-01-01T00:00:00+14:00",
                "9999-12-31T23:59:59-14:00",
            )
        ),
    ],
)
def test_anything_else_is_refused_naming_the_parameter(cursor: str) -> None:
    with pytest.raises(ApiError) as caught:
        queue_position(cursor)
    (error,) = caught.value.errors
    assert (caught.value.status, error.code, error.field) == (400, "invalid_cursor", "after")
