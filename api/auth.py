"""Organisation API keys for platforms and NGOs (sent as X-API-Key, stored hashed)."""

import time

from fastapi import Request

from api.errors import ApiError
from graph.organisations import organisation_for_key

_CACHE_SECONDS = 60.0


class OrganisationKeys:
    """Looks keys up in the graph, caching hits briefly so intake does not query per request."""

    def __init__(self, driver, database: str):
        self._driver = driver
        self._database = database
        self._cache: dict[str, tuple[float, tuple[str, str]]] = {}

    async def organisation(self, request: Request, kind: str | None = None) -> str:
        """The calling organisation's id; 401 without a valid key, 403 for the wrong kind."""
        key = request.headers.get("x-api-key", "")
        if not key:
            raise ApiError(
                401, "missing_api_key", "send the organisation's key as X-API-Key", "X-API-Key"
            )
        cached = self._cache.get(key)
        if cached and cached[0] > time.monotonic():
            org = cached[1]
        else:
            found = await organisation_for_key(self._driver, key, self._database)
            if found is None:
                raise ApiError(401, "invalid_api_key", "the API key is not valid", "X-API-Key")
            org = found
            self._cache[key] = (time.monotonic() + _CACHE_SECONDS, org)
        if kind is not None and org[1] != kind:
            raise ApiError(
                403,
                "wrong_organisation_kind",
                f"this door is for {kind} organisations",
                "X-API-Key",
            )
        return org[0]
