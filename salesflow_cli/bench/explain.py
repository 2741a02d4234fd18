"""EXPLAIN ANALYZE evidence for the slowest statements."""

from __future__ import annotations


import random
import uuid
from typing import Any, Optional

import psycopg

from .registry import Ctx, REGISTRY
from .scratch import Sample
from .timing import _SET_USER

# --------------------------------------------------------------------------- EXPLAIN evidence


def _auto_explain(conn: psycopg.Connection) -> list[str]:
    """LOAD auto_explain on this (superuser) session with nested statements logged as NOTICEs; the
    returned list collects the plans of every statement run after it."""
    conn.execute("LOAD 'auto_explain'")
    for k, v in (("log_min_duration", "0"), ("log_analyze", "on"), ("log_buffers", "on"),
                 ("log_nested_statements", "on"), ("log_timing", "on"), ("log_level", "notice"),
                 ("log_parameter_max_length", "0")):
        try:
            conn.execute(f"SET auto_explain.{k} = '{v}'")
        except psycopg.Error:
            pass  # older servers lack some settings
    plans: list[str] = []
    conn.add_notice_handler(lambda d: plans.append(d.message_primary or ""))
    return plans


def _slowest_plans(plans: list[str], top_sql: str, top: int = 3) -> list[dict]:
    """The slowest nested statements (the top-level statement itself is left out)."""
    import re

    head = re.split(r"%s|%\(", " ".join(top_sql.split()), maxsplit=1)[0][:60]  # the statement up to its first parameter
    found = []
    for p in plans:
        m = re.match(r"duration: ([0-9.]+) ms\s+plan:\s*(.*)", p, re.S)
        if not m:
            continue
        text = m.group(2).strip().splitlines()
        start = next((i for i, ln in enumerate(text) if "(cost=" in ln or "(actual" in ln), 0)
        query = " ".join(" ".join(ln.split()) for ln in text[:start]).removeprefix("Query Text:").strip()
        if query.startswith(head):
            continue
        found.append({"duration_ms": float(m.group(1)), "query": query[:400], "plan": "\n".join(text[start:])})
    found.sort(key=lambda x: -x["duration_ms"])
    return found[:top]


def explain_sql(dsn: str, sql_text: str, args: Any, role: Optional[str] = None, user: Optional[uuid.UUID] = None,
                warmup: bool = True, top: int = 3) -> list[dict]:
    """EXPLAIN ANALYZE evidence for one statement: the slowest statements it runs inside (functions,
    triggers, REFRESH), via auto_explain. Needs a superuser; [] otherwise."""
    try:
        with psycopg.connect(dsn, autocommit=True) as conn:
            if warmup and role:
                conn.execute(f"SET ROLE salesflow_{role}")
                if user:
                    conn.execute(_SET_USER, (str(user),))
                conn.execute(sql_text, args)
                conn.execute("RESET ROLE")
            plans = _auto_explain(conn)
            if role:
                conn.execute(f"SET ROLE salesflow_{role}")
            if user:
                conn.execute(_SET_USER, (str(user),))
            plans.clear()
            cur = conn.execute(sql_text, args)
            if cur.description is not None:
                cur.fetchall()
    except psycopg.Error as exc:
        return [{"duration_ms": None, "query": sql_text[:200], "plan": f"explain failed: {str(exc).strip().splitlines()[0]}"}]
    return _slowest_plans(plans, sql_text, top)


def explain_calls(dsn: str, sample: Sample, names: list[str], seed: int, top: int = 3) -> dict[str, list[dict]]:
    """One call of each named RPC (after a warm-up call with other arguments) under auto_explain."""
    rng = random.Random(seed + 11)
    ctx = Ctx(sample, rng)
    by_name = {r.name: r for r in REGISTRY if r.label is None}
    out: dict[str, list[dict]] = {}
    with psycopg.connect(dsn, autocommit=True) as owner:
        pools = {n: by_name[n].pool(owner, ctx, 1) for n in names if n in by_name and by_name[n].pool}
    for name in names:
        rpc = by_name.get(name)
        if rpc is None:
            continue
        role = rpc.role if rpc.role in ("rep", "manager", "admin") else "rep"
        pool = pools.get(name)
        if pool is not None:
            if not pool:
                continue
            user, args, warm = pool[0].user, rpc.bind(pool[0].args), False  # a pooled call changes state: no warm-up
        else:
            ctx.pick(role)
            user, args, warm = ctx.user, rpc.bind(rpc.make(ctx)), True
        out[name] = explain_sql(dsn, rpc.sql, args, role, user, warm, top)
    return out
