"""`python -m agents worker ...`: the agency agents (topics and schema are provisioned first)."""

import faust

from streams.__main__ import run_worker


def _agents_app() -> faust.App:
    from agents.app import app

    return app


if __name__ == "__main__":
    run_worker(_agents_app)
