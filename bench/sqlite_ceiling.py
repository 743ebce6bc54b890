#!/usr/bin/env python3
"""What batching can give on this disk at most: the same records and pragmas as haven-bench, written by
Python's sqlite3 module (SQLite's C library, no Swift, no thread hops), one transaction per record
against transactions of 32 and 64 records. Usage: sqlite_ceiling.py FOLDER [SECONDS]"""
import os
import secrets
import sqlite3
import sys
import time

folder = sys.argv[1]
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
os.makedirs(folder, exist_ok=True)
body = ("restraint ward night staff patient de-escalation review safe seclusion handover " * 4)[:200]
last_id = [0, 0]  # the millisecond and the 74 random bits of the last id made


def time_ordered_id():
    """A version 7 UUID that goes up, as Haven's record ids do (Identifier.make): random keys would land on a new
    index page per record and make this ceiling lower than the one Haven's writer meets."""
    milliseconds = time.time_ns() // 1_000_000
    if milliseconds > last_id[0]:
        last_id[:] = [milliseconds, secrets.randbits(73)]  # the top bit clear leaves room to go up
    else:
        last_id[1] = (last_id[1] + 1 + secrets.randbits(16)) % (1 << 74)
    random74 = last_id[1]
    value = (last_id[0] << 80) | (0x7 << 76) | ((random74 >> 62) << 64) | (0b10 << 62) | (random74 & ((1 << 62) - 1))
    # Formatted by hand: str(uuid.UUID(int=value)) gives the same text but costs about 1 µs more a record here,
    # a tenth of what a record takes in a batch of 64, and this script measures the batch.
    text = f"{value:032x}"
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


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
                               (time_ordered_id(), f"org-{count % 4}", body, int(time.time() * 1000)))
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
