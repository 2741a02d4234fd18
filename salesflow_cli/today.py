"""`salesflow today`: a rep's day — the next best actions, each at a suggested time slot.

Everything comes from salesflow.plan_day (the rows of recommend_followup_actions planned into the
rep's working hours: 08:00-20:00 in users.timezone, --capacity actions per hour slot, the lead's
best contact window with room first, overdue follow-ups first). `recs`, `lead` and `demo` show the
same channel and time, because they read the same SQL. This module only groups and renders:
one table, rows grouped by slot in the rep's time zone, the lead's local time beside it when it
differs, every row at most 4 lines high at 80 columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Iterable, Optional

import typer
from rich.table import Table
from rich.text import Text

from . import i18n, refs, rpc
from .acting import act_as
from .connection import connect
from .errors import UserError
from .options import Dsn, Json, Lang, user_option
from .render import console, print_json

User = user_option("Plan the day of this sales user (id, id prefix, e-mail or name); a manager may plan a team member's day.")

WIDE = 120  # from this width the tables get their extra columns
FULL_IDS = 150  # and from this one the whole lead id fits beside them


# --------------------------------------------------------------------------- shared with recs and demo


def short_ids(ids: Iterable[Any], width: Optional[int] = None) -> dict[str, str]:
    """Each id whole from FULL_IDS columns on, else its shortest unique prefix (refs.shown_ids)."""
    return refs.shown_ids(list(ids), (width if width is not None else console.width) >= FULL_IDS)


def city(tz: Optional[str]) -> str:
    """'America/New_York' -> 'New York' (the part people say)."""
    return (tz or "").rsplit("/", 1)[-1].replace("_", " ")


def when_label(ts: Optional[dt.datetime], tz: Optional[str], lang: Optional[str], *, day: bool = True) -> str:
    """A moment in time zone `tz`: 'Mi 14:00' (weekday in `lang`), or '14:00' with day=False."""
    if ts is None:
        return "–"
    from zoneinfo import ZoneInfo

    local = ts.astimezone(ZoneInfo(tz)) if tz else ts
    hm = local.strftime("%H:%M")
    return f"{i18n.weekday(local.isoweekday(), lang)} {hm}" if day else hm


def lead_local(ts: Optional[dt.datetime], rep_tz: Optional[str], lead_tz: Optional[str], lang: Optional[str]) -> str:
    """The lead's local time when its clock differs from the rep's ('08:00 New York', with the
    weekday when the lead's date differs: 'Do 01:00 Tokyo'), else ''."""
    if ts is None or not lead_tz or lead_tz == rep_tz:
        return ""
    from zoneinfo import ZoneInfo

    theirs, ours = ts.astimezone(ZoneInfo(lead_tz)), ts.astimezone(ZoneInfo(rep_tz or "UTC"))
    if theirs.utcoffset() == ours.utcoffset():
        return ""
    return f"{when_label(ts, lead_tz, lang, day=theirs.date() != ours.date())} {city(lead_tz)}"


def fit(text: str, width: int, lines: int) -> str:
    """`text` wrapped to `width`, at most `lines` lines, the last one ending in '…' when cut (so a
    table row keeps its height bound; --json has the whole text)."""
    import textwrap

    out = textwrap.wrap(text or "", width, break_long_words=True) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(width - 1, 0)].rstrip() + "…"
    return "\n".join(out)


def why_cell(reason: str, tip: Optional[str], width: int) -> Text:
    """The reason in up to two lines, the DISG tip (dim) in one."""
    why = Text(fit(reason, width, 2))
    if tip:
        why.append("\n" + fit(tip, width, 1), style="dim")
    return why


def act_id(row: dict, lang: Optional[str]) -> str:
    """The id to act on: follow-up 'F 12' (update the follow-up) or recommendation 'R 34'."""
    if row.get("followup_id"):
        return f"{i18n.say('followup short', lang)} {row['followup_id']}"
    if row.get("recommendation_id"):
        return f"{i18n.say('recommendation short', lang)} {row['recommendation_id']}"
    return ""


# --------------------------------------------------------------------------- today


def plan(dsn: Optional[str], user: Optional[str], day: Optional[dt.date], capacity: int, limit: int) -> tuple[dict, list[dict]]:
    """(the acting user's row, plan_day's rows) as that user."""
    if not user:
        raise UserError("today needs --user USER (whose day to plan: id, e-mail or name)",
                        hint="list users with: salesflow users list")
    conn = connect(dsn, autocommit=True, application="salesflow today")
    try:
        me = act_as(conn, user)
        return me, rpc.plan_day(conn, user_id=me["id"], day=day, capacity=capacity, limit=limit)
    finally:
        conn.close()


