"""`salesflow playbook list|start|next`: run playbooks (salesflow.list_playbooks, start_playbook,
advance_playbook). One running execution per lead and playbook; only running ones advance (the
functions refuse otherwise: 22023, exit 2)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from .. import i18n, refs, rpc
from ..options import Dsn, Json, Lang
from .common import ActUser, emit, fields_table, session

app = typer.Typer(help="Playbooks: list them, start one for a lead, complete its steps.", no_args_is_help=True)


@app.command("list")
def list_command(user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None) -> None:
    """The playbooks: key, name and number of steps."""
    with session(dsn, user, lang, "salesflow playbook list") as s:
        rows = rpc.list_playbooks(s.conn)
    lg = s.lang

    def render():
        t = Table(title=i18n.say("playbooks", lg), title_justify="left", expand=False)
        t.add_column(i18n.say("key", lg), no_wrap=True)
        t.add_column(i18n.say("name", lg), overflow="fold")
        t.add_column(i18n.say("steps", lg), justify="right", no_wrap=True)
        for r in rows:
            t.add_row(r["key"], r["name_de"] if lg == "de" else r["name_en"], str(r["steps"]))
        return t

    emit(rows, as_json, render)


def _execution(row: dict, lg: str, title: str) -> object:
    return fields_table(title, [
        (i18n.say("execution", lg), row["execution_id"]),
        (i18n.say("steps done", lg), row.get("current_step")),
        (i18n.say("status", lg), i18n.name("execution_status", row.get("status"), lg)),
    ])


@app.command("start")
def start_command(
    lead: Annotated[str, typer.Argument(metavar="LEAD", help="The lead: uuid, unique id prefix (6+ hex digits), e-mail or name.",
                                        show_default=False)],
    key: Annotated[str, typer.Argument(metavar="KEY", help="The playbook (salesflow playbook list).", show_default=False)],
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Start a playbook for a lead; prints the execution id (for playbook next)."""
    with session(dsn, user, lang, "salesflow playbook start") as s:
        lead_id = refs.lead_id(s.conn, lead)
        row = {"execution_id": rpc.start_playbook(s.conn, lead_id=lead_id, playbook_key=key), "lead_id": lead_id,
               "playbook_key": key, "current_step": 0, "status": "running"}
    emit(row, as_json, lambda: _execution(row, s.lang, i18n.say("playbook started", s.lang)))


@app.command("next")
def next_command(
    execution_id: Annotated[str, typer.Argument(metavar="EXECUTION_ID", help="From playbook start.", show_default=False)],
    outcome: Annotated[Optional[str], typer.Option("--outcome", help="How the step went, e.g. meeting_booked, no_reply.")] = None,
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Mark the current step of a running playbook done (the last one completes it)."""
    xid = refs.int_id(execution_id, "EXECUTION_ID")
    with session(dsn, user, lang, "salesflow playbook next") as s:
        row = rpc.advance_playbook(s.conn, execution_id=xid, outcome=outcome)[0]
    emit(row, as_json, lambda: _execution(row, s.lang, i18n.say("playbook", s.lang)))
