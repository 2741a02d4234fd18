"""Actions: BANT, DISG profiles, memory, recommendations, contact window, next best actions,
lead intelligence, playbooks and their triggers — against a real deployed database.

Expectations are computed by hand from the documented formulas (see the SQL file banners).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import psycopg
import pytest

from tests.factories import acting_as, make_lead, make_team, make_user
from tests.factories import add_activity as insert_activity
from tests.factories import drain

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.timezone.utc

# Tables an actions function may write: "nothing written" means none of these counts moved.
WRITE_TABLES = (
    "bant_assessments", "personality_profiles", "lead_context_summaries", "ai_recommendations",
    "playbook_executions",
)


def add_activity(conn, *args, **kw) -> int:
    """An activity, then the drain cron runs (its counters and profile_lead recommendation are the
    drain's); inside acting_as (a rep's role) the drain is left to the owner."""
    activity = insert_activity(conn, *args, **kw)
    if conn.execute("SELECT current_user = session_user").fetchone()[0]:
        drain(conn)
    return activity


def counts(db) -> dict[str, tuple]:
    out = {}
    for t in WRITE_TABLES:
        out[t] = db.execute(
            f"SELECT count(*), coalesce(max(md5(t::text)), '') FROM (SELECT * FROM salesflow.{t} ORDER BY 1) AS t"
        ).fetchone()
    return out


def fails(db, sql, args, sqlstate, *fragments):
    """Run sql, expect sqlstate with every fragment in the message, and nothing written."""
    before = counts(db)
    with pytest.raises(psycopg.Error) as info:
        db.execute(sql, args)
    err = info.value
    assert err.sqlstate == sqlstate, (err.sqlstate, str(err))
    message = err.diag.message_primary or ""
    for frag in fragments:
        assert str(frag) in message, (frag, message)
    if sqlstate in ("22023", "P0002", "42501"):
        assert err.diag.message_hint, f"no HINT for: {message}"
    assert counts(db) == before, "bad input must write nothing"
    return err


@pytest.fixture
def world(db):
    """Two teams: team A (manager, reps alice + bob), team B (rep carol); one lead each."""
    team_a, team_b = make_team(db, "Team A"), make_team(db, "Team B")
    w = {
        "team_a": team_a,
        "manager": make_user(db, team_a, "manager", name="mgr-a"),
        "alice": make_user(db, team_a, name="alice", language="de"),
        "bob": make_user(db, team_a, name="bob", language="en"),
        "carol": make_user(db, team_b, name="carol"),
    }
    w["lead_a"] = make_lead(db, w["alice"], "Anna Becker", language="de", timezone="Europe/Berlin")
    w["lead_b"] = make_lead(db, w["bob"], "Ben Miller", language="en", timezone="Europe/London")
    w["lead_c"] = make_lead(db, w["carol"], "Clara Vogel", language="de")
    return w


def recs(db, lead, status="open"):
    return db.execute(
        "SELECT rec_type, title, reason, base_priority, status FROM salesflow.ai_recommendations "
        "WHERE lead_id = %s AND status = %s ORDER BY rec_type", (lead, status)).fetchall()


# --------------------------------------------------------------------------- BANT

def test_bant_8796_is_75_green_and_recommends_timeline(db, world):
    row = db.execute("SELECT * FROM salesflow.assess_bant(%s, 8, 7, 9, 6)", (world["lead_a"],)).fetchone()
    assert (float(row[1]), row[2], row[3]) == (75.0, "green", "timeline")
    (rec,) = recs(db, world["lead_a"])
    # priority 30 + 6 * (10 - 6) = 54; German lead -> German text
    assert rec[0] == "bant_timeline" and rec[1] == "Zeitplan festlegen" and float(rec[3]) == 54.0
    assert "75.0/100" in rec[2] and "6/10" in rec[2]


def test_bant_recommendation_in_english_and_superseded(db, world):
    lead = world["lead_b"]
    db.execute("SELECT * FROM salesflow.assess_bant(%s, 2, 7, 9, 6)", (lead,))
    (rec,) = recs(db, lead)
    assert rec[:2] == ("bant_budget", "Clarify the budget") and float(rec[3]) == 30 + 6 * 8
    # a newer assessment with another weakest dimension supersedes the old recommendation
    db.execute("SELECT * FROM salesflow.assess_bant(%s, 9, 1, 9, 6)", (lead,))
    assert [r[0] for r in recs(db, lead)] == ["bant_authority"]
    assert [r[0] for r in recs(db, lead, "expired")] == ["bant_budget"]
    # same weakest dimension again: refreshed in place, still one open row
    db.execute("SELECT * FROM salesflow.assess_bant(%s, 9, 3, 9, 6)", (lead,))
    (rec,) = recs(db, lead)
    assert rec[0] == "bant_authority" and float(rec[3]) == 30 + 6 * 7


def test_bant_ties_pick_budget_first(db):
    assert db.execute("SELECT salesflow.bant_weakest(5, 5, 5, 5)").fetchone()[0] == "budget"
    assert db.execute("SELECT salesflow.bant_weakest(5, 4, 4, 9)").fetchone()[0] == "authority"


@pytest.mark.parametrize("args, state, frags", [
    ((11, 7, 9, 6, "{}", "manual"), "22023", ["p_budget", "11"]),
    ((8, -1, 9, 6, "{}", "manual"), "22023", ["p_authority", "-1"]),
    ((8, 7, None, 6, "{}", "manual"), "22023", ["p_need", "NULL"]),
    ((8, 7, 9, 6, "[]", "manual"), "22023", ["p_notes", "array"]),
    ((8, 7, 9, 6, "{}", "gut_feeling"), "22023", ["p_source", "gut_feeling"]),
])
def test_assess_bant_bad_input(db, world, args, state, frags):
    fails(db, "SELECT * FROM salesflow.assess_bant(%s, %s, %s, %s, %s, %s::jsonb, %s)",
          (world["lead_a"], *args), state, *frags)


def test_unknown_lead_is_p0002_everywhere(db):
    ghost = "00000000-0000-0000-0000-0000000000aa"
    for sql in [
        "SELECT * FROM salesflow.assess_bant(%s, 5, 5, 5, 5)",
        "SELECT * FROM salesflow.record_personality_profile(%s, 50, 20, 20, 10)",
        "SELECT * FROM salesflow.analyze_personality_from_messages(%s)",
        "SELECT * FROM salesflow.get_lead_disg(%s)",
        "SELECT salesflow.generate_disg_recommendations(%s)",
        "SELECT salesflow.update_lead_memory(%s, 'summary')",
        "SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call back')",
        "SELECT * FROM salesflow.list_recommendations('open', 10, %s)",
        "SELECT * FROM salesflow.get_best_contact_window(%s)",
        "SELECT salesflow.get_lead_intelligence(%s)",
        "SELECT salesflow.start_playbook(%s, 'erstkontakt')",
    ]:
        fails(db, sql, (ghost,), "P0002", ghost, "not found")


def test_null_lead_is_22023(db):
    fails(db, "SELECT * FROM salesflow.assess_bant(NULL, 5, 5, 5, 5)", None, "22023", "p_lead_id")
    fails(db, "SELECT salesflow.get_lead_intelligence(NULL)", None, "22023", "p_lead_id")


# --------------------------------------------------------------------------- DISG

def test_record_profile_and_bad_input(db, world):
    row = db.execute("SELECT * FROM salesflow.record_personality_profile(%s, 20, 70, 40, 10, 'questionnaire', 0.9)",
                     (world["lead_a"],)).fetchone()
    assert row[1:] == ("I", "S")
    lead = world["lead_a"]
    sql = "SELECT * FROM salesflow.record_personality_profile(%s, %s, %s, %s, %s, %s, %s::numeric, %s::jsonb)"
    fails(db, sql, (lead, 101, 0, 0, 0, "manual", 0.5, "[]"), "22023", "p_d", "101")
    fails(db, sql, (lead, 1, 0, 0, -3, "manual", 0.5, "[]"), "22023", "p_g", "-3")
    fails(db, sql, (lead, 1, 0, 0, 0, "astrology", 0.5, "[]"), "22023", "p_source", "astrology")
    fails(db, sql, (lead, 1, 0, 0, 0, "manual", 1.5, "[]"), "22023", "p_confidence", "1.5")
    fails(db, sql, (lead, 1, 0, 0, 0, "manual", 0.5, "{}"), "22023", "p_evidence", "object")


D_DE = ["Schick mir sofort das Angebot.", "Ich brauche schnell ein Ergebnis. Keine Zeit für Smalltalk.",
        "Kurz und knapp: was bringt es? Ich entscheide direkt.", "Mach einfach, Hauptsache es geht schnell."]
S_DE = ["Ich muss das erst in Ruhe mit meiner Familie besprechen, vielleicht nächste Woche.",
        "Ist das auch sicher? Ich bin da eher vorsichtig und brauche Vertrauen.",
        "Können wir Schritt für Schritt vorgehen? Ich möchte nichts überstürzen, keine Eile.",
        "Mein Mann und die Kinder sollen sich auch wohlfühlen, ich überlege noch."]
D_EN = ["Send me the price now.", "I need results fast, no time for small talk.", "Bottom line? I decide quickly.",
        "Get to the point. Let's do it."]
S_EN = ["I need to talk it over with my family first, maybe next week.",
        "Is it safe? I'm not sure yet, I'm careful with these things.",
        "Can we go step by step? No rush please, I want to think about it.",
        "My husband and the kids should feel comfortable too, I trust you but I'm worried."]


def _profile(db, user, msgs, language):
    lead = make_lead(db, user, "Writer", language=language)
    for m in msgs:
        add_activity(db, lead, user, "in", body=m)
    add_activity(db, lead, user, "out", body="Hallo!")  # the rep's own words never count
    return lead, db.execute("SELECT * FROM salesflow.analyze_personality_from_messages(%s)", (lead,)).fetchone()


@pytest.mark.parametrize("msgs, lang, expected", [(D_DE, "de", "D"), (S_DE, "de", "S"), (D_EN, "en", "D"), (S_EN, "en", "S")])
def test_heuristic_detects_writer_style(db, world, msgs, lang, expected):
    lead, row = _profile(db, world["alice"], msgs, lang)
    profile_id, primary, d, i, s, g, conf, evidence = row
    assert primary == expected
    scores = {"D": d, "I": i, "S": s, "G": g}
    assert scores[expected] == max(scores.values()) and scores[expected] >= 40
    assert 95 <= d + i + s + g <= 105  # shares of 100
    assert 0 < conf <= 0.4
    cues = [e for e in evidence if "cue" in e]
    assert cues and all(e["type"] in "DISG" for e in cues)
    stored = db.execute("SELECT source, primary_type, confidence FROM salesflow.personality_profiles WHERE id = %s",
                        (profile_id,)).fetchone()
    assert stored[0] == "heuristic" and stored[1] == expected and stored[2] == conf
    # the open profile_lead recommendation (4 inbound) is completed by the new profile
    assert db.execute("SELECT status FROM salesflow.ai_recommendations WHERE lead_id = %s AND rec_type = 'profile_lead'",
                      (lead,)).fetchone()[0] == "done"


def test_heuristic_confidence_grows_with_evidence(db, world):
    _, few = _profile(db, world["alice"], D_DE[:1], "de")
    _, many = _profile(db, world["alice"], D_DE * 5, "de")
    assert few[6] < many[6] <= 0.4


def test_heuristic_needs_an_inbound_message(db, world):
    lead = world["lead_a"]
    add_activity(db, lead, world["alice"], "out", body="Hallo Anna, wie geht's?")
    err = fails(db, "SELECT * FROM salesflow.analyze_personality_from_messages(%s)", (lead,), "22023", str(lead), "no inbound")
    assert "record_personality_profile" in err.diag.message_hint


def test_blend_prefers_questionnaire_over_heuristic(db, world):
    lead = world["lead_a"]
    db.execute("SELECT * FROM salesflow.record_personality_profile(%s, 10, 10, 70, 10, 'heuristic', 0.4)", (lead,))
    db.execute("SELECT * FROM salesflow.record_personality_profile(%s, 80, 10, 5, 5, 'questionnaire', 0.9)", (lead,))
    row = db.execute("SELECT * FROM salesflow.get_lead_disg(%s)", (lead,)).fetchone()
    primary, secondary, d, i, s, g, conf, sources = row
    # weights (fresh rows, recency 1): questionnaire 1.0 * 0.9 = 0.9, heuristic 0.4 * 0.4 = 0.16
    assert primary == "D" and secondary == "S"
    assert float(d) == pytest.approx((0.9 * 80 + 0.16 * 10) / 1.06, abs=0.06)
    assert float(s) == pytest.approx((0.9 * 5 + 0.16 * 70) / 1.06, abs=0.06)
    assert float(conf) == pytest.approx(1 - (1 - 0.9) * (1 - 0.16), abs=0.006)
    assert [x["source"] for x in sources] == ["questionnaire", "heuristic"]


def test_no_profile_means_no_row(db, world):
    assert db.execute("SELECT * FROM salesflow.get_lead_disg(%s)", (world["lead_a"],)).fetchall() == []


def test_disg_recommendations_in_lead_language(db, world):
    de = db.execute("SELECT salesflow.generate_disg_recommendations(%s)", (world["lead_a"],)).fetchone()[0]
    assert de["profiled"] is False and de["language"] == "de" and "DISG-Profil" in de["message"]
    db.execute("SELECT * FROM salesflow.record_personality_profile(%s, 10, 10, 10, 90, 'ai', 0.8)", (world["lead_b"],))
    en = db.execute("SELECT salesflow.generate_disg_recommendations(%s)", (world["lead_b"],)).fetchone()[0]
    assert en["profiled"] is True and en["type"] == "G" and en["language"] == "en"
    assert en["channel"] == "email" and en["dos"] and en["donts"] and en["opener"] and en["pace"]
    assert "facts" in " ".join(en["dos"]).lower()


def test_guidance_reference_data_complete(db):
    rows = db.execute("SELECT disg_type, language, jsonb_array_length(dos), jsonb_array_length(donts) "
                      "FROM salesflow.disg_guidance WHERE is_builtin").fetchall()
    assert {(r[0], r[1]) for r in rows} == {(t, lang) for t in "DISG" for lang in ("de", "en")}
    assert all(r[2] >= 3 and r[3] >= 3 for r in rows)
    keys = {r[0] for r in db.execute("SELECT key FROM salesflow.playbooks WHERE is_builtin")}
    assert {"erstkontakt", "reaktivierung", "einwandbehandlung", "abschluss"} <= keys


# --------------------------------------------------------------------------- memory

def test_update_lead_memory_versions_and_stale_flag(db, world):
    lead = world["lead_a"]
    assert db.execute("SELECT salesflow.update_lead_memory(%s, 'Sucht Nebeneinkommen', '{\"budget\": \"50 EUR\"}', "
                      "'[\"wenig Zeit\"]')", (lead,)).fetchone()[0] == 1
    add_activity(db, lead, world["alice"], "in", body="Hallo!")
    assert db.execute("SELECT is_stale FROM salesflow.lead_context_summaries WHERE lead_id = %s", (lead,)).fetchone()[0]
    assert db.execute("SELECT salesflow.update_lead_memory(%s, 'Neu')", (lead,)).fetchone()[0] == 2
    row = db.execute("SELECT version, is_stale, stale_since, summary, key_facts FROM salesflow.lead_context_summaries "
                     "WHERE lead_id = %s", (lead,)).fetchone()
    assert row == (2, False, None, "Neu", {})


@pytest.mark.parametrize("summary, facts, pains, objections, steps, frags", [
    ("", "{}", "[]", "[]", "[]", ["p_summary"]),
    (None, "{}", "[]", "[]", "[]", ["p_summary", "NULL"]),
    ("ok", "[]", "[]", "[]", "[]", ["p_key_facts", "array"]),
    ("ok", "{}", "{}", "[]", "[]", ["p_pain_points", "object"]),
    ("ok", "{}", "[]", "\"x\"", "[]", ["p_objections", "string"]),
    ("ok", "{}", "[]", "[]", "3", ["p_next_steps", "number"]),
])
def test_update_lead_memory_bad_input(db, world, summary, facts, pains, objections, steps, frags):
    fails(db, "SELECT salesflow.update_lead_memory(%s, %s, %s::jsonb, %s::jsonb, %s::jsonb, %s::jsonb)",
          (world["lead_a"], summary, facts, pains, objections, steps), "22023", *frags)


# --------------------------------------------------------------------------- recommendations

CREATE = "SELECT salesflow.create_ai_recommendation(%s, %s, %s, %s, %s::jsonb, %s, %s, %s, %s, %s)"


def test_create_ai_recommendation_dedupes_open_per_type(db, world):
    lead = world["lead_a"]
    first = db.execute(CREATE, (lead, "call_back", "Anrufen", "r1", "{}", 40, 72, None, "ai", None)).fetchone()[0]
    db.execute("UPDATE salesflow.ai_recommendations SET created_at = now() - interval '72 hours' WHERE id = %s", (first,))
    second = db.execute(CREATE, (lead, "call_back", "Heute anrufen", "r2", '{"kind": "call"}', 60, 48, None, "ai", None)).fetchone()[0]
    assert first == second
    row = db.execute("SELECT title, reason, base_priority, half_life_hours, action, now() - created_at < interval '1 minute' "
                     "FROM salesflow.ai_recommendations WHERE lead_id = %s", (lead,)).fetchone()
    assert row == ("Heute anrufen", "r2", 60, 48, {"kind": "call"}, True)  # refreshed; decay clock restarted
    db.execute("SELECT * FROM salesflow.update_recommendation(%s, 'dismissed')", (first,))
    third = db.execute(CREATE, (lead, "call_back", "Anrufen", None, "{}", 50, 72, None, "system", None)).fetchone()[0]
    assert third != first
    assert db.execute("SELECT count(*) FROM salesflow.ai_recommendations WHERE lead_id = %s", (lead,)).fetchone()[0] == 2


def test_create_ai_recommendation_bad_input(db, world):
    lead = world["lead_a"]
    fails(db, CREATE, (lead, "Bad Type", "t", None, "{}", 50, 72, None, "system", None), "22023", "p_rec_type", "Bad Type")
    fails(db, CREATE, (lead, "call", "  ", None, "{}", 50, 72, None, "system", None), "22023", "p_title")
    fails(db, CREATE, (lead, "call", "t", None, "[]", 50, 72, None, "system", None), "22023", "p_action", "array")
    fails(db, CREATE, (lead, "call", "t", None, "{}", 101, 72, None, "system", None), "22023", "p_base_priority", "101")
    fails(db, CREATE, (lead, "call", "t", None, "{}", 50, 0, None, "system", None), "22023", "p_half_life_hours", "0")
    fails(db, CREATE, (lead, "call", "t", None, "{}", 50, 72, dt.datetime(2020, 1, 1, tzinfo=UTC), "system", None),
          "22023", "p_expires_at", "2020")
    fails(db, CREATE, (lead, "call", "t", None, "{}", 50, 72, None, "oracle", None), "22023", "p_source", "oracle")
    ghost = "00000000-0000-0000-0000-0000000000bb"
    # an unknown user and another team's user get the same answer (no existence oracle)
    fails(db, CREATE, (lead, "call", "t", None, "{}", 50, 72, None, "system", ghost), "42501", "p_assignee_id", ghost)
    fails(db, CREATE, (lead, "call", "t", None, "{}", 50, 72, None, "system", world["carol"]), "42501",
          "p_assignee_id", str(world["carol"]))
    # a colleague in the same team cannot see alice's lead, so cannot be its assignee either
    fails(db, CREATE, (lead, "call", "t", None, "{}", 50, 72, None, "system", world["bob"]), "42501", "p_assignee_id")
    # the team manager may be the assignee
    rid = db.execute(CREATE, (lead, "call", "t", None, "{}", 50, 72, None, "system", world["manager"])).fetchone()[0]
    assert db.execute("SELECT assignee_id FROM salesflow.ai_recommendations WHERE id = %s", (rid,)).fetchone()[0] == world["manager"]


def test_update_recommendation_feedback_and_transitions(db, world):
    lead = world["lead_a"]
    rid = db.execute(CREATE, (lead, "call_back", "Anrufen", None, "{}", 50, 72, None, "manual", None)).fetchone()[0]
    assert db.execute("SELECT * FROM salesflow.update_recommendation(%s, 'accepted', 'guter Tipp', 5)", (rid,)).fetchone() == (rid, "accepted")
    row = db.execute("SELECT status, feedback, feedback_rating, resolved_at IS NOT NULL FROM salesflow.ai_recommendations "
                     "WHERE id = %s", (rid,)).fetchone()
    assert row == ("accepted", "guter Tipp", 5, True)
    fails(db, "SELECT * FROM salesflow.update_recommendation(%s, 'dismissed')", (rid,), "22023", str(rid), "accepted")
    assert db.execute("SELECT * FROM salesflow.update_recommendation(%s, 'done')", (rid,)).fetchone() == (rid, "done")
    fails(db, "SELECT * FROM salesflow.update_recommendation(%s, 'done')", (rid,), "22023", "done")
    rid2 = db.execute(CREATE, (lead, "call_back", "Anrufen", None, "{}", 50, 72, None, "manual", None)).fetchone()[0]
    fails(db, "SELECT * FROM salesflow.update_recommendation(%s, 'open')", (rid2,), "22023", "p_status", "open")
    fails(db, "SELECT * FROM salesflow.update_recommendation(%s, 'dismissed', 'meh', 6)", (rid2,), "22023", "p_rating", "6")
    fails(db, "SELECT * FROM salesflow.update_recommendation(%s, 'dismissed')", (987654,), "P0002", "987654")


def test_open_list_walks_each_half_life_and_matches_a_full_sort(db, world):
    # The open list reads each owner's top rows per half-life from an index; the result must be the
    # same as decaying every open row and sorting (mixed half-lives, ages, bases; a manager's
    # assignment included), for a rep, a manager and the owner, at several limits.
    import random

    rng = random.Random(7)
    leads = [world["lead_a"]] + [make_lead(db, world["alice"], f"L{i}") for i in range(5)]
    leads += [world["lead_b"], make_lead(db, world["bob"], "Bob L")]
    n = 0
    for lead in leads:
        for j in range(6):
            rid = db.execute(CREATE, (lead, f"t{n}", "x", None, "{}", rng.choice([5, 20, 50, 80, 100]),
                                      rng.choice([6, 24, 72, 168]), None, "ai", None)).fetchone()[0]
            db.execute("UPDATE salesflow.ai_recommendations SET created_at = now() - %s * interval '1 hour' "
                       "WHERE id = %s", (rng.uniform(0, 200), rid))
            n += 1
    db.execute("UPDATE salesflow.ai_recommendations SET assignee_id = %s "
               "WHERE id = (SELECT max(id) FROM salesflow.ai_recommendations WHERE user_id = %s)",
               (world["manager"], world["bob"]))
    full = ("SELECT id FROM salesflow.ai_recommendations WHERE status = 'open' AND (user_id = ANY(%s) OR assignee_id = %s) "
            "ORDER BY salesflow.effective_priority(base_priority, created_at, half_life_hours) DESC, "
            "salesflow.recommendation_rank(base_priority, created_at, half_life_hours) DESC, id DESC LIMIT %s")
    cases = [(world["alice"], "salesflow_rep", [world["alice"]]),
             (world["manager"], "salesflow_manager", [world["manager"], world["alice"], world["bob"]])]
    for limit in (1, 7, 50):
        for user, role, owners in cases:
            want = [r[0] for r in db.execute(full, (owners, user, limit))]
            with acting_as(db, user, role):
                got = [r[0] for r in db.execute("SELECT id FROM salesflow.list_recommendations('open', %s)", (limit,))]
            assert got == want and len(got) == min(limit, len(want)), (role, limit)
        everyone = [r[0] for r in db.execute("SELECT id FROM salesflow.users")]
        want = [r[0] for r in db.execute(full, (everyone, None, limit))]
        assert [r[0] for r in db.execute("SELECT id FROM salesflow.list_recommendations('open', %s)", (limit,))] == want


def test_list_recommendations_orders_by_decayed_priority(db, world):
    lead = world["lead_a"]
    old = db.execute(CREATE, (lead, "old_one", "alt", None, "{}", 80, 24, None, "manual", None)).fetchone()[0]
    db.execute("SELECT salesflow.create_ai_recommendation(%s, 'new_one', 'neu', p_base_priority => 50)", (lead,))
    db.execute("UPDATE salesflow.ai_recommendations SET created_at = now() - interval '48 hours' WHERE id = %s", (old,))
    rows = db.execute("SELECT rec_type, effective_priority FROM salesflow.list_recommendations('open', 10, %s)", (lead,)).fetchall()
    assert [r[0] for r in rows] == ["new_one", "old_one"]
    assert float(rows[1][1]) == pytest.approx(80 * 0.25, abs=0.05)  # two half-lives
    fails(db, "SELECT * FROM salesflow.list_recommendations('pending')", None, "22023", "p_status", "pending")
    fails(db, "SELECT * FROM salesflow.list_recommendations('open', 0)", None, "22023", "p_limit", "0")


# --------------------------------------------------------------------------- contact window

def _tuesdays_10(n, tz=BERLIN):
    """The last n Tuesdays at 10:00 local time (strictly in the past)."""
    now = dt.datetime.now(tz)
    day = now.date() - dt.timedelta(days=(now.weekday() - 1) % 7)
    out = []
    while len(out) < n:
        t = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=tz)
        if t < now:
            out.append(t)
        day -= dt.timedelta(days=7)
    return out


def test_contact_window_moves_to_reply_hours(db, world):
    lead, rep = world["lead_a"], world["alice"]
    sends = _tuesdays_10(6)
    for t in reversed(sends):  # in time order, as activities arrive
        add_activity(db, lead, rep, "out", body="Hallo", occurred_at=t)
        add_activity(db, lead, rep, "in", body="Ja gern", occurred_at=t + dt.timedelta(minutes=5))
    # the rep also wrote on Wednesdays 14:00 and never got an answer
    for t in reversed(sends[:3]):
        add_activity(db, lead, rep, "out", channel="email", body="Info", occurred_at=t + dt.timedelta(days=1, hours=4))
    rows = db.execute("SELECT * FROM salesflow.get_best_contact_window(%s, 3)", (lead,)).fetchall()
    weekday, hour, channel, p, conf, label, basis = rows[0]
    assert (weekday, hour, label, basis, channel) == (2, 10, "Di 10:00", "lead", "whatsapp")
    # hand computation: n = r = sum 0.5^(age_days/90); user prior from the owner's bucket counts
    now = db.execute("SELECT now()").fetchone()[0]
    n = sum(0.5 ** ((now - t).total_seconds() / 86400 / 90) for t in sends)
    sent, replied = db.execute("SELECT coalesce(sum(sent), 0), coalesce(sum(replied), 0) FROM salesflow.channel_performance_metrics "
                               "WHERE user_id = %s AND weekday = 2 AND hour = 10", (rep,)).fetchone()
    if sent:
        p0 = (replied + 10 * 0.30) / (sent + 10)
    else:
        tot_s, tot_r = db.execute("SELECT coalesce(sum(sent), 0), coalesce(sum(replied), 0) FROM salesflow.channel_performance_metrics "
                                  "WHERE user_id = %s", (rep,)).fetchone()
        p0 = (tot_r + 3) / (tot_s + 10)
    assert float(p) == pytest.approx((n + 10 * p0) / (n + 10), abs=1e-3)
    assert float(conf) == pytest.approx(n + 10, abs=0.01)
    # the unanswered Wednesday 14:00 bucket ranks below its own prior
    wed = db.execute("SELECT probability FROM salesflow.get_best_contact_window(%s, 72) WHERE weekday = 3 AND hour = 14",
                     (lead,)).fetchone()[0]
    assert wed < p


def test_contact_window_english_label_and_best_channel(db, world):
    lead, rep = world["lead_b"], world["bob"]
    for t in reversed(_tuesdays_10(4, ZoneInfo("Europe/London"))):
        add_activity(db, lead, rep, "out", channel="email", body="Hi", occurred_at=t)
        add_activity(db, lead, rep, "in", channel="email", body="Sure", occurred_at=t + dt.timedelta(hours=2))
        add_activity(db, lead, rep, "out", channel="whatsapp", body="Hi", occurred_at=t + dt.timedelta(days=2))
    row = db.execute("SELECT weekday, hour, channel, local_label FROM salesflow.get_best_contact_window(%s, 1)", (lead,)).fetchone()
    assert row == (2, 10, "email", "Tue 10:00")


def test_contact_window_fallback_without_history(db, world):
    rows = db.execute("SELECT weekday, hour, probability, confidence, local_label, basis "
                      "FROM salesflow.get_best_contact_window(%s, 10)", (world["lead_a"],)).fetchall()
    assert [(r[0], r[1]) for r in rows] == [(2, 8), (2, 16), (3, 8), (3, 16), (4, 8), (4, 16)]
    assert {r[5] for r in rows} == {"fallback"}
    assert (float(rows[0][2]), float(rows[0][3]), rows[0][4]) == (0.3, 10, "Di 08:00")


def test_contact_window_respects_quiet_hours(db, world):
    lead, rep = world["lead_a"], world["alice"]
    now = dt.datetime.now(BERLIN)
    sunday = now - dt.timedelta(days=(now.weekday() + 1) % 7 or 7)
    for week in range(4):
        for h in (10, 22, 6):
            t = (sunday - dt.timedelta(days=7 * week)).replace(hour=h, minute=0, second=0, microsecond=0)
            add_activity(db, lead, rep, "out", body="Hallo", occurred_at=t)
            add_activity(db, lead, rep, "in", body="Hi", occurred_at=t + dt.timedelta(minutes=3))
        late = (sunday - dt.timedelta(days=7 * week + 2)).replace(hour=21, minute=30, second=0, microsecond=0)  # Friday 21:30
        add_activity(db, lead, rep, "out", body="Hallo", occurred_at=late)
        add_activity(db, lead, rep, "in", body="Hi", occurred_at=late + dt.timedelta(minutes=3))
    rows = db.execute("SELECT weekday, hour FROM salesflow.get_best_contact_window(%s, 72)", (lead,)).fetchall()
    assert len(rows) == 72
    assert all(1 <= wd <= 6 and 8 <= h <= 19 for wd, h in rows)


def test_contact_window_bad_limit(db, world):
    fails(db, "SELECT * FROM salesflow.get_best_contact_window(%s, 0)", (world["lead_a"],), "22023", "p_limit", "0")
    fails(db, "SELECT * FROM salesflow.get_best_contact_window(%s, 73)", (world["lead_a"],), "22023", "p_limit", "73")


# --------------------------------------------------------------------------- next best actions

def test_overdue_followup_ranks_first(db, world):
    rep = world["alice"]
    overdue = make_lead(db, rep, "Olga Overdue")
    other = make_lead(db, rep, "Otto Other")
    stalled = make_lead(db, rep, "Stefan Stalled")
    db.execute("UPDATE salesflow.leads SET created_at = now() - interval '40 days' WHERE id = %s", (stalled,))
    db.execute("SELECT salesflow.create_ai_recommendation(%s, 'send_info', 'Infos schicken', p_base_priority => 50)", (other,))
    fid = db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel, note) "
                     "VALUES (%s, %s, now() - interval '2 days', 'phone', 'Rückruf') RETURNING id", (overdue, rep)).fetchone()[0]
    # lead-derived candidates (stalled, ...) are as of the refresh; follow-ups and recommendations are live
    db.execute("SELECT * FROM salesflow.drain_dirty_leads()")
    rows = db.execute("SELECT * FROM salesflow.recommend_followup_actions(%s, 10)", (rep,)).fetchall()
    cols = [c.name for c in db.execute("SELECT * FROM salesflow.recommend_followup_actions(%s, 1)", (rep,)).description]
    top = dict(zip(cols, rows[0]))
    assert top["lead_id"] == overdue and top["action_type"] == "followup_overdue" and top["followup_id"] == fid
    # 80 x 0.5 (unscored lead) x (1.5 + 0.5 * 48/72)
    assert float(top["score"]) == pytest.approx(80 * 0.5 * (1.5 + 0.5 * 48 / 72), abs=0.05)
    assert "überfällig" in top["reason"] and "Rückruf" in top["reason"]
    assert top["channel"] == "phone" and top["suggested_time"] > dt.datetime.now(UTC)
    assert top["disg_tip"]
    by_lead = {r[0]: dict(zip(cols, r)) for r in rows}
    assert len(by_lead) == len(rows)  # one row per lead
    assert by_lead[other]["action_type"] == "send_info" and by_lead[other]["recommendation_id"]
    assert by_lead[stalled]["action_type"] == "stalled"
    assert [r[4] for r in rows] == sorted([r[4] for r in rows], reverse=True)


def test_next_best_action_kinds_and_language(db, world):
    rep = world["bob"]  # English-speaking rep
    ghosted = make_lead(db, rep, "Gina Ghost", language="en")
    for d in (9, 6, 3):
        add_activity(db, ghosted, rep, "out", body="Hi?", occurred_at=dt.datetime.now(UTC) - dt.timedelta(days=d))
    late = make_lead(db, rep, "Larry Late", language="en")
    db.execute("UPDATE salesflow.leads SET stage = 'proposal' WHERE id = %s", (late,))
    hot = make_lead(db, rep, "Hanna Hot", language="en")
    db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
               "VALUES (%s, %s, 9, 9, 9, 9)", (hot, rep))
    db.execute("UPDATE salesflow.ai_recommendations SET status = 'done' WHERE lead_id = %s", (hot,))
    db.execute("SELECT * FROM salesflow.drain_dirty_leads()")  # lead-derived candidates: as of the refresh
    rows = {r[0]: r for r in db.execute("SELECT lead_id, action_type, reason FROM salesflow.recommend_followup_actions(%s, 50)",
                                        (rep,)).fetchall()}
    assert rows[ghosted][1] == "ghosted" and "without a reply" in rows[ghosted][2]
    assert rows[late][1] == "bant_gap" and "no BANT" in rows[late][2]
    assert rows[hot][1] == "hot_no_contact" and "never contacted" in rows[hot][2]


def test_next_actions_read_only_the_recommendations_that_can_rank(db, world):
    # Open recommendations are read per half-life, only the range whose decayed priority can reach
    # the p_limit-th score so far: the ranking must equal scoring every candidate by brute force
    # (score = priority x conversion x urgency; unscored leads 0.5; follow-ups due in 20 h).
    import random

    rng = random.Random(11)
    rep = world["bob"]
    expected = {}
    for i in range(30):
        lead = make_lead(db, rep, f"R{i}", language="en")
        base, hl, age = rng.choice([30, 60, 90, 100]), rng.choice([12, 48, 72, 200]), rng.uniform(0, 150)
        rid = db.execute(CREATE, (lead, f"t{i}", "x", None, "{}", base, hl, None, "ai", None)).fetchone()[0]
        db.execute("UPDATE salesflow.ai_recommendations SET created_at = now() - %s * interval '1 hour' WHERE id = %s",
                   (age, rid))
        ep = base * 0.5 ** (age / hl)
        if ep >= 5:
            expected[lead] = ep * 1.0 * 0.5
    for i in range(5):
        lead = make_lead(db, rep, f"F{i}", language="en")
        db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now() + interval '20 hours')",
                   (lead, rep))
        expected[lead] = 80 * 0.5 * (1.0 + 0.5 * (1 - 20 / 24))
    want = sorted(expected, key=lambda k: -expected[k])
    for limit in (3, 6, 12, 40):
        got = db.execute("SELECT lead_id, score FROM salesflow.recommend_followup_actions(%s, %s)", (rep, limit)).fetchall()
        assert [r[0] for r in got] == want[:limit], limit
        assert [float(r[1]) for r in got] == pytest.approx([expected[k] for k in want[:limit]], abs=0.02)


def test_recommend_followup_actions_identity_and_bad_input(db, world):
    fails(db, "SELECT * FROM salesflow.recommend_followup_actions(NULL, 10)", None, "22023", "p_user_id")
    fails(db, "SELECT * FROM salesflow.recommend_followup_actions(%s, 0)", (world["alice"],), "22023", "p_limit", "0")
    ghost = "00000000-0000-0000-0000-0000000000cc"
    fails(db, "SELECT * FROM salesflow.recommend_followup_actions(%s, 10)", (ghost,), "P0002", ghost)
    db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now() - interval '1 hour')",
               (world["lead_b"], world["bob"]))
    with acting_as(db, world["alice"]):
        fails(db, "SELECT * FROM salesflow.recommend_followup_actions(%s, 10)", (world["bob"],), "42501", str(world["bob"]))
        assert db.execute("SELECT * FROM salesflow.recommend_followup_actions()").fetchall() == []
    with acting_as(db, world["manager"], "salesflow_manager"):
        rows = db.execute("SELECT lead_id FROM salesflow.recommend_followup_actions(%s, 10)", (world["bob"],)).fetchall()
        assert rows == [(world["lead_b"],)]
        fails(db, "SELECT * FROM salesflow.recommend_followup_actions(%s, 10)", (world["carol"],), "42501")


def test_next_actions_precomputed_at_refresh_live_followups_and_recs(db, world):
    """Lead-derived candidates come from view_next_actions (as of the refresh, refreshed by
    refresh_all_ki_views); due follow-ups and open recommendations are read live; a lead closed
    since the refresh is never returned."""
    rep = world["bob"]
    stalled = make_lead(db, rep, "Sam Stale", language="en")
    closed = make_lead(db, rep, "Carl Closed", language="en")
    db.execute("UPDATE salesflow.leads SET created_at = now() - interval '40 days' WHERE id = ANY(%s)", ([stalled, closed],))

    def actions():
        return {r[0]: r[1] for r in db.execute(
            "SELECT lead_id, action_type FROM salesflow.recommend_followup_actions(%s, 50)", (rep,)).fetchall()}

    assert stalled not in actions()  # not refreshed yet
    steps = [r[0] for r in db.execute("SELECT step FROM salesflow.refresh_all_ki_views()").fetchall()]
    assert "view_followups_scored" in steps
    assert db.execute("SELECT action_type FROM salesflow.view_next_actions WHERE lead_id = %s", (stalled,)).fetchone() \
        == ("stalled",)
    got = actions()
    assert got[stalled] == "stalled" and got[closed] == "stalled"
    # live, without a refresh: a follow-up overdue by 4 days (urgency capped at 2.0), a new
    # recommendation, a lead that was closed
    fid = db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now() - interval '4 days') "
                     "RETURNING id", (stalled, rep)).fetchone()[0]
    fresh = make_lead(db, rep, "Nina New", language="en")
    rid = db.execute("SELECT salesflow.create_ai_recommendation(%s, 'send_info', 'Send the brochure')", (fresh,)).fetchone()[0]
    db.execute("UPDATE salesflow.leads SET stage = 'lost' WHERE id = %s", (closed,))
    rows = db.execute("SELECT lead_id, action_type, urgency, followup_id, recommendation_id, suggested_time "
                      "FROM salesflow.recommend_followup_actions(%s, 50)", (rep,)).fetchall()
    by_lead = {r[0]: r for r in rows}
    assert by_lead[stalled][1:5] == ("followup_overdue", 2, fid, None)
    assert by_lead[fresh][1] == "send_info" and by_lead[fresh][4] == rid
    assert closed not in by_lead
    assert all(r[5] is not None for r in rows)
    # p_limit cuts the same ranking
    top2 = db.execute("SELECT lead_id FROM salesflow.recommend_followup_actions(%s, 2)", (rep,)).fetchall()
    assert [r[0] for r in top2] == [r[0] for r in rows[:2]]


def test_next_actions_contact_window_matches_get_best_contact_window(db, world):
    """recommend_followup_actions computes the contact windows of its rows in one pass; it must
    agree with get_best_contact_window (channel and the earliest of the top three windows)."""
    rep = world["alice"]
    lead = world["lead_a"]
    now = dt.datetime.now(UTC)
    for d in range(1, 6):
        sent = (now - dt.timedelta(days=7 * d)).replace(hour=9, minute=0, second=0, microsecond=0)
        add_activity(db, lead, rep, "out", channel="email", body="Hallo", occurred_at=sent)
        add_activity(db, lead, rep, "in", channel="email", body="Gern", occurred_at=sent + dt.timedelta(minutes=30))
    db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Zurückrufen')", (lead,))
    quiet = make_lead(db, rep, "Quentin Quiet", phone=None, email="q@example.com")
    db.execute("SELECT salesflow.create_ai_recommendation(%s, 'send_info', 'Infos')", (quiet,))
    rows = db.execute("SELECT lead_id, channel, suggested_time, time_rule FROM salesflow.recommend_followup_actions(%s, 10)",
                      (rep,)).fetchall()
    assert {r[0] for r in rows} == {lead, quiet}
    # issue 12: the time is the day plan's slot (plan_day, the same function), in one of the lead's
    # windows when time_rule = 'window'; the channel is get_best_contact_window's
    day = {r[0]: (r[1], r[2]) for r in db.execute("SELECT lead_id, channel, suggested_time FROM salesflow.plan_day(%s, NULL, 4, 10)",
                                                  (rep,)).fetchall()}
    for lead_id, channel, suggested, rule in rows:
        assert_in_window(db, lead_id, channel, suggested, rule)
        assert day[lead_id] == (channel, suggested)


def assert_in_window(db, lead_id, channel, suggested, rule):
    """channel = get_best_contact_window's; a 'window' time is one of the lead's windows (local
    weekday and hour), in the future, in the rep's working hours 08-20 (their time zone)."""
    windows = db.execute("SELECT weekday, hour, channel FROM salesflow.get_best_contact_window(%s, 72)", (lead_id,)).fetchall()
    assert channel == windows[0][2]
    if suggested is None:  # late in the day the slots left are full: no time today (CI ran at 18:xx)
        assert rule == "none"
        return
    assert suggested > dt.datetime.now(UTC)
    local = db.execute("SELECT extract(dow FROM %s::timestamptz AT TIME ZONE l.timezone)::int, "
                       "extract(hour FROM %s::timestamptz AT TIME ZONE l.timezone)::int, "
                       "extract(hour FROM %s::timestamptz AT TIME ZONE u.timezone)::int "
                       "FROM salesflow.leads AS l JOIN salesflow.users AS u ON u.id = l.user_id WHERE l.id = %s",
                       (suggested, suggested, suggested, lead_id)).fetchone()
    assert 8 <= local[2] <= 19
    if rule == "window":
        assert (local[0], local[1]) in {(w[0], w[1]) for w in windows}
    else:
        assert rule == "free_slot"


