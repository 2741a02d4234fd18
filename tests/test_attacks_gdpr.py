"""The attack suite, DSGVO edition: what a rep or manager with psql could try against the erasure
path (gdpr_erase, the compliance_logs exception, the gdpr log and secret), tried for real with
their own logins (tests/attackers.py)."""

from __future__ import annotations

from tests.attackers import fingerprint
from tests.test_attacks import limited, logins, refused  # noqa: F401  (fixtures and counters)
from tests.test_rls import org, populate  # noqa: F401  (fixtures)

INTERNAL = [
    "salesflow.gdpr_lead_ref(gen_random_uuid())",
    "salesflow.gdpr_legal_hold_until(gen_random_uuid())",
    "salesflow.gdpr_redact_text('x', ARRAY['x'])",
    "salesflow.gdpr_mentions('x', ARRAY['x'])",
    "salesflow.gdpr_phone_regex('+49 151 1234567')",
    "salesflow.gdpr_information('de')",
    "salesflow.compliance_redact_violations('[]')",
    "salesflow.compliance_unmask('h e i l t')",
    # the learning engine's calibration internals (a rep could read every team's closed leads through them)
    "salesflow.conversion_fold_logits(0, 5)",
    "salesflow.fit_conversion_calibration(0)",
    "salesflow.fit_platt('{0}', '{1}', '{1}')",
    "salesflow.platt_term(0, 1)",
    "salesflow.closed_lead_features()",
    "salesflow.compliance_terms('x', 'de')",
    "salesflow.compliance_score('x', 'de')",
    "salesflow.compliance_rule_hits('x')",
    # any lead's blended DISG profile, without the access check of get_lead_disg
    "salesflow.blend_lead_disg((SELECT id FROM salesflow.leads LIMIT 1))",
    # the per-lead score computations (every lead's scores, or a rewrite of them)
    "salesflow.score_leads(NULL)",
    "salesflow.rank_next_actions(NULL)",
    "salesflow.rescore_leads(NULL)",
    # the drain's steps: claiming the queue, counting (or re-counting) activities, profile recommendations
    "salesflow.claim_dirty_leads(NULL)",
    "salesflow.claim_dirty_leads(NULL, true)",
    "salesflow.count_activities(ARRAY(SELECT id FROM salesflow.lead_activities))",
    "salesflow.recommend_profiling(ARRAY(SELECT id FROM salesflow.leads))",
    # the reply times the drain keeps (a rewrite of everyone's, or of one lead's)
    "salesflow.refresh_activity_answers(ARRAY(SELECT id FROM salesflow.leads))",
    "salesflow.append_activity_answers(ARRAY(SELECT id FROM salesflow.lead_activities), NULL)",
    "salesflow.compliance_log_erasure_seal(repeat('0', 64), 1, NULL, NULL, 'x', 'de', '[]', 'none', 'allowed', 'x', NULL, now(), now())",
]


