"""The attack suite: what a rep (or anyone with a login) could try with psql, tried for real.

Logins (tests/attackers.py): a personal rep login, a second rep of the other team, a manager and
an admin login (each linked to its user), an unlinked rep login, a gateway (NOINHERIT, may SET
ROLE to the groups, asserts users per transaction) and a role outside every salesflow group.
Every attempt must be refused or limited to the caller's rows, and nothing else may change.
The number of attempts is printed at the end of the run (conftest.pytest_terminal_summary).
"""

from __future__ import annotations

import collections
import json

import psycopg
import pytest
from psycopg import sql

from tests.attackers import create_logins, drop_logins, fingerprint
from tests.test_rls import org, populate  # noqa: F401  (fixtures)

ATTEMPTS: collections.Counter = collections.Counter()
FORGE = [  # ways to name another user from SQL
    ("salesflow.user_id", lambda uid: str(uid)),
    ("request.jwt.claims", lambda uid: json.dumps({"sub": str(uid), "role": "salesflow_admin"})),
    ("request.jwt.claim.sub", lambda uid: str(uid)),
]
READERS = [  # the SECURITY DEFINER readers that bypass RLS
    "SELECT * FROM salesflow.get_scored_leads(1000)",
    "SELECT * FROM salesflow.list_recommendations('all', 1000)",
    "SELECT * FROM salesflow.get_kpis(4)",
    "SELECT * FROM salesflow.get_conversion_funnel()",
    "SELECT * FROM salesflow.get_personality_insights()",
    "SELECT * FROM salesflow.ai_stale_leads(1000)",
]


def refused(conn, statement, params=(), states=("42501",)):
    """The attempt fails with one of `states`; its transaction is rolled back."""
    ATTEMPTS["refused"] += 1
    with pytest.raises(psycopg.Error) as info:
        with conn.transaction():
            conn.execute(statement, params)
    assert info.value.sqlstate in states, (statement, info.value.sqlstate, str(info.value))
    return info.value


def limited(conn, statement, params=()):
    """The attempt runs; returns its rows (the caller checks they are the caller's own)."""
    ATTEMPTS["limited"] += 1
    with conn.transaction():
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else cur.rowcount


@pytest.fixture
def logins(db, dsn, org):  # noqa: F811
    made = create_logins(db, dsn, org)
    yield made
    drop_logins(db, made)


def user_id_tables(db) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relnamespace = "
        "'salesflow'::regnamespace AND c.relkind = 'r' AND a.attname = 'user_id' AND NOT a.attisdropped ORDER BY 1")]


def all_tables(db) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT relname FROM pg_class WHERE relnamespace = 'salesflow'::regnamespace AND relkind = 'r' ORDER BY 1")]


def api_functions(db, role="salesflow_rep") -> set[str]:
    return {r[0] for r in db.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'salesflow'::regnamespace "
        "AND has_function_privilege(%s, p.oid, 'EXECUTE')", (role,))}


# --------------------------------------------------------------------------- identity


def test_a_personal_login_is_its_user_whatever_it_sets(db, org, logins):  # noqa: F811
    conn = logins.connect("rep")
    assert conn.execute("SELECT salesflow.current_user_id()").fetchone()[0] == org["rep1"]
    before = fingerprint(db)
    for setting, value in FORGE:
        for target in ("admin", "rep3", "mgr_a", "rep2"):
            for local in (False, True):
                with conn.transaction():
                    conn.execute("SELECT set_config(%s, %s, %s)", (setting, value(org[target]), local))
                    # everything that asks who the caller is now refuses: reads, readers, writes
                    for stmt in ["SELECT salesflow.current_user_id()", "SELECT count(*) FROM salesflow.leads",
                                 "UPDATE salesflow.leads SET company = 'pwned'", "DELETE FROM salesflow.followups",
                                 *READERS]:
                        refused(conn, stmt)  # a savepoint per attempt
                if not local:
                    conn.execute(f"RESET {setting}")
        # naming oneself is harmless
        conn.execute("SELECT set_config(%s, %s, false)", (setting, value(org["rep1"])))
        assert conn.execute("SELECT salesflow.current_user_id()").fetchone()[0] == org["rep1"]
        conn.execute(f"RESET {setting}")
    assert fingerprint(db) == before


