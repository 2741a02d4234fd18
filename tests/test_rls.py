"""Row-level security on every table that carries user_id: rep own rows, manager the team, admin all."""

from __future__ import annotations

import json

import psycopg
import pytest
from psycopg import errors

from tests.factories import acting_as, add_activity, make_lead, make_team, make_user

ROLE_DB = {"rep": "salesflow_rep", "manager": "salesflow_manager", "admin": "salesflow_admin"}


def user_id_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        """SELECT c.relname FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid
           WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind IN ('r', 'p') AND a.attname = 'user_id'
             AND NOT a.attisdropped ORDER BY 1""").fetchall()]


def has_column(conn, table: str, column: str) -> bool:
    return conn.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = %s AND NOT attisdropped",
                        (f"salesflow.{table}", column)).fetchone()[0] == 1


def populate(conn, user_id, hour: int):
    """One row per foundation table for user_id, inserted as the table owner. Returns the lead id."""
    lead = make_lead(conn, user_id, f"Lead of {user_id}")
    add_activity(conn, lead, user_id, direction="out", channel="email", body="Guten Tag")
    add_activity(conn, lead, user_id, direction="in", channel="email", body="Danke, klingt gut")
    conn.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now() + interval '1 day')", (lead, user_id))
    conn.execute("UPDATE salesflow.leads SET stage = 'contacted' WHERE id = %s", (lead,))  # -> lead_stage_events
    conn.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
                 "VALUES (%s, %s, 5, 5, 5, 5)", (lead, user_id))
    conn.execute("INSERT INTO salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, g_score, source) "
                 "VALUES (%s, %s, 70, 20, 10, 30, 'manual')", (lead, user_id))
    conn.execute("INSERT INTO salesflow.lead_context_summaries (lead_id, user_id, summary) VALUES (%s, %s, 'kurz') "
                 "ON CONFLICT (lead_id) DO NOTHING", (lead, user_id))
    conn.execute("INSERT INTO salesflow.ai_recommendations (lead_id, user_id, rec_type, title) VALUES (%s, %s, 'rls_test', 'Anrufen')",
                 (lead, user_id))
    emb_cols, emb_vals = ("", "")
    if has_column(conn, "lead_embeddings", "embedding"):
        emb_cols, emb_vals = (", embedding", ", '[1,2,3]'")
    conn.execute(f"INSERT INTO salesflow.lead_embeddings (lead_id, user_id, source, content, content_sha256, model, dimensions{emb_cols}) "
                 f"VALUES (%s, %s, 'note', 'x', repeat('a', 64), 'test-model', 3{emb_vals})", (lead, user_id))
    conn.execute("INSERT INTO salesflow.playbooks (key, name_de, name_en, steps) VALUES ('rls_test', 'T', 'T', "
                 "'[{\"title_de\": \"a\", \"title_en\": \"a\", \"channel\": \"email\", \"wait_days\": 0}]') ON CONFLICT (key) DO NOTHING")
    conn.execute("INSERT INTO salesflow.playbook_executions (lead_id, user_id, playbook_key, steps) "
                 "VALUES (%s, %s, 'rls_test', '[{}]')", (lead, user_id))
    conn.execute("INSERT INTO salesflow.ai_coaching_sessions (user_id, lead_id) VALUES (%s, %s)", (user_id, lead))
    conn.execute("INSERT INTO salesflow.channel_performance_metrics (user_id, channel, weekday, hour, sent, replied) "
                 "VALUES (%s, 'sms', 1, %s, 3, 1) ON CONFLICT DO NOTHING", (user_id, hour))
    conn.execute("INSERT INTO salesflow.compliance_logs (user_id, lead_id, content_type, content, content_sha256, language, decision) "
                 "VALUES (%s, %s, 'script', 'Hallo', encode(sha256('Hallo'::bytea), 'hex'), 'de', 'allowed')", (user_id, lead))
    return lead


FOUNDATION_RLS_TABLES = {
    "leads", "lead_activities", "followups", "lead_stage_events", "bant_assessments", "personality_profiles",
    "lead_context_summaries", "ai_recommendations", "lead_embeddings", "playbook_executions", "ai_coaching_sessions",
    "channel_performance_metrics", "compliance_logs",
}


@pytest.fixture
def org(db):
    """Team A: rep1, rep2, manager A; team B: rep3, manager B; an admin. Rows for rep1, rep2, rep3."""
    a, b = make_team(db, "Team A"), make_team(db, "Team B")
    o = {
        "rep1": make_user(db, a, "rep"), "rep2": make_user(db, a, "rep"), "mgr_a": make_user(db, a, "manager"),
        "rep3": make_user(db, b, "rep"), "mgr_b": make_user(db, b, "manager"), "admin": make_user(db, None, "admin"),
        "team_a": a, "team_b": b,
    }
    o["lead1"] = populate(db, o["rep1"], 9)
    o["lead2"] = populate(db, o["rep2"], 10)
    o["lead3"] = populate(db, o["rep3"], 11)
    return o


