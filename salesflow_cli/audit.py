"""`salesflow audit verify`: check the LIABILITY-SHIELD hash chain (compliance_logs).

Thin: calls salesflow.verify_audit_chain() and renders its one row. Exit 0 when the chain is
intact, 1 when it is broken (naming the first broken log id and why), 2 on bad input. The head
(id and hash) is printed either way so cron output keeps a copy outside the database; pass it
back later with --anchor ID:HASH to detect a consistent rewrite of the whole chain.
"""

from __future__ import annotations

import re
from typing import Annotated, Optional

import psycopg
import typer

from . import rpc
from .connection import connect
from .errors import EXIT_FAILURE, UserError
from .options import Dsn, Json
from .render import console, print_json

app = typer.Typer(help="LIABILITY-SHIELD audit trail (hash-chained compliance_logs).", no_args_is_help=True)

_ANCHOR = re.compile(r"^(\d{1,19}):([0-9a-f]{64})$")

Anchor = Annotated[
    Optional[str],
    typer.Option("--anchor", help="ID:HASH of a head printed by an earlier verify: that row must still carry that hash."),
]


def _anchor(value: Optional[str]) -> tuple[Optional[int], Optional[str]]:
    if value is None:
        return None, None
    m = _ANCHOR.match(value.strip().lower())
    if not m:
        raise UserError(f"--anchor must be ID:HASH (a log id and 64 hex digits), got {value!r}",
                        hint="copy 'head: ID:HASH' from an earlier salesflow audit verify")
    return int(m.group(1)), m.group(2)


@app.command("verify")
def verify_command(dsn: Dsn = None, as_json: Json = False, anchor: Anchor = None) -> None:
    """Walk the compliance_logs hash chain; exit 1 naming the first broken log when it is not intact."""
    anchor_id, anchor_hash = _anchor(anchor)
    with connect(dsn, autocommit=True, application="salesflow audit") as conn:
        try:
            r = rpc.verify_audit_chain(conn, anchor_id=anchor_id, anchor_hash=anchor_hash)
            row = tuple(r[k] for k in ("ok", "rows_checked", "first_broken_id", "reason", "head_id", "head_hash"))
        except psycopg.errors.UndefinedFunction as exc:
            raise UserError("salesflow.verify_audit_chain is not installed in this database",
                            hint="run: salesflow deploy", exit_code=EXIT_FAILURE) from exc
    ok, rows, broken_id, reason, head_id, head_hash = row
    head = f"{head_id if head_id is not None else 0}:{head_hash}"
    if as_json:
        print_json({"ok": ok, "rows_checked": rows, "first_broken_id": broken_id, "reason": reason,
                    "head_id": head_id, "head_hash": head_hash, "head": head})
    elif ok:
        console.print(f"[bold green]audit chain intact[/bold green]: {rows} log(s) checked", soft_wrap=True)
    else:
        where = f" at log #{broken_id}" if broken_id is not None else ""
        console.print(f"[bold red]audit chain BROKEN[/bold red]{where}: {reason} ({rows} log(s) checked)", soft_wrap=True)
    if not as_json:
        console.print(f"head: {head}", highlight=False, soft_wrap=True)
    if not ok:
        raise typer.Exit(EXIT_FAILURE)
