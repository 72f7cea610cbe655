"""`python -m streams worker ...`: provision, then hand the command line to Faust."""

from collections.abc import Callable

import faust
import mode.loop

from runtime.gcpause import observe_gc_pauses, tune_collector
from runtime.logs import configure_logging
from runtime.settings import get_settings
from streams.provision import provision


def run_worker(load_app: Callable[[], faust.App]) -> None:
    """Provision topics and graph schema, then run the app Faust's command line names."""
    configure_logging(get_settings().log_level)
    # uvloop's event loop costs the worker less CPU per message than asyncio's own.
    mode.loop.use("uvloop")
    provision()
    app = load_app()
    tune_collector()
    observe_gc_pauses()
    app.main()


def _streams_app() -> faust.App:
    from streams.app import app

    return app


if __name__ == "__main__":
    run_worker(_streams_app)