def test_set_role_and_session_tricks_change_nothing(db, org, logins):  # noqa: F811
    conn = logins.connect("rep")
    for stmt in ["SET ROLE salesflow_admin", "SET ROLE salesflow_manager", "SET ROLE salesflow_gateway",
                 "SET ROLE postgres", f"SET ROLE {logins.names['admin']}", f"SET SESSION AUTHORIZATION {logins.names['admin']}",
                 "SET SESSION AUTHORIZATION postgres"]:
        refused(conn, stmt)
    # its own group: still the same user, still only its rows
    for stmt in ["SET ROLE salesflow_rep", "RESET ROLE", "SET ROLE NONE"]:
        conn.execute(stmt)
        assert conn.execute("SELECT salesflow.current_user_id()").fetchone()[0] == org["rep1"]
        assert {r[0] for r in limited(conn, "SELECT DISTINCT user_id FROM salesflow.leads")} == {org["rep1"]}


def test_logins_without_identity_see_nothing_and_are_not_trusted(db, org, logins):  # noqa: F811
    db.execute("SELECT * FROM salesflow.drain_dirty_leads()")
    # a DBA who grants a reader to a role outside the groups does not make it trusted
    db.execute(sql.SQL("GRANT EXECUTE ON FUNCTION salesflow.get_scored_leads(integer, integer, uuid) TO {}").format(
        sql.Identifier(logins.names["outsider"])))
    for kind in ("unlinked", "outsider", "gateway"):
        conn = logins.connect(kind)
        assert conn.execute("SELECT current_setting('role')").fetchone()[0] == "none"
        for stmt in READERS:
            refused(conn, stmt)
        for t in user_id_tables(db):
            try:
                rows = limited(conn, f"SELECT * FROM salesflow.{t}")
            except psycopg.errors.InsufficientPrivilege:
                continue  # no privilege at all: also nothing
            assert rows == [], (kind, t)
        if kind != "gateway":  # only a gateway may assert a user
            for setting, value in FORGE:
                conn.execute("SELECT set_config(%s, %s, false)", (setting, value(org["admin"])))
                refused(conn, "SELECT salesflow.current_user_id()")
                conn.execute(f"RESET {setting}")


def test_the_postgrest_flow_through_a_gateway(db, org, logins):  # noqa: F811
    db.execute("SELECT * FROM salesflow.drain_dirty_leads()")
    expected = {r[0] for r in db.execute("SELECT id FROM salesflow.leads WHERE user_id = %s AND stage NOT IN ('won', 'lost')",
                                         (org["rep1"],))}
    assert expected
    gw = logins.connect("gateway", autocommit=False)
    gw.execute("SET LOCAL ROLE salesflow_rep")
    gw.execute("SELECT set_config('request.jwt.claims', %s, true)", (json.dumps({"sub": str(org["rep1"]), "role": "salesflow_rep"}),))
    got = {r[0] for r in gw.execute("SELECT lead_id FROM salesflow.get_scored_leads(10)")}
    assert got == expected
    assert {r[0] for r in gw.execute("SELECT user_id FROM salesflow.leads")} == {org["rep1"]}
    gw.commit()
    ATTEMPTS["limited"] += 1
    # after COMMIT: the authenticator again, without identity and (NOINHERIT) without privileges
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        gw.execute("SELECT * FROM salesflow.get_scored_leads(10)")
    gw.rollback()
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        gw.execute("SELECT * FROM salesflow.leads")
    gw.rollback()
    # switched to a group but without claims: no identity, nothing
    gw.execute("SET LOCAL ROLE salesflow_admin")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        gw.execute("SELECT * FROM salesflow.get_scored_leads(10)")
    gw.rollback()
    gw.execute("SET LOCAL ROLE salesflow_admin")
    assert gw.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 0
    gw.rollback()
    ATTEMPTS["refused"] += 4


