"""Lead references: full uuid, unique id prefix (6+ hex digits), e-mail or name; ambiguity and
unknown references list the candidates and exit 2; visibility is the caller's."""

from __future__ import annotations

import json
import uuid

import psycopg
import pytest
from typer.testing import CliRunner

from salesflow_cli.main import cli
from salesflow_cli.refs import short_ids
from tests.factories import acting_as, make_team, make_user

runner = CliRunner()


def _lead_with_id(db, owner, lead_id, name, **cols):
    return db.execute("INSERT INTO salesflow.leads (id, user_id, name, email) VALUES (%s, %s, %s, %s) RETURNING id",
                      (lead_id, owner, name, cols.get("email"))).fetchone()[0]


@pytest.fixture
def people(db):
    team = make_team(db)
    rep = make_user(db, team, name="rita")
    other = make_user(db, make_team(db, "Team Süd"), name="otto")
    a = _lead_with_id(db, rep, "abcdef12-0000-4000-8000-000000000001", "Anna Becker", email="anna@example.org")
    b = _lead_with_id(db, rep, "abcdef12-0000-4000-8000-000000000002", "Bernd Kuhn", email="bernd@example.org")
    c = _lead_with_id(db, rep, "12345678-0000-4000-8000-000000000003", "Anna Becker", email="anna2@example.org")
    hidden = _lead_with_id(db, other, "fedcba98-0000-4000-8000-000000000004", "Hanna Hidden", email="hanna@example.org")
    return {"rep": rep, "other": other, "a": a, "b": b, "c": c, "hidden": hidden}


def _lead(dsn, ref, *extra):
    return runner.invoke(cli, ["lead", ref, "--json", "--dsn", dsn, *extra])


def test_full_id_prefix_and_email_find_the_lead(dsn, people):
    for ref in (str(people["a"]), str(people["a"]).upper(), "ANNA@example.org"):
        r = _lead(dsn, ref)
        assert r.exit_code == 0, (ref, r.output)
        assert json.loads(r.stdout)["lead"]["id"] == str(people["a"]), ref
    for ref in ("123456", "12345678-0000-4"):  # 6+ hex digits, dashes as typed, unique
        r = _lead(dsn, ref)
        assert r.exit_code == 0 and json.loads(r.stdout)["lead"]["id"] == str(people["c"]), r.output
    r = _lead(dsn, "Bernd Kuhn")
    assert r.exit_code == 0 and json.loads(r.stdout)["lead"]["id"] == str(people["b"])


def test_ambiguous_prefix_and_name_list_the_candidates(dsn, people):
    r = _lead(dsn, "abcdef")
    assert r.exit_code == 2
    assert "matches 2 leads" in r.stderr and str(people["a"]) in r.stderr and str(people["b"]) in r.stderr
    r = _lead(dsn, "anna becker")
    assert r.exit_code == 2 and str(people["a"]) in r.stderr and str(people["c"]) in r.stderr


def test_unknown_and_partial_references(dsn, people):
    r = _lead(dsn, "Nobody Atall")
    assert r.exit_code == 2 and "not found" in r.stderr
    r = _lead(dsn, "Bern")  # a partial name is a suggestion, never a match
    assert r.exit_code == 2 and "did you mean" in r.stderr and str(people["b"]) in r.stderr
    r = _lead(dsn, "abcde")  # 5 hex digits is no prefix (too short) and no name
    assert r.exit_code == 2


def test_a_rep_cannot_resolve_another_teams_lead(dsn, db, people):
    with acting_as(db, people["rep"]):
        rows = db.execute("SELECT lead_id FROM salesflow.find_leads('fedcba98')").fetchall()
        assert rows == []
        rows = db.execute("SELECT lead_id FROM salesflow.find_leads('Hanna')").fetchall()
        assert rows == []  # not even as a partial candidate
        rows = db.execute("SELECT lead_id FROM salesflow.find_leads('hanna@example.org')").fetchall()
        assert rows == []
    r = _lead(dsn, "fedcba98", "--user", "rita")
    assert r.exit_code == 2 and "Hanna" not in r.stderr


def test_bad_references_are_refused_with_22023(db):
    for ref, limit in (("", 6), ("x" * 400, 6), ("anna", 0), ("anna", 1000)):
        with pytest.raises(psycopg.errors.InvalidParameterValue):
            db.execute("SELECT * FROM salesflow.find_leads(%s, %s)", (ref, limit))
        db.rollback()


def test_short_ids_are_unique_among_the_shown_rows():
    ids = [uuid.UUID("abcdef12-3456-4000-8000-000000000001"), uuid.UUID("abcdef12-3457-4000-8000-000000000002"),
           uuid.UUID("99999999-0000-4000-8000-000000000003")]
    short = short_ids(ids)
    assert short[str(ids[2])] == "99999999"
    assert short[str(ids[0])] != short[str(ids[1])]
    assert all(str(i).startswith(short[str(i)]) and len(short[str(i)]) >= 8 for i in ids)
