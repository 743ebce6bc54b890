"""The `haven` command: clear one-line errors for bad input, the audit check, durability across a hard kill.

Runs the built binary (HAVEN_BIN, set by scripts/test) against its own temporary databases, so it does not
touch the server the other API tests use (except to find a port that is taken).
"""

from __future__ import annotations

import concurrent.futures
import os
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.parse

import pytest
import requests

BIN = os.environ.get("HAVEN_BIN", ".build/debug/haven")
PASSWORD = "cli-test-password-1"
ENV = {**os.environ, "HAVEN_BCRYPT_COST": "4", "HAVEN_DEMO_PASSWORD": PASSWORD}


def haven(*args: str, stdin: str | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *args], input=stdin, capture_output=True, text=True, timeout=timeout, env=ENV)


def assert_one_line_failure(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, result
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines, "nothing on standard error"
    last = lines[-1]
    assert last.startswith("haven: "), last
    for word in words:
        assert word in last, last
    assert "Fatal error" not in result.stderr and "Stack" not in result.stderr and "Traceback" not in result.stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A `haven serve --demo` of its own on a temporary SQLite file."""

    def __init__(self, db: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([BIN, "serve", "--demo", "--port", str(self.port), "--database-url", db],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=ENV)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if requests.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                time.sleep(0.05)
        self.process.kill()
        raise AssertionError(f"server did not start: {self.process.stdout.read()}")

    def token(self) -> str:
        response = requests.post(f"{self.url}/api/v1/auth/tokens", json={"email": "admin@demo.haven.example", "password": PASSWORD}, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()["token"]

    def stop(self, sig=signal.SIGTERM) -> int:
        self.process.send_signal(sig)
        return self.process.wait(timeout=20)


@pytest.fixture()
def db(tmp_path):
    return f"sqlite://{tmp_path}/haven.sqlite"


def test_bad_database_urls_and_folders(tmp_path):
    assert_one_line_failure(haven("migrate", "--database-url", "mysql://x/y"), "not understood")
    assert_one_line_failure(haven("migrate", "--database-url", "postgres://nobody@127.0.0.1:1/haven"), "Cannot reach PostgreSQL", "refused")
    assert_one_line_failure(haven("serve", "--database-url", "sqlite:///proc/haven-nowhere/haven.sqlite"))
    assert_one_line_failure(haven("serve", "--port", "99999", "--database-url", f"sqlite://{tmp_path}/x.sqlite"), "port")


def test_port_in_use(db):
    taken = urllib.parse.urlparse(os.environ["HAVEN_URL"]).port
    assert_one_line_failure(haven("serve", "--port", str(taken), "--database-url", db, timeout=30), "already in use")


def test_second_server_on_the_same_sqlite_file_refuses(db):
    server = Server(db)
    try:
        assert_one_line_failure(haven("serve", "--port", str(free_port()), "--database-url", db, timeout=30), "Another Haven server")
    finally:
        assert server.stop() == 0, "SIGTERM shuts down gracefully with status 0"


def test_user_commands_list_valid_roles_and_units(db):
    assert haven("demo", "--database-url", db).returncode == 0
    bad_role = haven("user", "create", "--email", "a@example.org", "--name", "A", "--role", "boss", "--database-url", db, stdin="")
    assert_one_line_failure(bad_role, "Unknown role 'boss'", "safety-lead", "hr-case-handler")
    bad_unit = haven("user", "create", "--email", "a@example.org", "--name", "A", "--role", "staff", "--unit", "NOPE", "--database-url", db, stdin="")
    assert_one_line_failure(bad_unit, "Unknown unit 'NOPE'", "OAK")
    made = haven("user", "create", "--email", "a@example.org", "--name", "A", "--role", "manager", "--unit", "OAK", "--database-url", db,
                 stdin="a piped password\n")
    assert made.returncode == 0 and "Created a@example.org" in made.stdout and "Password:" not in made.stdout
    generated = haven("user", "create", "--email", "b@example.org", "--name", "B", "--role", "staff", "--database-url", db, stdin="")
    assert generated.returncode == 0 and "Password: " in generated.stdout
    listed = haven("user", "list", "--database-url", db)
    assert "a@example.org\tA\tmanager\tOAK\tactive" in listed.stdout
    token = haven("token", "create", "--email", "a@example.org", "--name", "script", "--database-url", db)
    assert token.returncode == 0 and token.stdout.strip().startswith("haven_")
    assert_one_line_failure(haven("token", "create", "--email", "nobody@example.org", "--name", "x", "--database-url", db), "No active user")


def test_audit_verify_finds_altered_removed_and_inserted_rows(tmp_path, db):
    assert haven("demo", "--database-url", db).returncode == 0
    ok = haven("audit", "verify", "--database-url", db)
    assert ok.returncode == 0 and "intact" in ok.stdout
    path = db.removeprefix("sqlite://")
    for name, tamper in [
        ("altered", "UPDATE audit_events SET changes = '{}' WHERE sequence = 5"),
        ("removed", "DELETE FROM audit_events WHERE sequence = 7"),
        ("inserted", "UPDATE audit_events SET sequence = sequence + 1000 WHERE sequence >= 9; "
                     "INSERT INTO audit_events SELECT 9, organisation_id, at, actor_id, 'user.delete', entity, entity_id, changes, "
                     "request_id, address, hash, hash FROM audit_events WHERE sequence = 8"),
    ]:
        copy = tmp_path / f"{name}.sqlite"
        with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
            source.backup(target)
        with sqlite3.connect(copy) as connection:
            connection.executescript(tamper)
        broken = haven("audit", "verify", "--database-url", f"sqlite://{copy}")
        assert broken.returncode == 1, (name, broken)
        assert "broken at row" in broken.stderr, (name, broken.stderr)


def test_nothing_acknowledged_is_lost_when_the_process_is_killed(db):
    server = Server(db)
    token = server.token()
    headers = {"Authorization": f"Bearer {token}"}

    def save(index: int):
        response = requests.post(f"{server.url}/api/v1/sites", json={"name": f"Durable site {index}"}, headers=headers, timeout=10)
        return index if response.status_code == 201 else None

    acknowledged = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(save, index) for index in range(400)]
        time.sleep(0.3)
        server.process.kill()  # SIGKILL while writes are in flight
        server.process.wait(timeout=10)
        for future in futures:
            try:
                if future.result() is not None:
                    acknowledged.append(future.result())
            except requests.RequestException:
                pass
    assert acknowledged, "no write was acknowledged before the kill"
    with sqlite3.connect(db.removeprefix("sqlite://")) as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sites")}
    missing = [index for index in acknowledged if f"Durable site {index}" not in names]
    assert not missing, f"{len(missing)} acknowledged sites were lost"
    restarted = Server(db)
    try:
        # Each record and its audit row commit together, so the chain is whole after the kill.
        assert haven("audit", "verify", "--database-url", db).returncode == 0
    finally:
        restarted.stop()
