"""`salesflow refresh`: the cron job (learning engine, recommendation expiry, the four views).

All the work is `SELECT * FROM salesflow.refresh_all_ki_views()` in one transaction, so a failing
step rolls everything back (nothing half-done) and the error names the step. The command holds its
own session advisory lock (locks.REFRESH_LOCK) so two refreshes never overlap: a second one waits up
to --lock-timeout seconds and then exits 3 naming the holder. The SQL function takes the same key as
a transaction lock, so pg_cron and the CLI exclude each other too.
"""

from __future__ import annotations

import time

import psycopg

from . import locks
from .connection import connect
from .errors import UserError, schema_missing
from .options import Dsn, Json, LockTimeout, Quiet
from .render import console, print_json, table


def run_refresh(dsn: str | None, *, lock_timeout: float = 5.0) -> dict:
    """Refresh everything; returns {"ok", "total_ms", "steps": [{step, duration_ms, row_count}]}."""
    conn = connect(dsn, autocommit=True, application="salesflow refresh")
    try:
        locks.acquire(conn, locks.REFRESH_LOCK, lock_timeout, "refresh")
        t0 = time.perf_counter()
        try:
            with conn.transaction():
                rows = conn.execute(
                    "SELECT step, duration_ms, row_count FROM salesflow.refresh_all_ki_views()"
                ).fetchall()
        except psycopg.Error as exc:
            missing = schema_missing(exc)  # not deployed / older schema: the central message
            if missing is not None:
                raise missing from exc
            diag = exc.diag
            raise UserError(
                f"refresh failed and was rolled back (nothing changed): {diag.message_primary or exc}",
                hint=diag.message_hint,
                exit_code=1,
            ) from exc
        total_ms = (time.perf_counter() - t0) * 1000
        steps = [{"step": s, "duration_ms": float(d), "row_count": int(n)} for s, d, n in rows]
        return {"ok": True, "total_ms": round(total_ms, 1), "steps": steps}
    finally:
        try:
            locks.release(conn, locks.REFRESH_LOCK)
        finally:
            conn.close()


def refresh_command(
    dsn: Dsn = None,
    quiet: Quiet = False,
    as_json: Json = False,
    lock_timeout: LockTimeout = 5.0,
) -> None:
    """Learn success patterns, expire stale recommendations and refresh the four views (for cron)."""
    result = run_refresh(dsn, lock_timeout=lock_timeout)
    if as_json:
        print_json(result)
        return
    if quiet:
        return
    console.print(
        table(
            "salesflow refresh",
            ["step", "ms", "rows"],
            [(s["step"], f"{s['duration_ms']:.1f}", s["row_count"]) for s in result["steps"]],
        )
    )
    console.print(f"refresh complete in {result['total_ms']:.0f} ms")
