"""DSGVO export and erasure (issue 14 items 1-3, 6, 7): the proof that an erased person leaves no
trace in any salesflow table while the audit chain stays intact, plus bad input and roles."""

from __future__ import annotations

import json

import psycopg
import pytest
from typer.testing import CliRunner

from salesflow_cli.main import cli
from tests.factories import acting_as, add_activity, make_lead, make_team, make_user

NAME, EMAIL, PHONE, EXT = "Greta Vogelsang", "greta.vogelsang@example.de", "+49 151 99887766", "crm-4711-gv"
OTHER = ("Otto Quast", "otto.quast@example.at", "+43 664 5551234", "crm-0815-oq")


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def lead_tables(db) -> list[str]:
    """Every salesflow table with a lead_id column (from the catalog: a future table is included)."""
    return [r[0] for r in db.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'lead_id' "
        "AND NOT a.attisdropped WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind = 'r' ORDER BY 1")]


def has_vector(db) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'salesflow.lead_embeddings'::regclass "
                      "AND attname = 'embedding' AND NOT attisdropped)").fetchone()[0]


def import_lead(db, rep, person, file_name) -> str:
    """The lead arrives through the SQL import route (origin import, external id, import batch)."""
    name, email, phone, ext = person
    db.autocommit = False
    try:
        db.execute("SELECT salesflow.begin_import('leads', 'hubspot', %s)", (file_name,))
        with db.cursor().copy("COPY salesflow.staged_leads (external_id, name, email, phone, stage) FROM STDIN") as cp:
            cp.write_row((ext, name, email, phone, "lead"))
        db.execute("SELECT * FROM salesflow.import_leads(p_default_owner => %s)", (rep,))
        db.execute("SELECT salesflow.finish_import()")
        db.commit()
    finally:
        db.rollback()
        db.autocommit = True
    return str(db.execute("SELECT id FROM salesflow.leads WHERE external_id = %s", (ext,)).fetchone()[0])


def leftover_staging(db, lead, person) -> None:
    """Rows a DBA staged and committed without finishing the import (they name the person)."""
    name, email, phone, ext = person
    db.autocommit = False
    try:
        db.execute("SELECT salesflow.begin_import('leads', 'hubspot', 'nachtrag.csv', 'skip_invalid')")
        db.execute("INSERT INTO salesflow.staged_leads (external_id, name, email, phone, country) VALUES (%s, %s, %s, %s, %s)",
                   (ext + "-x", name, email, phone, f"{name} Land"))
        db.execute("SELECT * FROM salesflow.import_leads()")  # the bad country lands in import_rejects
        db.commit()
        db.execute("SELECT salesflow.begin_import('leads', 'hubspot', 'nachtrag2.csv')")
        db.execute("INSERT INTO salesflow.staged_leads (external_id, name, email, phone) VALUES (%s, %s, %s, %s)",
                   (ext + "-y", name, email, phone))
        db.commit()
        db.execute("SELECT salesflow.begin_import('activities', 'generic')")
        db.execute("INSERT INTO salesflow.staged_activities (lead_id, lead_email, channel, direction, body) "
                   "VALUES (%s, %s, 'email', 'in', %s)", (lead, email, f"Gruß, {name}"))
        db.commit()
    finally:
        db.rollback()
        db.autocommit = True