def test_contact_windows_agree_across_many_leads(db, world):
    """One computation (best_contact_windows) behind both RPCs: over leads with varied histories
    (own sends with and without replies, several channels and time zones, an owner with statistics,
    an owner without any, leads with no history), recommend_followup_actions gives each lead the
    channel and the earliest of the top three windows of get_best_contact_window, and a lead's
    windows do not depend on which other leads are computed with it."""
    import random

    rng = random.Random(20261202)
    now = dt.datetime.now(UTC)
    channels = ("whatsapp", "email", "phone", "linkedin")
    zones = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Tokyo")
    leads = {world["alice"]: [], world["bob"]: []}
    for rep in leads:
        for i in range(6):
            lead = make_lead(db, rep, f"Lead {i}", timezone=zones[i % len(zones)],
                             phone=None if i % 3 == 0 else "+49 170 000000", email=f"l{i}@example.com")
            leads[rep].append(lead)
            events = []
            for _ in range(0 if i == 5 or rep == world["bob"] and i > 2 else rng.randint(1, 12)):
                sent = now - dt.timedelta(days=rng.randint(1, 200), hours=rng.randint(0, 23))
                ch = rng.choice(channels)
                events.append((sent, "out", ch))
                if rng.random() < 0.5:
                    events.append((sent + dt.timedelta(minutes=rng.randint(5, 2000)), "in", ch))
            for at, direction, ch in sorted(events):
                add_activity(db, lead, rep, direction, channel=ch, body="Hallo", occurred_at=at)
            db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Zurückrufen')", (lead,))
    # carol: an owner without any statistics, her lead without history -> fallback
    db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Zurückrufen')", (world["lead_c"],))
    every = [lead for ls in leads.values() for lead in ls] + [world["lead_c"]]

    def single(lead, limit):
        return db.execute("SELECT weekday, hour, channel, probability, confidence, basis "
                          "FROM salesflow.get_best_contact_window(%s, %s)", (lead, limit)).fetchall()

    batch = db.execute("SELECT lead_id, weekday, hour, channel, probability, confidence, basis "
                       "FROM salesflow.best_contact_windows(%s, 72) ORDER BY lead_id, window_rank", (every,)).fetchall()
    for lead in every:
        assert [r[1:] for r in batch if r[0] == lead] == single(lead, 72)
    assert {r[6] for r in batch} >= {"lead", "user", "fallback"}

    for rep in (world["alice"], world["bob"], world["carol"]):
        rows = db.execute("SELECT lead_id, channel, suggested_time FROM salesflow.recommend_followup_actions(%s, 20)",
                          (rep,)).fetchall()
        assert rows
        rules = dict(db.execute("SELECT lead_id, time_rule FROM salesflow.recommend_followup_actions(%s, 20)",
                                (rep,)).fetchall())
        for lead_id, channel, suggested in rows:
            # issue 12: the slot of the day plan (capacity, the rep's working hours) in one of the
            # lead's windows, not the earliest of its top three
            assert_in_window(db, lead_id, channel, suggested, rules[lead_id])


