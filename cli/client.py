"""A small HTTP client for the ocsea-hub API (standard library only)."""

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException
from typing import Any

# What a command-line user does about a refusal whose message speaks of HTTP headers.
HINTS = {
    "purpose_required": 'pass --purpose "why you need this"',
    "missing_token": "set OCSEA_TOKEN (e.g. OCSEA_TOKEN=$(ocsea token --sub ... --role ...))",
    "invalid_token": "mint a new token and set OCSEA_TOKEN",
    "token_expired": "mint a new token and set OCSEA_TOKEN",
}


class ApiFailure(Exception):
    """The API answered with an error; carries its field errors."""

    def __init__(self, status: int, errors: list[dict[str, str]]):
        lines = [
            f"{e.get('code')}: {e.get('message')}"
            + (f" ({e['field']})" if e.get("field") else "")
            + (f": {HINTS[str(e.get('code'))]}" if e.get("code") in HINTS else "")
            for e in errors
        ]
        super().__init__(f"HTTP {status}: " + "; ".join(lines))
        self.status = status


class Unreachable(Exception):
    """The API did not answer: not running there, refused, or timed out."""


class Client:
    def __init__(
        self, base_url: str | None = None, token: str | None = None, purpose: str | None = None
    ):
        self.base_url = (
            base_url or os.environ.get("OCSEA_API_URL", "http://127.0.0.1:8080")
        ).rstrip("/")
        # A final newline from a file the token was kept in is no part of it.
        self.token = (token or os.environ.get("OCSEA_TOKEN", "")).strip()
        self.purpose = purpose

    def get(self, path: str, **params: Any) -> Any:
        query = urllib.parse.urlencode(
            {k: v for k, v in params.items() if v is not None}, doseq=True
        )
        return self._send("GET", f"{path}?{query}" if query else path)

    def post(self, path: str, body: Any = None) -> Any:
        return self._send("POST", path, body)

    def _send(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if self.purpose:
            headers["X-Purpose"] = self.purpose
        data = None
        if body is not None or method == "POST":
            data = json.dumps(body or {}).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(
            self.base_url + path, data=data, method=method, headers=headers
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                body = response.read()
        except urllib.error.HTTPError as err:
            try:
                errors = json.loads(err.read()).get("errors", [])
            except ValueError:
                errors = [{"code": "http_error", "message": err.reason}]
            raise ApiFailure(err.code, errors) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, HTTPException) as err:
            # Its traceback was all an officer saw when the API was down or the URL wrong.
            why = err.reason if isinstance(err, urllib.error.URLError) else err
            raise Unreachable(f"cannot reach the API at {self.base_url} ({why})") from None
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if answer is None:
            # Another server on that address (Neo4j's port answers 200 with no body, a page
            # answers HTML): its traceback was all the officer saw.
            raise Unreachable(f"{self.base_url} answered, but not as the ocsea-hub API")
        return answer