def fill(db, rep, person, file_name) -> str:
    """One row (at least) in every table about the lead, written through the public functions."""
    name, email, phone, ext = person
    lead = import_lead(db, rep, person, file_name)
    with acting_as(db, rep):
        add_activity(db, lead, rep, direction="out", channel="whatsapp", body=f"Hallo {name}, hier ist das Angebot.")
        add_activity(db, lead, rep, direction="in", channel="whatsapp", body=f"Danke! Ruf mich an: {phone}")
        add_activity(db, lead, rep, direction="in", channel="email", body=f"Meine Adresse ist {email}, super spannend!!")
        db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, note) VALUES (%s, %s, now() + interval '1 day', %s)",
                   (lead, rep, f"{name} zurückrufen"))
        db.execute("UPDATE salesflow.leads SET stage = 'contacted' WHERE id = %s", (lead,))
        db.execute("SELECT * FROM salesflow.assess_bant(%s, 3, 4, 8, 6, %s::jsonb, 'manual')",
                   (lead, json.dumps({"need": f"{name} braucht es bis Mai"})))
        db.execute("SELECT * FROM salesflow.record_personality_profile(%s, 70, 20, 10, 30, 'ai', 0.6, %s::jsonb, 'test-model')",
                   (lead, json.dumps([f"{name}: 'Ich will Ergebnisse'"])))
        db.execute("SELECT salesflow.update_lead_memory(%s, %s, %s::jsonb, %s::jsonb)",
                   (lead, f"{name} ({email}, {phone}) sucht Hautpflege.", json.dumps({"kontakt": phone}),
                    json.dumps([f"{name} hat wenig Zeit"])))
        if has_vector(db):
            dims = 3
            db.execute("SELECT salesflow.store_lead_embedding(%s, 'summary', %s, 'test-embed', %s::vector)",
                       (lead, f"{name} sucht Hautpflege", "[" + ",".join(["0.5"] * dims) + "]"))
        db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', %s, %s)",
                   (lead, f"{name} anrufen", f"{name} hat geantwortet"))
        key = db.execute("SELECT key FROM salesflow.playbooks ORDER BY key LIMIT 1").fetchone()[0]
        db.execute("SELECT salesflow.start_playbook(%s, %s)", (lead, key))
        db.execute("SELECT * FROM salesflow.log_ai_output_compliance(%s, 'script', %s, 'de', 'test-model', %s::jsonb)",
                   (f"Hallo {name}, mit uns verdienst du garantiert 5000 Euro im Monat! Ruf an: {phone}", lead,
                    json.dumps([{"category": "income_claim", "severity": "high", "matched": f"{name} 5000 Euro",
                                 "explanation": f"an {email}"}])))
        db.execute("SELECT salesflow.record_coaching_turn(NULL, %s, %s, 'de', %s, %s, 'test-model', 10, 20, 100)",
                   (rep, lead, f"Wie überzeuge ich {name}?", f"Ruf {name.split()[0]} unter {phone} an."))
        db.execute("SELECT salesflow.record_ai_call('script', %s, %s, 'test-model', 'script', 'v1', 10, 20, 100, 'error', %s, %s)",
                   (lead, rep, f"provider refused text for {name}", "ab" * 16))
        db.execute("SELECT salesflow.gdpr_export(%s)", (lead,))  # the access log (gdpr_log)
        db.execute("SELECT salesflow.record_consent(%s, true, 'cli', %s)", (lead, f"{name} willigt per WhatsApp ein"))
    # a restriction and its lifting (admin operations: as the owner here), so restriction_events has rows
    db.execute("SELECT * FROM salesflow.restrict_lead(%s, 'Art. 18 request, ticket 7')", (lead,))
    db.execute("SELECT * FROM salesflow.unrestrict_lead(%s, 'ticket 7 closed')", (lead,))
    leftover_staging(db, lead, person)
    return lead


@pytest.fixture
def world(db):
    team = make_team(db, "Team West")
    w = {"team": team, "rep": make_user(db, team, "rep", name="rita"), "rep2": make_user(db, team, "rep", name="rolf"),
         "mgr": make_user(db, team, "manager", name="mara"), "admin": make_user(db, None, "admin", name="adam")}
    w["lead"] = fill(db, w["rep"], (NAME, EMAIL, PHONE, EXT), f"kontakte {NAME}.csv")
    w["other"] = fill(db, w["rep2"], OTHER, "kontakte.csv")
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    # as after a write since the refresh: the lead waits in the dirty-lead queue (a table with its lead_id)
    db.execute("INSERT INTO salesflow.dirty_leads (lead_id) VALUES (%s)", (w["lead"],))
    return w


def terms(lead: str) -> list[str]:
    return [NAME, EMAIL, PHONE, "+4915199887766", "4915199887766", lead, lead.replace("-", ""), EXT]


def hits(db, needles: list[str]) -> list[tuple[str, str, str]]:
    """Every (relation, column, needle) where a column of any salesflow table or materialized view,
    cast to text (text, name, jsonb, arrays, uuid, ... all of them), contains a needle."""
    cols = db.execute(
        "SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
        "WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind IN ('r', 'm') AND a.attnum > 0 "
        "AND NOT a.attisdropped ORDER BY 1, 2").fetchall()
    found = []
    for rel, col in cols:
        for n in needles:
            if db.execute(psycopg.sql.SQL("SELECT EXISTS (SELECT 1 FROM salesflow.{} AS x WHERE strpos(lower(x.{}::text), lower(%s)) > 0)")
                          .format(psycopg.sql.Identifier(rel), psycopg.sql.Identifier(col)), (n,)).fetchone()[0]:
                found.append((rel, col, n))
    return found


