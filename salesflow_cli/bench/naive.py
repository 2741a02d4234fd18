"""The naive baseline: the same answers computed from raw tables, compared with the real RPCs."""

from __future__ import annotations


import random
import time
import uuid

import psycopg

from .. import rpc as api
from .scratch import Sample, _has_function
from .timing import Log, _connect_as, summarize

# --------------------------------------------------------------------------- naive baseline
# The same answers computed straight from the raw tables: no lead_engagement counters, no
# materialized views. In the scratch database the bench installs schema `naive`:
#   naive.lead_engagement_for(user)  the per-lead signals of one user's leads aggregated from raw
#                                    lead_activities, bant_assessments, personality_profiles and
#                                    lead_stage_events (what the counters hold, computed at query time);
#   naive.<view>_for(user)           every materialized view's own definition (pg_get_viewdef) for
#                                    one user, reading the functions above instead of the counters
#                                    and the other views;
#   naive.get_scored_leads, naive.recommend_followup_actions
#                                    the shipped functions' own source (pg_get_functiondef) with
#                                    lead_engagement and every materialized view swapped for a temp
#                                    table filled once per call from its naive twin (so a lateral
#                                    probe does not re-run a view definition per row).
# So formulas, candidates and ordering are the shipped ones and only the data path differs; the
# answers must match (the lead set is compared on every call). Nested helpers the functions call
# for their returned rows only (contact window, DISG tip) are the shipped ones in both.

# Why the engagement signals are written out here and not read from the SQL tree: views and
# functions have a query definition the baseline takes from the catalog (pg_get_viewdef,
# pg_get_functiondef), but salesflow.lead_engagement has none. Its columns are counters kept
# incrementally, batch by batch, by the drain (sql/functions/count_activities.sql, plus the BANT,
# profile and stage-event triggers): there is no SELECT to reuse. This aggregate is that trigger
# logic restated as one query over the raw tables; tests/test_bench.py checks that the naive answers
# equal the real ones, so a change of the trigger that this copy misses fails there.
_NAIVE_ENGAGEMENT = """
WITH e AS (
    SELECT x.lead_id, x.channel, x.direction, x.occurred_at, x.kind <> 'note' AS is_contact,
           lag(x.direction) OVER w AS prev_direction, lag(x.occurred_at) OVER w AS prev_at
    FROM salesflow.lead_activities AS x
    WHERE x.user_id = p_user
    WINDOW w AS (PARTITION BY x.lead_id, x.kind = 'note' ORDER BY x.occurred_at, x.direction DESC)
),
a AS (
    SELECT e.lead_id,
           count(*) FILTER (WHERE e.is_contact AND e.direction = 'in')::integer AS inbound_count,
           count(*) FILTER (WHERE e.is_contact AND e.direction = 'out')::integer AS outbound_count,
           count(*) FILTER (WHERE e.is_contact AND e.direction = 'in' AND e.prev_direction = 'out'
                            AND e.occurred_at - e.prev_at <= interval '24 hours')::integer AS reply_count,
           (array_agg(e.channel ORDER BY e.occurred_at) FILTER (WHERE e.is_contact))[1] AS first_channel,
           min(e.occurred_at) FILTER (WHERE e.is_contact) AS first_contact_at,
           max(e.occurred_at) FILTER (WHERE e.is_contact AND e.direction = 'in') AS last_inbound_at,
           max(e.occurred_at) FILTER (WHERE e.is_contact AND e.direction = 'out') AS last_outbound_at,
           (array_agg(e.channel ORDER BY e.occurred_at DESC) FILTER (WHERE e.is_contact AND e.direction = 'out'))[1]
               AS last_outbound_channel,
           max(e.occurred_at) AS last_activity_at,
           (array_agg(e.occurred_at ORDER BY e.occurred_at DESC) FILTER (WHERE e.is_contact AND e.direction = 'in'))[1:6]
               AS recent_inbound
    FROM e GROUP BY e.lead_id
),
b AS (
    SELECT DISTINCT ON (x.lead_id) x.lead_id, x.total_score, x.traffic_light, x.created_at
    FROM salesflow.bant_assessments AS x WHERE x.user_id = p_user
    ORDER BY x.lead_id, x.created_at DESC, x.id DESC
),
p AS (
    SELECT DISTINCT ON (x.lead_id) x.lead_id, x.primary_type, x.created_at
    FROM salesflow.personality_profiles AS x WHERE x.user_id = p_user
    ORDER BY x.lead_id, x.created_at DESC, x.id DESC
),
s AS (
    SELECT x.lead_id,
           min(x.changed_at) FILTER (WHERE x.to_stage = 'contacted') AS reached_contacted_at,
           min(x.changed_at) FILTER (WHERE x.to_stage = 'replied') AS reached_replied_at,
           min(x.changed_at) FILTER (WHERE x.to_stage = 'meeting') AS reached_meeting_at,
           min(x.changed_at) FILTER (WHERE x.to_stage = 'proposal') AS reached_proposal_at,
           min(x.changed_at) FILTER (WHERE x.to_stage = 'won') AS reached_won_at,
           min(x.changed_at) FILTER (WHERE x.to_stage = 'lost') AS reached_lost_at
    FROM salesflow.lead_stage_events AS x WHERE x.user_id = p_user
    GROUP BY x.lead_id
)
SELECT {columns}
FROM salesflow.leads AS l
LEFT JOIN a ON a.lead_id = l.id
LEFT JOIN b ON b.lead_id = l.id
LEFT JOIN p ON p.lead_id = l.id
LEFT JOIN s ON s.lead_id = l.id
WHERE l.user_id = p_user
"""
_ENGAGEMENT_EXPR = {
    "lead_id": "l.id", "user_id": "l.user_id",
    "inbound_count": "coalesce(a.inbound_count, 0)", "outbound_count": "coalesce(a.outbound_count, 0)",
    "reply_count": "coalesce(a.reply_count, 0)", "first_channel": "a.first_channel",
    "first_contact_at": "a.first_contact_at", "last_inbound_at": "a.last_inbound_at",
    "last_outbound_at": "a.last_outbound_at", "last_outbound_channel": "a.last_outbound_channel",
    "last_activity_at": "a.last_activity_at", "recent_inbound": "coalesce(a.recent_inbound, '{{}}')",
    "bant_score": "b.total_score", "bant_light": "b.traffic_light", "bant_at": "b.created_at",
    "disg_type": "p.primary_type", "disg_at": "p.created_at", "updated_at": "now()",
    **{f"reached_{st}_at": f"s.reached_{st}_at" for st in ("contacted", "replied", "meeting", "proposal", "won", "lost")},
}
_NAIVE_USER = "current_setting('naive.user_id')::uuid"
# table kept per lead by the drain -> the SQL function that computes its rows (p_lead_ids NULL: all)
DERIVED_TABLES = {"lead_scores": "score_leads", "lead_next_actions": "rank_next_actions"}
NAIVE_FUNCTIONS = {
    # function: (comparison query on the real function, the same on the naive copy, score column tolerance)
    "get_scored_leads": ("SELECT lead_id, health_score FROM {schema}.get_scored_leads(50, 0, %(user)s::uuid)", 0.2),
    "recommend_followup_actions": ("SELECT lead_id, score FROM {schema}.recommend_followup_actions(%(user)s::uuid, 10)",
                                   0.5),
}