# --------------------------------------------------------------------------- intelligence

def test_get_lead_intelligence_has_every_part(db, world):
    lead = world["lead_a"]
    db.execute("SELECT * FROM salesflow.assess_bant(%s, 8, 7, 9, 6)", (lead,))
    db.execute("SELECT salesflow.update_lead_memory(%s, 'Interessiert an Teilzeit')", (lead,))
    for m in D_DE:
        add_activity(db, lead, world["alice"], "in", body=m)
    db.execute("SELECT * FROM salesflow.analyze_personality_from_messages(%s)", (lead,))
    intel = db.execute("SELECT salesflow.get_lead_intelligence(%s)", (lead,)).fetchone()[0]
    assert {"lead", "bant", "disg", "disg_guidance", "memory", "recommendations", "contact_window", "health",
            "predicted_conversion", "engagement", "followups", "playbooks"} <= intel.keys()
    assert intel["bant"]["total_score"] == 75.0 and intel["bant"]["weakest"] == "timeline"
    assert intel["disg"]["primary_type"] == "D" and intel["disg_guidance"]["type"] == "D"
    assert intel["memory"]["summary"] == "Interessiert an Teilzeit" and intel["memory"]["version"] == 1
    assert [r["rec_type"] for r in intel["recommendations"]] == ["bant_timeline"]
    assert len(intel["contact_window"]) == 3 and 0 <= intel["health"]["score"] <= 100
    assert {"probability", "top_positive", "top_negative"} <= intel["predicted_conversion"].keys()
    assert intel["engagement"]["inbound_count"] == 4


