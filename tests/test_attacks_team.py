"""The attack suite, manager views and sales KPIs edition: what a rep or manager with psql and their
own login would try against list_teams, get_team_overview, get_team_actions and get_sales_kpis —
another team, a colleague, forged identity through every setting, bad ids, no identity at all."""

from __future__ import annotations

import json
import uuid

import psycopg
from psycopg import sql

from tests.attackers import fingerprint
from tests.test_attacks import limited, logins, refused  # noqa: F401  (fixtures and counters)
from tests.test_rls import org, populate  # noqa: F401  (fixtures)

TEAM_READERS = [
    "SELECT * FROM salesflow.list_teams()",
    "SELECT * FROM salesflow.get_team_overview()",
    "SELECT * FROM salesflow.get_team_actions()",
]
FORGE = [  # (setting, value naming a user)
    ("salesflow.user_id", str),
    ("request.jwt.claims", lambda u: json.dumps({"sub": str(u)})),
    ("request.jwt.claim.sub", str),
]


def team_calls(team) -> list[tuple[str, tuple]]:
    return [("SELECT * FROM salesflow.get_team_overview(%s)", (team,)),
            ("SELECT * FROM salesflow.get_team_overview(%s, 104)", (team,)),
            ("SELECT * FROM salesflow.get_team_actions(%s, 200)", (team,)),
            ("SELECT salesflow.get_sales_kpis(8, NULL, %s)", (team,))]


def test_a_rep_gets_no_team_view_and_only_own_kpis(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    for kind, me, colleague, stranger in (("rep", "rep1", "rep2", "rep3"), ("rep3", "rep3", "rep1", "rep2")):
        conn = logins.connect(kind)
        for stmt in TEAM_READERS:
            refused(conn, stmt)
        for team in (org["team_a"], org["team_b"], uuid.uuid4()):
            for stmt, params in team_calls(team):
                refused(conn, stmt, params)
        for other in (org[colleague], org[stranger], org["mgr_a"], org["admin"], uuid.uuid4()):
            refused(conn, "SELECT salesflow.get_sales_kpis(8, %s)", (other,))
        # own figures only: the pipeline is the rep's open leads, the per-rep list is the rep
        k = limited(conn, "SELECT salesflow.get_sales_kpis(8)")[0][0]
        own = db.execute("SELECT count(*) FROM salesflow.leads WHERE user_id = %s AND stage NOT IN ('won', 'lost')",
                         (org[me],)).fetchone()[0]
        assert sum(s["leads"] for s in k["pipeline_by_stage"]) == own
        assert [r["user_id"] for r in k["activities_by_rep"]] == [str(org[me])]
        # forging a manager's or an admin's identity: the personal login is always itself
        for setting, value in FORGE:
            for who in ("mgr_a", "mgr_b", "admin"):
                conn.execute("SELECT set_config(%s, %s, false)", (setting, value(org[who])))
                for stmt in TEAM_READERS:
                    refused(conn, stmt)
                refused(conn, "SELECT salesflow.get_sales_kpis(8, NULL, %s)", (org["team_a"],))
                conn.execute(sql.SQL("RESET {}").format(sql.Identifier(setting)))
            with conn.transaction():
                conn.execute("SELECT set_config(%s, %s, true)", (setting, value(org["admin"])))
                refused(conn, "SELECT * FROM salesflow.list_teams()")
    assert fingerprint(db) == before


def test_a_manager_sees_only_the_own_team(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    conn = logins.connect("manager")
    team_a = {org["rep1"], org["rep2"], org["mgr_a"]}
    assert [r[0] for r in limited(conn, "SELECT team_id FROM salesflow.list_teams()")] == [org["team_a"]]
    assert {r[0] for r in limited(conn, "SELECT user_id FROM salesflow.get_team_overview()")} == team_a
    assert {r[0] for r in limited(conn, "SELECT user_id FROM salesflow.get_team_overview(%s)", (org["team_a"],))} == team_a
    assert {r[0] for r in limited(conn, "SELECT user_id FROM salesflow.get_team_actions(NULL, 200)")} <= team_a
    k = limited(conn, "SELECT salesflow.get_sales_kpis(8, NULL, %s)", (org["team_a"],))[0][0]
    assert {uuid.UUID(r["user_id"]) for r in k["activities_by_rep"]} == team_a
    for team in (org["team_b"], uuid.uuid4(), uuid.UUID(int=0)):  # another team and unknown ones: one answer
        for stmt, params in team_calls(team):
            refused(conn, stmt, params)
    for other in (org["rep3"], org["mgr_b"], org["admin"]):
        refused(conn, "SELECT salesflow.get_sales_kpis(8, %s)", (other,))
        refused(conn, "SELECT * FROM salesflow.recommend_followup_actions(%s, 10)", (other,))
    # a team member reassigned nowhere: the manager cannot pull another team in by naming its users
    for setting, value in FORGE:
        conn.execute("SELECT set_config(%s, %s, false)", (setting, value(org["mgr_b"])))
        refused(conn, "SELECT * FROM salesflow.get_team_overview()")
        conn.execute(sql.SQL("RESET {}").format(sql.Identifier(setting)))
    assert fingerprint(db) == before


def test_no_identity_no_team_view(db, org, logins):  # noqa: F811
    for kind in ("unlinked", "outsider", "gateway"):
        conn = logins.connect(kind)
        for stmt in TEAM_READERS + ["SELECT salesflow.get_sales_kpis(8)"]:
            refused(conn, stmt)
    gw = logins.connect("gateway", autocommit=False)
    for group in ("salesflow_manager", "salesflow_admin"):  # switched to a group but asserted nobody
        gw.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(group)))
        for stmt in TEAM_READERS:
            try:
                gw.execute(stmt)
                raise AssertionError(f"{group} without identity ran {stmt}")
            except psycopg.errors.InsufficientPrivilege:
                gw.rollback()
                gw.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(group)))
        gw.rollback()
    # the PostgREST flow for a manager: the team, nothing else
    gw.execute("SET LOCAL ROLE salesflow_manager")
    gw.execute("SELECT set_config('request.jwt.claims', %s, true)", (json.dumps({"sub": str(org["mgr_a"])}),))
    assert {r[0] for r in gw.execute("SELECT user_id FROM salesflow.get_team_overview()")} == \
        {org["rep1"], org["rep2"], org["mgr_a"]}
    gw.rollback()


def test_an_admin_sees_any_team_and_unknown_is_not_found(db, org, logins):  # noqa: F811
    conn = logins.connect("admin")
    assert {r[0] for r in limited(conn, "SELECT team_id FROM salesflow.list_teams()")} == {org["team_a"], org["team_b"]}
    assert {r[0] for r in limited(conn, "SELECT user_id FROM salesflow.get_team_overview(%s)", (org["team_b"],))} == \
        {org["rep3"], org["mgr_b"]}
    for stmt, params in team_calls(uuid.uuid4()):
        refused(conn, stmt, params, states=("P0002",))
