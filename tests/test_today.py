"""`salesflow today` and the one answer for channel and time (issue 12, items 2 and 3).

plan_day / recommend_followup_actions plan each ranked action into a slot of the rep's working day
(08:00-20:00 in users.timezone, p_capacity per hour slot) in the lead's best contact window with
room; recs, lead, today and demo show the same channel and time. Days are planned ahead (a future
working day) where the test must not depend on the time of day it runs at.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections import Counter
from zoneinfo import ZoneInfo

import psycopg
import pytest
from rich.console import Console
from typer.testing import CliRunner

from salesflow_cli import seed as seed_mod
from salesflow_cli.main import cli
from salesflow_cli.recs import recs_table
from salesflow_cli.refresh import run_refresh
from salesflow_cli.today import short_ids, today_table
from tests.factories import acting_as, add_activity, make_lead, make_team, make_user
from tests.test_language import people  # noqa: F401  (fixture)

UTC = dt.timezone.utc
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
runner = CliRunner()


def next_weekday(iso: int, after_days: int = 2) -> dt.date:
    """The next date with ISO weekday `iso` (1 = Monday) at least `after_days` ahead (2: still a day
    ahead in Berlin when the test runs late in the UTC evening)."""
    d = dt.date.today() + dt.timedelta(days=after_days)
    while d.isoweekday() != iso:
        d += dt.timedelta(days=1)
    return d


def history(db, lead, rep, tz: ZoneInfo, weekday_iso: int, hour: int, weeks: int = 6, channel: str = "whatsapp"):
    """Outbound messages at `hour` local on `weekday_iso` for `weeks` weeks, each answered within 20 min:
    the lead's clearly best contact window."""
    today = dt.datetime.now(tz).date()
    for w in range(1, weeks + 1):
        d = today - dt.timedelta(days=7 * w)
        while d.isoweekday() != weekday_iso:
            d -= dt.timedelta(days=1)
        sent = dt.datetime.combine(d, dt.time(hour, 5), tzinfo=tz)
        add_activity(db, lead, rep, "out", channel=channel, body="Hallo", occurred_at=sent)
        add_activity(db, lead, rep, "in", channel=channel, body="Gern", occurred_at=sent + dt.timedelta(minutes=20))


def plan(db, user, day=None, capacity=4, limit=20) -> list[dict]:
    cur = db.execute("SELECT * FROM salesflow.plan_day(%s, %s, %s, %s)", (user, day, capacity, limit))
    cols = [c.name for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


@pytest.fixture
def team(db):
    t = make_team(db, "Team Heute")
    rep = make_user(db, t, "rep", name="rita", timezone="Europe/Berlin")
    other = make_user(db, t, "rep", name="otto", timezone="Europe/Berlin")
    mgr = make_user(db, t, "manager", name="mia")
    return {"team": t, "rep": rep, "other": other, "mgr": mgr}


# --------------------------------------------------------------------------- ordering


def test_overdue_followups_first_then_by_slot(db, team):
    rep = team["rep"]
    day = next_weekday(3)  # a Wednesday ahead: every slot of the day is free
    late = []
    for i in range(3):
        lead = make_lead(db, rep, f"Olga Overdue {i}")
        db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel, note) "
                   "VALUES (%s, %s, now() - interval '2 days', 'phone', 'Rückruf')", (lead, rep))
        late.append(lead)
    for i in range(6):
        lead = make_lead(db, rep, f"Lara Lead {i}")
        history(db, lead, rep, BERLIN, 3, 9 + 2 * i)  # Wednesday 09, 11, ... 19 h
        db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Zurückrufen', p_base_priority => 90)",
                   (lead,))
    rows = plan(db, rep, day)
    assert len(rows) == 9
    overdue = [r for r in rows if r["overdue"]]
    assert [r["lead_id"] for r in rows[:3]] == [r["lead_id"] for r in overdue] and set(late) == {r["lead_id"] for r in overdue}
    # overdue: as soon as possible (the first slot of the day), their planned channel kept
    assert all(r["time_rule"] == "asap" and r["channel"] == "phone" and r["channel_rule"] == "planned" for r in overdue)
    assert {r["rep_local_time"].time() for r in overdue} == {dt.time(8)}
    rest = rows[3:]
    assert [r["suggested_time"] for r in rest] == sorted(r["suggested_time"] for r in rest)
    # each in its own best window (Wednesday 9 + 2i h Berlin), learned channel from its replies
    for r in rest:
        assert r["time_rule"] == "window" and r["channel"] == "whatsapp" and r["channel_rule"] == "learned"
        i = int(r["lead_name"].rsplit(" ", 1)[1])
        assert r["rep_local_time"] == dt.datetime.combine(day, dt.time(9 + 2 * i)) and r["plan_day"] == day
    assert all(r["suggested_time"] > dt.datetime.now(UTC) for r in rows)


