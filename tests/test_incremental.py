"""Incremental scores (issue 15): writes queue their leads, a drain recomputes only those, and the
result always equals a full recomputation from the raw tables."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from salesflow_cli.main import cli
from tests.factories import add_activity, drain, make_lead, make_team, make_user

SCORE_COLS = ("lead_id, user_id, team_id, lead_name, company, stage, is_open, deal_value, health_score, traffic_light, "
              "predicted_conversion, last_contact_at, inbound_count, outbound_count, reply_count, bant_score, bant_light, "
              "disg_type, first_channel, created_at, closed_at, cycle_days")
ACTION_COLS = "lead_id, user_id, action_type, priority, urgency, predicted_conversion, score"


def stored(db) -> tuple[set, set]:
    return (set(db.execute(f"SELECT {SCORE_COLS} FROM salesflow.lead_scores").fetchall()),
            set(db.execute(f"SELECT {ACTION_COLS} FROM salesflow.lead_next_actions").fetchall()))


def recomputed(db) -> tuple[set, set]:
    """The naive baseline: every lead computed now from the raw tables (nothing stored is read but the
    scores the next actions are defined on, which are compared first)."""
    return (set(db.execute(f"SELECT {SCORE_COLS} FROM salesflow.score_leads(NULL)").fetchall()),
            set(db.execute(f"SELECT {ACTION_COLS} FROM salesflow.rank_next_actions(NULL)").fetchall()))


def stored_answers(db) -> set:
    return {(a, d, round(m, 6)) for a, d, m in
            db.execute("SELECT activity_id, direction, minutes FROM salesflow.activity_answers").fetchall()}


def naive_answers(db) -> set:
    """Reply times computed in Python from the raw activities, as get_sales_kpis defines them: per lead
    (notes left out) runs of one direction in (occurred_at, id) order; a run's first activity answers
    the run before it, its delay measured from that run's first activity; over 7 days is no answer."""
    out, run = set(), {}  # lead -> (direction, first activity's time) of its current run
    for aid, lead, direction, at in db.execute(
            "SELECT id, lead_id, direction, occurred_at FROM salesflow.lead_activities WHERE kind <> 'note' "
            "ORDER BY lead_id, occurred_at, id"):
        cur = run.get(lead)
        if cur is not None and cur[0] == direction:
            continue
        if cur is not None:
            minutes = (at - cur[1]).total_seconds() / 60
            if minutes <= 7 * 24 * 60:
                out.add((aid, direction, round(minutes, 6)))
        run[lead] = (direction, at)
    return out


def queued(db) -> int:
    return db.execute("SELECT count(*) FROM salesflow.dirty_leads").fetchone()[0]


@pytest.fixture
def team(db):
    t1, t2 = make_team(db, "Nord"), make_team(db, "Süd")
    reps = [make_user(db, t1, name="r1"), make_user(db, t1, name="r2"), make_user(db, t2, name="r3")]
    leads = []
    for i in range(8):
        lead = make_lead(db, reps[i % 3], f"Lead {i}", source=("instagram", "referral")[i % 2])
        for k in range(i % 4):
            add_activity(db, lead, reps[i % 3], "in" if k % 2 else "out", occurred_at=datetime.now(UTC) - timedelta(days=3 * k))
        leads.append(lead)
    # closed leads, so the learning engine has patterns and predictions differ by feature
    for i in range(12):
        closed = make_lead(db, reps[i % 3], f"Closed {i}", source=("instagram", "referral")[i % 2])
        db.execute("UPDATE salesflow.leads SET stage = %s WHERE id = %s", ("won" if i % 3 == 0 else "lost", closed))
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    return {"teams": (t1, t2), "reps": reps, "leads": leads}


def test_a_write_queues_its_lead_once_per_statement_and_the_drain_applies_it(db, team):
    lead, rep = team["leads"][0], team["reps"][0]
    assert queued(db) == 0
    before = db.execute("SELECT inbound_count, computed_at FROM salesflow.view_leads_scored WHERE lead_id = %s", (lead,)).fetchone()
    db.execute("INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction, body) "
               "SELECT %s, %s, 'whatsapp', 'in', 'Hallo ' || g FROM generate_series(1, 50) AS g", (lead, rep))
    # one statement, 50 rows, one lead: one queue row (and one more for the profile_lead
    # recommendation the third inbound message creates, a write of its own)
    assert {r[0] for r in db.execute("SELECT lead_id FROM salesflow.dirty_leads")} == {lead} and queued(db) <= 2
    queued_before = queued(db)
    # readers see the old row until the drain
    assert db.execute("SELECT inbound_count FROM salesflow.view_leads_scored WHERE lead_id = %s", (lead,)).fetchone()[0] == before[0]
    out = drain(db)
    assert (out["ran"], out["leads_dirty"], out["queued_left"]) == (True, 1, 0) and out["queue_rows"] == queued_before
    after = db.execute("SELECT inbound_count, computed_at FROM salesflow.view_leads_scored WHERE lead_id = %s", (lead,)).fetchone()
    assert after[0] == before[0] + 50 and after[1] > before[1]
    assert stored(db) == recomputed(db)


