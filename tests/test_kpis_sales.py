"""Sales KPIs: salesflow.get_sales_kpis on a hand-built dataset (pipeline by stage, won per week,
reply times, activity per rep, conversion by source, scope checks) and `salesflow kpis` at 80 and
120 columns in both languages."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import psycopg
import pytest
from typer.testing import CliRunner

from salesflow_cli.main import cli
from salesflow_cli.refresh import run_refresh
from tests.factories import acting_as, add_activity, drain, make_lead, make_team

runner = CliRunner()


def make_user(db, team_id, role, name, language="de"):
    return db.execute(
        "INSERT INTO salesflow.users (team_id, display_name, email, role, language) VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (team_id, name, name.lower().replace(" ", ".") + "@example.org", role, language)).fetchone()[0]


@pytest.fixture
def world(db):
    week = db.execute("SELECT date_trunc('week', now())").fetchone()[0]  # Monday 00:00, session time zone
    now = db.execute("SELECT now()").fetchone()[0]
    nord, sued = make_team(db, "Team Nord"), make_team(db, "Team Süd")
    w = {"week": week, "now": now, "nord": nord, "sued": sued,
         "rita": make_user(db, nord, "rep", "Rita Rep"), "rolf": make_user(db, nord, "rep", "Rolf Rep"),
         "maja": make_user(db, nord, "manager", "Maja Manager"), "sven": make_user(db, sued, "rep", "Sven Rep"),
         "ada": make_user(db, None, "admin", "Ada Admin")}
    L = lambda u, name, **c: make_lead(db, w[u], name, consent=True, **c)  # noqa: E731
    w["a"] = L("rita", "Anna Angebot", stage="proposal", deal_value=1000, source="website")
    L("rita", "Bert Angebot", stage="proposal", deal_value=500, source="website")
    w["c"] = L("rita", "Carl Neu", stage="new", deal_value=200, source="referral")
    L("rita", "Dora Neu", stage="new", source="referral")  # no deal value: counts 0
    L("rita", "Emil Won", stage="won", deal_value=3000, source="website", closed_at=min(now, week + dt.timedelta(minutes=1)))
    L("rita", "Fritz Won", stage="won", deal_value=400, source="referral", closed_at=week - dt.timedelta(days=3))
    L("rita", "Gerd Lost", stage="lost", deal_value=800, source="website", closed_at=week - dt.timedelta(days=10))
    L("rita", "Hans Old", stage="won", deal_value=9000, source="website", closed_at=week - dt.timedelta(days=60))  # before
    L("rolf", "Rolfs Lead", stage="meeting", deal_value=300, source="event")
    L("sven", "Svens Lead", stage="proposal", deal_value=7777, source="event")
    # one conversation on Anna: out, in (+10 min), in, note, out (+60 after the run began), in (+30),
    # out 9 days later (no answer: over 7 days)
    t0 = now - dt.timedelta(days=12)
    act = lambda lead, d, minutes, **k: add_activity(db, w[lead], w["rita"], d, occurred_at=t0 + dt.timedelta(minutes=minutes), **k)  # noqa: E731
    act("a", "out", 0)
    act("a", "in", 10)
    act("a", "in", 20)
    act("a", "in", 30, kind="note")
    act("a", "out", 70)
    act("a", "in", 100)
    act("a", "out", 100 + 9 * 24 * 60)
    # Carl: in, the rep answers after 120 minutes
    act("c", "in", 0)
    act("c", "out", 120, kind="call")
    drain(db)  # reply times are kept by the drain (activity_answers); counts are read live
    return w


def kpis(conn, weeks=3, user=None, team=None) -> dict:
    return conn.execute("SELECT salesflow.get_sales_kpis(%s, %s, %s)", (weeks, user, team)).fetchone()[0]


def test_pipeline_by_stage_sums_and_won_per_week(db, world):
    k = kpis(db, 3, world["rita"])
    stages = {s["stage"]: (s["leads"], Decimal(str(s["value"]))) for s in k["pipeline_by_stage"]}
    assert [s["stage"] for s in k["pipeline_by_stage"]] == ["new", "contacted", "replied", "meeting", "proposal"]
    assert stages == {"new": (2, Decimal(200)), "contacted": (0, 0), "replied": (0, 0), "meeting": (0, 0),
                      "proposal": (2, Decimal(1500))}
    assert Decimal(str(k["pipeline_value"])) == 1700
    weeks = k["weeks"]
    assert [w["week"] for w in weeks] == [(world["week"] - dt.timedelta(days=7 * i)).strftime("%Y-%m-%d") for i in (2, 1, 0)]
    assert [(w["won_count"], Decimal(str(w["won_value"])), w["lost_count"]) for w in weeks] == \
        [(0, 0, 1), (1, 400, 0), (1, 3000, 0)]
    assert k["totals"]["won_count"] == 2 and Decimal(str(k["totals"]["won_value"])) == 3400  # Hans (60 days) is outside
    # the whole team: Rolf's meeting adds to the pipeline, Sven (another team) does not
    team = kpis(db, 3, None, world["nord"])
    assert Decimal(str(team["pipeline_value"])) == 2000
    assert {s["stage"]: s["leads"] for s in team["pipeline_by_stage"]}["meeting"] == 1


def test_median_reply_times_and_activity_per_rep(db, world):
    k = kpis(db, 3, world["rita"])
    rt = k["reply_times"]
    # lead replies: 10 and 30 minutes -> 20; rep responses: 60 (from the first of two inbound) and 120 -> 90
    assert (rt["lead_replies"], float(rt["median_lead_reply_minutes"])) == (2, 20.0)
    assert (rt["responses"], float(rt["median_response_minutes"])) == (2, 90.0)
    (rita,) = [r for r in k["activities_by_rep"] if r["display_name"] == "Rita Rep"]
    # 9 activities without the note; the one 9 days after t0 is in the period too
    assert (rita["activities"], rita["outbound"], rita["inbound"], rita["calls"]) == (8, 4, 4, 1)
    assert float(rita["median_response_minutes"]) == 90.0
    assert sum(w["activities"] for w in k["weeks"]) == 8 == k["totals"]["activities"]


def test_conversion_by_source(db, world):
    k = kpis(db, 3, world["rita"])
    by = {s["source"]: s for s in k["conversion_by_source"]}
    assert (by["website"]["leads"], by["website"]["won"], by["website"]["lost"], by["website"]["open"]) == (5, 2, 1, 2)
    assert float(by["website"]["win_rate"]) == pytest.approx(2 / 3, abs=1e-4)
    assert float(by["referral"]["win_rate"]) == 1.0 and by["referral"]["open"] == 2


def test_health_distribution_counts_open_leads(db, dsn, world):
    run_refresh(dsn)
    hd = kpis(db, 3, world["rita"])["health_distribution"]
    assert sum(hd.values()) == 4 and set(hd) == {"green", "yellow", "red", "none"}


def test_scope_manager_team_rep_and_admin(db, world):
    with acting_as(db, world["maja"], "salesflow_manager"):
        mine = kpis(db)
        assert Decimal(str(mine["pipeline_value"])) == 2000  # her team, not Sven's 7777
        assert kpis(db, 3, None, world["nord"]) == mine
        for team in (world["sued"], "00000000-0000-0000-0000-000000000001"):
            with pytest.raises(psycopg.Error) as e:
                kpis(db, 3, None, team)
            assert e.value.sqlstate == "42501"
        with pytest.raises(psycopg.Error) as e:
            kpis(db, 3, world["sven"])
        assert e.value.sqlstate == "42501"
    with acting_as(db, world["rita"], "salesflow_rep"):
        assert Decimal(str(kpis(db)["pipeline_value"])) == 1700
        with pytest.raises(psycopg.Error) as e:
            kpis(db, 3, None, world["nord"])
        assert e.value.sqlstate == "42501"
    with acting_as(db, world["ada"], "salesflow_admin"):
        assert Decimal(str(kpis(db, 3, None, world["sued"])["pipeline_value"])) == 7777
        with pytest.raises(psycopg.Error) as e:
            kpis(db, 3, None, "00000000-0000-0000-0000-000000000001")
        assert e.value.sqlstate == "P0002"
    for bad in (0, 105, None):
        with pytest.raises(psycopg.Error) as e:
            kpis(db, bad)
        assert e.value.sqlstate == "22023"


def run(dsn, *args, columns=120):
    return runner.invoke(cli, [*args, "--dsn", dsn], env={"COLUMNS": str(columns)})


@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("lang,words,other", [
    ("de", ["Vertrieb pro Woche", "Pipeline nach Stufe", "Angebot", "KI-Nutzung pro Woche", "blockiert",
            "Median Reaktionszeit"], ["Sales per week", "proposal", "blocked"]),
    ("en", ["Sales per week", "Pipeline by stage", "proposal", "AI usage per week", "blocked", "median response time"],
     ["Vertrieb pro Woche", "Angebot", "blockiert"]),
])
def test_kpis_command_readable_in_both_languages(dsn, world, columns, lang, words, other):
    r = run(dsn, "kpis", "--weeks", "3", "--user", "Maja Manager", "--lang", lang, columns=columns)
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert max(len(ln) for ln in lines) <= columns
    for w in words:
        assert w in r.stdout, w
    for w in other:
        assert w not in r.stdout, w
    for header in (ln for ln in lines if ln.startswith("┃")):
        cells = [c.strip() for c in header.strip("┃").split("┃")]
        assert not any(c.endswith("…") for c in cells), header  # the old 11-column table read "pro… scr… che…"
    assert "Rita Rep" in r.stdout and "Sven Rep" not in r.stdout


def test_kpis_json_keeps_get_kpis_and_adds_sales(db, dsn, world):
    j = json.loads(run(dsn, "kpis", "--weeks", "3", "--json").stdout)
    assert {k: v for k, v in j.items() if k != "sales"} == json.loads(json.dumps(db.execute("SELECT salesflow.get_kpis(3)").fetchone()[0]))
    assert j["sales"]["pipeline_value"] == json.loads(json.dumps(kpis(db)["pipeline_value"]))
    t = json.loads(run(dsn, "kpis", "--weeks", "3", "--team", "Team Süd", "--json").stdout)
    assert float(t["sales"]["pipeline_value"]) == 7777 and t["avg_health_open"] is None
    assert run(dsn, "kpis", "--user", "Rita Rep", "--team", "Team Nord").exit_code == 2


from tests.test_language import _check, people  # noqa: E402,F401  (the language suite's two reps)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_kpis_and_teams_speak_the_readers_language(dsn, people, lang):  # noqa: F811
    r = runner.invoke(cli, ["kpis", "--weeks", "2", "--user", str(people[lang]["rep"]), "--dsn", dsn],
                      env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    _check(r.stdout, lang, "kpis")
    for args in (["kpis", "--weeks", "2"], ["teams"]):
        r = runner.invoke(cli, [*args, "--lang", lang, "--dsn", dsn], env={"COLUMNS": "120"})
        assert r.exit_code == 0, r.output
        _check(r.stdout, lang, " ".join(args))


@pytest.mark.parametrize("tz", ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham",
                                "Australia/Lord_Howe", "UTC"])
def test_week_start_equals_date_trunc_in_every_time_zone(db, tz):
    # the KPI reports bucket by week_start (a binary search in the week starts) instead of
    # date_trunc: the same Monday for every instant, across DST changes, half- and
    # quarter-hour offsets, before the first week and after the last (the fallback)
    db.execute("SELECT set_config('TimeZone', %s, false)", (tz,))
    bad, n = db.execute("""
        WITH s AS (SELECT ARRAY(SELECT generate_series(date_trunc('week', now()) - interval '60 weeks',
                                                       date_trunc('week', now()) + interval '1 week',
                                                       interval '1 week')) AS starts)
        SELECT count(*) FILTER (WHERE salesflow.week_start(t, s.starts) IS DISTINCT FROM date_trunc('week', t)), count(*)
        FROM s, LATERAL (SELECT now() + interval '3 weeks' - i * interval '17 minutes 13 seconds' AS t
                         FROM generate_series(0, 70 * 7 * 24 * 4) AS i) AS x""").fetchone()
    assert n > 40000 and bad == 0
    edges = db.execute("""
        WITH s AS (SELECT ARRAY(SELECT generate_series(date_trunc('week', now()) - interval '2 weeks',
                                                       date_trunc('week', now()) + interval '1 week',
                                                       interval '1 week')) AS starts)
        SELECT count(*) FILTER (WHERE salesflow.week_start(t, s.starts) IS DISTINCT FROM date_trunc('week', t))
        FROM s, unnest(s.starts) AS st, LATERAL (VALUES (st), (st - interval '1 microsecond'),
                                                       (st + interval '1 microsecond')) AS v (t)""").fetchone()[0]
    assert edges == 0


def test_counts_are_live_and_reply_times_follow_the_next_drain(db, world):
    before = kpis(db, 3, world["rita"])
    add_activity(db, world["a"], world["rita"], "in", occurred_at=world["now"] - dt.timedelta(minutes=5))  # answers the out 3 days ago
    live = kpis(db, 3, world["rita"])
    assert live["totals"]["activities"] == before["totals"]["activities"] + 1
    assert live["reply_times"] == before["reply_times"]  # not drained yet
    drain(db)
    after = kpis(db, 3, world["rita"])["reply_times"]
    assert after["lead_replies"] == before["reply_times"]["lead_replies"] + 1
    # deleting the answering activity takes its answer away at the next drain
    db.execute("DELETE FROM salesflow.lead_activities WHERE lead_id = %s AND occurred_at = %s",
               (world["a"], world["now"] - dt.timedelta(minutes=5)))
    drain(db)
    assert kpis(db, 3, world["rita"])["reply_times"] == before["reply_times"]