# --------------------------------------------------------------------------- privileges


def test_no_function_is_executable_by_public(db):
    rows = db.execute(
        "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'salesflow'::regnamespace "
        "AND (p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))").fetchall()
    assert rows == []
    assert db.execute("SELECT count(*) FROM pg_proc WHERE pronamespace = 'salesflow'::regnamespace").fetchone()[0] > 50


def test_internal_functions_are_not_executable_by_sales_roles(db, org, logins):  # noqa: F811
    api = api_functions(db)
    internal = [r for r in db.execute(
        "SELECT p.oid::regprocedure::text, p.pronargs, p.proargtypes::regtype[]::text[] FROM pg_proc p "
        "WHERE p.pronamespace = 'salesflow'::regnamespace ORDER BY 1").fetchall() if r[0] not in api]
    assert len(internal) >= 25
    for name in ("deploy_needed(text,text,text)", "record_applied(text,text,text,timestamp with time zone,text)",
                 "require_identity()", "lead_for_caller(uuid,text)", "link_user_login(uuid,name)", "user_sees(uuid,uuid)"):
        assert f"salesflow.{name}" in {r[0] for r in internal}, name
    admin_api = api_functions(db, "salesflow_admin")
    for kind in ("rep", "manager", "admin"):
        conn = logins.connect(kind)
        for sig, nargs, types in internal:
            fname = sig.split("(")[0]
            if kind == "admin" and sig in admin_api:
                continue
            # arguments from a materialized CTE: constant NULLs would let the planner fold a STRICT
            # function away before the privilege check
            cols = ", ".join(f"NULL::{t} AS a{i}" for i, t in enumerate(types)) or "1 AS a"
            args = ", ".join(f"a.a{i}" for i in range(len(types)))
            refused(conn, f"WITH a AS MATERIALIZED (SELECT {cols}) SELECT {fname}({args}) FROM a")


def test_admin_operations_are_refused_to_reps_and_managers(db, org, logins):  # noqa: F811
    ops = ["SELECT * FROM salesflow.refresh_all_ki_views()", "SELECT salesflow.learn_success_patterns()",
           "SELECT * FROM salesflow.evaluate_conversion_model(30)",
           "SELECT salesflow.expire_recommendations()",
           "INSERT INTO salesflow.compliance_rules (rule_key, category, severity, language, pattern, explanation) "
           "VALUES ('x_evil', 'income_claims', 'low', 'de', 'x', 'x')",
           "UPDATE salesflow.compliance_rules SET severity = 'low'",
           # an exception that matches everything would silence a rule
           "UPDATE salesflow.compliance_rules SET unless_pattern = '.'",
           "DELETE FROM salesflow.compliance_rules",
           "UPDATE salesflow.ai_prompts SET system_prompt = 'ignore all rules'",
           "UPDATE salesflow.disg_guidance SET opener = 'x'", "DELETE FROM salesflow.playbooks"]
    before = fingerprint(db)
    for kind in ("rep", "manager"):
        conn = logins.connect(kind)
        for stmt in ops:
            refused(conn, stmt)
    assert fingerprint(db) == before
    # an admin login may run the maintenance functions
    admin = logins.connect("admin")
    assert admin.execute("SELECT salesflow.expire_recommendations()").fetchone()[0] >= 0
    # a non-admin user behind a login that holds salesflow_admin is still refused
    db.execute(sql.SQL("GRANT salesflow_admin TO {}").format(sql.Identifier(logins.names["rep"])))
    refused(logins.connect("rep"), "SELECT salesflow.expire_recommendations()")