def _columns(conn: psycopg.Connection, rel: str) -> list[tuple[str, str]]:
    return conn.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute AS a
           WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
        (rel,)).fetchall()


def install_naive(conn: psycopg.Connection) -> dict[str, str]:
    """Create schema naive (see above). Returns {function: problem} for copies that could not be made."""
    import re

    problems: dict[str, str] = {}
    conn.execute("DROP SCHEMA IF EXISTS naive CASCADE")
    conn.execute("CREATE SCHEMA naive")
    conn.execute("SET check_function_bodies = off")  # the naive functions refer to each other
    try:
        cols = _columns(conn, "salesflow.lead_engagement")
        unknown = [c for c, _t in cols if c not in _ENGAGEMENT_EXPR]
        select = ", ".join(f"{_ENGAGEMENT_EXPR.get(c, 'NULL')}::{t} AS {c}" for c, t in cols)
        conn.execute(
            "CREATE FUNCTION naive.lead_engagement_for(p_user uuid) RETURNS TABLE ("
            + ", ".join(f"{c} {t}" for c, t in cols)
            + ") LANGUAGE sql STABLE AS $naive$" + _NAIVE_ENGAGEMENT.format(columns=select) + "$naive$")
        if unknown:
            problems["lead_engagement"] = "columns without a raw-table expression (NULL): " + ", ".join(unknown)
        # every materialized view becomes naive.<view>_for(user): its own definition for one user, over
        # the raw-table engagement and the other views' naive twins
        views = [r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_class AS c WHERE c.relnamespace = 'salesflow'::regnamespace "
            "AND c.relkind IN ('m', 'v') ORDER BY 1").fetchall()]
        # the per-lead tables behind the plain views: their naive twin is the computation that fills
        # them (score_leads / rank_next_actions) for every lead, at query time
        derived = {t: f for t, f in DERIVED_TABLES.items() if conn.execute(
            "SELECT to_regclass(%s) IS NOT NULL", (f"salesflow.{t}",)).fetchone()[0]}

        def swap(text: str, user_expr: str) -> tuple[str, int]:
            text, n = re.subn(r"\bsalesflow\.lead_engagement\b", f"naive.lead_engagement_for({user_expr})", text)
            for v in [*views, *derived]:
                text, k = re.subn(rf"\bsalesflow\.{v}\b", f"naive.{v}_for({user_expr})", text)
                n += k
            return text, n

        for t, fn in derived.items():
            src = conn.execute("SELECT p.prosrc FROM pg_proc AS p WHERE p.oid = %s::regproc", (f"salesflow.{fn}",)).fetchone()[0]
            body, _ = swap(re.sub(r"\bp_lead_ids\b", "NULL::uuid[]", src).strip().rstrip(";"), "p_user")
            tcols = _columns(conn, f"salesflow.{t}")
            conn.execute(
                f"CREATE FUNCTION naive.{t}_for(p_user uuid) RETURNS TABLE ("
                + ", ".join(f'"{c}" {ty}' for c, ty in tcols)
                + f") LANGUAGE sql STABLE AS $naive$ SELECT * FROM ({body}) AS v WHERE v.user_id = p_user $naive$")

        conn.execute("SET search_path = pg_catalog")  # pg_get_viewdef then qualifies every name
        try:
            defs = {v: conn.execute("SELECT pg_get_viewdef(%s::regclass, true)", (f"salesflow.{v}",)).fetchone()[0]
                    for v in views}
        finally:
            conn.execute("RESET search_path")
        keyed = {"lead_engagement"}  # relations with a lead_id column: the temp copies get an index on it
        for v in views:
            vcols = _columns(conn, f"salesflow.{v}")
            if any(c == "lead_id" for c, _t in vcols):
                keyed.add(v)
            body, _ = swap(defs[v].rstrip().rstrip(";"), "p_user")
            where = " WHERE v.user_id = p_user" if any(c == "user_id" for c, _t in vcols) else ""
            conn.execute(
                f"CREATE FUNCTION naive.{v}_for(p_user uuid) RETURNS TABLE ("
                + ", ".join(f'"{c}" {t}' for c, t in vcols)
                + f") LANGUAGE sql STABLE AS $naive$ SELECT * FROM ({body}) AS v{where} $naive$")
        for fname in NAIVE_FUNCTIONS:
            row = conn.execute(
                "SELECT pg_get_functiondef(p.oid) FROM pg_proc AS p WHERE p.pronamespace = 'salesflow'::regnamespace "
                "AND p.proname = %s", (fname,)).fetchone()
            if not row:
                problems[fname] = "not deployed"
                continue
            src = row[0].replace(f"FUNCTION salesflow.{fname}(", f"FUNCTION naive.{fname}(", 1)
            src, n = _naive_once_per_call(src, views, keyed)
            if n == 0:
                problems[fname] = "reads neither lead_engagement nor a score view directly: nothing to swap"
            try:
                conn.execute(src)
            except psycopg.Error as exc:
                problems[fname] = f"naive copy failed: {str(exc).strip().splitlines()[0]}"
    finally:
        conn.execute("RESET check_function_bodies")
    conn.execute("GRANT USAGE ON SCHEMA naive TO salesflow_rep, salesflow_manager, salesflow_admin")
    conn.execute("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA naive TO salesflow_rep, salesflow_manager, salesflow_admin")
    return problems


