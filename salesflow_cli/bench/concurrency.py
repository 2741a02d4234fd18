"""Many clients mixing reads and writes; pg_stat_statements top statements."""

from __future__ import annotations


import random
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Callable

import psycopg

from .registry import REGISTRY, Ctx
from .scratch import Sample, _has_function
from .timing import Log, _SET_USER, _connect_as, _timed, summarize
from .triggers import _BODIES, _CHANNELS, _INSERT_ONE

# --------------------------------------------------------------------------- concurrency


_BY_NAME = {r.name: r for r in REGISTRY if r.label is None}  # the reads use the rpc registry's calls (same arguments)


@dataclass
class Op:
    name: str
    weight: float
    sql: str
    make: Callable[[Ctx], Any]  # -> a tuple (%s) or a dict (%(name)s)


def concurrency_ops(conn: psycopg.Connection) -> list[Op]:
    """The mix: RPC reads (70 %) and writes of activities and follow-ups (30 %)."""
    import datetime as dt

    def now_minus(c: Ctx) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=c.rng.randint(0, 600))

    reads = [Op(r.name, weight, r.sql, lambda c, r=r: r.bind(r.make(c))) for r, weight in (
        (_BY_NAME["get_lead_intelligence"], 25), (_BY_NAME["recommend_followup_actions"], 15),
        (_BY_NAME["get_scored_leads"], 15), (_BY_NAME["get_best_contact_window"], 15))]
    ops = [o for o in reads if _has_function(conn, o.name)]
    ops += [
        Op("insert activity", 18, _INSERT_ONE,
           lambda c: (c.lead, c.user, c.rng.choice(_CHANNELS), c.rng.choice(("in", "out")), "message",
                      c.rng.choice(_BODIES), now_minus(c))),
        Op("insert follow-up", 6,
           "INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel, note) "
           "VALUES (%s, %s, now() + make_interval(hours => %s), %s, 'bench')",
           lambda c: (c.lead, c.user, c.rng.randint(1, 96), c.rng.choice(_CHANNELS))),
        Op("complete follow-up", 6,
           "UPDATE salesflow.followups SET status = 'done', completed_at = now() "
           "WHERE id = (SELECT f.id FROM salesflow.followups AS f WHERE f.lead_id = %s AND f.status = 'open' "
           "ORDER BY f.due_at LIMIT 1)",
           lambda c: (c.lead,)),
    ]
    return ops


def _deadlocks(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]


# the two load levels of the concurrency section: report key -> label in tables and targets
CONCURRENCY_RUNS = (("concurrency", "concurrency"), ("concurrency_stress", "concurrency under stress"))


