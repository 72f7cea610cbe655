"""Bearer tokens: local HS256 round trip, every refusal, OIDC keys from a JWKS, and require()."""

import json
import stat
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Annotated, Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import Depends, FastAPI

from api.errors import ApiError, api_error_handler
from api.security.deps import require
from api.security.permissions import Permission
from api.security.principal import Principal, Role
from api.security.tokens import MAX_LIFETIME_S, TokenVerifier, mint_token, signing_key
from contracts.enums import Agency
from runtime.settings import Settings

SECRET = "unit-test-secret-that-is-long-enough-for-hs256"
LOCAL = Settings(jwt_secret=SECRET, jwt_issuer="ocsea-test", jwt_audience="ocsea-hub-test")


def claims(**override: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {
        "iss": LOCAL.jwt_issuer,
        "aud": LOCAL.jwt_audience,
        "sub": "subj-1",
        "iat": now,
        "exp": now + 600,
        "role": "officer",
        "agency": "PDRM",
    }
    return {k: v for k, v in {**base, **override}.items() if v is not None}


def refused(settings: Settings, token: str) -> str:
    with pytest.raises(ApiError) as caught:
        TokenVerifier(settings).verify(token)
    assert caught.value.status == 401
    assert caught.value.errors[0].field == "Authorization"
    return caught.value.errors[0].code


def test_mint_then_verify_round_trip() -> None:
    token = mint_token("subj-1", Role.OFFICER, Agency.PDRM, LOCAL)
    assert TokenVerifier(LOCAL).verify(token) == Principal("subj-1", Role.OFFICER, Agency.PDRM)
    raw = jwt.decode(token, options={"verify_signature": False})
    assert raw["role"] == "officer" and raw["agency"] == "PDRM" and raw["exp"] > raw["iat"]


def test_platform_token_carries_its_organisation() -> None:
    token = mint_token("bot-1", Role.PLATFORM, None, LOCAL, organisation_id="org-9")
    assert TokenVerifier(LOCAL).verify(token) == Principal("bot-1", Role.PLATFORM, None, "org-9")


def test_expired_token_is_token_expired() -> None:
    token = mint_token("subj-1", Role.ANALYST, Agency.MCMC, LOCAL, ttl_s=-120)
    assert refused(LOCAL, token) == "token_expired"


@pytest.mark.parametrize(
    "token",
    [
        pytest.param(
            jwt.encode(claims(), "some-other-secret-of-enough-length!!", "HS256"),
            id="wrong-signature",
        ),
        pytest.param(jwt.encode(claims(aud="someone-else"), SECRET, "HS256"), id="wrong-audience"),
        pytest.param(jwt.encode(claims(iss="evil-issuer"), SECRET, "HS256"), id="wrong-issuer"),
        pytest.param("not.a.jwt", id="garbage"),
        pytest.param("", id="empty"),
        pytest.param(jwt.encode(claims(role="superuser"), SECRET, "HS256"), id="unknown-role"),
        pytest.param(jwt.encode(claims(agency="FBI"), SECRET, "HS256"), id="unknown-agency"),
        # An issuer's multi-valued attribute: a list or an object raised a TypeError (a 500).
        pytest.param(jwt.encode(claims(role=["officer"]), SECRET, "HS256"), id="role-a-list"),
        pytest.param(jwt.encode(claims(role={}), SECRET, "HS256"), id="role-an-object"),
        pytest.param(jwt.encode(claims(agency=["PDRM"]), SECRET, "HS256"), id="agency-a-list"),
        pytest.param(jwt.encode(claims(agency=None), SECRET, "HS256"), id="officer-without-agency"),
        pytest.param(
            jwt.encode(claims(role="platform"), SECRET, "HS256"), id="platform-with-agency"
        ),
        pytest.param(jwt.encode(claims(sub=None), SECRET, "HS256"), id="no-subject"),
        pytest.param(jwt.encode(claims(exp=None), SECRET, "HS256"), id="no-expiry"),
        # Times as text, which PyJWT reads as times: the lifetime check raised a TypeError (500).
        pytest.param(
            jwt.encode(claims(exp=str(int(time.time()) + 600)), SECRET, "HS256"), id="exp-text"
        ),
        pytest.param(jwt.encode(claims(iat=str(int(time.time()))), SECRET, "HS256"), id="iat-text"),
        # The system's own name: a person acting under it read as the SLA check on a timeline.
        pytest.param(jwt.encode(claims(sub="system"), SECRET, "HS256"), id="sub-system"),
        pytest.param(jwt.encode(claims(sub=" System"), SECRET, "HS256"), id="sub-system-cased"),
        # alg "none" takes no key, which PyJWT's types do not allow for.
        pytest.param(
            jwt.encode(claims(), None, "none"),  # type: ignore[arg-type]
            id="unsigned-alg-none",
        ),
    ],
)
def test_bad_tokens_are_invalid_token(token: str) -> None:
    assert refused(LOCAL, token) == "invalid_token"


# --- OIDC: keys from a JWKS served on 127.0.0.1 -------------------------------------------

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP256R1())


