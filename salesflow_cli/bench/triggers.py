"""Trigger overhead on lead_activities (batch and single-row inserts, with and without triggers)."""

from __future__ import annotations


import random
import time

import psycopg

from ..vocabulary import CHANNELS
from .scratch import Sample
from .timing import Log, summarize

# --------------------------------------------------------------------------- trigger overhead

_INSERT_BATCH = """
INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction, kind, body, occurred_at)
SELECT * FROM unnest(%s::uuid[], %s::uuid[], %s::text[], %s::text[], %s::text[], %s::text[], %s::timestamptz[])
RETURNING id
"""
_INSERT_ONE = """
INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction, kind, body, occurred_at)
VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id
"""
_CHANNELS = CHANNELS
_BODIES = ("Hallo, kurze Rückfrage zum Angebot.", "Danke, ich melde mich morgen.", "Can we talk on Friday?",
           "Klingt gut, schick mir bitte die Unterlagen.", "Not interested right now, maybe next quarter.")


def _activity_rows(sample: Sample, rng: random.Random, n: int, now: float) -> list[tuple]:
    import datetime as dt

    base = dt.datetime.fromtimestamp(now, dt.timezone.utc)
    rows = []
    for _ in range(n):
        user = rng.choice(sample.reps)
        lead = rng.choice(sample.leads[user])
        rows.append((lead, user, rng.choice(_CHANNELS), rng.choice(("in", "out")),
                     "message" if rng.random() < 0.85 else rng.choice(("call", "meeting", "note")),
                     rng.choice(_BODIES), base - dt.timedelta(seconds=rng.randint(0, 3600))))
    return rows


def _set_triggers(conn: psycopg.Connection, enabled: bool) -> None:
    conn.execute(f"ALTER TABLE salesflow.lead_activities {'ENABLE' if enabled else 'DISABLE'} TRIGGER USER")


def run_trigger_overhead(dsn: str, sample: Sample, rows: int, singles: int, seed: int, log: Log) -> dict:
    """Insert `rows` activities in 1,000-row statements with and without the user triggers (alternating
    chunks), plus `singles` single-row inserts each way. Rows inserted without triggers are deleted
    again (triggers still off) so the counters stay true."""
    rng = random.Random(seed + 7)
    batch = 1000
    chunk = max(batch, min(10_000, rows // 4 or batch))
    timing = {True: 0.0, False: 0.0}
    single = {True: [], False: []}
    untracked: list[int] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        triggers = [r[0] for r in conn.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'salesflow.lead_activities'::regclass AND NOT tgisinternal"
        ).fetchall()]
        done = {True: 0, False: 0}
        try:
            order = [False, True]
            while min(done.values()) < rows:
                for enabled in order:
                    n = min(chunk, rows - done[enabled])
                    if n <= 0:
                        continue
                    _set_triggers(conn, enabled)
                    data = _activity_rows(sample, rng, n, time.time())
                    for i in range(0, n, batch):
                        part = data[i:i + batch]
                        cols = [list(c) for c in zip(*part)]
                        t0 = time.perf_counter()
                        ids = [r[0] for r in conn.execute(_INSERT_BATCH, cols, prepare=True).fetchall()]
                        timing[enabled] += time.perf_counter() - t0
                        if not enabled:
                            untracked.extend(ids)
                    done[enabled] += n
                order.reverse()
            # single-row inserts, alternating blocks
            block = max(50, singles // 4)
            order = [False, True]
            left = {True: singles, False: singles}
            while left[True] > 0 or left[False] > 0:
                for enabled in order:
                    n = min(block, left[enabled])
                    if n <= 0:
                        continue
                    _set_triggers(conn, enabled)
                    for row in _activity_rows(sample, rng, n, time.time()):
                        t0 = time.perf_counter_ns()
                        new_id = conn.execute(_INSERT_ONE, row, prepare=True).fetchone()[0]
                        single[enabled].append(time.perf_counter_ns() - t0)
                        if not enabled:
                            untracked.append(new_id)
                    left[enabled] -= n
                order.reverse()
            _set_triggers(conn, False)
            for i in range(0, len(untracked), 50_000):
                conn.execute("DELETE FROM salesflow.lead_activities WHERE id = ANY(%s)", (untracked[i:i + 50_000],))
        finally:
            _set_triggers(conn, True)
    with_s, without_s = timing[True], timing[False]
    s_with, s_without = summarize(single[True]), summarize(single[False])
    res = {
        "rows": rows,
        "statement_rows": batch,
        "triggers": triggers,
        "with_s": round(with_s, 3),
        "without_s": round(without_s, 3),
        "ratio": round(with_s / without_s, 3) if without_s else None,
        "rows_per_s_with": round(rows / with_s) if with_s else None,
        "rows_per_s_without": round(rows / without_s) if without_s else None,
        "single_inserts": singles,
        "single_with": s_with,
        "single_without": s_without,
        "single_ratio_p50": round(s_with["p50_ms"] / s_without["p50_ms"], 3) if s_without["p50_ms"] else None,
    }
    log(f"  {rows:,} rows: {with_s:.2f} s with triggers, {without_s:.2f} s without (x{res['ratio']}); "
        f"single insert p50 {s_with['p50_ms']} vs {s_without['p50_ms']} ms")
    return res
