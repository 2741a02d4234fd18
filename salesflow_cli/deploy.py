"""`salesflow deploy`, `salesflow status`, `salesflow verify`: the deploy engine.

The decisions live in SQL (salesflow.deploy_needed / record_applied from bootstrap.sql) so that
this engine and the generated DEPLOY_KI_SYSTEM.sql behave the same and leave the same history.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import typer

from . import __version__, locks, rpc
from .connection import connect
from .errors import UserError, not_deployed, step_failed
from .options import Dsn, Json, LockTimeout, Quiet
from .render import console, err_console, print_json, table
from .sqlfiles import SqlFile, discover

TOOL_VERSION = f"salesflow {__version__}"
MIGRATION_LOCK_TIMEOUT = "10s"  # per-migration lock_timeout: fail fast instead of queueing behind a long query
OPTIONAL_EXTENSIONS = {"vector": "semantic search"}


SKIP_STATES = ("missing-extension", "extension-not-permitted")


@dataclass
class Step:
    file: SqlFile
    state: str  # applied | pending | changed | drift | missing-extension | extension-not-permitted
    detail: str = ""
    reason: str = ""  # why a skipped file is skipped, for people (text output and --json)

    @property
    def will_apply(self) -> bool:
        return self.state in ("pending", "changed")

    @property
    def skipped(self) -> bool:
        return self.state in SKIP_STATES

    def as_dict(self) -> dict:
        return {"kind": self.file.kind, "file": self.file.relpath, "state": self.state, "detail": self.detail}


def read_history(conn: psycopg.Connection) -> dict[tuple[str, str], str]:
    """Latest sha256 per (kind, name); empty on a database never deployed to."""
    if conn.execute("SELECT to_regclass('salesflow.schema_history')").fetchone()[0] is None:
        return {}
    rows = conn.execute(
        "SELECT DISTINCT ON (kind, name) kind, name, sha256 FROM salesflow.schema_history ORDER BY kind, name, id DESC"
    ).fetchall()
    return {(k, n): s for k, n, s in rows}


def available_extensions(conn: psycopg.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM pg_available_extensions").fetchall()}


# May the deploying role create the extension? Already installed, superuser, or a trusted extension (or
# one marked superuser = false) plus CREATE on the database. Otherwise CREATE EXTENSION would fail.
# build.py puts the same condition into DEPLOY_KI_SYSTEM.sql.
MAY_CREATE_EXTENSION_SQL = """
    EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = {ext})
    OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user)
    OR (coalesce((SELECT v.trusted OR NOT v.superuser
                  FROM pg_catalog.pg_available_extensions AS a
                  JOIN pg_catalog.pg_available_extension_versions AS v ON v.name = a.name AND v.version = a.default_version
                  WHERE a.name = {ext}), false)
        AND has_database_privilege(current_database(), 'CREATE'))"""


def may_create_extension(conn: psycopg.Connection, ext: str) -> bool:
    return bool(conn.execute("SELECT " + MAY_CREATE_EXTENSION_SQL.format(ext="%(ext)s"), {"ext": ext}).fetchone()[0])


def _skip_reason(state: str, exts: list[str], role: str, database: str) -> str:
    feature = " and ".join(sorted({OPTIONAL_EXTENSIONS.get(e, e) for e in exts}))
    names = ", ".join(exts)
    if state == "missing-extension":
        return (f"{feature} is not installed: this server has no '{names}' extension (not in pg_available_extensions). "
                f"Everything else is deployed; install pgvector on the server and run deploy again to add {feature}.")
    return (f"{feature} is not installed: the '{names}' extension is available on this server, but role {role} may not "
            f"create it (not a superuser, and it is not a trusted extension). Everything else is deployed; a superuser "
            f"can install it with: CREATE EXTENSION {names}; (in database {database}), then run deploy again to add {feature}.")


def plan(conn: psycopg.Connection, files: list[SqlFile] | None = None) -> list[Step]:
    files = files if files is not None else discover()
    history = read_history(conn)
    extensions = available_extensions(conn)
    permitted = {e: may_create_extension(conn, e) for e in {e for f in files for e in f.extensions} & extensions}
    role, database = conn.execute("SELECT current_user, current_database()").fetchone()
    steps = []
    for f in files:
        missing = [e for e in f.extensions if e not in extensions]
        forbidden = [e for e in f.extensions if e in extensions and not permitted[e]]
        last = history.get((f.kind, f.name))
        if missing:
            steps.append(Step(f, "missing-extension", ", ".join(missing), _skip_reason("missing-extension", missing, role, database)))
        elif forbidden:
            steps.append(Step(f, "extension-not-permitted", ", ".join(forbidden),
                              _skip_reason("extension-not-permitted", forbidden, role, database)))
        elif last is None:
            steps.append(Step(f, "pending"))
        elif last == f.sha256:
            if f.kind == "view" and conn.execute("SELECT to_regclass(%s)", (f"salesflow.{f.name}",)).fetchone()[0] is None:
                steps.append(Step(f, "changed", "view missing"))
            else:
                steps.append(Step(f, "applied"))
        elif f.kind == "migration":
            steps.append(Step(f, "drift", f"applied {last[:12]}, file {f.sha256[:12]}"))
        else:
            steps.append(Step(f, "changed"))
    return steps


def _drain_queued(conn: psycopg.Connection, say) -> None:
    """Score the leads an upgrade queued (0160 queues every existing lead) before the deploy returns:
    readers never find an upgraded database without scores."""
    if conn.execute("SELECT to_regprocedure('salesflow.drain_dirty_leads(integer,integer,interval)') IS NULL").fetchone()[0]:
        return  # an older schema, or a tree without the scores (the deploy engine's own tests)
    if not conn.execute("SELECT EXISTS (SELECT 1 FROM salesflow.dirty_leads)").fetchone()[0]:
        return
    with conn.transaction():
        row = rpc.drain_dirty_leads(conn, limit=2**31 - 1, stale_limit=0)[0]
    say(f"  scored    {row['leads_dirty']} queued lead(s)  [dim]{float(row['duration_ms']):.0f} ms[/dim]")


def _apply(conn: psycopg.Connection, f: SqlFile) -> bool:
    """Apply one file in its own transaction; False when deploy_needed says it is current.
    An `always` file (grants.sql) runs every time; its history row is written only when it changed."""
    with conn.transaction():
        conn.execute("SELECT set_config('lock_timeout', %s, true)", (MIGRATION_LOCK_TIMEOUT,))
        has_machinery = conn.execute(
            "SELECT to_regprocedure('salesflow.deploy_needed(text,text,text)') IS NOT NULL"
        ).fetchone()[0]
        needed = not has_machinery or rpc.deploy_needed(conn, kind=f.kind, name=f.name, sha256=f.sha256)
        if not needed and not f.always:
            return False
        started = conn.execute("SELECT clock_timestamp()").fetchone()[0]
        if f.kind == "view":
            conn.execute(f.drop_sql)
        conn.execute(f.body)
        if needed:
            rpc.record_applied(conn, kind=f.kind, name=f.name, sha256=f.sha256, started=started, tool_version=TOOL_VERSION)
    return needed


def checklist(conn: psycopg.Connection) -> list[tuple[str, int]]:
    return [(r["item"], r["found"]) for r in rpc.deployment_checklist(conn)]


@dataclass
class DeployReport:
    """What one deploy run saw and did (deploy --json prints to_json())."""

    dry_run: bool
    database: str = ""
    plan: list[Step] = field(default_factory=list)
    applied: list[tuple[Step, float]] = field(default_factory=list)  # (step, milliseconds)
    counts: list[tuple[str, int]] | None = None
    notices: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        todo = [s for s in self.plan if s.will_apply]
        return {
            "database": self.database,
            "dry_run": self.dry_run,
            # after a real deploy everything applicable is applied (failures exit non-zero instead)
            "up_to_date": not todo if self.dry_run else True,
            "changed": bool(self.applied),
            "plan": [s.as_dict() for s in self.plan],
            "applied": [{"kind": s.file.kind, "file": s.file.relpath, "duration_ms": round(ms, 1)} for s, ms in self.applied],
            "skipped": [{"kind": s.file.kind, "file": s.file.relpath, "state": s.state, "extension": s.detail,
                         "reason": s.reason} for s in self.plan if s.skipped],
            "checklist": dict(self.counts) if self.counts is not None else None,
            "notices": self.notices,
        }


def run_deploy(
    dsn: str | None,
    *,
    dry_run: bool = False,
    lock_timeout: float = 30.0,
    quiet: bool = False,
    root: Path | None = None,
) -> list[Step]:
    """Deploy everything pending from `root` (default: sql_root(), i.e. $SALESFLOW_SQL_DIR or the
    shipped sql/). Returns the plan as it was before applying."""
    return deploy(dsn, dry_run=dry_run, lock_timeout=lock_timeout, quiet=quiet, root=root).plan


def deploy(
    dsn: str | None,
    *,
    dry_run: bool = False,
    lock_timeout: float = 30.0,
    quiet: bool = False,
    root: Path | None = None,
    as_json: bool = False,
) -> DeployReport:
    """run_deploy(), returning the whole report. as_json: nothing is printed on stdout (notices go to
    stderr unless quiet), the caller prints the report."""
    report = DeployReport(dry_run=dry_run)
    if as_json:
        say = (lambda *a, **k: None)
        note = (lambda *a, **k: None) if quiet else err_console.print
    else:
        say = (lambda *a, **k: None) if quiet else console.print
        note = say
    files = discover(root)
    # The lock is a row of the owner-only maintenance_locks, held from a connection of its own for
    # the whole run (each file commits on its own); a dry run on a fresh database creates nothing.
    lock_conn = connect(dsn, autocommit=True, application="salesflow deploy (lock)")
    try:
        with locks.Held(lock_conn, locks.DEPLOY, lock_timeout, create=not dry_run):
            conn = connect(dsn, autocommit=True, application="salesflow deploy")
            try:
                report.database = conn.info.dbname
                conn.add_notice_handler(lambda d: _notice(note, d, report.notices))
                return _deploy_locked(conn, files, say, report)
            finally:
                conn.close()
    finally:
        lock_conn.close()


def _deploy_locked(conn: psycopg.Connection, files: list[SqlFile], say, report: DeployReport) -> DeployReport:
    conn.execute("SET check_function_bodies = off")  # files may refer to objects created later in order
    steps = plan(conn, files)
    report.plan = steps
    drift = [s for s in steps if s.state == "drift"]
    if drift:
        names = ", ".join(s.file.relpath for s in drift)
        raise UserError(
            f"refusing to deploy: applied migration changed since it ran: {names}",
            hint="released migrations are frozen; restore the file and put the change in a new migration",
            exit_code=1,
        )
    todo = [s for s in steps if s.will_apply]
    skipped = [s for s in steps if s.skipped]
    if report.dry_run:
        say(table("deploy plan (dry run: nothing changed)", ["kind", "file", "action"],
                  [(s.file.kind, s.file.relpath, _action(s)) for s in steps if s.state != "applied"]))
        say(f"{len(todo)} file(s) would be applied, {len(steps) - len(todo) - len(skipped)} up to date.")
        _say_skipped(say, skipped)
        report.counts = checklist(conn) if _has_checklist(conn) else None
        return report
    if not todo:
        for s in steps:
            if s.file.always:
                _apply(conn, s.file)
        say("salesflow schema is up to date: nothing to apply (privileges re-granted from grants.sql).")
        _say_skipped(say, skipped)
        report.counts = checklist(conn)
        return report
    for s in steps:
        # A rebuilt materialized view drops the views that read it (CASCADE): current views are
        # re-checked at apply time (deploy_needed sees them missing) so they come back in this run.
        if not (s.will_apply or s.file.always or (s.file.kind == "view" and s.state == "applied")):
            continue
        t0 = time.perf_counter()
        try:
            applied = _apply(conn, s.file)
        except psycopg.Error as exc:
            raise step_failed(
                f"{s.file.relpath} failed and was rolled back", exc,
                hint="nothing from this file was kept; earlier files stay applied. Fix it and deploy again.",
            ) from exc
        if applied:
            ms = (time.perf_counter() - t0) * 1000
            report.applied.append((s, ms))
            say(f"  applied {s.file.kind:<9} {s.file.relpath}  [dim]{ms:.0f} ms[/dim]")
    _drain_queued(conn, say)
    _say_skipped(say, skipped)
    report.counts = checklist(conn)
    for item, found in report.counts:
        say(f"✓ {item}: {found}")
    say("[bold green]DEPLOYMENT COMPLETE[/bold green]")
    return report


def _has_checklist(conn: psycopg.Connection) -> bool:
    return conn.execute("SELECT to_regprocedure('salesflow.deployment_checklist()') IS NOT NULL").fetchone()[0]


def _notice(say, diag, into: list[str]) -> None:
    msg = diag.message_primary or ""
    if not msg.endswith(", skipping"):  # IF [NOT] EXISTS chatter from re-runnable files
        into.append(f"{(diag.severity_nonlocalized or diag.severity or 'NOTICE').lower()}: {msg}")
        say(f"[dim]notice:[/dim] {msg}")


def _action(s: Step) -> str:
    return {
        "pending": "apply (new)",
        "changed": "re-apply (changed)" + (f": {s.detail}" if s.detail else ""),
        "missing-extension": f"skip: extension {s.detail} not available",
        "extension-not-permitted": f"skip: extension {s.detail} needs a superuser",
        "drift": f"REFUSED: changed after release ({s.detail})",
    }.get(s.state, s.state)


def _say_skipped(say, skipped: list[Step]) -> None:
    for reason in dict.fromkeys(s.reason for s in skipped):  # one line per reason, not per file
        head, _, rest = reason.partition(":")
        say(f"[yellow]{head}:[/yellow]{rest}")


# --------------------------------------------------------------------------- commands


def deploy_command(
    dsn: Dsn = None,
    dry_run: bool = typer.Option(False, "--dry-run", envvar="SALESFLOW_DRY_RUN", help="Print the plan; change nothing."),
    lock_timeout: LockTimeout = 30.0,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Create or upgrade the salesflow schema (run-once migrations, re-runnable functions/views/triggers).
    --json: one JSON document on stdout (plan, applied with durations, skipped and why, checklist)."""
    report = deploy(dsn, dry_run=dry_run, lock_timeout=lock_timeout, quiet=quiet, as_json=as_json)
    if as_json:
        print_json(report.to_json())


