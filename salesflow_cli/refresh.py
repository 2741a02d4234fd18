"""`salesflow refresh`: the cron jobs.

Default: one drain, `drain_dirty_leads()` — the leads written since the last drain (and the rolling
pass over the oldest rows) get their scores and next actions recomputed; cheap enough for every
minute, or every few seconds with --watch. A drain while another runs (or a full refresh) returns
at once with nothing done ("busy"), never waits.

--full: `SELECT * FROM salesflow.refresh_all_ki_views()` in one transaction (learning engine,
recommendation expiry, every lead rescored, the other views), so a failing step rolls everything back
(nothing half-done) and the error names the step. The function locks the refresh row of
salesflow.maintenance_locks (owner-only: no login can hold it against cron) with NOWAIT; the command
retries for up to --lock-timeout seconds, then exits 3 naming the holder, so two full refreshes (CLI
or pg_cron) never overlap. --statement-timeout bounds the whole run.
"""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Optional

import psycopg
import typer

from . import locks, rpc
from .connection import connect
from .errors import UserError
from .failures import schema_missing
from .options import Dsn, Json, LockTimeout, Quiet
from .render import console, print_json, table


def run_refresh(dsn: str | None, *, lock_timeout: float = 5.0, statement_timeout: float = 600.0) -> dict:
    """The full refresh; returns {"ok", "total_ms", "steps": [{step, duration_ms, row_count}]}."""
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
                raise _failed(exc) from exc
        total_ms = (time.perf_counter() - t0) * 1000
        steps = [{"step": s, "duration_ms": float(d), "row_count": int(n)} for s, d, n in rows]
        return {"ok": True, "total_ms": round(total_ms, 1), "steps": steps}
    finally:
        conn.close()


def run_drain(conn: psycopg.Connection, *, limit: int, stale_limit: int, max_age_minutes: float,
              statement_timeout: float) -> dict:
    """One drain in its own transaction; returns the drain's row with "ok" and "mode"."""
    try:
        with conn.transaction():
            conn.execute("SELECT set_config('statement_timeout', %s, true)", (f"{int(statement_timeout * 1000)}ms",))
            row = rpc.drain_dirty_leads(conn, limit=limit, stale_limit=stale_limit,
                                        max_age=timedelta(minutes=max_age_minutes))[0]
    except psycopg.Error as exc:
        raise _failed(exc) from exc
    return {"ok": True, "mode": "drain", **{k: (float(v) if k == "duration_ms" else v) for k, v in row.items()}}


def _failed(exc: psycopg.Error) -> UserError:
    """Not deployed / an older schema: the central message; anything else: rolled back, exit 1."""
    missing = schema_missing(exc)
    if missing is not None:
        return missing
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
    full: bool = typer.Option(
        False, "--full",
        help="The full refresh (nightly): learn success patterns, expire recommendations, rescore every lead, "
             "refresh the other views. Default: drain the leads changed since the last drain."),
    watch: Optional[float] = typer.Option(
        None, "--watch", min=1, metavar="SECONDS",
        help="Drain again every SECONDS until interrupted (Ctrl-C); not with --full."),
    limit: int = typer.Option(100_000, "--limit", min=1,
                              help="Queue rows one drain takes at most (the rest stay for the next)."),
    stale_limit: int = typer.Option(5_000, "--stale-limit", min=0,
                                    help="Leads older than --max-age a drain also recomputes (0: none)."),
    max_age: float = typer.Option(720, "--max-age", min=1, metavar="MINUTES",
                                  help="Age after which a lead's time-dependent terms are recomputed."),
    lock_timeout: LockTimeout = 5.0,
    statement_timeout: float = typer.Option(
        600.0, "--statement-timeout", min=1, envvar="SALESFLOW_STATEMENT_TIMEOUT",
        help="Seconds a refresh (or one drain) may take before it is cancelled and rolled back."),
) -> None:
    """Recompute the scores of the leads changed since the last run (cron, every minute), or --full (nightly)."""
    if full and watch is not None:
        raise UserError("--watch repeats the drain; it cannot be combined with --full",
                        hint="schedule `salesflow refresh --full` nightly and `salesflow refresh --watch 5` beside it")
    if full:
        result = run_refresh(dsn, lock_timeout=lock_timeout, statement_timeout=statement_timeout)
        if as_json:
            print_json(result)
        elif not quiet:
            console.print(table("salesflow refresh --full", ["step", "ms", "rows"],
                                [(s["step"], f"{s['duration_ms']:.1f}", s["row_count"]) for s in result["steps"]]))
            console.print(f"refresh complete in {result['total_ms']:.0f} ms")
        return
    conn = connect(dsn, autocommit=True, application="salesflow refresh")
    try:
        while True:
            result = run_drain(conn, limit=limit, stale_limit=stale_limit, max_age_minutes=max_age,
                               statement_timeout=statement_timeout)
            if as_json:
                print_json(result, line=watch is not None)  # --watch: one JSON line per drain
            elif not quiet:
                _say_drain(result)
            if watch is None:
                return
            time.sleep(watch)
    except KeyboardInterrupt:
        return
    finally:
        conn.close()


def _say_drain(r: dict) -> None:
    if not r["ran"]:
        console.print("drain skipped: another drain or a full refresh is running (it covers these leads)")
        return
    console.print(
        f"drained {r['leads_dirty']} changed lead(s) from {r['queue_rows']} queue row(s) "
        f"({r['activities']} activities counted), {r['leads_stale']} aged lead(s) recomputed, {r['queued_left']} row(s) left in the queue "
        f"· {r['duration_ms']:.0f} ms"
    )