def today_table(rows: list[dict], me: dict, lang: Optional[str], capacity: int, width: Optional[int] = None) -> Table:
    """The day as one table, rows grouped by slot (rules between slots, the slot named on its
    first row): time | lead + id prefix | reason + DISG tip | channel + id to act on. Fixed widths:
    the id is never cut, the reason takes up to two lines and the tip one (ellipsis; --json has them
    whole), so a row is at most 3 lines at any width."""
    rep_tz = rows[0]["rep_timezone"] if rows else me.get("timezone")
    day = rows[0]["plan_day"] if rows else None
    head = i18n.say("today title", lang)
    if day is not None:
        head += f" · {me.get('display_name') or ''} · {i18n.weekday(day.isoweekday(), lang)} {day:%d.%m.%Y}"
    head += f" · {rep_tz} · {capacity} {i18n.say('per slot', lang)} · {i18n.say('working hours', lang)}"
    ids = short_ids([r["lead_id"] for r in rows], width)
    cells = [_cells(r, rep_tz, lang, ids) for r in rows]

    def widest(col: int, label: str) -> int:
        return max([len(i18n.say(label, lang))] + [len(x) for c in cells for x in c[col].plain.split("\n")])

    total = width if width is not None else console.width
    w_time, w_chan = widest(0, "time"), widest(3, "channel id")
    w_lead = max(min(38 if total >= WIDE else 18, widest(1, "lead")), max(len(v) for v in ids.values()))
    w_why = max(16, total - (w_time + w_lead + w_chan) - 13)  # 5 borders + 4 x 2 padding
    t = Table(title=head, title_justify="left", header_style="bold", expand=False)
    t.add_column(i18n.say("time", lang), no_wrap=True, width=w_time)
    t.add_column(i18n.say("lead", lang), no_wrap=True, overflow="ellipsis", width=w_lead)
    t.add_column(i18n.say("why tip", lang), no_wrap=True, overflow="ellipsis", width=w_why)
    t.add_column(i18n.say("channel id", lang), no_wrap=True, width=w_chan)
    group: Any = object()  # no slot yet
    for r, (when, lead, why, chan) in zip(rows, cells):
        why = why_cell(r["reason"] or i18n.name("action", r["action_type"], lang), r["disg_tip"], w_why)
        key = "overdue" if r["overdue"] else r["suggested_time"]
        if key != group and t.rows:
            t.add_section()
        if key == group:
            when = _without_slot(when)
        group = key
        t.add_row(when, lead, why, chan)
    return t


def _without_slot(when: Text) -> Text:
    """A later row of the same group: without its first line (the slot, or the overdue label,
    is named on the group's first row)."""
    lines = when.split("\n")
    return Text("\n").join(lines[1:]) if len(lines) > 1 else Text("")


def _cells(r: dict, rep_tz: Optional[str], lang: Optional[str], ids: dict) -> tuple[Text, Text, Text, Text]:
    """One action's cells: slot (line 1; overdue: the label, then the slot) and the lead's local
    time when it differs; name and id prefix; reason and DISG tip; channel and the id to act on."""
    when = Text()
    if r["overdue"]:
        when.append(i18n.say("overdue now", lang), style="bold red")
        if r["suggested_time"] is not None:
            when.append("\n" + when_label(r["suggested_time"], rep_tz, lang, day=False))
    elif r["suggested_time"] is None:
        when.append(i18n.say("not today", lang), style="dim")
    else:
        when.append(when_label(r["suggested_time"], rep_tz, lang, day=False), style="bold")
    other = lead_local(r["suggested_time"], rep_tz, r["lead_timezone"], lang)
    if other:
        when.append("\n" + other, style="dim")
    lead = Text(r["lead_name"] or "")
    lead.append(f"\n{ids[str(r['lead_id'])]}", style="dim")
    why = Text(r["reason"] or i18n.name("action", r["action_type"], lang))
    if r["disg_tip"]:
        why.append(f"\n{r['disg_tip']}", style="dim")
    chan = Text(i18n.name("channel", r["channel"], lang))
    aid = act_id(r, lang)
    if aid:
        chan.append(f"\n{aid}", style="dim")
    return when, lead, why, chan


def today_command(
    user: User = None,
    day: Annotated[Optional[str], typer.Option("--date", metavar="YYYY-MM-DD",
                                               help="Day to plan (default: today, or the next working day after 19:00).")] = None,
    capacity: Annotated[int, typer.Option("--capacity", min=1, max=50,
                                          help="Actions per hour slot.")] = 4,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="Actions to plan (the top ranked).")] = 20,
    lang: Lang = None,
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """A rep's day (salesflow.plan_day): the next best actions at suggested times in the rep's
    working hours (08:00-20:00, their time zone), --capacity per hour slot, overdue follow-ups
    first; each row says why, the channel, the DISG tip and the id to act on."""
    when = None
    if day is not None:
        try:
            when = dt.date.fromisoformat(day)
        except ValueError:
            raise UserError(f"--date must be YYYY-MM-DD, got {day!r}", hint="e.g. --date 2026-12-03") from None
    me, rows = plan(dsn, user, when, capacity, limit)
    if as_json:
        print_json(rows)
        return
    lang = lang or me.get("language")
    if not rows:
        console.print(i18n.say("nothing today", lang))
        return
    console.print(today_table(rows, me, lang, capacity))
    if any(r["followup_id"] or r["recommendation_id"] for r in rows):
        console.print(Text(i18n.say("id legend", lang), style="dim"))