def status_command(dsn: Dsn = None, as_json: Json = False) -> None:
    """Applied / pending / changed files compared with the database's history."""
    files = discover()
    with connect(dsn, autocommit=True) as conn:
        steps = plan(conn, files)
        version = schema_version(conn)
    rows = [s.as_dict() for s in steps]
    outstanding = [s for s in steps if s.state in ("pending", "changed", "drift")]
    if as_json:
        print_json({"up_to_date": not outstanding, "schema_version": version, "files": rows})
    else:
        console.print(table("salesflow schema status", ["kind", "file", "state"],
                            [(r["kind"], r["file"], r["state"] + (f" ({r['detail']})" if r["detail"] else "")) for r in rows]))
        console.print(_version_line(version))
        if outstanding:
            console.print(f"{len(outstanding)} file(s) not current: run [bold]salesflow deploy[/bold].")
        else:
            console.print("up to date")
    if any(s.state == "drift" for s in steps):
        raise typer.Exit(1)


def schema_version(conn: psycopg.Connection) -> dict:
    """The newest applied migration and who deployed last (Nones on a database never deployed to)."""
    version = {"migration": None, "migration_applied_at": None, "tool_version": None, "deployed_at": None, "deployed_by": None}
    if conn.execute("SELECT to_regclass('salesflow.schema_history')").fetchone()[0] is None:
        return version
    row = conn.execute(
        "SELECT name, applied_at FROM salesflow.schema_history WHERE kind = 'migration' ORDER BY name DESC, id DESC LIMIT 1"
    ).fetchone()
    if row:
        version.update(migration=row[0], migration_applied_at=row[1].isoformat())
    row = conn.execute("SELECT tool_version, applied_at, applied_by FROM salesflow.schema_history ORDER BY id DESC LIMIT 1").fetchone()
    if row:
        version.update(tool_version=row[0], deployed_at=row[1].isoformat(), deployed_by=row[2])
    return version