def about(db, lead: str) -> dict[str, str]:
    """The rows of every lead table that belong to one lead, plus its leads row (for 'untouched')."""
    out = {t: str(db.execute(psycopg.sql.SQL("SELECT array_agg(x::text ORDER BY x::text) FROM salesflow.{} AS x "
                                             "WHERE x.lead_id::text = %s").format(psycopg.sql.Identifier(t)),
                             (lead,)).fetchone()[0]) for t in lead_tables(db)}
    out["leads"] = str(db.execute("SELECT x::text FROM salesflow.leads AS x WHERE id = %s", (lead,)).fetchone())
    return out


def test_erasure_leaves_no_trace_and_the_audit_chain_holds(db, dsn, world):
    lead, other = world["lead"], world["other"]
    # the fill reached every table that has a lead_id (a new table needs a line in fill())
    empty = [t for t in lead_tables(db)
             if not db.execute(psycopg.sql.SQL("SELECT count(*) FROM salesflow.{} WHERE lead_id::text = %s")
                               .format(psycopg.sql.Identifier(t)), (lead,)).fetchone()[0]]
    assert empty == ([] if has_vector(db) else ["lead_embeddings"])
    assert hits(db, terms(lead))  # the search finds the person before
    log = db.execute("SELECT id, content_type, max_severity, decision, checker, created_at, user_id, row_hash "
                     "FROM salesflow.compliance_logs WHERE lead_id = %s", (lead,)).fetchone()
    before_other = about(db, other)
    head_before = db.execute("SELECT * FROM salesflow.verify_audit_chain()").fetchone()
    assert head_before[0] is True

    result = run("gdpr", "erase", "--email", EMAIL.upper(), "--reason", "Art. 17 Antrag vom 2026-12-01, Ticket 4711",
                 "--user", "adam", "--dsn", dsn, "--json")
    assert result.exit_code == 0, result.output
    res = json.loads(result.output)
    counts = res["counts"]
    assert counts["leads"] == 1 and counts["lead_activities"] == 3 and counts["compliance_logs_redacted"] == 1
    assert counts["ai_coaching_sessions_redacted"] == 1 and counts["ai_calls_anonymised"] == 1
    assert counts["staged_leads"] == 1 and counts["staged_activities"] == 1 and counts["import_rejects"] >= 1
    assert counts["import_batches_file_name_removed"] == 1 and counts["gdpr_log_exports_pseudonymised"] == 1

    # zero hits for name, e-mail, phone (as stored and digits), uuid (with and without dashes), external id
    assert hits(db, terms(lead)) == []
    # the kept audit fields
    kept = db.execute("SELECT id, content_type, max_severity, decision, checker, created_at, user_id, row_hash, content, "
                      "lead_id, lead_ref, violations, erased_at FROM salesflow.compliance_logs WHERE id = %s", (log[0],)).fetchone()
    assert kept[:8] == log and kept[8] == "" and kept[9] is None and kept[10] is None and kept[12] is not None
    assert {"category": "income_claim", "severity": "high", "rule_key": "llm_income_claim"} in kept[11]
    assert all(set(v) <= {"category", "severity", "rule_key"} for v in kept[11])
    # the coaching session stays for the rep, redacted; the AI call keeps its tokens
    msgs = db.execute("SELECT messages::text FROM salesflow.ai_coaching_sessions WHERE user_id = %s", (world["rep"],)).fetchone()[0]
    assert "[erased]" in msgs and "Greta" not in msgs
    assert db.execute("SELECT total_tokens FROM salesflow.ai_calls WHERE user_id = %s", (world["rep"],)).fetchone()[0] == 30
    # the other lead is untouched, the chain is intact and its earlier head still anchors it
    assert about(db, other) == before_other
    chain = db.execute("SELECT ok, reason FROM salesflow.verify_audit_chain(%s, %s)", (head_before[4], head_before[5])).fetchone()
    assert chain == (True, None)
    assert run("audit", "verify", "--dsn", dsn).exit_code == 0
    # the erasure log: who, when, why, counts and the keyed reference — nothing about the person
    row = db.execute("SELECT action, lead_id, lead_ref, reason, counts, actor_id, override_retention FROM salesflow.gdpr_log "
                     "WHERE action = 'erase'").fetchone()
    assert row[0] == "erase" and row[1] is None and row[2] == res["lead_ref"] and row[5] == world["admin"] and row[6] is False
    assert row[4] == counts and row[2] != db.execute("SELECT salesflow.compliance_lead_ref(%s)", (lead,)).fetchone()[0]

    # a restore from a backup brings the person back: reapply erases them again
    db.execute("INSERT INTO salesflow.leads (id, user_id, name, email, phone) VALUES (%s, %s, %s, %s, %s)",
               (lead, world["rep"], NAME, EMAIL, PHONE))
    add_activity(db, lead, world["rep"], body=f"Hallo, hier {NAME}")
    result = run("gdpr", "reapply", "--dsn", dsn)
    assert result.exit_code == 0, result.output
    assert "1 lead(s) erased again" in result.output
    assert hits(db, terms(lead)) == []
    assert about(db, other) == before_other
    assert db.execute("SELECT count(*) FROM salesflow.gdpr_log WHERE action = 'reapply'").fetchone()[0] == 1
    assert db.execute("SELECT ok FROM salesflow.verify_audit_chain()").fetchone()[0] is True


