"""`python -m api`: serve the HTTP API on the configured host and port."""

import uvicorn

from api.app import create_app
from runtime.settings import get_settings


def main() -> None:
    settings = get_settings()
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
