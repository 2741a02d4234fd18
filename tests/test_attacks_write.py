"""The attack suite, write-back edition (issue 12 item 1): what a rep or manager with psql could try
against add_lead, log_activity, add/complete/snooze/skip_followup, set_lead_stage, list_playbooks
and the existing writers the CLI now calls (update_recommendation, start/advance_playbook,
analyze_personality_from_messages) — other reps' and other teams' rows, forged identities, direct
inserts into followups and lead_activities for a foreign lead. A fingerprint of every table shows
that nothing changed."""

from __future__ import annotations

import pytest

from tests.attackers import fingerprint
from tests.test_attacks import FORGE, limited, logins, refused  # noqa: F401  (fixtures and counters)
from tests.test_rls import org, populate  # noqa: F401  (fixtures)


def _ids(db, lead):
    one = lambda q: db.execute(q, (lead,)).fetchone()[0]  # noqa: E731
    return {"lead": str(lead),
            "fu": one("SELECT id FROM salesflow.followups WHERE lead_id = %s"),
            "rec": one("SELECT id FROM salesflow.ai_recommendations WHERE lead_id = %s"),
            "exec": one("SELECT id FROM salesflow.playbook_executions WHERE lead_id = %s")}


def _calls(t: dict, key: str) -> list[tuple[str, tuple]]:
    """Every write-back call against the rows in t (a lead and its follow-up, recommendation, execution)."""
    return [
        ("SELECT * FROM salesflow.add_followup(%s, now() + interval '1 day', 'phone', 'x')", (t["lead"],)),
        ("SELECT * FROM salesflow.log_activity(%s, 'email', 'in', 'Hallo')", (t["lead"],)),
        ("SELECT * FROM salesflow.log_activity(%s, 'email', 'out', 'Hallo', p_dry_run => true)", (t["lead"],)),
        ("SELECT * FROM salesflow.set_lead_stage(%s, 'won', 'weil', 10)", (t["lead"],)),
        ("SELECT * FROM salesflow.complete_followup(%s, 'done')", (t["fu"],)),
        ("SELECT * FROM salesflow.snooze_followup(%s, now() + interval '2 days')", (t["fu"],)),
        ("SELECT * FROM salesflow.skip_followup(%s, 'nope')", (t["fu"],)),
        ("SELECT * FROM salesflow.update_recommendation(%s, 'dismissed', 'x', 1)", (t["rec"],)),
        ("SELECT * FROM salesflow.start_playbook(%s, %s)", (t["lead"], key)),
        ("SELECT * FROM salesflow.advance_playbook(%s, 'x')", (t["exec"],)),
        ("SELECT * FROM salesflow.analyze_personality_from_messages(%s)", (t["lead"],)),
    ]


@pytest.fixture
def key(db):
    return db.execute("SELECT key FROM salesflow.playbooks WHERE key <> 'rls_test' ORDER BY key LIMIT 1").fetchone()[0]


def test_a_rep_cannot_write_another_reps_or_teams_rows(db, org, logins, key):  # noqa: F811
    before = fingerprint(db)
    rep = logins.connect("rep")  # rep1, team A
    for lead in ("lead2", "lead3"):  # a colleague's, another team's
        for statement, params in _calls(_ids(db, org[lead]), key):
            refused(rep, statement, params, states=("P0002",))
    for owner in ("rep2", "rep3", "admin", "mgr_a"):  # a lead for someone else
        refused(rep, "SELECT salesflow.add_lead('X', p_owner_id => %s)", (org[owner],))
    manager = logins.connect("manager")  # manager A: team B is not theirs
    for statement, params in _calls(_ids(db, org["lead3"]), key):
        refused(manager, statement, params, states=("P0002",))
    refused(manager, "SELECT salesflow.add_lead('X', p_owner_id => %s)", (org["rep3"],))
    assert fingerprint(db) == before


