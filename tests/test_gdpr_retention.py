"""Retention rules (issue 14 item 4): salesflow.retention_rules, apply_retention(p_dry_run) and
`salesflow gdpr retention [--dry-run]` — dated rows written as the owner, a dry run changes
nothing and reports, a real run erases lost inactive leads and restricted leads past their legal
period, restricts leads that withdrew consent and dates open-ended restrictions; admin edits of the
shipped rules survive a redeploy of the data file."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg
import pytest

from tests.attackers import fingerprint
from tests.factories import add_activity, make_lead, make_team, make_user
from tests.proc import run_cli

DATA = Path(__file__).resolve().parent.parent / "sql" / "data" / "retention_rules.sql"


def old_activity(db, lead, user, ago: str):
    return add_activity(db, lead, user, "in", body="alt", occurred_at=db.execute(f"SELECT now() - interval '{ago}'").fetchone()[0])


@pytest.fixture
def w(db):
    team = make_team(db, "Team Archiv")
    rep = make_user(db, team, "rep", name="rolf")
    ago = lambda s: db.execute(f"SELECT now() - interval '{s}'").fetchone()[0]  # noqa: E731
    o = {"rep": rep}
    # lost 26 months ago, last activity 27 months ago -> erased (lost_inactive_24m)
    o["lost_old"] = make_lead(db, rep, "Lars Lost", stage="lost", created_at=ago("30 months"), closed_at=ago("26 months"))
    old_activity(db, o["lost_old"], rep, "27 months")
    # lost long ago but wrote last month -> kept
    o["lost_recent"] = make_lead(db, rep, "Lea Lost", stage="lost", created_at=ago("30 months"), closed_at=ago("26 months"))
    old_activity(db, o["lost_recent"], rep, "1 month")
    # lost a year ago -> kept
    o["lost_young"] = make_lead(db, rep, "Lou Lost", stage="lost", created_at=ago("14 months"), closed_at=ago("12 months"))
    # open, consent withdrawn -> restricted until the end of the year of its last activity + 6 years
    o["withdrawn"] = make_lead(db, rep, "Willi Withdrawn", consent=True)
    add_activity(db, o["withdrawn"], rep, "in", body="Bitte nicht mehr schreiben.")
    db.execute("UPDATE salesflow.leads SET consent = false WHERE id = %s", (o["withdrawn"],))
    # restricted, legal period ended yesterday -> erased (restriction_expired)
    o["expired"] = make_lead(db, rep, "Ernst Expired", restricted_at=ago("7 years"), restricted_until=ago("1 day"),
                             restriction_reason="§257 HGB")
    # restricted without an end, won in 2020 with letters until 2019 -> until 2031-01-01 (accounting, 10 years)
    o["won"] = make_lead(db, rep, "Wanda Won", stage="won", created_at="2019-03-01T10:00:00+01:00",
                         closed_at="2020-05-04T10:00:00+02:00", restricted_at=ago("1 day"), restriction_reason="Art. 18")
    add_activity(db, o["won"], rep, "in", body="Danke!", occurred_at="2019-06-01T10:00:00+02:00")
    # an open lead nobody should touch
    o["open"] = make_lead(db, rep, "Olga Open", consent=True)
    old_activity(db, o["open"], rep, "40 months")
    return o


def result(rows) -> dict[str, tuple]:
    return {r[0]: (r[1], r[2]) for r in rows}


EXPECTED = {
    "consent_withdrawn": ("restrict", 1),
    "hgb_business_letters_6y": ("restrict", 1),
    "hgb_accounting_records_10y": ("restrict", 1),
    "lost_inactive_24m": ("erase", 1),
    "restriction_expired": ("erase", 1),
}


def test_shipped_rules(db):
    rules = db.execute("SELECT rule_key, condition, action, period::text, from_year_end, enabled "
                       "FROM salesflow.retention_rules ORDER BY rule_key").fetchall()
    assert rules == [
        ("consent_withdrawn", "consent_withdrawn", "restrict", "00:00:00", False, True),
        ("hgb_accounting_records_10y", "accounting_records", "restrict", "10 years", True, True),
        ("hgb_business_letters_6y", "business_letters", "restrict", "6 years", True, True),
        ("lost_inactive_24m", "lost_inactive", "erase", "2 years", False, True),
        ("restriction_expired", "restriction_expired", "erase", "00:00:00", False, True),
    ]


def test_dry_run_changes_nothing_and_reports(db, w):
    before = fingerprint(db)
    rows = db.execute("SELECT * FROM salesflow.apply_retention(true)").fetchall()
    assert result(rows) == EXPECTED and all(r[3] for r in rows)
    assert fingerprint(db) == before


def test_apply_erases_restricts_and_dates(db, w):
    rows = db.execute("SELECT * FROM salesflow.apply_retention(false)").fetchall()
    # the accounting rule (key order) dated the won lead first: nothing left for the letters rule
    assert result(rows) == {**EXPECTED, "hgb_business_letters_6y": ("restrict", 0)} and not any(r[3] for r in rows)
    left = {r[0] for r in db.execute("SELECT id FROM salesflow.leads")}
    assert left == {w["lost_recent"], w["lost_young"], w["withdrawn"], w["won"], w["open"]}
    assert db.execute("SELECT count(*) FROM salesflow.lead_activities WHERE lead_id = %s", (w["lost_old"],)).fetchone()[0] == 0
    year = db.execute("SELECT extract(year FROM now() AT TIME ZONE 'Europe/Berlin')::int").fetchone()[0]
    restricted = {r[0]: r[1:] for r in db.execute(
        "SELECT id, (restricted_until AT TIME ZONE 'Europe/Berlin')::text, restriction_reason FROM salesflow.leads "
        "WHERE restricted_at IS NOT NULL")}
    assert restricted == {
        w["withdrawn"]: (f"{year + 7}-01-01 00:00:00", "retention: consent_withdrawn"),
        w["won"]: ("2031-01-01 00:00:00", "Art. 18"),
    }
    assert db.execute("SELECT rule_key FROM salesflow.restriction_events WHERE lead_id = %s", (w["won"],)).fetchall() \
        == [("hgb_accounting_records_10y",)]
    # a second run finds nothing left to do
    again = db.execute("SELECT * FROM salesflow.apply_retention(false)").fetchall()
    assert {k: v[1] for k, v in result(again).items()} == {k: 0 for k in EXPECTED}


def test_admin_edits_survive_the_data_file_and_disabled_rules_do_nothing(db, w):
    db.execute("UPDATE salesflow.retention_rules SET period = interval '36 months' WHERE rule_key = 'lost_inactive_24m'")
    db.execute("UPDATE salesflow.retention_rules SET enabled = false WHERE rule_key = 'restriction_expired'")
    db.execute(DATA.read_text(encoding="utf-8"))
    assert db.execute("SELECT period::text FROM salesflow.retention_rules WHERE rule_key = 'lost_inactive_24m'").fetchone()[0] \
        == "3 years"
    rows = result(db.execute("SELECT * FROM salesflow.apply_retention(false)").fetchall())
    assert "restriction_expired" not in rows and rows["lost_inactive_24m"] == ("erase", 0)
    assert db.execute("SELECT count(*) FROM salesflow.leads WHERE id IN (%s, %s)", (w["lost_old"], w["expired"])).fetchone()[0] == 2


def test_bad_rules_and_input(db):
    for q in ("SELECT * FROM salesflow.apply_retention(NULL)",):
        with pytest.raises(psycopg.Error) as info:
            db.execute(q)
        assert info.value.sqlstate == "22023"
    bad_rules = [
        "INSERT INTO salesflow.retention_rules (rule_key, condition, action, period, description) "
        "VALUES ('x_rule', 'lost_inactive', 'restrict', interval '1 year', 'x')",  # lost_inactive erases
        "INSERT INTO salesflow.retention_rules (rule_key, condition, action, period, description) "
        "VALUES ('x_rule', 'lost_inactive', 'erase', interval '-1 year', 'x')",  # bad period
        "INSERT INTO salesflow.retention_rules (rule_key, condition, action, period, description) "
        "VALUES ('x_rule', 'lost_inactive', 'erase', interval '31 years', 'x')",
        "INSERT INTO salesflow.retention_rules (rule_key, condition, action, period, description) "
        "VALUES ('x_rule', 'whenever', 'erase', interval '1 year', 'x')",
        "INSERT INTO salesflow.retention_rules (rule_key, condition, action, period, description) "
        "VALUES ('X Rule', 'lost_inactive', 'erase', interval '1 year', 'x')",
    ]
    for q in bad_rules:
        with pytest.raises(psycopg.Error) as info:
            db.execute(q)
        assert info.value.sqlstate == "23514", q


def test_cli_retention(db, dsn, w):
    r = run_cli("gdpr", "retention", "--dry-run", "--json", "--dsn", dsn)
    assert r.returncode == 0, r.stderr
    assert {x["rule_key"]: (x["action"], x["leads"]) for x in json.loads(r.stdout)} == EXPECTED
    assert db.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 7
    r = run_cli("gdpr", "retention", "--dry-run", "--dsn", dsn)
    assert r.returncode == 0 and "would erase" in r.stdout and "lost_inactive_24m" in r.stdout
    r = run_cli("gdpr", "retention", "--quiet", "--dsn", dsn)
    assert r.returncode == 0 and r.stdout.strip() == ""
    assert db.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0] == 5
    r = run_cli("gdpr", "retention", "--user", "rolf@example.org", "--dsn", dsn)
    assert r.returncode == 2 and "42501" in r.stderr