# --------------------------------------------------------------------------- playbooks

def test_playbook_start_advance_complete_recommends_next(db, world):
    lead = world["lead_a"]
    ex = db.execute("SELECT salesflow.start_playbook(%s, 'erstkontakt')", (lead,)).fetchone()[0]
    fails(db, "SELECT salesflow.start_playbook(%s, 'erstkontakt')", (lead,), "22023", "erstkontakt", str(ex))
    steps = db.execute("SELECT jsonb_array_length(steps) FROM salesflow.playbook_executions WHERE id = %s", (ex,)).fetchone()[0]
    for i in range(1, steps):
        assert db.execute("SELECT * FROM salesflow.advance_playbook(%s)", (ex,)).fetchone() == (ex, i, "running")
    assert db.execute("SELECT * FROM salesflow.advance_playbook(%s, 'meeting_booked')", (ex,)).fetchone() == (ex, steps, "completed")
    row = db.execute("SELECT outcome, completed_at IS NOT NULL FROM salesflow.playbook_executions WHERE id = %s", (ex,)).fetchone()
    assert row == ("meeting_booked", True)
    fails(db, "SELECT * FROM salesflow.advance_playbook(%s)", (ex,), "22023", str(ex), "completed")
    (rec,) = [r for r in recs(db, lead) if r[0] == "playbook_next_step"]
    assert rec[1] == "Nächstes Playbook starten: Abschluss"
    action = db.execute("SELECT action FROM salesflow.ai_recommendations WHERE lead_id = %s AND rec_type = 'playbook_next_step'",
                        (lead,)).fetchone()[0]
    assert action["playbook_key"] == "abschluss"
    # starting the suggested playbook completes the suggestion; finishing it suggests the closing step
    ex2 = db.execute("SELECT salesflow.start_playbook(%s, 'abschluss')", (lead,)).fetchone()[0]
    assert not [r for r in recs(db, lead) if r[0] == "playbook_next_step"]
    for _ in range(3):
        db.execute("SELECT * FROM salesflow.advance_playbook(%s)", (ex2,))
    (rec,) = [r for r in recs(db, lead) if r[0] == "playbook_next_step"]
    assert rec[1].startswith("Abschluss sichern")