def test_every_watched_input_queues_the_lead(db, team):
    lead, other = team["leads"][1], team["leads"][2]
    rep, t2 = team["reps"][1], team["teams"][1]
    writes = [
        ("UPDATE salesflow.leads SET stage = 'meeting' WHERE id = %s", (lead,), {lead}),
        ("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) VALUES (%s, %s, 9, 9, 9, 2)",
         (lead, rep), {lead}),
        ("INSERT INTO salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, g_score, source) "
         "VALUES (%s, %s, 70, 10, 10, 10, 'manual')", (lead, rep), {lead}),
        ("DELETE FROM salesflow.lead_activities WHERE lead_id = %s", (other,), {other}),
        ("UPDATE salesflow.ai_recommendations SET status = 'dismissed' WHERE lead_id = %s AND rec_type = 'profile_lead'",
         (lead,), set()),  # no such row: nothing queued
        ("UPDATE salesflow.users SET display_name = 'R Zwei' WHERE id = %s", (rep,), set()),  # team unchanged: nothing
    ]
    for sql, params, expect in writes:
        db.execute("DELETE FROM salesflow.dirty_leads")
        db.execute(sql, params)
        assert {r[0] for r in db.execute("SELECT lead_id FROM salesflow.dirty_leads")} == expect, sql
    db.execute("DELETE FROM salesflow.dirty_leads")
    db.execute("UPDATE salesflow.users SET team_id = %s WHERE id = %s", (t2, rep))  # a team change: all of the rep's leads
    mine = {r[0] for r in db.execute("SELECT id FROM salesflow.leads WHERE user_id = %s", (rep,))}
    assert {r[0] for r in db.execute("SELECT lead_id FROM salesflow.dirty_leads")} == mine
    drain(db)
    assert stored(db) == recomputed(db)


def test_a_killed_drain_loses_nothing_and_a_second_drain_does_not_wait(db, dsn, team):
    lead, rep = team["leads"][3], team["reps"][0]
    add_activity(db, lead, rep, "in")
    with psycopg.connect(dsn) as a, psycopg.connect(dsn) as b:
        a.execute("SELECT * FROM salesflow.drain_dirty_leads()")  # holds the drain (open transaction)
        t0 = datetime.now(UTC)
        second = b.execute("SELECT ran FROM salesflow.drain_dirty_leads()").fetchone()[0]
        assert second is False and datetime.now(UTC) - t0 < timedelta(seconds=2)
        b.rollback()
        a.rollback()  # the first drain dies before committing
    assert queued(db) == 1  # its claim rolled back with it
    assert drain(db)["leads_dirty"] == 1 and queued(db) == 0


def test_writes_during_a_drain_stay_queued_for_the_next(db, dsn, team):
    lead, rep = team["leads"][4], team["reps"][1]
    add_activity(db, lead, rep, "in")
    with psycopg.connect(dsn) as a:
        a.execute("SELECT * FROM salesflow.drain_dirty_leads()")
        add_activity(db, lead, rep, "in")  # committed while the drain is open (db is autocommit)
        a.commit()
    assert queued(db) == 1
    drain(db)
    assert stored(db) == recomputed(db)


def test_rolling_pass_recomputes_aged_rows_only(db, team):
    old = team["leads"][5]
    db.execute("UPDATE salesflow.lead_scores SET computed_at = now() - interval '2 days', health_score = -1 WHERE lead_id = %s", (old,))
    out = drain(db, 100, 10, timedelta(hours=12))
    assert (out["leads_dirty"], out["leads_stale"]) == (0, 1)
    assert db.execute("SELECT health_score >= 0 FROM salesflow.lead_scores WHERE lead_id = %s", (old,)).fetchone()[0]
    assert drain(db, 100, 0, timedelta(hours=12))["leads_stale"] == 0


@pytest.mark.parametrize("args, state, needle", [
    ((0, 10, timedelta(hours=1)), "22023", "p_limit"),
    ((10, -1, timedelta(hours=1)), "22023", "p_stale_limit"),
    ((10, 10, timedelta(seconds=5)), "22023", "p_max_age"),
])
def test_bad_drain_arguments_are_refused(db, team, args, state, needle):
    add_activity(db, team["leads"][0], team["reps"][0], "in")
    with pytest.raises(psycopg.Error) as info:
        drain(db, *args)
    assert info.value.sqlstate == state and needle in str(info.value)
    assert queued(db) == 1


