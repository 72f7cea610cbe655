"""`python -m streams worker ...`: provision, then hand the command line to Faust."""

from runtime.logs import configure_logging
from runtime.settings import get_settings
from streams.provision import provision


def main() -> None:
    configure_logging(get_settings().log_level)
    provision()
    from streams.app import app

    app.main()


if __name__ == "__main__":
    main()