def _naive_once_per_call(src: str, views: list[str], keyed: set[str]) -> tuple[str, int]:
    """The function copy computes each relation it reads (lead_engagement, materialized views) once
    per call from the raw tables, into an indexed temp table, and reads that: naive, but not the
    worst case of re-running a view definition for every row a lateral probe touches.
    Returns the new source and the number of references swapped."""
    import re

    n = 0
    used = []
    for rel in ["lead_engagement", *views]:
        src, k = re.subn(rf"\bsalesflow\.{rel}\b", f"pg_temp.naive_{rel}", src)
        if k:
            used.append(rel)
            n += k
    if not used:
        return src, 0
    prelude = "".join(
        f"DROP TABLE IF EXISTS pg_temp.naive_{rel};\n"
        f"CREATE TEMP TABLE naive_{rel} AS SELECT * FROM naive.{rel}_for({_NAIVE_USER});\n"
        + (f"CREATE INDEX ON pg_temp.naive_{rel} (lead_id);\n" if rel in keyed else "")
        + f"ANALYZE pg_temp.naive_{rel};\n"
        for rel in used)
    # after the outermost BEGIN of the plpgsql body; DDL needs a VOLATILE function
    src = re.sub(r"^BEGIN\s*$", lambda m: "BEGIN\n" + prelude, src, count=1, flags=re.M)
    src = re.sub(r"^ (STABLE|IMMUTABLE)\b", " VOLATILE", src, count=1, flags=re.M)
    return src, n


