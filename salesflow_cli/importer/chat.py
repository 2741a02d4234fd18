"""`salesflow import whatsapp CHAT.txt|CHAT.zip --lead LEAD | --new-lead`: a chat export as activities.

Every message becomes a whatsapp activity (out when the rep wrote it, in otherwise) at its time
read in the lead's time zone, so engagement counters, stale memory and the contact window learn
from it. Deleted-message placeholders are skipped; media placeholders are kept (a photo was sent).
Re-importing the same chat (or a longer export of it) adds only the messages not seen before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from psycopg.rows import dict_row

from .. import rpc
from ..acting import find_user
from ..errors import UserError
from ..options import Dsn, Json
from .flags import DryRun, Quiet, User
from .report import conclude
from .rows import ACTIVITY_COLUMNS, COLUMNS
from .staging import Outcome, Stager, finish, open_batch, require_file, session
from .values import ValueProblem, phone_e164
from .whatsapp import Chat, parse_chat, read_chat

_LEAD = """
SELECT l.id, l.name, l.user_id, u.display_name AS owner_name
FROM salesflow.leads AS l JOIN salesflow.users AS u ON u.id = l.user_id
WHERE l.id::text = lower(%(r)s)
   OR (%(r)s ~* '^[0-9a-f-]{6,}$' AND l.id::text LIKE lower(%(r)s) || '%%')
   OR lower(l.email) = lower(%(r)s) OR lower(l.name) = lower(%(r)s)
LIMIT 6
"""


def _lead(conn, ref: str) -> dict:
    rows = conn.cursor(row_factory=dict_row).execute(_LEAD, {"r": ref.strip()}).fetchall()
    if not rows:
        raise UserError(f"--lead {ref!r}: no lead you may see has that id, id prefix, e-mail or name",
                        hint="list leads with: salesflow leads")
    if len(rows) > 1:
        raise UserError(f"--lead {ref!r} matches {len(rows)} leads: " + ", ".join(f"{r['name']} {r['id']}" for r in rows[:5]),
                        hint="pass the lead id")
    return rows[0]


def _sides(chat: Chat, me: str) -> tuple[str, list[str]]:
    """(the rep's sender name as written in the chat, the other senders)."""
    mine = [s for s in chat.senders if s.casefold() == me.casefold()]
    if not mine:
        raise UserError(f"--me {me!r} is not a sender in this chat; senders: {', '.join(chat.senders)}",
                        hint="pass --me with your name exactly as the chat shows it")
    return mine[0], [s for s in chat.senders if s != mine[0]]


def _new_lead_row(name: str, owner_id: str) -> dict:
    try:
        phone = phone_e164(name) if name.lstrip().startswith("+") else None
    except ValueProblem:
        phone = None
    # the chat partner's name is all a chat says about them; owner + name keeps re-imports on one lead
    return {"external_id": f"{owner_id}:{name}", "name": name, "phone": phone, "owner": owner_id}


def whatsapp_command(
    path: Annotated[Path, typer.Argument(help="The exported chat: the .txt, or the .zip WhatsApp wrote.")],
    lead: Annotated[Optional[str], typer.Option("--lead", help="The lead (uuid, id prefix, e-mail or name).")] = None,
    new_lead: Annotated[bool, typer.Option("--new-lead", help="Create the lead from the chat partner's name.")] = False,
    me: Annotated[Optional[str], typer.Option("--me", help="Your sender name in the chat (default: the rep's display name).")] = None,
    owner: Annotated[Optional[str], typer.Option("--owner", help="Owner of a --new-lead (default: --user).")] = None,
    day_first: Annotated[Optional[bool], typer.Option("--day-first/--month-first",
                                                      help="Order of slashed dates when the file cannot tell.")] = None,
    dry_run: DryRun = False, user: User = None, dsn: Dsn = None, as_json: Json = False, quiet: Quiet = False,
) -> None:
    """A WhatsApp "Export chat" file (Android or iOS, German or English) as the lead's messages."""
    if bool(lead) == new_lead:
        raise UserError("pass exactly one of --lead LEAD and --new-lead", hint="--lead for a known lead, --new-lead to create it")
    text, _source = read_chat(require_file(path))
    chat = parse_chat(text, day_first=day_first)
    mode = "dry-run" if dry_run else "all"
    conn, acting = session(dsn, user)
    with conn:
        target = _lead(conn, lead) if lead else None
        rep = (find_user(conn, owner, "--owner") if owner else acting) if new_lead else \
            find_user(conn, str(target["user_id"]), "lead owner")
        if rep is None:
            raise UserError("--new-lead needs an owner", hint="pass --user (act as the rep) or --owner")
        mine, others = _sides(chat, me or rep["display_name"])
        outcome = Outcome("whatsapp", mode, problems=[])
        # SQL mode 'all': a dry run still creates the lead inside the transaction (so its messages
        # can be counted) and the CLI rolls everything back
        open_batch(conn, "whatsapp", "whatsapp", None, "all")
        if new_lead:
            if len(others) != 1:
                raise UserError(f"--new-lead needs a chat with one partner; this one has {len(others)}: {', '.join(others)}",
                                hint="import a group chat into a known lead with --lead")
            row = _new_lead_row(others[0], str(rep["id"]))
            Stager(conn, "staged_leads", COLUMNS, show_progress=False, label="lead").copy([(1, row)])
            lead_counts = rpc.import_leads(conn, default_owner=rep["id"])[0]
            target = conn.cursor(row_factory=dict_row).execute(
                "SELECT id, name FROM salesflow.leads WHERE external_system = 'whatsapp' AND external_id = %s",
                (row["external_id"],)).fetchone()
            if target is None:
                why = "; ".join(f"{r['field']}: {r['reason']}" for r in rpc.list_import_rejects(conn))
                raise UserError(f"the lead {others[0]!r} could not be created: {why}", exit_code=2)
            outcome.counts["leads_created"] = lead_counts["created"]
        messages = [m for m in chat.messages if not m.deleted]
        rows = ((m.line, {"lead_id": str(target["id"]), "channel": "whatsapp", "direction": "out" if m.sender == mine else "in",
                          "kind": "message", "occurred_at": m.local_time.isoformat(sep=" "), "body": m.text})
                for m in messages)
        Stager(conn, "staged_activities", ACTIVITY_COLUMNS, show_progress=not quiet, label="messages").copy(rows)
        counts = rpc.import_activities(conn)[0]
        outcome.counts.update({"created": counts["created"], "unchanged": counts["unchanged"], "lead": str(target["id"]),
                               "media": sum(m.media for m in messages), "deleted_skipped": len(chat.messages) - len(messages),
                               "system_lines": chat.system_lines})
        finish(conn, outcome)
    conclude(outcome, path, None, as_json)
