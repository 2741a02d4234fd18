"""`salesflow report --html FILE`: one self-contained HTML page with the sales picture.

Charts (report_charts.py: Vega-Lite rendered to inline SVG — why that library is written there):
funnel (get_conversion_funnel), pipeline by stage, won and activity per week, activity per rep
(get_sales_kpis), DISG insights (get_personality_insights), health distribution of open leads,
compliance decisions per week (get_kpis); then the team's figures per rep (get_team_overview, for
managers and admins) and the top next actions (recommend_followup_actions for a rep, the team's
get_team_actions for a manager or admin).

The file fetches nothing when opened: no scripts, no style sheets, no fonts, no images from
anywhere (CSS inline, charts inline SVG, the system's sans-serif font). It reads on a phone: a
viewport meta tag, a single-column layout below 700 px, charts scaled to the width by their
viewBox, wide tables scrolling inside their box. Every value from the database is HTML-escaped
here (html.escape) or by vega when it writes the SVG.

Scope: --user acts as that user (a rep: own figures; a manager: the team; an admin: everyone),
--team narrows to one team, neither: everyone (the owner). Language: --lang, else the acting
user's, else English.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from . import __version__, i18n, rpc
from .errors import UserError
from .kpis import duration, kpis_for
from .options import Dsn, Json, Lang, user_option
from .render import console, print_json
from .report_charts import all_charts
from .team import TeamRef, language, money, open_session, resolve_team

User = user_option("Report as this user sees it (id, id prefix, e-mail or name): rep own, manager team, admin all.")

_TEAM_MEMBERS = "SELECT id FROM salesflow.users WHERE team_id = %s ORDER BY id"
_TEAM_NAME = "SELECT name FROM salesflow.teams WHERE id = %s"


def sum_funnels(parts: list[list[dict]]) -> list[dict]:
    """get_conversion_funnel rows of several users added up step by step; median_days as the SQL
    does for several users: the medians weighted by converted leads."""
    if not parts:
        return []
    out = []
    for steps in zip(*parts):
        reached = sum(int(s["reached"]) for s in steps)
        converted = sum(int(s["converted"]) for s in steps)
        weighted = [(float(s["median_days"]), int(s["converted"])) for s in steps if s["median_days"] is not None]
        w = sum(n for _, n in weighted)
        out.append({**steps[0], "reached": reached, "converted": converted,
                    "conversion_rate": round(converted / reached, 4) if reached else 0,
                    "median_days": round(sum(d * n for d, n in weighted) / w, 1) if w else None})
    return out


def gather(dsn, user, team, weeks: int, limit: int) -> tuple[dict, Optional[dict]]:
    """Everything the page shows, read as the acting user (one connection)."""
    conn, me = open_session(dsn, user, "salesflow report")
    try:
        tid = resolve_team(conn, team)
        data: dict[str, Any] = {"team_id": tid, "weeks": weeks, "user": None if me is None else
                                {"id": str(me["id"]), "name": me["display_name"], "role": me["role"]},
                                # times are shown in the reader's zone (the owner without --user: UTC)
                                "timezone": (me or {}).get("timezone") or "UTC"}
        data["kpis"] = kpis_for(conn, weeks, tid)
        if tid is None:
            data["funnel"] = rpc.get_conversion_funnel(conn)
        else:
            members = [r["id"] for r in conn.execute(_TEAM_MEMBERS, (tid,)).fetchall()]
            data["funnel"] = sum_funnels([rpc.get_conversion_funnel(conn, user_id=m) for m in members])
            row = conn.execute(_TEAM_NAME, (tid,)).fetchone()
            data["team_name"] = row["name"] if row else str(tid)
        data["insights"] = rpc.get_personality_insights(conn, team_id=tid)
        if me is not None and me["role"] == "rep":
            data["members"] = []
            data["actions"] = [{**a, "display_name": me["display_name"]}
                               for a in rpc.recommend_followup_actions(conn, user_id=me["id"], limit=limit)]
        else:
            data["members"] = rpc.get_team_overview(conn, team_id=tid, weeks=weeks)
            data["actions"] = rpc.get_team_actions(conn, team_id=tid, limit=limit)
    finally:
        conn.close()
    return data, me


# --------------------------------------------------------------------------- HTML

_CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f6f8}
header,main,footer{max-width:1180px;margin:0 auto;padding:12px 16px}
h1{font-size:1.45rem;margin:.3em 0 .1em}h2{font-size:1.1rem;margin:0 0 .5em}
.meta{color:#5f6b76;font-size:.9rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px;margin:10px 0}
.card{background:#fff;border-radius:10px;padding:10px 12px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
.card b{display:block;font-size:1.25rem}.card span{color:#5f6b76;font-size:.85rem}
.charts{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:12px}
figure.chart{margin:0;background:#fff;border-radius:10px;padding:10px;box-shadow:0 1px 2px rgba(0,0,0,.08);min-width:0}
figure.chart svg{display:block;width:100%;height:auto}
figure.chart figcaption{font-weight:600;margin-bottom:6px}
.empty{color:#5f6b76;font-style:italic;padding:2em 0;text-align:center}
section{margin:14px 0}
.scroll{overflow-x:auto;background:#fff;border-radius:10px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:6px 8px;border-bottom:1px solid #e3e7eb;text-align:left;vertical-align:top}
th{background:#eef1f4;font-weight:600;white-space:nowrap}
td.n,th.n{text-align:right;white-space:nowrap}
td .sub{display:block;color:#5f6b76;font-size:.82rem}
@media (max-width:700px){.charts{grid-template-columns:1fr}body{font-size:14px}header,main,footer{padding:8px 10px}
 #actions .tip{display:none}}
"""


