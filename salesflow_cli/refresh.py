"""`salesflow refresh`: the cron job (learning engine, recommendation expiry, the four views).

All the work is `SELECT * FROM salesflow.refresh_all_ki_views()` in one transaction, so a failing
step rolls everything back (nothing half-done) and the error names the step. The function locks the
refresh row of salesflow.maintenance_locks (owner-only: no login can hold it against cron) with
NOWAIT; the command retries for up to --lock-timeout seconds, then exits 3 naming the holder, so two
refreshes (CLI or pg_cron) never overlap. --statement-timeout bounds the whole run.
"""

from __future__ import annotations

import time

import psycopg
import typer

from . import locks, rpc
from .connection import connect
from .errors import UserError
from .failures import schema_missing
from .options import Dsn, Json, LockTimeout, Quiet
from .render import console, print_json, table


def run_refresh(dsn: str | None, *, lock_timeout: float = 5.0, statement_timeout: float = 600.0) -> dict:
    """Refresh everything; returns {"ok", "total_ms", "steps": [{step, duration_ms, row_count}]}."""
    conn = connect(dsn, autocommit=True, application="salesflow refresh")
    try:
        deadline = time.monotonic() + max(lock_timeout, 0)
        while True:
            t0 = time.perf_counter()
            try:
                with conn.transaction():
                    conn.execute("SELECT set_config('statement_timeout', %s, true)", (f"{int(statement_timeout * 1000)}ms",))
                    rows = [(r["step"], r["duration_ms"], r["row_count"]) for r in rpc.refresh_all_ki_views(conn)]
                break
            except psycopg.errors.LockNotAvailable as exc:
                if "maintenance_locks" not in (exc.diag.message_primary or ""):
                    raise _failed(exc) from exc  # a step's lock_timeout, not the refresh lock
                if time.monotonic() >= deadline:
                    raise locks.busy(conn, locks.REFRESH, lock_timeout) from exc
                time.sleep(0.2)
            except psycopg.Error as exc:
                missing = schema_missing(exc)  # not deployed / older schema: the central message
                if missing is not None:
                    raise missing from exc
                raise _failed(exc) from exc
        total_ms = (time.perf_counter() - t0) * 1000
        steps = [{"step": s, "duration_ms": float(d), "row_count": int(n)} for s, d, n in rows]
        return {"ok": True, "total_ms": round(total_ms, 1), "steps": steps}
    finally:
        conn.close()


def _failed(exc: psycopg.Error) -> UserError:
    diag = exc.diag
    return UserError(
        f"refresh failed and was rolled back (nothing changed): {diag.message_primary or exc}",
        hint=diag.message_hint,
        exit_code=1,
    )


def refresh_command(
    dsn: Dsn = None,
    quiet: Quiet = False,
    as_json: Json = False,
    lock_timeout: LockTimeout = 5.0,
    statement_timeout: float = typer.Option(
        600.0, "--statement-timeout", min=1, envvar="SALESFLOW_STATEMENT_TIMEOUT",
        help="Seconds the whole refresh may take before it is cancelled and rolled back."),
) -> None:
    """Learn success patterns, expire stale recommendations and refresh the four views (for cron)."""
    result = run_refresh(dsn, lock_timeout=lock_timeout, statement_timeout=statement_timeout)
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
