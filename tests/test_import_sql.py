"""The SQL import route a DBA uses from psql: begin_import, COPY into staged_*, import_*,
list_import_rejects, finish_import — validation, normalisation, idempotency, all-or-nothing,
and who may import what."""

from __future__ import annotations

import psycopg
import pytest

from tests.factories import acting_as, make_lead, make_team, make_user

LEAD_COLS = ("external_id", "name", "email", "phone", "owner", "stage", "source", "industry", "country",
             "deal_value", "created_at")


def stage(conn, table: str, cols, rows) -> None:
    with conn.cursor().copy(f"COPY salesflow.{table} ({', '.join(cols)}) FROM STDIN") as cp:
        for r in rows:
            cp.write_row(r)


def run_leads(conn, rows, system="hubspot", mode="all", cols=LEAD_COLS, **kw):
    """One import transaction as the DBA would type it; returns (counts, rejects, committed?)."""
    conn.autocommit = False
    try:
        conn.execute("SELECT salesflow.begin_import('leads', %s, 'contacts.csv', %s)", (system, mode))
        stage(conn, "staged_leads", cols, rows)
        args = ", ".join(f"p_{k} => %({k})s" for k in kw)
        counts = conn.execute(f"SELECT * FROM salesflow.import_leads({args})", kw).fetchone()
        rejects = conn.execute("SELECT line, field, value, reason FROM salesflow.list_import_rejects()").fetchall()
        conn.execute("SELECT salesflow.finish_import()")
        conn.commit()
        return counts, rejects
    finally:
        conn.rollback()
        conn.autocommit = True


@pytest.fixture
def team(db):
    t = make_team(db, "Team Süd")
    rep = make_user(db, t, "rep", name="anna")
    other = make_user(db, t, "rep", name="ben")
    return {"team": t, "rep": rep, "other": other}


def good_rows():
    return [
        ("101", "Jana Krüger", "Jana.Krueger@Example.DE ", "+49 151 2345-678", "anna@example.org", "Lead", "Instagram",
         "Fitness & Health", "Deutschland", "1200.50", "2025-11-03 09:15"),
        ("102", "Tom Berger", "tom@example.at", "0043 664 1234567", "", "customer", "Referral", "Coaching", "AT", "", ""),
    ]


def test_leads_are_normalised_and_idempotent(db, team):
    counts, rejects = run_leads(db, good_rows(), default_owner=str(team["other"]))
    assert rejects == []
    assert counts == (2, 0, 0, 0)
    jana = db.execute("SELECT email, phone, source, industry, country, language, timezone, stage, deal_value, "
                      "user_id, origin, external_system, external_id, created_at AT TIME ZONE 'UTC' "
                      "FROM salesflow.leads WHERE external_id = '101'").fetchone()
    assert jana[:9] == ("jana.krueger@example.de", "+491512345678", "instagram", "fitness_health", "DE", "de",
                        "Europe/Berlin", "new", 1200.50)
    assert jana[9] == team["rep"] and jana[10:13] == ("import", "hubspot", "101")
    assert str(jana[13]) == "2025-11-03 08:15:00"  # 09:15 in Berlin (CET)
    tom = db.execute("SELECT user_id, stage, country, timezone, phone FROM salesflow.leads WHERE external_id = '102'").fetchone()
    assert tom == (team["other"], "won", "AT", "Europe/Vienna", "+436641234567")

    again, rejects = run_leads(db, good_rows(), default_owner=str(team["other"]))
    assert (again, rejects) == ((0, 0, 2, 0), [])
    assert db.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 2

    newer = good_rows()
    newer[1] = newer[1][:5] + ("customer", "Referral", "Coaching", "AT", "5000", "")
    counts, _ = run_leads(db, newer, default_owner=str(team["other"]))
    assert counts == (0, 1, 1, 0)
    assert db.execute("SELECT deal_value FROM salesflow.leads WHERE external_id = '102'").fetchone()[0] == 5000


def test_every_bad_row_is_reported_and_nothing_is_written(db, team):
    rows = good_rows() + [
        ("103", "", "x@example.de", "", "anna@example.org", "", "", "", "", "", ""),
        ("104", "Eva", "not-an-email", "12", "nobody@example.org", "Frozen", "", "", "Atlantis", "12,5", "31.12.2025"),
        ("101", "Jana again", "", "", "anna@example.org", "", "", "", "", "", ""),
    ]
    counts, rejects = run_leads(db, rows)
    assert counts[3] == 4  # line 3 (Tom) has no owner and no default was given
    by = {(r[0], r[1]): r for r in rejects}
    assert by[(3, "owner")][3] == "no owner: pass a default owner (--owner)"
    assert (4, "name") in by
    assert by[(5, "email")][2] == "not-an-email"
    assert {(5, f) for f in ("phone", "owner", "stage", "country", "deal_value", "created_at")} <= set(by)
    assert "Frozen" in by[(5, "stage")][2] and "--stage-map" in by[(5, "stage")][3]
    assert by[(6, "external_id")][3] == "the same lead is already on line 2"
    assert db.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 0