def test_a_tampered_erased_row_breaks_the_chain(db, world):
    lead = world["lead"]
    log_id = db.execute("SELECT id FROM salesflow.compliance_logs WHERE lead_id = %s", (lead,)).fetchone()[0]
    db.execute("SELECT salesflow.gdpr_erase(%s, 'Ticket 1')", (lead,))
    db.execute("ALTER TABLE salesflow.compliance_logs DISABLE TRIGGER compliance_logs_append_only")
    db.execute("UPDATE salesflow.compliance_logs SET decision = 'allowed' WHERE id = %s", (log_id,))
    db.execute("ALTER TABLE salesflow.compliance_logs ENABLE TRIGGER compliance_logs_append_only")
    ok, _rows, broken, reason, *_ = db.execute("SELECT * FROM salesflow.verify_audit_chain()").fetchone()
    assert ok is False and broken == log_id and "erasure_seal" in reason


def test_export_has_every_table_and_the_information(db, dsn, world):
    lead = world["lead"]
    result = run("gdpr", "export", "--phone", "0049 151 9988 7766".replace("0049", "+49"), "--user", "rita", "--dsn", dsn)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["lead"]["id"] == lead and doc["lead"]["email"] == EMAIL
    assert set(lead_tables(db)) <= set(doc["tables"])  # every table with a lead_id, from the catalog
    assert len(doc["tables"]["lead_activities"]) == 3 and len(doc["tables"]["compliance_logs"]) == 1
    assert all("embedding" not in r for r in doc["tables"]["lead_embeddings"])
    assert doc["tables"]["ai_coaching_sessions"] and doc["tables"]["gdpr_log"]
    assert doc["import_origin"]["external_id"] == EXT and doc["import_origin"]["import_batch"]["source_system"] == "hubspot"
    info = doc["information"]
    assert {"purposes", "categories", "recipients", "storage", "source", "logic"} <= set(info)
    assert "Naive-Bayes" in info["logic"]["win_probability"] and "35 %" in info["logic"]["health_score"]
    assert "predicted_conversion" in doc["current_assessment"]
    # logged: who and which lead (two exports now: the one in fill() and this one)
    rows = db.execute("SELECT actor_id, actor_role FROM salesflow.gdpr_log WHERE action = 'export' AND lead_id = %s", (lead,)).fetchall()
    assert len(rows) == 2 and rows[-1] == (world["rep"], "rep")
    # English for an English lead; -o FILE
    db.execute("UPDATE salesflow.leads SET language = 'en' WHERE id = %s", (lead,))
    out = dsn and __import__("pathlib").Path(db.info.dbname + "-export.json")
    try:
        result = run("gdpr", "export", lead, "--user", "mara", "-o", out, "--dsn", dsn)
        assert result.exit_code == 0, result.output
        assert "naive Bayes" in json.loads(out.read_text())["information"]["logic"]["win_probability"]
    finally:
        out.unlink(missing_ok=True)


