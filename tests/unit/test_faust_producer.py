"""The Faust apps' producer settings (runtime.faustapp)."""

import pytest

from contracts import topics
from runtime import faustapp
from runtime.settings import Settings


def test_the_apps_send_batches_of_the_configured_size_and_large_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Faust's default batch (16 kB, ~4 triaged reports) made a batch of 200 reports ~50
    produce requests to one partition, each waiting for the one before."""
    settings = Settings(producer_batch_bytes=300_000)
    app = faustapp.create_app("test-producer", 6999, ["tests.unit"], settings)
    assert app.conf.producer_max_batch_size == 300_000
    # The default, whatever the environment of the test run says.
    monkeypatch.delenv("OCSEA_PRODUCER_BATCH_BYTES", raising=False)
    assert Settings().producer_batch_bytes == 512 * 1024
    assert app.conf.producer_max_request_size == topics.LARGE_RECORD_MAX_BYTES
