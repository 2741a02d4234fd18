"""DBA paths of deploy and status: a deploying role that may not create pgvector, deploy --json,
the schema version in status."""

from __future__ import annotations

import json
import subprocess
import uuid

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from salesflow_cli.deploy import TOOL_VERSION, may_create_extension
from salesflow_cli.sqlfiles import discover
from tests.conftest import server_dsn
from tests.proc import cli_cmd, cli_env, run_cli


@pytest.fixture
def owned_db():
    """A fresh database owned by a new LOGIN role that is neither superuser nor CREATEROLE."""
    role, name = f"sf_owner_{uuid.uuid4().hex[:8]}", f"sf_owned_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(server_dsn(), autocommit=True) as c:
        c.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB')
        c.execute(f'CREATE DATABASE "{name}" OWNER "{role}"')
    params = {k: v for k, v in conninfo_to_dict(server_dsn()).items() if k not in ("user", "dbname")}
    yield make_conninfo(**params, user=role, dbname=name), name, role
    with psycopg.connect(server_dsn(), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'DROP ROLE IF EXISTS "{role}"')


def _one(dsn: str, query: str):
    with psycopg.connect(dsn) as c:
        return c.execute(query).fetchone()[0]


def test_deploy_by_a_database_owner_skips_pgvector_it_may_not_create(owned_db):
    dsn, name, role = owned_db
    with psycopg.connect(dsn) as c:
        assert c.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()[0] is False
        assert may_create_extension(c, "vector") is False  # available, not trusted
        assert may_create_extension(c, "pg_trgm") is True  # trusted, and the owner has CREATE on the database

    out = run_cli("deploy", "--dsn", dsn)
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "DEPLOYMENT COMPLETE" in text and "extensions (vector): 0" in text
    assert f"role {role} may not create it" in text and "CREATE EXTENSION vector" in text
    assert f"in database {name}" in text and "run deploy again" in text
    # everything but the vector module is there
    assert _one(dsn, "SELECT count(*) FROM pg_extension WHERE extname = 'vector'") == 0
    assert _one(dsn, "SELECT to_regclass('salesflow.lead_embeddings') IS NOT NULL") is True
    assert _one(dsn, "SELECT to_regproc('salesflow.semantic_search_leads') IS NULL") is True
    assert _one(dsn, "SELECT to_regproc('salesflow.get_lead_intelligence') IS NOT NULL") is True
    assert _one(dsn, "SELECT count(*) FROM salesflow.schema_history WHERE name = '0003_pgvector'") == 0
    verify = run_cli("verify", "--dsn", dsn)
    assert verify.returncode == 0 and "verify: OK" in verify.stdout, verify.stdout
    assert "may not create it" in " ".join(verify.stdout.split())
    status = json.loads(run_cli("status", "--json", "--dsn", dsn).stdout)
    assert status["up_to_date"] is True
    assert {f["file"] for f in status["files"] if f["state"] == "extension-not-permitted"} == {
        "migrations/0003_pgvector.sql", "functions/semantic_search_leads.sql", "functions/store_lead_embedding.sql"}

    # a superuser installs the extension: the owner's next deploy adds the module
    with psycopg.connect(make_conninfo(server_dsn(), dbname=name), autocommit=True) as su:
        su.execute("CREATE EXTENSION vector")
    again = run_cli("deploy", "--dsn", dsn)
    assert again.returncode == 0, again.stderr
    assert "applied migration migrations/0003_pgvector.sql" in again.stdout
    assert "not installed" not in again.stdout
    assert _one(dsn, "SELECT to_regproc('salesflow.semantic_search_leads') IS NOT NULL") is True


