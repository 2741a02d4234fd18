"""Manager views: `salesflow teams` (which teams, their ids) and `salesflow team` (per rep figures and
the team's next best actions).

Both call SECURITY INVOKER functions (list_teams, get_team_overview, get_team_actions), so what a
manager sees is what row-level security lets them see: their own team. Admins and the owner (the
CLI without --user) see every team; reps are refused (42501, exit 2).

A team is named by uuid, a unique id prefix (>= 6 hex characters) or its name; a prefix or name
is matched against the teams the caller may see, so an ambiguous or unknown one lists those
candidates and exits 2. A full uuid goes to SQL as it is, which answers 42501 (a manager asking for
another team) or P0002 (an admin asking for an unknown one), exit 2 either way.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Optional

import psycopg
import typer
from psycopg.rows import dict_row
from rich.table import Table
from rich.text import Text

from . import i18n, rpc
from .acting import act_as
from .connection import connect
from .errors import UserError
from .options import Dsn, Json, Lang, user_option
from .render import console, print_json

User = user_option("Act as this user (id, id prefix, e-mail or name): a manager sees their team, an admin every team.")
TeamRef = Annotated[Optional[str], typer.Option("--team", "-t", help="Team: uuid, id prefix (6+ hex) or name (see salesflow teams).")]

_UUID = re.compile(r"^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$", re.I)
_HEX = re.compile(r"^[0-9a-f-]{6,}$", re.I)
WIDE = 110  # from this many columns the tables get their extra columns


def open_session(dsn: Optional[str], user: Optional[str], application: str) -> tuple[psycopg.Connection, Optional[dict]]:
    """A connection (autocommit, dict rows) acting as `user` when given, and that user's row."""
    conn = connect(dsn, autocommit=True, application=application)
    conn.row_factory = dict_row
    try:
        me = act_as(conn, user) if user else None
    except BaseException:
        conn.close()
        raise
    return conn, me


def language(lang: Optional[str], me: Optional[dict]) -> str:
    """--lang, else the acting user's language, else English (the owner)."""
    return i18n.lang_or_default(lang or (me or {}).get("language"))


def resolve_team(conn, ref: Optional[str]) -> Optional[str]:
    """The team id `ref` names (None stays None: every team the caller may see)."""
    if ref is None:
        return None
    ref = ref.strip()
    if not ref:
        raise UserError("--team must not be empty", hint="pass a team id, id prefix or name from `salesflow teams`")
    if _UUID.match(ref):
        return ref  # SQL decides: 42501 for another manager's team, P0002 for an unknown one
    teams = rpc.list_teams(conn)
    key = ref.lower().replace("-", "")
    hits = [t for t in teams if t["team_name"].lower() == ref.lower()]
    if not hits and _HEX.match(ref):
        hits = [t for t in teams if str(t["team_id"]).replace("-", "").startswith(key)]
    if len(hits) == 1:
        return str(hits[0]["team_id"])
    listed = "; ".join(f"{t['team_name']} {t['team_id']}" for t in (hits or teams)[:10]) or "none"
    if hits:
        raise UserError(f"--team {ref!r} matches {len(hits)} teams: {listed}", hint="pass the full team id")
    raise UserError(f"--team {ref!r} not found among the teams you may see (id, id prefix of 6+ or name); "
                    f"candidates: {listed}", hint="list them with: salesflow teams")


def money(v: Any, lang: Optional[str] = None) -> str:
    """A whole amount with the language's thousands separator (de 12.345, en 12,345)."""
    return i18n.number(v, lang)


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", header_style="bold")


# --------------------------------------------------------------------------- teams


def teams_table(rows: list[dict], lang: str) -> Table:
    t = _table(i18n.say("teams", lang).capitalize())
    t.add_column(i18n.say("team", lang), overflow="fold")
    t.add_column(i18n.say("team id", lang), no_wrap=True, min_width=36)  # whole: it is pasted into --team
    t.add_column(i18n.say("members", lang), justify="right")
    t.add_column(i18n.say("reps", lang), justify="right")
    for r in rows:
        name = Text(r["team_name"])
        if r["managers"]:
            name.append(f"\n{r['managers']}", style="dim")
        t.add_row(name, str(r["team_id"]), str(r["members"]), str(r["reps"]))
    return t


def teams_command(user: User = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None) -> None:
    """Teams you may look at, with their ids (salesflow.list_teams): managers their own, admins all."""
    conn, me = open_session(dsn, user, "salesflow teams")
    try:
        rows = rpc.list_teams(conn)
    finally:
        conn.close()
    lg = language(lang, me)
    if as_json:
        print_json(rows)
    elif not rows:
        console.print(i18n.say("no teams", lg))
    else:
        console.print(teams_table(rows, lg))


# --------------------------------------------------------------------------- team