def test_erased_and_restricted_leads_leave_the_tables_at_once(db, team):
    erased, restricted = team["leads"][6], team["leads"][7]
    db.execute("SELECT salesflow.restrict_lead(%s, 'Widerspruch per Mail')", (restricted,))
    drain(db)
    assert not db.execute("SELECT 1 FROM salesflow.view_leads_scored WHERE lead_id = %s", (restricted,)).fetchall()
    db.execute("SELECT salesflow.gdpr_erase(%s, 'Ticket 7')", (erased,))
    for rel in ("lead_scores", "lead_next_actions", "dirty_leads"):
        assert not db.execute(f"SELECT 1 FROM salesflow.{rel} WHERE lead_id = %s", (erased,)).fetchall(), rel
    assert stored(db) == recomputed(db)


def test_a_deleted_lead_loses_its_rows_at_the_next_drain(db, team):
    lead = make_lead(db, team["reps"][2], "Kurz da")
    drain(db)
    assert db.execute("SELECT count(*) FROM salesflow.lead_scores WHERE lead_id = %s", (lead,)).fetchone()[0] == 1
    db.execute("DELETE FROM salesflow.leads WHERE id = %s", (lead,))
    assert {r[0] for r in db.execute("SELECT lead_id FROM salesflow.dirty_leads")} == {lead}
    drain(db)
    for rel in ("lead_scores", "lead_next_actions", "dirty_leads"):
        assert not db.execute(f"SELECT 1 FROM salesflow.{rel} WHERE lead_id = %s", (lead,)).fetchall(), rel
    assert stored(db) == recomputed(db)


# one operation of the property test: (kind, lead index, rep index, number)
OPS = st.tuples(
    st.sampled_from(["in", "out", "note", "stage", "bant", "profile", "reassign", "restrict", "unrestrict", "team",
                     "new_lead", "delete_activities", "delete_one", "move_one", "profile_rec", "drain"]),
    st.integers(0, 7), st.integers(0, 2), st.integers(0, 40),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(OPS, min_size=1, max_size=25))
