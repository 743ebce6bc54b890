"""The JSON API's contract at its edges: errors are JSON with a 4xx, sizes are limited, auth is required."""

from __future__ import annotations

import json
import socket
from urllib.parse import urlsplit

import requests

ADMIN_EMAIL = "admin@demo.haven.example"


def assert_error_body(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, (
        f"{response.request.method} {response.request.path_url} answered {response.status_code}, expected {status}: "
        f"{response.text[:500]}")
    assert response.headers.get("Content-Type", "").startswith("application/json"), (
        f"error response has Content-Type {response.headers.get('Content-Type')!r}")
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict), f"error body is not {{'error': {{...}}}}: {body}"
    assert isinstance(error.get("code"), str) and error["code"], f"error.code missing: {body}"
    assert isinstance(error.get("message"), str) and error["message"], f"error.message missing: {body}"
    return error


def test_openapi_document_is_served(base_url):
    response = requests.get(f"{base_url}/api/v1/openapi.json", timeout=30)
    assert response.status_code == 200
    document = response.json()
    assert str(document.get("openapi", "")).startswith("3.1"), f"openapi version {document.get('openapi')!r}"
    assert document.get("paths"), "the OpenAPI document has no paths"


def test_malformed_json_gives_400_with_error_body(base_url):
    response = requests.post(f"{base_url}/api/v1/auth/tokens", data=b'{"email": "admin@demo.haven.example", ',
                             headers={"Content-Type": "application/json"}, timeout=30)
    assert_error_body(response, 400)


def test_wrong_password_gives_401_not_a_token(base_url):
    response = requests.post(f"{base_url}/api/v1/auth/tokens",
                             json={"email": "nobody@demo.haven.example", "password": "wrong-password-0"}, timeout=30)
    assert response.status_code in (400, 401), f"answered {response.status_code}: {response.text[:300]}"
    assert "token" not in response.json()


def _raw_post(base_url: str, path: str, body: bytes, content_type: str = "application/json") -> tuple[int, bytes]:
    """POST with a raw socket and read the answer even if the server stops reading the body early.

    A server may answer 413 and close while the client is still sending; requests then raises
    instead of returning the response, so this reads whatever the server said.
    """
    split = urlsplit(base_url)
    host, port = split.hostname, split.port or 80
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection((host, port), timeout=30) as sock:
        try:
            sock.sendall(head)
            for start in range(0, len(body), 65536):
                sock.sendall(body[start:start + 65536])
        except (BrokenPipeError, ConnectionResetError):
            pass
        chunks = []
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        except (ConnectionResetError, socket.timeout):
            pass
    data = b"".join(chunks)
    assert data.startswith(b"HTTP/1.1 ") or data.startswith(b"HTTP/1.0 "), f"no HTTP answer: {data[:200]!r}"
    status = int(data.split(b" ", 2)[1])
    return status, data.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in data else b""


def test_body_over_one_megabyte_gives_413(base_url):
    padding = "x" * (1024 * 1024 + 100_000)
    body = json.dumps({"email": ADMIN_EMAIL, "password": padding}).encode()
    status, _ = _raw_post(base_url, "/api/v1/auth/tokens", body)
    assert status == 413, f"a {len(body)}-byte body answered {status}, expected 413"


def test_me_without_token_gives_401(base_url):
    assert_error_body(requests.get(f"{base_url}/api/v1/me", timeout=30), 401)


def test_me_with_unknown_token_gives_401(base_url):
    response = requests.get(f"{base_url}/api/v1/me", headers={"Authorization": "Bearer not-a-real-token"}, timeout=30)
    assert_error_body(response, 401)


def test_me_with_token_gives_the_account(base_url, admin_token):
    response = requests.get(f"{base_url}/api/v1/me", headers={"Authorization": f"Bearer {admin_token}"}, timeout=30)
    assert response.status_code == 200, f"answered {response.status_code}: {response.text[:500]}"
    assert response.headers.get("Content-Type", "").startswith("application/json")
    body = response.json()
    assert body.get("email") == ADMIN_EMAIL, f"/api/v1/me gave {body}"