def counts_by_user(conn, table: str) -> dict:
    return {uid: n for uid, n in conn.execute(f"SELECT user_id, count(*) FROM salesflow.{table} GROUP BY user_id").fetchall()}


CASES = [  # (who, role, whose rows they must see)
    ("rep1", "rep", ["rep1"]),
    ("rep3", "rep", ["rep3"]),
    ("mgr_a", "manager", ["rep1", "rep2", "mgr_a"]),
    ("mgr_b", "manager", ["rep3", "mgr_b"]),
    ("admin", "admin", ["rep1", "rep2", "rep3", "mgr_a", "mgr_b", "admin"]),
]


@pytest.mark.parametrize("who,role,sees", CASES, ids=[c[0] for c in CASES])
def test_visibility_in_every_user_id_table(db, org, who, role, sees):
    tables = user_id_tables(db)
    assert FOUNDATION_RLS_TABLES <= set(tables)
    owner = {t: counts_by_user(db, t) for t in tables}
    for t in FOUNDATION_RLS_TABLES:  # the data is not vacuous: each rep has rows in each table
        assert all(owner[t].get(org[r], 0) > 0 for r in ("rep1", "rep2", "rep3")), (t, owner[t])
    allowed = {org[u] for u in sees}
    # the owner-only derived tables (lead_scores, lead_next_actions) are refused outright: test_attacks
    tables = [t for t in tables
              if db.execute("SELECT has_table_privilege(%s, %s, 'SELECT')", (ROLE_DB[role], f"salesflow.{t}")).fetchone()[0]]
    with acting_as(db, org[who], ROLE_DB[role]):
        for t in tables:
            seen = counts_by_user(db, t)
            strangers = {u for u in seen if u is not None and u not in allowed}
            assert not strangers, f"{who} sees rows of other users in {t}"
            for u in allowed:
                assert seen.get(u, 0) == owner[t].get(u, 0), f"{who} misses rows of {u} in {t}"


def test_every_user_id_table_has_rls_and_identity_policies(db):
    for t in user_id_tables(db):
        rls, force = db.execute("SELECT relrowsecurity, relforcerowsecurity FROM pg_class WHERE oid = %s::regclass",
                                (f"salesflow.{t}",)).fetchone()
        assert rls, f"RLS is off on {t}"
        quals = [q or "" for (q,) in db.execute(
            "SELECT coalesce(qual, '') || ' ' || coalesce(with_check, '') FROM pg_policies "
            "WHERE schemaname = 'salesflow' AND tablename = %s", (t,)).fetchall()]
        assert quals, f"no policy on {t}"
        assert all("visible_user_ids" in q or "current_user_id" in q or "current_user_role" in q for q in quals), (t, quals)


def test_users_table_visibility(db, org):
    with acting_as(db, org["rep1"]):
        assert {r[0] for r in db.execute("SELECT id FROM salesflow.users")} == {org["rep1"]}
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute("INSERT INTO salesflow.users (display_name, role) VALUES ('Mallory', 'admin')")
    with acting_as(db, org["mgr_a"], "salesflow_manager"):
        assert {r[0] for r in db.execute("SELECT id FROM salesflow.users")} == {org["rep1"], org["rep2"], org["mgr_a"]}
    with acting_as(db, org["admin"], "salesflow_admin"):
        assert db.execute("SELECT count(*) FROM salesflow.users").fetchone()[0] == 6


def test_no_identity_sees_nothing_and_jwt_sub_is_an_identity(db, org):
    db.execute("SET ROLE salesflow_rep")
    try:
        assert db.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 0
        db.execute("SELECT set_config('request.jwt.claims', %s, false)", (json.dumps({"sub": str(org["rep2"]), "role": "authenticated"}),))
        assert db.execute("SELECT salesflow.current_user_id()").fetchone()[0] == org["rep2"]
        assert {r[0] for r in db.execute("SELECT id FROM salesflow.leads")} == {org["lead2"]}
    finally:
        db.execute("RESET ROLE")
        db.execute("RESET request.jwt.claims")


def test_sales_role_without_identity_is_refused_by_the_definer_readers(db, org):
    # The SECURITY DEFINER readers bypass RLS; without an identity they answer only the trusted
    # owner. A sales role that forgot salesflow.user_id gets 42501, not everyone's rows.
    calls = [
        "SELECT * FROM salesflow.get_scored_leads(10)",
        "SELECT * FROM salesflow.list_recommendations()",
        f"SELECT * FROM salesflow.recommend_followup_actions('{org['rep1']}', 5)",
        "SELECT * FROM salesflow.get_personality_insights()",
        "SELECT * FROM salesflow.get_conversion_funnel()",
        "SELECT * FROM salesflow.get_kpis()",
    ]
    for role in ("salesflow_rep", "salesflow_manager", "salesflow_admin"):
        for sql in calls:
            db.execute(f"SET ROLE {role}")
            try:
                with pytest.raises(errors.InsufficientPrivilege) as info:
                    db.execute(sql)
                assert role in str(info.value) and "salesflow.user_id" in (info.value.diag.message_hint or "")
            finally:
                db.execute("RESET ROLE")
    # the owner (here a superuser) without identity still reads everyone's rows
    db.execute("SELECT * FROM salesflow.drain_dirty_leads()")
    leads = {r[0] for r in db.execute("SELECT lead_id FROM salesflow.get_scored_leads(1000)")}
    assert {org["lead1"], org["lead2"]} <= leads


