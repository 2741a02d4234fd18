"""`salesflow kpis`: sales figures (salesflow.get_sales_kpis) beside the AI-usage figures
(salesflow.get_kpis).

What a sales manager looks at first comes first: won and activity per week, pipeline by stage,
activity and response time per rep, conversion by source; then how the AI tools were used and
what the compliance check decided. Each table has at most seven short columns, so everything
reads at 80 columns (the old single AI table had eleven and cut its headers to three letters).

--json prints get_kpis' object as before, with get_sales_kpis' object under "sales".
--team T narrows to one team: the sales figures in SQL (p_team_id); the AI-usage weeks are the sum
of get_kpis per team member (get_kpis has no team argument), so its averages (health, win rate by
DISG, cycle by BANT light), which cannot be added up, are left out then.
"""

from __future__ import annotations

from typing import Annotated, Any, Optional

import typer
from rich.table import Table
from rich.text import Text

from . import i18n, rpc
from .options import Dsn, Json, Lang, user_option
from .render import console, print_json
from .team import TeamRef, language, money, open_session, resolve_team

User = user_option("Act as this sales user (id, id prefix, e-mail or name): rep own figures, manager team, admin all.")
Weeks = Annotated[int, typer.Option("--weeks", min=1, max=104, help="Weeks to show (this week included).")]

_TEAM_MEMBERS = "SELECT id FROM salesflow.users WHERE team_id = %s ORDER BY id"


def sum_kpis(parts: list[dict]) -> dict:
    """get_kpis objects of several users added up week by week (same weeks: same p_weeks, same call
    time). Averages cannot be added, so they are None / empty in the sum."""
    def add(a: Any, b: Any) -> Any:
        if isinstance(a, dict):
            return {k: add(a.get(k), b.get(k)) for k in a}
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return a + b
        return a

    total = parts[0]
    for p in parts[1:]:
        total = {**total, "weeks": [add(x, y) for x, y in zip(total["weeks"], p["weeks"])],
                 "totals": add(total.get("totals") or {}, p.get("totals") or {})}
    return {**total, "avg_health_open": None, "conversion_by_disg": {}, "avg_cycle_days_by_bant_light": {}}


def kpis_for(conn, weeks: int, team_id: Optional[str]) -> dict:
    """get_kpis' object with get_sales_kpis' under "sales", for the caller's scope or one team."""
    sales = rpc.get_sales_kpis(conn, weeks=weeks, team_id=team_id)  # checks the team first (42501/P0002)
    if team_id is None:
        ai = rpc.get_kpis(conn, weeks=weeks)
    else:
        members = [r["id"] for r in conn.execute(_TEAM_MEMBERS, (team_id,)).fetchall()]
        ai = sum_kpis([rpc.get_kpis(conn, weeks=weeks, user_id=m) for m in members]) if members else \
            {**rpc.get_kpis(conn, weeks=weeks, user_id=None), "avg_health_open": None}
    return {**ai, "sales": sales}


def kpis_data(dsn, user, weeks: int, team: Optional[str] = None) -> tuple[dict, Optional[dict]]:
    conn, me = open_session(dsn, user, "salesflow kpis")
    try:
        return kpis_for(conn, weeks, resolve_team(conn, team)), me
    finally:
        conn.close()


# --------------------------------------------------------------------------- formatting


def pct(v: Any) -> str:
    return "–" if v is None else f"{float(v) * 100:.0f}%"


def duration(minutes: Any, lang: str) -> str:
    """A median reply time for people: minutes below an hour, hours below two days, else days."""
    if minutes is None:
        return "–"
    m = float(minutes)
    if m < 60:
        return i18n.count(round(m), "minute", lang)
    if m < 48 * 60:
        return i18n.count(round(m / 60, 1), "hour", lang)
    return i18n.count(round(m / 1440, 1), "day", lang)


def _table(title: str, *cols: tuple[str, str]) -> Table:
    t = Table(title=title, title_justify="left", header_style="bold")
    for name, justify in cols:
        t.add_column(name, justify=justify, no_wrap=justify == "right")
    return t


def _say(key: str, lang: str) -> str:
    return i18n.say(key, lang)


# --------------------------------------------------------------------------- tables


def sales_week_table(s: dict, lang: str) -> Table:
    L, R = "left", "right"
    t = _table(f"{_say('sales per week', lang)} ({_say('since', lang)} {s.get('from')})",
               (_say("week", lang), L), (_say("won", lang), R), (_say("won value", lang), R), (_say("lost", lang), R),
               (_say("activities", lang), R), (_say("out", lang), R), (_say("in", lang), R))
    for w in s.get("weeks") or []:
        t.add_row(w["week"], str(w["won_count"]), money(w["won_value"], lang), str(w["lost_count"]), str(w["activities"]),
                  str(w["outbound"]), str(w["inbound"]))
    return t


def pipeline_table(s: dict, lang: str) -> Table:
    t = _table(_say("pipeline by stage", lang), (_say("stage", lang), "left"), (_say("leads", lang), "right"),
               (_say("value", lang), "right"), ("", "left"))
    stages = s.get("pipeline_by_stage") or []
    top = max([float(x["value"] or 0) for x in stages] + [1.0])
    for x in stages:
        t.add_row(i18n.name("stage", x["stage"], lang), str(x["leads"]), money(x["value"], lang),
                  Text("█" * round(float(x["value"] or 0) / top * 20), style="cyan"))
    return t


