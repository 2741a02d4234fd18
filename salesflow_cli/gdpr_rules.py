"""`salesflow gdpr restrict|unrestrict|retention|consent`: restriction (Art. 18), retention, consent.

Thin: resolve the lead under the acting user's RLS, call the SQL functions (restrict_lead,
unrestrict_lead, apply_retention, record_consent, consent_history) and render. The rules live in
SQL: who may do what (restrict, unrestrict and retention: admins and the owner/cron; consent: anyone
on the leads they see), the retention rules (salesflow.retention_rules) and what a restriction
excludes (salesflow.lead_is_processable).

`app` is a Typer app of its own (registered as `salesflow gdpr` until it is merged with the
export/erasure commands); `register(target)` adds the same commands to another app (the merged
`salesflow gdpr`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Optional

import typer

from . import refs, rpc
from .acting import act_as
from .connection import connect
from .errors import UserError
from .options import Dsn, Json, Quiet, user_option
from .render import console, print_json, table

app = typer.Typer(help="GDPR: restriction of processing, retention rules and consent history.", no_args_is_help=True)

ActUser = user_option("Act as this sales user (uuid, e-mail or name); the SQL functions check what they may do.")
LeadArg = Annotated[str, typer.Argument(help="The lead: uuid, id prefix (>= 6 hex), e-mail or name.", show_default=False)]
SOURCES = ("cli", "sql", "import", "whatsapp", "api")

def find_lead(conn, ref: str) -> dict:
    """The one lead `ref` names among those the session may see (refs.lead); exit 2 when none or several."""
    row = refs.lead(conn, ref)
    return {"id": str(row["lead_id"]), "name": row["name"]}


def _until(value: Optional[str]) -> Optional[datetime]:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UserError(f"--until must be a date or ISO 8601 time, got {value!r}", hint="e.g. --until 2032-12-31") from None
    if parsed.tzinfo is None:
        parsed = parsed.astimezone()  # the local time zone of the machine running the CLI
    return parsed


def _session(dsn: Optional[str], user: Optional[str], application: str):
    conn = connect(dsn, autocommit=True, application=application)
    if user:
        act_as(conn, user)
    return conn


def _show_restriction(row: dict, as_json: bool, verb: str) -> None:
    if as_json:
        print_json(row)
        return
    if row["restricted_at"] is None:
        console.print(f"lead {row['lead_id']} {verb}: processing allowed again", soft_wrap=True)
    else:
        until = row["restricted_until"] or "open-ended (no legal period applies)"
        console.print(f"lead {row['lead_id']} {verb} since {row['restricted_at']}, until {until}: "
                      f"{row['restriction_reason']}", soft_wrap=True)


def restrict_command(
    lead: LeadArg,
    reason: Annotated[str, typer.Option("--reason", help="Why (no personal data), e.g. 'Art. 18 request of 2026-12-01'.")],
    until: Annotated[Optional[str], typer.Option(
        "--until", help="End of the keeping period (date). Default: the legal period the retention rules give.")] = None,
    dsn: Dsn = None, user: ActUser = None, as_json: Json = False,
) -> None:
    """Restrict processing of a lead (GDPR Art. 18): kept, but out of scoring, recommendations, AI, search, imports, exports."""
    when = _until(until)
    with _session(dsn, user, "salesflow gdpr restrict") as conn:
        found = find_lead(conn, lead)
        rows = rpc.restrict_lead(conn, lead_id=found["id"], reason=reason, until=when)
    _show_restriction(rows[0], as_json, "restricted")


def unrestrict_command(
    lead: LeadArg,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why the restriction ends (logged).")] = None,
    dsn: Dsn = None, user: ActUser = None, as_json: Json = False,
) -> None:
    """Lift the restriction of a lead (admins)."""
    with _session(dsn, user, "salesflow gdpr unrestrict") as conn:
        found = find_lead(conn, lead)
        rows = rpc.unrestrict_lead(conn, lead_id=found["id"], reason=reason)
    _show_restriction(rows[0], as_json, "unrestricted")


def retention_command(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Change nothing; print what each rule would do.")] = False,
    dsn: Dsn = None, user: ActUser = None, as_json: Json = False, quiet: Quiet = False,
) -> None:
    """Apply the retention rules (salesflow.retention_rules) — for cron; --dry-run only reports."""
    with _session(dsn, user, "salesflow gdpr retention") as conn:
        rows = rpc.apply_retention(conn, dry_run=dry_run)
    if as_json:
        print_json(rows)
        return
    if quiet:
        return
    title = "retention (dry run: nothing changed)" if dry_run else "retention applied"
    verb = {"erase": "would erase" if dry_run else "erased", "restrict": "would restrict" if dry_run else "restricted"}
    console.print(table(title, ["rule", "action", "leads"], [(r["rule_key"], verb[r["action"]], r["leads"]) for r in rows]))


def consent_command(
    lead: LeadArg,
    given: Annotated[bool, typer.Option("--given", help="The lead gave consent (needs --wording).")] = False,
    withdrawn: Annotated[bool, typer.Option("--withdrawn", help="The lead withdrew consent: no outbound suggestions from now on.")] = False,
    wording: Annotated[Optional[str], typer.Option("--wording", help="The exact text consented to.")] = None,
    source: Annotated[str, typer.Option("--source", help=f"Where: {', '.join(SOURCES)}.")] = "cli",
    dsn: Dsn = None, user: ActUser = None, as_json: Json = False,
) -> None:
    """Record consent given or withdrawn (with its wording and source); without --given/--withdrawn: show the history."""
    if given and withdrawn:
        raise UserError("--given and --withdrawn exclude each other", hint="pass one of them, or neither to see the history")
    if source not in SOURCES:
        raise UserError(f"--source must be one of {', '.join(SOURCES)}, got {source!r}", hint="e.g. --source whatsapp")
    with _session(dsn, user, "salesflow gdpr consent") as conn:
        found = find_lead(conn, lead)
        if given or withdrawn:
            rpc.record_consent(conn, lead_id=found["id"], consent=given, source=source, wording=wording)
        history = rpc.consent_history(conn, lead_id=found["id"])
    if as_json:
        print_json({"lead_id": found["id"], "history": history})
        return
    console.print(table(f"consent history of {found['name']} ({found['id']})",
                        ["when", "consent", "source", "by", "wording"],
                        [(h["changed_at"], "given" if h["consent"] else "withdrawn", h["source"], h["changed_by"],
                          h["wording"]) for h in history]))


COMMANDS = {"restrict": restrict_command, "unrestrict": unrestrict_command,
            "retention": retention_command, "consent": consent_command}


def register(target: typer.Typer) -> None:
    """Add restrict / unrestrict / retention / consent to `target` (the merged `salesflow gdpr` app)."""
    for name, fn in COMMANDS.items():
        target.command(name)(fn)


register(app)
