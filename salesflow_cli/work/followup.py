"""`salesflow followup add|done|snooze|skip`: plan and work follow-ups.

add_followup / complete_followup / snooze_followup / skip_followup decide (only open follow-ups
change: 55000 otherwise, exit 1; someone else's: P0002, exit 2). WHEN is read in the acting user's
time zone (see work/when.py for the forms).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import i18n, refs, rpc
from ..errors import UserError
from ..options import Dsn, Json, Lang
from . import when
from .common import ActUser, emit, fields_table, session, ts

app = typer.Typer(help="Plan follow-ups and mark them done, snoozed or skipped.", no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The follow-up id (salesflow lead LEAD lists them).", show_default=False)]
LeadArg = Annotated[str, typer.Argument(metavar="LEAD", help="The lead: uuid, unique id prefix (6+ hex digits), e-mail or name.",
                                        show_default=False)]


def _show(row: dict, lang: str, as_json: bool) -> None:
    emit(row, as_json, lambda: fields_table(f"{i18n.say('followup', lang)} {row['followup_id']}", [
        (i18n.say("lead id", lang), row["lead_id"]),
        (i18n.say("status", lang), i18n.name("followup_status", row["status"], lang)),
        (i18n.say("due", lang), ts(row["due_at"], lang)),
        (i18n.say("channel", lang), i18n.name("channel", row["channel"], lang)),
        (i18n.say("note", lang), row["note"]),
        (i18n.say("completed at", lang), ts(row["completed_at"], lang) if row["completed_at"] else None),
    ]))


@app.command("add")
def add_command(
    lead: LeadArg,
    due: Annotated[str, typer.Option("--due", help=f"When: {when.FORMS}.")],
    channel: Annotated[Optional[str], typer.Option("--channel", help="How (default phone): whatsapp, email, phone, ...")] = None,
    note: Annotated[Optional[str], typer.Option("--note", help="What to do.")] = None,
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Plan a follow-up for a lead (salesflow.add_followup)."""
    with session(dsn, user, lang, "salesflow followup add") as s:
        row = rpc.add_followup(s.conn, lead_id=refs.lead_id(s.conn, lead), due_at=when.parse(due, s.timezone, "--due"),
                               channel=channel, note=note)[0]
    _show(row, s.lang, as_json)


@app.command("done")
def done_command(
    followup_id: IdArg,
    note: Annotated[Optional[str], typer.Option("--note", help="How it went (appended to the note).")] = None,
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Mark an open follow-up done (salesflow.complete_followup)."""
    fid = refs.int_id(followup_id, "ID")
    with session(dsn, user, lang, "salesflow followup done") as s:
        row = rpc.complete_followup(s.conn, followup_id=fid, note=note)[0]
    _show(row, s.lang, as_json)


@app.command("snooze")
def snooze_command(
    followup_id: IdArg,
    until: Annotated[Optional[str], typer.Option("--until", help=f"New due time: {when.FORMS}.")] = None,
    for_: Annotated[Optional[str], typer.Option("--for", help="Or a duration from now: 2d, 3h, 90m, 1w.")] = None,
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Move an open follow-up to a later time (salesflow.snooze_followup)."""
    if (until is None) == (for_ is None):
        raise UserError("pass exactly one of --until WHEN or --for DURATION", hint="e.g. --for 2d or --until 'tomorrow 10:00'")
    fid = refs.int_id(followup_id, "ID")
    with session(dsn, user, lang, "salesflow followup snooze") as s:
        if until is not None:
            new_due = when.parse(until, s.timezone, "--until")
        else:
            new_due = s.conn.execute("SELECT now() AS now").fetchone()["now"] + when.duration(for_, "--for")
        row = rpc.snooze_followup(s.conn, followup_id=fid, until=new_due)[0]
    _show(row, s.lang, as_json)


@app.command("skip")
def skip_command(
    followup_id: IdArg,
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why (appended to the note).")] = None,
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Mark an open follow-up skipped (salesflow.skip_followup)."""
    fid = refs.int_id(followup_id, "ID")
    with session(dsn, user, lang, "salesflow followup skip") as s:
        row = rpc.skip_followup(s.conn, followup_id=fid, reason=reason)[0]
    _show(row, s.lang, as_json)