def test_playbook_no_reply_suggests_reengagement(db, world):
    lead = world["lead_b"]  # English lead
    ex = db.execute("SELECT salesflow.start_playbook(%s, 'einwandbehandlung')", (lead,)).fetchone()[0]
    for _ in range(2):
        db.execute("SELECT * FROM salesflow.advance_playbook(%s)", (ex,))
    db.execute("SELECT * FROM salesflow.advance_playbook(%s, 'no_reply')", (ex,))
    (rec,) = [r for r in recs(db, lead) if r[0] == "playbook_next_step"]
    assert rec[1] == "Start the next playbook: Re-engage a silent lead" and "no_reply" in rec[2]


def test_playbook_bad_input(db, world):
    lead = world["lead_a"]
    fails(db, "SELECT salesflow.start_playbook(%s, 'zauberformel')", (lead,), "P0002", "zauberformel")
    fails(db, "SELECT salesflow.start_playbook(%s, NULL)", (lead,), "22023", "p_playbook_key")
    fails(db, "SELECT * FROM salesflow.advance_playbook(424242)", None, "P0002", "424242")
    ex = db.execute("SELECT salesflow.start_playbook(%s, 'erstkontakt')", (lead,)).fetchone()[0]
    fails(db, "SELECT * FROM salesflow.advance_playbook(%s, '')", (ex,), "22023", "p_outcome")
    db.execute("UPDATE salesflow.leads SET stage = 'lost' WHERE id = %s", (world["lead_c"],))
    fails(db, "SELECT salesflow.start_playbook(%s, 'erstkontakt')", (world["lead_c"],), "22023", "closed")