def _deploy_json(dsn: str, *extra: str) -> dict:
    """deploy --json in a real process: stdout must be exactly one JSON document."""
    out = subprocess.run(cli_cmd("deploy", "--json", "--dsn", dsn, *extra), env=cli_env(), capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_deploy_json_dry_run_then_deploy_then_up_to_date(empty_db):
    files = discover()
    plan = _deploy_json(empty_db, "--dry-run")
    assert plan["dry_run"] is True and plan["up_to_date"] is False and plan["changed"] is False
    assert plan["applied"] == [] and plan["checklist"] is None
    assert [(p["kind"], p["file"], p["state"]) for p in plan["plan"]] == [(f.kind, f.relpath, "pending") for f in files]
    assert _one(empty_db, "SELECT to_regnamespace('salesflow')") is None  # the dry run changed nothing

    done = _deploy_json(empty_db)
    assert done["dry_run"] is False and done["up_to_date"] is True and done["changed"] is True
    assert done["database"] == conninfo_to_dict(empty_db)["dbname"]
    assert [a["file"] for a in done["applied"]] == [f.relpath for f in files]  # this server has pgvector
    assert all(isinstance(a["duration_ms"], (int, float)) and a["duration_ms"] >= 0 for a in done["applied"])
    assert done["skipped"] == []
    with psycopg.connect(empty_db) as c:
        assert done["checklist"] == dict(c.execute("SELECT item, found FROM salesflow.deployment_checklist()").fetchall())
        history = c.execute("SELECT kind, name FROM salesflow.schema_history ORDER BY id").fetchall()
    assert [(a["kind"], a["file"].rsplit("/", 1)[-1].removesuffix(".sql")) for a in done["applied"]] == history

    again = _deploy_json(empty_db)
    assert again["up_to_date"] is True and again["changed"] is False and again["applied"] == []
    assert {p["state"] for p in again["plan"]} == {"applied"} and again["checklist"] == done["checklist"]
    dry = _deploy_json(empty_db, "--dry-run")
    assert dry["up_to_date"] is True and dry["checklist"] == done["checklist"]


def test_deploy_json_reports_the_skip_and_why(owned_db):
    dsn, name, role = owned_db
    done = _deploy_json(dsn)
    skipped = {s["file"]: s for s in done["skipped"]}
    assert set(skipped) == {"migrations/0003_pgvector.sql", "functions/semantic_search_leads.sql", "functions/store_lead_embedding.sql"}
    s = skipped["migrations/0003_pgvector.sql"]
    assert s["state"] == "extension-not-permitted" and s["extension"] == "vector"
    assert f"role {role} may not create it" in s["reason"] and "CREATE EXTENSION vector" in s["reason"]
    assert "migrations/0003_pgvector.sql" not in {a["file"] for a in done["applied"]}
    assert done["checklist"]["extensions (vector)"] == 0


def test_status_shows_the_schema_version(db, dsn):
    newest = max(f.name for f in discover() if f.kind == "migration")
    data = json.loads(run_cli("status", "--json", "--dsn", dsn).stdout)
    v = data["schema_version"]
    assert v["migration"] == newest and v["tool_version"] == TOOL_VERSION and v["deployed_by"]
    table = " ".join(run_cli("status", "--dsn", dsn).stdout.split())
    assert f"schema version: migration {newest}; last deployed by {TOOL_VERSION}" in table

    # the tool version is the one of the latest deploy (e.g. an older DEPLOY_KI_SYSTEM.sql run later)
    db.execute("INSERT INTO salesflow.schema_history (kind, name, sha256, tool_version) "
               "VALUES ('data', 'zz_local', repeat('a', 64), 'salesflow 0.0.9')")
    later = json.loads(run_cli("status", "--json", "--dsn", dsn).stdout)["schema_version"]
    assert later["tool_version"] == "salesflow 0.0.9" and later["migration"] == newest


def test_status_schema_version_on_an_empty_database(empty_db):
    data = json.loads(run_cli("status", "--json", "--dsn", empty_db).stdout)
    assert data["schema_version"]["migration"] is None and data["schema_version"]["tool_version"] is None
    assert "schema version: none" in run_cli("status", "--dsn", empty_db).stdout
