"""The writers section (issue 15): 8 writers running multi-statement transactions over several leads
each, beside a drain every 2 seconds, for the run's duration.

A writer repeats: BEGIN; one activity INSERT per statement for 3-5 of one rep's sampled leads, in
random order; COMMIT. Counted: committed transactions, deadlocks (40P01, and the server's own count
from pg_stat_database), other errors, drains. The target is 0 deadlocks."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time

import psycopg

from .. import rpc as api
from .scratch import Sample
from .timing import Log, summarize
from .triggers import _BODIES, _CHANNELS, _INSERT_ONE

WRITERS = 8


def _deadlocks(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]


def run_writers(dsn: str, sample: Sample, seconds: float, seed: int, log: Log) -> dict:
    stop = time.monotonic() + seconds
    counts = {"commits": 0, "deadlocks_40P01": 0, "errors": 0, "drains": 0}
    latencies: list[int] = []  # ns
    first_error: list[str] = []
    lock = threading.Lock()

    def failed(exc: psycopg.Error) -> None:
        """A writer's or the drain's failed transaction: a deadlock, or another error (the first kept)."""
        with lock:
            if isinstance(exc, psycopg.errors.DeadlockDetected):
                counts["deadlocks_40P01"] += 1
                return
            counts["errors"] += 1
            if not first_error:
                first_error.append(str(exc).strip().splitlines()[0])

    def writer(k: int) -> None:
        rng = random.Random(seed * 100 + k)
        with psycopg.connect(dsn) as conn:
            while time.monotonic() < stop:
                user = rng.choice(sample.reps)
                leads = rng.sample(sample.leads[user], min(len(sample.leads[user]), rng.randint(3, 5)))
                t0 = time.perf_counter_ns()
                try:
                    with conn.transaction():
                        for lead in leads:
                            conn.execute(_INSERT_ONE, (lead, user, rng.choice(_CHANNELS), rng.choice(("in", "out")),
                                                       "message", rng.choice(_BODIES), dt.datetime.now(dt.timezone.utc)))
                    with lock:
                        counts["commits"] += 1
                        latencies.append(time.perf_counter_ns() - t0)
                except psycopg.Error as exc:
                    failed(exc)

    def drainer() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            while time.monotonic() < stop:
                try:
                    api.drain_dirty_leads(conn)
                    with lock:
                        counts["drains"] += 1
                except psycopg.Error as exc:
                    failed(exc)
                time.sleep(2)

    with psycopg.connect(dsn, autocommit=True) as conn:
        before = _deadlocks(conn)
        threads = [threading.Thread(target=writer, args=(k,)) for k in range(WRITERS)]
        threads.append(threading.Thread(target=drainer))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        server = _deadlocks(conn) - before
    res = {"writers": WRITERS, "seconds": seconds, **counts, "deadlocks_server": server,
           "commits_per_s": round(counts["commits"] / seconds, 1), **summarize(latencies)}
    if first_error:
        res["first_error"] = first_error[0]
    log(f"  {WRITERS} writers x {seconds:g} s: {res['commits']} transactions ({res['commits_per_s']}/s), "
        f"p99 {res['p99_ms']} ms, deadlocks {counts['deadlocks_40P01']}, errors {counts['errors']}, drains {counts['drains']}")
    return res
