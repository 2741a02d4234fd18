"""The drain section: what one drain costs for 1k, 10k and 100k changed leads (issue 15).

The leads are queued directly (random leads, the same for every size's two runs) so that only the
drain is timed; what a write costs to queue its lead is the trigger section's figure. The rolling
pass is off (p_stale_limit 0): this measures the cost per dirty lead."""

from __future__ import annotations

import statistics
import time
from typing import Optional

import psycopg

from .. import rpc as api
from .timing import Log

SIZES = (1_000, 10_000, 100_000)


def run_drain(dsn: str, runs: int, log: Log) -> Optional[dict]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT to_regprocedure('salesflow.drain_dirty_leads(integer,integer,interval)') IS NULL").fetchone()[0]:
            return None
        total = conn.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0]
        api.drain_dirty_leads(conn, limit=2**31 - 1, stale_limit=0)  # start from an empty queue
        out = []
        for n in SIZES:
            if n > total:
                break
            ms = []
            for _ in range(runs):
                conn.execute("INSERT INTO salesflow.dirty_leads (lead_id) "
                             "SELECT l.id FROM salesflow.leads AS l ORDER BY md5(l.id::text || %s) LIMIT %s", (str(n), n))
                t0 = time.perf_counter()
                row = api.drain_dirty_leads(conn, limit=n, stale_limit=0)[0]
                ms.append((time.perf_counter() - t0) * 1000)
                assert row["leads_dirty"] == n, row
            res = {"dirty_leads": n, "drain_ms": round(statistics.median(ms), 1), "max_ms": round(max(ms), 1),
                   "us_per_lead": round(statistics.median(ms) * 1000 / n, 1)}
            log(f"  drain of {n:>7,} dirty leads: {res['drain_ms']:8.1f} ms ({res['us_per_lead']} µs a lead)")
            out.append(res)
    return {"runs": runs, "total_leads": total, "sizes": out}
