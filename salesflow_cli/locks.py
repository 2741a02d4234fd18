"""Session advisory locks that say who holds them (deploy and refresh each have their own)."""

from __future__ import annotations

import time

import psycopg

from .errors import LockBusy

# Keys fit in 32 bits so pg_locks shows them as (classid 0, objid KEY, objsubid 1).
DEPLOY_LOCK = 0x53464C57  # 'SFLW'
REFRESH_LOCK = 0x53465246  # 'SFRF'


def holder_of(conn: psycopg.Connection, key: int) -> str:
    row = conn.execute(
        """
        SELECT l.pid, a.usename, a.application_name, a.backend_start
        FROM pg_locks AS l LEFT JOIN pg_stat_activity AS a USING (pid)
        WHERE l.locktype = 'advisory' AND l.classid = 0 AND l.objid = %s AND l.objsubid = 1 AND l.granted
        """,
        (key,),
    ).fetchone()
    if not row:
        return "another session"
    pid, user, app, started = row
    return f"pid {pid} (user {user}, application {app or '?'}, connected since {started:%Y-%m-%d %H:%M:%S})"


def acquire(conn: psycopg.Connection, key: int, timeout_s: float, what: str) -> None:
    """Poll pg_try_advisory_lock until timeout_s; raise LockBusy naming the holder."""
    deadline = time.monotonic() + max(timeout_s, 0)
    while True:
        if conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()[0]:
            return
        if time.monotonic() >= deadline:
            raise LockBusy(
                f"another {what} is running: the {what} lock is held by {holder_of(conn, key)}",
                hint=f"wait for it to finish or raise --lock-timeout (waited {timeout_s:g} s)",
            )
        time.sleep(0.2)


def release(conn: psycopg.Connection, key: int) -> None:
    if not conn.closed:
        conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