def test_a_forged_identity_is_refused_for_every_write(db, org, logins, key):  # noqa: F811
    before = fingerprint(db)
    rep = logins.connect("rep")
    target = _ids(db, org["lead3"])
    for setting, value in FORGE:
        for local in (False, True):
            with rep.transaction(force_rollback=True):
                rep.execute("SELECT set_config(%s, %s, %s)", (setting, value(org["rep3"]), local))
                # a personal login naming anyone else (session or transaction-local): 42501 for every call
                for statement, params in _calls(target, key) + [("SELECT salesflow.add_lead('X')", ())]:
                    refused(rep, statement, params, states=("42501",))
    unlinked = logins.connect("unlinked")  # a sales login without identity
    for statement, params in _calls(_ids(db, org["lead1"]), key) + [("SELECT salesflow.add_lead('X')", ())]:
        refused(unlinked, statement, params, states=("42501",))
    outsider = logins.connect("outsider")  # no EXECUTE at all
    for statement, params in _calls(_ids(db, org["lead1"]), key)[:4]:
        refused(outsider, statement, params, states=("42501",))
    assert fingerprint(db) == before


def test_direct_inserts_for_a_foreign_lead_are_refused(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    rep = logins.connect("rep")
    lead3, rep3, rep1 = str(org["lead3"]), str(org["rep3"]), str(org["rep1"])
    for owner in (rep3, rep1):  # the lead's real owner (RLS: 42501), or pretending it is mine (FK: 23503)
        refused(rep, "INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now())", (lead3, owner),
                states=("42501", "23503"))
        refused(rep, "INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction, body) "
                     "VALUES (%s, %s, 'email', 'in', 'x')", (lead3, owner), states=("42501", "23503"))
    fu3 = db.execute("SELECT id FROM salesflow.followups WHERE lead_id = %s", (org["lead3"],)).fetchone()[0]
    assert limited(rep, "UPDATE salesflow.followups SET status = 'done' WHERE id = %s", (fu3,)) == 0
    assert limited(rep, "UPDATE salesflow.leads SET stage = 'won' WHERE id = %s", (lead3,)) == 0
    # the stage reason setting does not reach someone else's stage events either
    assert limited(rep, "SELECT set_config('salesflow.stage_reason', 'forged', false)") == [("forged",)]
    assert limited(rep, "UPDATE salesflow.leads SET stage = 'lost' WHERE id = %s", (lead3,)) == 0
    refused(rep, "INSERT INTO salesflow.lead_stage_events (lead_id, user_id, to_stage, reason) VALUES (%s, %s, 'won', 'x')",
            (str(org["lead1"]), rep1))
    assert fingerprint(db) == before


def test_the_callers_own_rows_do_change(db, org, logins, key):  # noqa: F811
    """The same calls work on the caller's own rows (so the refusals above are about ownership)."""
    rep = logins.connect("rep")
    own = _ids(db, org["lead1"])
    db.execute("UPDATE salesflow.leads SET consent = true WHERE id = %s", (org["lead1"],))
    with rep.transaction(force_rollback=True):
        assert rep.execute("SELECT outcome FROM salesflow.log_activity(%s, 'email', 'in', 'Hallo')", (own["lead"],)).fetchone() == ("saved",)
        assert rep.execute("SELECT status FROM salesflow.complete_followup(%s)", (own["fu"],)).fetchone() == ("done",)
        lead = rep.execute("SELECT salesflow.add_lead('Neu')").fetchone()[0]
        assert rep.execute("SELECT user_id FROM salesflow.leads WHERE id = %s", (lead,)).fetchone() == (org["rep1"],)
        assert rep.execute("SELECT to_stage FROM salesflow.set_lead_stage(%s, 'lost', 'zu teuer')", (own["lead"],)).fetchone() == ("lost",)
        assert rep.execute("SELECT count(*) FROM salesflow.list_playbooks()").fetchone()[0] >= 1
    manager = logins.connect("manager")
    with manager.transaction(force_rollback=True):  # a manager works the team's rows
        lead2 = _ids(db, org["lead2"])
        assert manager.execute("SELECT status FROM salesflow.skip_followup(%s, 'krank')", (lead2["fu"],)).fetchone() == ("skipped",)
        assert manager.execute("SELECT salesflow.add_lead('Fuer Rep2', p_owner_id => %s)", (org["rep2"],)).fetchone()[0]
