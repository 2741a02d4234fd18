"""Consent history (issue 14 item 5): every change of leads.consent is recorded (when, by whom,
source, wording) — by record_consent / `salesflow gdpr consent`, by a plain UPDATE, by an
import — and withdrawing consent stops outbound suggestions for the lead at once."""

from __future__ import annotations

import json

import psycopg
import pytest

from tests.factories import acting_as, add_activity, make_lead, make_team, make_user
from tests.proc import run_cli
from tests.test_import_sql import run_leads

WORDING = "Ja, ich möchte per WhatsApp über Angebote informiert werden. Widerruf jederzeit möglich."


@pytest.fixture
def w(db):
    team = make_team(db, "Team Consent")
    rep = make_user(db, team, "rep", name="carla")
    lead = make_lead(db, rep, "Clara Consent", email="clara@example.org", consent=True)
    other = make_lead(db, rep, "Conny Other", email="conny@example.org", consent=True)
    for lid in (lead, other):
        add_activity(db, lid, rep, "out", body="Hallo!")
        db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel) VALUES (%s, %s, now() - interval '2 hours', 'whatsapp')",
                   (lid, rep))
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    return {"rep": rep, "lead": lead, "other": other}


def history(db, lead):
    return db.execute("SELECT consent, previous, source, wording, changed_by FROM salesflow.consent_history(%s)", (lead,)).fetchall()


def next_leads(db, rep):
    with acting_as(db, rep):
        return {r[0] for r in db.execute("SELECT lead_id FROM salesflow.recommend_followup_actions(NULL, 20)")}


def test_every_change_is_recorded_with_source_wording_and_who(db, w):
    # created with consent by the owner (no identity): by = the lead owner, source sql
    assert history(db, w["lead"]) == [(True, None, "sql", None, w["rep"])]
    with acting_as(db, w["rep"]):
        db.execute("SELECT salesflow.record_consent(%s, false, 'whatsapp', 'Bitte nicht mehr schreiben.')", (w["lead"],))
        db.execute("SELECT salesflow.record_consent(%s, false, 'cli')", (w["lead"],))  # a second withdrawal: recorded too
        eid = db.execute("SELECT salesflow.record_consent(%s, true, 'cli', %s)", (w["lead"], WORDING)).fetchone()[0]
    assert isinstance(eid, int)
    # a plain UPDATE (psql, another client) is recorded by the trigger, source sql
    db.execute("UPDATE salesflow.leads SET consent = false WHERE id = %s", (w["lead"],))
    # a no-op update records nothing
    db.execute("UPDATE salesflow.leads SET consent = false, company = 'X' WHERE id = %s", (w["lead"],))
    assert history(db, w["lead"]) == [
        (True, None, "sql", None, w["rep"]),
        (False, True, "whatsapp", "Bitte nicht mehr schreiben.", w["rep"]),
        (False, False, "cli", None, w["rep"]),
        (True, False, "cli", WORDING, w["rep"]),
        (False, True, "sql", None, w["rep"]),
    ]
    lead = db.execute("SELECT consent, consent_at IS NOT NULL, consent_withdrawn_at IS NOT NULL FROM salesflow.leads WHERE id = %s",
                      (w["lead"],)).fetchone()
    assert lead == (False, True, True)
    # the other lead: untouched
    assert history(db, w["other"]) == [(True, None, "sql", None, w["rep"])]


def test_withdrawal_stops_outbound_suggestions_at_once(db, w):
    assert next_leads(db, w["rep"]) == {w["lead"], w["other"]}
    with acting_as(db, w["rep"]):
        db.execute("SELECT salesflow.record_consent(%s, false, 'whatsapp', 'STOP')", (w["lead"],))
    assert next_leads(db, w["rep"]) == {w["other"]}  # no refresh needed
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    assert next_leads(db, w["rep"]) == {w["other"]}
    assert db.execute("SELECT count(*) FROM salesflow.view_next_actions WHERE lead_id = %s", (w["lead"],)).fetchone()[0] == 0
    # no new "contact this lead" recommendation, neither through the API nor from the triggers
    with acting_as(db, w["rep"]):
        with pytest.raises(psycopg.Error) as info:
            db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call', 'x')", (w["lead"],))
    assert info.value.sqlstate == "55000" and "consent" in str(info.value)
    db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
               "VALUES (%s, %s, 1, 8, 8, 8)", (w["lead"], w["rep"]))
    assert db.execute("SELECT count(*) FROM salesflow.ai_recommendations WHERE lead_id = %s", (w["lead"],)).fetchone()[0] == 0
    # a rep withdrawing through a plain UPDATE has the same effect
    with acting_as(db, w["rep"]):
        db.execute("UPDATE salesflow.leads SET consent = false WHERE id = %s", (w["other"],))
    assert next_leads(db, w["rep"]) == set()
    # consent given again: suggestions are back
    with acting_as(db, w["rep"]):
        db.execute("SELECT salesflow.record_consent(%s, true, 'cli', %s)", (w["lead"], WORDING))
    assert next_leads(db, w["rep"]) == {w["lead"]}


def test_imports_record_their_consent_changes(db, w):
    cols = ("external_id", "name", "email", "owner", "consent")
    counts, rejects = run_leads(db, [("900", "Ida Import", "ida@example.org", "carla@example.org", "ja")], cols=cols)
    assert rejects == [] and counts[0] == 1
    lid = db.execute("SELECT id FROM salesflow.leads WHERE email = 'ida@example.org'").fetchone()[0]
    assert history(db, lid) == [(True, None, "import", None, w["rep"])]


def test_bad_input(db, w):
    bad = [
        ("SELECT salesflow.record_consent(gen_random_uuid(), false)", "P0002"),
        ("SELECT salesflow.record_consent(NULL, false)", "22023"),
        (f"SELECT salesflow.record_consent('{w['lead']}', NULL)", "22023"),
        (f"SELECT salesflow.record_consent('{w['lead']}', true)", "22023"),  # giving consent needs its wording
        (f"SELECT salesflow.record_consent('{w['lead']}', true, 'cli', '  ')", "22023"),
        (f"SELECT salesflow.record_consent('{w['lead']}', false, 'fax')", "22023"),
        (f"SELECT salesflow.record_consent('{w['lead']}', true, 'cli', repeat('x', 4001))", "22023"),
        ("SELECT * FROM salesflow.consent_history(gen_random_uuid())", "P0002"),
    ]
    for q, state in bad:
        with pytest.raises(psycopg.Error) as info:
            db.execute(q)
        assert info.value.sqlstate == state, (q, str(info.value))
    assert len(history(db, w["lead"])) == 1


def test_cli_consent(db, dsn, w):
    r = run_cli("gdpr", "consent", "clara@example.org", "--withdrawn", "--source", "whatsapp",
                "--wording", "STOP", "--user", "carla@example.org", "--dsn", dsn, "--json")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert [(h["consent"], h["source"]) for h in out["history"]] == [(True, "sql"), (False, "whatsapp")]
    r = run_cli("gdpr", "consent", "clara@example.org", "--dsn", dsn)
    assert r.returncode == 0 and "withdrawn" in r.stdout
    for args in (["--given"], ["--given", "--withdrawn"], ["--withdrawn", "--source", "fax"]):
        r = run_cli("gdpr", "consent", "clara@example.org", *args, "--dsn", dsn)
        assert r.returncode == 2, (args, r.stderr)
    r = run_cli("gdpr", "consent", "nobody@example.org", "--withdrawn", "--dsn", dsn)
    assert r.returncode == 2 and "not found" in r.stderr
