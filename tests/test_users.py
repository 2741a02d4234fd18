"""salesflow users add|login|list, and grants that follow roles created after the first deploy."""

from __future__ import annotations

import json
import os
import uuid

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from typer.testing import CliRunner

from salesflow_cli.main import cli


def run(*args, env=None):
    return CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def login_names(db):
    names = []
    yield names
    for n in names:
        db.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(n)))
        db.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(n)))


def as_login(dsn, name) -> psycopg.Connection:
    params = {k: v for k, v in conninfo_to_dict(dsn).items() if k != "password"}
    return psycopg.connect(make_conninfo(**{**params, "user": name}), autocommit=True)


def test_add_login_and_list_a_rep(db, dsn, login_names):
    tag = uuid.uuid4().hex[:6]
    email = f"anna.{tag}@example.org"
    added = run("users", "add", email, "--name", f"Anna {tag}", "--team", "Team Süd", "--dsn", dsn, "--json")
    assert added.exit_code == 0, added.output
    uid = json.loads(added.stdout)["id"]
    name = f"sf_anna_{tag}"
    login_names.append(name)
    secret = f"S3cret-{tag}"
    out = run("users", "login", email, "--login", name, "--create", "--password-env", "SF_TEST_PW", "--dsn", dsn,
              env={**os.environ, "SF_TEST_PW": secret})
    assert out.exit_code == 0, out.output
    assert secret not in out.output
    # only the SCRAM verifier reached the server; the login holds exactly the rep group
    verifier = db.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (name,)).fetchone()[0]
    assert verifier.startswith("SCRAM-SHA-256$") and secret not in verifier
    groups = {r[0] for r in db.execute(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member "
        "WHERE r.rolname = %s", (name,))}
    assert groups == {"salesflow_rep"}
    with as_login(dsn, name) as c:
        assert str(c.execute("SELECT salesflow.current_user_id()").fetchone()[0]) == uid
    listed = json.loads(run("users", "list", "--dsn", dsn, "--json").stdout)
    assert [u["login"] for u in listed if str(u["id"]) == uid] == [name]
    # promoted to manager: login again moves the login to the manager group only
    db.execute("UPDATE salesflow.users SET role = 'manager' WHERE id = %s", (uid,))
    assert run("users", "login", uid[:8], "--login", name, "--no-password", "--dsn", dsn).exit_code == 0
    groups = {r[0] for r in db.execute(
        "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member "
        "WHERE r.rolname = %s", (name,))}
    assert groups == {"salesflow_manager"}


def test_login_refusals_exit_2_and_change_nothing(db, dsn, login_names):
    tag = uuid.uuid4().hex[:6]
    a = run("users", "add", f"a{tag}@example.org", "--name", f"A {tag}", "--dsn", dsn, "--json")
    b = run("users", "add", f"b{tag}@example.org", "--name", f"B {tag}", "--dsn", dsn, "--json")
    ua, ub = json.loads(a.stdout)["id"], json.loads(b.stdout)["id"]
    name = f"sf_a_{tag}"
    login_names.append(name)
    assert run("users", "login", ua, "--login", name, "--create", "--no-password", "--dsn", dsn).exit_code == 0
    cases = [
        (["users", "login", ub, "--login", name], "already the login of user"),  # one login, one user
        (["users", "login", ub, "--login", "postgres"], "superuser"),
        (["users", "login", ub, "--login", "salesflow_admin"], "group"),
        (["users", "login", ub, "--login", f"sf_missing_{tag}"], "does not exist"),
        (["users", "login", "nobody-at-all@example.org"], "not found"),
        (["users", "login", ""], "must not be empty"),
        (["users", "add", f"a{tag}@example.org", "--name", "Again"], "exists"),
        (["users", "add", f"c{tag}@example.org", "--name", "C", "--role", "owner"], "--role"),
    ]
    before = db.execute("SELECT md5(string_agg(u::text, ',' ORDER BY id)) FROM salesflow.users u").fetchone()[0]
    for args, fragment in cases:
        r = run(*args, "--dsn", dsn)
        assert r.exit_code == 2, (args, r.output)
        assert fragment in r.output, (args, r.output)
        assert len(r.output.strip().splitlines()) == 1, r.output
    assert db.execute("SELECT md5(string_agg(u::text, ',' ORDER BY id)) FROM salesflow.users u").fetchone()[0] == before


def test_every_deploy_reapplies_grants(db, dsn):
    """A group role that lost (or never had) its privileges — e.g. created by a DBA after the
    first deploy — gets them from the next deploy, although no file changed."""
    from salesflow_cli.deploy import run_deploy

    def n_privileges():
        return db.execute(
            "SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'salesflow'::regnamespace "
            "AND has_function_privilege('salesflow_rep', p.oid, 'EXECUTE')").fetchone()[0]

    granted = n_privileges()
    assert granted >= 30
    db.execute("REVOKE ALL ON ALL FUNCTIONS IN SCHEMA salesflow FROM salesflow_rep")
    db.execute("REVOKE ALL ON ALL TABLES IN SCHEMA salesflow FROM salesflow_rep")
    db.execute("REVOKE USAGE ON SCHEMA salesflow FROM salesflow_rep")
    assert n_privileges() == 0
    steps = run_deploy(dsn, quiet=True)
    assert not [s for s in steps if s.will_apply]  # nothing was pending ...
    assert n_privileges() == granted  # ... and the grants are back
    assert db.execute("SELECT has_table_privilege('salesflow_rep', 'salesflow.leads', 'SELECT')").fetchone()[0]
