"""GDPR Art. 18 restriction (issue 14 item 4): a restricted lead is kept but vanishes from every
reader that processes it — scoring, next actions, recommendations (listed and created, also by
triggers), AI context and work lists, semantic search, import updates, the normal exports — and
comes back on unrestrict. The consent history stays readable (the DSGVO export)."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.factories import acting_as, add_activity, make_lead, make_team, make_user
from tests.proc import cli_env, run_cli
from tests.test_import_sql import run_activities, run_leads


@pytest.fixture
def w(db):
    team = make_team(db, "Team DSGVO")
    rep = make_user(db, team, "rep", name="rita")
    admin = make_user(db, None, "admin", name="adam")
    lead = make_lead(db, rep, "Rosa Restrict", email="rosa@example.org", consent=True, external_system="hubspot",
                     external_id="501")
    other = make_lead(db, rep, "Otto Open", email="otto@example.org", consent=True)
    for lid in (lead, other):
        add_activity(db, lid, rep, "out", body="Hallo, hast du kurz Zeit?")
        add_activity(db, lid, rep, "in", body="Ja, schick mir die Details!")
        db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel) VALUES (%s, %s, now() - interval '1 hour', 'email')",
                   (lid, rep))
    db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call back', 'asked for details')", (lead,))
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    return {"team": team, "rep": rep, "admin": admin, "lead": lead, "other": other}


def ids(rows, key=0):
    return {r[key] for r in rows}


def readers(db, w) -> dict[str, set]:
    """The lead ids every reader returns, as the rep sees them."""
    with acting_as(db, w["rep"]):
        out = {
            "scored": ids(db.execute("SELECT lead_id FROM salesflow.get_scored_leads(100)").fetchall()),
            "next": ids(db.execute("SELECT lead_id FROM salesflow.recommend_followup_actions(NULL, 50)").fetchall()),
            "recs": ids(db.execute("SELECT lead_id FROM salesflow.list_recommendations('open', 100)").fetchall()),
            "recs_of_lead": ids(db.execute("SELECT lead_id FROM salesflow.list_recommendations('all', 100, %s)",
                                           (w["lead"],)).fetchall()),
            "stale": ids(db.execute("SELECT lead_id FROM salesflow.ai_stale_leads(100)").fetchall()),
        }
    return out


def restrict(db, lead, reason="Art. 18 request", until=None):
    return db.execute("SELECT * FROM salesflow.restrict_lead(%s, %s, %s)", (lead, reason, until)).fetchone()


def test_restricted_lead_vanishes_from_every_reader_and_comes_back(db, w):
    before = readers(db, w)
    assert all(w["lead"] in v for v in before.values()), before
    row = restrict(db, w["lead"])
    assert row[0] == w["lead"] and row[1] is not None and row[3] == "Art. 18 request"
    # at once (no refresh): the live checks of the readers
    now = readers(db, w)
    assert not any(w["lead"] in v for v in now.values()), now
    assert w["other"] in now["scored"] and w["other"] in now["next"]
    # and after the refresh: the views leave it out
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    assert db.execute("SELECT count(*) FROM salesflow.view_leads_scored WHERE lead_id = %s", (w["lead"],)).fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM salesflow.view_next_actions WHERE lead_id = %s", (w["lead"],)).fetchone()[0] == 0
    after = readers(db, w)
    assert not any(w["lead"] in v for v in after.values()), after
    # kept: the row, its activities and its log entry are all there
    assert db.execute("SELECT count(*) FROM salesflow.lead_activities WHERE lead_id = %s", (w["lead"],)).fetchone()[0] == 2
    assert db.execute("SELECT action, reason FROM salesflow.restriction_events WHERE lead_id = %s",
                      (w["lead"],)).fetchall() == [("restrict", "Art. 18 request")]

    row = db.execute("SELECT * FROM salesflow.unrestrict_lead(%s, 'request withdrawn')", (w["lead"],)).fetchone()
    assert row[1:] == (None, None, None)
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    back = readers(db, w)
    assert all(w["lead"] in v for v in back.values()), back
    assert [r[0] for r in db.execute("SELECT action FROM salesflow.restriction_events WHERE lead_id = %s ORDER BY id",
                                     (w["lead"],))] == ["restrict", "unrestrict"]


def test_no_ai_and_no_new_recommendations_for_a_restricted_lead(db, w):
    restrict(db, w["lead"])
    with acting_as(db, w["rep"]):
        for q in ("SELECT salesflow.ai_lead_context(%s)",
                  "SELECT salesflow.create_ai_recommendation(%s, 'send_offer', 'Send offer', 'x')"):
            with pytest.raises(psycopg.Error) as info:
                db.execute(q, (w["lead"],))
            assert info.value.sqlstate == "55000" and "restricted" in str(info.value), q
    # the trigger paths: a BANT assessment with a gap makes no recommendation for it
    n = db.execute("SELECT count(*) FROM salesflow.ai_recommendations WHERE lead_id = %s", (w["lead"],)).fetchone()[0]
    db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
               "VALUES (%s, %s, 1, 8, 8, 8)", (w["lead"], w["rep"]))
    for _ in range(3):
        add_activity(db, w["lead"], w["rep"], "in", body="Noch eine Frage")
    assert db.execute("SELECT count(*) FROM salesflow.ai_recommendations WHERE lead_id = %s", (w["lead"],)).fetchone()[0] == n
    # the unrestricted lead still gets them
    db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
               "VALUES (%s, %s, 1, 8, 8, 8)", (w["other"], w["rep"]))
    assert db.execute("SELECT count(*) FROM salesflow.ai_recommendations WHERE lead_id = %s AND rec_type LIKE 'bant_%%'",
                      (w["other"],)).fetchone()[0] == 1
    # the consent history (part of the DSGVO export) stays readable
    with acting_as(db, w["rep"]):
        assert db.execute("SELECT count(*) FROM salesflow.consent_history(%s)", (w["lead"],)).fetchone()[0] == 1


def test_semantic_search_skips_restricted_leads(db, w):
    if db.execute("SELECT to_regproc('salesflow.semantic_search_leads') IS NULL").fetchone()[0]:
        pytest.skip("pgvector not installed")
    for lid in (w["lead"], w["other"]):
        db.execute("SELECT salesflow.store_lead_embedding(%s, 'note', 'mag Zahlen', 'test-model', '[0.1,0.2,0.3]'::vector, NULL)",
                   (lid,))
    q = "SELECT lead_id FROM salesflow.semantic_search_leads('[0.1,0.2,0.3]'::vector, 10, NULL)"
    assert ids(db.execute(q).fetchall()) == {w["lead"], w["other"]}
    restrict(db, w["lead"])
    assert ids(db.execute(q).fetchall()) == {w["other"]}


def test_imports_refuse_updating_a_restricted_lead(db, w):
    restrict(db, w["lead"])
    cols = ("external_id", "name", "email", "owner", "stage")
    rows = [("501", "Rosa Neu", "rosa@example.org", "rita@example.org", "meeting"),
            ("502", "Nina New", "nina@example.org", "rita@example.org", "new")]
    counts, rejects = run_leads(db, rows, cols=cols)
    assert counts[3] == 1 and [(r[0], r[1]) for r in rejects] == [(2, "external_id")]
    assert "restricted" in rejects[0][3]
    # mode 'all': nothing written; the lead is untouched either way
    assert db.execute("SELECT name, stage FROM salesflow.leads WHERE id = %s", (w["lead"],)).fetchone() == ("Rosa Restrict", "new")
    counts, rejects = run_leads(db, rows, cols=cols, mode="skip_invalid")
    assert counts[0] == 1 and counts[1] == 0 and len(rejects) == 1
    assert db.execute("SELECT name, stage FROM salesflow.leads WHERE id = %s", (w["lead"],)).fetchone() == ("Rosa Restrict", "new")
    assert db.execute("SELECT count(*) FROM salesflow.leads WHERE email = 'nina@example.org'").fetchone()[0] == 1


def test_activity_imports_refuse_a_restricted_lead(db, w):
    restrict(db, w["lead"])
    rows = [("501", "", "", "email", "in", "", "2026-11-04 10:00", "", "Noch eine Frage"),
            ("", "otto@example.org", "", "email", "in", "", "2026-11-04 11:00", "", "Danke!")]
    n = db.execute("SELECT count(*) FROM salesflow.lead_activities WHERE lead_id = %s", (w["lead"],)).fetchone()[0]
    counts, rejects = run_activities(db, rows, mode="skip_invalid")
    assert counts[0] == 1 and [(r[0], r[1]) for r in rejects] == [(2, "lead")] and "restricted" in rejects[0][3]
    assert db.execute("SELECT count(*) FROM salesflow.lead_activities WHERE lead_id = %s", (w["lead"],)).fetchone()[0] == n


def test_normal_exports_leave_restricted_leads_out(db, dsn, w):
    restrict(db, w["lead"])
    leads = json.loads(run_cli("export", "leads", "--dsn", dsn, "--format", "json").stdout)
    acts = json.loads(run_cli("export", "activities", "--dsn", dsn, "--format", "json").stdout)
    scored = json.loads(run_cli("export", "scored-leads", "--dsn", dsn, "--format", "json").stdout)
    assert {r["external_id"] for r in leads} == {str(w["other"])}
    assert {r["lead_external_id"] for r in acts} == {str(w["other"])}
    assert {r["lead_id"] for r in scored} == {str(w["other"])}


def test_until_defaults_to_the_legal_period_and_bad_input(db, w):
    # last activity this year: business letters kept until the end of the year + 6 years
    row = restrict(db, w["lead"])
    year = db.execute("SELECT extract(year FROM now() AT TIME ZONE 'Europe/Berlin')::int").fetchone()[0]
    assert db.execute("SELECT %s::timestamptz AT TIME ZONE 'Europe/Berlin'", (row[2],)).fetchone()[0].isoformat() \
        == f"{year + 7}-01-01T00:00:00"
    row = restrict(db, w["lead"], "re-restricted", "2040-06-30T00:00:00+00:00")
    assert row[2].year == 2040 and row[3] == "re-restricted"
    bad = [
        ("SELECT * FROM salesflow.restrict_lead(gen_random_uuid(), 'x')", "P0002"),
        ("SELECT * FROM salesflow.restrict_lead(NULL, 'x')", "22023"),
        (f"SELECT * FROM salesflow.restrict_lead('{w['other']}', '  ')", "22023"),
        (f"SELECT * FROM salesflow.restrict_lead('{w['other']}', 'x', now() - interval '1 day')", "22023"),
        (f"SELECT * FROM salesflow.restrict_lead('{w['other']}', 'x', now() + interval '31 years')", "22023"),
        (f"SELECT * FROM salesflow.restrict_lead('{w['other']}', repeat('x', 501))", "22023"),
        (f"SELECT * FROM salesflow.unrestrict_lead('{w['other']}')", "22023"),  # not restricted
        ("SELECT * FROM salesflow.unrestrict_lead(gen_random_uuid())", "P0002"),
    ]
    for q, state in bad:
        with pytest.raises(psycopg.Error) as info:
            db.execute(q)
        assert info.value.sqlstate == state, (q, str(info.value))
    assert db.execute("SELECT restricted_at FROM salesflow.leads WHERE id = %s", (w["other"],)).fetchone()[0] is None


def test_cli_restrict_unrestrict(db, dsn, w):
    r = run_cli("gdpr", "restrict", "rosa@example.org", "--reason", "Art. 18 per e-mail", "--until", "2031-12-31",
                "--dsn", dsn, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out[0]["lead_id"] == str(w["lead"]) if isinstance(out, list) else out["lead_id"] == str(w["lead"])
    r = run_cli("gdpr", "restrict", "rosa@example.org", "--reason", "x", "--until", "someday", "--dsn", dsn)
    assert r.returncode == 2 and "--until" in r.stderr
    r = run_cli("gdpr", "restrict", "nobody@example.org", "--reason", "x", "--dsn", dsn)
    assert r.returncode == 2 and "not found" in r.stderr
    # a rep may not (42501 -> exit 2)
    r = run_cli("gdpr", "restrict", "otto@example.org", "--reason", "x", "--user", "rita@example.org", "--dsn", dsn)
    assert r.returncode == 2 and "42501" in r.stderr, r.stderr
    # the AI commands refuse the restricted lead with a clear message
    # (an unreachable model server: the lead is refused before any request)
    r = run_cli("ai", "memory", str(w["lead"]), "--dsn", dsn,
                env=cli_env(OPENAI_API_KEY="test", OPENAI_BASE_URL="http://127.0.0.1:9/v1"))
    assert r.returncode != 0 and "restricted" in r.stderr, r.stderr
    r = run_cli("gdpr", "unrestrict", str(w["lead"]), "--reason", "done", "--dsn", dsn)
    assert r.returncode == 0, r.stderr
    assert db.execute("SELECT restricted_at FROM salesflow.leads WHERE id = %s", (w["lead"],)).fetchone()[0] is None


def test_single_lead_processing_functions_refuse_a_restricted_lead(db, w):
    restrict(db, w["lead"])
    playbook = db.execute("SELECT key FROM salesflow.playbooks ORDER BY key LIMIT 1").fetchone()[0]
    calls = [
        ("SELECT salesflow.update_lead_memory(%s, 'Rosa will Details.')", ()),
        ("SELECT * FROM salesflow.assess_bant(%s, 5, 5, 5, 5)", ()),
        ("SELECT salesflow.record_personality_profile(%s, 40, 30, 20, 10, 'manual')", ()),
        ("SELECT * FROM salesflow.analyze_personality_from_messages(%s)", ()),
        ("SELECT salesflow.start_playbook(%s, %s)", (playbook,)),
    ]
    if db.execute("SELECT to_regproc('salesflow.store_lead_embedding') IS NOT NULL").fetchone()[0]:
        calls.append(("SELECT salesflow.store_lead_embedding(%s, 'note', 'x', 'test-model', '[0.1,0.2,0.3]'::vector, NULL)", ()))
    with acting_as(db, w["rep"]):
        for q, extra in calls:
            with pytest.raises(psycopg.Error) as info:
                db.execute(q, (w["lead"], *extra))
            assert info.value.sqlstate == "55000" and "restricted" in str(info.value), q
            db.execute(q, (w["other"], *extra))  # the unrestricted lead: fine
