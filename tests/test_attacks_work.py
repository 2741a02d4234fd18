"""The attack suite, working-the-day edition: what a rep or manager with psql could try against the
lookup and write-back functions of the CLI (tests/attackers.py logins, real roles and RLS)."""

from __future__ import annotations

from tests.attackers import fingerprint
from tests.test_attacks import limited, logins, refused  # noqa: F401  (fixtures and counters)
from tests.test_rls import org, populate  # noqa: F401  (fixtures)


def test_find_leads_never_names_a_lead_the_caller_may_not_see(db, org, logins):  # noqa: F811
    before = fingerprint(db)
    foreign = str(org["lead3"])  # team B
    name, email = db.execute("SELECT name, email FROM salesflow.leads WHERE id = %s", (org["lead3"],)).fetchone()
    for kind in ("rep", "manager"):  # rep1 and manager A, both team A
        conn = logins.connect(kind)
        for ref in (foreign, foreign[:8], foreign[:6], name, name[:3], email or "x@example.org"):
            rows = limited(conn, "SELECT lead_id FROM salesflow.find_leads(%s)", (ref,))
            assert str(org["lead3"]) not in {str(r[0]) for r in rows}, (kind, ref)
        # asserting rep3's identity is refused: a personal login is always itself
        conn.execute("SELECT set_config('salesflow.user_id', %s, false)", (str(org["rep3"]),))
        refused(conn, "SELECT lead_id FROM salesflow.find_leads(%s)", (foreign,))
        conn.execute("RESET salesflow.user_id")
    rep = logins.connect("rep")
    assert [str(r[0]) for r in limited(rep, "SELECT lead_id FROM salesflow.find_leads(%s)", (str(org["lead1"]),))] \
        == [str(org["lead1"])]
    refused(logins.connect("unlinked"), "SELECT * FROM salesflow.find_leads(%s)", (str(org["lead1"]),))
    assert fingerprint(db) == before
