"""The attack suite, day-plan edition (issue 12): what a rep with psql could try against
salesflow.plan_day and recommend_followup_actions' new p_day / p_capacity, with their own login —
plan another rep's or another team's day, forge the identity, bad ids and days, call the internal
planner and channel rule directly."""

from __future__ import annotations

import datetime as dt
import uuid

from tests.attackers import fingerprint
from tests.test_attacks import FORGE, limited, logins, refused  # noqa: F401  (fixtures and counters)
from tests.test_rls import org, populate  # noqa: F401  (fixtures)

PLAN = "SELECT lead_id FROM salesflow.plan_day(%s)"


def test_a_rep_plans_only_their_own_day(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    rep = logins.connect("rep")
    own = limited(rep, "SELECT lead_id FROM salesflow.plan_day()")
    assert {r[0] for r in own} <= {org["lead1"]}
    assert {r[0] for r in limited(rep, PLAN, (org["rep1"],))} == {r[0] for r in own}
    for other in (org["rep2"], org["rep3"], org["mgr_a"], org["admin"]):  # team mate, other team, manager, admin
        refused(rep, PLAN, (other,))
        refused(rep, "SELECT * FROM salesflow.recommend_followup_actions(%s, 10, NULL, 4)", (other,))
    # forged identity (set first, for the session): a personal login is always its own user
    for setting, value in FORGE:
        for target in (org["rep2"], org["rep3"]):
            rep.execute(f"SELECT set_config('{setting}', %s, false)", (value(target),))
            refused(rep, "SELECT * FROM salesflow.plan_day()")
            refused(rep, PLAN, (target,))
            rep.execute(f"RESET \"{setting}\"")
    assert fingerprint(db) == before


def test_managers_plan_their_team_only_and_bad_input_is_refused(db, org, logins):  # noqa: F811
    mgr = logins.connect("manager")
    assert {r[0] for r in limited(mgr, PLAN, (org["rep1"],))} <= {org["lead1"]}
    limited(mgr, PLAN, (org["rep2"],))
    refused(mgr, PLAN, (org["rep3"],))  # another team
    refused(mgr, PLAN, (org["mgr_b"],))
    rep = logins.connect("rep")
    refused(rep, PLAN, (uuid.uuid4(),), states=("42501", "P0002"))  # unknown id: not visible
    today = dt.date.today()
    sunday = today + dt.timedelta(days=(6 - today.weekday()) % 7 or 7)
    for day in ("1999-01-01", "infinity", (today + dt.timedelta(days=400)).isoformat(), sunday.isoformat()):
        refused(rep, "SELECT * FROM salesflow.plan_day(NULL, %s::date)", (day,), states=("22023",))
    for cap in (0, -1, 51, 2**31 - 1):
        refused(rep, "SELECT * FROM salesflow.plan_day(NULL, NULL, %s)", (cap,), states=("22023",))
    refused(rep, "SELECT * FROM salesflow.plan_day(NULL, NULL, 4, 0)", states=("22023",))


def test_the_planner_and_the_channel_rule_are_internal(db, org, logins):  # noqa: F811
    for kind in ("rep", "manager", "unlinked", "outsider"):
        conn = logins.connect(kind)
        refused(conn, "SELECT * FROM salesflow.plan_action_slots(%s, NULL, 100, ARRAY[%s]::uuid[], NULL, NULL, NULL)",
                (org["rep3"], org["lead3"]))
        refused(conn, "SELECT * FROM salesflow.best_contact_windows(ARRAY[%s]::uuid[], 72)", (org["lead3"],))
        refused(conn, "SELECT * FROM salesflow.contact_channel('phone', NULL, 0, 'D', 'de', NULL, NULL, NULL)")
    # logins without identity plan nobody's day
    refused(logins.connect("unlinked"), "SELECT * FROM salesflow.plan_day()", states=("22023", "42501"))
    refused(logins.connect("unlinked"), PLAN, (org["rep1"],), states=("42501", "P0002"))