def test_never_a_slot_in_the_past_today(db, team):
    rep = team["rep"]
    for i in range(5):
        db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Anrufen')", (make_lead(db, rep, f"L {i}"),))
    now = dt.datetime.now(UTC)
    rows = plan(db, rep)  # the default day: today while a slot is left, else the next working day
    assert rows and all(r["suggested_time"] is None or r["suggested_time"] > now for r in rows)
    local = now.astimezone(BERLIN)
    expect = local.date() if local.hour < 19 else local.date() + dt.timedelta(days=1)
    if expect.isoweekday() == 7:
        expect += dt.timedelta(days=1)
    assert rows[0]["plan_day"] == expect
    for r in rows:
        if r["suggested_time"] is not None:
            assert 8 <= r["rep_local_time"].hour <= 19 and r["rep_local_time"].minute == 0


# --------------------------------------------------------------------------- time zones


def test_rep_in_berlin_lead_in_new_york(db, team, dsn):
    rep = team["rep"]
    lead = make_lead(db, rep, "Nora York", timezone="America/New_York", language="en")
    history(db, lead, rep, NEW_YORK, 2, 10)  # Tuesdays 10:00 New York
    db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call back')", (lead,))
    day = next_weekday(2)
    (row,) = plan(db, rep, day)
    ny = dt.datetime.combine(day, dt.time(10), tzinfo=NEW_YORK)
    assert row["suggested_time"] == ny and row["time_rule"] == "window"
    berlin = ny.astimezone(BERLIN)
    offset = berlin.utcoffset() - ny.utcoffset()  # 6 h (CET/EST, CEST/EDT), 5 h in the weeks the DST dates differ
    assert offset in (dt.timedelta(hours=6), dt.timedelta(hours=5))
    assert row["rep_local_time"] == berlin.replace(tzinfo=None)
    assert row["lead_local_time"] == dt.datetime.combine(day, dt.time(10))
    assert row["rep_local_time"] - row["lead_local_time"] == offset
    assert (row["rep_timezone"], row["lead_timezone"]) == ("Europe/Berlin", "America/New_York")
    # the table: the slot in Berlin time, the lead's local time beside it
    me = {"display_name": "Rita Rep", "timezone": "Europe/Berlin", "language": "de"}
    out = render(today_table([row], me, "de", 4, width=100), 100)
    assert f"{berlin:%H:%M}" in out and "10:00 New York" in out and "Europe/Berlin" in out
    # recs: the same slot, labelled with the rep's zone instead of UTC
    out = render(recs_table(rows_of(db, rep, day), tz="Europe/Berlin", lang="de", width=100), 100)
    assert "Europe/Berlin" in out and "(UTC)" not in out and f"{berlin:%H:%M}" in out and "10:00 New York" in out