def test_reps_and_managers_cannot_erase_or_touch_the_erasure_path(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    for kind in ("rep", "manager", "unlinked", "outsider"):
        conn = logins.connect(kind)
        # the erasure itself, for an own, a team and a foreign lead, and the re-erasure
        for lead in (org["lead1"], org["lead2"], org["lead3"]):
            refused(conn, "SELECT salesflow.gdpr_erase(%s, 'Ticket 1')", (lead,))
            refused(conn, "SELECT salesflow.gdpr_erase(%s, 'Ticket 1', true, 'reapply')", (lead,))
        refused(conn, "SELECT * FROM salesflow.gdpr_reapply()")
        # the audit trail: no UPDATE/DELETE, not even the exact redaction
        refused(conn, "UPDATE salesflow.compliance_logs SET content = '', lead_id = NULL, lead_ref = NULL")
        refused(conn, "UPDATE salesflow.compliance_logs SET erased_at = now()")
        refused(conn, "DELETE FROM salesflow.compliance_logs WHERE lead_id = %s", (org["lead1"],))
        # the marker that opens the trigger's exception, the log and the secret
        refused(conn, "INSERT INTO salesflow.gdpr_erasure_in_progress (txid) VALUES (pg_current_xact_id())")
        for table in ("gdpr_log", "gdpr_secret", "gdpr_erasure_in_progress"):
            refused(conn, f"SELECT * FROM salesflow.{table}")
            refused(conn, f"DELETE FROM salesflow.{table}")
            refused(conn, f"TRUNCATE salesflow.{table}")
        refused(conn, "UPDATE salesflow.gdpr_log SET reason = 'x'")
        # the internal helpers (the secret behind the reference above all)
        for call in INTERNAL:
            refused(conn, f"SELECT {call}")
    assert fingerprint(db) == before


def test_exports_follow_visibility(db, org, logins):  # noqa: F811
    rep = logins.connect("rep")  # rep1 (team A)
    assert limited(rep, "SELECT salesflow.gdpr_export(%s) -> 'lead' ->> 'id'", (org["lead1"],))[0][0] == str(org["lead1"])
    for lead in (org["lead2"], org["lead3"]):  # a team mate's and a foreign lead
        refused(rep, "SELECT salesflow.gdpr_export(%s)", (lead,), states=("P0002",))
    mgr = logins.connect("manager")  # team A
    assert limited(mgr, "SELECT salesflow.gdpr_export(%s) IS NOT NULL", (org["lead2"],))[0][0] is True
    refused(mgr, "SELECT salesflow.gdpr_export(%s)", (org["lead3"],), states=("P0002",))
    refused(logins.connect("unlinked"), "SELECT salesflow.gdpr_export(%s)", (org["lead1"],))
    # looking a person up by e-mail finds only visible leads
    db.execute("UPDATE salesflow.leads SET email = 'same@example.org'")
    assert limited(rep, "SELECT count(*) FROM salesflow.gdpr_find_leads(p_email => 'same@example.org')")[0][0] == 1
    assert limited(mgr, "SELECT count(*) FROM salesflow.gdpr_find_leads(p_email => 'same@example.org')")[0][0] == 2
    # and the log records each export with who asked, readable by nobody but the owner
    rows = db.execute("SELECT actor_id, actor_role FROM salesflow.gdpr_log WHERE action = 'export' ORDER BY id").fetchall()
    assert rows == [(org["rep1"], "rep"), (org["mgr_a"], "manager")]


def test_admin_login_erases_and_the_owner_cannot_bend_the_exception(db, org, logins):  # noqa: F811
    admin = logins.connect("admin")
    refused(admin, "SELECT salesflow.gdpr_erase(%s, %s)", (org["lead1"], f"request by Lead of {org['rep1']}"), states=("22023",))
    res = limited(admin, "SELECT salesflow.gdpr_erase(%s, 'Ticket 9')", (org["lead1"],))[0][0]
    assert res["counts"]["compliance_logs_redacted"] == 1
    assert db.execute("SELECT count(*) FROM salesflow.leads WHERE id = %s", (org["lead1"],)).fetchone()[0] == 0
    assert db.execute("SELECT actor_id FROM salesflow.gdpr_log WHERE action = 'erase'").fetchone()[0] == org["admin"]
    # outside gdpr_erase the owner is refused too; inside a faked marker only the exact redaction passes
    refused(db, "UPDATE salesflow.compliance_logs SET content = '' WHERE lead_id = %s", (org["lead2"],))
    with db.transaction():
        db.execute("INSERT INTO salesflow.gdpr_erasure_in_progress (txid) VALUES (pg_current_xact_id())")
        refused(db, "UPDATE salesflow.compliance_logs SET decision = 'allowed', erased_at = now(), erasure_seal = repeat('0', 64) "
                    "WHERE lead_id = %s", (org["lead2"],))
        refused(db, "UPDATE salesflow.compliance_logs SET erased_at = NULL, erasure_seal = NULL WHERE erased_at IS NOT NULL")
        refused(db, "DELETE FROM salesflow.compliance_logs WHERE erased_at IS NOT NULL")
        db.execute("DELETE FROM salesflow.gdpr_erasure_in_progress")
