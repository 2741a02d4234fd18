"""salesflow demo: from an empty database to the dashboard, then again reusing its data."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from salesflow_cli.main import cli

runner = CliRunner()
SECTIONS = ("Top scored leads", "Next best actions for", "Conversion funnel", "DISG insights", "Timings")


def test_demo_from_nothing_shows_every_section(empty_db):
    r = runner.invoke(cli, ["demo", "--dsn", empty_db, "--users", "2", "--leads-per-user", "60", "--lang", "en"])
    assert r.exit_code == 0, r.output
    for section in SECTIONS:
        assert section in r.stdout, section
    assert "seeded 120 leads" in r.stdout
    assert "total" in r.stdout

    # second run: reuses the demo data, JSON for scripts
    r = runner.invoke(cli, ["demo", "--dsn", empty_db, "--users", "2", "--leads-per-user", "60", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["seeded"] is False
    assert d["leads"] and d["actions"] and len(d["funnel"]) == 5 and d["insights"]
    assert all(a["reason"] and a["channel"] for a in d["actions"])
    assert any(a["contact_window"] for a in d["actions"])
    assert {"deploy", "seed", "refresh", "queries", "total"} <= set(d["timings"])
    rep_leads = {a["lead_id"] for a in d["actions"]}
    assert rep_leads  # the actions belong to the demo rep
    assert d["rep"]["open_leads"] > 0
    # without --lang the dashboard speaks the shown rep's language (their reasons are written in it)
    r = runner.invoke(cli, ["demo", "--dsn", empty_db, "--users", "2", "--leads-per-user", "60"])
    assert r.exit_code == 0, r.output
    german = ("Beste Leads", "Nächste beste Aktionen für", "Conversion-Trichter", "DISG-Auswertung", "Zeiten")
    expected = german if d["rep"]["language"] == "de" else SECTIONS
    assert all(section in r.stdout for section in expected), r.stdout


def test_demo_refuses_foreign_data_without_reset(empty_db):
    not_deployed = runner.invoke(cli, ["seed", "--dsn", empty_db, "--users", "1", "--leads-per-user", "10"])
    assert not_deployed.exit_code == 1 and "salesflow deploy" in not_deployed.output
    r = runner.invoke(cli, ["demo", "--dsn", empty_db, "--users", "1", "--leads-per-user", "20", "--seed", "5"])
    assert r.exit_code == 0, r.output
    other = runner.invoke(cli, ["demo", "--dsn", empty_db, "--users", "1", "--leads-per-user", "20", "--seed", "6"])
    assert other.exit_code == 2 and "--reset" in other.output
    again = runner.invoke(cli, ["demo", "--dsn", empty_db, "--users", "1", "--leads-per-user", "20", "--seed", "6",
                                "--reset", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["seeded"] is True