def test_skip_invalid_writes_the_good_rows_and_dry_run_nothing(db, team):
    rows = good_rows() + [("103", "", "", "", "anna@example.org", "", "", "", "", "", "")]
    counts, _ = run_leads(db, rows, mode="dry_run", default_owner=str(team["other"]))
    assert counts == (2, 0, 0, 1)
    assert db.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 0
    counts, rejects = run_leads(db, rows, mode="skip_invalid", default_owner=str(team["other"]))
    assert counts == (2, 0, 0, 1) and [r[:2] for r in rejects] == [(4, "name")]
    assert db.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 2


def test_stage_map_override_and_lead_status_vs_lifecycle(db, team):
    cols = ("external_id", "name", "owner", "stage", "stage_fallback")
    rows = [("1", "A", "anna", "CONNECTED", "lead"), ("2", "B", "anna", "", "customer"),
            ("3", "C", "anna", "IN_PROGRESS", "customer"), ("4", "D", "anna", "Warm", "")]
    counts, rejects = run_leads(db, rows, cols=cols, stage_map='{"Warm": "replied"}')
    assert rejects == [] and counts[0] == 4
    got = dict(db.execute("SELECT external_id, stage FROM salesflow.leads").fetchall())
    assert got == {"1": "replied", "2": "won", "3": "won", "4": "replied"}


def test_without_external_id_the_email_is_the_key(db, team):
    cols = ("name", "email", "owner")
    rows = [("Lisa", "lisa@example.de", "anna"), ("Mark", "", "anna")]
    counts, rejects = run_leads(db, rows, system="generic", cols=cols)
    assert [r[:2] for r in rejects] == [(3, "external_id")]
    counts, rejects = run_leads(db, rows[:1], system="generic", cols=cols)
    assert counts == (1, 0, 0, 0)
    counts, _ = run_leads(db, rows[:1], system="generic", cols=cols)
    assert counts == (0, 0, 1, 0)


def test_a_rep_imports_only_for_themselves_and_cannot_touch_hidden_leads(db, team):
    outsider_team = make_team(db, "Team Ost")
    outsider = make_user(db, outsider_team, "rep", name="carl")
    hidden = make_lead(db, outsider, "Hidden Person", external_system="hubspot", external_id="900", origin="import")
    with acting_as(db, team["rep"]):
        counts, rejects = run_leads(db, [("900", "Overwrite", "", "", "", "", "", "", "", "", ""),
                                         ("901", "Mine", "", "", "", "", "", "", "", "", ""),
                                         ("902", "For Carl", "", "", "carl@example.org", "", "", "", "", "", "")])
        assert {(r[0], r[1], r[3]) for r in rejects} == {
            (2, "external_id", "belongs to a lead you may not see"),
            (4, "owner", "no salesflow user you may see has this e-mail or name (CRM owner ids: --owner-map ID=E-MAIL)"),
        }
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("SELECT * FROM salesflow.staged_leads")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("INSERT INTO salesflow.staged_leads (batch_id, name) VALUES (gen_random_uuid(), 'x')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("UPDATE salesflow.leads SET origin = 'seed'")
    assert db.execute("SELECT name FROM salesflow.leads WHERE id = %s", (hidden,)).fetchone()[0] == "Hidden Person"
    with acting_as(db, team["rep"]):
        counts, rejects = run_leads(db, [("901", "Mine", "", "", "", "", "", "", "", "", "")])
    assert rejects == [] and counts[0] == 1
    assert db.execute("SELECT user_id FROM salesflow.leads WHERE external_id = '901'").fetchone()[0] == team["rep"]


def test_import_functions_refuse_without_an_open_batch_of_the_caller(db, team):
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="no import is open"):
        db.execute("SELECT * FROM salesflow.import_leads()")
    db.autocommit = False
    try:
        batch = db.execute("SELECT salesflow.begin_import('leads', 'hubspot')").fetchone()[0]
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="leads import, not activities"):
            db.execute("SELECT * FROM salesflow.import_activities()")
    finally:
        db.rollback()
    db.autocommit = True
    # another identity naming that batch gets nothing (the GUC is settable, the row decides)
    db.autocommit = False
    try:
        db.execute("SELECT salesflow.begin_import('leads', 'hubspot')")
        stage(db, "staged_leads", ("name", "owner"), [("Victim Lead", "anna")])
        batch = db.execute("SELECT current_setting('salesflow.import_batch')").fetchone()[0]
        db.execute("SET LOCAL ROLE salesflow_rep")
        db.execute("SELECT set_config('salesflow.user_id', %s, true), set_config('salesflow.import_batch', %s, true)",
                   (str(team["other"]), batch))
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState):
            db.execute("SELECT * FROM salesflow.import_leads()")
    finally:
        db.rollback()
        db.autocommit = True
    with acting_as(db, team["rep"]):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="admin operation"):
            db.execute("SELECT salesflow.begin_import('users', 'generic')")