def rows_of(db, rep, day=None, limit=20, capacity=4) -> list[dict]:
    cur = db.execute("SELECT * FROM salesflow.recommend_followup_actions(%s, %s, %s, %s)", (rep, limit, day, capacity))
    cols = [c.name for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


# --------------------------------------------------------------------------- capacity


def test_capacity_per_slot_and_overflow_to_the_next_good_window(db, team):
    rep = team["rep"]
    day = next_weekday(4)  # a Thursday
    # five leads whose one good window is Thursday 10:00 Berlin
    same = []
    for i in range(5):
        lead = make_lead(db, rep, f"Tina Ten {i}")
        history(db, lead, rep, BERLIN, 4, 10, weeks=8)
        db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Anrufen', p_base_priority => 95)", (lead,))
        same.append(lead)
    for i in range(15):  # and fifteen more without history
        db.execute("SELECT salesflow.create_ai_recommendation(%s, 'send_info', 'Infos')", (make_lead(db, rep, f"Fritz {i}"),))
    rows = plan(db, rep, day, capacity=4, limit=20)
    assert len(rows) == 20
    per_slot = Counter(r["suggested_time"] for r in rows)
    assert max(per_slot.values()) <= 4 and None not in per_slot
    ten = dt.datetime.combine(day, dt.time(10), tzinfo=BERLIN)
    at_ten = [r for r in rows if r["lead_id"] in same and r["suggested_time"] == ten]
    bumped = [r for r in rows if r["lead_id"] in same and r["suggested_time"] != ten]
    assert len(at_ten) == 4 and len(bumped) == 1
    # the fifth: its next good window on that day (best_contact_windows' ranking), not the same slot
    b = bumped[0]
    wins = db.execute("SELECT weekday, hour FROM salesflow.best_contact_windows(ARRAY[%s]::uuid[], 72) "
                      "ORDER BY window_rank", (b["lead_id"],)).fetchall()
    thursday = [h for wd, h in wins if wd == 4 and h != 10]
    assert b["time_rule"] == "window" and b["rep_local_time"] == dt.datetime.combine(day, dt.time(thursday[0]))
    # capacity 1: every slot takes one action
    rows = plan(db, rep, day, capacity=1, limit=12)
    assert max(Counter(r["suggested_time"] for r in rows).values()) == 1
    # more actions than the day has room for: the rest are not planned today (no time), never over capacity
    rows = plan(db, rep, day, capacity=1, limit=20)
    assert Counter(r["time_rule"] for r in rows)["none"] == 8 and rows[-1]["suggested_time"] is None


def test_the_first_rows_are_planned_the_same_whatever_the_limit(db, team):
    rep = team["rep"]
    day = next_weekday(5)
    for i in range(12):
        lead = make_lead(db, rep, f"P {i}")
        history(db, lead, rep, BERLIN, 5, 8 + i % 3, weeks=2 + i % 4)
        db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Anrufen', p_base_priority => %s)",
                   (lead, 40 + 5 * i))
    full = [(r["lead_id"], r["channel"], r["suggested_time"]) for r in rows_of(db, rep, day, limit=12, capacity=2)]
    for k in (1, 5, 10):
        assert [(r["lead_id"], r["channel"], r["suggested_time"]) for r in rows_of(db, rep, day, limit=k, capacity=2)] == full[:k]


# --------------------------------------------------------------------------- the channel rule


def test_one_channel_rule(db, team):
    rep = team["rep"]

    def channel(lead):
        return db.execute("SELECT channel, channel_rule FROM salesflow.best_contact_windows(ARRAY[%s]::uuid[], 1)",
                          (lead,)).fetchone()

    # DISG preference (G: email, linkedin) when the lead's own history is thin
    g = make_lead(db, rep, "Gerd Genau", email="g@example.org")
    db.execute("INSERT INTO salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, g_score, source) "
               "VALUES (%s, %s, 10, 10, 20, 90, 'manual')", (g, rep))
    assert channel(g) == ("email", "disg")
    # ... not reachable by e-mail: the next preferred channel
    g2 = make_lead(db, rep, "Gabi Genau", email=None)
    db.execute("INSERT INTO salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, g_score, source) "
               "VALUES (%s, %s, 10, 10, 20, 90, 'manual')", (g2, rep))
    assert channel(g2) == ("linkedin", "disg")
    # learned from the lead's replies (>= 3 sends on the channel) beats the DISG preference
    history(db, g, rep, BERLIN, 2, 10, weeks=4, channel="phone")
    assert channel(g) == ("phone", "learned")
    # unprofiled, no history: the last inbound channel
    x = make_lead(db, rep, "Xaver Neu")
    add_activity(db, x, rep, "in", channel="instagram", body="Hi")
    assert channel(x) == ("instagram", "last_inbound")
    # nothing at all: the default
    assert channel(make_lead(db, rep, "Nobody", phone=None, email="n@example.org")) == ("email", "default")
    # a follow-up's channel is kept (the rep planned it), in the plan and in the lead's suggestion
    db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel) VALUES (%s, %s, now() - interval '1 hour', 'sms')",
               (g, rep))
    (row,) = [r for r in plan(db, rep, next_weekday(2)) if r["lead_id"] == g]
    assert (row["channel"], row["channel_rule"]) == ("sms", "planned")
    sugg = db.execute("SELECT salesflow.get_lead_intelligence(%s) -> 'suggestion'", (g,)).fetchone()[0]
    assert (sugg["channel"], sugg["channel_rule"]) == ("sms", "planned")


# --------------------------------------------------------------------------- one answer (CLI)


@pytest.fixture
def data(dsn):
    res = seed_mod.generate(dsn, 2, 40, 6, 7, anchor=dt.datetime.now(UTC).replace(microsecond=0))
    run_refresh(dsn)
    return res


