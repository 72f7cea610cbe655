"""`python -m agents worker ...`: the agency agents (topics and schema are provisioned first)."""

from runtime.logs import configure_logging
from runtime.settings import get_settings
from streams.provision import provision


def main() -> None:
    configure_logging(get_settings().log_level)
    provision()
    from agents.app import app

    app.main()


if __name__ == "__main__":
    main()
