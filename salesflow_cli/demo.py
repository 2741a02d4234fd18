"""`salesflow demo`: from nothing to a sales-intelligence dashboard in under a minute.

Deploy (quietly), seed a small team (or reuse the demo data when this seed already made it),
refresh (learning engine, expiry, views), then show: the top scored leads with health and
predicted conversion, the next best actions of one rep with reasons and contact windows, the
funnel and the DISG insights. Everything comes from the SQL functions; this module only calls
and renders them. Timings per step at the end.
"""

from __future__ import annotations

import time
from typing import Annotated, Optional

import psycopg
import typer
from rich.rule import Rule

from . import i18n, reads, recs, seed as seed_mod
from .connection import redact, resolve_dsn
from .errors import UserError
from .options import Dsn, Json, Lang
from .render import console, print_json


def _demo_state(dsn: str, seed: int, users: int, leads_per_user: int) -> str:
    """'empty', 'ours' (this seed's demo data, complete) or 'other'."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        total = conn.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0]
        if total == 0:
            return "empty"
        team = seed_mod.fingerprint_team_id(seed)
        ours = conn.execute(
            "SELECT count(*) FROM salesflow.leads AS l JOIN salesflow.users AS u ON u.id = l.user_id "
            "WHERE u.team_id = %s", (team,)
        ).fetchone()[0]
        reps = conn.execute("SELECT count(*) FROM salesflow.users WHERE team_id = %s AND role = 'rep'",
                            (team,)).fetchone()[0]
    return "ours" if ours == total == users * leads_per_user and reps == users else "other"


def _pick_rep(dsn: str, seed: int) -> dict:
    """The demo rep: the one in the demo team with the most open leads."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            """
            SELECT u.id, u.display_name, u.language, u.timezone,
                   (SELECT count(*) FROM salesflow.leads AS l WHERE l.user_id = u.id AND l.stage NOT IN ('won', 'lost'))
                   AS open_leads, t.name
            FROM salesflow.users AS u JOIN salesflow.teams AS t ON t.id = u.team_id
            WHERE u.role = 'rep' AND u.team_id = %s
            ORDER BY open_leads DESC, u.display_name, u.id
            LIMIT 1
            """,
            (seed_mod.fingerprint_team_id(seed),),
        ).fetchone()
    if row is None:
        raise UserError("no demo rep found", hint="run: salesflow demo --reset", exit_code=1)
    return {"id": str(row[0]), "name": row[1], "language": row[2], "timezone": row[3], "open_leads": row[4],
            "team": row[5]}


def _contact(action: dict, rep: dict) -> dict:
    """The action's contact suggestion as recommend_followup_actions planned it: the same channel and
    time `salesflow recs` and `salesflow today` show (no second window lookup that could disagree)."""
    return {"channel": action["channel"], "channel_rule": action.get("channel_rule"),
            "suggested_time": action["suggested_time"], "time_rule": action.get("time_rule"),
            "rep_timezone": rep.get("timezone"), "lead_timezone": action.get("lead_timezone")}


def run_demo(dsn: Optional[str], *, seed: int = 42, users: int = 5, leads_per_user: int = 200,
             activities_per_lead: int = 10, reset: bool = False, delete_imported: bool = False,
             say=console.print) -> dict:
    timings: dict[str, float] = {}
    t_all = time.perf_counter()
    target = resolve_dsn(dsn)
    timings["connect"] = time.perf_counter() - t_all
    say(f"[bold]salesflow demo[/bold] on {redact(target)}")

    from .deploy import run_deploy

    t0 = time.perf_counter()
    run_deploy(target, quiet=True)
    timings["deploy"] = time.perf_counter() - t0
    say(f"  deployed schema                 {timings['deploy']:6.1f} s")

    t0 = time.perf_counter()
    state = _demo_state(target, seed, users, leads_per_user)
    if state == "other" and not reset:
        raise UserError(
            "this database already holds other sales data; the demo will not mix its data into it",
            hint="use --reset to replace ALL salesflow data with the demo data, or --dsn for another database",
        )
    seeded = state != "ours"
    if seeded:
        res = seed_mod.seed_database(target, users=users, leads_per_user=leads_per_user,
                                     activities_per_lead=activities_per_lead, seed=seed, teams=1,
                                     reset=state == "other", workers=1, delete_imported=delete_imported)
        counts = res.counts
        timings["seed"] = time.perf_counter() - t0
        say(f"  seeded {counts['leads']:,} leads, {counts['lead_activities']:,} activities "
            f"{timings['seed']:6.1f} s")
    else:
        timings["seed"] = time.perf_counter() - t0
        say(f"  reusing demo data (seed {seed})   {timings['seed']:6.1f} s")

    from .refresh import run_refresh

    t0 = time.perf_counter()
    refresh = run_refresh(target, lock_timeout=30)
    timings["refresh"] = time.perf_counter() - t0
    say(f"  refreshed views and learning    {timings['refresh']:6.1f} s")

    t0 = time.perf_counter()
    leads = reads.scored_leads(target, None, 10)
    rep = _pick_rep(target, seed)
    actions = recs.next_actions(target, rep["id"], 8)
    for a in actions:
        a["contact_window"] = _contact(a, rep)
    funnel = reads.funnel_rows(target, None)
    insights = reads.insight_rows(target, None)
    timings["queries"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_all
    return {
        "target": redact(target), "seed": seed, "seeded": seeded, "timings": {k: round(v, 2) for k, v in timings.items()},
        "refresh": refresh, "leads": leads, "rep": rep, "actions": actions, "funnel": funnel, "insights": insights,
    }


def render_dashboard(d: dict, lang: Optional[str] = None) -> None:
    """The dashboard in the shown rep's language (their reasons and tips are written in it), or --lang."""
    lang = lang or d["rep"].get("language") or "en"
    console.print()
    console.print(Rule(i18n.say("Top scored leads", lang)))
    console.print(reads.leads_table(d["leads"], lang=lang))
    console.print(Rule(f"{i18n.say('Next best actions for', lang)} {d['rep']['name']}"))
    # the same table as `salesflow recs` (the same channel and time as `today`), in the rep's zone
    t = recs.recs_table(d["actions"], title=f"{d['rep']['name']} · {i18n.count(d['rep']['open_leads'], 'open lead', lang)}",
                         tz=d["rep"].get("timezone"), lang=lang)
    console.print(t)
    console.print(Rule(i18n.say("Conversion funnel", lang)))
    console.print(reads.funnel_table(d["funnel"], lang=lang))
    console.print(Rule(i18n.say("DISG insights", lang)))
    console.print(reads.insights_table(d["insights"], title=i18n.say("DISG insights long", lang), lang=lang))
    tm = d["timings"]
    console.print(Rule(i18n.say("Timings", lang)))
    console.print(
        "  ".join(f"{k} {tm[k]:.1f} s" for k in ("connect", "deploy", "seed", "refresh", "queries") if k in tm)
        + f"  [bold]total {tm['total']:.1f} s[/bold]"
    )
    rep = d["rep"]["id"][:8]  # a unique prefix is enough for --user
    lead = str(d["actions"][0]["lead_id"])[:8] if d["actions"] else "LEAD"
    console.print(f"{i18n.say('next', lang)}: salesflow today --user {rep} · salesflow lead {lead} --user {rep} · "
                  f"salesflow team --team {d['rep']['team']!r} · salesflow kpis · salesflow report --html report.html",
                  highlight=False)


def demo_command(
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the demo data.")] = 42,
    users: Annotated[int, typer.Option("--users", min=1, max=50, help="Reps in the demo team.")] = 5,
    leads_per_user: Annotated[int, typer.Option("--leads-per-user", min=10, max=5000, help="Leads per rep.")] = 200,
    reset: Annotated[bool, typer.Option("--reset", help="Replace ALL salesflow data in the target with demo data.")] = False,
    delete_imported: Annotated[bool, typer.Option(
        "--yes-delete-imported-data",
        help="With --reset: also delete leads the seed did not create (imported or added by hand).")] = False,
    dsn: Dsn = None,
    as_json: Json = False,
    lang: Lang = None,
) -> None:
    """Deploy, seed a small team, refresh and show the dashboard (top leads, next best actions with
    suggested channel and time as `recs`/`today` plan them, funnel, DISG insights). Reuses its own demo data when run again."""
    say = (lambda *a, **k: None) if as_json else console.print
    d = run_demo(dsn, seed=seed, users=users, leads_per_user=leads_per_user, reset=reset,
                 delete_imported=delete_imported, say=say)
    if as_json:
        print_json(d)
        return
    render_dashboard(d, lang)