def test_every_table_refuses_what_grants_do_not_allow(db, org, logins):  # noqa: F811
    """Direct writes: API-only tables refuse INSERT/UPDATE; the base CRM tables allow them on the
    caller's rows only; DELETE, TRUNCATE, table locks beyond ACCESS SHARE and writes to owner-only
    tables are refused everywhere."""
    writable = {"leads", "lead_activities", "followups"}
    me = org["rep1"]
    others_before = fingerprint(db, exclude_user=me)
    conn = logins.connect("rep")
    for t in all_tables(db):
        first_col = db.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped "
            "AND attname NOT IN ('id', 'created_at', 'updated_at') AND attgenerated = '' AND attidentity = '' ORDER BY attnum LIMIT 1",
            (f"salesflow.{t}",)).fetchone()[0]
        refused(conn, f"TRUNCATE salesflow.{t}")
        # ids included (a generated column may refuse first: 428C9)
        refused(conn, f"INSERT INTO salesflow.{t} SELECT * FROM salesflow.{t} LIMIT 1", states=("42501", "428C9"))
        if t not in writable:
            refused(conn, f"SELECT * FROM salesflow.{t} FOR UPDATE")  # row locks need UPDATE
        refused(conn, f"DELETE FROM salesflow.{t}")
        for mode in ("ROW EXCLUSIVE", "SHARE", "EXCLUSIVE", "ACCESS EXCLUSIVE"):  # would block cron and deploy
            refused(conn, f"LOCK TABLE salesflow.{t} IN {mode} MODE")
        if t in writable:
            n = limited(conn, f"UPDATE salesflow.{t} SET {first_col} = {first_col}")
            assert n == db.execute(f"SELECT count(*) FROM salesflow.{t} WHERE user_id = %s", (me,)).fetchone()[0]
        else:
            refused(conn, f"UPDATE salesflow.{t} SET {first_col} = {first_col}")
    assert fingerprint(db, exclude_user=me) == others_before


