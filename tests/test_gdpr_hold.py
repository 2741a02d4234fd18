"""Which leads an Art. 17 request may erase at once: a prospect yes; a restricted lead or a won
customer inside the legal keeping period (§257 HGB / §147 AO) only with --override-retention."""

from __future__ import annotations

import psycopg
import pytest

from tests.factories import add_activity, make_lead, make_user


def erase(db, lead, override=False):
    return db.execute("SELECT salesflow.gdpr_erase(%s, 'Ticket 12', %s)", (lead, override)).fetchone()[0]


def exists(db, lead) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM salesflow.leads WHERE id = %s)", (lead,)).fetchone()[0]


def test_a_prospect_is_erased_a_customer_and_a_restricted_lead_are_held(db):
    rep = make_user(db)
    prospect = make_lead(db, rep, "Paula Prospect")
    add_activity(db, prospect, rep, "in", body="Melde mich später.")
    customer = make_lead(db, rep, "Carl Customer", stage="won", closed_at="2025-05-04T10:00:00+02:00")
    restricted = make_lead(db, rep, "Rosa Restricted")
    db.execute("SELECT * FROM salesflow.restrict_lead(%s, 'legal claim pending', now() + interval '2 years')", (restricted,))
    assert db.execute("SELECT salesflow.gdpr_legal_hold_until(%s)", (prospect,)).fetchone()[0] is None
    erase(db, prospect)
    assert not exists(db, prospect)
    hold = db.execute("SELECT salesflow.gdpr_legal_hold_until(%s) AT TIME ZONE 'Europe/Berlin'", (customer,)).fetchone()[0]
    assert str(hold) == "2036-01-01 00:00:00"  # 10 years from the end of the year it closed
    for lead in (customer, restricted):
        with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState, match="must be kept until"):
            with db.transaction():
                erase(db, lead)
        assert exists(db, lead)
    assert erase(db, customer, override=True)["override_retention"] is True
    assert not exists(db, customer)
