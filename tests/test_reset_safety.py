"""seed --reset and demo --reset refuse (exit 2, nothing deleted) on a database holding leads the
seed did not create, unless --yes-delete-imported-data."""

from __future__ import annotations

from tests.factories import make_lead, make_user
from tests.proc import run_cli


def leads(db, where="true"):
    return db.execute(f"SELECT count(*) FROM salesflow.leads WHERE {where}").fetchone()[0]


def test_seed_marks_its_leads_and_reset_keeps_imported_ones(db, dsn):
    ran = run_cli("seed", "--users", "2", "--leads-per-user", "5", "--activities-per-lead", "2", "--dsn", dsn, "--quiet")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert leads(db) == leads(db, "origin = 'seed'") == 10
    # seed-only data: --reset replaces it without asking
    assert run_cli("seed", "--users", "2", "--leads-per-user", "3", "--reset", "--dsn", dsn, "--quiet").returncode == 0
    assert leads(db) == 6
    rep = make_user(db)
    make_lead(db, rep, "Hand Made")  # origin 'manual' by default
    db.execute("UPDATE salesflow.leads SET origin = 'import' WHERE id = (SELECT id FROM salesflow.leads WHERE origin = 'seed' LIMIT 1)")
    for cmd in (("seed", "--users", "1", "--leads-per-user", "1"), ("demo", "--users", "1", "--leads-per-user", "10")):
        ran = run_cli(*cmd, "--reset", "--dsn", dsn)
        out = ran.stdout + ran.stderr
        assert ran.returncode == 2, out
        assert "2 leads that salesflow seed did not create" in out and "--yes-delete-imported-data" in out
        assert leads(db) == 7 and leads(db, "origin <> 'seed'") == 2
    ran = run_cli("seed", "--users", "1", "--leads-per-user", "1", "--reset", "--yes-delete-imported-data", "--dsn", dsn, "--quiet")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert leads(db) == 1 and leads(db, "origin <> 'seed'") == 0
    # the reference data the imports need survive a reset
    assert db.execute("SELECT count(*) FROM salesflow.countries").fetchone()[0] > 200
    assert db.execute("SELECT count(*) FROM salesflow.import_stage_map").fetchone()[0] > 50
