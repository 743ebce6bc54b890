"""Fuzz the running server from its own OpenAPI document with schemathesis (4.x command line).

Bad input must never give a 5xx, and every answer must match the document (status codes,
content types, response schemas). Bounded: HAVEN_FUZZ_MAX_EXAMPLES cases per operation
(default 30) and HAVEN_FUZZ_TIMEOUT seconds for the whole run (default 420).

Operations that would end the session this run uses (revoke a token, sign out) are left out.
The stateful phase (chains of calls following OpenAPI links) is off by default because it can
act on the admin account itself; HAVEN_FUZZ_PHASES=examples,coverage,fuzzing,stateful turns it on.

This file sorts after test_api_basics.py on purpose: fuzzing the sign-in operation may trip
login throttling, so it runs last against its server.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SESSION_ENDING = re.compile(r"revoke|sign[-_ ]?out|log[-_ ]?out", re.IGNORECASE)
DEFAULT_CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"


def operations_to_skip(document: dict) -> list[tuple[str, str, str | None]]:
    """(METHOD, path, operationId) of operations that would end the fuzzer's own session."""
    skipped = []
    for path, item in (document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if not isinstance(operation, dict):
                continue
            words = " ".join([str(operation.get("operationId", "")), str(operation.get("summary", "")),
                              *[str(tag) for tag in operation.get("tags", [])]])
            ends_session = SESSION_ENDING.search(words) or (
                method == "delete" and re.search(r"token|session", path, re.IGNORECASE))
            if ends_session:
                skipped.append((method.upper(), path, operation.get("operationId")))
    return skipped


def schemathesis_command() -> list[str]:
    beside_python = Path(sys.executable).with_name("schemathesis")
    if beside_python.exists():
        return [str(beside_python)]
    found = shutil.which("schemathesis") or shutil.which("st")
    if not found:
        pytest.fail("schemathesis is not installed (scripts/test installs it into .build-venv)", pytrace=False)
    return [found]


def test_openapi_fuzz(base_url, new_admin_token):
    schema_url = f"{base_url}/api/v1/openapi.json"
    response = requests.get(schema_url, timeout=30)
    assert response.status_code == 200, f"GET {schema_url} answered {response.status_code}"
    document = response.json()
    # A token of its own, so that nothing else in the run depends on it.
    token = new_admin_token()

    report_dir = Path(os.environ.get("HAVEN_FUZZ_REPORT_DIR", REPO / "test-output" / "schemathesis"))
    report_dir.mkdir(parents=True, exist_ok=True)
    args = schemathesis_command() + [
        "run", schema_url,
        "--origin", base_url,
        "--header", f"Authorization: Bearer {token}",
        "--checks", os.environ.get("HAVEN_FUZZ_CHECKS", DEFAULT_CHECKS),
        "--phases", os.environ.get("HAVEN_FUZZ_PHASES", "examples,coverage,fuzzing"),
        "--max-examples", os.environ.get("HAVEN_FUZZ_MAX_EXAMPLES", "30"),
        "--workers", "1",
        "--request-timeout", "20",
        "--generation-database", "none",
        "--report", "junit",
        "--report-dir", str(report_dir),
        "--no-color",
    ]
    if os.environ.get("HAVEN_FUZZ_SEED"):
        args += ["--seed", os.environ["HAVEN_FUZZ_SEED"]]
    skipped = operations_to_skip(document)
    for method, path, operation_id in skipped:
        if operation_id:
            args += ["--exclude-operation-id", operation_id]
        else:
            args += ["--exclude-name", f"{method} {path}"]
    if skipped:
        print("not fuzzed (they end the session):", ", ".join(f"{m} {p}" for m, p, _ in skipped))

    timeout = int(os.environ.get("HAVEN_FUZZ_TIMEOUT", "420"))
    try:
        run = subprocess.run(args, cwd=report_dir, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as expired:
        output = expired.stdout or ""
        if isinstance(output, bytes):
            output = output.decode(errors="replace")
        pytest.fail(f"schemathesis did not finish within {timeout} s\n{output[-20000:]}", pytrace=False)
    (report_dir / "schemathesis-output.txt").write_text(run.stdout, encoding="utf-8")
    if run.returncode != 0:
        pytest.fail(f"schemathesis found problems (exit {run.returncode}); full output in "
                    f"{report_dir / 'schemathesis-output.txt'}\n{run.stdout[-20000:]}", pytrace=False)
    print(run.stdout[-3000:])  # the summary, shown with pytest -rP
