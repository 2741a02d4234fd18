"""Analytics: engagement counters, health score, time decay/expiry, learning engine, views, refresh."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from typer.testing import CliRunner

from salesflow_cli import locks
from salesflow_cli.main import cli
from tests.factories import acting_as, add_activity, drain, make_lead, make_team, make_user

UTC = timezone.utc


def _insert_activities(db, rows):
    """One multi-row INSERT of (lead, user, channel, direction, occurred_at), then a drain: its
    activities are counted as one batch (count_activities)."""
    with db.cursor() as cur:
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
        cur.execute(
            "INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction, occurred_at) VALUES " + values,
            [v for r in rows for v in r],
        )
    drain(db)


def _add_and_drain(db, *args, **kw):
    """One activity, then a drain: each counted in its own batch (the incremental path)."""
    add_activity(db, *args, **kw)
    drain(db)


def _engagement(db, lead):
    return db.execute(
        "SELECT inbound_count, outbound_count, reply_count, first_channel, last_inbound_at, last_outbound_at, "
        "cardinality(recent_inbound) FROM salesflow.lead_engagement WHERE lead_id = %s", (lead,)).fetchone()


# --------------------------------------------------------------------------- counters + health


def test_health_score_by_hand_from_one_multi_row_insert(db):
    """Crafted lead, stage 'meeting', BANT 8/7/9/6 (= 75, green), eight contacts inserted in ONE
    statement in shuffled order (the trigger must order them by occurred_at):

        -40d out email   -40d+1h in  (reply 1: 1 h after an outbound; older than 30 days)
        -20d out         -20d+2h in  (reply 2)
        -15d out         -12d    in  (no reply: 3 days later)
         -9d out          -7d    in  (no reply: 2 days later)
    => outbound 4, inbound 4, replies 2, inbound in the last 30 days 3, last inbound 7 days ago.

    health = 100 * ( 0.35 * 0.75                 = 0.2625
                   + 0.25 * exp(-7/14)           = 0.25 * 0.606531 = 0.151633
                   + 0.15 * min(1, 3/6)          = 0.075
                   + 0.15 * (2+1)/(4+2)          = 0.075
                   + 0.10 * 0.75 (meeting)       = 0.075 )  = 63.9133 -> 63.9, yellow
    """
    team = make_team(db)
    rep = make_user(db, team)
    lead = make_lead(db, rep, stage="meeting")
    db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
               "VALUES (%s, %s, 8, 7, 9, 6)", (lead, rep))
    now = db.execute("SELECT now()").fetchone()[0]
    d = lambda days, hours=0: now - timedelta(days=days) + timedelta(hours=hours)  # noqa: E731
    rows = [
        (lead, rep, "whatsapp", "in", d(7)),
        (lead, rep, "whatsapp", "out", d(20)),
        (lead, rep, "email", "out", d(40)),
        (lead, rep, "phone", "out", d(9)),
        (lead, rep, "whatsapp", "in", d(20, 2)),
        (lead, rep, "email", "in", d(40, 1)),
        (lead, rep, "phone", "in", d(12)),
        (lead, rep, "phone", "out", d(15)),
    ]
    _insert_activities(db, rows)
    inbound, outbound, replies, first_channel, last_in, last_out, recent = _engagement(db, lead)
    assert (inbound, outbound, replies, first_channel, recent) == (4, 4, 2, "email", 4)
    assert last_in == d(7) and last_out == d(9)

    expected = round(100 * (0.35 * 0.75 + 0.25 * math.exp(-0.5) + 0.15 * 0.5 + 0.15 * 3 / 6 + 0.10 * 0.75), 1)
    assert expected == 63.9
    by_function = db.execute(
        "SELECT salesflow.lead_health_score(75, %s, 3, 2, 4, 'meeting', %s), "
        "salesflow.health_traffic_light(salesflow.lead_health_score(75, %s, 3, 2, 4, 'meeting', %s))",
        (d(7), now, d(7), now)).fetchone()
    assert (float(by_function[0]), by_function[1]) == (63.9, "yellow")

    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    row = db.execute("SELECT health_score, traffic_light, days_since_contact, bant_light, inbound_count, reply_count "
                     "FROM salesflow.view_leads_scored WHERE lead_id = %s", (lead,)).fetchone()
    assert (float(row[0]), row[1], row[2], row[3], row[4], row[5]) == (63.9, "yellow", 7, "green", 4, 2)


def test_health_score_defaults_in_sql(db):
    """No BANT (0.5), never inbound (recency 0), nothing sent, stage new:
    100 * (0.35 * 0.5 + 0.15 * (0+1)/(0+2)) = 25.0, red."""
    score, light = db.execute(
        "SELECT s, salesflow.health_traffic_light(s) FROM "
        "(SELECT salesflow.lead_health_score(NULL, NULL, 0, 0, 0, 'new') AS s) AS x").fetchone()
    assert (float(score), light) == (25.0, "red")
    assert db.execute("SELECT salesflow.health_traffic_light(70), salesflow.health_traffic_light(69.9), "
                      "salesflow.health_traffic_light(40), salesflow.health_traffic_light(39.9)").fetchone() == (
        "green", "yellow", "yellow", "red")


def test_counters_across_statements_and_stale_flag(db):
    """An outbound in one statement and the inbound answering it in the next still count as a reply;
    a second inbound right after is not another reply; notes move nothing but last_activity_at."""
    rep = make_user(db, make_team(db))
    lead = make_lead(db, rep)
    db.execute("INSERT INTO salesflow.lead_context_summaries (lead_id, user_id, summary, is_stale, version) "
               "VALUES (%s, %s, 'known', false, 1)", (lead, rep))
    t0 = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    _add_and_drain(db, lead, rep, direction="out", channel="email", occurred_at=t0)
    stale, since = db.execute("SELECT is_stale, stale_since FROM salesflow.lead_context_summaries WHERE lead_id = %s",
                              (lead,)).fetchone()
    assert stale is True and since is not None
    _add_and_drain(db, lead, rep, direction="in", channel="email", occurred_at=t0 + timedelta(hours=3))
    _add_and_drain(db, lead, rep, direction="in", channel="email", occurred_at=t0 + timedelta(hours=4))
    _add_and_drain(db, lead, rep, direction="out", channel="email", occurred_at=t0 + timedelta(hours=30), kind="note")
    inbound, outbound, replies, first_channel, last_in, last_out, recent = _engagement(db, lead)
    assert (inbound, outbound, replies, first_channel, recent) == (2, 1, 1, "email", 2)
    assert last_out == t0
    last_activity = db.execute("SELECT last_activity_at FROM salesflow.lead_engagement WHERE lead_id = %s",
                               (lead,)).fetchone()[0]
    assert last_activity == t0 + timedelta(hours=30)
    # stale_since is kept from the first activity that made it stale
    assert db.execute("SELECT stale_since FROM salesflow.lead_context_summaries WHERE lead_id = %s",
                      (lead,)).fetchone()[0] == since


def test_recent_inbound_keeps_latest_six(db):
    rep = make_user(db, make_team(db))
    lead = make_lead(db, rep)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    _insert_activities(db, [(lead, rep, "sms", "in", base + timedelta(days=i)) for i in range(5)])
    _insert_activities(db, [(lead, rep, "sms", "in", base + timedelta(days=i)) for i in range(5, 9)])
    recent = db.execute("SELECT recent_inbound FROM salesflow.lead_engagement WHERE lead_id = %s", (lead,)).fetchone()[0]
    assert recent == [base + timedelta(days=i) for i in range(8, 2, -1)]


def test_every_lead_gets_an_engagement_row(db):
    rep = make_user(db, make_team(db))
    db.execute("INSERT INTO salesflow.leads (user_id, name) SELECT %s, 'L' || g FROM generate_series(1, 25) AS g", (rep,))
    assert db.execute("SELECT count(*) FROM salesflow.lead_engagement WHERE user_id = %s", (rep,)).fetchone()[0] == 25


def test_channel_metrics_in_the_leads_time_zone(db):
    """2026-11-02 14:00Z is Monday 09:00 in New York and Monday 23:00 in Tokyo; the reply at 15:30Z
    (90 min later) counts in the outbound's bucket. The WhatsApp outbound 2026-11-03 10:00Z
    (Tuesday 05:00 New York) is answered 60 min later in a separate statement."""
    rep = make_user(db, make_team(db))
    ny = make_lead(db, rep, "NY", timezone="America/New_York")
    tokyo = make_lead(db, rep, "Tokyo", timezone="Asia/Tokyo")
    t0 = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    _insert_activities(db, [
        (ny, rep, "email", "out", t0), (ny, rep, "email", "in", t0 + timedelta(minutes=90)),
        (ny, rep, "email", "in", t0 + timedelta(minutes=100)),  # second inbound: not another reply
        (tokyo, rep, "email", "out", t0),
    ])
    _add_and_drain(db, ny, rep, direction="out", channel="whatsapp", occurred_at=datetime(2026, 11, 3, 10, 0, tzinfo=UTC))
    _add_and_drain(db, ny, rep, direction="in", channel="whatsapp", occurred_at=datetime(2026, 11, 3, 11, 0, tzinfo=UTC))
    rows = db.execute("SELECT channel, weekday, hour, sent, replied, median_reply_minutes "
                      "FROM salesflow.channel_performance_metrics WHERE user_id = %s ORDER BY channel, weekday, hour",
                      (rep,)).fetchall()
    assert [(c, w, h, s, r, None if m is None else float(m)) for c, w, h, s, r, m in rows] == [
        ("email", 1, 9, 1, 1, 90.0),
        ("email", 1, 23, 1, 0, None),
        ("whatsapp", 2, 5, 1, 1, 60.0),
    ]


# --------------------------------------------------------------------------- decay and expiry


def test_priority_halves_after_one_half_life(db):
    t0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
    vals = db.execute(
        "SELECT salesflow.effective_priority(50, %s, 72, %s), salesflow.effective_priority(50, %s, 72, %s), "
        "salesflow.effective_priority(50, %s, 72, %s), salesflow.effective_priority(50, %s, 72, %s)",
        (t0, t0, t0, t0 + timedelta(hours=72), t0, t0 + timedelta(hours=144), t0, t0 - timedelta(hours=5))).fetchone()
    assert [float(v) for v in vals] == [50.0, 25.0, 12.5, 50.0]


def test_expire_recommendations_below_floor_and_past_expiry(db):
    """base 50, half-life 72 h drops below 5 after 72 * log2(10) = 239.2 h.
    240 h old -> 50 * 0.5^(240/72) = 4.96 < 5: expired; 200 h old -> 7.28: stays open;
    expires_at in the past: expired; fresh: open."""
    rep = make_user(db, make_team(db))
    leads = [make_lead(db, rep, f"L{i}") for i in range(4)]
    specs = [("a", "240 hours", None), ("b", "200 hours", None), ("c", "1 hour", "-1 minute"), ("d", "0 hours", None)]
    ids = {}
    for lead, (key, age, exp) in zip(leads, specs):
        ids[key] = db.execute(
            "INSERT INTO salesflow.ai_recommendations (lead_id, user_id, rec_type, title, base_priority, half_life_hours, "
            "created_at, expires_at) VALUES (%s, %s, 'call_now', 'Call', 50, 72, now() - %s::interval, "
            "now() + %s::interval) RETURNING id", (lead, rep, age, exp)).fetchone()[0]
    assert db.execute("SELECT salesflow.expire_recommendations()").fetchone()[0] == 2
    status = dict(db.execute("SELECT id, status FROM salesflow.ai_recommendations").fetchall())
    assert {k: status[v] for k, v in ids.items()} == {"a": "expired", "b": "open", "c": "expired", "d": "open"}
    assert db.execute("SELECT salesflow.expire_recommendations()").fetchone()[0] == 0
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    prio = db.execute("SELECT item_id, priority FROM salesflow.view_followups_scored WHERE item_kind = 'recommendation' "
                      "ORDER BY item_id").fetchall()
    assert [(i, round(float(p))) for i, p in prio] == [(ids["b"], 7), (ids["d"], 50)]


# --------------------------------------------------------------------------- learning engine


def _closed_leads(db, rep, source, won, lost):
    for i in range(won + lost):
        make_lead(db, rep, f"{source}-{i}", source=source, stage="won" if i < won else "lost")


def test_feature_that_wins_80_percent_outranks_20_percent(db):
    """10 closed 'messe' leads (8 won) and 10 closed 'kaltakquise' leads (2 won); every other feature
    is the same for all. Global scope (the team has 20 < 30 closed). K(source) = 2 seen + 1 unseen:
        P(messe|won) = 8.1/10.3, P(messe|lost) = 2.1/10.3 -> weight 8.1/10.2 = 0.79412
        prior log odds ln(10.1/10.1) = 0, other features ln(1) = 0
        P(won | messe lead) = 1/(1 + exp(-ln(8.1/2.1))) = 8.1/10.2 = 0.7941
        P(won | kaltakquise lead) = 2.1/10.2 = 0.2059"""
    team = make_team(db)
    rep = make_user(db, team)
    _closed_leads(db, rep, "messe", 8, 2)
    _closed_leads(db, rep, "kaltakquise", 2, 8)
    hot = make_lead(db, rep, "Hot", source="messe")
    cold = make_lead(db, rep, "Cold", source="kaltakquise")
    assert db.execute("SELECT salesflow.learn_success_patterns()").fetchone()[0] > 0
    won, lost, rate, lift, weight = db.execute(
        "SELECT won, lost, conversion_rate, lift, factor_weight FROM salesflow.success_patterns "
        "WHERE team_id IS NULL AND feature = 'source' AND value = 'messe'").fetchone()
    assert (won, lost, float(rate), float(lift), float(weight)) == (8, 2, 0.8, 1.6, 0.79412)

    p_hot, pos_hot, neg_hot = db.execute("SELECT * FROM salesflow.predict_conversion(%s)", (hot,)).fetchone()
    p_cold, pos_cold, neg_cold = db.execute("SELECT * FROM salesflow.predict_conversion(%s)", (cold,)).fetchone()
    assert float(p_hot) == 0.7941 and float(p_cold) == 0.2059
    assert pos_hot == [{"feature": "source", "value": "messe", "weight": 0.79412}] and neg_hot == []
    assert neg_cold == [{"feature": "source", "value": "kaltakquise", "weight": 0.20588}] and pos_cold == []

    # the set-based twin in view_leads_scored agrees with the function
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    view = dict(db.execute("SELECT lead_id, predicted_conversion FROM salesflow.view_leads_scored "
                           "WHERE lead_id IN (%s, %s)", (hot, cold)).fetchall())
    assert (float(view[hot]), float(view[cold])) == (0.794, 0.206)


def test_team_scope_used_from_thirty_closed_leads(db):
    """Team A: 30 closed, 'messe' always won; globally (team B adds 30 'messe' losses) messe is 50/50.
    A lead of team A uses team A's counts and calibration, a lead of team B (also >= 30) team B's."""
    a, b = make_team(db, "A"), make_team(db, "B")
    rep_a, rep_b = make_user(db, a), make_user(db, b)
    _closed_leads(db, rep_a, "messe", 15, 0)
    _closed_leads(db, rep_a, "web", 0, 15)
    _closed_leads(db, rep_b, "messe", 0, 15)
    _closed_leads(db, rep_b, "web", 15, 0)
    la, lb = make_lead(db, rep_a, "A1", source="messe"), make_lead(db, rep_b, "B1", source="messe")
    db.execute("SELECT salesflow.learn_success_patterns()")
    pa = float(db.execute("SELECT probability FROM salesflow.predict_conversion(%s)", (la,)).fetchone()[0])
    pb = float(db.execute("SELECT probability FROM salesflow.predict_conversion(%s)", (lb,)).fetchone()[0])
    assert pa > 0.9 and pb < 0.1
    # 15 + 15 leads per team cannot justify certainty: calibration keeps them off 100 % and 0 %
    assert pa < 0.99 and pb > 0.01


# --------------------------------------------------------------------------- views, RLS, readers


@pytest.fixture
def org(db):
    """Team A: reps alice, bob, manager mia; team B: rep carl. Two open leads each, refreshed."""
    a, b = make_team(db, "A"), make_team(db, "B")
    people = {
        "alice": make_user(db, a, "rep", "alice"), "bob": make_user(db, a, "rep", "bob"),
        "mia": make_user(db, a, "manager", "mia"), "carl": make_user(db, b, "rep", "carl"),
    }
    leads = {}
    for name in ("alice", "bob", "carl"):
        leads[name] = [make_lead(db, people[name], f"{name}-{i}") for i in range(2)]
        add_activity(db, leads[name][0], people[name], direction="in")
    steps = db.execute("SELECT step, row_count FROM salesflow.refresh_all_ki_views()").fetchall()
    return {"people": people, "leads": leads, "steps": steps, "teams": (a, b)}


def test_refresh_steps_and_concurrent_refresh_in_a_transaction(db, org):
    assert [s for s, _ in org["steps"]] == [
        "count_activities", "learn_success_patterns", "expire_recommendations", "view_leads_scored",
        "view_followups_scored", "view_conversion_microsteps", "view_personality_insights"]
    assert dict(org["steps"])["view_leads_scored"] == 6
    # REFRESH ... CONCURRENTLY inside the function inside an explicit transaction block
    with db.transaction():
        rows = db.execute("SELECT step FROM salesflow.refresh_all_ki_views()").fetchall()
    assert len(rows) == 7
    # a unique key for REFRESH ... CONCURRENTLY, and on the per-lead tables behind the two plain views
    for rel in ("lead_scores", "lead_next_actions", "view_followups_scored", "view_conversion_microsteps", "view_personality_insights"):
        assert db.execute("SELECT count(*) FROM pg_indexes i JOIN pg_index x ON x.indexrelid = (i.schemaname || '.' || "
                          "i.indexname)::regclass WHERE i.schemaname = 'salesflow' AND i.tablename = %s AND x.indisunique",
                          (rel,)).fetchone()[0] >= 1


def test_reps_cannot_select_views_but_get_own_scores(db, org):
    p, leads = org["people"], org["leads"]
    for view in ("view_leads_scored", "view_followups_scored", "view_conversion_microsteps", "view_personality_insights"):
        with acting_as(db, p["alice"]):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute(f"SELECT 1 FROM salesflow.{view} LIMIT 1")
    with acting_as(db, p["alice"]):
        mine = {r[0] for r in db.execute("SELECT lead_id FROM salesflow.get_scored_leads()").fetchall()}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("SELECT * FROM salesflow.get_scored_leads(10, 0, %s)", (p["bob"],))
    assert mine == set(leads["alice"])
    with acting_as(db, p["mia"], "salesflow_manager"):
        team = {r[0] for r in db.execute("SELECT lead_id FROM salesflow.get_scored_leads(100)").fetchall()}
        only_bob = {r[0] for r in db.execute("SELECT lead_id FROM salesflow.get_scored_leads(100, 0, %s)",
                                             (p["bob"],)).fetchall()}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("SELECT * FROM salesflow.get_scored_leads(10, 0, %s)", (p["carl"],))
    assert team == set(leads["alice"]) | set(leads["bob"])
    assert only_bob == set(leads["bob"])
    # the owner (no identity) sees everything, best health first
    rows = db.execute("SELECT lead_id, health_score FROM salesflow.get_scored_leads(100)").fetchall()
    assert len(rows) == 6 and rows[0][1] >= rows[-1][1]
    # the lead with an inbound message ranks above the same rep's silent lead
    ranked = [r[0] for r in db.execute("SELECT lead_id FROM salesflow.get_scored_leads(10, 0, %s)",
                                        (p["carl"],)).fetchall()]
    assert ranked == leads["carl"]


def test_rep_lead_engagement_rls(db, org):
    p, leads = org["people"], org["leads"]
    with acting_as(db, p["alice"]):
        seen = {r[0] for r in db.execute("SELECT lead_id FROM salesflow.lead_engagement").fetchall()}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("UPDATE salesflow.lead_engagement SET inbound_count = 99")
        # a rep's own activity insert still queues its counters (SECURITY DEFINER trigger)
        add_activity(db, leads["alice"][1], p["alice"], direction="in")
    assert seen == set(leads["alice"])
    drain(db)  # the drain (owner, cron) applies them
    assert _engagement(db, leads["alice"][1])[0] == 1


def test_bad_input_sqlstates_and_nothing_written(db, org):
    p = org["people"]
    before = db.execute("SELECT count(*), coalesce(sum(won), 0) FROM salesflow.success_patterns").fetchone()
    with pytest.raises(psycopg.errors.NoDataFound) as e:
        db.execute("SELECT * FROM salesflow.predict_conversion('00000000-0000-0000-0000-0000000000aa')")
    assert "00000000-0000-0000-0000-0000000000aa" in str(e.value)
    with acting_as(db, p["alice"]):  # another rep's lead is "not found or not visible"
        with pytest.raises(psycopg.errors.NoDataFound):
            db.execute("SELECT * FROM salesflow.predict_conversion(%s)", (org["leads"]["carl"][0],))
    for limit, offset in ((0, 0), (1001, 0), (None, 0), (10, -1)):
        with pytest.raises(psycopg.errors.InvalidParameterValue) as e:
            db.execute("SELECT * FROM salesflow.get_scored_leads(%s, %s)", (limit, offset))
        assert str(limit if offset == 0 else offset) in str(e.value) or limit is None
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        db.execute("SELECT salesflow.get_kpis(0)")
    with pytest.raises(psycopg.errors.NoDataFound):
        db.execute("SELECT * FROM salesflow.get_conversion_funnel('00000000-0000-0000-0000-0000000000bb')")
    assert db.execute("SELECT count(*), coalesce(sum(won), 0) FROM salesflow.success_patterns").fetchone() == before


def test_refresh_function_refuses_while_another_refresh_runs(db, dsn, org):
    """The lock is taken before anything else: nothing learned, nothing expired."""
    db.execute("DELETE FROM salesflow.success_patterns")
    with psycopg.connect(dsn, autocommit=True) as other:
        locks.hold(other, locks.REFRESH)
        with pytest.raises(psycopg.errors.LockNotAvailable):
            db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    assert db.execute("SELECT count(*) FROM salesflow.success_patterns").fetchone()[0] == 0


def test_conversion_funnel_by_hand(db):
    """Three leads: L1 new->contacted->replied, L2 new->contacted, L3 new.
    Step 1 new->contacted: reached 3, converted 2 (rate 0.6667); step 2: reached 2, converted 1 (0.5);
    step 3: reached 1, converted 0."""
    rep = make_user(db, make_team(db))
    l1, l2, _ = (make_lead(db, rep, n) for n in ("L1", "L2", "L3"))
    db.execute("UPDATE salesflow.leads SET stage = 'contacted' WHERE id IN (%s, %s)", (l1, l2))
    db.execute("UPDATE salesflow.leads SET stage = 'replied' WHERE id = %s", (l1,))
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    rows = db.execute("SELECT step_no, reached, converted, conversion_rate FROM salesflow.get_conversion_funnel(%s)",
                      (rep,)).fetchall()
    assert [(s, r, c, float(x)) for s, r, c, x in rows] == [
        (1, 3, 2, 0.6667), (2, 2, 1, 0.5), (3, 1, 0, 0.0), (4, 0, 0, 0.0), (5, 0, 0, 0.0)]


def test_personality_insights_and_kpis(db, org):
    p, leads = org["people"], org["leads"]
    rows = [(leads["alice"][0], p["alice"], 80, 20, 10, 10), (leads["bob"][0], p["bob"], 80, 10, 10, 10),
            (leads["carl"][0], p["carl"], 10, 10, 90, 10)]
    for lead, user, d, i, s, g in rows:
        db.execute("INSERT INTO salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, g_score, source) "
                   "VALUES (%s, %s, %s, %s, %s, %s, 'manual')", (lead, user, d, i, s, g))
    db.execute("UPDATE salesflow.leads SET stage = 'won' WHERE id = %s", (leads["alice"][0],))
    db.execute("UPDATE salesflow.leads SET stage = 'lost' WHERE id = %s", (leads["bob"][0],))
    db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
               "VALUES (%s, %s, 8, 7, 9, 6)", (leads["alice"][0], p["alice"]))
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    everyone = {r[0]: r for r in db.execute("SELECT * FROM salesflow.get_personality_insights()").fetchall()}
    assert set(everyone) == {"D", "S"}
    assert everyone["D"][1:5] == (2, 1, 1, 0.5) and everyone["D"][6] == "whatsapp"
    with acting_as(db, p["alice"]):  # team scope for reps: team A has only D leads
        team = {r[0] for r in db.execute("SELECT * FROM salesflow.get_personality_insights()").fetchall()}
    assert team == {"D"}

    kpis = db.execute("SELECT salesflow.get_kpis(2)").fetchone()[0]
    assert len(kpis["weeks"]) == 2
    assert kpis["totals"]["bant_assessments"] == 1 and kpis["totals"]["profiles"] == 3
    assert kpis["conversion_by_disg"] == {"D": 0.5}
    assert set(kpis["avg_cycle_days_by_bant_light"]) == {"green"}
    with acting_as(db, p["carl"]):
        mine = db.execute("SELECT salesflow.get_kpis()").fetchone()[0]
    assert mine["totals"]["profiles"] == 1 and mine["totals"]["bant_assessments"] == 0


# --------------------------------------------------------------------------- CLI


def test_refresh_cli_json_and_quiet(dsn, org):
    runner = CliRunner()
    res = runner.invoke(cli, ["refresh", "--full", "--dsn", dsn, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["ok"] is True and [s["step"] for s in data["steps"]][-1] == "view_personality_insights"
    assert all(s["duration_ms"] >= 0 for s in data["steps"])
    res = runner.invoke(cli, ["refresh", "--full", "--dsn", dsn, "--quiet"])
    assert res.exit_code == 0 and res.stdout == ""


def test_refresh_cli_exit_3_when_lock_held(dsn, org):
    with psycopg.connect(dsn, autocommit=True, application_name="cron-holder") as other:
        locks.hold(other, locks.REFRESH)
        res = CliRunner().invoke(cli, ["refresh", "--full", "--dsn", dsn, "--lock-timeout", "0.3"])
    assert res.exit_code == 3
    assert "refresh lock is held by pid" in res.stderr and "cron-holder" in res.stderr


def test_bulk_statement_takes_the_planned_path(db):
    """More than 100 rows in one statement (COPY-sized path, planned per statement): three leads,
    60 contacts each, alternating out/in two hours apart, shuffled across leads -> 30 outbound,
    30 inbound, 30 replies per lead; every outbound answered in its own bucket."""
    rep = make_user(db, make_team(db))
    leads = [make_lead(db, rep, f"B{i}", timezone="UTC") for i in range(3)]
    t0 = datetime(2026, 10, 5, 8, 0, tzinfo=UTC)  # a Monday
    rows = [(lead, rep, "email", "out" if k % 2 == 0 else "in", t0 + timedelta(hours=2 * k))
            for k in range(60) for lead in leads]
    _insert_activities(db, rows)
    for lead in leads:
        assert _engagement(db, lead)[:4] == (30, 30, 30, "email")
    sent, replied = db.execute("SELECT sum(sent), sum(replied) FROM salesflow.channel_performance_metrics "
                               "WHERE user_id = %s", (rep,)).fetchone()
    assert (sent, replied) == (90, 90)


def test_refresh_failure_names_the_step_and_changes_nothing(db, dsn, org):
    """A step that fails (here: the last view lost its unique index, so CONCURRENTLY is refused)
    rolls back the whole refresh: patterns learned earlier in the run are gone again; exit 1."""
    db.execute("DELETE FROM salesflow.success_patterns")
    db.execute("DROP INDEX salesflow.view_personality_insights_key_idx")
    res = CliRunner().invoke(cli, ["refresh", "--full", "--dsn", dsn])
    assert res.exit_code == 1
    assert "view_personality_insights" in res.stderr and "rolled back" in res.stderr
    assert db.execute("SELECT count(*) FROM salesflow.success_patterns").fetchone()[0] == 0
