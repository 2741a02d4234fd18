"""Every command speaks the reader's language: no raw codes, none of the other language's words.

A German and an English rep, each with leads, messages, follow-ups, a BANT assessment and a
profile in their own language, run each command (no --lang: their users.language decides); then
the owner runs them with --lang de and --lang en. The output must hold no snake_case code and
none of the marker words of the other language. Data the people wrote (names, notes, messages)
is chosen free of marker words, so what is checked is what salesflow itself says.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from salesflow_cli.main import cli
from tests.factories import add_activity, make_lead, make_team, make_user

runner = CliRunner()

# words only the other language uses in salesflow's labels, reasons and plurals (whole words)
MARKERS = {
    "de": ["overdue", "due", "stage", "channel", "days", "hours", "day", "hour", "won", "lost", "message", "messages",
           "recommendations", "reason", "when", "why", "action", "rate", "company", "reply", "replies", "weakest",
           "contacted", "proposal", "green", "yellow", "red", "never", "since", "without", "open", "yes", "no",
           "step", "converted", "reached", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "en": ["überfällig", "fällig", "Stufe", "Kanal", "Tage", "Tagen", "Stunden", "Stunde", "gewonnen", "verloren",
           "Nachricht", "Nachrichten", "Empfehlungen", "Grund", "Wann", "Warum", "Aktion", "Quote", "Firma", "seit",
           "ohne", "grün", "gelb", "rot", "offen", "ja", "nein", "Schritt", "erreicht", "Angebot", "kontaktiert",
           "Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"],
}
CODE = re.compile(r"(?<![\w./@-])[a-z]+(?:_[a-z]+)+(?![\w./@(-])")  # followup_overdue, bant_authority, in_person

WRITTEN = {  # what the people wrote, per language: free of marker words
    "de": {"lead": ("Anna Becker", "Becker Studio"), "in": "Hallo, klingt spannend, bitte Infos zum Preis",
           "note": "Rückruf vereinbart"},
    "en": {"lead": ("Ben Miller", "Miller Studio"), "in": "Hello, sounds interesting, please send pricing",
           "note": "Call back as agreed"},
}


@pytest.fixture
def people(db):
    team = make_team(db)
    out = {}
    for lang, tz in (("de", "Europe/Berlin"), ("en", "Europe/London")):
        rep = make_user(db, team, name=f"rep{lang}", language=lang, timezone=tz)
        w = WRITTEN[lang]
        lead = make_lead(db, rep, w["lead"][0], company=w["lead"][1], language=lang, timezone=tz, stage="proposal",
                         deal_value=2500, consent=True, source="referral", industry="coaching")
        second = make_lead(db, rep, w["lead"][0] + " Jr", language=lang, timezone=tz, stage="contacted", consent=True)
        for _ in range(4):
            add_activity(db, lead, rep, direction="out", body="…")
            add_activity(db, lead, rep, direction="in", body=w["in"])
        add_activity(db, second, rep, direction="out", body="…")
        db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel, note) VALUES "
                   "(%s, %s, now() - interval '3 days', 'whatsapp', %s), (%s, %s, now() + interval '5 hours', 'phone', %s)",
                   (lead, rep, w["note"], second, rep, w["note"]))
        db.execute("SELECT * FROM salesflow.assess_bant(%s, 8, 3, 9, 7)", (lead,))
        fu = db.execute("SELECT id FROM salesflow.followups WHERE lead_id = %s", (lead,)).fetchone()[0]
        rec = db.execute("SELECT id FROM salesflow.ai_recommendations WHERE lead_id = %s AND status = 'open' "
                         "ORDER BY id LIMIT 1", (lead,)).fetchone()[0]
        out[lang] = {"rep": rep, "lead": lead, "second": second, "fu": fu, "rec": rec}
    db.execute("SELECT salesflow.refresh_all_ki_views()")
    return out


COMMANDS = [("leads",), ("lead", "{lead}"), ("funnel",), ("insights",), ("recs",)]


def _check(out: str, lang: str, what: str) -> None:
    codes = sorted(set(CODE.findall(out)))
    assert not codes, f"{what}: raw codes in {lang} output: {codes}\n{out}"
    other = [m for m in MARKERS[lang] if re.search(rf"(?<!\w){re.escape(m)}(?!\w)", out)]
    assert not other, f"{what}: words of the other language in {lang} output: {other}\n{out}"


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_each_command_speaks_the_users_language(dsn, people, lang, command):
    me = people[lang]
    args = [a.format(lead=me["lead"]) for a in command]
    r = runner.invoke(cli, [*args, "--user", str(me["rep"]), "--dsn", dsn], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    assert r.stdout.strip(), f"{args}: no output"
    _check(r.stdout, lang, " ".join(args))


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_lang_option_overrides_for_the_owner(dsn, people, lang, command):
    args = [a.format(lead=people[lang]["lead"]) for a in command]
    r = runner.invoke(cli, [*args, "--lang", lang, "--dsn", dsn], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    out = r.stdout
    if command == ("recs",):  # everyone's recommendations: each written in its owner's language
        out = "\n".join(line for line in out.splitlines() if not line.lstrip().startswith("│"))
    _check(out, lang, " ".join(args))


# the write commands (each on a fresh dataset: the fixture is per test)
WRITES = [
    ("lead", "add", "Carla Neu", "--email", "carla@example.org"),
    ("log", "{lead}", "--channel", "whatsapp", "--in", "{said}"),
    ("log", "{lead}", "--channel", "whatsapp", "--out", "--dry-run", "{said}"),
    ("followup", "add", "{lead}", "--due", "+2d", "--note", "{note}"),
    ("followup", "done", "{fu}"),
    ("followup", "snooze", "{fu}", "--for", "1d"),
    ("followup", "skip", "{fu}"),
    ("rec", "accept", "{rec}"),
    ("rec", "dismiss", "{rec}", "--feedback", "{note}"),
    ("stage", "{lead}", "lost", "--reason", "{note}"),
    ("stage", "{second}", "replied"),
    ("playbook", "list"),
    ("playbook", "start", "{lead}", "erstkontakt"),
    ("profile", "{lead}"),
]


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("command", WRITES, ids=lambda c: " ".join(c[:3]))
def test_each_write_command_speaks_the_users_language(dsn, people, lang, command):
    me = people[lang]
    values = dict(me, said=WRITTEN[lang]["in"], note=WRITTEN[lang]["note"])
    args = [a.format(**values) for a in command]
    r = runner.invoke(cli, [*args, "--user", str(me["rep"]), "--dsn", dsn], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    assert r.stdout.strip(), f"{args}: no output"
    _check(r.stdout, lang, " ".join(args))


@pytest.mark.parametrize("lang", ["de", "en"])
def test_team_view_speaks_the_readers_language(dsn, people, lang):
    """The per-rep figures and every label; the actions' reasons are each rep's own language
    (recommend_followup_actions writes them so), so only the table before them is checked whole."""
    r = runner.invoke(cli, ["team", "--team", "Team Nord", "--lang", lang, "--dsn", dsn], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    overview = r.stdout.split("└", 1)[0]
    assert "rep" + lang in overview  # the per-rep rows are there
    _check(overview, lang, "team (overview)")
    labels = [line for line in r.stdout.splitlines() if line.lstrip().startswith("┃")]
    _check("\n".join(labels), lang, "team (headers)")


def test_json_keeps_the_codes(dsn, people):
    import json

    r = runner.invoke(cli, ["lead", str(people["de"]["lead"]), "--json", "--user", str(people["de"]["rep"]), "--dsn", dsn])
    assert r.exit_code == 0, r.output
    j = json.loads(r.stdout)
    assert j["lead"]["stage"] == "proposal" and j["bant"]["weakest"] == "authority"
