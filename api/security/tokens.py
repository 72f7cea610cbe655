"""Bearer tokens: mint locally (HS256) and verify either locally or with an OIDC issuer's keys."""

import time
from typing import Any

import jwt

from api.errors import ApiError
from api.security.principal import Principal, Role
from contracts.enums import Agency
from contracts.lifecycle import is_system_name
from runtime.secrets import configured_or_install_secret
from runtime.settings import Settings

LOCAL_ALGORITHM = "HS256"
# Asymmetric only in OIDC mode: accepting HS256 there would let anyone who knows the public
# key forge tokens (algorithm confusion).
OIDC_ALGORITHMS = ["RS256", "ES256"]
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud"]
PEOPLE = frozenset({Role.OFFICER, Role.CASEWORKER, Role.ANALYST, Role.ADMIN})
# A few seconds of clock skew between us and an external issuer.
LEEWAY_S = 10
# A token lives for a working shift at most: one leaked, or minted for a person who has
# since left, stops working within the day (there is no revocation list yet).
MAX_LIFETIME_S = 12 * 3600


def signing_key(settings: Settings) -> str:
    """The HS256 key: OCSEA_JWT_SECRET, or this install's own (runtime.secrets)."""
    return configured_or_install_secret(
        settings.jwt_secret, settings.jwt_secret_file, "OCSEA_JWT_SECRET"
    )


def check_shape(role: Role, agency: Agency | None, organisation_id: str | None) -> str | None:
    """Why this role/agency/organisation combination is not a valid principal, or None."""
    if role in PEOPLE and agency is None:
        return f"role {role} needs an agency"
    if role not in PEOPLE and agency is not None:
        return f"role {role} belongs to an organisation, not an agency"
    if role not in PEOPLE and not organisation_id:
        return f"role {role} needs an organisation id"
    return None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def mint_token(
    subject: str,
    role: Role,
    agency: Agency | None,
    settings: Settings,
    ttl_s: int = 3600,
    organisation_id: str | None = None,
) -> str:
    """A signed HS256 token for local development and tests."""
    if ttl_s > MAX_LIFETIME_S:
        raise ValueError(f"a token may live {MAX_LIFETIME_S} s at most")
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": subject,
        "iat": now,
        "exp": now + ttl_s,
        "role": str(role),
    }
    if agency is not None:
        claims["agency"] = str(agency)
    if organisation_id is not None:
        claims["org"] = organisation_id
    return jwt.encode(claims, signing_key(settings), algorithm=LOCAL_ALGORITHM)


def _invalid(message: str) -> ApiError:
    return ApiError(401, "invalid_token", message, field="Authorization")


class TokenVerifier:
    """Turns a bearer token into a Principal, or raises a 401 ApiError."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._jwks = jwt.PyJWKClient(settings.oidc_jwks_url) if settings.oidc_jwks_url else None
        # Resolved once: finding the install's key file is file-system work, not per request.
        self._local_key = None if self._jwks else signing_key(settings)

    @property
    def remote(self) -> bool:
        """True when keys come from an OIDC issuer (verification may do network I/O)."""
        return self._jwks is not None

    def verify(self, token: str) -> Principal:
        """The token's principal; 401 token_expired or invalid_token on any failure."""
        try:
            claims = self._decode(token)
        except jwt.ExpiredSignatureError as exc:
            raise ApiError(
                401, "token_expired", "the token has expired", field="Authorization"
            ) from exc
        except jwt.PyJWKClientConnectionError as exc:
            # The issuer's keys could not be fetched: its outage, not the caller's token
            # (answered 401 invalid_token, with the fetch's error and the issuer's address).
            message = "the identity provider's signing keys cannot be read now; try again shortly"
            raise ApiError(
                503, "token_keys_unavailable", message, field="Authorization",
                headers={"Retry-After": "5"},
            ) from exc  # fmt: skip
        except jwt.PyJWTError as exc:
            # The library's reason is safe (no token contents) and helps integrators.
            raise _invalid(f"the token is not valid: {exc}") from exc
        return self._principal(claims)

    def _decode(self, token: str) -> dict[str, Any]:
        if self._jwks is not None:
            key: Any = self._jwks.get_signing_key_from_jwt(token).key
            algorithms = OIDC_ALGORITHMS
        else:
            key, algorithms = self._local_key, [LOCAL_ALGORITHM]
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=self._settings.jwt_audience,
            issuer=self._settings.jwt_issuer,
            leeway=LEEWAY_S,
            options={"require": REQUIRED_CLAIMS},
        )
        # Numbers, as RFC 7519 has them: PyJWT reads "1764660000" (text) as a time too, and
        # the subtraction below raised a TypeError, answered 500.
        if not all(_is_number(claims[name]) for name in ("exp", "iat")):
            raise jwt.InvalidTokenError("'exp' and 'iat' must be numbers (seconds since 1970)")
        lifetime = claims["exp"] - claims["iat"]
        if lifetime > MAX_LIFETIME_S:
            raise jwt.InvalidTokenError(f"a token may live {MAX_LIFETIME_S} s at most")
        return claims

    @staticmethod
    def _principal(claims: dict[str, Any]) -> Principal:
        subject, role_claim, agency_claim = claims["sub"], claims.get("role"), claims.get("agency")
        org = claims.get("org")
        if not isinstance(subject, str) or not subject.strip():
            raise _invalid("the token has no subject")
        # A person acting under the system's name read as the system on a case's timeline,
        # and an officer's escalation was counted as none (agents.lifecycle).
        if is_system_name(subject):
            raise _invalid(f"the subject {subject!r} is the system's own name, no person's")
        # Claims are whatever the issuer wrote: a list or an object ('role': ['officer'], from
        # a multi-valued attribute) cannot be looked up in a set, and raised a 500.
        if not isinstance(role_claim, str) or role_claim not in set(Role):
            raise _invalid(f"unknown role {role_claim!r}")
        if agency_claim is not None and (
            not isinstance(agency_claim, str) or agency_claim not in set(Agency)
        ):
            raise _invalid(f"unknown agency {agency_claim!r}")
        if org is not None and not isinstance(org, str):
            raise _invalid("the org claim must be a string")
        role = Role(role_claim)
        agency = Agency(agency_claim) if agency_claim is not None else None
        problem = check_shape(role, agency, org)
        if problem:
            raise _invalid(problem)
        return Principal(subject=subject, role=role, agency=agency, organisation_id=org)
