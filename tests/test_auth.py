"""Every /api/v1 route in the OpenAPI document refuses a missing token and a wrong scope."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from portal_api.auth import TokenStore
from portal_api.config import ApiToken, Settings
from tests.conftest import TOKENS, bearer

SCOPES = ("read", "ingest", "admin")


def _operations(client: TestClient) -> list[tuple[str, str, str]]:
    spec = client.get("/openapi.json").json()
    ops = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if not path.startswith("/api/v1"):
                continue
            (requirement,) = op["security"]
            (scopes,) = requirement.values()
            (scope,) = scopes
            concrete = re.sub(r"\{[^}]+\}", "x", path)
            ops.append((method.upper(), concrete, scope))
    return ops


def test_every_api_route_declares_one_scope(client: TestClient) -> None:
    ops = _operations(client)
    assert ops, "no /api/v1 operations in the OpenAPI document"
    assert {scope for _, _, scope in ops} <= set(SCOPES)


def test_every_api_route_refuses_no_token_a_bad_token_and_a_wrong_scope(
    client: TestClient,
) -> None:
    for method, path, scope in _operations(client):
        none = client.request(method, path)
        assert none.status_code == 401, (method, path)
        assert none.json()["error"] == "Unauthorized"
        assert none.headers["WWW-Authenticate"] == "Bearer"

        bad = client.request(method, path, headers={"Authorization": "Bearer wrong-token-xyz"})
        assert bad.status_code == 401, (method, path)

        basic = client.request(method, path, headers={"Authorization": "Basic dXNlcjpwYXNz"})
        assert basic.status_code == 401, (method, path)

        wrong = "read" if scope != "read" else "ingest"
        forbidden = client.request(method, path, headers=bearer(wrong))
        assert forbidden.status_code == 403, (method, path, wrong)
        assert forbidden.json()["error"] == "Forbidden"


def test_admin_implies_every_scope(client: TestClient) -> None:
    assert client.get("/api/v1/apps", headers=bearer("admin")).status_code == 200


def test_health_routes_and_metrics_stay_open(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_tokens_are_kept_only_as_digests() -> None:
    store = TokenStore([ApiToken(name="ci", token=TOKENS["ingest"], scopes=["ingest"])])  # type: ignore[arg-type]
    assert TOKENS["ingest"] not in repr(vars(store))
    caller = store.identify(TOKENS["ingest"])
    assert caller is not None
    assert caller.name == "ci"
    assert store.identify(TOKENS["ingest"] + "x") is None


def test_tokens_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "PORTAL_API_TOKENS",
        '[{"name": "backstage", "token": "s3cret-backstage-token", "scopes": ["read"]}]',
    )
    settings = Settings()
    assert settings.api_tokens[0].scopes == ["read"]
    assert "s3cret" not in repr(settings)


def test_malformed_token_config_does_not_echo_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_API_TOKENS", '[{"name": "x", "token": "s3cret-value-123456"')
    with pytest.raises(ValueError, match="not valid JSON") as info:
        Settings()
    assert "s3cret" not in str(info.value)


def test_short_tokens_are_refused() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        ApiToken(name="x", token="short", scopes=["read"])  # type: ignore[arg-type]