def _jwks() -> bytes:
    rsa_jwk = jwt.algorithms.RSAAlgorithm.to_jwk(RSA_KEY.public_key(), as_dict=True)
    ec_jwk = jwt.algorithms.ECAlgorithm.to_jwk(EC_KEY.public_key(), as_dict=True)
    keys = [{**rsa_jwk, "kid": "rsa-1", "alg": "RS256", "use": "sig"}]
    keys.append({**ec_jwk, "kid": "ec-1", "alg": "ES256", "use": "sig"})
    return json.dumps({"keys": keys}).encode()


class _JwksHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = _jwks()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass


@pytest.fixture(scope="module")
def oidc() -> Iterator[Settings]:
    server = HTTPServer(("127.0.0.1", 0), _JwksHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}/certs"
    yield Settings(
        oidc_jwks_url=url, jwt_issuer="https://idp.test/realms/ocsea", jwt_audience="ocsea-hub"
    )
    server.shutdown()
    server.server_close()


def oidc_claims(settings: Settings, **override: Any) -> dict[str, Any]:
    return claims(iss=settings.jwt_issuer, aud=settings.jwt_audience, **override)


def test_oidc_rs256_token_verifies_with_the_jwks_key(oidc: Settings) -> None:
    token = jwt.encode(
        oidc_claims(oidc, role="caseworker", agency="KPWKM"),
        RSA_KEY,
        "RS256",
        headers={"kid": "rsa-1"},
    )
    assert TokenVerifier(oidc).verify(token) == Principal("subj-1", Role.CASEWORKER, Agency.KPWKM)


def test_oidc_es256_token_verifies_with_the_jwks_key(oidc: Settings) -> None:
    token = jwt.encode(oidc_claims(oidc), EC_KEY, "ES256", headers={"kid": "ec-1"})
    assert TokenVerifier(oidc).verify(token).agency is Agency.PDRM


def test_oidc_mode_refuses_hs256_tokens(oidc: Settings) -> None:
    # Even signed with the local secret and the right claims: in OIDC mode only the IdP signs.
    local = Settings(jwt_issuer=oidc.jwt_issuer, jwt_audience=oidc.jwt_audience)
    token = mint_token("subj-1", Role.OFFICER, Agency.PDRM, local)
    assert refused(oidc, token) == "invalid_token"
    forged = jwt.encode(oidc_claims(oidc), "x" * 40, "HS256", headers={"kid": "rsa-1"})
    assert refused(oidc, forged) == "invalid_token"


def test_oidc_mode_refuses_a_key_not_in_the_jwks(oidc: Settings) -> None:
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(oidc_claims(oidc), stranger, "RS256", headers={"kid": "rsa-1"})
    assert refused(oidc, token) == "invalid_token"
    unknown_kid = jwt.encode(oidc_claims(oidc), RSA_KEY, "RS256", headers={"kid": "nope"})
    assert refused(oidc, unknown_kid) == "invalid_token"


def test_oidc_keys_that_cannot_be_fetched_are_a_503_not_the_callers_fault() -> None:
    """An identity provider's outage was answered 401 invalid_token, quoting the fetch's
    error (and the issuer's address) to the caller."""
    server = HTTPServer(("127.0.0.1", 0), _JwksHandler)
    url = f"http://127.0.0.1:{server.server_port}/certs"
    server.server_close()  # nothing answers there now
    down = Settings(oidc_jwks_url=url, jwt_issuer="https://idp.test/realms/ocsea")
    token = jwt.encode(oidc_claims(down), RSA_KEY, "RS256", headers={"kid": "rsa-1"})
    with pytest.raises(ApiError) as caught:
        TokenVerifier(down).verify(token)
    [error] = caught.value.errors
    assert (caught.value.status, error.code) == (503, "token_keys_unavailable")
    assert caught.value.headers == {"Retry-After": "5"}
    assert "127.0.0.1" not in error.message


# --- require(): the FastAPI dependency ------------------------------------------------------


