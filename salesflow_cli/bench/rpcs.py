"""Runners for the rpc, maintenance and refresh sections."""

from __future__ import annotations


import random
import statistics
import time
from collections import Counter, defaultdict
from typing import Any, Optional

import psycopg

from .. import rpc as api
from .registry import Call, Ctx, MAINTENANCE, NOT_MEASURED, REGISTRY, Rpc, _norm_types, discover_rpcs
from .scratch import Sample, _has_function
from .timing import Log, _SET_USER, _connect_as, _timed, summarize

def run_rpcs(dsn: str, sample: Sample, calls: int, seed: int, log: Log, track_all: bool) -> tuple[list[dict], list[dict]]:
    """Measure every known RPC; return (results, skipped)."""
    rng = random.Random(seed)
    ctx = Ctx(sample, rng)
    results, skipped = [], []
    with psycopg.connect(dsn, autocommit=True) as owner:
        found = {d.name: d for d in discover_rpcs(owner)}
        known = {r.name for r in REGISTRY}
        for name, d in sorted(found.items()):
            if name in NOT_MEASURED:
                skipped.append({"name": name, "reason": NOT_MEASURED[name]})
            elif name in MAINTENANCE:
                continue
            elif name not in known:
                skipped.append({"name": name, "reason": f"no caller in the bench for ({d.argtypes})"})
        for rpc in REGISTRY:
            d = found.get(rpc.name)
            if d is None:
                continue
            want, have = _norm_types(rpc.argtypes), _norm_types(d.argtypes)
            if have[: len(want)] != want:
                skipped.append({"name": rpc.name, "reason": f"signature ({d.argtypes}) differs from the bench's ({rpc.argtypes})"})
                continue
            role = rpc.role if rpc.role in d.roles else (d.roles[0] if d.roles else None)
            if role is None:
                skipped.append({"name": rpc.name, "reason": "no salesflow role may execute it"})
                continue
            if rpc.name in ("semantic_search_leads", "store_lead_embedding") and not sample.embedding_dims:
                skipped.append({"name": rpc.name, "reason": "no embedding column (pgvector module not installed)"})
                continue
            pool = rpc.pool(owner, ctx, calls) if rpc.pool else None
            if pool is not None and not pool:
                skipped.append({"name": rpc.name, "reason": "nothing to call it on (empty pool)"})
                continue
            res = _run_one(dsn, rpc, role, ctx, calls, pool, track_all)
            log(f"  {rpc.title:<34} p50 {res['p50_ms'] or 0:7.2f}  p99 {res['p99_ms'] or 0:7.2f} ms"
                f"{'  errors ' + str(res['errors']) if res['errors'] else ''}")
            results.append(res)
    return results, skipped


RPC_TIME_CAP_S = 180.0  # per function: a function this slow stops after 200+ calls (reported as time_capped)


def _run_one(dsn: str, rpc: Rpc, role: str, ctx: Ctx, calls: int, pool: Optional[list[Call]], track_all: bool) -> dict:
    lat: list[int] = []
    errors: Counter = Counter()
    first_error = None
    capped = False
    t_end = time.monotonic() + RPC_TIME_CAP_S
    with _connect_as(dsn, role, track_all) as conn:
        todo = pool if pool is not None else [None] * calls
        for i, call in enumerate(todo):
            if i >= 200 and time.monotonic() > t_end:
                capped = True  # far beyond any target already; the percentiles of 200+ calls say so
                break
            if call is None:
                ctx.pick(role)
                user, args = ctx.user, rpc.bind(rpc.make(ctx))
            else:
                user, args = call.user, rpc.bind(call.args)
            conn.execute(_SET_USER, (str(user),), prepare=True)
            try:
                lat.append(_timed(conn, rpc.sql, args))
            except psycopg.Error as exc:
                errors[exc.sqlstate or "?"] += 1
                first_error = first_error or f"{exc.sqlstate}: {str(exc).strip().splitlines()[0]}"
                if i >= 9 and not lat:  # failing every time: stop early
                    break
    out = {"name": rpc.title, "function": rpc.name, "target_ms": rpc.target_ms, "role": role, "write": rpc.write, "requested": len(pool) if pool is not None else calls,
           "calls": len(lat), "errors": sum(errors.values()), **summarize(lat)}
    if errors:
        out["error_states"] = dict(errors)
        out["first_error"] = first_error
    if capped:
        out["time_capped"] = f"stopped after {RPC_TIME_CAP_S:g} s"
    return out


def run_maintenance(dsn: str, n: int, log: Log) -> list[dict]:
    out = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for name, sql in MAINTENANCE.items():
            if not _has_function(conn, name):
                continue
            lat, errors, first = [], 0, None
            for _ in range(n):
                try:
                    lat.append(_timed(conn, sql, ()))
                except psycopg.Error as exc:
                    errors += 1
                    first = first or str(exc).strip().splitlines()[0]
            res = {"name": name, "role": "owner", "requested": n, "calls": len(lat), "errors": errors, **summarize(lat)}
            if first:
                res["first_error"] = first
            log(f"  {name:<34} p50 {res['p50_ms'] or 0:9.1f} ms")
            out.append(res)
    return out


# --------------------------------------------------------------------------- refresh


def run_refresh(dsn: str, runs: int, log: Log) -> Optional[dict]:
    with psycopg.connect(dsn, autocommit=True) as conn:
        if not _has_function(conn, "refresh_all_ki_views"):
            return None
        totals, steps = [], defaultdict(list)
        rows: dict[str, Any] = {}
        for _ in range(runs):
            t0 = time.perf_counter()
            out = api.refresh_all_ki_views(conn)
            totals.append((time.perf_counter() - t0) * 1000)
            for step, ms, n in ((r["step"], r["duration_ms"], r["row_count"]) for r in out):
                steps[step].append(float(ms or 0))
                rows[step] = n
    res = {
        "runs": runs,
        "total_ms": round(statistics.median(totals), 1),
        "max_total_ms": round(max(totals), 1),
        "steps": [{"step": s, "duration_ms": round(statistics.median(v), 1), "row_count": rows[s]} for s, v in steps.items()],
    }
    log(f"  refresh_all_ki_views: {res['total_ms']:.0f} ms (median of {runs})")
    return res