def esc(v: Any) -> str:
    return html.escape("–" if v is None else str(v), quote=True)


def _cards(data: dict, lang: str) -> str:
    s = data["kpis"].get("sales") or {}
    tot = s.get("totals") or {}
    rt = s.get("reply_times") or {}
    open_leads = sum(int(x["leads"]) for x in s.get("pipeline_by_stage") or [])
    cards = [
        (money(s.get("pipeline_value"), lang), f"{i18n.say('pipeline value', lang)} · {open_leads} {i18n.say('open leads', lang)}"),
        (f"{tot.get('won_count', 0)} · {money(tot.get('won_value'), lang)}", i18n.say("won total", lang)),
        (money(tot.get("activities", 0), lang), i18n.say("activities", lang)),
        (duration(rt.get("median_response_minutes"), lang), i18n.say("median response", lang)),
        (duration(rt.get("median_lead_reply_minutes"), lang), i18n.say("median lead reply", lang)),
    ]
    return '<div class="cards">' + "".join(f'<div class="card"><b>{esc(a)}</b><span>{esc(b)}</span></div>'
                                           for a, b in cards) + "</div>"


def _charts(data: dict, lang: str) -> str:
    parts = []
    for cid, title, svg in all_charts(data, lang):
        body = svg if svg is not None else f'<p class="empty">{esc(i18n.say("no data", lang))}</p>'
        parts.append(f'<figure class="chart" id="chart-{cid}" data-chart="{cid}"><figcaption>{esc(title)}</figcaption>'
                     f"{body}</figure>")
    return '<div class="charts">' + "".join(parts) + "</div>"


