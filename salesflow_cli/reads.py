"""Read commands: leads, lead, funnel, insights (recs: recs.py, kpis: kpis.py, team/teams: team.py).

Each one calls one SQL function and renders it: rich tables for people, --json for scripts (the
function's rows or jsonb as they are). --user acts as that sales user the one way every command
does (acting.act_as: identity plus the user's group role), so the functions filter by identity and
RLS applies exactly as for that user. Without --user the CLI is the trusted table owner and sees
everything.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

import psycopg
import typer
from psycopg.rows import dict_row
from rich.columns import Columns
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from . import i18n, refs, rpc
from .acting import act_as, language_of, reader
from .i18n import name, say
from .connection import connect
from .options import Dsn, Json, Lang, user_option
from .render import console, print_json

User = user_option("Act as this sales user (id, id prefix, e-mail or name): only what they may see (rep: own, manager: team, admin: all).")
Limit = Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="Rows to show.")]

LIGHT = {"green": "green", "yellow": "yellow", "red": "red"}



def _emit(rows: list[dict], as_json: bool, empty: Optional[str], render) -> None:
    """The read commands' one output rule: JSON for scripts, a message when nothing, else the table."""
    if as_json:
        print_json(rows)
    elif not rows and empty is not None:
        console.print(empty)
    else:
        console.print(render(rows))

def open_as(dsn: Optional[str], user: Optional[str], application: str) -> psycopg.Connection:
    """A connection (autocommit, dict rows) acting as `user` (acting.act_as) when given."""
    conn = connect(dsn, autocommit=True, application=application)
    conn.row_factory = dict_row
    try:
        if user:
            act_as(conn, user)
    except BaseException:
        conn.close()
        raise
    return conn


def _call(dsn, user, app, fn: rpc.Rpc, **kwargs) -> Any:
    """One RPC as `user` (a missing schema/function: failures.schema_missing())."""
    conn = open_as(dsn, user, app)
    try:
        return fn(conn, **kwargs)
    finally:
        conn.close()


def _call_lang(dsn, user, app, lang, fn: rpc.Rpc, **kwargs) -> tuple[Any, str]:
    """One RPC as `user`, and the language to print its result in."""
    conn = open_as(dsn, user, app)
    try:
        return fn(conn, **kwargs), language_of(conn, lang)
    finally:
        conn.close()


def _num(v: Any, digits: int = 1) -> str:
    if v is None:
        return "–"
    return f"{float(v):.{digits}f}"


def _pct(v: Any) -> str:
    """Whole percent; never a bare 0 % or 100 % for what is only nearly so."""
    if v is None:
        return "–"
    v = float(v)
    if 0 < v < 0.005:
        return "<1%"
    if 0.995 < v < 1:
        return ">99%"
    return f"{v * 100:.0f}%"


def _light(score: Any, light: Optional[str]) -> Text:
    return Text(_num(score), style=LIGHT.get(light or "", ""))


def _table(title: str, *cols: str) -> Table:
    t = Table(title=title, title_justify="left", header_style="bold", expand=False)
    for c in cols:
        t.add_column(c)
    return t


# --------------------------------------------------------------------------- leads


def scored_leads(dsn, user, limit, offset=0) -> list[dict]:
    return _call(dsn, user, "salesflow leads", rpc.get_scored_leads, limit=limit, offset=offset)


_OWNER_NAMES = "SELECT id, display_name FROM salesflow.users WHERE id = ANY(%s)"


def scored_leads_with_owners(dsn, user, limit, offset=0, lang=None) -> tuple[list[dict], Optional[dict], str]:
    """The scored leads, {user_id: name} of their owners when the caller sees more than their own
    leads (a manager, an admin, the owner without --user; None for a rep: every lead is theirs), and
    the language to print in."""
    conn = open_as(dsn, None, "salesflow leads")
    try:
        me = act_as(conn, user) if user else None
        rows = rpc.get_scored_leads(conn, limit=limit, offset=offset)
        language = language_of(conn, lang)
        if me is not None and me["role"] == "rep":
            return rows, None, language
        ids = list({r["user_id"] for r in rows})
        owners = {r["id"]: r["display_name"] for r in conn.execute(_OWNER_NAMES, (ids,)).fetchall()}  # RLS: whom they see
        return rows, owners, language
    finally:
        conn.close()


