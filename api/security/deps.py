"""FastAPI dependency: `Depends(require(Permission.X))` yields the caller's Principal."""

from collections.abc import Awaitable, Callable

from fastapi import Request
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError
from api.security.permissions import Permission, allowed
from api.security.principal import Principal
from api.security.tokens import TokenVerifier


def _verifier(request: Request) -> TokenVerifier:
    """The app's verifier, created once from its settings (JWKS keys are cached in it)."""
    state = request.app.state
    verifier = getattr(state, "token_verifier", None)
    if verifier is None:
        verifier = TokenVerifier(state.settings)
        state.token_verifier = verifier
    return verifier


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ApiError(
            401, "missing_token", "send a bearer token as Authorization", field="Authorization"
        )
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401, "invalid_token", "Authorization must be 'Bearer <token>'", field="Authorization"
        )
    return token.strip()


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency that authenticates the caller and checks one permission (no agency scope)."""

    async def dependency(request: Request) -> Principal:
        token = _bearer(request)
        verifier = _verifier(request)
        # Fetching an OIDC issuer's keys is blocking HTTP: keep it off the event loop.
        if verifier.remote:
            principal = await run_in_threadpool(verifier.verify, token)
        else:
            principal = verifier.verify(token)
        if not allowed(principal, permission):
            raise ApiError(403, "forbidden", f"role {principal.role} may not {permission}")
        return principal

    return dependency
