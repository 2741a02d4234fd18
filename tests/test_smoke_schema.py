"""The deployed template holds the full schema: a first check that the harness works."""

from tests.factories import acting_as, make_lead, make_team, make_user


def test_bant_generated_total_and_light(db):
    team = make_team(db)
    rep = make_user(db, team)
    lead = make_lead(db, rep)
    row = db.execute(
        "INSERT INTO salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline) "
        "VALUES (%s, %s, 8, 7, 9, 6) RETURNING total_score, traffic_light", (lead, rep)).fetchone()
    assert (float(row[0]), row[1]) == (75.0, "green")


def test_rep_sees_only_own_leads(db):
    team = make_team(db)
    alice, bob = make_user(db, team), make_user(db, team)
    make_lead(db, alice, "Lead A")
    make_lead(db, bob, "Lead B")
    with acting_as(db, alice):
        names = [r[0] for r in db.execute("SELECT name FROM salesflow.leads").fetchall()]
    assert names == ["Lead A"]
