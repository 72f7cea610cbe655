"""The Faust app of the agency agents: its own consumer group, apart from the central streams.

Run it with `python -m agents worker`.
"""

from runtime import faustapp
from runtime.logs import configure_logging
from runtime.settings import get_settings

settings = get_settings()
configure_logging(settings.log_level)
app = faustapp.create_app(
    settings.agents_app_id,
    settings.agents_web_port,
    [
        "agents.mcmc",
        "agents.pdrm",
        "agents.kpwkm",
        "agents.lifecycle",
        "agents.sla",
        "agents.outbox",
    ],
    settings,
)
