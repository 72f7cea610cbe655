"""`python -m api`: serve the HTTP API on the configured host and port."""

import logging

import uvicorn

from api.app import create_app
from runtime.settings import get_settings


class WithoutExceptionText(logging.Filter):
    """A record's exception named by its type only: no message, no traceback.

    Starlette raises an unhandled exception again after the API has answered it (500
    internal_error, logged by type and route), and uvicorn then logs "Exception in ASGI
    application" with the traceback, whose last line is the exception's message: a driver's
    or a validator's message may quote the values it was given (a searched phone number)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            name = record.exc_info[0].__name__
            record.msg, record.args = f"{record.getMessage().strip()} ({name})", None
            record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.asgi")


def keep_values_out_of_server_logs() -> None:
    for name in SERVER_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, WithoutExceptionText) for f in logger.filters):
            logger.addFilter(WithoutExceptionText())


def main() -> None:
    settings = get_settings()
    keep_values_out_of_server_logs()
    # No access log: a line per request carried the caller's address and the query string,
    # which holds searched phones, usernames and e-mails (personal data stays out of logs).
    uvicorn.run(
        create_app(settings),
        host=settings.api_host,
        port=settings.api_port,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
    )


if __name__ == "__main__":
    main()