def leads_table(rows: list[dict], title: Optional[str] = None, width: Optional[int] = None, lang: str = "en",
                owners: Optional[dict] = None) -> Table:
    """Scored leads as a table. Below 110 columns (an 80-column terminal, or a pipe, where rich
    assumes 80) the id moves under the name and quiet days, DISG and value are left out, so that
    nothing is squeezed to zero width; --json always has every field. With `owners` ({user_id:
    name}, for managers and admins) an owner column follows the lead; the owner
    is a line of the lead cell below 150 columns instead (a squeezed column would fold the id)."""
    # an owner column needs room besides the nine others: below 150 columns the owner is a line of the
    # lead cell (name, company, owner, id: at most four lines) and the minor columns go
    wide = (width if width is not None else console.width) >= (110 if owners is None else 150)
    title = title or say("Open leads by health", lang)
    t = _table(title if wide else f"{title} ({say('wider terminal', lang)})")
    # the name wraps so the id never has to be cut (at least 36 wide once an owner line joins it)
    t.add_column(say("lead", lang), overflow="fold", min_width=36 if owners is not None and not wide else None)
    if owners is not None and wide:
        t.add_column(say("owner", lang), overflow="fold")
    t.add_column(say("stage", lang), no_wrap=True)
    t.add_column(say("health", lang), justify="right", no_wrap=True)
    t.add_column(say("win", lang), justify="right", no_wrap=True)
    if wide:
        t.add_column(say("quiet days", lang), justify="right", no_wrap=True)
    t.add_column("BANT", no_wrap=True)
    if wide:
        t.add_column("DISG", no_wrap=True)
        t.add_column(say("value", lang), justify="right", no_wrap=True)
        t.add_column(say("lead id", lang), no_wrap=True, style="dim", min_width=36)  # a cut id cannot be pasted
    for r in rows:
        who = Text(r["lead_name"])
        if r["company"]:
            who.append(f"\n{r['company']}", style="dim")
        owner = None if owners is None else owners.get(r["user_id"], "?")
        if owner is not None and not wide:
            who.append(f"\n{say('owner', lang)}: {owner}", style="cyan")
        if not wide:
            who.append(f"\n{r['lead_id']}", style="dim")
        cells = [who]
        if owner is not None and wide:
            cells.append(owner)
        cells += [name("stage", r["stage"], lang), _light(r["health_score"], r["traffic_light"]),
                  _pct(r["predicted_conversion"])]
        if wide:
            cells.append("–" if r["days_since_contact"] is None else str(r["days_since_contact"]))
        cells.append(Text(name("light", r["bant_light"], lang), style=LIGHT.get(r["bant_light"] or "", "")))
        if wide:
            cells += [r["disg_type"] or "–", "–" if r["deal_value"] is None else f"{float(r['deal_value']):,.0f}",
                      str(r["lead_id"])]
        t.add_row(*cells)
    return t


def leads_command(
    user: User = None,
    limit: Limit = 20,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows (paging).")] = 0,
    dsn: Dsn = None,
    as_json: Json = False,
    lang: Lang = None,
) -> None:
    """Open leads ranked by health score, with predicted conversion (salesflow.get_scored_leads);
    managers, admins and the owner also see each lead's owner."""
    rows, owners, language = scored_leads_with_owners(dsn, user, limit, offset, lang)
    _emit(rows, as_json, say("no open leads", language), lambda r: leads_table(r, lang=language, owners=owners))


# --------------------------------------------------------------------------- lead


def lead_intelligence(dsn, user, lead: str, lang: Optional[str] = None) -> tuple[dict, dict]:
    """The lead's intelligence and who reads it (acting.reader: language and time zone). Its
    `suggestion` becomes the lead's row of its owner's day plan (plan_day, the same 20 rows
    `salesflow today` plans) when the lead is in it, so `lead`, `recs` and `today` give the same
    channel and time (the slot depends on the owner's other actions and the capacity)."""
    conn = open_as(dsn, user, "salesflow lead")
    try:
        j = rpc.get_lead_intelligence(conn, lead_id=refs.lead_id(conn, lead))
        _plan_suggestion(conn, j)
        return j, reader(conn, lang)
    finally:
        conn.close()