def test_property_drains_equal_a_full_recomputation(db, team, ops):
    leads, reps, teams = list(team["leads"]), team["reps"], team["teams"]
    for kind, li, ri, n in ops:
        lead, rep = leads[li % len(leads)], reps[ri]
        owner = db.execute("SELECT user_id FROM salesflow.leads WHERE id = %s", (lead,)).fetchone()[0]
        if kind in ("in", "out"):
            # hours apart (answers) and days apart (over 7 days: none), in and out of time order
            add_activity(db, lead, owner, kind, occurred_at=datetime.now(UTC) - timedelta(days=n // 4, hours=1 + n % 5))
        elif kind == "note":
            add_activity(db, lead, owner, "out", kind="note", occurred_at=datetime.now(UTC) - timedelta(hours=n))
        elif kind in ("delete_one", "move_one"):
            one = db.execute("SELECT id FROM salesflow.lead_activities WHERE lead_id = %s ORDER BY id LIMIT 1 OFFSET %s",
                             (lead, n % 3)).fetchone()
            if one and kind == "delete_one":
                db.execute("DELETE FROM salesflow.lead_activities WHERE id = %s", one)
            elif one:
                db.execute("UPDATE salesflow.lead_activities SET occurred_at = occurred_at - make_interval(hours => %s) "
                           "WHERE id = %s", (n, one[0]))
        elif kind == "stage":
            stage = ("new", "contacted", "replied", "meeting", "proposal", "won", "lost")[n % 7]
            db.execute("UPDATE salesflow.leads SET stage = %s WHERE id = %s", (stage, lead))
        elif kind == "bant":
            db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
                       "VALUES (%s, %s, %s, %s, %s, %s)", (lead, owner, n % 11, (n * 3) % 11, (n * 7) % 11, 10 - n % 11))
        elif kind == "profile":
            db.execute("INSERT INTO salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, g_score, source) "
                       "VALUES (%s, %s, %s, %s, %s, %s, 'manual')", (lead, owner, n, 40 - n, 20, 10))
        elif kind == "reassign":
            db.execute("UPDATE salesflow.leads SET user_id = %s WHERE id = %s", (rep, lead))
        elif kind == "restrict":
            db.execute("UPDATE salesflow.leads SET restricted_at = now(), restriction_reason = 'Widerspruch' "
                       "WHERE id = %s AND restricted_at IS NULL", (lead,))
        elif kind == "unrestrict":
            db.execute("UPDATE salesflow.leads SET restricted_at = NULL, restriction_reason = NULL WHERE id = %s", (lead,))
        elif kind == "team":
            db.execute("UPDATE salesflow.users SET team_id = %s WHERE id = %s", (teams[n % 2], rep))
        elif kind == "new_lead":
            leads.append(make_lead(db, rep, f"Neu {n}"))
        elif kind == "delete_activities":
            db.execute("DELETE FROM salesflow.lead_activities WHERE lead_id = %s", (lead,))
        elif kind == "profile_rec":
            db.execute("UPDATE salesflow.ai_recommendations SET status = 'dismissed' WHERE lead_id = %s AND rec_type = 'profile_lead'",
                       (lead,))
        else:
            drain(db)
    drain(db)
    assert queued(db) == 0
    scores, actions = stored(db)
    want_scores, want_actions = recomputed(db)
    assert scores == want_scores
    assert actions == want_actions
    assert stored_answers(db) == naive_answers(db)


# --------------------------------------------------------------------------- CLI

def test_refresh_drains_by_default_and_full_refreshes_on_request(dsn, db, team):
    add_activity(db, team["leads"][0], team["reps"][0], "in")
    res = CliRunner().invoke(cli, ["refresh", "--dsn", dsn, "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["mode"] == "drain" and out["ran"] is True and out["leads_dirty"] == 1 and out["queued_left"] == 0
    res = CliRunner().invoke(cli, ["refresh", "--dsn", dsn])
    assert res.exit_code == 0 and "drained 0 changed lead(s)" in res.stdout
    res = CliRunner().invoke(cli, ["refresh", "--full", "--watch", "5", "--dsn", dsn])
    assert res.exit_code == 2 and "--watch" in res.stderr
    res = CliRunner().invoke(cli, ["refresh", "--limit", "0", "--dsn", dsn])
    assert res.exit_code == 2


def test_refresh_reports_a_busy_drain_without_waiting(dsn, db, team):
    with psycopg.connect(dsn) as holder:
        holder.execute("SELECT * FROM salesflow.drain_dirty_leads()")
        res = CliRunner().invoke(cli, ["refresh", "--dsn", dsn])
        holder.rollback()
    assert res.exit_code == 0 and "drain skipped" in res.stdout


def test_drains_beside_concurrent_writers_lose_nothing(dsn, db, team):
    """Two writers insert activities for the same four leads per transaction, in opposite orders,
    while drains run: nobody deadlocks (40P01) or fails, and no update is lost (the stored rows and
    counters equal a recomputation). Writers only append to the queue; the drain alone updates the
    shared counters (lead_engagement, channel_performance_metrics), skipping rows a writer holds."""
    leads = team["leads"]
    owners = dict(db.execute("SELECT id, user_id FROM salesflow.leads").fetchall())
    errors: list[BaseException] = []

    def writer(order):
        try:
            with psycopg.connect(dsn) as c:
                for _ in range(15):
                    with c.transaction():
                        for lead in order:
                            add_activity(c, lead, owners[lead], "in")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    def drainer():
        try:
            with psycopg.connect(dsn, autocommit=True) as c:
                for _ in range(15):
                    c.execute("SELECT * FROM salesflow.drain_dirty_leads()")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(leads[:4],)), threading.Thread(target=writer, args=(leads[3::-1],)),
               threading.Thread(target=drainer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    drain(db)
    assert stored(db) == recomputed(db)
    # every activity counted once: the counters equal a count over the raw rows
    counted = db.execute(
        "SELECT le.lead_id, le.inbound_count, (SELECT count(*) FROM salesflow.lead_activities AS a "
        "WHERE a.lead_id = le.lead_id AND a.direction = 'in' AND a.kind <> 'note') "
        "FROM salesflow.lead_engagement AS le WHERE le.lead_id = ANY (%s)", (leads[:4],)).fetchall()
    assert len(counted) == 4 and all(n == raw for _, n, raw in counted), counted


def test_refresh_watch_keeps_draining_until_interrupted(dsn, db, team):
    """`salesflow refresh --watch 1` in a real process: a write made while it runs shows in the lead's
    row within a few seconds; Ctrl-C (SIGINT) ends it with exit 0."""
    import signal
    import subprocess
    import time

    from tests.proc import cli_cmd, cli_env

    lead, rep = team["leads"][0], team["reps"][0]
    proc = subprocess.Popen(cli_cmd("refresh", "--watch", "1", "--dsn", dsn, "--json"), env=cli_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        before = db.execute("SELECT inbound_count FROM salesflow.lead_scores WHERE lead_id = %s", (lead,)).fetchone()[0]
        add_activity(db, lead, rep, "in")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and db.execute(
                "SELECT inbound_count FROM salesflow.lead_scores WHERE lead_id = %s", (lead,)).fetchone()[0] == before:
            time.sleep(0.2)
        assert db.execute("SELECT inbound_count FROM salesflow.lead_scores WHERE lead_id = %s", (lead,)).fetchone()[0] == before + 1
        time.sleep(2.5)  # it keeps going: at least one more drain
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    runs = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert len(runs) >= 2 and all(r["mode"] == "drain" for r in runs)
    assert sum(r["leads_dirty"] for r in runs) >= 1