# --------------------------------------------------------------------------- triggers

def test_profile_lead_after_three_inbound_only(db, world):
    lead, rep = world["lead_a"], world["alice"]
    add_activity(db, lead, rep, "in", body="Hallo")
    add_activity(db, lead, rep, "in", body="Noch da?")
    add_activity(db, lead, rep, "out", body="Ja!")
    assert recs(db, lead) == []
    add_activity(db, lead, rep, "in", body="Super, erzähl mal!")
    (rec,) = recs(db, lead)
    assert rec[0] == "profile_lead" and rec[1] == "DISG-Profil erstellen" and "3 Nachrichten" in rec[2]
    add_activity(db, lead, rep, "in", body="Und?")
    assert len(recs(db, lead)) == 1  # not repeated
    # dismissed: never suggested again
    db.execute("UPDATE salesflow.ai_recommendations SET status = 'dismissed' WHERE lead_id = %s", (lead,))
    add_activity(db, lead, rep, "in", body="Hallo?")
    assert recs(db, lead) == []


def test_profile_lead_not_when_profiled_and_english(db, world):
    lead, rep = world["lead_b"], world["bob"]
    db.execute("SELECT * FROM salesflow.record_personality_profile(%s, 50, 10, 10, 30)", (lead,))
    for _ in range(3):
        add_activity(db, lead, rep, "in", body="Hi")
    assert recs(db, lead) == []
    fresh = make_lead(db, rep, "Eve English", language="en")
    for _ in range(3):
        add_activity(db, fresh, rep, "in", body="Hi")
    (rec,) = recs(db, fresh)
    assert rec[1] == "Profile this lead (DISG)"


