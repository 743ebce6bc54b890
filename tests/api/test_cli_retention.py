"""`haven retention purge`: the dry run changes nothing, the real run anonymises only closed reports past
retention and says which, a second run finds nothing, and the audit chain stays intact.

Runs the built binary (HAVEN_BIN) against its own temporary SQLite database.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess

BIN = os.environ.get("HAVEN_BIN", ".build/debug/haven")
ENV = {**os.environ, "HAVEN_BCRYPT_COST": "4", "HAVEN_DEMO_PASSWORD": "cli-test-password-1"}
ELEVEN_YEARS_AGO_MS = 1_300_000_000_000  # March 2011


def haven(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60, env=ENV)


def seed(path: str) -> None:
    """One old closed report per unit, and one old report still being investigated (closing is set directly)."""
    with sqlite3.connect(path) as connection:
        for ident, status in [("old-closed", "closed"), ("old-open", "investigating")]:
            connection.execute(
                "INSERT INTO incidents (id, organisation_id, unit_id, area, type, perpetrator, harm, description, reporter_role, "
                "status, occurred_at, reported_at, local_date, iso_week, month, hour, weekday) "
                "SELECT ?, organisation_id, id, 'Day room', 'threat', 'colleague', 'none', 'Threatened by J. Smith', 'harmed', "
                "?, ?, ?, '2011-03-13', '2011-W10', '2011-03', 7, 7 FROM units LIMIT 1",
                (ident, status, ELEVEN_YEARS_AGO_MS, ELEVEN_YEARS_AGO_MS))


def description(path: str, ident: str) -> str:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT description FROM incidents WHERE id = ?", (ident,)).fetchone()[0]


def test_retention_purge_dry_run_then_real_run(tmp_path):
    db = f"sqlite://{tmp_path}/haven.sqlite"
    path = f"{tmp_path}/haven.sqlite"
    assert haven("demo", "--database-url", db).returncode == 0
    seed(path)

    dry = haven("retention", "purge", "--dry-run", "--database-url", db)
    assert dry.returncode == 0, dry.stderr
    assert "1 closed report" in dry.stdout and "would be anonymised" in dry.stdout and "old-closed" in dry.stdout
    assert "old-open" not in dry.stdout
    assert description(path, "old-closed") == "Threatened by J. Smith", "a dry run changes nothing"

    real = haven("retention", "purge", "--database-url", db)
    assert real.returncode == 0, real.stderr
    assert "1 closed report" in real.stdout and "old-closed" in real.stdout
    assert description(path, "old-closed") == ""
    assert description(path, "old-open") == "Threatened by J. Smith", "open cases are never touched"

    again = haven("retention", "purge", "--database-url", db)
    assert again.returncode == 0 and "0 closed reports" in again.stdout
    verified = haven("audit", "verify", "--database-url", db)
    assert verified.returncode == 0 and "intact" in verified.stdout

    wrong = haven("retention", "purge", "--dry-run=maybe", "--database-url", db)
    assert wrong.returncode != 0 and "Traceback" not in wrong.stderr