def test_bad_input_exits_2_and_erases_nothing(db, dsn, world):
    before = about(db, world["lead"])
    twin = make_lead(db, world["rep2"], "Greta V.", email=EMAIL)  # a second lead with the same e-mail
    cases = [
        (("gdpr", "erase", "--email", EMAIL, "--reason", "Ticket 2"), "matches 2 leads"),
        (("gdpr", "erase", "--email", "nobody@example.org", "--reason", "Ticket 2"), "no lead you may see"),
        (("gdpr", "erase", "00000000-0000-0000-0000-000000000000", "--reason", "Ticket 2"), "not found"),
        (("gdpr", "erase", "--email", EMAIL), "--reason is required"),
        (("gdpr", "erase", world["lead"], "--reason", f"Anfrage von {NAME}"), "names the person"),
        (("gdpr", "erase", world["lead"], "--email", EMAIL, "--reason", "x"), "exactly one way"),
        (("gdpr", "export", "--phone", "12"), "fewer than 4 digits"),
        (("gdpr", "export", "not-a-uuid"), "not found or not visible"),  # LEAD may be a name (issue 12)
    ]
    for args, text in cases:
        result = run(*args, "--dsn", dsn)
        assert result.exit_code == 2, (args, result.output)
        assert text in result.output, (args, result.output)
    listed = run("gdpr", "export", "--email", EMAIL, "--dsn", dsn)
    assert listed.exit_code == 2 and world["lead"] in listed.output and str(twin) in listed.output
    assert about(db, world["lead"]) == before
    assert db.execute("SELECT count(*) FROM salesflow.gdpr_log WHERE action = 'erase'").fetchone()[0] == 0


def test_roles(db, dsn, world):
    lead = world["lead"]
    for who in ("rita", "mara"):  # the owning rep and the team manager may not erase
        result = run("gdpr", "erase", lead, "--reason", "Ticket 3", "--user", who, "--dsn", dsn)
        assert result.exit_code == 2 and "42501" in result.output, result.output
    with acting_as(db, world["rep2"]):
        with pytest.raises(psycopg.errors.NoDataFound):  # another rep's lead: P0002
            db.execute("SELECT salesflow.gdpr_export(%s)", (lead,))
    db.rollback() if not db.autocommit else None
    with acting_as(db, world["rep2"]):
        assert db.execute("SELECT count(*) FROM salesflow.gdpr_find_leads(p_email => %s)", (EMAIL,)).fetchone()[0] == 0
    with acting_as(db, world["mgr"], "salesflow_manager"):
        assert db.execute("SELECT salesflow.gdpr_export(%s) -> 'lead' ->> 'id'", (lead,)).fetchone()[0] == lead
    assert db.execute("SELECT count(*) FROM salesflow.leads WHERE id = %s", (lead,)).fetchone()[0] == 1


def test_legal_hold_hook_refuses_without_override(db, world):
    db.execute("CREATE OR REPLACE FUNCTION salesflow.gdpr_legal_hold_until(p_lead_id uuid) RETURNS timestamptz "
               "LANGUAGE sql STABLE AS $$ SELECT now() + interval '6 years' $$")
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
        db.execute("SELECT salesflow.gdpr_erase(%s, 'Ticket 5')", (world["lead"],))
    res = db.execute("SELECT salesflow.gdpr_erase(%s, 'Ticket 5: court order', true)", (world["lead"],)).fetchone()[0]
    assert res["override_retention"] is True
    assert db.execute("SELECT reason, override_retention FROM salesflow.gdpr_log WHERE action = 'erase'").fetchone() == (
        "Ticket 5: court order", True)


def test_another_leads_rows_that_name_the_person_keep_their_link(db, world):
    third = make_lead(db, world["rep2"], "Bernd Kraus", email="bernd@example.org")
    with acting_as(db, world["rep2"]):
        log_id = db.execute("SELECT log_id FROM salesflow.log_ai_output_compliance(%s, 'script', %s, 'de')",
                            (f"Hallo Bernd, {NAME} hat dich empfohlen.", third)).fetchone()[0]
        session = db.execute("SELECT salesflow.record_coaching_turn(NULL, %s, %s, 'de', %s, 'Frag nach.')",
                             (world["rep2"], third, f"Bernd kennt {NAME} ({PHONE})")).fetchone()[0]
    db.execute("SELECT salesflow.gdpr_erase(%s, 'Ticket 6')", (world["lead"],))
    row = db.execute("SELECT lead_id, lead_ref IS NOT NULL, content, erased_at IS NOT NULL FROM salesflow.compliance_logs "
                     "WHERE id = %s", (log_id,)).fetchone()
    assert row == (third, True, "", True)
    lead_id, msgs = db.execute("SELECT lead_id, messages::text FROM salesflow.ai_coaching_sessions WHERE id = %s", (session,)).fetchone()
    assert lead_id == third and NAME not in msgs and "Bernd kennt [erased] ([erased])" in msgs
    assert hits(db, terms(world["lead"])) == []
    assert db.execute("SELECT ok FROM salesflow.verify_audit_chain()").fetchone()[0] is True