# ~100 lines: the client thread is a closure over the shared counters and the start barrier;
# splitting it would mean passing a dozen shared objects around.
def run_concurrency(dsn: str, sample: Sample, clients: int, duration: float, think_ms: float, seed: int,
                    log: Log) -> dict:
    with psycopg.connect(dsn, autocommit=True) as admin:
        ops = concurrency_ops(admin)
        weights = [o.weight for o in ops]
        deadlocks_before = _deadlocks(admin)
        lat: dict[str, list[int]] = defaultdict(list)
        errors: Counter = Counter()
        error_examples: dict[str, str] = {}
        last_end = [0.0] * clients  # when each client's last measured operation ended
        cold: list[int] = []  # first call of each operation per connection (warm-up, not in the figures)
        lock = threading.Lock()
        ready = threading.Barrier(clients + 1)
        stop_at = [0.0]
        failures: list[str] = []

        def client(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            ctx = Ctx(sample, rng)
            my_lat: dict[str, list[int]] = defaultdict(list)
            my_err: Counter = Counter()
            my_examples: dict[str, str] = {}
            my_cold: list[int] = []
            try:
                conn = _connect_as(dsn, "rep", application=f"salesflow bench client {i}")
            except psycopg.Error as exc:
                failures.append(str(exc).strip().splitlines()[0])
                ready.wait()
                return

            def run_op(op: Op, into: list[int], label: str) -> None:
                """One operation as a random rep: its latency into `into`, or its error counted."""
                ctx.pick("rep")
                conn.execute(_SET_USER, (str(ctx.user),), prepare=True)
                try:
                    into.append(_timed(conn, op.sql, op.make(ctx)))
                except psycopg.Error as exc:
                    state = exc.sqlstate or "?"
                    my_err[state] += 1
                    my_examples.setdefault(state, f"{label}: {str(exc).strip().splitlines()[0]}")

            try:
                # warm-up: each operation once before the clock starts. A new session plans every
                # function it calls on first use (recommend_followup_actions: ~50 ms cold, ~10 ms warm);
                # 100 sessions doing that at the same moment is a start-up burst, not the steady
                # state a pooled application sees. The cold calls are reported on their own.
                for op in ops:
                    run_op(op, my_cold, f"{op.name} (warm-up)")
                ready.wait()
                while True:
                    # think first: the clients' first operations spread over one think time instead of
                    # all 100 arriving at the same instant when the barrier opens (a start-up burst)
                    if think_ms > 0:
                        time.sleep(rng.uniform(0, 2 * think_ms) / 1000.0)
                    if time.monotonic() >= stop_at[0]:
                        break
                    op = rng.choices(ops, weights)[0]
                    run_op(op, my_lat[op.name], op.name)
                    last_end[i] = time.monotonic()
            finally:
                conn.close()
                with lock:
                    for k, v in my_lat.items():
                        lat[k].extend(v)
                    errors.update(my_err)
                    for k, v in my_examples.items():
                        error_examples.setdefault(k, v)
                    cold.extend(my_cold)

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        for t in threads:
            t.start()
        stop_at[0] = time.monotonic() + 3600  # placeholder until everyone is connected
        ready.wait()
        t0 = time.monotonic()
        stop_at[0] = t0 + duration
        for t in threads:
            t.join()
        # the window the operations ran in: not the think time a client slept past the stop
        elapsed = max([duration] + [e - t0 for e in last_end if e])
        deadlocks_after = _deadlocks(admin)
    every = [v for vs in lat.values() for v in vs]
    total_ops = len(every) + sum(errors.values())
    res = {
        "clients": clients,
        "connected": clients - len(failures),
        "duration_s": round(elapsed, 2),
        "think_ms_mean": think_ms,
        "ops": total_ops,
        "throughput_ops_s": round(total_ops / elapsed, 1) if elapsed else None,
        **summarize(every),
        "errors": sum(errors.values()),
        "errors_by_state": dict(errors),
        "error_examples": error_examples,
        "deadlocks_40P01": errors.get("40P01", 0),
        "deadlocks_server": deadlocks_after - deadlocks_before,
        "connect_failures": failures[:3],
        "by_op": [{"op": o.name, "calls": len(lat[o.name]), **summarize(lat[o.name])} for o in ops],
        "warmup": {"calls": len(cold), **summarize(cold),
                   "note": "each connection ran every operation once before the clock started (cold plan cache, "
                           "all connections at once); not in the figures above"},
    }
    log(f"  {clients} clients x {elapsed:.0f} s: {res['throughput_ops_s']} ops/s, p99 {res['p99_ms']} ms, "
        f"errors {res['errors']}, deadlocks {res['deadlocks_40P01']}/{res['deadlocks_server']}")
    return res


# --------------------------------------------------------------------------- pg_stat_statements


def statements_reset(dsn: str) -> bool:
    try:
        with psycopg.connect(dsn, autocommit=True) as c:
            c.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            c.execute("SELECT pg_stat_statements_reset()")
        return True
    except psycopg.Error:
        return False


def statements_top(dsn: str, n: int = 15) -> list[dict]:
    with psycopg.connect(dsn, autocommit=True) as c:
        rows = c.execute(
            """SELECT calls, round(total_exec_time::numeric, 1), round(mean_exec_time::numeric, 3),
                      round(max_exec_time::numeric, 1), rows, toplevel,
                      regexp_replace(query, '\\s+', ' ', 'g')
               FROM pg_stat_statements
               WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
               ORDER BY total_exec_time DESC LIMIT %s""", (n,)).fetchall()
    return [{"calls": r[0], "total_ms": float(r[1]), "mean_ms": float(r[2]), "max_ms": float(r[3]), "rows": r[4],
             "toplevel": r[5], "query": r[6][:300]} for r in rows]
