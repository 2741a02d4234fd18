"""`salesflow log LEAD --channel CH --in|--out TEXT`: record a call, message, meeting or note.

An outbound message is a text sent to the lead: salesflow.log_activity refuses it without consent
(SQLSTATE 55000, exit 1) and runs the compliance check in the lead's language first. The verdict
and its hits are shown before anything is saved:
  allowed                 -> saved (logged in the compliance log), exit 0
  flagged without --yes   -> shown, nothing written, exit 1 (run again with --yes to save it)
  blocked                 -> shown (why and the suggestion, never the text), not saved; the attempt
                             is appended to the compliance log (a critical one alerts the manager), exit 1
  --dry-run               -> only the verdict, nothing written, exit 0
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.console import Group

from .. import i18n, refs, rpc
from ..errors import EXIT_FAILURE, UserError
from ..options import Dsn, Json, Lang
from ..textinput import check_text
from . import when
from ..compliance import hits
from .common import ActUser, emit, fields_table, session

_STYLE = {"blocked": "bold red", "flagged": "bold yellow", "allowed": "bold green"}
_HEADLINE = {"saved": "activity saved", "checked": "activity checked", "blocked": "activity blocked",
             "needs_confirmation": "activity needs yes"}


def log_command(
    lead: Annotated[str, typer.Argument(metavar="LEAD", help="The lead: uuid, unique id prefix (6+ hex digits), e-mail or name.",
                                        show_default=False)],
    text: Annotated[str, typer.Argument(metavar="TEXT", help="What was said or written.", show_default=False)],
    channel: Annotated[str, typer.Option("--channel", help="whatsapp, email, phone, instagram, linkedin, telegram, sms, in_person.")],
    inbound: Annotated[bool, typer.Option("--in", help="From the lead.")] = False,
    outbound: Annotated[bool, typer.Option("--out", help="From you (outbound messages are compliance-checked).")] = False,
    kind: Annotated[str, typer.Option("--kind", help="message, call, meeting or note.")] = "message",
    at: Annotated[Optional[str], typer.Option("--at", help=f"When it happened (default now): {when.FORMS}.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Save an outbound message the check flagged (never a blocked one).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only check; write nothing.")] = False,
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Log an activity with a lead (salesflow.log_activity); outbound messages are checked before saving."""
    if inbound == outbound:
        raise UserError("pass exactly one of --in (from the lead) or --out (from you)", hint="e.g. salesflow log Anna --channel whatsapp --in 'Hallo'")
    check_text(text, "TEXT")
    with session(dsn, user, lang, "salesflow log") as s:
        occurred = when.parse(at, s.timezone, "--at") if at else None
        row = rpc.log_activity(s.conn, lead_id=refs.lead_id(s.conn, lead), channel=channel, direction="in" if inbound else "out",
                               body=text, kind=kind, occurred_at=occurred, confirm=yes, dry_run=dry_run)[0]
    lg = s.lang

    def render():
        parts = [fields_table(i18n.say(_HEADLINE[row["outcome"]], lg), [
            (i18n.say("lead id", lg), row["lead_id"]), (i18n.say("id", lg), row["activity_id"]),
            (i18n.say("decision", lg), i18n.name("decision", row["decision"], lg) if row["decision"] else None),
            (i18n.say("compliance log", lg), row["log_id"]),
        ])]
        if row["violations"]:
            parts.append(hits(row["violations"], lg, show_matched=row["decision"] != "blocked"))
        return Group(*parts)

    emit(row, as_json, render)
    if row["outcome"] in ("blocked", "needs_confirmation"):
        raise typer.Exit(EXIT_FAILURE)
