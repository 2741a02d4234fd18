"""Deploy and refresh locks: a row of salesflow.maintenance_locks held FOR UPDATE.

Advisory lock keys are open to every login, so any rep could hold them and block deploy or
refresh. Rows of an owner-only table cannot be locked by anyone without UPDATE on it. Deploy
holds its row from a second connection for the whole run (each file commits on its own);
refresh takes its row inside its one transaction (salesflow.refresh_all_ki_views).
"""

from __future__ import annotations

import time

import psycopg

from .errors import LockBusy

DEPLOY, REFRESH = "deploy", "refresh"

# The same DDL as sql/bootstrap.sql: a database never deployed to has no table to lock yet.
ENSURE_TABLE = """
CREATE SCHEMA IF NOT EXISTS salesflow;
CREATE TABLE IF NOT EXISTS salesflow.maintenance_locks (
    name text PRIMARY KEY CHECK (name IN ('deploy', 'refresh'))
);
INSERT INTO salesflow.maintenance_locks (name) VALUES ('deploy'), ('refresh') ON CONFLICT DO NOTHING;
"""


def ensure_table(conn: psycopg.Connection) -> None:
    """Create the lock table if missing (autocommit connection); two first deploys may race here."""
    if conn.execute("SELECT to_regclass('salesflow.maintenance_locks')").fetchone()[0] is not None:
        return
    for _ in range(3):
        try:
            with conn.transaction():
                conn.execute(ENSURE_TABLE)
            return
        except (psycopg.errors.UniqueViolation, psycopg.errors.DuplicateObject, psycopg.errors.DuplicateTable):
            time.sleep(0.1)  # the other one created it a moment ago


def try_lock(conn: psycopg.Connection, name: str) -> bool:
    """Open a transaction on `conn` (autocommit) holding the row, or roll back and say False.
    No savepoint: the row's xmax must be the top-level transaction id, which holder_of looks up."""
    conn.execute("BEGIN")
    try:
        conn.execute("SELECT 1 FROM salesflow.maintenance_locks WHERE name = %s FOR UPDATE NOWAIT", (name,))
        return True
    except psycopg.errors.LockNotAvailable:
        conn.execute("ROLLBACK")
        return False


def holder_of(conn: psycopg.Connection, name: str) -> str:
    """Who holds the row: the backend whose transaction id is the row's locker (xmax)."""
    row = conn.execute(
        """
        SELECT a.pid, a.usename, a.application_name, a.backend_start
        FROM salesflow.maintenance_locks AS m
        JOIN pg_stat_activity AS a ON a.backend_xid = m.xmax
        WHERE m.name = %s
        """,
        (name,),
    ).fetchone()
    if not row:
        return "another session"
    pid, user, app, started = row
    return f"pid {pid} (user {user}, application {app or '?'}, connected since {started:%Y-%m-%d %H:%M:%S})"


def busy(conn: psycopg.Connection, name: str, timeout_s: float) -> LockBusy:
    return LockBusy(
        f"another {name} is running: the {name} lock is held by {holder_of(conn, name)}",
        hint=f"wait for it to finish or raise --lock-timeout (waited {timeout_s:g} s)",
    )


class Held:
    """The deploy lock for the duration of a `with` block, on its own connection."""

    def __init__(self, conn: psycopg.Connection, name: str, timeout_s: float, *, create: bool = True):
        self.conn, self.name, self.timeout_s, self.create = conn, name, timeout_s, create

    def __enter__(self) -> "Held":
        if not self.create and self.conn.execute("SELECT to_regclass('salesflow.maintenance_locks')").fetchone()[0] is None:
            return self  # a dry run on a database never deployed to: nothing to protect, nothing created
        ensure_table(self.conn)
        deadline = time.monotonic() + max(self.timeout_s, 0)
        while not try_lock(self.conn, self.name):
            if time.monotonic() >= deadline:
                raise busy(self.conn, self.name, self.timeout_s)
            time.sleep(0.2)
        return self

    def __exit__(self, *exc) -> None:
        # the block may have committed its own work in the lock's transaction (uninstall)
        if not self.conn.closed and not self.conn.broken and self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            self.conn.execute("ROLLBACK")


def hold(conn: psycopg.Connection, name: str) -> None:
    """Take and keep the lock in `conn` (autocommit) until it rolls back or closes (tests, scripts)."""
    ensure_table(conn)
    if not try_lock(conn, name):
        raise RuntimeError(f"{name} lock is held elsewhere")
