"""`salesflow recs`: a rep's next best actions (recommend_followup_actions, with the channel and time
`salesflow today` plans) or, without --user, everyone's open recommendations (list_recommendations)."""

from __future__ import annotations

from typing import Optional

from rich.table import Table
from rich.text import Text

from . import i18n, rpc
from .acting import act_as
from .connection import connect
from .errors import UserError
from .i18n import name, say
from .options import Dsn, Json, Lang
from .reads import Limit, User, _call, _emit, _num, _pct, _table
from .render import console

def next_actions(dsn, user, limit) -> list[dict]:
    return _next_actions(dsn, user, limit)[0]


def _next_actions(dsn, user, limit) -> tuple[list[dict], dict]:
    if not user:
        raise UserError("recs needs --user USER (the rep whose next best actions to rank: id, e-mail or name)",
                        hint="list users with: salesflow users list")
    conn = connect(dsn, autocommit=True, application="salesflow recs")
    try:
        me = act_as(conn, user)
        return rpc.recommend_followup_actions(conn, user_id=me["id"], limit=limit), me
    finally:
        conn.close()


def recs_table(rows: list[dict], title: Optional[str] = None, tz: Optional[str] = None,
               lang: Optional[str] = None, width: Optional[int] = None) -> Table:
    """Ranked actions. Channel and time are the ones `salesflow today` plans (recommend_followup_actions
    gives them), shown in the rep's time zone `tz` with the lead's local time when it differs; the
    lead id as a short unique prefix under the name (whole from 120 columns); the id to act on
    (F follow-up / R recommendation) under the channel. The reason in up to two lines, the tip in
    one (ellipsis; --json has them whole), so no row is taller than 4 lines; from 120 columns also
    the action and the score."""
    from .today import WIDE, act_id, lead_local, short_ids, when_label, why_cell

    total = width if width is not None else console.width
    wide = total >= WIDE
    tz = tz or "UTC"
    ids = short_ids([r["lead_id"] for r in rows], total)
    cells = []
    for i, r in enumerate(rows, 1):
        lead = Text(r["lead_name"] or "")
        lead.append(f"\n{ids[str(r['lead_id'])]}", style="dim")
        action = i18n.name("action", r["action_type"], lang)
        why = Text(r["reason"] or action)  # the reason names the action (narrow: no action column)
        when = Text(f"{i18n.name('channel', r['channel'], lang)}\n{when_label(r['suggested_time'], tz, lang)}")
        other = lead_local(r["suggested_time"], tz, r.get("lead_timezone"), lang)
        if other:
            when.append(f"\n{other}", style="dim")
        aid = act_id(r, lang)
        if aid:
            when.append(f"\n{aid}", style="dim")
        cells.append([str(i), lead, Text(action), why, _num(r["score"], 1), _pct(r["predicted_conversion"]), when,
                      r["disg_tip"]])
    heads = ["#", i18n.say("lead", lang), i18n.say("action", lang), i18n.say("why tip", lang), i18n.say("score", lang),
             i18n.say("win", lang), i18n.say("channel when", lang)]
    keep = [0, 1, 2, 3, 4, 5, 6] if wide else [0, 1, 3, 5, 6]

    def widest(col: int) -> int:
        return max([len(heads[col])] + [len(x) for c in cells for x in str(c[col].plain if isinstance(c[col], Text)
                                                                           else c[col]).split("\n")])

    fixed = {c: widest(c) for c in keep if c != 3}
    fixed[1] = max(min(fixed[1], 38 if wide else 18), max([len(v) for v in ids.values()] or [8]))
    if 2 in fixed:
        fixed[2] = min(fixed[2], 24)
    why_w = max(16, total - sum(fixed.values()) - (3 * len(keep) + 1))
    t = _table(f"{title or say('Next best actions', lang)} · {tz}")
    for row in cells:  # the reason in two lines, the tip in one, at the width the others leave
        row[3] = why_cell(row[3].plain, row[7], why_w)
    for c in keep:
        t.add_column(heads[c], no_wrap=True, overflow="ellipsis", width=why_w if c == 3 else fixed[c],
                     justify="right" if c in (0, 4, 5) else "left")
    for c in cells:
        t.add_row(*(c[k] for k in keep))
    return t


def open_recommendations(dsn, limit) -> list[dict]:
    return _call(dsn, None, "salesflow recs", rpc.list_recommendations, status="open", limit=limit)


def open_recs_table(rows: list[dict], lang: str = "en") -> Table:
    """Everyone's open recommendations (the owner's view): the title is the type's human name, so
    title and reason share one column and no row grows past a few lines at 80 columns."""
    t = _table(say("Open recommendations all", lang), "id", say("lead", lang), say("priority", lang))
    t.add_column(f"{say('title', lang)} · {say('reason', lang)}", ratio=1)
    for r in rows:
        what = Text(r["title"] or name("action", r["rec_type"], lang), style="bold")
        if r["reason"]:
            what.append(f" · {r['reason']}")
        t.add_row(str(r["id"]), r["lead_name"] or "", _num(r["effective_priority"]), what)
    return t


def recs_command(
    user: User = None,
    limit: Limit = 10,
    lang: Lang = None,
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """Next best actions of a rep (--user; salesflow.recommend_followup_actions: ranked, with reason,
    channel, time and DISG tip). Without --user: the open recommendations of everyone
    (salesflow.list_recommendations)."""
    if not user:
        language = lang or i18n.DEFAULT
        _emit(open_recommendations(dsn, limit), as_json, say("no open recommendations", language),
              lambda rs: open_recs_table(rs, language))
        return
    rows, me = _next_actions(dsn, user, min(limit, 200))
    lang = lang or me.get("language")
    empty = say("nothing to do", lang)
    if me["role"] != "rep":  # a manager's own list is usually empty: their team's is one command away
        empty += f" ({say('team actions hint', lang)}: salesflow team --user {me['id']})"
    _emit(rows, as_json, empty, lambda rs: recs_table(rs, tz=me.get("timezone"), lang=lang))