def reps_table(s: dict, lang: str, width: Optional[int] = None) -> Table:
    wide = (width if width is not None else console.width) >= 100
    cols = [(_say("rep", lang), "left"), (_say("activities", lang), "right"), (_say("out", lang), "right"),
            (_say("in", lang), "right")]
    if wide:
        cols += [(_say("calls", lang), "right"), (_say("meetings", lang), "right")]
    cols.append((_say("response", lang), "right"))
    t = _table(_say("activities by rep", lang), *cols)
    for r in s.get("activities_by_rep") or []:
        cells = [r["display_name"], str(r["activities"]), str(r["outbound"]), str(r["inbound"])]
        if wide:
            cells += [str(r["calls"]), str(r["meetings"])]
        cells.append(duration(r["median_response_minutes"], lang))
        t.add_row(*cells)
    return t


def sources_table(s: dict, lang: str) -> Table:
    R = "right"
    t = _table(_say("conversion by source", lang), (_say("source", lang), "left"), (_say("leads", lang), R),
               (_say("open", lang), R), (_say("won", lang), R), (_say("lost", lang), R), (_say("win rate", lang), R))
    for x in s.get("conversion_by_source") or []:
        t.add_row(x["source"].replace("_", " "), str(x["leads"]), str(x["open"]), str(x["won"]), str(x["lost"]),
                  pct(x["win_rate"]))
    return t


def ai_week_table(k: dict, lang: str) -> Table:
    R = "right"
    t = _table(_say("ai usage per week", lang), (_say("week", lang), "left"), ("BANT", R), (_say("profiles", lang), R),
               (_say("recs accepted", lang), R), (_say("recs dismissed", lang), R), (_say("scripts", lang), R))
    for w in k.get("weeks") or []:
        t.add_row(w["week"], *(str(w.get(c, 0)) for c in ("bant_assessments", "profiles", "recommendations_accepted",
                                                           "recommendations_dismissed", "scripts")))
    return t


def compliance_week_table(k: dict, lang: str) -> Table:
    R = "right"
    t = _table(_say("compliance per week", lang), (_say("week", lang), "left"), (_say("checks", lang), R),
               (_say("violations", lang), R), *((i18n.name("decision", d, lang), R) for d in ("allowed", "flagged", "blocked")))
    for w in k.get("weeks") or []:
        d = w.get("decisions") or {}
        t.add_row(w["week"], str(w.get("compliance_checks", 0)), str(w.get("violations", 0)),
                  *(str(d.get(x, 0)) for x in ("allowed", "flagged", "blocked")))
    return t


def summary_grid(k: dict, lang: str) -> Table:
    s = k.get("sales") or {}
    rt = s.get("reply_times") or {}
    tot = s.get("totals") or {}
    hd = s.get("health_distribution") or {}
    conv = k.get("conversion_by_disg") or {}
    cyc = k.get("avg_cycle_days_by_bant_light") or {}
    g = Table.grid(padding=(0, 1))
    g.add_column(style="dim")
    g.add_column()
    rows = [
        (_say("pipeline value", lang), money(s.get("pipeline_value"), lang)),
        (_say("won total", lang), f"{tot.get('won_count', 0)} · {money(tot.get('won_value'), lang)}"),
        (_say("median response", lang), f"{duration(rt.get('median_response_minutes'), lang)} (n={rt.get('responses', 0)})"),
        (_say("median lead reply", lang), f"{duration(rt.get('median_lead_reply_minutes'), lang)} (n={rt.get('lead_replies', 0)})"),
        (_say("health distribution", lang),
         "  ".join(f"{i18n.name('light', c, lang)}: {hd.get(c, 0)}" for c in ("green", "yellow", "red"))),
        (_say("avg health", lang), "–" if k.get("avg_health_open") is None else f"{float(k['avg_health_open']):.1f}"),
        (_say("win rate by disg", lang), "  ".join(f"{t}: {pct(v)}" for t, v in sorted(conv.items())) or "–"),
        (_say("cycle by bant", lang),
         "  ".join(f"{i18n.name('light', t, lang)}: {i18n.count(v, 'day', lang)}" for t, v in sorted(cyc.items())) or "–"),
    ]
    for a, b in rows:
        g.add_row(a, b)
    return g


def render(k: dict, lang: str, width: Optional[int] = None, out=None) -> None:
    out = out or console
    s = k.get("sales") or {}
    for t in (sales_week_table(s, lang), pipeline_table(s, lang), reps_table(s, lang, width), sources_table(s, lang),
              ai_week_table(k, lang), compliance_week_table(k, lang), summary_grid(k, lang)):
        out.print(t)


def kpis_command(
    weeks: Weeks = 8,
    user: User = None,
    team: TeamRef = None,
    dsn: Dsn = None,
    as_json: Json = False,
    lang: Lang = None,
) -> None:
    """Sales KPIs (won and activity per week, pipeline by stage, activity and reply times per rep,
    conversion by source; salesflow.get_sales_kpis) and AI-usage KPIs per week (BANT, profiles,
    recommendations, scripts, compliance decisions; salesflow.get_kpis)."""
    k, me = kpis_data(dsn, user, weeks, team)
    if as_json:
        print_json(k)
        return
    render(k, language(lang, me))
