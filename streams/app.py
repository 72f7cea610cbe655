"""The Faust app of the central stream processors: intake and triage, then case linking.

Run it with `python -m streams worker` (provisions topics and graph schema first).
"""

from collections.abc import Sequence

import faust

from contracts.envelope import Outgoing
from runtime import faustapp
from runtime.deadletter import Origin
from runtime.logs import configure_logging
from runtime.settings import get_settings

settings = get_settings()
configure_logging(settings.log_level)
app = faustapp.create_app(
    settings.streams_app_id,
    settings.streams_web_port,
    ["streams.intake", "streams.linker"],
    settings,
)


def raw_topic(*names: str) -> faust.TopicT:
    return faustapp.raw_topic(app, *names)


async def send_events(items: Outgoing, origins: Sequence[Origin | None] | None = None) -> set[str]:
    return await faustapp.send_events(app, items, origins)