def team_data(dsn, user, team: Optional[str], weeks: int = 4, limit: int = 10) -> tuple[dict, Optional[dict]]:
    conn, me = open_session(dsn, user, "salesflow team")
    try:
        tid = resolve_team(conn, team)
        members = rpc.get_team_overview(conn, team_id=tid, weeks=weeks)
        actions = rpc.get_team_actions(conn, team_id=tid, limit=limit)
    finally:
        conn.close()
    return {"team_id": tid, "weeks": weeks, "members": members, "actions": actions}, me


def members_table(rows: list[dict], lang: str, weeks: int, width: Optional[int] = None) -> Table:
    """Per member: open leads, pipeline, overdue follow-ups, replies this week, won (count · value)."""
    wide = (width if width is not None else console.width) >= WIDE
    teams = {r["team_name"] for r in rows}
    title = f"{i18n.say('team overview', lang)}: {', '.join(sorted(teams))}"
    t = _table(title)
    t.add_column(i18n.say("rep", lang), overflow="fold", ratio=2)
    t.add_column(i18n.say("open", lang), justify="right", no_wrap=True)
    t.add_column(i18n.say("pipeline", lang), justify="right", no_wrap=True)
    t.add_column(i18n.say("overdue fu", lang), justify="right", no_wrap=True)
    t.add_column(i18n.say("replies wk", lang), justify="right", no_wrap=True)
    t.add_column(i18n.say("won", lang), justify="right", no_wrap=True)
    t.add_column(i18n.say("won value", lang), justify="right", no_wrap=True)
    multi = len(teams) > 1
    for r in rows:
        who = Text(r["display_name"])
        if r["role"] != "rep" or multi:
            who.append(" · " + " · ".join(x for x in (i18n.name("role", r["role"], lang) if r["role"] != "rep" else "",
                                                      r["team_name"] if multi else "") if x), style="dim")
        if wide:
            who.append(f"\n{r['user_id']}", style="dim")
        t.add_row(who, str(r["open_leads"]), money(r["pipeline_value"], lang),
                  Text(str(r["overdue_followups"]), style="red" if r["overdue_followups"] else ""),
                  str(r["replies_this_week"]), str(r["won_count"]), money(r["won_value"], lang))
    t.caption = i18n.say("team caption", lang).format(n=weeks)
    t.caption_justify = "left"
    return t


def _one_line(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def actions_table(rows: list[dict], lang: str, width: Optional[int] = None, title: Optional[str] = None) -> Table:
    """The team's next best actions; each row at most 3 lines (the reason is cut to one line at 80
    columns, two when wide) so a long reason never makes a row a screen tall."""
    w = width if width is not None else console.width
    wide = w >= WIDE
    t = _table(title or i18n.say("next best actions", lang))
    t.add_column("#", justify="right", no_wrap=True)
    t.add_column(f"{i18n.say('rep', lang)} · {i18n.say('lead', lang)}", overflow="fold", ratio=2)
    t.add_column(f"{i18n.say('action', lang)} · {i18n.say('why', lang)}", ratio=4)
    t.add_column(i18n.say("score", lang), justify="right", no_wrap=True)
    if wide:
        t.add_column(f"{i18n.say('channel', lang)} · {i18n.say('when', lang)}", no_wrap=True)
    reason_len = max(20, w - (75 if wide else 42))  # what the action column has left beside the others
    for i, r in enumerate(rows, 1):
        who = Text(r["display_name"])
        who.append(f"\n{r['lead_name']}", style="bold")
        what = Text(i18n.name("action", r["action_type"], lang))
        what.append("\n" + _one_line(r["reason"] or "", reason_len), style="dim")
        cells = [str(i), who, what, f"{float(r['score'] or 0):.1f}"]
        if wide:
            when = "–" if r["suggested_time"] is None else r["suggested_time"].strftime("%Y-%m-%d %H:%M")
            cells.append(f"{i18n.name('channel', r['channel'], lang)}\n{when}")
        t.add_row(*cells)
    return t


def team_command(
    team: TeamRef = None,
    user: User = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=104, help="Won count/value over this many weeks.")] = 4,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="Next best actions to show.")] = 10,
    dsn: Dsn = None,
    as_json: Json = False,
    lang: Lang = None,
) -> None:
    """Per rep: open leads, pipeline value, overdue follow-ups, replies this week, won count and value;
    then the team's next best actions with each rep's name (salesflow.get_team_overview,
    salesflow.get_team_actions). Managers see their team, admins any (--team), reps are refused."""
    data, me = team_data(dsn, user, team, weeks, limit)
    if as_json:
        print_json(data)
        return
    lg = language(lang, me)
    if not data["members"]:
        console.print(i18n.say("no teams", lg))
        return
    console.print(members_table(data["members"], lg, weeks))
    if data["actions"]:
        console.print(actions_table(data["actions"], lg))
    else:
        console.print(i18n.say("nothing to do", lg))