def cli_json(dsn, *args):
    r = runner.invoke(cli, [*args, "--dsn", dsn, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_recs_lead_and_today_give_one_answer(dsn, db, data):
    rep = db.execute("SELECT id::text FROM salesflow.users WHERE role = 'rep' ORDER BY display_name LIMIT 1").fetchone()[0]
    recs = cli_json(dsn, "recs", "--user", rep, "--limit", "20")
    today = cli_json(dsn, "today", "--user", rep)
    assert recs and len(today) == len(recs)
    t = {r["lead_id"]: (r["channel"], r["suggested_time"], r["channel_rule"]) for r in today}
    assert {r["lead_id"]: (r["channel"], r["suggested_time"], r["channel_rule"]) for r in recs} == t
    # no slot holds more than its capacity (4); late in the day the slots run out and the rest
    # have no time (NULL), which is not a slot
    slots = Counter(r["suggested_time"] for r in today if r["suggested_time"] is not None)
    assert slots and max(slots.values()) <= 4
    for r in recs[:6] + recs[-2:]:
        j = cli_json(dsn, "lead", r["lead_id"], "--user", rep)
        s = j["suggestion"]
        assert s["in_plan"] and (s["channel"], s["suggested_time"], s["channel_rule"]) == t[r["lead_id"]]
        g = j["disg_guidance"]
        if g.get("profiled") and g.get("channel") != s["channel"]:
            # the DISG preference lost: to a planned follow-up, the lead's own replies, or reachability
            assert s["channel_rule"] in ("planned", "learned") or s["channel"] in g["preferred_channels"], (g, s)
            out = runner.invoke(cli, ["lead", r["lead_id"], "--user", rep, "--dsn", dsn, "--lang", "en"], env={"COLUMNS": "160"}).stdout
            assert "DISG preference; suggested:" in out
    # the demo's actions come from the same function: no second window lookup
    from salesflow_cli.demo import _contact

    c = _contact(recs[0], {"timezone": "Europe/Berlin"})
    assert (c["channel"], c["suggested_time"]) == (recs[0]["channel"], recs[0]["suggested_time"])


def test_today_cli_labels_ids_and_errors(dsn, db, data):
    rep = db.execute("SELECT id::text, timezone FROM salesflow.users WHERE role = 'rep' ORDER BY display_name LIMIT 1").fetchone()
    r = runner.invoke(cli, ["today", "--user", rep[0], "--dsn", dsn, "--lang", "en"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    assert rep[1] in r.stdout and "Day plan" in r.stdout and "per hour" in r.stdout
    rows = cli_json(dsn, "today", "--user", rep[0])
    prefixes = short_ids([x["lead_id"] for x in rows], 80)
    assert all(p in r.stdout for p in prefixes.values()) and min(map(len, prefixes.values())) >= 8
    assert len(set(prefixes.values())) == len(rows)
    assert not re.search(r"followup_overdue|bant_gap|hot_no_contact|profile_lead", r.stdout)
    de = runner.invoke(cli, ["today", "--user", rep[0], "--dsn", dsn, "--lang", "de"], env={"COLUMNS": "120"})
    assert "Tagesplan" in de.stdout and "Kanal" in de.stdout
    bad = runner.invoke(cli, ["today", "--user", rep[0], "--dsn", dsn, "--date", "03.12.2026"])
    assert bad.exit_code == 2 and "YYYY-MM-DD" in bad.output
    past = runner.invoke(cli, ["today", "--user", rep[0], "--dsn", dsn, "--date", "2020-01-07"])
    assert past.exit_code == 2 and "p_day" in past.output
    assert runner.invoke(cli, ["today", "--dsn", dsn]).exit_code == 2  # whose day?


def test_short_ids_are_unique_prefixes():
    ids = ["12345678-aaaa-4000-8000-000000000001", "12345678-aaaa-4000-8000-000000000002",
           "abcdef01-0000-4000-8000-000000000000"]
    short = short_ids(ids, 80)
    assert all(i.startswith(s) for i, s in short.items()) and len(set(short.values())) == 3
    assert short[ids[2]] == "abcdef01"  # each id its own shortest unique prefix (refs.short_ids)
    assert min(map(len, short.values())) >= 8 and len(short[ids[0]]) == 36
    assert short_ids(ids, 150) == {i: i for i in ids}


# --------------------------------------------------------------------------- identity


def test_a_rep_may_not_plan_another_reps_day(db, team):
    db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Anrufen')", (make_lead(db, team["other"], "O"),))
    with acting_as(db, team["rep"]):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as e:
            db.execute("SELECT * FROM salesflow.plan_day(%s)", (team["other"],))
        assert "plan" in str(e.value) and e.value.diag.message_hint
        db.rollback()
    with acting_as(db, team["rep"]):
        assert db.execute("SELECT count(*) FROM salesflow.plan_day()").fetchone()[0] == 0  # their own (empty) day
    with acting_as(db, team["mgr"], "salesflow_manager"):
        assert db.execute("SELECT count(*) FROM salesflow.plan_day(%s)", (team["other"],)).fetchone()[0] == 1


# --------------------------------------------------------------------------- width


def render(table, width: int) -> str:
    con = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    con.print(table)
    return con.export_text()


def row_heights(table, width: int) -> list[int]:
    """Lines per body row, rendered with a rule between rows."""
    table.show_lines = True
    body = render(table, width).split("┡", 1)[1].splitlines()[1:]
    heights, n = [], 0
    for line in body:
        if line.startswith(("├", "└")):
            heights.append(n)
            n = 0
        elif line.startswith("│"):
            n += 1
    return [h for h in heights if h]


@pytest.mark.parametrize("width", [80, 120])
def test_no_row_taller_than_four_lines(db, team, width):
    rep = team["rep"]
    day = next_weekday(2)
    for i, tz in enumerate(("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Asia/Kolkata") * 3):
        lead = make_lead(db, rep, f"Maximilian Müller-Lüdenscheidt von Hohenzollern {i}", timezone=tz,
                         company="Firma GmbH & Co. KG Unternehmensberatung")
        if i % 3 == 0:
            db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel, note) VALUES "
                       "(%s, %s, now() - interval '1 day', 'phone', 'Ein sehr langer Notiztext, der in keiner Zeile Platz hat')",
                       (lead, rep))
        else:
            db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Zurückrufen und das Angebot "
                       "ausführlich besprechen, mit allen Details')", (lead,))
    rows = plan(db, rep, day)
    me = {"display_name": "Rita Rep", "timezone": "Europe/Berlin", "language": "de"}
    for table in (today_table(rows, me, "de", 4, width=width),
                  recs_table(rows_of(db, rep, day), tz="Europe/Berlin", lang="de", width=width)):
        heights = row_heights(table, width)
        assert len(heights) == len(rows) and max(heights) <= 4, heights
        out = render(table, width)
        assert max(len(line) for line in out.splitlines()) <= width
        header = out.split("┡", 1)[0]
        for word in ("Lead", "Warum"):
            assert word in header  # no header cut to three letters
        ids = short_ids([r["lead_id"] for r in rows], width)
        assert all(v in out for v in ids.values())


# --------------------------------------------------------------------------- language


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("command", ["today", "recs"])
def test_today_and_recs_speak_the_reps_language(dsn, people, lang, command):  # noqa: F811
    """No raw codes and none of the other language's words (tests/test_language.py's check), in the
    rep's users.language and with --lang overriding it."""
    from tests.test_language import _check

    for width in ("80", "120"):
        r = runner.invoke(cli, [command, "--user", str(people[lang]["rep"]), "--dsn", dsn], env={"COLUMNS": width})
        assert r.exit_code == 0, r.output
        _check(r.stdout, lang, f"{command} at {width}")
    other = "en" if lang == "de" else "de"
    r = runner.invoke(cli, [command, "--user", str(people[lang]["rep"]), "--dsn", dsn, "--lang", other],
                      env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    # the reason texts come from SQL in the rep's language (next_action_reason): only the labels follow --lang
    labels = r.stdout.split("┡", 1)[0]
    _check(labels, other, f"{command} --lang {other} (labels)")


def test_the_contact_windows_name_the_suggested_channel(db, team):
    """get_best_contact_window (the lead's window table) names the channel the plan and the lead's
    suggestion use, a planned follow-up's included: no screen says phone where another says WhatsApp."""
    rep = team["rep"]
    lead = make_lead(db, rep, "Doris Direkt", phone="+49 170 1234567")
    db.execute("INSERT INTO salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, g_score, source) "
               "VALUES (%s, %s, 90, 10, 20, 10, 'manual')", (lead, rep))  # D: phone first
    windows = db.execute("SELECT DISTINCT channel FROM salesflow.get_best_contact_window(%s, 3)", (lead,)).fetchall()
    assert windows == [("phone",)]
    db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at, channel) VALUES (%s, %s, now() - interval '1 day', 'whatsapp')",
               (lead, rep))
    intel = db.execute("SELECT salesflow.get_lead_intelligence(%s)", (lead,)).fetchone()[0]
    (row,) = plan(db, rep, next_weekday(3))
    assert {w["channel"] for w in intel["contact_window"]} == {"whatsapp"} == {intel["suggestion"]["channel"], row["channel"]}
    assert intel["disg_guidance"]["channel"] == "phone" and row["channel_rule"] == "planned"