def test_profile_lead_is_made_by_the_drain_set_based(db, world):
    rep = world["alice"]
    leads = [make_lead(db, rep, f"Bulk {i}") for i in range(50)]
    # one INSERT with 200 rows (4 inbound each): one queue row per lead, nothing recommended yet
    db.execute(
        "INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction, body) "
        "SELECT l, %s, 'whatsapp', 'in', 'Hallo' FROM unnest(%s::uuid[]) AS l, generate_series(1, 4)", (rep, leads))
    assert db.execute("SELECT count(*) FROM salesflow.ai_recommendations WHERE lead_id = ANY(%s)", (leads,)).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM salesflow.dirty_leads WHERE lead_id = ANY(%s) AND activity_ids IS NOT NULL",
                      (leads,)).fetchone()[0] == 50
    # one drain: 200 activities counted in one batch, one recommendation per lead
    assert drain(db)["activities"] == 200
    n = db.execute("SELECT count(*) FROM salesflow.ai_recommendations WHERE rec_type = 'profile_lead' AND lead_id = ANY(%s)",
                   (leads,)).fetchone()[0]
    assert n == 50


def test_bant_trigger_runs_once_per_statement(db, world):
    rep = world["alice"]
    leads = [make_lead(db, rep, f"B {i}") for i in range(5)]
    db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
               "SELECT l, %s, 5, 2, 5, 5 FROM unnest(%s::uuid[]) AS l", (rep, leads))
    rows = db.execute("SELECT rec_type, base_priority FROM salesflow.ai_recommendations WHERE lead_id = ANY(%s)", (leads,)).fetchall()
    assert sorted(rows) == [("bant_authority", 78)] * 5


