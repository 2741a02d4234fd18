"""salesflow import leads|users|activities|whatsapp and salesflow export, end to end on the
fixture files: presets, encodings, normalisation, idempotency, bad input, RLS, round trip."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

import psycopg
import pytest

from salesflow_cli.deploy import run_deploy
from tests.factories import make_lead, make_team, make_user
from tests.proc import run_cli

FIX = Path(__file__).parent / "fixtures"
IMP = FIX / "import"
WA = FIX / "whatsapp"


def imp(dsn, *args):
    return run_cli("import", *args, "--dsn", dsn, "--quiet")


@pytest.fixture
def people(db, dsn):
    ran = imp(dsn, "users", str(IMP / "users.csv"), "--skip-invalid", "--rejects", "/dev/null")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return {e: i for e, i in db.execute("SELECT email, id FROM salesflow.users")}


def count(db, table, where="true"):
    return db.execute(f"SELECT count(*) FROM salesflow.{table} WHERE {where}").fetchone()[0]


def test_users_file_sets_up_teams(db, dsn, people):
    teams = dict(db.execute("SELECT u.email, t.name FROM salesflow.users AS u JOIN salesflow.teams AS t ON t.id = u.team_id"))
    assert teams["anna.berger@salesflow.example"] == "Team Berlin"
    assert db.execute("SELECT role FROM salesflow.users WHERE email = 'anna.berger@salesflow.example'").fetchone()[0] == "manager"


def test_hubspot_all_or_nothing_then_skip_invalid_then_idempotent(db, dsn, people, tmp_path):
    src = tmp_path / "contacts.csv"
    shutil.copy(IMP / "hubspot_contacts.csv", src)
    ran = imp(dsn, "leads", str(src), "--from", "hubspot")
    assert ran.returncode == 2 and "nothing written" in ran.stdout and "Refused" in ran.stdout
    assert count(db, "leads") == 0
    ran = imp(dsn, "leads", str(src), "--from", "hubspot", "--dry-run", "--json")
    assert ran.returncode == 2 and json.loads(ran.stdout)["committed"] is False and count(db, "leads") == 0
    ran = imp(dsn, "leads", str(src), "--from", "hubspot", "--skip-invalid", "--json")
    out = json.loads(ran.stdout)
    assert ran.returncode == 0 and out["committed"] and out["counts"]["created"] > 0
    rejects = list(csv.DictReader((tmp_path / "contacts.csv.rejects.csv").open(encoding="utf-8-sig")))
    assert rejects and {r["line"] for r in rejects} == {str(r["line"]) for r in out["rejects"]}
    assert all(r["reason"] for r in rejects)
    created = out["counts"]["created"]
    assert count(db, "leads", "origin = 'import' AND external_system = 'hubspot'") == created
    again = imp(dsn, "leads", str(src), "--from", "hubspot", "--skip-invalid")
    assert again.returncode == 0 and f"imported 0 new, 0 updated, {created} unchanged" in again.stdout
    assert count(db, "leads") == created


def test_windows_1252_semicolons_german_dates_and_money(db, dsn, people):
    ran = imp(dsn, "leads", str(IMP / "excel_de_leads.csv"), "--owner", "max.weber@salesflow.example",
              "--skip-invalid", "--rejects", "/dev/null", "--json")
    assert ran.returncode == 0, ran.stdout
    rows = db.execute("SELECT name, phone, deal_value, created_at, country, language FROM salesflow.leads").fetchall()
    names = {r[0] for r in rows}
    assert any(ch in "".join(names) for ch in "äöüß"), names  # umlauts decoded from cp1252
    assert all(r[1] is None or r[1].startswith("+") for r in rows)
    assert any(r[2] is not None and r[2] != int(r[2]) for r in rows)  # "1.234,56" kept its cents
    assert all(r[4] in (None, "DE", "AT", "CH") for r in rows)


def test_pipedrive_and_salesforce_presets(db, dsn, people):
    ran = imp(dsn, "leads", str(IMP / "pipedrive_deals.csv"), "--from", "pipedrive", "--owner", "anna.berger@salesflow.example",
              "--skip-invalid", "--rejects", "/dev/null")
    assert ran.returncode == 0, ran.stdout
    stages = {s for (s,) in db.execute("SELECT stage FROM salesflow.leads WHERE external_system = 'pipedrive'")}
    assert stages and stages <= {"new", "contacted", "replied", "meeting", "proposal", "won", "lost"}
    ran = imp(dsn, "leads", str(IMP / "salesforce_leads.csv"), "--from", "salesforce", "--map", "OwnerId=-",
              "--owner", "chris.miller@salesflow.example", "--skip-invalid", "--rejects", "/dev/null")
    assert ran.returncode == 0, ran.stdout
    sf = db.execute("SELECT count(*), count(*) FILTER (WHERE country IS NOT NULL) FROM salesflow.leads "
                    "WHERE external_system = 'salesforce'").fetchone()
    assert sf[0] > 0 and sf[1] > 0


def test_bad_options_exit_2_and_write_nothing(db, dsn, people, tmp_path):
    for args, needle in [
        (("leads", str(IMP / "hubspot_contacts.csv"), "--from", "zoho"), "not a preset"),
        (("leads", str(tmp_path / "missing.csv")), "no such file"),
        (("leads", str(IMP / "hubspot_contacts.csv"), "--from", "hubspot", "--map", "Nope=name"), "Nope"),
        (("leads", str(IMP / "hubspot_contacts.csv"), "--skip-invalid", "--dry-run"), "exclude each other"),
        (("leads", str(IMP / "hubspot_contacts.csv"), "--stage-map", "nothing"), "VALUE=TARGET"),
    ]:
        ran = imp(dsn, *args)
        assert ran.returncode == 2, (args, ran.stdout, ran.stderr)
        assert needle in ran.stdout + ran.stderr, (args, ran.stdout + ran.stderr)
    assert count(db, "leads") == 0 and count(db, "import_batches", "kind = 'leads'") == 0


def test_a_rep_imports_as_themselves_only(db, dsn, people):
    ran = imp(dsn, "leads", str(IMP / "hubspot_contacts.csv"), "--from", "hubspot", "--user", "max.weber@salesflow.example",
              "--skip-invalid", "--rejects", "/dev/null", "--json")
    out = json.loads(ran.stdout)
    owners = {o for (o,) in db.execute("SELECT DISTINCT user_id FROM salesflow.leads")}
    assert owners <= {people["max.weber@salesflow.example"]}
    assert any(r["field"] == "owner" for r in out["rejects"])  # rows owned by Anna are not Max's to import
    ran = imp(dsn, "users", str(IMP / "users.csv"), "--user", "max.weber@salesflow.example")
    assert ran.returncode != 0 and "admin operation" in ran.stdout + ran.stderr


def test_activities_log(db, dsn, people):
    imp(dsn, "leads", str(IMP / "hubspot_contacts.csv"), "--from", "hubspot", "--skip-invalid", "--rejects", "/dev/null")
    ran = imp(dsn, "activities", str(IMP / "activities.csv"), "--system", "hubspot", "--skip-invalid", "--rejects", "/dev/null",
              "--json")
    out = json.loads(ran.stdout)
    assert ran.returncode == 0 and out["counts"]["created"] > 0
    assert count(db, "lead_activities", "fingerprint IS NOT NULL") == out["counts"]["created"]
    again = json.loads(imp(dsn, "activities", str(IMP / "activities.csv"), "--system", "hubspot", "--skip-invalid",
                           "--rejects", "/dev/null", "--json").stdout)
    assert again["counts"]["created"] == 0 and again["counts"]["unchanged"] == out["counts"]["created"]


def test_whatsapp_android_de_new_lead_idempotent_in_the_leads_zone(db, dsn, people):
    ran = imp(dsn, "whatsapp", str(WA / "android_de.txt"), "--new-lead", "--owner", "anna.berger@salesflow.example",
              "--me", "Jana Vogt", "--json")
    out = json.loads(ran.stdout)
    assert ran.returncode == 0, ran.stdout
    lead = out["counts"]["lead"]
    assert db.execute("SELECT name, origin FROM salesflow.leads WHERE id = %s", (lead,)).fetchone() == ("Markus Weber", "import")
    first = db.execute("SELECT direction, occurred_at AT TIME ZONE 'Europe/Berlin', body FROM salesflow.lead_activities "
                       "WHERE lead_id = %s ORDER BY occurred_at, id LIMIT 1", (lead,)).fetchone()
    assert first[0] == "out" and str(first[1]) == "2024-03-12 14:05:00" and first[2].startswith("Hallo Markus")
    n = out["counts"]["created"]
    assert n == count(db, "lead_activities", f"lead_id = '{lead}'") and out["counts"]["media"] >= 1
    assert db.execute("SELECT inbound_count, outbound_count FROM salesflow.lead_engagement WHERE lead_id = %s",
                      (lead,)).fetchone() == (
        count(db, "lead_activities", f"lead_id = '{lead}' AND direction = 'in'"),
        count(db, "lead_activities", f"lead_id = '{lead}' AND direction = 'out'"))
    again = json.loads(imp(dsn, "whatsapp", str(WA / "android_de.txt"), "--new-lead", "--owner", "anna.berger@salesflow.example",
                           "--me", "Jana Vogt", "--json").stdout)
    assert again["counts"]["lead"] == lead and again["counts"]["created"] == 0 and again["counts"]["unchanged"] == n


def test_whatsapp_ios_zip_into_a_known_lead(db, dsn, people, tmp_path):
    text = (WA / "ios_en.txt").read_text(encoding="utf-8")
    senders = [line.split("] ", 1)[1].split(":", 1)[0].lstrip("\u200e") for line in text.splitlines() if line.lstrip("\u200e").startswith("[")]
    partner = next(s for s in senders if s != senders[0])
    zpath = tmp_path / "WhatsApp Chat - x.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        z.writestr("_chat.txt", text)
    lead = make_lead(db, people["chris.miller@salesflow.example"], partner, timezone="America/New_York", language="en")
    ran = imp(dsn, "whatsapp", str(zpath), "--lead", str(lead), "--me", senders[0], "--json")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    out = json.loads(ran.stdout)
    assert out["counts"]["created"] == count(db, "lead_activities", f"lead_id = '{lead}'") > 0
    assert imp(dsn, "whatsapp", str(zpath), "--lead", str(lead), "--me", "Somebody Else").returncode == 2
    assert imp(dsn, "whatsapp", str(zpath), "--lead", str(lead), "--new-lead").returncode == 2


def test_export_respects_rls_and_round_trips_into_a_fresh_database(db, dsn, people, new_db, tmp_path):
    imp(dsn, "leads", str(IMP / "hubspot_contacts.csv"), "--from", "hubspot", "--skip-invalid", "--rejects", "/dev/null")
    imp(dsn, "whatsapp", str(WA / "android_de.txt"), "--new-lead", "--owner", "max.weber@salesflow.example", "--me", "Jana Vogt")
    leads_csv, acts_csv = tmp_path / "leads.csv", tmp_path / "activities.csv"
    assert run_cli("export", "leads", "--dsn", dsn, "-o", str(leads_csv)).returncode == 0
    assert run_cli("export", "activities", "--dsn", dsn, "-o", str(acts_csv)).returncode == 0
    mine = run_cli("export", "leads", "--dsn", dsn, "--user", "max.weber@salesflow.example", "--format", "json")
    owners = [r["owner"] for r in json.loads(mine.stdout)]
    assert mine.returncode == 0 and set(owners) == {"max.weber@salesflow.example"}
    assert len(owners) == count(db, "leads", f"user_id = '{people['max.weber@salesflow.example']}'") < count(db, "leads")

    fresh = new_db()
    run_deploy(fresh, quiet=True)
    assert imp(fresh, "users", str(IMP / "users.csv"), "--skip-invalid", "--rejects", "/dev/null").returncode == 0
    ran = imp(fresh, "leads", str(leads_csv), "--system", "salesflow")
    assert ran.returncode == 0, ran.stdout
    ran = imp(fresh, "activities", str(acts_csv), "--system", "salesflow")
    assert ran.returncode == 0, ran.stdout
    q_leads = ("SELECT l.name, l.email, l.phone, u.email, l.stage, l.source, l.country, l.deal_value, l.created_at "
               "FROM salesflow.leads AS l JOIN salesflow.users AS u ON u.id = l.user_id ORDER BY 1, 2, 9")
    q_acts = ("SELECT l.name, a.channel, a.direction, a.kind, a.occurred_at, a.body FROM salesflow.lead_activities AS a "
              "JOIN salesflow.leads AS l ON l.id = a.lead_id ORDER BY 1, 5, 6")
    with psycopg.connect(fresh) as other:
        assert other.execute(q_leads).fetchall() == db.execute(q_leads).fetchall()
        assert other.execute(q_acts).fetchall() == db.execute(q_acts).fetchall()


def test_export_bad_input(dsn):
    assert run_cli("export", "everything", "--dsn", dsn).returncode == 2
    assert run_cli("export", "leads", "--format", "xml", "--dsn", dsn).returncode == 2


assert make_team and make_user


def test_columns_read_but_not_stored_are_named(db, dsn, people):
    ran = imp(dsn, "leads", str(IMP / "pipedrive_deals.csv"), "--from", "pipedrive", "--owner", "anna.berger@salesflow.example",
              "--skip-invalid", "--rejects", "/dev/null", "--json")
    warnings = json.loads(ran.stdout)["counts"].get("warnings", [])
    assert any("'Deal - Lost reason' (lost_reason) is read but not stored" in w for w in warnings), warnings