def test_rep_cannot_write_rows_for_another_user(db, org):
    rep1, rep2 = org["rep1"], org["rep2"]
    with acting_as(db, rep1):
        with pytest.raises(errors.InsufficientPrivilege):  # 42501: new row violates row-level security policy
            db.execute("INSERT INTO salesflow.leads (user_id, name) VALUES (%s, 'Fremd')", (rep2,))
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now())", (org["lead2"], rep2))
        # own user_id on someone else's lead: the composite foreign key refuses it
        with pytest.raises(errors.ForeignKeyViolation):  # 23503
            db.execute("INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction) "
                       "VALUES (%s, %s, 'email', 'out')", (org["lead2"], rep1))
        with pytest.raises(errors.InsufficientPrivilege):  # assessments are written through assess_bant only
            db.execute("INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
                       "VALUES (%s, %s, 1, 1, 1, 1)", (org["lead1"], rep1))
        # handing own lead to someone else
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute("UPDATE salesflow.leads SET user_id = %s WHERE id = %s", (rep2, org["lead1"]))
        # another rep's rows are invisible to UPDATE and DELETE
        assert db.execute("UPDATE salesflow.leads SET name = 'x' WHERE id = %s", (org["lead2"],)).rowcount == 0
        with pytest.raises(errors.InsufficientPrivilege):  # no DELETE at all: erasure is the owner's
            db.execute("DELETE FROM salesflow.followups WHERE user_id = %s", (rep2,))
        # own rows are writable
        assert db.execute("UPDATE salesflow.leads SET company = 'Eigene GmbH' WHERE id = %s", (org["lead1"],)).rowcount == 1
        db.execute("INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction) VALUES (%s, %s, 'sms', 'out')",
                   (org["lead1"], rep1))
    assert db.execute("SELECT name FROM salesflow.leads WHERE id = %s", (org["lead2"],)).fetchone()[0] != "x"
    assert db.execute("SELECT count(*) FROM salesflow.followups WHERE user_id = %s", (rep2,)).fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM salesflow.leads WHERE name = 'Fremd'").fetchone()[0] == 0


def test_manager_writes_for_the_team_only(db, org):
    with acting_as(db, org["mgr_a"], "salesflow_manager"):
        db.execute("INSERT INTO salesflow.leads (user_id, name) VALUES (%s, 'Vom Manager')", (org["rep1"],))
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute("INSERT INTO salesflow.leads (user_id, name) VALUES (%s, 'Anderes Team')", (org["rep3"],))
        assert db.execute("UPDATE salesflow.leads SET company = 'x' WHERE id = %s", (org["lead3"],)).rowcount == 0
    assert db.execute("SELECT user_id FROM salesflow.leads WHERE name = 'Vom Manager'").fetchone()[0] == org["rep1"]


@pytest.mark.parametrize("statement", [
    "UPDATE salesflow.compliance_logs SET decision = 'allowed'",
    "DELETE FROM salesflow.compliance_logs",
])
def test_compliance_logs_refuse_update_and_delete_for_reps(db, org, statement):
    before = db.execute("SELECT count(*), string_agg(decision, ',' ORDER BY id) FROM salesflow.compliance_logs").fetchone()
    for who, role in (("rep1", "rep"), ("mgr_a", "manager"), ("admin", "admin")):
        with acting_as(db, org[who], ROLE_DB[role]):
            with pytest.raises(errors.InsufficientPrivilege):
                db.execute(statement)
    assert db.execute("SELECT count(*), string_agg(decision, ',' ORDER BY id) FROM salesflow.compliance_logs").fetchone() == before


def test_nobody_but_the_api_appends_compliance_logs(db, org):
    sql = ("INSERT INTO salesflow.compliance_logs (user_id, content_type, content, content_sha256, language, decision) "
           "VALUES (%s, 'script', 'Hi', encode(sha256('Hi'::bytea), 'hex'), 'en', 'allowed')")
    before = db.execute("SELECT count(*) FROM salesflow.compliance_logs").fetchone()[0]
    for who, role in (("rep1", "rep"), ("mgr_a", "manager"), ("admin", "admin")):
        with acting_as(db, org[who], ROLE_DB[role]):
            with pytest.raises(errors.InsufficientPrivilege):
                db.execute(sql, (org[who],))
            # the API appends, for the caller
            row = db.execute("SELECT * FROM salesflow.log_ai_output_compliance('Hallo', 'script')").fetchone()
            assert row[1] == "allowed"
    assert db.execute("SELECT count(*) FROM salesflow.compliance_logs").fetchone()[0] == before + 3