def _table(head: list[tuple[str, bool]], rows: list[list[str]]) -> str:
    """head: (label, numeric); rows: cells already escaped HTML."""
    th = "".join(f'<th class="n">{esc(h)}</th>' if n else f"<th>{esc(h)}</th>" for h, n in head)
    trs = "".join("<tr>" + "".join(f'<td class="n">{c}</td>' if head[i][1] else f"<td>{c}</td>"
                                   for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f'<div class="scroll"><table><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table></div>'


def _members(data: dict, lang: str) -> str:
    rows = data.get("members") or []
    if not rows:
        return ""
    say = lambda k: i18n.say(k, lang)  # noqa: E731
    head = [(say("rep"), False), (say("team"), False), (say("open"), True), (say("pipeline"), True),
            (say("overdue fu"), True), (say("replies wk"), True), (say("won"), True), (say("won value"), True)]
    body = [[esc(r["display_name"]) + (f'<span class="sub">{esc(i18n.name("role", r["role"], lang))}</span>'
                                       if r["role"] != "rep" else ""),
             esc(r["team_name"]), esc(r["open_leads"]), esc(money(r["pipeline_value"], lang)), esc(r["overdue_followups"]),
             esc(r["replies_this_week"]), esc(r["won_count"]), esc(money(r["won_value"], lang))] for r in rows]
    caption = esc(say("team caption").format(n=data["weeks"]))
    return (f'<section id="members"><h2>{esc(say("team overview"))}</h2>{_table(head, body)}'
            f'<p class="meta">{caption}</p></section>')


def _actions(data: dict, lang: str) -> str:
    rows = data.get("actions") or []
    say = lambda k: i18n.say(k, lang)  # noqa: E731
    if not rows:
        return f'<section id="actions"><h2>{esc(say("top actions"))}</h2><p class="empty">{esc(say("nothing to do"))}</p></section>'
    head = [("#", True), (say("lead"), False), (say("action"), False), (say("why"), False), (say("score"), True),
            (say("channel"), False)]
    body = []
    for i, r in enumerate(rows, 1):
        tz = data.get("timezone") or "UTC"
        when = "" if r.get("suggested_time") is None else f'{i18n.when(r["suggested_time"], tz, lang)} ({tz})'

        tip = f'<span class="sub tip">{esc(r["disg_tip"])}</span>' if r.get("disg_tip") else ""
        body.append([str(i), f'{esc(r["lead_name"])}<span class="sub">{esc(r["display_name"])}</span>',
                     esc(i18n.name("action", r["action_type"], lang)), esc(r["reason"]) + tip,
                     esc(f"{float(r['score'] or 0):.1f}"),
                     f'{esc(i18n.name("channel", r["channel"], lang))}<span class="sub">{esc(when)}</span>'])
    return f'<section id="actions"><h2>{esc(say("top actions"))}</h2>{_table(head, body)}</section>'


def render_html(data: dict, lang: str, now: Optional[dt.datetime] = None) -> str:
    now = now or dt.datetime.now(dt.timezone.utc)
    say = lambda k: i18n.say(k, lang)  # noqa: E731
    if data.get("team_name"):
        scope = f"{say('team')}: {data['team_name']}"
    elif data.get("user"):
        scope = f"{data['user']['name']} ({i18n.name('role', data['user']['role'], lang)})"
    else:
        scope = say("everyone")
    since = (data["kpis"].get("sales") or {}).get("from") or data["kpis"].get("from")
    title = f"{say('report title')} – {scope}"
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{esc(say('report title'))}</h1>"
        f'<div class="meta">{esc(say("scope"))}: {esc(scope)} · {esc(say("since"))} {esc(since)} '
        f'({esc(i18n.count(data["weeks"], "week", lang))}) · {esc(say("generated"))} {esc(now.strftime("%Y-%m-%d %H:%M UTC"))}'
        "</div></header><main>"
        f"{_cards(data, lang)}{_charts(data, lang)}{_members(data, lang)}{_actions(data, lang)}"
        f'</main><footer class="meta">salesflow {esc(__version__)} · {esc(say("as of refresh"))}: '
        f'{esc(say("health distribution"))}, {esc(say("funnel"))}, {esc(say("disg insights"))}</footer>'
        "</body></html>\n"
    )


def report_command(
    html_file: Annotated[Optional[Path], typer.Option("--html", help="Write the report to this HTML file.",
                                                      dir_okay=False, show_default=False)] = None,
    user: User = None,
    team: TeamRef = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=104, help="Weeks of history (this week included).")] = 8,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="Top actions to list.")] = 10,
    dsn: Dsn = None,
    as_json: Json = False,
    lang: Lang = None,
) -> None:
    """One self-contained HTML file (opens offline, reads on a phone) with charts: funnel, pipeline by
    stage, won and activity per week, DISG insights, health distribution, compliance decisions, and
    the top next actions. --json prints the data behind it instead of the file's path and size."""
    if html_file is None:
        raise UserError("report needs --html FILE (where to write the page)", hint="e.g. salesflow report --html report.html")
    if html_file.parent and not html_file.parent.exists():
        raise UserError(f"--html {str(html_file)!r}: folder {str(html_file.parent)!r} does not exist",
                        hint="create the folder first, or write the file elsewhere")
    data, me = gather(dsn, user, team, weeks, limit)
    lg = language(lang, me)
    page = render_html(data, lg)
    html_file.write_text(page, encoding="utf-8")
    size = html_file.stat().st_size
    if as_json:
        print_json({"file": str(html_file), "bytes": size, "language": lg, "data": data})
        return
    console.print(f"{html_file} · {size / 1024:,.0f} KB", soft_wrap=True)  # a long path stays one line (copy-paste)
