"""Upgrading a database deployed from the previous release (0.1.0, commit 4e91828) keeps its data
and gains the trust model: the test deploys that release's DEPLOY_KI_SYSTEM.sql with psql, fills
it through that release's own API, deploys this tree, and checks data, identity and grants."""

from __future__ import annotations

import subprocess

import pytest
from psycopg import sql

from tests.factories import add_activity, make_lead, make_team, make_user
from tests.test_single_file import PSQL, REPO, psql_file

PREVIOUS_RELEASE = "4e91828"
SNAPSHOT = """SELECT t, md5(string_agg(r, E'\\n' ORDER BY r)) FROM (
    SELECT 'users' AS t, concat_ws('|', id, team_id, email, display_name, role) AS r FROM salesflow.users
    UNION ALL SELECT 'leads', concat_ws('|', id, user_id, name, stage, deal_value, consent) FROM salesflow.leads
    UNION ALL SELECT 'lead_activities', concat_ws('|', id, lead_id, user_id, channel, direction, body, occurred_at) FROM salesflow.lead_activities
    UNION ALL SELECT 'bant', concat_ws('|', id, lead_id, budget, authority, need, timeline, total_score) FROM salesflow.bant_assessments
    UNION ALL SELECT 'recs', concat_ws('|', id, lead_id, rec_type, status, base_priority) FROM salesflow.ai_recommendations
    UNION ALL SELECT 'logs', concat_ws('|', id, user_id, lead_id, content, decision, max_severity) FROM salesflow.compliance_logs
) AS x GROUP BY t ORDER BY t"""


@pytest.fixture
def previous_release(tmp_path):
    try:
        text = subprocess.run(["git", "-C", str(REPO), "show", f"{PREVIOUS_RELEASE}:DEPLOY_KI_SYSTEM.sql"],
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as exc:  # a checkout without history cannot run this test
        pytest.fail(f"release {PREVIOUS_RELEASE} not in this checkout's history: {exc}")
    path = tmp_path / "DEPLOY_0.1.0.sql"
    path.write_text(text)
    return path


def test_upgrade_from_the_previous_release_keeps_data_and_closes_the_holes(new_db, previous_release):
    import psycopg

    from salesflow_cli.deploy import run_deploy

    dsn = new_db()
    out = psql_file(dsn, previous_release, PSQL)
    assert out.returncode == 0, out.stderr
    with psycopg.connect(dsn, autocommit=True) as db:
        team = make_team(db, "Team Alt")
        rep, other = make_user(db, team, "rep"), make_user(db, make_team(db, "Team B"), "rep")
        lead = make_lead(db, rep, "Alte Kundin")
        for i in range(5):
            add_activity(db, lead, rep, "out" if i % 2 else "in", body=f"Nachricht {i}")
        db.execute("SELECT * FROM salesflow.assess_bant(%s, 3, 4, 8, 2)", (lead,))
        db.execute("SELECT * FROM salesflow.log_ai_output_compliance('Unser Produkt heilt Krebs.', 'script', %s)", (lead,))
        # the old holes, present before the upgrade: PUBLIC may execute, the GUC is an identity
        assert db.execute("SELECT count(*) FROM pg_proc WHERE pronamespace = 'salesflow'::regnamespace "
                          "AND proacl IS NULL").fetchone()[0] > 0
        before = db.execute(SNAPSHOT).fetchall()
        assert len(before) == 6

        run_deploy(dsn, quiet=True)

        assert db.execute(SNAPSHOT).fetchall() == before  # every row as it was
        # the scores moved from materialized views to per-lead tables: the deploy scored every lead
        assert db.execute("SELECT relkind FROM pg_class WHERE oid = 'salesflow.view_leads_scored'::regclass").fetchone()[0] == "v"
        assert db.execute("SELECT lead_id, inbound_count FROM salesflow.view_leads_scored").fetchall() == [(lead, 3)]
        assert db.execute("SELECT count(*) FROM salesflow.dirty_leads").fetchone()[0] == 0
        # the reply times of the activities stored before: the migration queued their lead, the
        # deploy's drain computed them (in, out, in, out, in: four answers)
        assert db.execute("SELECT array_agg(direction ORDER BY answered_at) FROM salesflow.activity_answers "
                          "WHERE lead_id = %s", (lead,)).fetchone()[0] == ["out", "in", "out", "in"]
        assert db.execute("SELECT count(*) FROM pg_proc p WHERE p.pronamespace = 'salesflow'::regnamespace AND "
                          "(p.proacl IS NULL OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) a WHERE a.grantee = 0))"
                          ).fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE "
                          "c.relnamespace = 'salesflow'::regnamespace AND a.attidentity = 'd'").fetchone()[0] == 0
        # identity is now bound to the login: a personal login cannot become someone else
        name = f"sf_upgrade_{str(rep)[:8]}"
        db.execute(sql.SQL("CREATE ROLE {} LOGIN IN ROLE salesflow_rep").format(sql.Identifier(name)))
        try:
            db.execute("SELECT salesflow.link_user_login(%s, %s)", (rep, name))
            params = psycopg.conninfo.conninfo_to_dict(dsn)
            with psycopg.connect(psycopg.conninfo.make_conninfo(**{**params, "user": name}), autocommit=True) as c:
                assert c.execute("SELECT salesflow.current_user_id()").fetchone()[0] == rep
                assert {r[0] for r in c.execute("SELECT id FROM salesflow.leads")} == {lead}
                c.execute("SELECT set_config('salesflow.user_id', %s, false)", (str(other),))
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    c.execute("SELECT count(*) FROM salesflow.leads")
        finally:
            db.execute("UPDATE salesflow.users SET db_role = NULL WHERE db_role = %s", (name,))
            db.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
            db.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
        # and the upgraded database is what a fresh deploy gives: nothing pending
        assert not [s for s in run_deploy(dsn, quiet=True) if s.will_apply]