def app_with(settings: Settings) -> FastAPI:
    app = FastAPI()
    app.add_exception_handler(ApiError, api_error_handler)
    app.state.settings = settings

    @app.post("/tasks/act")
    async def act(
        who: Annotated[Principal, Depends(require(Permission.TASKS_ACT))],
    ) -> dict[str, str]:
        return {"subject": who.subject, "agency": str(who.agency)}

    return app


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_require_answers_401_403_200_in_the_stable_format() -> None:
    app = app_with(LOCAL)
    client = client_for(app)
    missing = await client.post("/tasks/act")
    assert missing.status_code == 401
    assert missing.json() == {
        "errors": [
            {
                "code": "missing_token",
                "field": "Authorization",
                "message": "send a bearer token as Authorization",
            }
        ]
    }
    invalid = await client.post("/tasks/act", headers=bearer("garbage"))
    assert invalid.status_code == 401
    assert invalid.json()["errors"][0]["code"] == "invalid_token"
    not_bearer = await client.post("/tasks/act", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert not_bearer.status_code == 401
    assert not_bearer.json()["errors"][0]["code"] == "invalid_token"
    expired = mint_token("a-1", Role.OFFICER, Agency.PDRM, LOCAL, ttl_s=-120)
    late = await client.post("/tasks/act", headers=bearer(expired))
    assert late.status_code == 401
    assert late.json()["errors"][0]["code"] == "token_expired"
    analyst = mint_token("an-1", Role.ANALYST, Agency.MCMC, LOCAL)
    forbidden = await client.post("/tasks/act", headers=bearer(analyst))
    assert forbidden.status_code == 403
    assert forbidden.json() == {
        "errors": [{"code": "forbidden", "field": "", "message": "role analyst may not tasks:act"}]
    }
    officer = mint_token("of-1", Role.OFFICER, Agency.PDRM, LOCAL)
    ok = await client.post("/tasks/act", headers=bearer(officer))
    assert ok.status_code == 200
    assert ok.json() == {"subject": "of-1", "agency": "PDRM"}
    # The verifier was created once, lazily, from the app's settings.
    assert isinstance(app.state.token_verifier, TokenVerifier)


async def test_require_verifies_oidc_tokens(oidc: Settings) -> None:
    client = client_for(app_with(oidc))
    token = jwt.encode(oidc_claims(oidc), RSA_KEY, "RS256", headers={"kid": "rsa-1"})
    ok = await client.post("/tasks/act", headers=bearer(token))
    assert ok.status_code == 200 and ok.json()["subject"] == "subj-1"
    local = mint_token("of-1", Role.OFFICER, Agency.PDRM, LOCAL)
    assert (await client.post("/tasks/act", headers=bearer(local))).status_code == 401


def test_a_token_living_longer_than_a_shift_is_refused() -> None:
    """Signed with the right key, but valid for ~31 years: refused, as a leaked or forgotten
    token must stop working within the day."""
    now = int(time.time())
    long_lived = jwt.encode(claims(exp=now + 10**9, iat=now), SECRET, algorithm="HS256")
    assert refused(LOCAL, long_lived) == "invalid_token"
    within = jwt.encode(claims(exp=now + MAX_LIFETIME_S, iat=now), SECRET, algorithm="HS256")
    assert TokenVerifier(LOCAL).verify(within).subject == "subj-1"
    with pytest.raises(ValueError, match="at most"):
        mint_token("subj-1", Role.OFFICER, Agency.PDRM, LOCAL, ttl_s=MAX_LIFETIME_S + 1)


def test_a_short_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 32 bytes"):
        signing_key(Settings(jwt_secret="change-me"))


def test_without_a_secret_each_install_makes_its_own_key(tmp_path: Path) -> None:
    """The default key used to be a string in the code: anyone who read it could sign an
    administrator's token for any install that had not set one."""
    first = Settings(jwt_secret_file=str(tmp_path / "a" / "jwt-secret"))
    key = signing_key(first)
    assert len(key) >= 32 and signing_key(first) == key
    stored = tmp_path / "a" / "jwt-secret"
    assert stored.read_text() == key
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600  # readable by its user only
    other = signing_key(Settings(jwt_secret_file=str(tmp_path / "b" / "jwt-secret")))
    assert other != key
    # A token one install signs is refused by another.
    token = mint_token("subj-1", Role.ADMIN, Agency.MCMC, first)
    elsewhere = Settings(jwt_secret_file=str(tmp_path / "b" / "jwt-secret"))
    assert refused(elsewhere, token) == "invalid_token"


def test_a_key_file_being_written_is_waited_for(tmp_path: Path) -> None:
    """Another process made the file and has not written it yet: read once it has."""
    path = tmp_path / "jwt-secret"
    path.touch(mode=0o600)
    key = "k" * 64
    writer = threading.Timer(0.1, path.write_text, args=(key,))
    writer.start()
    try:
        assert signing_key(Settings(jwt_secret_file=str(path))) == key
    finally:
        writer.join()


def test_a_token_is_not_minted_for_the_systems_own_name(capsys: pytest.CaptureFixture[str]) -> None:
    from api.security.mint import main as mint

    with pytest.raises(SystemExit) as leaving:
        mint(["--sub", "system", "--role", "officer", "--agency", "MCMC"])
    assert leaving.value.code == 2
    assert "the system's own name, no person's" in capsys.readouterr().err