def _plan_suggestion(conn, j: dict) -> None:
    owner = (j.get("lead") or {}).get("user_id") if j else None
    if not owner:
        return
    try:
        with conn.transaction():
            plan = rpc.plan_day(conn, user_id=owner, limit=20)
    except psycopg.errors.InsufficientPrivilege:
        return  # the caller sees the lead (an assignee) but not its owner's day
    row = next((r for r in plan if str(r["lead_id"]) == str(j["lead"]["id"])), None)
    if row:
        j["suggestion"] = {
            "in_plan": True, "action_type": row["action_type"], "channel": row["channel"],
            "channel_rule": row["channel_rule"], "suggested_time": row["suggested_time"],
            "time_rule": row["time_rule"], "plan_day": row["plan_day"],
            "recommendation_id": row["recommendation_id"], "followup_id": row["followup_id"],
            "rep_timezone": row["rep_timezone"],
        }


def _kv(pairs) -> Table:
    t = Table.grid(padding=(0, 1))
    t.add_column(style="dim")
    t.add_column()
    for k, v in pairs:
        t.add_row(k, v if isinstance(v, Text) else ("–" if v in (None, "") else str(v)))
    return t


def render_lead(j: dict, who: Optional[dict] = None) -> None:
    """`salesflow lead`: the lead's panels, then its windows, recommendations, follow-ups, playbooks."""
    who = who or {"language": i18n.DEFAULT, "timezone": "UTC"}
    lang = who["language"]
    _lead_head(j.get("lead") or {}, lang)
    _health_and_bant(j, lang)
    _disg_panel(j.get("disg_guidance") or {}, lang, j.get("suggestion"), who["timezone"])
    _memory_panel(j.get("memory"), lang)
    _lead_tables(j, who)


def _lead_head(lead: dict, lang: str) -> None:
    head = _kv([
        (say("company", lang), lead.get("company")), (say("stage", lang), name("stage", lead.get("stage"), lang)),
        (say("source", lang), name("source", lead.get("source"), lang)),
        (say("industry", lang), name("industry", lead.get("industry"), lang)),
        (say("where", lang), f"{lead.get('country') or '?'} · {name('language', lead.get('language'), lang)} · "
                             f"{lead.get('timezone')}"),
        (say("deal value", lang), None if lead.get("deal_value") is None else f"{float(lead['deal_value']):,.2f}"),
        (say("consent", lang), say("yes", lang) if lead.get("consent")
         else Text(say("no consent", lang), style="red")),
        (say("contact", lang), " · ".join(x for x in (lead.get("email"), lead.get("phone")) if x)),
        (say("lead id", lang), lead.get("id")),
    ])
    console.print(Panel(head, title=f"[bold]{lead.get('name')}[/bold]", title_align="left"))


def _health_and_bant(j: dict, lang: str) -> None:
    health = j.get("health") or {}
    pred = j.get("predicted_conversion") or {}
    eng = j.get("engagement") or {}
    score = Text(f"{_num(health.get('score'))} ({name('light', health.get('traffic_light'), lang)})",
                 style=LIGHT.get(health.get("traffic_light") or "", ""))
    pos = ", ".join(_factor(f, lang) for f in (pred.get("top_positive") or [])) or "–"
    neg = ", ".join(_factor(f, lang) for f in (pred.get("top_negative") or [])) or "–"
    hp = _kv([
        (say("health", lang), score), (say("win probability", lang), _pct(pred.get("probability"))),
        (say("helps", lang), pos), (say("hurts", lang), neg),
        (say("messages in/out", lang), f"{eng.get('inbound_count', 0)} / {eng.get('outbound_count', 0)} "
                                       f"({say('replies', lang)} {eng.get('reply_count', 0)})"),
        (say("last inbound", lang), (eng.get("last_inbound_at") or "–")[:16].replace("T", " ")),
    ])
    bant = j.get("bant")
    if bant:
        bp = _kv([
            (say("score", lang), Text(f"{bant['total_score']} ({name('light', bant['traffic_light'], lang)})",
                                      style=LIGHT.get(bant["traffic_light"], ""))),
            ("B / A / N / T", f"{bant['budget']} / {bant['authority']} / {bant['need']} / {bant['timeline']}"),
            (say("weakest", lang), name("bant", bant.get("weakest"), lang)),
            (say("assessed", lang), (bant.get("created_at") or "")[:10]),
        ])
    else:
        bp = Text(say("no BANT yet", lang), style="dim")
    console.print(Columns([Panel(hp, title=say("Health & prediction", lang), title_align="left"),
                           Panel(bp, title="BANT", title_align="left")]))


