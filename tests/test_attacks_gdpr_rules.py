"""The attack suite, GDPR restriction / retention / consent edition: what a rep or manager with
psql could try, with their own login — restrict or lift restrictions, run retention, edit the
rules, write the consent history or the restriction columns directly, touch other people's leads."""

from __future__ import annotations

from tests.attackers import fingerprint
from tests.test_attacks import limited, logins, refused  # noqa: F401  (fixtures and counters)
from tests.test_rls import org, populate  # noqa: F401  (fixtures)


def test_reps_and_managers_cannot_restrict_unrestrict_or_run_retention(db, org, logins):  # noqa: F811
    db.execute("SELECT * FROM salesflow.restrict_lead(%s, 'Art. 18')", (org["lead2"],))
    before = fingerprint(db)
    for kind in ("rep", "manager"):
        conn = logins.connect(kind)
        for lead in (org["lead1"], org["lead2"], org["lead3"]):  # own, team's, another team's
            refused(conn, "SELECT * FROM salesflow.restrict_lead(%s, 'mine now')", (lead,))
            refused(conn, "SELECT * FROM salesflow.unrestrict_lead(%s)", (lead,))
        for dry in (True, False):
            refused(conn, "SELECT * FROM salesflow.apply_retention(%s)", (dry,))
        refused(conn, "SELECT salesflow.retention_erase(%s, 'x')", (org["lead1"],))
        refused(conn, "SELECT salesflow.legal_keep_until(l) FROM salesflow.leads AS l")
        refused(conn, "SELECT salesflow.lead_is_processable(l) FROM salesflow.leads AS l")
    assert fingerprint(db) == before


def test_restriction_and_consent_state_cannot_be_written_directly(db, org, logins):  # noqa: F811
    db.execute("SELECT * FROM salesflow.restrict_lead(%s, 'Art. 18')", (org["lead1"],))
    before = fingerprint(db)
    for kind in ("rep", "manager"):
        conn = logins.connect(kind)
        for col, val in (("restricted_at", "NULL"), ("restricted_until", "NULL"), ("restriction_reason", "NULL"),
                         ("restricted_by", "NULL"), ("consent_withdrawn_at", "NULL")):
            refused(conn, f"UPDATE salesflow.leads SET {col} = {val} WHERE id = %s", (org["lead1"],))
        refused(conn, "INSERT INTO salesflow.leads (user_id, name, restricted_at, restriction_reason) "
                      "VALUES (%s, 'x', now(), 'x')", (org["rep1"],))
        refused(conn, "INSERT INTO salesflow.leads (user_id, name, consent_withdrawn_at) VALUES (%s, 'x', now())", (org["rep1"],))
        for table in ("consent_events", "restriction_events"):
            refused(conn, f"SELECT * FROM salesflow.{table}")
            refused(conn, f"DELETE FROM salesflow.{table}")
            refused(conn, f"UPDATE salesflow.{table} SET db_role = 'x'")
            refused(conn, f"TRUNCATE salesflow.{table}")
        refused(conn, "INSERT INTO salesflow.consent_events (lead_id, consent, source) VALUES (%s, true, 'cli')", (org["lead1"],))
        refused(conn, "INSERT INTO salesflow.restriction_events (lead_id, action) VALUES (%s, 'unrestrict')", (org["lead1"],))
        # the rules: readable, not writable
        assert len(limited(conn, "SELECT rule_key FROM salesflow.retention_rules")) == 5
        refused(conn, "UPDATE salesflow.retention_rules SET enabled = false")
        refused(conn, "DELETE FROM salesflow.retention_rules")
        refused(conn, "INSERT INTO salesflow.retention_rules (rule_key, condition, action, period, description) "
                      "VALUES ('evil', 'lost_inactive', 'erase', interval '0', 'erase everything lost')")
    assert fingerprint(db) == before


def test_consent_is_written_only_for_visible_leads(db, org, logins):  # noqa: F811
    before = fingerprint(db, exclude_user=org["rep1"])
    rep = logins.connect("rep")
    for lead in (org["lead2"], org["lead3"]):
        refused(rep, "SELECT salesflow.record_consent(%s, false, 'cli')", (lead,), states=("P0002",))
        refused(rep, "SELECT * FROM salesflow.consent_history(%s)", (lead,), states=("P0002",))
    manager = logins.connect("manager")
    refused(manager, "SELECT salesflow.record_consent(%s, false, 'cli')", (org["lead3"],), states=("P0002",))
    # own lead: allowed, and the history names the real login and user
    limited(rep, "SELECT salesflow.record_consent(%s, false, 'cli', 'per Telefon widerrufen')", (org["lead1"],))
    row = db.execute("SELECT changed_by, db_role, source FROM salesflow.consent_events WHERE lead_id = %s ORDER BY id DESC LIMIT 1",
                     (org["lead1"],)).fetchone()
    assert row == (org["rep1"], logins.names["rep"], "cli")
    after = fingerprint(db, exclude_user=org["rep1"])
    assert after.pop("consent_events") != before.pop("consent_events") and after == before  # (no user_id column)
    assert db.execute("SELECT count(*) FROM salesflow.consent_events WHERE lead_id <> %s", (org["lead1"],)).fetchone()[0] == 0


def test_an_admin_login_restricts_lifts_and_runs_retention(db, org, logins):  # noqa: F811
    admin = logins.connect("admin")
    for lead in (org["lead1"], org["lead3"]):
        limited(admin, "SELECT * FROM salesflow.restrict_lead(%s, 'Art. 18')", (lead,))
    assert db.execute("SELECT restricted_by FROM salesflow.leads WHERE id = %s", (org["lead3"],)).fetchone()[0] == org["admin"]
    limited(admin, "SELECT * FROM salesflow.unrestrict_lead(%s, 'erledigt')", (org["lead3"],))
    rows = limited(admin, "SELECT * FROM salesflow.apply_retention(true)")
    assert len(rows) == 5
    limited(admin, "UPDATE salesflow.retention_rules SET enabled = false WHERE rule_key = 'lost_inactive_24m'")
    # restricted: the rep's AI commands and new recommendations are refused
    rep = logins.connect("rep")
    refused(rep, "SELECT salesflow.ai_lead_context(%s)", (org["lead1"],), states=("55000",))
    refused(rep, "SELECT salesflow.create_ai_recommendation(%s, 'call', 'Call', 'x')", (org["lead1"],), states=("55000",))
    assert limited(rep, "SELECT lead_id FROM salesflow.get_scored_leads(100)") == []
