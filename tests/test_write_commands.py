"""Write-back commands (issue 12 item 1): lead add, log, followup, rec, stage, playbook, profile.

Each command runs through the CLI as a `--user` (identity + the user's group role, so RLS applies)
against a real database: the rows really change and the triggers' consequences are visible; someone
else's row, bad input and a wrong state are refused with nothing written (a fingerprint of every
table); --json prints the function's row(s) with their codes."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from rich.console import Console
from typer.testing import CliRunner

from salesflow_cli.main import cli
from salesflow_cli.work import when
from tests.attackers import fingerprint
from tests.factories import add_activity, drain, make_lead, make_team, make_user

runner = CliRunner()
BLOCKED_DE = "Mit uns verdienst du garantiert 5.000 € im Monat."  # income_guarantee_de: critical
FLAGGED_DE = "Unser Produkt ist TÜV-geprüft, das überzeugt jeden."  # false_approval: high
HARMLESS_DE = "Hallo Anna, passt dir Dienstag um 10 Uhr für einen kurzen Anruf?"


@pytest.fixture
def w(db):
    a, b = make_team(db, "Team A"), make_team(db, "Team B")
    o = {"rep": make_user(db, a, name="rita"), "rep2": make_user(db, a, name="rudi"),
         "mgr": make_user(db, a, "manager", name="mara"), "rep3": make_user(db, b, name="otto", language="en")}
    o["lead"] = make_lead(db, o["rep"], "Anna Becker", email="anna@example.org", consent=True, language="de")
    o["nc"] = make_lead(db, o["rep"], "Nina Ohne", email="nina@example.org")  # consent never given
    o["lead2"] = make_lead(db, o["rep2"], "Bert Kollege", email="bert@example.org", consent=True)
    o["lead3"] = make_lead(db, o["rep3"], "Carl Fremd", email="carl@example.org", consent=True)
    for k in ("lead", "lead2", "lead3"):
        owner = {"lead": o["rep"], "lead2": o["rep2"], "lead3": o["rep3"]}[k]
        o[f"fu_{k}"] = db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now()) RETURNING id",
                                  (o[k], owner)).fetchone()[0]
        o[f"rec_{k}"] = db.execute("INSERT INTO salesflow.ai_recommendations (lead_id, user_id, rec_type, title) "
                                   "VALUES (%s, %s, 'call_back', 'Anrufen') RETURNING id", (o[k], owner)).fetchone()[0]
    return o


def run(dsn, *args, user="rita@example.org"):
    return runner.invoke(cli, [*args, "--dsn", dsn, *(["--user", user] if user else [])])


def refused_unchanged(db, result, code, state=None):
    assert result.exit_code == code, (result.output, result.stderr)
    if state:
        assert f"[{state}]" in result.stderr, result.stderr


# --------------------------------------------------------------------------- lead add / show


def test_lead_add_creates_the_lead_with_the_owners_defaults_and_consent(db, dsn, w):
    r = run(dsn, "lead", "add", "Dora Neu", "--email", "dora@example.org", "--country", "Österreich",
            "--consent", "Ja, per WhatsApp.", "--value", "1200", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) >= {"lead_id", "owner_id", "stage", "consent"} and out["stage"] == "new" and out["consent"] is True
    row = db.execute("SELECT user_id, country, language, timezone, deal_value, consent FROM salesflow.leads WHERE id = %s",
                     (out["lead_id"],)).fetchone()
    assert row == (w["rep"], "AT", "de", "Europe/Berlin", 1200, True)
    ev = db.execute("SELECT source, wording FROM salesflow.consent_events WHERE lead_id = %s", (out["lead_id"],)).fetchall()
    assert ev == [("cli", "Ja, per WhatsApp.")]
    assert db.execute("SELECT count(*) FROM salesflow.lead_engagement WHERE lead_id = %s", (out["lead_id"],)).fetchone()[0] == 1


def test_lead_add_won_sets_closed_at_and_a_manager_adds_for_the_team(db, dsn, w):
    r = run(dsn, "lead", "add", "Emil Sofort", "--stage", "won", "--owner", "rita@example.org", "--json", user="mara@example.org")
    assert r.exit_code == 0, r.stderr
    lead_id = json.loads(r.stdout)["lead_id"]
    assert db.execute("SELECT user_id, closed_at IS NOT NULL FROM salesflow.leads WHERE id = %s", (lead_id,)).fetchone() == (w["rep"], True)


def test_lead_add_for_someone_else_or_with_bad_values_writes_nothing(db, dsn, w):
    before = fingerprint(db)
    refused_unchanged(db, run(dsn, "lead", "add", "X", "--owner", "rudi@example.org"), 2)  # a colleague: not even visible
    refused_unchanged(db, run(dsn, "lead", "add", "X", "--owner", "otto@example.org", user="mara@example.org"), 2)  # other team
    refused_unchanged(db, run(dsn, "lead", "add", "X", "--email", "not-an-email"), 2, "22023")
    refused_unchanged(db, run(dsn, "lead", "add", "X", "--country", "Atlantis"), 2, "22023")
    refused_unchanged(db, run(dsn, "lead", "add", "X", "--stage", "gewonnen"), 2, "22023")
    refused_unchanged(db, run(dsn, "lead", "add", "  "), 2, "22023")
    refused_unchanged(db, run(dsn, "lead", "add", "X", user=None), 2, "22023")  # the owner must name one
    assert fingerprint(db) == before


def test_lead_stays_a_show_command(dsn, w):
    lead = str(w["lead"])
    plain, show = run(dsn, "lead", lead, "--json"), run(dsn, "lead", "show", lead, "--json")
    assert plain.exit_code == 0 and show.exit_code == 0, (plain.stderr, show.stderr)
    assert json.loads(plain.stdout)["lead"]["id"] == json.loads(show.stdout)["lead"]["id"] == lead
    assert run(dsn, "lead", "--json", lead).exit_code == 0  # an option first still shows
    assert run(dsn, "lead", str(w["lead3"])).exit_code == 2  # another team's lead: not visible


# --------------------------------------------------------------------------- log


def _engagement(db, lead):
    return db.execute("SELECT inbound_count, outbound_count, last_inbound_at FROM salesflow.lead_engagement WHERE lead_id = %s",
                      (lead,)).fetchone()


def test_log_inbound_message_updates_engagement_and_json(db, dsn, w):
    assert _engagement(db, w["lead"])[0] == 0
    r = run(dsn, "log", "anna@example.org", "Klingt gut, ruf mich an!", "--channel", "whatsapp", "--in", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["outcome"] == "saved" and out["activity_id"] and out["decision"] is None
    assert _engagement(db, w["lead"])[0] == 0  # counted by the next drain (cron), not in the rep's transaction
    drain(db)
    assert _engagement(db, w["lead"])[0] == 1 and _engagement(db, w["lead"])[2] is not None
    assert db.execute("SELECT direction, kind, body FROM salesflow.lead_activities WHERE id = %s",
                      (out["activity_id"],)).fetchone() == ("in", "message", "Klingt gut, ruf mich an!")


def test_log_call_at_a_past_time(db, dsn, w):
    r = run(dsn, "log", "Anna Becker", "Kurz telefoniert", "--channel", "phone", "--out", "--kind", "call", "--at", "-2h", "--json")
    assert r.exit_code == 0, r.stderr
    at = db.execute("SELECT occurred_at FROM salesflow.lead_activities WHERE id = %s", (json.loads(r.stdout)["activity_id"],)).fetchone()[0]
    assert timedelta(hours=1, minutes=59) < datetime.now(at.tzinfo) - at < timedelta(hours=2, minutes=1)


def test_log_outbound_allowed_is_checked_logged_and_saved(db, dsn, w):
    logs = db.execute("SELECT count(*) FROM salesflow.compliance_logs").fetchone()[0]
    r = run(dsn, "log", "anna@example.org", HARMLESS_DE, "--channel", "whatsapp", "--out", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["outcome"] == "saved" and out["decision"] == "allowed" and out["log_id"]
    assert db.execute("SELECT count(*) FROM salesflow.compliance_logs").fetchone()[0] == logs + 1
    drain(db)
    assert _engagement(db, w["lead"])[1] == 1


def test_log_outbound_blocked_text_is_shown_not_saved(db, dsn, w):
    before = fingerprint(db)
    r = run(dsn, "log", "anna@example.org", BLOCKED_DE, "--channel", "whatsapp", "--out")
    assert r.exit_code == 1, (r.stdout, r.stderr)
    assert "blockiert" in r.stdout.lower() or "Blockiert" in r.stdout  # rita reads German
    assert "Einkommensversprechen" in r.stdout and "garantiert 5.000" not in r.stdout  # why, never the text
    after = fingerprint(db)
    assert after["lead_activities"] == before["lead_activities"] and after["lead_engagement"] == before["lead_engagement"]
    # the attempt is the audit trail's: one blocked log row (and the manager's alert)
    assert db.execute("SELECT decision FROM salesflow.compliance_logs WHERE lead_id = %s", (w["lead"],)).fetchall() == [("blocked",)]


def test_log_outbound_flagged_needs_yes(db, dsn, w):
    before = fingerprint(db)
    r = run(dsn, "log", "anna@example.org", FLAGGED_DE, "--channel", "email", "--out", "--json")
    assert r.exit_code == 1, r.stderr
    out = json.loads(r.stdout)
    assert out["outcome"] == "needs_confirmation" and out["decision"] == "flagged" and out["violations"]
    assert fingerprint(db) == before  # shown, nothing written
    r = run(dsn, "log", "anna@example.org", FLAGGED_DE, "--channel", "email", "--out", "--yes", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["outcome"] == "saved" and out["activity_id"]
    assert db.execute("SELECT decision FROM salesflow.compliance_logs WHERE id = %s", (out["log_id"],)).fetchone()[0] == "flagged"


def test_log_dry_run_and_refusals_write_nothing(db, dsn, w):
    before = fingerprint(db)
    r = run(dsn, "log", "anna@example.org", BLOCKED_DE, "--channel", "whatsapp", "--out", "--dry-run", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["outcome"] == "checked" and json.loads(r.stdout)["decision"] == "blocked"
    refused_unchanged(db, run(dsn, "log", "nina@example.org", HARMLESS_DE, "--channel", "email", "--out"), 1, "55000")  # no consent
    refused_unchanged(db, run(dsn, "log", str(w["lead3"]), "Hallo", "--channel", "email", "--in"), 2)  # other team: not found
    refused_unchanged(db, run(dsn, "log", str(w["lead2"]), "Hallo", "--channel", "email", "--in"), 2)  # colleague
    refused_unchanged(db, run(dsn, "log", "anna@example.org", "Hallo", "--channel", "email", "--in", "--out"), 2)
    refused_unchanged(db, run(dsn, "log", "anna@example.org", "Hallo", "--channel", "fax", "--in"), 2, "22023")
    refused_unchanged(db, run(dsn, "log", "anna@example.org", "Hallo", "--channel", "email", "--in", "--at", "+2d"), 2, "22023")
    refused_unchanged(db, run(dsn, "log", "anna@example.org", "Hallo", "--channel", "email", "--in", "--at", "bald"), 2)
    assert fingerprint(db) == before


def test_log_renders_within_80_columns(db, dsn, w, monkeypatch):
    import salesflow_cli.work.common as common

    for width in (80, 120):
        con = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        monkeypatch.setattr(common, "console", con)
        r = run(dsn, "log", "anna@example.org", FLAGGED_DE + " " + BLOCKED_DE, "--channel", "email", "--out", "--dry-run")
        assert r.exit_code == 0, r.stderr
        text = con.export_text()
        assert max(len(line) for line in text.splitlines()) <= width
        assert "income_claim" not in text and "critical" not in text  # words, not codes (German user)


# --------------------------------------------------------------------------- followups


def test_followup_add_done_snooze_skip(db, dsn, w):
    r = run(dsn, "followup", "add", "anna@example.org", "--due", "tomorrow 10:00", "--channel", "whatsapp", "--note", "Preis", "--json")
    assert r.exit_code == 0, r.stderr
    fu = json.loads(r.stdout)
    due = db.execute("SELECT due_at FROM salesflow.followups WHERE id = %s", (fu["followup_id"],)).fetchone()[0]
    local = due.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.hour, local.minute, local.date()) == (10, 0, datetime.now(ZoneInfo("Europe/Berlin")).date() + timedelta(days=1))

    r = run(dsn, "followup", "snooze", str(fu["followup_id"]), "--for", "2d", "--json")
    assert r.exit_code == 0, r.stderr
    due2 = db.execute("SELECT due_at, status FROM salesflow.followups WHERE id = %s", (fu["followup_id"],)).fetchone()
    assert due2[1] == "open" and timedelta(days=1, hours=23) < due2[0] - datetime.now(due2[0].tzinfo) <= timedelta(days=2)

    r = run(dsn, "followup", "done", str(fu["followup_id"]), "--note", "Termin steht", "--json")
    assert r.exit_code == 0, r.stderr
    row = db.execute("SELECT status, completed_at IS NOT NULL, note FROM salesflow.followups WHERE id = %s", (fu["followup_id"],)).fetchone()
    assert row == ("done", True, "Preis\nTermin steht")

    r = run(dsn, "followup", "skip", str(w["fu_lead"]), "--reason", "kein Bedarf mehr", "--json")
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["status"] == "skipped"
    assert db.execute("SELECT status, note FROM salesflow.followups WHERE id = %s", (w["fu_lead"],)).fetchone() == \
        ("skipped", "skipped: kein Bedarf mehr")


def test_followup_wrong_state_foreign_and_bad_input_write_nothing(db, dsn, w):
    db.execute("UPDATE salesflow.followups SET status = 'done' WHERE id = %s", (w["fu_lead"],))
    before = fingerprint(db)
    fid = str(w["fu_lead"])
    refused_unchanged(db, run(dsn, "followup", "done", fid), 1, "55000")
    refused_unchanged(db, run(dsn, "followup", "snooze", fid, "--for", "1d"), 1, "55000")
    refused_unchanged(db, run(dsn, "followup", "skip", fid), 1, "55000")
    for foreign in (w["fu_lead2"], w["fu_lead3"], 987654321):  # colleague, other team, unknown: one answer
        refused_unchanged(db, run(dsn, "followup", "done", str(foreign)), 2, "P0002")
    refused_unchanged(db, run(dsn, "followup", "snooze", str(w["fu_lead2"]), "--for", "1d"), 2, "P0002")
    refused_unchanged(db, run(dsn, "followup", "done", "abc"), 2)
    refused_unchanged(db, run(dsn, "followup", "snooze", fid), 2)  # neither --until nor --for
    refused_unchanged(db, run(dsn, "followup", "add", "anna@example.org", "--due", "irgendwann"), 2)
    refused_unchanged(db, run(dsn, "followup", "add", str(w["lead3"]), "--due", "+1d"), 2)
    refused_unchanged(db, run(dsn, "followup", "add", "anna@example.org", "--due", "+1d", "--channel", "fax"), 2, "22023")
    assert fingerprint(db) == before
    # snoozing into the past is refused too
    r = run(dsn, "followup", "snooze", str(w["fu_lead2"]), "--until", "2020-01-01", user="rudi@example.org")
    refused_unchanged(db, r, 2, "22023")
    # the manager may work the team's follow-ups
    assert run(dsn, "followup", "done", str(w["fu_lead2"]), user="mara@example.org").exit_code == 0


def test_when_forms():
    now = datetime(2026, 12, 2, 7, 0, tzinfo=ZoneInfo("Europe/Berlin"))  # a Wednesday
    assert when.parse("tomorrow 10:00", "Europe/Berlin", "--due", now) == datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert when.parse("morgen", "Europe/Berlin", "--due", now).hour == 9
    assert when.parse("+2d", "Europe/Berlin", "--due", now) == now + timedelta(days=2)
    assert when.parse("fr 14:30", "Europe/Berlin", "--due", now).date().isoformat() == "2026-12-04"
    assert when.parse("mi", "Europe/Berlin", "--due", now).date().isoformat() == "2026-12-09"  # next week's
    assert when.parse("2026-12-24T18:00+00:00", "Europe/Berlin", "--due", now).utcoffset() == timedelta(0)
    assert when.parse("2026-12-24", "America/New_York", "--due", now).utcoffset() == timedelta(hours=-5)
    with pytest.raises(Exception):
        when.parse("tomorrow 25:00", "Europe/Berlin", "--due", now)


# --------------------------------------------------------------------------- rec, stage, playbook, profile


def test_rec_accept_done_dismiss(db, dsn, w):
    rid = str(w["rec_lead"])
    r = run(dsn, "rec", "accept", rid, "--feedback", "guter Tipp", "--rating", "4", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == {"id": w["rec_lead"], "status": "accepted"}, r.stderr
    assert run(dsn, "rec", "done", rid).exit_code == 0
    assert db.execute("SELECT status, feedback, feedback_rating, resolved_at IS NOT NULL FROM salesflow.ai_recommendations "
                      "WHERE id = %s", (w["rec_lead"],)).fetchone() == ("done", "guter Tipp", 4, True)
    before = fingerprint(db)
    refused_unchanged(db, run(dsn, "rec", "dismiss", rid), 2, "22023")  # done already
    refused_unchanged(db, run(dsn, "rec", "dismiss", str(w["rec_lead3"])), 2, "P0002")
    refused_unchanged(db, run(dsn, "rec", "accept", str(w["rec_lead2"])), 2, "P0002")
    refused_unchanged(db, run(dsn, "rec", "accept", str(w["rec_lead2"]), "--rating", "6"), 2)
    assert fingerprint(db) == before


def test_stage_won_lost_and_refusals(db, dsn, w):
    r = run(dsn, "stage", "anna@example.org", "lost", "--reason", "zu teuer", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["from_stage"] == "new" and out["to_stage"] == "lost" and out["closed_at"] and out["reason"] == "zu teuer"
    assert db.execute("SELECT to_stage, reason FROM salesflow.lead_stage_events WHERE id = %s", (out["stage_event_id"],)).fetchone() \
        == ("lost", "zu teuer")
    r = run(dsn, "stage", "anna@example.org", "won", "--value", "1500", "--json")
    assert r.exit_code == 0, r.stderr
    assert db.execute("SELECT stage, deal_value, closed_at IS NOT NULL FROM salesflow.leads WHERE id = %s", (w["lead"],)).fetchone() \
        == ("won", 1500, True)
    r = run(dsn, "stage", "anna@example.org", "proposal")  # reopened: closed_at cleared
    assert r.exit_code == 0 and db.execute("SELECT closed_at FROM salesflow.leads WHERE id = %s", (w["lead"],)).fetchone()[0] is None
    before = fingerprint(db)
    refused_unchanged(db, run(dsn, "stage", "anna@example.org", "proposal"), 1, "55000")
    refused_unchanged(db, run(dsn, "stage", "anna@example.org", "gewonnen"), 2, "22023")
    refused_unchanged(db, run(dsn, "stage", str(w["lead2"]), "won"), 2)
    refused_unchanged(db, run(dsn, "stage", "anna@example.org", "won", "--value", "-5"), 2, "22023")
    assert fingerprint(db) == before


def test_playbook_list_start_next(db, dsn, w):
    r = run(dsn, "playbook", "list", "--json")
    assert r.exit_code == 0, r.stderr
    books = json.loads(r.stdout)
    assert books and set(books[0]) >= {"key", "name_de", "name_en", "steps"}
    key = books[0]["key"]
    r = run(dsn, "playbook", "start", "anna@example.org", key, "--json")
    assert r.exit_code == 0, r.stderr
    xid = json.loads(r.stdout)["execution_id"]
    assert db.execute("SELECT lead_id, status FROM salesflow.playbook_executions WHERE id = %s", (xid,)).fetchone() == (w["lead"], "running")
    r = run(dsn, "playbook", "next", str(xid), "--outcome", "no_reply", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["current_step"] == 1, r.stderr
    before = fingerprint(db)
    refused_unchanged(db, run(dsn, "playbook", "start", "anna@example.org", key), 2, "22023")  # already runs
    refused_unchanged(db, run(dsn, "playbook", "start", "anna@example.org", "gibtsnicht"), 2, "P0002")
    refused_unchanged(db, run(dsn, "playbook", "start", str(w["lead3"]), key), 2)
    refused_unchanged(db, run(dsn, "playbook", "next", str(xid), user="otto@example.org"), 2, "P0002")
    assert fingerprint(db) == before


def test_profile_stores_a_heuristic_profile(db, dsn, w):
    for body in ("Ich brauche genaue Zahlen und Details zum Vertrag?", "Warum genau? Gibt es Studien?"):
        add_activity(db, w["lead"], w["rep"], direction="in", body=body)
    r = run(dsn, "profile", "anna@example.org", "--json")
    assert r.exit_code == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["primary_type"] == "G" and float(out["confidence"]) <= 0.4
    assert db.execute("SELECT source, primary_type FROM salesflow.personality_profiles WHERE id = %s", (out["profile_id"],)).fetchone() \
        == ("heuristic", "G")
    r = run(dsn, "profile", "anna@example.org")
    assert r.exit_code == 0 and "Haupttyp" in r.stdout
    # the cues by type, strongest first; the word cue "Zahlen" and the style cue (digits) differ
    text = r.stdout
    assert "G: " in text and "Zahlen (1)" in text
    before = fingerprint(db)
    refused_unchanged(db, run(dsn, "profile", str(w["lead3"])), 2)
    assert fingerprint(db) == before


def test_restricted_lead_refuses_writes(db, dsn, w):
    db.execute("UPDATE salesflow.leads SET restricted_at = now(), restriction_reason = 'Art. 18' WHERE id = %s", (w["lead"],))
    before = fingerprint(db)
    refused_unchanged(db, run(dsn, "log", str(w["lead"]), "Hallo", "--channel", "email", "--in"), 1, "55000")
    refused_unchanged(db, run(dsn, "followup", "add", str(w["lead"]), "--due", "+1d"), 1, "55000")
    refused_unchanged(db, run(dsn, "followup", "done", str(w["fu_lead"])), 1, "55000")
    refused_unchanged(db, run(dsn, "stage", str(w["lead"]), "won"), 1, "55000")
    assert fingerprint(db) == before


@pytest.mark.parametrize("width", [80, 120])
def test_every_write_command_reads_at_80_and_120_columns(db, dsn, w, monkeypatch, width):
    import salesflow_cli.work.common as common

    add_activity(db, w["lead"], w["rep"], direction="in", body="Warum genau? Ich brauche Zahlen und Details zum Vertrag!")
    key = db.execute("SELECT key FROM salesflow.playbooks ORDER BY key LIMIT 1").fetchone()[0]
    commands = [
        ("lead", "add", "Dora Neu mit einem sehr langen Namen, der umbrechen muss", "--consent", "Ja."),
        ("followup", "add", "anna@example.org", "--due", "+1d", "--note", "Preis klären " * 12),
        ("followup", "done", str(w["fu_lead"]), "--note", "erledigt"),
        ("rec", "accept", str(w["rec_lead"])),
        ("playbook", "list"),
        ("playbook", "start", "anna@example.org", key),
        ("stage", "anna@example.org", "lost", "--reason", "zu teuer " * 20),
        ("profile", "anna@example.org"),
        ("log", "anna@example.org", "Hallo", "--channel", "email", "--in"),
    ]
    for args in commands:
        con = Console(width=width, record=True, file=io.StringIO(), color_system=None)
        monkeypatch.setattr(common, "console", con)
        r = run(dsn, *args)
        assert r.exit_code == 0, (args, r.stderr)
        lines = con.export_text().splitlines()
        assert lines and max(len(line) for line in lines) <= width, args
        for code in ("followup_status", "accepted", "lost", "running", "whatsapp"):
            assert code not in con.export_text(), (args, code)  # German words, not codes


def test_profile_cues_are_grouped_and_capped():
    from salesflow_cli.work.profile import SHOWN_CUES, _cues_text
    cues = [{"type": "G", "cue": "Zahlen/numbers", "messages": 2}, {"type": "G", "cue": "figures", "messages": 2},
            {"type": "D", "cue": "short messages", "messages": 1}, {"type": "G", "cue": "Studien/studies", "messages": 3}]
    assert _cues_text(cues, "de") == "G: Studien (3), Zahlen (2), Ziffern (2) · D: kurze Nachrichten (1)"
    assert _cues_text(cues, "en") == "G: studies (3), numbers (2), digits (2) · D: short messages (1)"
    many = [{"type": "S", "cue": f"cue{i}/cue{i}", "messages": i} for i in range(1, SHOWN_CUES + 3)]
    text = _cues_text(many, "en")
    assert text.endswith("(+2 more)") and "cue1 " not in text and f"cue{SHOWN_CUES + 2} ({SHOWN_CUES + 2})" in text