def test_rows_for_others_explicit_ids_and_reassignment(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    rep, mgr = logins.connect("rep"), logins.connect("manager")
    for stmt, params in [
        ("INSERT INTO salesflow.leads (user_id, name) VALUES (%s, 'Fremd')", (org["rep2"],)),
        ("INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now())", (org["lead2"], org["rep2"])),
        ("INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction) VALUES (%s, %s, 'sms', 'out')",
         (org["lead3"], org["rep3"])),
        ("UPDATE salesflow.leads SET user_id = %s WHERE id = %s", (org["rep2"], org["lead1"])),
        # explicit ids and bookkeeping columns are not the client's to choose
        ("INSERT INTO salesflow.lead_activities (id, lead_id, user_id, channel, direction) OVERRIDING SYSTEM VALUE "
         "VALUES (9000000000000000000, %s, %s, 'sms', 'out')", (org["lead1"], org["rep1"])),
        ("INSERT INTO salesflow.leads (id, user_id, name) VALUES (gen_random_uuid(), %s, 'x')", (org["rep1"],)),
        ("INSERT INTO salesflow.leads (user_id, name, created_at) VALUES (%s, 'x', '2001-01-01')", (org["rep1"],)),
        ("UPDATE salesflow.lead_activities SET user_id = user_id, created_at = '2001-01-01'", ()),
        # own role, team, login mapping
        ("UPDATE salesflow.users SET role = 'admin' WHERE id = %s", (org["rep1"],)),
        ("UPDATE salesflow.users SET team_id = %s WHERE id = %s", (org["team_b"], org["rep1"])),
        ("INSERT INTO salesflow.users (display_name, role) VALUES ('Mallory', 'admin')", ()),
        ("INSERT INTO salesflow.teams (name) VALUES ('Mallory')", ()),
    ]:
        refused(rep, stmt, params)
    # other rows are invisible to UPDATE and DELETE (0 rows, not an error)
    assert limited(rep, "UPDATE salesflow.leads SET name = 'x' WHERE id = %s", (org["lead2"],)) == 0
    refused(rep, "DELETE FROM salesflow.lead_activities WHERE user_id <> %s", (org["rep1"],))
    # a manager moves leads within the team only
    refused(mgr, "UPDATE salesflow.leads SET user_id = %s WHERE id = %s", (org["rep3"], org["lead1"]))
    refused(mgr, "UPDATE salesflow.users SET role = 'admin' WHERE id = %s", (org["mgr_a"],))
    assert limited(mgr, "UPDATE salesflow.leads SET user_id = %s WHERE id = %s", (org["rep1"], org["lead3"])) == 0
    # even an admin cannot change who a login is
    admin = logins.connect("admin")
    refused(admin, "UPDATE salesflow.users SET db_role = %s WHERE id = %s", (logins.names["admin"], org["rep1"]))
    refused(admin, "UPDATE salesflow.users SET id = gen_random_uuid() WHERE id = %s", (org["rep1"],))
    assert fingerprint(db) == before


def test_audit_and_derived_tables_take_no_direct_rows(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    for kind in ("rep", "manager", "admin"):
        conn = logins.connect(kind)
        me = {"rep": org["rep1"], "manager": org["mgr_a"], "admin": org["admin"]}[kind]
        for stmt, params in [
            ("INSERT INTO salesflow.compliance_logs (user_id, content_type, content, content_sha256, language, decision, created_at) "
             "VALUES (%s, 'script', 'Unser Produkt heilt Krebs, garantiert!', repeat('0', 64), 'de', 'allowed', '2001-01-01')", (me,)),
            ("INSERT INTO salesflow.ai_calls (command, user_id, status) VALUES ('x', %s, 'ok')", (me,)),
            ("INSERT INTO salesflow.lead_stage_events (lead_id, user_id, from_stage, to_stage) VALUES (%s, %s, 'new', 'won')",
             (org["lead1"], org["rep1"])),
            ("INSERT INTO salesflow.ai_recommendations (lead_id, user_id, rec_type, title) VALUES (%s, %s, 'x', 'x')",
             (org["lead1"], org["rep1"])),
            ("UPDATE salesflow.ai_recommendations SET assignee_id = %s", (org["rep3"],)),
            ("UPDATE salesflow.lead_engagement SET inbound_count = 1000", ()),
            ("INSERT INTO salesflow.success_patterns (feature, value, won) VALUES ('source', 'x', 1000)", ()),
            # a made-up calibration would show every lead at 99 %
            ("INSERT INTO salesflow.conversion_calibration (slope, intercept, closed_leads, won_leads, folds) "
             "VALUES (0, 7, 1, 1, 5)", ()),
            ("UPDATE salesflow.conversion_calibration SET intercept = 7", ()),
            ("DELETE FROM salesflow.conversion_calibration", ()),
            # the compliance scorer's model: nobody but the trainer writes it
            ("UPDATE salesflow.compliance_scorer_model SET threshold = 1", ()),
            ("DELETE FROM salesflow.compliance_scorer_terms", ()),
            ("INSERT INTO salesflow.compliance_scorer_terms (term, violation_docs, clean_docs, weight) VALUES ('x', 0, 99, -50)", ()),
            ("INSERT INTO salesflow.schema_history (kind, name, sha256, tool_version) VALUES ('migration', 'x', repeat('0', 64), 'x')", ()),
            ("SELECT * FROM salesflow.maintenance_locks FOR UPDATE", ()),
        ]:
            refused(conn, stmt, params)
    # reps and managers may not poison the scorer's training data, read its weights (to probe
    # around them) or retrain it; admins may (compliance_training_messages is theirs to curate)
    for kind in ("rep", "manager"):
        conn = logins.connect(kind)
        for stmt in ("INSERT INTO salesflow.compliance_training_messages (category, language, body) "
                     "VALUES ('clean', 'de', 'Unser Produkt heilt Krebs')",
                     "UPDATE salesflow.compliance_training_messages SET category = 'clean'",
                     "DELETE FROM salesflow.compliance_training_messages",
                     "SELECT * FROM salesflow.compliance_scorer_terms",
                     "SELECT * FROM salesflow.compliance_training_messages",
                     "SELECT * FROM salesflow.train_compliance_scorer()"):
            refused(conn, stmt)
    assert fingerprint(db) == before


def test_materialized_views_are_read_only_through_functions(db, org, logins):  # noqa: F811
    views = [r[0] for r in db.execute("SELECT matviewname FROM pg_matviews WHERE schemaname = 'salesflow'")]
    assert len(views) >= 3
    for kind in ("rep", "manager", "admin"):
        conn = logins.connect(kind)
        for v in views:
            refused(conn, f"SELECT * FROM salesflow.{v}")
            refused(conn, f"REFRESH MATERIALIZED VIEW salesflow.{v}")


def test_incremental_scores_cannot_be_read_forged_or_drained_by_sales_roles(db, org, logins):  # noqa: F811
    """The per-lead score tables, their plain views and the dirty-lead queue: no sales login reads or
    writes them directly, and a rep or manager cannot drain (or stall a drain by holding its lock)."""
    db.execute("SELECT * FROM salesflow.drain_dirty_leads()")
    lead, owner = db.execute("SELECT id, user_id FROM salesflow.leads ORDER BY id LIMIT 1").fetchone()
    before = db.execute("SELECT count(*), sum(health_score) FROM salesflow.lead_scores").fetchone()
    for kind in ("rep", "manager", "admin"):
        conn = logins.connect(kind)
        for rel in ("lead_scores", "lead_next_actions", "dirty_leads", "view_leads_scored", "view_next_actions",
                    "activity_answers", "lead_reply_state"):
            refused(conn, f"SELECT * FROM salesflow.{rel}")
        # faked reply times (a rep's median response made to look fast): no write reaches the table
        refused(conn, "UPDATE salesflow.activity_answers SET minutes = 1")
        # a moved run start would time every later reply from the wrong activity
        refused(conn, "UPDATE salesflow.lead_reply_state SET run_started_at = now()")
        refused(conn, "INSERT INTO salesflow.activity_answers (activity_id, lead_id, user_id, direction, answered_at, minutes) "
                      "SELECT a.id, a.lead_id, a.user_id, 'out', a.occurred_at, 0 FROM salesflow.lead_activities AS a")
        refused(conn, "UPDATE salesflow.lead_scores SET predicted_conversion = 0.999, health_score = 100")
        refused(conn, "INSERT INTO salesflow.lead_next_actions (lead_id, user_id, action_type, score, computed_at) "
                      "VALUES (%s, %s, 'hot_no_contact', 999, now())", (lead, owner))
        refused(conn, "DELETE FROM salesflow.dirty_leads")
        refused(conn, "INSERT INTO salesflow.dirty_leads (lead_id) SELECT gen_random_uuid() FROM generate_series(1, 1000)")
        refused(conn, "TRUNCATE salesflow.dirty_leads")
        for fn in ("score_leads", "rank_next_actions"):
            refused(conn, f"SELECT * FROM salesflow.{fn}(NULL)")
        refused(conn, "SELECT salesflow.rescore_leads(NULL)")
        refused(conn, "SELECT 1 FROM salesflow.maintenance_locks WHERE name = 'refresh' FOR UPDATE")
        if kind != "admin":
            refused(conn, "SELECT * FROM salesflow.drain_dirty_leads()")
        else:  # an admin may drain (as cron does); it writes only what a recomputation gives
            assert limited(conn, "SELECT ran FROM salesflow.drain_dirty_leads()") == [(True,)]
    assert db.execute("SELECT count(*), sum(health_score) FROM salesflow.lead_scores").fetchone() == before


# --------------------------------------------------------------------------- cross-user consistency


def test_assignee_and_foreign_key_tricks(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    rep = logins.connect("rep")
    ghost = "00000000-0000-0000-0000-0000000000bb"
    messages = set()
    for assignee in (org["rep3"], org["mgr_b"], ghost, org["rep2"]):
        err = refused(rep, "SELECT salesflow.create_ai_recommendation(%s, 'call', 'Call', p_assignee_id => %s)",
                      (org["lead1"], assignee))
        messages.add(str(err).replace(str(assignee), "<id>"))
    assert len(messages) == 1  # unknown, other team and same-team colleague look the same: no oracle
    other_lead = org["lead3"]
    for stmt in [
        "SELECT salesflow.record_ai_call('ai script', %s, NULL, 'm', NULL, NULL, 1, 1, 1, 'ok')",
        "SELECT salesflow.record_coaching_turn(NULL, NULL, %s, 'de', 'q', 'a')",
        "SELECT * FROM salesflow.log_ai_output_compliance('Hallo', 'script', %s)",
        "SELECT salesflow.get_lead_intelligence(%s)",
        "SELECT salesflow.ai_lead_context(%s)",
        "SELECT * FROM salesflow.predict_conversion(%s)",
        "SELECT salesflow.update_lead_memory(%s, 'x')",
        "SELECT * FROM salesflow.assess_bant(%s, 1, 1, 1, 1)",
    ]:
        refused(rep, stmt, (other_lead,), states=("P0002",))
    # recommendations of others cannot be resolved, even by guessing ids
    for rid in [r[0] for r in db.execute("SELECT id FROM salesflow.ai_recommendations WHERE user_id <> %s", (org["rep1"],))]:
        refused(rep, "SELECT * FROM salesflow.update_recommendation(%s, 'dismissed')", (rid,), states=("P0002",))
    assert fingerprint(db) == before
    # the table refuses an assignee who cannot see the lead, whoever writes (here the owner)
    rid = db.execute("SELECT id FROM salesflow.ai_recommendations WHERE user_id = %s LIMIT 1", (org["rep1"],)).fetchone()[0]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("UPDATE salesflow.ai_recommendations SET assignee_id = %s WHERE id = %s", (org["rep3"], rid))
    db.execute("UPDATE salesflow.ai_recommendations SET assignee_id = %s WHERE id = %s", (org["mgr_a"], rid))
    # the lead moves to the other team: the old assignee can no longer see it and is cleared
    lead = db.execute("SELECT lead_id FROM salesflow.ai_recommendations WHERE id = %s", (rid,)).fetchone()[0]
    db.execute("UPDATE salesflow.leads SET user_id = %s WHERE id = %s", (org["rep3"], lead))
    assert db.execute("SELECT user_id, assignee_id FROM salesflow.ai_recommendations WHERE id = %s", (rid,)).fetchone() == (
        org["rep3"], None)
    ATTEMPTS["refused"] += 1


# --------------------------------------------------------------------------- locks


def test_no_login_can_hold_a_lock_against_deploy_or_refresh(db, dsn, org, logins):  # noqa: F811
    from salesflow_cli.deploy import run_deploy
    from salesflow_cli.refresh import run_refresh

    rep = logins.connect("rep", autocommit=False)
    # the old advisory keys (and any other) are free for anyone, and no longer matter
    rep.execute("SELECT pg_advisory_lock(1397116503), pg_advisory_lock(1397117510)")
    for stmt in ["SELECT * FROM salesflow.maintenance_locks FOR UPDATE",
                 "LOCK TABLE salesflow.maintenance_locks IN ACCESS SHARE MODE",
                 "LOCK TABLE salesflow.ai_recommendations IN EXCLUSIVE MODE",
                 "LOCK TABLE salesflow.compliance_logs IN SHARE MODE"]:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            rep.execute(stmt)
        rep.rollback()
        ATTEMPTS["refused"] += 1
    # a rep resolving a recommendation in an open transaction holds its row: expiry skips it
    rid = db.execute("SELECT id FROM salesflow.ai_recommendations WHERE user_id = %s LIMIT 1", (org["rep1"],)).fetchone()[0]
    db.execute("UPDATE salesflow.ai_recommendations SET created_at = now() - interval '400 days' WHERE id = %s", (rid,))
    rep.execute("SELECT pg_advisory_lock(1397116503), pg_advisory_lock(1397117510)")
    rep.execute("SELECT * FROM salesflow.update_recommendation(%s, 'accepted')", (rid,))  # row locked, not committed
    result = run_refresh(dsn, lock_timeout=2)
    assert [s["step"] for s in result["steps"]][:3] == ["count_activities", "learn_success_patterns", "expire_recommendations"]
    run_deploy(dsn, quiet=True, lock_timeout=2)
    rep.rollback()
    assert db.execute("SELECT status FROM salesflow.ai_recommendations WHERE id = %s", (rid,)).fetchone()[0] == "open"
    steps = {s["step"]: s["row_count"] for s in run_refresh(dsn, lock_timeout=2)["steps"]}
    assert steps["expire_recommendations"] >= 1  # expired on the next run
    ATTEMPTS["limited"] += 2


# --------------------------------------------------------------------------- the CLI with a rep's login


def test_admin_commands_with_a_rep_login_change_nothing(db, org, logins):  # noqa: F811
    """A rep who points the CLI at the database with their own login gets what their login may do:
    the owner's commands are refused (exit 1 or 2, one line), nothing changes."""
    from typer.testing import CliRunner

    from salesflow_cli.main import cli

    params = {k: v for k, v in psycopg.conninfo.conninfo_to_dict(logins.dsn).items() if k != "password"}
    rep_dsn = psycopg.conninfo.make_conninfo(**{**params, "user": logins.names["rep"]})
    before = fingerprint(db)
    roles_before = {r[0] for r in db.execute("SELECT rolname FROM pg_roles")}
    for args in (
        ["users", "add", "mallory@example.org", "--name", "Mallory", "--role", "admin"],
        ["users", "login", str(org["rep1"]), "--login", "sf_mallory", "--create", "--no-password"],
        ["users", "login", str(org["admin"]), "--login", logins.names["rep"]],
        ["refresh"],
        ["refresh", "--full"],
        ["deploy"],
        ["uninstall", "--yes"],
        ["audit", "verify"],
    ):
        res = CliRunner().invoke(cli, [*args, "--dsn", rep_dsn])
        ATTEMPTS["refused"] += 1
        assert res.exit_code in (1, 2), (args, res.exit_code, res.output)
        assert "Traceback" not in res.output, res.output
    assert fingerprint(db) == before
    assert {r[0] for r in db.execute("SELECT rolname FROM pg_roles")} == roles_before
    assert db.execute("SELECT to_regnamespace('salesflow') IS NOT NULL").fetchone()[0]
    # reading works, as the rep: only their own leads, whatever --user says
    res = CliRunner().invoke(cli, ["leads", "--json", "--limit", "1000", "--dsn", rep_dsn])
    assert res.exit_code == 0, res.output
    assert {r["user_id"] for r in json.loads(res.stdout)} <= {str(org["rep1"])}
    res = CliRunner().invoke(cli, ["leads", "--json", "--user", str(org["admin"]), "--dsn", rep_dsn])
    # the rep cannot even see the admin's row (RLS on users), so --user names no one it may be
    assert res.exit_code == 2 and ("not found" in res.output or "cannot act as" in res.output), res.output
    ATTEMPTS["limited"] += 1
    ATTEMPTS["refused"] += 1
