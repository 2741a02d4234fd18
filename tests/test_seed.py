"""salesflow seed: deterministic, realistic, with signal for the learning engine, loaded with COPY."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest
from typer.testing import CliRunner

from salesflow_cli import seed as seed_mod
from salesflow_cli.deploy import run_deploy
from salesflow_cli.main import cli

ANCHOR = "2026-03-10T12:00:00+00:00"
runner = CliRunner()

LEADS_SUM = """
SELECT count(*), md5(string_agg(concat_ws('|', id, user_id, name, stage, source, industry, country, language, timezone,
                                          company, email, phone, deal_value, consent, created_at, closed_at), ',' ORDER BY id))
FROM salesflow.leads
"""
ACTS_SUM = """
SELECT count(*), md5(string_agg(concat_ws('|', lead_id, user_id, channel, direction, kind, body, occurred_at), ','
                                ORDER BY lead_id, occurred_at, direction, kind, body, channel))
FROM salesflow.lead_activities
"""
OTHER_SUMS = {
    "users": "SELECT count(*), md5(string_agg(concat_ws('|', id, team_id, email, display_name, role), ',' ORDER BY id)) FROM salesflow.users",
    "events": "SELECT count(*), md5(string_agg(concat_ws('|', lead_id, from_stage, to_stage, changed_at), ',' ORDER BY lead_id, changed_at, to_stage)) FROM salesflow.lead_stage_events",
    "followups": "SELECT count(*), md5(string_agg(concat_ws('|', lead_id, due_at, status, channel, note), ',' ORDER BY lead_id, due_at, status)) FROM salesflow.followups",
    "bant": "SELECT count(*), md5(string_agg(concat_ws('|', lead_id, budget, authority, need, timeline, created_at), ',' ORDER BY lead_id, created_at)) FROM salesflow.bant_assessments",
    "profiles": "SELECT count(*), md5(string_agg(concat_ws('|', lead_id, d_score, i_score, s_score, g_score, source), ',' ORDER BY lead_id, created_at)) FROM salesflow.personality_profiles",
}


def _sums(dsn: str) -> dict:
    with psycopg.connect(dsn) as conn:
        out = {"leads": conn.execute(LEADS_SUM).fetchone(), "activities": conn.execute(ACTS_SUM).fetchone()}
        for k, q in OTHER_SUMS.items():
            out[k] = conn.execute(q).fetchone()
    return out


def _seed_cli(dsn: str, *extra: str):
    return runner.invoke(cli, ["seed", "--dsn", dsn, "--anchor", ANCHOR, "--json", *extra])


def test_same_seed_same_data_in_two_fresh_databases(dsn, new_db):
    other = new_db()
    run_deploy(other, quiet=True)
    args = ("--users", "4", "--leads-per-user", "60", "--activities-per-lead", "6", "--seed", "7")
    r1 = _seed_cli(dsn, *args)
    r2 = _seed_cli(other, *args)
    assert r1.exit_code == 0, r1.output
    assert r2.exit_code == 0, r2.output
    s1, s2 = _sums(dsn), _sums(other)
    assert s1["leads"][0] == 240
    assert s1 == s2
    # the data do not depend on the number of parallel loaders (one batch per rep here)
    anchor = dt.datetime.fromisoformat(ANCHOR)
    for target, workers in ((dsn, 1), (other, 3)):
        with psycopg.connect(target, autocommit=True) as conn:
            seed_mod.reset_data(conn)
        seed_mod.generate(target, 4, 60, 6, 7, anchor=anchor, batch_leads=60, workers=workers)
    p1, p2 = _sums(dsn), _sums(other)
    assert p1 == p2 and p1["leads"][0] == 240
    # a different seed gives different data
    r3 = _seed_cli(other, "--users", "4", "--leads-per-user", "60", "--activities-per-lead", "6", "--seed", "8",
                   "--reset")
    assert r3.exit_code == 0, r3.output
    assert _sums(other)["leads"] != s1["leads"]


def test_reset_refuses_to_touch_the_compliance_audit_trail(dsn):
    assert _seed_cli(dsn, "--users", "1", "--leads-per-user", "5").exit_code == 0
    with psycopg.connect(dsn, autocommit=True) as conn:
        has_logs = conn.execute("SELECT to_regclass('salesflow.compliance_logs') IS NOT NULL").fetchone()[0]
        if not has_logs:
            pytest.skip("compliance module not deployed")
        user = conn.execute("SELECT id FROM salesflow.users WHERE role = 'rep'").fetchone()[0]
        conn.execute(
            "INSERT INTO salesflow.compliance_logs (user_id, content_type, content, content_sha256, language, decision) "
            "VALUES (%s, 'script', 'x', repeat('a', 64), 'de', 'allowed')", (user,))
    r = _seed_cli(dsn, "--users", "1", "--leads-per-user", "5", "--reset")
    assert r.exit_code == 2 and "append-only" in r.output
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 5


def test_refuses_to_seed_twice_without_reset(dsn):
    r = _seed_cli(dsn, "--users", "1", "--leads-per-user", "20")
    assert r.exit_code == 0, r.output
    again = runner.invoke(cli, ["seed", "--dsn", dsn, "--users", "1", "--leads-per-user", "20"])
    assert again.exit_code == 2
    assert "already has leads" in again.output and "--reset" in again.output
    assert len(again.output.strip().splitlines()) == 1
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 20
    ok = _seed_cli(dsn, "--users", "2", "--leads-per-user", "15", "--reset")
    assert ok.exit_code == 0, ok.output
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 30
        assert conn.execute("SELECT count(*) FROM salesflow.users").fetchone()[0] == 2 + 1 + 1
        # reference data survive --reset
        assert conn.execute("SELECT count(*) FROM salesflow.playbooks").fetchone()[0] > 0


def test_bad_arguments_exit_2(dsn):
    assert runner.invoke(cli, ["seed", "--dsn", dsn, "--users", "0"]).exit_code == 2
    r = runner.invoke(cli, ["seed", "--dsn", dsn, "--anchor", "yesterday"])
    assert r.exit_code == 2 and "--anchor" in r.output


def test_loaded_with_copy_not_inserts(dsn, monkeypatch):
    copies, inserts = [], []
    real_copy, real_execute = psycopg.Cursor.copy, psycopg.Cursor.execute

    def spy_copy(self, statement, *a, **k):
        copies.append(str(statement))
        return real_copy(self, statement, *a, **k)

    def spy_execute(self, query, *a, **k):
        if str(query).lstrip().upper().startswith("INSERT"):
            inserts.append(str(query))
        return real_execute(self, query, *a, **k)

    monkeypatch.setattr(psycopg.Cursor, "copy", spy_copy)
    monkeypatch.setattr(psycopg.Cursor, "execute", spy_execute)
    result = seed_mod.generate(dsn, 2, 30, 5, 3, workers=2)
    tables = {c.split()[1] for c in copies}
    assert {"salesflow.leads", "salesflow.lead_activities", "salesflow.lead_stage_events",
            "salesflow.followups", "salesflow.users", "salesflow.teams"} <= tables
    assert inserts == []
    assert result.counts["leads"] == 60


@pytest.fixture(scope="module")
def seeded_db(postgresql_proc):
    """One realistic data set (6 reps x 250 leads) shared by the distribution tests (read-only)."""
    from tests.conftest import server_dsn

    name = "sf_seed_distribution"
    with psycopg.connect(server_dsn(), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        c.execute(f'CREATE DATABASE "{name}"')
    target = server_dsn(name)
    run_deploy(target, quiet=True)
    seed_mod.generate(target, 6, 250, 10, 42, anchor=dt.datetime.fromisoformat(ANCHOR), workers=2)
    yield target
    with psycopg.connect(server_dsn(), autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_people_places_and_languages(seeded_db):
    with psycopg.connect(seeded_db) as conn:
        langs = dict(conn.execute("SELECT language, count(*) FROM salesflow.leads GROUP BY 1").fetchall())
        assert langs.get("de", 0) > langs.get("en", 0) > 0.1 * sum(langs.values())
        countries = dict(conn.execute("SELECT country, count(*) FROM salesflow.leads GROUP BY 1").fetchall())
        assert {"DE", "AT", "CH"} <= set(countries) and countries["DE"] == max(countries.values())
        assert set(countries) & {"GB", "US", "NL"}
        # timezone matches the country
        bad = conn.execute("""
            SELECT count(*) FROM salesflow.leads WHERE NOT (
                (country = 'DE' AND timezone = 'Europe/Berlin') OR (country = 'AT' AND timezone = 'Europe/Vienna')
                OR (country = 'CH' AND timezone = 'Europe/Zurich') OR (country = 'GB' AND timezone = 'Europe/London')
                OR (country = 'NL' AND timezone = 'Europe/Amsterdam') OR (country = 'US' AND timezone LIKE 'America/%'))
        """).fetchone()[0]
        assert bad == 0
        sources = {r[0] for r in conn.execute("SELECT DISTINCT source FROM salesflow.leads")}
        assert {"instagram", "referral", "facebook", "linkedin", "website", "event", "whatsapp", "cold_outreach"} <= sources
        industries = {r[0] for r in conn.execute("SELECT DISTINCT industry FROM salesflow.leads")}
        assert {"fitness", "beauty", "nutrition", "finance", "real_estate", "coaching", "it", "retail"} <= industries
        roles = dict(conn.execute("SELECT role, count(*) FROM salesflow.users GROUP BY 1").fetchall())
        assert roles == {"rep": 6, "manager": 1, "admin": 1}
        consent = conn.execute("SELECT avg(consent::int) FROM salesflow.leads").fetchone()[0]
        assert 0.85 < consent < 1
        # German leads get German messages, English leads English ones
        de_in = conn.execute("""
            SELECT count(*) FILTER (WHERE a.body ~* '\\m(ich|und|mir|das|mein)\\M')::numeric / count(*)
            FROM salesflow.lead_activities AS a JOIN salesflow.leads AS l ON l.id = a.lead_id
            WHERE a.direction = 'in' AND l.language = 'de'
        """).fetchone()[0]
        assert de_in > 0.5
        en_in = conn.execute("""
            SELECT count(*) FILTER (WHERE a.body ~* '\\m(ich|und|mir|mein)\\M')::numeric / count(*)
            FROM salesflow.lead_activities AS a JOIN salesflow.leads AS l ON l.id = a.lead_id
            WHERE a.direction = 'in' AND l.language = 'en'
        """).fetchone()[0]
        assert en_in < 0.05
        # about activities_per_lead activities per lead, both directions, nothing in the future
        n_acts, n_in, future = conn.execute("""
            SELECT count(*), count(*) FILTER (WHERE direction = 'in'), count(*) FILTER (WHERE occurred_at > %s)
            FROM salesflow.lead_activities
        """, (ANCHOR,)).fetchone()
        assert 8 * 1500 <= n_acts <= 12 * 1500
        assert 0.2 < n_in / n_acts < 0.6
        assert future == 0


def test_replies_cluster_at_each_leads_preferred_local_hours(seeded_db):
    with psycopg.connect(seeded_db) as conn:
        # per lead with 5+ inbound messages: share of them in its three most frequent local hours
        share, n = conn.execute("""
            WITH h AS (
                SELECT a.lead_id, extract(hour FROM a.occurred_at AT TIME ZONE l.timezone) AS hr
                FROM salesflow.lead_activities AS a JOIN salesflow.leads AS l ON l.id = a.lead_id
                WHERE a.direction = 'in'
            ),
            per AS (SELECT lead_id, hr, count(*) AS c FROM h GROUP BY 1, 2),
            ranked AS (SELECT lead_id, c, row_number() OVER (PARTITION BY lead_id ORDER BY c DESC, hr) AS rk,
                              sum(c) OVER (PARTITION BY lead_id) AS total FROM per)
            SELECT avg(top3 / total), count(*) FROM (
                SELECT lead_id, sum(c) FILTER (WHERE rk <= 3)::numeric AS top3, max(total) AS total
                FROM ranked GROUP BY lead_id
            ) AS x WHERE total >= 5
        """).fetchone()
        assert n > 50
        assert share > 0.7  # uniform over 24 h would give about 0.35 for 5-10 messages
        # replies come within 24 h of the outbound message they answer
        within = conn.execute("""
            WITH s AS (
                SELECT direction, occurred_at - lag(occurred_at) OVER w AS gap, lag(direction) OVER w AS prev
                FROM salesflow.lead_activities WHERE kind <> 'note'
                WINDOW w AS (PARTITION BY lead_id ORDER BY occurred_at)
            )
            SELECT avg((gap <= interval '24 hours')::int) FROM s WHERE direction = 'in' AND prev = 'out'
        """).fetchone()[0]
        assert within > 0.95
        # follow-ups: open ones, some overdue, some done
        fu = dict(conn.execute("""
            SELECT CASE WHEN status = 'open' AND due_at < %s THEN 'overdue' ELSE status END, count(*)
            FROM salesflow.followups GROUP BY 1
        """, (ANCHOR,)).fetchall())
        assert fu.get("overdue", 0) > 0 and fu.get("open", 0) > fu.get("overdue", 0) * 0.5 and fu.get("done", 0) > 0


def test_outcomes_carry_signal_for_the_learning_engine(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        rate = dict(conn.execute("""
            SELECT source, avg((stage = 'won')::int)::float FROM salesflow.leads WHERE stage IN ('won', 'lost') GROUP BY 1
        """).fetchall())
        assert rate["referral"] > rate["cold_outreach"] + 0.15
        light = dict(conn.execute("""
            SELECT le.bant_light, avg((l.stage = 'won')::int)
            FROM salesflow.leads AS l JOIN salesflow.lead_engagement AS le ON le.lead_id = l.id
            WHERE l.stage IN ('won', 'lost') AND le.bant_light IS NOT NULL GROUP BY 1
        """).fetchall())
        assert light["green"] > light["red"]
        stages = {r[0] for r in conn.execute("SELECT DISTINCT stage FROM salesflow.leads")}
        assert stages == {"new", "contacted", "replied", "meeting", "proposal", "won", "lost"}
        # stage history: events in the past, closed leads end in their final stage at closed_at
        bad = conn.execute("""
            SELECT count(*) FROM salesflow.leads AS l
            WHERE l.stage IN ('won', 'lost') AND NOT EXISTS (
                SELECT 1 FROM salesflow.lead_stage_events AS e
                WHERE e.lead_id = l.id AND e.to_stage = l.stage AND e.changed_at = l.closed_at)
        """).fetchone()[0]
        assert bad == 0
        # the learning engine sees it (global scope)
        conn.execute("SELECT salesflow.learn_success_patterns()")
        cr = dict(conn.execute("""
            SELECT value, conversion_rate FROM salesflow.success_patterns
            WHERE team_id IS NULL AND feature = 'source' AND value IN ('referral', 'cold_outreach')
        """).fetchall())
        assert cr["referral"] > cr["cold_outreach"]
        assert conn.execute("SELECT count(*) FROM salesflow.bant_assessments").fetchone()[0] > 100
        assert conn.execute(
            "SELECT count(*) FROM salesflow.personality_profiles WHERE source = 'questionnaire'").fetchone()[0] > 100


def test_messages_let_the_sql_heuristic_find_the_disg_type(seeded_db):
    """Leads with a questionnaire profile also wrote in that type's style: the heuristic agrees mostly."""
    with psycopg.connect(seeded_db) as conn:
        rows = conn.execute("""
            SELECT p.lead_id, p.primary_type FROM salesflow.personality_profiles AS p
            JOIN salesflow.lead_engagement AS le ON le.lead_id = p.lead_id
            WHERE p.source = 'questionnaire' AND le.inbound_count >= 4
            ORDER BY p.lead_id LIMIT 40
        """).fetchall()
        assert len(rows) >= 20
        hits = 0
        for lead_id, expected in rows:
            got = conn.execute("SELECT primary_type FROM salesflow.analyze_personality_from_messages(%s)",
                               (lead_id,)).fetchone()[0]
            hits += got == expected
        conn.rollback()  # leave the shared data set as it was
        assert hits / len(rows) >= 0.6


