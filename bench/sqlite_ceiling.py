#!/usr/bin/env python3
"""What batching can give on this disk at most: the same records and pragmas as haven-bench, written by
Python's sqlite3 module (SQLite's C library, no Swift, no thread hops), one transaction per record
against transactions of 32 and 64 records. Usage: sqlite_ceiling.py FOLDER [SECONDS]"""
import os
import sqlite3
import sys
import time
import uuid

folder = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
os.makedirs(folder, exist_ok=True)
body = ("restraint ward night staff patient de-escalation review safe seclusion handover " * 4)[:200]


def run(batch):
    path = os.path.join(folder, f"ceiling-{batch}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.unlink(path + suffix)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE bench_records (id TEXT PRIMARY KEY NOT NULL, organisation_id TEXT NOT NULL, "
                       "body TEXT NOT NULL, created_at BIGINT NOT NULL)")
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:  # bounded by time
        connection.execute("BEGIN IMMEDIATE")
        for _ in range(batch):
            connection.execute("INSERT INTO bench_records VALUES (?, ?, ?, ?)",
                               (str(uuid.uuid4()), f"org-{count % 4}", body, int(time.time() * 1000)))
            count += 1
        connection.execute("COMMIT")
    elapsed = time.perf_counter() - start
    connection.close()
    return count / elapsed


single = run(1)
print(f"C SQLite, 1 record per transaction:   {single:8.0f} records/s")
for batch in (32, 64):
    rate = run(batch)
    print(f"C SQLite, {batch} records per transaction: {rate:8.0f} records/s = {rate / single:.1f}x")