def _suggestion_text(g: dict, s: Optional[dict], lang: str, tz: str) -> tuple[str, str]:
    """(the DISG channel line, the suggestion line): when the DISG preference is not the suggested
    channel the line names the rule that won (contact_channel), so the panel never silently
    disagrees with recs/today; the time in the reader's zone."""
    from .today import when_label

    pref = g.get("channel")
    pref_txt = name("channel", pref, lang) if pref else "–"
    if not s:
        return pref_txt, "–"
    chosen = s.get("channel")
    rule = name("channel_rule", s.get("channel_rule"), lang)
    line = f"{name('channel', chosen, lang)} · {when_label(_as_dt(s.get('suggested_time')), tz, lang)} ({tz}) – {rule}"
    if not pref or pref == chosen:
        return pref_txt, line
    return f"{pref_txt} ({say('disg preference', lang)}; {say('suggested', lang)}: {name('channel', chosen, lang)}, {rule})", line


def _as_dt(v: Any):
    import datetime as dt

    return dt.datetime.fromisoformat(v) if isinstance(v, str) else v


def _disg_panel(g: dict, lang: str, suggestion: Optional[dict] = None, tz: str = "UTC") -> None:
    channel, suggested = _suggestion_text(g, suggestion, lang, tz)
    if g.get("profiled"):
        scores = g.get("scores") or {}
        dp = _kv([
            (say("type", lang), f"{g.get('type')}{'/' + g['secondary_type'] if g.get('secondary_type') else ''}"
                                f" – {(g.get('label') or '').removeprefix(str(g.get('type')) + ' – ')}"
                                f" ({say('confidence', lang)} {_num(g.get('confidence'), 2)})"),
            (say("scores", lang), " ".join(f"{k} {_num(scores.get(k), 0)}" for k in "DISG")),
            (say("summary", lang), g.get("summary")), (say("do", lang), "; ".join(g.get("dos") or [])),
            (say("don't", lang), "; ".join(g.get("donts") or [])), (say("opener", lang), g.get("opener")),
            (say("pace", lang), g.get("pace")),
            (say("channel", lang), channel), (say("suggested", lang), suggested),
            (say("closing", lang), g.get("closing_tip")),
        ])
    else:
        dp = _kv([(say("profile", lang), g.get("message") or say("no DISG profile", lang)),
                  (say("how", lang), "; ".join(g.get("how_to_profile") or [])), (say("suggested", lang), suggested)])
    console.print(Panel(dp, title="DISG", title_align="left"))


def _memory_panel(mem: Optional[dict], lang: str) -> None:
    if mem:
        mp = _kv([(say("summary", lang), mem.get("summary")), (say("version", lang), mem.get("version")),
                  (say("stale", lang), say("yes" if mem.get("is_stale") else "no", lang)),
                  (say("pain points", lang), "; ".join(map(str, mem.get("pain_points") or []))),
                  (say("objections", lang), "; ".join(map(str, mem.get("objections") or []))),
                  (say("next steps", lang), "; ".join(map(str, mem.get("next_steps") or [])))])
        console.print(Panel(mp, title=say("Memory", lang), title_align="left"))


def _lead_tables(j: dict, who: dict) -> None:
    lang, tz = who["language"], who["timezone"]
    windows = j.get("contact_window") or []
    if windows:
        t = _table(say("Best contact windows", lang), say("when", lang), say("channel", lang), say("reply prob.", lang),
                   say("confidence", lang), say("basis", lang))
        for w in windows:
            t.add_row(w.get("local_label") or f"{w.get('weekday')} {w.get('hour')}:00", name("channel", w.get("channel"), lang),
                      _pct(w.get("probability")), _num(w.get("confidence")), name("basis", w.get("basis"), lang))
        console.print(t)
    recs = j.get("recommendations") or []
    if recs:
        # the title is the human name of the type (--json has rec_type): one column fewer at 80
        t = _table(say("Open recommendations", lang), "id", say("priority", lang))
        t.add_column(f"{say('title', lang)} · {say('reason', lang)}", ratio=1)
        for r in recs:
            what = Text(r.get("title") or name("action", r.get("rec_type"), lang), style="bold")
            if r.get("reason"):
                what.append(f" · {r['reason']}")
            t.add_row(str(r.get("id")), _num(r.get("effective_priority")), what)
        console.print(t)
    fus = j.get("followups") or []
    if fus:
        t = _table(say("Open follow-ups", lang), "id", f"{say('due', lang)} ({tz})", say("channel", lang),
                   say("note", lang))
        for f in fus:
            due = i18n.when(f.get("due_at"), tz, lang)
            t.add_row(str(f.get("id") or ""),
                      Text(due + (" " + say("overdue", lang) if f.get("overdue") else ""), style="red" if f.get("overdue") else ""),
                      name("channel", f.get("channel"), lang), f.get("note") or "")
        console.print(t)
    pbs = j.get("playbooks") or []
    if pbs:
        t = _table(say("Running playbooks", lang), say("execution", lang), say("playbook", lang), say("step", lang))
        for p in pbs:
            t.add_row(str(p.get("execution_id")), p.get("playbook_key") or "", f"{p.get('current_step')}/{p.get('steps')}")
        console.print(t)


