"""`salesflow export leads|activities|scored-leads`: take data out (for BI tools, or to leave).

Runs as --user under RLS (a rep exports their own rows, a manager the team's, the owner all) and
streams with COPY ... TO STDOUT, so a million rows never sit in memory. The leads and activities
columns are what `salesflow import leads|activities --from generic --system salesflow` reads back:
the lead's salesflow id becomes its external id, and the activities point at it.
Restricted leads (GDPR Art. 18) and their activities are left out (the rule of
salesflow.lead_is_processable, as a column test: the sales roles may not call internal functions);
only the DSGVO export (`salesflow gdpr export`) includes them.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer
from psycopg import sql

from . import rpc
from .acting import act_as
from .connection import connect
from .errors import UserError
from .options import Dsn, user_option

_LEADS = """
SELECT l.id AS external_id, l.name, l.company, l.email, l.phone, u.email AS owner, l.stage, l.source, l.industry,
       l.country, l.language, l.timezone, l.deal_value, l.consent, l.created_at, l.closed_at,
       l.external_system AS origin_system, l.external_id AS origin_id
FROM salesflow.leads AS l JOIN salesflow.users AS u ON u.id = l.user_id
WHERE l.restricted_at IS NULL
ORDER BY l.created_at, l.id
"""
_ACTIVITIES = """
SELECT 'salesflow' AS external_system, a.lead_id AS lead_external_id, l.email AS lead_email, a.channel, a.direction,
       a.kind, a.occurred_at, a.body
FROM salesflow.lead_activities AS a JOIN salesflow.leads AS l ON l.id = a.lead_id
WHERE l.restricted_at IS NULL
ORDER BY a.lead_id, a.occurred_at, a.id
"""
WHAT = ("leads", "activities", "scored-leads")
_PAGE = 1000
ExportUser = user_option("Export as this sales user (uuid, e-mail or name): only what they may see.")


def _scored_pages(conn):
    """The ranking the CLI shows (get_scored_leads pages at most 1,000 rows): every lead the caller may see."""
    offset = 0
    while True:
        page = rpc.get_scored_leads(conn, limit=_PAGE, offset=offset)
        yield from page
        if len(page) < _PAGE:
            return
        offset += _PAGE


def _write_rows(out, rows, fmt: str) -> None:
    first = True
    writer = None
    for row in rows:
        if fmt == "json":
            out.write((b"[\n" if first else b",\n") + json.dumps(row, default=str, ensure_ascii=False).encode())
        else:
            if writer is None:
                text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
                writer = csv.DictWriter(text, fieldnames=list(row))
                writer.writeheader()
            writer.writerow({k: _csv_value(v) for k, v in row.items()})
        first = False
    if fmt == "json":
        out.write(b"[]\n" if first else b"\n]\n")
    elif writer is not None:
        text.detach()


def _csv_value(v):
    if isinstance(v, bool):
        return "t" if v else "f"
    return "" if v is None else v


@contextmanager
def _target(output: Optional[Path]):
    if output is None:
        yield sys.stdout.buffer
        sys.stdout.flush()
    else:
        with output.open("wb") as f:
            yield f


def export_command(
    what: Annotated[str, typer.Argument(help="leads, activities or scored-leads.")],
    fmt: Annotated[str, typer.Option("--format", help="csv (with header) or json (an array of objects).")] = "csv",
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    user: ExportUser = None,
    dsn: Dsn = None,
) -> None:
    """Stream leads, activities or scored leads as CSV or JSON (RLS as --user)."""
    if what not in WHAT:
        raise UserError(f"cannot export {what!r}", hint=f"use one of: {', '.join(WHAT)}")
    if fmt not in ("csv", "json"):
        raise UserError(f"--format {fmt!r} is not csv or json")
    with connect(dsn, application="salesflow export") as conn:
        if user:
            act_as(conn, user)
        if what == "scored-leads":
            with _target(output) as out:
                _write_rows(out, _scored_pages(conn), fmt)
            conn.rollback()
            return
        query = sql.SQL(_LEADS if what == "leads" else _ACTIVITIES)
        if fmt == "csv":
            copy = sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER)").format(query)
        else:
            # one JSON text per row; COPY's csv format with a control character as quote leaves it untouched
            copy = sql.SQL("COPY (SELECT row_to_json(t) FROM ({}) AS t) TO STDOUT WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')").format(query)
        with _target(output) as out, conn.cursor().copy(copy) as cp:
            if fmt == "json":
                out.write(b"[")
            first = True
            for chunk in _lines(cp) if fmt == "json" else cp:
                if fmt == "json":
                    out.write(b"\n" if first else b",\n")
                    first = False
                out.write(bytes(chunk))
            if fmt == "json":
                out.write(b"\n]\n" if not first else b"]\n")
        conn.rollback()


def _lines(cp):
    """COPY hands out chunks; JSON needs whole rows (one per line, no newline inside: row_to_json escapes them)."""
    rest = b""
    for chunk in cp:
        rest += bytes(chunk)
        *rows, rest = rest.split(b"\n")
        yield from rows
    if rest:
        yield rest