def test_bad_arguments_are_clear(db, team):
    for call, pattern in [
        ("SELECT salesflow.begin_import('contacts')", "not an import kind"),
        ("SELECT salesflow.begin_import('leads', 'Hub Spot')", "not a source system name"),
        ("SELECT salesflow.begin_import('leads', 'hubspot', NULL, 'maybe')", "not an import mode"),
    ]:
        with pytest.raises(psycopg.errors.InvalidParameterValue, match=pattern):
            db.execute(call)
    db.autocommit = False
    try:
        db.execute("SELECT salesflow.begin_import('leads')")
        with pytest.raises(psycopg.errors.InvalidParameterValue, match="p_stage_map must be a JSON object"):
            db.execute("SELECT * FROM salesflow.import_leads(p_stage_map => '[1]')")
    finally:
        db.rollback()
        db.autocommit = True


ACT_COLS = ("lead_external_id", "lead_email", "lead_phone", "channel", "direction", "kind", "occurred_at", "subject", "body")


def run_activities(conn, rows, system="hubspot", mode="all"):
    conn.autocommit = False
    try:
        conn.execute("SELECT salesflow.begin_import('activities', %s, 'log.csv', %s)", (system, mode))
        stage(conn, "staged_activities", ACT_COLS, rows)
        counts = conn.execute("SELECT * FROM salesflow.import_activities()").fetchone()
        rejects = conn.execute("SELECT line, field, value, reason FROM salesflow.list_import_rejects()").fetchall()
        conn.execute("SELECT salesflow.finish_import()")
        conn.commit()
        return counts, rejects
    finally:
        conn.rollback()
        conn.autocommit = True


def test_activities_find_their_lead_learn_and_are_idempotent(db, team):
    run_leads(db, good_rows(), default_owner=str(team["other"]))
    rows = [
        ("101", "", "", "e-mail", "outbound", "", "2025-11-04 10:00", "Angebot", "Hallo Jana, anbei das Angebot."),
        ("", "JANA.krueger@example.de", "", "E-Mail", "inbound", "", "2025-11-04 12:30", "", "Danke, klingt gut!"),
        ("", "", "+43 664 1234567", "Telefon", "out", "", "2025-11-05T16:00:00+01:00", "", "Rückruf"),
        ("", "", "", "email", "in", "", "2025-11-05 10:00", "", "wer bin ich?"),
        ("101", "", "", "fax", "sideways", "", "gestern", "", ""),
    ]
    counts, rejects = run_activities(db, rows)
    assert counts == (3, 0, 2)
    assert {(r[0], r[1]) for r in rejects} == {(5, "lead"), (6, "channel"), (6, "direction"), (6, "occurred_at")}
    assert db.execute("SELECT count(*) FROM salesflow.lead_activities").fetchone()[0] == 0  # all-or-nothing
    counts, _ = run_activities(db, rows[:3])
    assert counts == (3, 0, 0)
    got = db.execute("SELECT a.channel, a.direction, a.kind, a.occurred_at AT TIME ZONE 'UTC', a.body, a.fingerprint IS NOT NULL "
                     "FROM salesflow.lead_activities AS a ORDER BY a.occurred_at").fetchall()
    assert [g[:3] for g in got] == [("email", "out", "message"), ("email", "in", "message"), ("phone", "out", "call")]
    assert str(got[0][3]) == "2025-11-04 09:00:00" and got[0][4] == "Angebot\nHallo Jana, anbei das Angebot."
    assert str(got[2][3]) == "2025-11-05 15:00:00"
    engagement = db.execute("SELECT e.reply_count FROM salesflow.lead_engagement AS e JOIN salesflow.leads AS l "
                            "ON l.id = e.lead_id WHERE l.external_id = '101'").fetchone()
    assert engagement is not None and engagement[0] >= 1
    counts, _ = run_activities(db, rows[:3])
    assert counts == (0, 3, 0)
    assert db.execute("SELECT count(*) FROM salesflow.lead_activities").fetchone()[0] == 3


def test_repeated_identical_messages_stay_two(db, team):
    run_leads(db, good_rows(), default_owner=str(team["other"]))
    rows = [("101", "", "", "whatsapp", "in", "", "2025-11-04 10:00", "", "ok")] * 2
    assert run_activities(db, rows)[0] == (2, 0, 0)
    assert run_activities(db, rows)[0] == (0, 2, 0)


