"""Compatibility: Debian's PostgreSQL 15 (no pgvector) — CLI deploy, verify, and the psql file."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.pgcluster import TempCluster
from tests.proc import run_cli
from tests.test_single_file import psql_file

PG15 = Path("/usr/lib/postgresql/15/bin")

pytestmark = [
    pytest.mark.compat,
    pytest.mark.slow,
    pytest.mark.skipif(not (PG15 / "postgres").exists(),
                       reason=f"Debian PostgreSQL 15 not installed ({PG15}/postgres missing; apt-get install postgresql-15)"),
]


def test_deploy_verify_and_psql_file_on_postgresql_15():
    with TempCluster(PG15) as server:
        with psycopg.connect(server.dsn(), autocommit=True) as c:
            assert c.execute("SHOW server_version_num").fetchone()[0].startswith("15")
            assert c.execute("SHOW listen_addresses").fetchone()[0] == ""  # unix socket only
            c.execute("CREATE DATABASE sf_cli")
            c.execute("CREATE DATABASE sf_psql")
        cli_dsn, psql_dsn = server.dsn("sf_cli"), server.dsn("sf_psql")

        out = run_cli("deploy", "--dsn", cli_dsn)
        assert out.returncode == 0, out.stderr
        assert "DEPLOYMENT COMPLETE" in out.stdout
        assert "semantic search is not installed" in out.stdout
        verify = run_cli("verify", "--dsn", cli_dsn)
        assert verify.returncode == 0, verify.stdout
        assert "verify: OK" in verify.stdout

        # the single file with PostgreSQL 15's own psql
        single = psql_file(psql_dsn, psql=str(PG15 / "psql"))
        assert single.returncode == 0, single.stderr
        assert "DEPLOYMENT COMPLETE" in single.stdout
        again = psql_file(psql_dsn, psql=str(PG15 / "psql"))
        assert again.returncode == 0 and "applying" not in again.stdout
        assert run_cli("verify", "--dsn", psql_dsn).returncode == 0
        status = run_cli("status", "--dsn", psql_dsn)
        assert status.returncode == 0 and "up to date" in status.stdout

        q = "SELECT kind, name, sha256 FROM salesflow.schema_history ORDER BY 1, 2"
        with psycopg.connect(cli_dsn) as a, psycopg.connect(psql_dsn) as b:
            assert a.execute(q).fetchall() == b.execute(q).fetchall()
            # RLS works on 15 too
            assert a.execute("SELECT count(*) FROM pg_class WHERE relnamespace = 'salesflow'::regnamespace "
                             "AND relrowsecurity").fetchone()[0] >= 13
