"""Statistics, the bench log, and connecting/timing one statement as a role."""

from __future__ import annotations


import math
import statistics
import time
from typing import Optional

import psycopg
from rich.console import Console

from ..render import console as _console
from ..render import err_console


# Wide enough for the tables when stdout is not a terminal (CI logs, files).
console = _console if _console.is_terminal else Console(width=170)

BENCH_TABLE = "public.salesflow_bench_meta"


# --------------------------------------------------------------------------- statistics


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list (so p50 <= p95 <= p99 always holds)."""
    if not sorted_values:
        return float("nan")
    k = max(1, math.ceil(q * len(sorted_values)))
    return sorted_values[min(k, len(sorted_values)) - 1]


def summarize(latencies_ns: list[int]) -> dict[str, float]:
    ms = sorted(v / 1e6 for v in latencies_ns)
    if not ms:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "mean_ms": None, "max_ms": None}
    return {
        "p50_ms": round(percentile(ms, 0.50), 3),
        "p95_ms": round(percentile(ms, 0.95), 3),
        "p99_ms": round(percentile(ms, 0.99), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "max_ms": round(ms[-1], 3),
    }


class Log:
    """Progress lines on stderr (stdout stays clean for --json)."""

    def __init__(self, quiet: bool = False):
        self.quiet = quiet
        self.t0 = time.monotonic()

    def __call__(self, msg: str) -> None:
        if not self.quiet:
            err_console.print(f"[dim]{time.monotonic() - self.t0:7.1f}s[/dim] {msg}", highlight=False)



# --------------------------------------------------------------------------- runners


def _connect_as(dsn: str, role: Optional[str], track_all: bool = False, application: str = "salesflow bench") -> psycopg.Connection:
    conn = psycopg.connect(dsn, autocommit=True, application_name=application)
    if track_all:
        try:
            conn.execute("SET pg_stat_statements.track = 'all'")
        except psycopg.Error:
            pass
    if role:
        conn.execute(f"SET ROLE salesflow_{role}")
    return conn


_SET_USER = "SELECT set_config('salesflow.user_id', %s, false)"


def _timed(conn: psycopg.Connection, sql: str, args: tuple) -> int:
    t0 = time.perf_counter_ns()
    cur = conn.execute(sql, args, prepare=True)
    if cur.description is not None:
        cur.fetchall()
    return time.perf_counter_ns() - t0