def _factor(f: Any, lang: str = "en") -> str:
    if isinstance(f, dict):
        feat, val = f.get("feature"), f.get("value")
        w = f.get("weight", f.get("factor_weight"))
        shown = name(feat, val, lang) if feat in i18n.CODES else val
        label = f"{name('feature', feat, lang)} = {shown}" if feat else str(val)
        return f"{label} ({_num(w, 2)})" if w is not None else label
    return str(f)


def lead_command(
    lead_id: Annotated[str, typer.Argument(metavar="LEAD", help="The lead: uuid, unique id prefix (6+ hex digits), e-mail or name.", show_default=False)],
    user: User = None,
    dsn: Dsn = None,
    as_json: Json = False,
    lang: Lang = None,
) -> None:
    """Everything salesflow knows about one lead (salesflow.get_lead_intelligence)."""
    j, who = lead_intelligence(dsn, user, lead_id, lang)
    if as_json:
        print_json(j)
        return
    render_lead(j, who)


# --------------------------------------------------------------------------- funnel


def funnel_rows(dsn, user) -> list[dict]:
    return _call(dsn, user, "salesflow funnel", rpc.get_conversion_funnel)


def funnel_table(rows: list[dict], title: Optional[str] = None, lang: str = "en") -> Table:
    t = _table(title or say("Conversion funnel", lang), say("step", lang), say("reached", lang), say("converted", lang),
               say("rate", lang), "", say("median days", lang))
    for r in rows:
        rate = float(r["conversion_rate"] or 0)
        t.add_row(f"{name('stage', r['from_stage'], lang)} → {name('stage', r['to_stage'], lang)}", f"{r['reached']:,}",
                  f"{r['converted']:,}", _pct(rate), Text("█" * round(rate * 20), style="cyan"), _num(r["median_days"]))
    return t


def funnel_command(user: User = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None) -> None:
    """Stage-to-stage conversion with median days (salesflow.get_conversion_funnel)."""
    rows, language = _call_lang(dsn, user, "salesflow funnel", lang, rpc.get_conversion_funnel)
    _emit(rows, as_json, None, lambda r: funnel_table(r, lang=language))


# --------------------------------------------------------------------------- insights


def _team_ref(conn, team: Optional[str]) -> Optional[str]:
    from .team import resolve_team  # a team by uuid, id prefix or name, as `salesflow team` takes it

    return resolve_team(conn, team)


def insight_rows(dsn, user, team: Optional[str] = None) -> list[dict]:
    conn = open_as(dsn, user, "salesflow insights")
    try:
        return rpc.get_personality_insights(conn, team_id=_team_ref(conn, team))
    finally:
        conn.close()


def insights_table(rows: list[dict], title: Optional[str] = None, lang: str = "en") -> Table:
    t = _table(title or say("DISG insights", lang), say("type", lang), say("leads", lang), say("won", lang),
               say("lost", lang), say("win rate", lang), say("avg cycle days", lang), say("best first channel", lang))
    for r in rows:
        t.add_row(r["disg_type"], f"{r['leads']:,}", f"{r['won']:,}", f"{r['lost']:,}", _pct(r["conversion_rate"]),
                  _num(r["avg_cycle_days"]), name("channel", r["best_channel"], lang) if r["best_channel"] else "–")
    return t


def insights_command(
    user: User = None,
    team: Annotated[Optional[str], typer.Option("--team", help="Only this team (uuid, id prefix or name from `salesflow teams`; admins/owner).")] = None,
    dsn: Dsn = None,
    as_json: Json = False,
    lang: Lang = None,
) -> None:
    """Per DISG type: leads, won/lost, win rate, cycle length, best first channel
    (salesflow.get_personality_insights)."""
    conn = open_as(dsn, user, "salesflow insights")
    try:
        rows = rpc.get_personality_insights(conn, team_id=_team_ref(conn, team))
        language = language_of(conn, lang)
    finally:
        conn.close()
    _emit(rows, as_json, say("no profiled leads", language), lambda r: insights_table(r, lang=language))