# --------------------------------------------------------------------------- RLS through every function

def test_rep_never_reaches_another_reps_lead(db, world):
    other = world["lead_b"]  # bob's
    rid = db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call', 'Call')", (other,)).fetchone()[0]
    ex = db.execute("SELECT salesflow.start_playbook(%s, 'erstkontakt')", (other,)).fetchone()[0]
    add_activity(db, other, world["bob"], "in", body="Hi there!")
    with acting_as(db, world["alice"]):
        for sql in [
            "SELECT * FROM salesflow.assess_bant(%s, 5, 5, 5, 5)",
            "SELECT * FROM salesflow.record_personality_profile(%s, 50, 20, 20, 10)",
            "SELECT * FROM salesflow.analyze_personality_from_messages(%s)",
            "SELECT * FROM salesflow.get_lead_disg(%s)",
            "SELECT salesflow.generate_disg_recommendations(%s)",
            "SELECT salesflow.update_lead_memory(%s, 'x')",
            "SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call back')",
            "SELECT * FROM salesflow.list_recommendations('open', 10, %s)",
            "SELECT * FROM salesflow.get_best_contact_window(%s)",
            "SELECT salesflow.get_lead_intelligence(%s)",
            "SELECT salesflow.start_playbook(%s, 'abschluss')",
        ]:
            fails(db, sql, (other,), "P0002", str(other))
        fails(db, "SELECT * FROM salesflow.update_recommendation(%s, 'dismissed')", (rid,), "P0002", str(rid))
        fails(db, "SELECT * FROM salesflow.advance_playbook(%s)", (ex,), "P0002", str(ex))
        assert db.execute("SELECT * FROM salesflow.list_recommendations('all')").fetchall() == []
        # her own lead works through the same functions
        mine = world["lead_a"]
        assert db.execute("SELECT total_score FROM salesflow.assess_bant(%s, 8, 7, 9, 6)", (mine,)).fetchone()[0] == 75
        assert [r[5] for r in db.execute("SELECT * FROM salesflow.list_recommendations()")] == ["bant_timeline"]
        assert db.execute("SELECT salesflow.get_lead_intelligence(%s) -> 'bant' ->> 'weakest'", (mine,)).fetchone()[0] == "timeline"
    # managers reach their team, not other teams
    with acting_as(db, world["manager"], "salesflow_manager"):
        assert db.execute("SELECT salesflow.get_lead_intelligence(%s) -> 'lead' ->> 'name'", (other,)).fetchone()[0] == "Ben Miller"
        assert db.execute("SELECT * FROM salesflow.update_recommendation(%s, 'accepted')", (rid,)).fetchone() == (rid, "accepted")
        fails(db, "SELECT salesflow.get_lead_intelligence(%s)", (world["lead_c"],), "P0002")


def test_reference_data_upsert_keeps_user_overrides(db):
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "sql" / "data"
    db.execute("UPDATE salesflow.disg_guidance SET opener = 'Mein eigener Einstieg', is_builtin = false "
               "WHERE disg_type = 'D' AND language = 'de'")
    db.execute("UPDATE salesflow.disg_guidance SET opener = 'stale text' WHERE disg_type = 'I' AND language = 'de'")
    db.execute("UPDATE salesflow.playbooks SET name_de = 'Mein Abschluss', is_builtin = false WHERE key = 'abschluss'")
    db.execute("UPDATE salesflow.playbooks SET name_de = 'alt' WHERE key = 'erstkontakt'")
    for name in ("disg_guidance.sql", "playbooks.sql"):
        db.execute((root / name).read_text(encoding="utf-8"))  # re-runnable
    assert db.execute("SELECT opener FROM salesflow.disg_guidance WHERE disg_type = 'D' AND language = 'de'").fetchone()[0] \
        == "Mein eigener Einstieg"
    assert db.execute("SELECT opener FROM salesflow.disg_guidance WHERE disg_type = 'I' AND language = 'de'").fetchone()[0] \
        != "stale text"
    names = dict(db.execute("SELECT key, name_de FROM salesflow.playbooks WHERE key IN ('abschluss', 'erstkontakt')").fetchall())
    assert names == {"abschluss": "Mein Abschluss", "erstkontakt": "Erstkontakt"}


def test_contact_window_new_lead_inherits_owner_hours(db, world):
    """No history for the lead: its windows are the owner's bucket rates, p = p0 = (R + 10 * 0.3) / (N + 10);
    buckets the owner never used get the owner's overall rate, which the unanswered Monday messages pull down."""
    rep, busy = world["alice"], world["lead_a"]
    for t in reversed(_tuesdays_10(5)):  # in time order, as activities arrive
        thu15 = (t + dt.timedelta(days=2)).replace(hour=15)
        if thu15 >= dt.datetime.now(BERLIN):
            continue
        add_activity(db, busy, rep, "out", body="Hallo", occurred_at=thu15)
        add_activity(db, busy, rep, "in", body="Gern", occurred_at=thu15 + dt.timedelta(minutes=20))
    quiet = make_lead(db, rep, "Stefan Still")
    for t in reversed(_tuesdays_10(5)):  # Mondays 09:00, never answered: the owner's overall rate drops
        add_activity(db, quiet, rep, "out", body="Hallo", occurred_at=(t - dt.timedelta(days=1)).replace(hour=9))
    sent, replied = db.execute("SELECT sum(sent), sum(replied) FROM salesflow.channel_performance_metrics "
                               "WHERE user_id = %s AND weekday = 4 AND hour = 15", (rep,)).fetchone()
    assert sent and replied == sent  # analytics' trigger keeps the owner's bucket counts
    fresh = make_lead(db, rep, "Frieda Neu")
    weekday, hour, channel, p, conf, label, basis = db.execute(
        "SELECT * FROM salesflow.get_best_contact_window(%s, 1)", (fresh,)).fetchone()
    assert (weekday, hour, label, basis, float(conf)) == (4, 15, "Do 15:00", "user", 10.0)
    assert float(p) == pytest.approx((replied + 3) / (sent + 10), abs=1e-4)


def test_assigned_alert_reaches_the_manager_and_due_followup(db, world):
    lead, rep, mgr = world["lead_a"], world["alice"], world["manager"]
    rid = db.execute("SELECT salesflow.create_ai_recommendation(%s, 'compliance_alert', 'Prüfen: Einkommensversprechen', "
                     "p_base_priority => 90, p_assignee_id => %s)", (lead, mgr)).fetchone()[0]
    fid = db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, note) VALUES (%s, %s, now() + interval '6 hours', "
                     "'Angebot') RETURNING id", (lead, rep)).fetchone()[0]
    with acting_as(db, mgr, "salesflow_manager"):
        rows = db.execute("SELECT lead_id, action_type, recommendation_id FROM salesflow.recommend_followup_actions()").fetchall()
    assert rows == [(lead, "compliance_alert", rid)]
    rows = db.execute("SELECT action_type, followup_id, reason, urgency FROM salesflow.recommend_followup_actions(%s)", (rep,)).fetchall()
    # the rep's own list shows the follow-up (due in 6 h: urgency 1.0 + 0.5 * (1 - 6/24) = 1.375), not the manager's alert
    assert [(r[0], r[1]) for r in rows] == [("followup_due", fid)]
    assert "fällig" in rows[0][2] and float(rows[0][3]) == pytest.approx(1.375, abs=0.01)
