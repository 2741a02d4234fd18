"""Read commands: --json matches the SQL functions, --user sees only what that user may see, bad ids exit 2."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from typer.testing import CliRunner

from salesflow_cli import seed as seed_mod
from salesflow_cli.main import cli
from salesflow_cli.refresh import run_refresh

runner = CliRunner()


@pytest.fixture
def data(dsn):
    """3 reps x 40 leads in one team (+ manager, admin), refreshed."""
    res = seed_mod.generate(dsn, 3, 40, 6, 11, anchor=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    run_refresh(dsn)
    return res


def run(dsn, *args):
    r = runner.invoke(cli, [*args, "--dsn", dsn])
    return r


def run_json(dsn, *args):
    r = run(dsn, *args, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_leads_json_matches_get_scored_leads(dsn, db, data):
    rows = run_json(dsn, "leads", "--limit", "15")
    sql = db.execute("SELECT lead_id::text, health_score::float FROM salesflow.get_scored_leads(15)").fetchall()
    assert [(r["lead_id"], r["health_score"]) for r in rows] == [tuple(x) for x in sql]
    assert {"lead_id", "lead_name", "stage", "health_score", "traffic_light", "predicted_conversion",
            "days_since_contact", "bant_light", "disg_type", "user_id"} <= set(rows[0])
    # the rich table for people
    r = run(dsn, "leads", "--limit", "3")
    assert r.exit_code == 0 and "Open leads by health" in r.stdout and rows[0]["lead_id"] in r.stdout


@pytest.mark.parametrize("width", [80, 140])
def test_leads_table_keeps_every_column_readable_at_any_width(dsn, data, width):
    """At 80 columns (a small terminal, or a pipe) no column may be squeezed to nothing: the id
    moves under the name and the minor columns go; at 140 all nine are there."""
    from rich.console import Console

    from salesflow_cli.reads import leads_table, scored_leads

    rows = scored_leads(dsn, None, 5)
    con = Console(width=width, record=True, color_system=None)
    con.print(leads_table(rows, width=width))
    out = con.export_text()
    assert max(len(line) for line in out.splitlines()) <= width
    header = next(line for line in out.splitlines() if line.startswith("┃") and "lead" in line)
    cells = [c.strip() for c in header.strip("┃").split("┃")]
    assert all(cells), header  # every column keeps its header
    expected = ["lead", "stage", "health", "win", "BANT"] if width < 110 else \
        ["lead", "stage", "health", "win", "quiet days", "BANT", "DISG", "value", "lead id"]
    assert cells == expected
    for r in rows:  # whole ids, one per line, never cut
        assert str(r["lead_id"]) in out and r["stage"] in out


def test_lead_json_is_the_lead_intelligence(dsn, db, data):
    lead_id = db.execute("SELECT lead_id FROM salesflow.get_scored_leads(1)").fetchone()[0]
    j = run_json(dsn, "lead", str(lead_id))
    sql = db.execute("SELECT salesflow.get_lead_intelligence(%s)", (lead_id,)).fetchone()[0]
    assert j["lead"] == json.loads(json.dumps(sql["lead"]))
    for key in ("lead", "bant", "disg", "disg_guidance", "recommendations", "followups", "contact_window", "health",
                "predicted_conversion", "engagement"):
        assert key in j
    r = run(dsn, "lead", str(lead_id))
    assert r.exit_code == 0
    assert j["lead"]["name"] in r.stdout and "Health & prediction" in r.stdout and "DISG" in r.stdout


def test_recs_json_matches_recommend_followup_actions(dsn, db, data):
    rep = data.rep_ids[0]
    rows = run_json(dsn, "recs", "--user", rep, "--limit", "7")
    sql = db.execute("SELECT lead_id::text, action_type FROM salesflow.recommend_followup_actions(%s, 7)",
                     (rep,)).fetchall()
    assert [(r["lead_id"], r["action_type"]) for r in rows] == [tuple(x) for x in sql]
    assert rows, "a seeded rep has next best actions"
    assert {"lead_id", "lead_name", "action_type", "reason", "score", "channel", "suggested_time", "disg_tip"} <= set(rows[0])
    owned = {str(x[0]) for x in db.execute("SELECT id FROM salesflow.leads WHERE user_id = %s", (rep,))}
    assert {r["lead_id"] for r in rows} <= owned
    # without --user: everyone's open recommendations (list_recommendations)
    everyone = run_json(dsn, "recs", "--limit", "5")
    sql = db.execute("SELECT id FROM salesflow.list_recommendations('open', 5)").fetchall()
    assert [r["id"] for r in everyone] == [x[0] for x in sql]
    assert run(dsn, "recs").exit_code == 0


def test_funnel_insights_kpis_json(dsn, db, data):
    funnel = run_json(dsn, "funnel")
    sql = db.execute("SELECT step_no, reached, converted FROM salesflow.get_conversion_funnel()").fetchall()
    assert [(f["step_no"], f["reached"], f["converted"]) for f in funnel] == [tuple(x) for x in sql]
    assert [f["from_stage"] for f in funnel] == ["new", "contacted", "replied", "meeting", "proposal"]
    assert funnel[0]["reached"] == 120

    insights = run_json(dsn, "insights")
    sql = db.execute("SELECT disg_type, leads, won FROM salesflow.get_personality_insights()").fetchall()
    assert [(i["disg_type"], i["leads"], i["won"]) for i in insights] == [tuple(x) for x in sql]
    assert {"disg_type", "leads", "won", "lost", "conversion_rate", "avg_cycle_days", "best_channel"} <= set(insights[0])

    kpis = run_json(dsn, "kpis", "--weeks", "4")
    ai = {k: v for k, v in kpis.items() if k != "sales"}  # get_sales_kpis' object (tests/test_kpis_sales.py)
    assert ai == json.loads(json.dumps(db.execute("SELECT salesflow.get_kpis(4)").fetchone()[0]))
    assert "pipeline_by_stage" in kpis["sales"]
    assert len(kpis["weeks"]) == 4
    for key in ("weeks", "totals", "avg_health_open", "conversion_by_disg", "avg_cycle_days_by_bant_light"):
        assert key in kpis
    for cmd in ("funnel", "insights", "kpis"):
        r = run(dsn, cmd)
        assert r.exit_code == 0, r.output

    users = run_json(dsn, "users")
    assert {u["role"] for u in users} == {"rep", "manager", "admin"}


def test_a_rep_never_sees_another_reps_leads(dsn, db, data):
    rep, other = data.rep_ids[0], data.rep_ids[1]
    mine = run_json(dsn, "leads", "--user", rep, "--limit", "1000")
    assert mine and {r["user_id"] for r in mine} == {rep}
    open_count = db.execute("SELECT count(*) FROM salesflow.leads WHERE user_id = %s AND stage NOT IN ('won', 'lost')",
                            (rep,)).fetchone()[0]
    assert len(mine) == open_count
    theirs = db.execute("SELECT id FROM salesflow.leads WHERE user_id = %s LIMIT 1", (other,)).fetchone()[0]
    r = run(dsn, "lead", str(theirs), "--user", rep)
    assert r.exit_code == 2 and "not found or not visible" in r.output
    assert run(dsn, "lead", str(theirs), "--user", data.manager_ids[0]).exit_code == 0  # the manager sees the team
    r = run(dsn, "recs", "--user", rep, "--json")
    assert r.exit_code == 0
    own = {str(x[0]) for x in db.execute("SELECT id FROM salesflow.leads WHERE user_id = %s", (rep,))}
    assert {x["lead_id"] for x in json.loads(r.stdout)} <= own
    # funnel acting as the rep counts only the rep's leads
    f = run_json(dsn, "funnel", "--user", rep)
    assert f[0]["reached"] == 40
    team = run_json(dsn, "leads", "--user", data.manager_ids[0], "--limit", "1000")
    assert {r["user_id"] for r in team} == set(data.rep_ids)


def test_bad_ids_exit_2_with_one_line(dsn, data):
    r = run(dsn, "lead", "not-a-uuid")
    assert r.exit_code == 2
    assert len(r.output.strip().splitlines()) == 1 and "uuid" in r.output
    r = run(dsn, "lead", str(uuid.uuid4()))
    assert r.exit_code == 2 and "not found" in r.output
    assert len(r.output.strip().splitlines()) == 1
    r = run(dsn, "leads", "--user", "nobody")
    assert r.exit_code == 2 and "--user" in r.output
    r = run(dsn, "recs", "--user", str(uuid.uuid4()))
    assert r.exit_code == 2 and "not found" in r.output
    assert run(dsn, "leads", "--limit", "0").exit_code == 2
    assert run(dsn, "kpis", "--weeks", "0").exit_code == 2


@pytest.mark.parametrize("subprocess_", [False, True])
def test_every_option_reads_salesflow_command_option_from_the_environment(dsn, data, subprocess_):
    from tests.proc import run_cli

    two = run_cli("leads", "--dsn", dsn, "--json", SALESFLOW_LEADS_LIMIT="2", subprocess_=subprocess_)
    assert two.returncode == 0, two.stderr
    assert len(json.loads(two.stdout)) == 2
    # the flag on the command line wins over the environment
    four = run_cli("leads", "--dsn", dsn, "--json", "--limit", "4", SALESFLOW_LEADS_LIMIT="2", subprocess_=subprocess_)
    assert len(json.loads(four.stdout)) == 4
    bad = run_cli("leads", "--dsn", dsn, SALESFLOW_LEADS_LIMIT="many", subprocess_=subprocess_)
    assert bad.returncode == 2 and "--limit" in bad.stderr + bad.stdout


def test_a_salesflow_version_variable_in_the_environment_changes_nothing(dsn, data):
    from tests.proc import run_cli

    r = run_cli("leads", "--dsn", dsn, "--json", SALESFLOW_VERSION="1.2.3", subprocess_=True)
    assert r.returncode == 0, r.stderr
    assert isinstance(json.loads(r.stdout), list)


def test_percentages_never_round_to_certainty():
    from salesflow_cli.reads import _pct
    assert [_pct(v) for v in (None, 0, 0.001, 0.004, 0.006, 0.5, 0.994, 0.996, 0.999, 1)] == [
        "–", "0%", "<1%", "<1%", "1%", "50%", "99%", ">99%", ">99%", "100%"]