def test_bench_adapter_returns_counts(dsn):
    logs = []
    counts = seed_mod.bench_load(dsn, 2, 20, 4, 1, logs.append)
    assert counts["leads"] == 40 and counts["users"] == 2 + 1 + 1 and counts["lead_activities"] > 0
    assert logs


def test_reply_time_past_the_clocks_last_day_does_not_crash():
    # A reply computed after a long gap can land beyond the generator's clock (found at 1M leads);
    # it takes the last day's offset and stays a moment in the lead's preferred hours.
    import random

    clock = seed_mod._Clock(anchor=1_780_000_000, days_back=30)
    off = clock.offsets("Europe/Berlin")
    beyond = clock.base + (clock.ndays + 5) * seed_mod.DAY
    t = seed_mod._reply_time(random.Random(1), beyond, off, clock.base, (10, 14))
    assert beyond < t <= beyond + 2 * seed_mod.DAY
    assert seed_mod._offset_at(off, clock.base, beyond) == off[-1]


def test_a_database_error_while_seeding_exits_1_with_its_first_line(dsn, monkeypatch):
    from salesflow_cli.seed import command as seed_command_mod

    def broken(*a, **k):
        raise psycopg.OperationalError("the server went away\nCONTEXT: COPY leads, line 3")

    monkeypatch.setattr(seed_command_mod, "generate", broken)
    r = _seed_cli(dsn, "--users", "1", "--leads-per-user", "5")
    assert r.exit_code == 1
    assert "seeding failed: the server went away" in r.output and "CONTEXT" not in r.output
    assert "--reset" in r.output