def same_leads(real: list[tuple], naive: list[tuple], tolerance: float) -> bool:
    """Same lead set, allowing swaps at the cut-off between leads whose scores are within `tolerance`
    of the last row's score (the views are as of the refresh, the naive answer as of now)."""
    a, b = {r[0] for r in real}, {r[0] for r in naive}
    if a == b:
        return True
    if len(real) != len(naive) or not real:
        return False
    cut = min(float(r[1]) for r in real)
    scores = {r[0]: float(r[1]) for r in naive} | {r[0]: float(r[1]) for r in real}
    return all(abs(scores[x] - cut) <= tolerance for x in a ^ b)


def compare_naive(conn: psycopg.Connection, fname: str, user: uuid.UUID) -> tuple[int, int, list, list]:
    """Time the real function and its naive copy for one user (as that user); return both answers."""
    query, _tol = NAIVE_FUNCTIONS[fname]
    params = {"user": user}
    conn.execute("SELECT set_config('salesflow.user_id', %s, false), set_config('naive.user_id', %s, false)",
                 (str(user), str(user)), prepare=True)
    t0 = time.perf_counter_ns()
    real = conn.execute(query.format(schema="salesflow"), params, prepare=True).fetchall()
    t1 = time.perf_counter_ns()
    naive = conn.execute(query.format(schema="naive"), params, prepare=True).fetchall()
    t2 = time.perf_counter_ns()
    return t1 - t0, t2 - t1, real, naive


NAIVE_TIME_CAP_S = 40.0  # per function: the naive side is slow by design; at least 10 calls either way


def run_naive(dsn: str, sample: Sample, calls: int, seed: int, log: Log) -> list[dict]:
    rng = random.Random(seed + 3)
    n = max(20, calls // 10)
    out = []
    with psycopg.connect(dsn, autocommit=True) as owner:
        problems = install_naive(owner)
        # the views must be as fresh as the raw tables for the answers to match
        if _has_function(owner, "refresh_all_ki_views"):
            owner.execute(api.refresh_all_ki_views.query(set())).fetchall()
    for what, problem in problems.items():
        log(f"  naive {what}: {problem}")
    with _connect_as(dsn, "rep") as conn:
        for fname, (_query, tol) in NAIVE_FUNCTIONS.items():
            if fname in problems:
                out.append({"name": fname, "skipped": problems[fname]})
                continue
            real_lat, naive_lat, same, errors = [], [], 0, 0
            first_error, mismatch = None, None
            t_end = time.monotonic() + NAIVE_TIME_CAP_S
            for i in range(n):
                if i >= 10 and time.monotonic() > t_end:
                    break
                user = rng.choice(sample.reps)
                try:
                    r, nv, real, naive = compare_naive(conn, fname, user)
                except psycopg.Error as exc:
                    errors += 1
                    first_error = first_error or str(exc).strip().splitlines()[0]
                    continue
                real_lat.append(r)
                naive_lat.append(nv)
                if same_leads(real, naive, tol):
                    same += 1
                elif mismatch is None:
                    mismatch = {"user": str(user), "real": [(str(a), float(b)) for a, b in real[:10]],
                                "naive": [(str(a), float(b)) for a, b in naive[:10]]}
            real_s, naive_s = summarize(real_lat), summarize(naive_lat)
            res = {"name": fname, "calls": len(real_lat), "errors": errors, "real": real_s, "naive": naive_s,
                   "speedup_p50": round(naive_s["p50_ms"] / real_s["p50_ms"], 1) if real_s["p50_ms"] else None,
                   "speedup_p99": round(naive_s["p99_ms"] / real_s["p99_ms"], 1) if real_s["p99_ms"] else None,
                   "same_lead_set": same, "compared": len(real_lat)}
            if first_error:
                res["first_error"] = first_error
            if mismatch:
                res["first_mismatch"] = mismatch
            log(f"  {fname}: real p50 {real_s['p50_ms']} ms, naive p50 {naive_s['p50_ms']} ms "
                f"(x{res['speedup_p50']}), same leads {same}/{len(real_lat)}")
            out.append(res)
    return out