def test_users_file_creates_teams_and_users(db, team):
    cols = ("email", "display_name", "role", "team", "language", "timezone")
    rows = [("Lea@Example.de", "Lea Wolf", "Teamleiterin", "Team West", "Deutsch", "Europe/Berlin"),
            ("max@example.de", "Max Graf", "Berater", "team west", "", ""),
            ("anna@example.org", "Anna B.", "rep", "Team Süd", "en", "Europe/London"),
            ("bad", "", "boss", "", "fr", "Mars/Base")]
    db.autocommit = False
    try:
        db.execute("SELECT salesflow.begin_import('users', 'generic', 'team.csv', 'skip_invalid')")
        stage(db, "staged_users", cols, rows)
        counts = db.execute("SELECT * FROM salesflow.import_users()").fetchone()
        rejects = db.execute("SELECT line, field FROM salesflow.list_import_rejects()").fetchall()
        db.execute("SELECT salesflow.finish_import()")
        db.commit()
    finally:
        db.rollback()
        db.autocommit = True
    assert counts == (2, 1, 0, 1, 1)
    assert set(rejects) == {(5, "email"), (5, "display_name"), (5, "role"), (5, "language"), (5, "timezone")}
    west = db.execute("SELECT u.role, u.language, t.name FROM salesflow.users AS u JOIN salesflow.teams AS t "
                      "ON t.id = u.team_id WHERE u.email IN ('lea@example.de', 'max@example.de') ORDER BY u.email").fetchall()
    assert west == [("manager", "de", "Team West"), ("rep", "de", "Team West")]
    assert db.execute("SELECT display_name, timezone FROM salesflow.users WHERE id = %s", (team["rep"],)).fetchone() == (
        "Anna B.", "Europe/London")


def test_staged_rows_and_rejects_do_not_outlive_the_import(db, team):
    rows = good_rows() + [("103", "", "", "", "anna", "", "", "", "", "", "")]
    run_leads(db, rows, mode="skip_invalid", default_owner=str(team["other"]))
    for table in ("staged_leads", "import_rejects"):
        assert db.execute(f"SELECT count(*) FROM salesflow.{table}").fetchone()[0] == 0
    batch = db.execute("SELECT kind, source_system, file_name, counts, finished_at IS NOT NULL FROM salesflow.import_batches").fetchone()
    assert batch[:3] == ("leads", "hubspot", "contacts.csv") and batch[3]["leads"]["rejected"] == 1 and batch[4]


def test_a_parallel_plan_imports_the_same(db, team):
    """Large staging tables get parallel scans; every function the import runs must allow that
    (a PARALLEL SAFE label on a function that catches errors fails in the workers: 25000)."""
    run_leads(db, good_rows(), default_owner=str(team["other"]))
    for setting in ("debug_parallel_query = on", "parallel_setup_cost = 0", "parallel_tuple_cost = 0",
                    "min_parallel_table_scan_size = 0"):
        db.execute(f"SET {setting}")
    try:
        rows = [("101", "", "", "email", "out", "", f"2025-11-{d:02d} 10:00", "", f"Mail {d}") for d in range(1, 29)]
        rows.append(("101", "", "", "email", "out", "", "2025-11-30 10:00", "", "not a fast-path day"))
        assert run_activities(db, rows) == ((29, 0, 0), [])
        counts, _ = run_leads(db, good_rows(), default_owner=str(team["other"]))
        assert counts == (0, 0, 2, 0)
    finally:
        db.execute("RESET ALL")


def test_email_and_slug(db, team):
    """The e-mail and slug rules live in SQL only (import_leads, import_slug)."""
    cols = ("external_id", "name", "email", "owner", "source")
    rows = [("e1", "Lena", " <Lena.Hoffmann@Example.DE> ", "anna", "Instagram"),
            ("e2", "Jonas", "jonas.weber@", "anna", ""), ("e3", "Jörg", "joerg.weiss(at)example.de", "anna", ""),
            ("e4", "Ben", "ben.richter@example", "anna", ""), ("e5", "Eins", "eins@example.de", "anna", "1A")]
    counts, rejects = run_leads(db, rows, cols=cols, mode="skip_invalid")
    assert {(r[0], r[1]) for r in rejects} == {(3, "email"), (4, "email"), (5, "email"), (6, "source")}
    assert all(r[3] == "not an e-mail address" for r in rejects if r[1] == "email")
    assert db.execute("SELECT email, source FROM salesflow.leads WHERE external_id = 'e1'").fetchone() == (
        "lena.hoffmann@example.de", "instagram")
    assert db.execute("SELECT salesflow.import_slug('Garten- & Landschaftsbau'), salesflow.import_slug('Größer')").fetchone() == (
        "garten_landschaftsbau", "groesser")