def _version_line(v: dict) -> str:
    if not v["tool_version"]:
        return "schema version: none (salesflow was never deployed here)"
    return (f"schema version: migration {v['migration'] or '(none)'}; last deployed by {v['tool_version']} "
            f"({v['deployed_by']}, {v['deployed_at'][:19].replace('T', ' ')})")


# Objects each file promises, read from its text in order (a later DROP cancels an earlier CREATE);
# verify checks them against the catalog.
_IDENT = r'(\w+|"[^"]+")'
_PATTERNS = [
    ("table", True, re.compile(r"CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?salesflow\.(\w+)", re.I)),
    ("table", False, re.compile(r"DROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?salesflow\.(\w+)", re.I)),
    ("function", True, re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:FUNCTION|PROCEDURE)\s+salesflow\.(\w+)", re.I)),
    ("function", False, re.compile(r"DROP\s+(?:FUNCTION|PROCEDURE)\s+(?:IF\s+EXISTS\s+)?salesflow\.(\w+)", re.I)),
    ("index", True, re.compile(r"CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s+ON\s+salesflow\.", re.I)),
    ("index", False, re.compile(r"DROP\s+INDEX\s+(?:IF\s+EXISTS\s+)?salesflow\.(\w+)", re.I)),
    ("trigger", True, re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER\s+(\w+)\s[^;]*?\sON\s+salesflow\.(\w+)", re.I)),
    ("trigger", False, re.compile(r"DROP\s+TRIGGER\s+(?:IF\s+EXISTS\s+)?(\w+)\s+ON\s+salesflow\.(\w+)", re.I)),
    ("policy", True, re.compile(r"CREATE\s+POLICY\s+" + _IDENT + r"\s+ON\s+salesflow\.(\w+)", re.I)),
    ("policy", False, re.compile(r"DROP\s+POLICY\s+(?:IF\s+EXISTS\s+)?" + _IDENT + r"\s+ON\s+salesflow\.(\w+)", re.I)),
]


def expected_objects(steps: list[Step]) -> dict[str, set]:
    exp: dict[str, set] = {"table": set(), "function": set(), "index": set(), "view": set(), "trigger": set(), "policy": set()}
    for s in steps:
        if s.skipped:
            continue
        body = re.sub(r"--[^\n]*", "", s.file.body)
        events = []
        for kind, create, pattern in _PATTERNS:
            for m in pattern.finditer(body):
                groups = tuple(g.strip('"') for g in m.groups())
                events.append((m.start(), kind, create, groups if len(groups) > 1 else groups[0]))
        for _, kind, create, name in sorted(events, key=lambda e: e[0]):
            (exp[kind].add if create else exp[kind].discard)(name)
        if s.file.kind == "view":
            exp["view"].add(s.file.name)
    return exp


def find_missing(conn: psycopg.Connection, steps: list[Step]) -> list[str]:
    exp = expected_objects(steps)
    q = lambda sql: {tuple(r) if len(r) > 1 else r[0] for r in conn.execute(sql).fetchall()}  # noqa: E731
    have = {
        "table": q("SELECT tablename FROM pg_tables WHERE schemaname = 'salesflow'"),
        "function": q("SELECT proname FROM pg_proc WHERE pronamespace = 'salesflow'::regnamespace"),
        "index": q("SELECT indexname FROM pg_indexes WHERE schemaname = 'salesflow'"),
        "view": q("SELECT matviewname FROM pg_matviews WHERE schemaname = 'salesflow' "
                  "UNION ALL SELECT viewname FROM pg_views WHERE schemaname = 'salesflow'"),
        "trigger": q("SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                     "WHERE c.relnamespace = 'salesflow'::regnamespace AND NOT t.tgisinternal"),
        "policy": q("SELECT policyname, tablename FROM pg_policies WHERE schemaname = 'salesflow'"),
    }
    missing = []
    for kind, names in exp.items():
        for name in sorted(names - have[kind], key=str):
            missing.append(f"{kind} {' on '.join(name) if isinstance(name, tuple) else name}")
    # Every table that carries user_id must have row-level security on, with at least one policy.
    for tbl, rls, policies in conn.execute(
        """SELECT c.relname, c.relrowsecurity,
                  (SELECT count(*) FROM pg_policy AS p WHERE p.polrelid = c.oid)
           FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
           WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind = 'r' AND a.attname = 'user_id'
             AND NOT a.attisdropped ORDER BY 1"""
    ).fetchall():
        if not rls:
            missing.append(f"row-level security on table {tbl}")
        elif not policies:
            missing.append(f"RLS policy on table {tbl} (RLS is on but no policy: nobody but the owner sees rows)")
    return missing


def verify_command(dsn: Dsn = None, as_json: Json = False) -> None:
    """Check that every expected object exists and nothing is pending; exit 1 naming what is missing."""
    files = discover()
    with connect(dsn, autocommit=True) as conn:
        if conn.execute("SELECT to_regnamespace('salesflow')").fetchone()[0] is None:
            raise not_deployed(conn.info.dbname)
        steps = plan(conn, files)
        missing = find_missing(conn, steps)
        outstanding = [f"{s.file.relpath} ({s.state})" for s in steps if s.state in ("pending", "changed", "drift")]
        counts = checklist(conn)
    ok = not missing and not outstanding
    if as_json:
        print_json({"ok": ok, "missing": missing, "not_current": outstanding, "counts": dict(counts)})
    else:
        for item, found in counts:
            console.print(f"✓ {item}: {found}")
        for m in missing:
            console.print(f"[red]✗ missing {m}[/red]")
        for o in outstanding:
            console.print(f"[red]✗ not current: {o}[/red]")
        _say_skipped(console.print, [s for s in steps if s.skipped])
        console.print("[bold green]verify: OK[/bold green]" if ok else "[bold red]verify: FAILED[/bold red]")
    if not ok:
        raise typer.Exit(1)
