"""API harness: plain HTTP against a running Haven server (scripts/test starts it).

Environment: HAVEN_URL (required), HAVEN_DEMO_PASSWORD (required).
"""

from __future__ import annotations

import os

import pytest
import requests

ADMIN_EMAIL = "admin@demo.haven.example"


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"environment variable {name} is not set (run the suites through scripts/test)", pytrace=False)
    return value


@pytest.fixture(scope="session")
def base_url() -> str:
    return _env("HAVEN_URL").rstrip("/")


@pytest.fixture(scope="session")
def demo_password() -> str:
    return _env("HAVEN_DEMO_PASSWORD")


def create_token(base_url: str, email: str, password: str) -> str:
    response = requests.post(f"{base_url}/api/v1/auth/tokens", json={"email": email, "password": password}, timeout=30)
    assert response.status_code in (200, 201), (
        f"POST /api/v1/auth/tokens for {email} answered {response.status_code}: {response.text[:500]}")
    body = response.json()
    assert isinstance(body.get("token"), str) and body["token"], f"no token in {body}"
    assert isinstance(body.get("expiresAt"), str) and body["expiresAt"], f"no expiresAt in {body}"
    return body["token"]


@pytest.fixture(scope="session")
def new_admin_token(base_url, demo_password):
    """Call it to sign in as the demo administrator through the API and get a fresh bearer token."""
    return lambda: create_token(base_url, ADMIN_EMAIL, demo_password)


@pytest.fixture(scope="session")
def admin_token(new_admin_token) -> str:
    return new_admin_token()
