"""The API's server: behind the proxies an operator lists, each reporter's own address
counts for the public door's limit, not the proxy's, which every reporter would share."""

from typing import Any

import pytest

import api.__main__ as server
from runtime.settings import Settings


def test_the_server_believes_forwarded_addresses_from_the_listed_proxies_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ran: dict[str, Any] = {}
    monkeypatch.setattr(server, "get_settings", lambda: Settings(forwarded_allow_ips="10.0.0.7"))
    monkeypatch.setattr(server, "create_app", lambda settings: "app")
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: ran.update(kw, app=app))
    server.main()
    assert ran["app"] == "app"
    assert (ran["proxy_headers"], ran["forwarded_allow_ips"]) == (True, "10.0.0.7")
    assert ran["access_log"] is False  # addresses and searched values stay out of logs


def test_an_unhandled_exception_reaches_the_servers_log_by_its_type_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The API answered 500 internal_error without the message, and uvicorn then logged the
    traceback, ending "RuntimeError: ... key = 'phone:+60123456789'" (a helper's review)."""
    import io
    import logging

    monkeypatch.setattr(server, "get_settings", lambda: Settings())
    monkeypatch.setattr(server, "create_app", lambda settings: "app")
    monkeypatch.setattr(server.uvicorn, "run", lambda app, **kw: None)
    server.main()
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    logger = logging.getLogger("uvicorn.error")
    logger.addHandler(handler)
    try:
        try:
            raise RuntimeError("Property values ... key = 'phone:+60123456789'")
        except RuntimeError:
            logger.exception("Exception in ASGI application\n")
    finally:
        logger.removeHandler(handler)
    assert out.getvalue() == "Exception in ASGI application (RuntimeError)\n"
