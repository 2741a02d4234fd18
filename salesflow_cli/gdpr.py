"""`salesflow gdpr export|erase|reapply`: DSGVO access requests, erasure and re-erasure after a restore.

Thin: finds the person (a lead uuid, or --email / --phone through salesflow.gdpr_find_leads, which
sees only what the acting user may see), then calls salesflow.gdpr_export / gdpr_erase /
gdpr_reapply. An e-mail or phone matching several leads lists them and exits 2 (nothing erased);
an unknown person exits 2. Erasure and reapply are admin operations (42501 for reps and managers).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Optional

import psycopg
import typer

from . import rpc
from .refs import lead_id
from .errors import UserError
from .options import Dsn, Json, user_option
from .reads import open_as
from .render import console, dumps, print_json

app = typer.Typer(help="DSGVO/GDPR: access export (Art. 15), erasure (Art. 17), re-erasure after a restore.",
                  no_args_is_help=True)

User = user_option("Act as this sales user (id, e-mail or name): reps export their own leads, managers their "
                   "team's, admins all; erase and reapply need an admin (or no --user: the schema owner).")
LeadArg = Annotated[Optional[str], typer.Argument(help="The lead: uuid, id prefix (6+ hex), e-mail or name (or use --email / --phone).", show_default=False)]
Email = Annotated[Optional[str], typer.Option("--email", help="Find the person by e-mail (case-insensitive).")]
Phone = Annotated[Optional[str], typer.Option("--phone", help="Find the person by phone (compared as digits).")]

_REF = re.compile(r"^[0-9a-f]{64}$")


def _find(conn, lead: Optional[str], email: Optional[str], phone: Optional[str]) -> str:
    """The one lead uuid the arguments name; exit 2 for none, several or a wrong combination."""
    given = [x for x in (lead, email, phone) if x not in (None, "")]
    if len(given) != 1:
        raise UserError("name the person exactly one way: LEAD (uuid), --email E or --phone P",
                        hint="example: salesflow gdpr export --email anna@example.org")
    if lead:
        return lead_id(conn, lead)
    what = f"--email {email}" if email else f"--phone {phone}"
    rows = rpc.gdpr_find_leads(conn, **({"email": email} if email else {"phone": phone}))
    if not rows:
        raise UserError(f"{what}: no lead you may see has it", hint="check the spelling, or act as an admin (--user)")
    if len(rows) > 1:
        for r in rows:
            console.print(f"  {r['lead_id']}  {r['name']}  <{r['email'] or '-'}>  {r['phone'] or '-'}  "
                          f"owner {r['owner_name']}  {r['stage']}", highlight=False, soft_wrap=True)
        raise UserError(f"{what} matches {len(rows)} leads (listed above); nothing was done",
                        hint="pass the lead's uuid instead")
    return str(rows[0]["lead_id"])


@app.command("export")
def export_command(
    lead: LeadArg = None,
    email: Email = None,
    phone: Phone = None,
    user: User = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the JSON document to FILE.")] = None,
    dsn: Dsn = None,
) -> None:
    """Everything stored about one person as one JSON document (salesflow.gdpr_export; the export is logged)."""
    conn = open_as(dsn, user, "salesflow gdpr export")
    try:
        lead_id = _find(conn, lead, email, phone)
        doc = rpc.gdpr_export(conn, lead_id=lead_id)
    finally:
        conn.close()
    text = dumps(doc)
    if output is None:
        print(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot write {output}: {exc.strerror}", hint="pick a writable path") from None
    console.print(f"export of lead {lead_id} written to {output} (request {doc['request_id']})", highlight=False, soft_wrap=True)


@app.command("erase")
def erase_command(
    lead: LeadArg = None,
    email: Email = None,
    phone: Phone = None,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why (logged; no personal data: a ticket number or date).")] = None,
    override_retention: Annotated[bool, typer.Option(
        "--override-retention", help="Erase although a legal retention period is not over (needs --reason; logged).")] = False,
    user: User = None,
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """Erase one person and everything derived (salesflow.gdpr_erase; admins only). Logged without personal data."""
    if not reason or not reason.strip():
        raise UserError("--reason is required (it is logged: say why, without personal data)",
                        hint="example: --reason 'Art. 17 request of 2026-12-01, ticket 4711'")
    conn = open_as(dsn, user, "salesflow gdpr erase")
    try:
        lead_id = _find(conn, lead, email, phone)
        try:
            res = rpc.gdpr_erase(conn, lead_id=lead_id, reason=reason, override_retention=override_retention)
        except psycopg.errors.ObjectNotInPrerequisiteState as exc:
            raise UserError(exc.diag.message_primary or str(exc), hint=exc.diag.message_hint) from None
    finally:
        conn.close()
    if as_json:
        print_json(res)
        return
    counts = ", ".join(f"{k} {v}" for k, v in sorted(res["counts"].items()) if v)
    console.print(f"[bold]erased[/bold] lead {lead_id}: {counts}", soft_wrap=True, highlight=False)
    console.print(f"request {res['request_id']}; erasure reference (for gdpr reapply): {res['lead_ref']}",
                  soft_wrap=True, highlight=False)


def _refs_file(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror}", hint="pass a file with one reference per line") from None
    try:
        data = json.loads(text)
        items = [d["lead_ref"] if isinstance(d, dict) else d for d in (data if isinstance(data, list) else [data])]
    except (ValueError, KeyError, TypeError):
        items = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    bad = [i for i in items if not isinstance(i, str) or not _REF.match(i)]
    if bad:
        raise UserError(f"{path}: {bad[0]!r} is not an erasure reference (64 lower-case hex digits)",
                        hint="one lead_ref per line, or the JSON printed by salesflow gdpr erase --json")
    return items


@app.command("reapply")
def reapply_command(
    refs: Annotated[Optional[Path], typer.Option(
        "--refs", help="Also these references (one per line, or JSON): the erasure log kept outside a restored backup.")] = None,
    user: User = None,
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """After a restore from backup: erase again every lead the erasure log names (salesflow.gdpr_reapply)."""
    extra = _refs_file(refs) if refs else None
    conn = open_as(dsn, user, "salesflow gdpr reapply")
    try:
        rows = rpc.gdpr_reapply(conn, lead_refs=extra) if extra else rpc.gdpr_reapply(conn)
    finally:
        conn.close()
    if as_json:
        print_json(rows)
        return
    erased = [r for r in rows if r["erased"]]
    console.print(f"{len(rows)} erasure reference(s) checked, {len(erased)} lead(s) erased again", soft_wrap=True)
    for r in erased:
        counts = ", ".join(f"{k} {v}" for k, v in sorted((r["counts"] or {}).items()) if v)
        console.print(f"  {r['lead_ref'][:16]}…: {counts}", soft_wrap=True, highlight=False)
