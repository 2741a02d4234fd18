"""Manager views: salesflow.list_teams / get_team_overview / get_team_actions, `salesflow team`,
`salesflow teams` and the owner column of `salesflow leads`, on a small hand-built dataset."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal

import psycopg
import pytest
from rich.console import Console
from typer.testing import CliRunner

from salesflow_cli.main import cli
from salesflow_cli.refresh import run_refresh
from salesflow_cli.team import actions_table, members_table, teams_table
from tests.factories import acting_as, add_activity, make_lead, make_team


runner = CliRunner()


def make_user(db, team_id, role, name, language="de"):
    """A user with a display name of two words (factories.make_user derives the e-mail from the name)."""
    return db.execute(
        "INSERT INTO salesflow.users (team_id, display_name, email, role, language) VALUES (%s, %s, %s, %s, %s) RETURNING id",
        (team_id, name, name.lower().replace(" ", ".") + "@example.org", role, language)).fetchone()[0]
NOW = dt.datetime.now(dt.timezone.utc)


@pytest.fixture
def world(db):
    """Team Nord: Rita (rep), Rolf (rep), Maja (manager); Team Süd: Sven (rep), Mona (manager); Ada (admin)."""
    nord, sued = make_team(db, "Team Nord"), make_team(db, "Team Süd")
    w = {"nord": nord, "sued": sued,
         "rita": make_user(db, nord, "rep", "Rita Rep"), "rolf": make_user(db, nord, "rep", "Rolf Rep"),
         "maja": make_user(db, nord, "manager", "Maja Manager"), "sven": make_user(db, sued, "rep", "Sven Rep"),
         "mona": make_user(db, sued, "manager", "Mona Manager"), "ada": make_user(db, None, "admin", "Ada Admin")}
    lead = lambda u, name, **c: make_lead(db, w[u], name, consent=True, **c)  # noqa: E731
    w["l1"] = lead("rita", "Lena Proposal", stage="proposal", deal_value=1000)
    w["l2"] = lead("rita", "Nina New", stage="new", deal_value=500)
    lead("rita", "Otto Novalue", stage="contacted")  # NULL deal value counts 0
    lead("rita", "Willi Won", stage="won", deal_value=2000, closed_at=NOW - dt.timedelta(days=2))
    lead("rita", "Old Won", stage="won", deal_value=7000, closed_at=NOW - dt.timedelta(days=120))  # outside 4 weeks
    lead("rita", "Lothar Lost", stage="lost", deal_value=900, closed_at=NOW - dt.timedelta(days=3))
    lead("rolf", "Rolfs Lead", stage="meeting", deal_value=300)
    w["l_sven"] = lead("sven", "Svens Lead", stage="proposal", deal_value=9999)
    fu = "INSERT INTO salesflow.followups (lead_id, user_id, due_at, status) VALUES (%s, %s, %s, %s)"
    db.execute(fu, (w["l1"], w["rita"], NOW - dt.timedelta(days=1), "open"))  # overdue
    db.execute(fu, (w["l2"], w["rita"], NOW + dt.timedelta(days=1), "open"))  # not yet due
    db.execute(fu, (w["l2"], w["rita"], NOW - dt.timedelta(days=2), "done"))  # done: not overdue
    db.execute(fu, (w["l_sven"], w["sven"], NOW - dt.timedelta(days=1), "open"))
    add_activity(db, w["l1"], w["rita"], "in", occurred_at=NOW - dt.timedelta(minutes=5))  # a reply this week
    add_activity(db, w["l1"], w["rita"], "in", kind="note", occurred_at=NOW - dt.timedelta(minutes=4))  # a note: no
    add_activity(db, w["l1"], w["rita"], "out", occurred_at=NOW - dt.timedelta(minutes=3))  # outbound: no
    add_activity(db, w["l2"], w["rita"], "in", occurred_at=NOW - dt.timedelta(days=8))  # last week or earlier: no
    return w


def overview(conn, team=None) -> dict:
    rows = conn.execute("SELECT display_name, open_leads, pipeline_value, overdue_followups, replies_this_week, "
                        "won_count, won_value FROM salesflow.get_team_overview(%s, 4)", (team,)).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_team_figures_per_member_are_right(db, world):
    with acting_as(db, world["maja"], "salesflow_manager"):
        got = overview(db)
    assert set(got) == {"Rita Rep", "Rolf Rep", "Maja Manager"}  # only her team, Sven is not there
    assert got["Rita Rep"] == (3, Decimal("1500.00"), 1, 1, 1, Decimal("2000.00"))
    assert got["Rolf Rep"] == (1, Decimal("300.00"), 0, 0, 0, Decimal("0"))
    assert got["Maja Manager"] == (0, Decimal("0"), 0, 0, 0, Decimal("0"))
    # the owner (no identity) with the team id: the same figures; Team Süd: Sven's
    assert overview(db, world["nord"]) == got
    assert overview(db, world["sued"])["Sven Rep"][:3] == (1, Decimal("9999.00"), 1)


def test_manager_sees_only_own_team_admin_any_rep_none(db, world):
    with acting_as(db, world["maja"], "salesflow_manager"):
        assert [r[0] for r in db.execute("SELECT team_name FROM salesflow.list_teams()")] == ["Team Nord"]
        for team in (world["sued"], "00000000-0000-0000-0000-000000000001"):  # another, unknown: the same answer
            for q in ("SELECT * FROM salesflow.get_team_overview(%s)", "SELECT * FROM salesflow.get_team_actions(%s)"):
                with pytest.raises(psycopg.Error) as e:
                    db.execute(q, (team,))
                assert e.value.sqlstate == "42501"
    with acting_as(db, world["ada"], "salesflow_admin"):
        assert [r[0] for r in db.execute("SELECT team_name FROM salesflow.list_teams()")] == ["Team Nord", "Team Süd"]
        assert set(overview(db, world["sued"])) == {"Sven Rep", "Mona Manager"}
        with pytest.raises(psycopg.Error) as e:
            db.execute("SELECT * FROM salesflow.get_team_overview('00000000-0000-0000-0000-000000000001')")
        assert e.value.sqlstate == "P0002"
    with acting_as(db, world["rita"], "salesflow_rep"):
        for q in ("SELECT * FROM salesflow.list_teams()", "SELECT * FROM salesflow.get_team_overview()",
                  "SELECT * FROM salesflow.get_team_actions()", "SELECT * FROM salesflow.get_team_overview(%s)"):
            with pytest.raises(psycopg.Error) as e:
                db.execute(q, (world["nord"],) if "%s" in q else ())
            assert e.value.sqlstate == "42501"


def test_team_actions_rank_across_reps_with_their_names(db, world):
    with acting_as(db, world["maja"], "salesflow_manager"):
        rows = db.execute("SELECT display_name, lead_name, action_type, score FROM salesflow.get_team_actions(NULL, 10)").fetchall()
        mine = db.execute("SELECT lead_name, action_type, score FROM salesflow.recommend_followup_actions(%s, 10)",
                          (world["rita"],)).fetchall()
    assert rows and all(r[0] in ("Rita Rep", "Rolf Rep", "Maja Manager") for r in rows)
    assert [r[3] for r in rows] == sorted((r[3] for r in rows), reverse=True)
    assert ("Rita Rep", "Lena Proposal", "followup_overdue") in {r[:3] for r in rows}
    assert {(r[1], r[2], r[3]) for r in rows if r[0] == "Rita Rep"} == set(mine)  # recommend_followup_actions' rows
    assert "Svens Lead" not in {r[1] for r in rows}


def run(dsn, *args, columns=120):
    return runner.invoke(cli, [*args, "--dsn", dsn], env={"COLUMNS": str(columns)})


def test_team_command_for_a_manager_in_both_languages(dsn, world):
    r = run(dsn, "team", "--user", "Maja Manager", "--lang", "de")
    assert r.exit_code == 0, r.output
    assert "Teamübersicht: Team Nord" in r.stdout and "Rita Rep" in r.stdout and "Sven Rep" not in r.stdout
    assert "Follow-up überfällig" in r.stdout and "followup_overdue" not in r.stdout
    r = run(dsn, "team", "--user", "Maja Manager", "--lang", "en")
    assert "Team overview: Team Nord" in r.stdout and "follow-up overdue" in r.stdout and "Teamübersicht" not in r.stdout
    j = json.loads(run(dsn, "team", "--user", "Maja Manager", "--json").stdout)
    assert {m["display_name"] for m in j["members"]} == {"Rita Rep", "Rolf Rep", "Maja Manager"}
    assert j["actions"][0]["action_type"] == "followup_overdue"  # JSON keeps the codes


def test_team_command_refuses_reps_and_other_teams(dsn, world):
    r = run(dsn, "team", "--user", "Rita Rep")
    assert r.exit_code == 2 and "42501" in r.output
    r = run(dsn, "team", "--user", "Maja Manager", "--team", str(world["sued"]))
    assert r.exit_code == 2 and "42501" in r.output
    r = run(dsn, "team", "--user", "Maja Manager", "--team", "Team Süd")  # not among hers: unknown, lists hers
    assert r.exit_code == 2 and "not found" in r.output and "Team Nord" in r.output
    r = run(dsn, "team", "--team", "00000000-0000-0000-0000-000000000001")  # the owner: P0002
    assert r.exit_code == 2 and "P0002" in r.output


def test_team_ref_by_name_prefix_and_ambiguous_or_unknown(db, dsn, world):
    a = db.execute("INSERT INTO salesflow.teams (id, name) VALUES ('abcdef01-0000-4000-8000-000000000000', 'Team Ost') "
                   "RETURNING id").fetchone()[0]
    db.execute("INSERT INTO salesflow.teams (id, name) VALUES ('abcdef02-0000-4000-8000-000000000000', 'Team West')")
    make_user(db, a, "rep", "Olga Ost")
    for ref in ("Team Ost", "team ost", "abcdef01", "ABCDEF01-00"):
        r = run(dsn, "team", "--team", ref, "--json")
        assert r.exit_code == 0, (ref, r.output)
        assert {m["display_name"] for m in json.loads(r.stdout)["members"]} == {"Olga Ost"}
    r = run(dsn, "team", "--team", "abcdef")
    assert r.exit_code == 2 and "matches 2 teams" in r.output
    assert "Team Ost abcdef01-0000-4000-8000-000000000000" in r.output and "Team West" in r.output
    r = run(dsn, "team", "--team", "Team Mitte")
    assert r.exit_code == 2 and "not found" in r.output and "Team Ost" in r.output and "Team Nord" in r.output
    r = run(dsn, "team", "--team", "abc")  # too short for a prefix, no such name
    assert r.exit_code == 2 and "not found" in r.output


def test_teams_lists_ids_names_and_size(dsn, world):
    j = json.loads(run(dsn, "teams", "--json").stdout)
    assert [(t["team_name"], t["members"], t["reps"], t["managers"]) for t in j] == \
        [("Team Nord", 3, 2, "Maja Manager"), ("Team Süd", 2, 1, "Mona Manager")]
    r = run(dsn, "teams", "--user", "Maja Manager", columns=80)
    assert r.exit_code == 0 and str(world["nord"]) in r.stdout and str(world["sued"]) not in r.stdout
    assert run(dsn, "teams", "--user", "Rita Rep").exit_code == 2


def _render(table, width) -> list[str]:
    con = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    con.print(table)
    return con.export_text().splitlines()


def _rows_heights(lines: list[str]) -> list[int]:
    """Lines per body row of a rich table (rows are separated only by the row starts: the first cell)."""
    body = [ln for ln in lines if ln.startswith("│")]
    heights, h = [], 0
    for ln in body:
        first = ln.split("│")[1].strip()
        if first and h:
            heights.append(h)
            h = 0
        h += 1
    return heights + ([h] if h else [])


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("lang", ["de", "en"])
def test_team_tables_are_readable_at_80_and_120(dsn, world, width, lang):
    from salesflow_cli.team import team_data

    data, _ = team_data(dsn, "Maja Manager", None)
    long = dict(data["actions"][0], reason="Ein sehr langer Grund " * 20)
    for table in (members_table(data["members"], lang, 4, width=width), actions_table(data["actions"] + [long], lang, width=width)):
        lines = _render(table, width)
        assert max(len(ln) for ln in lines) <= width
        header = next(ln for ln in lines if ln.startswith("┃"))
        assert "…" not in header, header  # no header cut short
        assert all(len(c.strip()) >= 3 or c.strip() == "#" for c in header.strip("┃").split("┃")), header
        assert max(_rows_heights(lines)) <= 4
    lines = _render(teams_table([{"team_id": world["nord"], "team_name": "Team Nord", "members": 3, "reps": 2,
                                  "managers": "Maja Manager"}], lang), width)
    assert any(str(world["nord"]) in ln for ln in lines)  # the whole id, to paste into --team


def test_leads_shows_owners_to_managers_and_admins_not_to_reps(dsn, world):
    run_refresh(dsn)
    for columns in (80, 120):
        r = run(dsn, "leads", "--user", "Maja Manager", "--lang", "en", columns=columns)
        assert r.exit_code == 0 and "owner: Rita Rep" in r.stdout and "owner: Rolf Rep" in r.stdout
        assert max(len(ln) for ln in r.stdout.splitlines()) <= columns
    r = run(dsn, "leads", "--user", "Maja Manager", "--lang", "de", columns=80)
    assert "Betreuer: Rita Rep" in r.stdout
    r = run(dsn, "leads", "--user", "Ada Admin", "--lang", "en", columns=160)
    header = next(ln for ln in r.stdout.splitlines() if ln.startswith("┃"))
    assert "owner" in header and "Sven Rep" in r.stdout
    r = run(dsn, "leads", "--user", "Rita Rep", columns=140)
    assert r.exit_code == 0 and "owner" not in r.stdout and "Lena Proposal" in r.stdout


def test_recs_for_a_manager_points_to_the_team_and_insights_takes_a_team_name(dsn, world):
    # recs speaks the reader's language (issue 12: the German manager reads German unless --lang)
    r = run(dsn, "recs", "--user", "Maja Manager", "--lang", "en", columns=200)
    assert r.exit_code == 0 and "nothing to do right now" in r.stdout and "salesflow team --user" in r.stdout
    r = run(dsn, "recs", "--user", "Maja Manager", columns=200)
    assert r.exit_code == 0 and "gerade nichts zu tun" in r.stdout and "salesflow team --user" in r.stdout
    r = run(dsn, "recs", "--user", "Rita Rep", columns=200)
    assert "salesflow team" not in r.stdout
    by_name = run(dsn, "insights", "--team", "Team Süd", "--json")
    by_id = run(dsn, "insights", "--team", str(world["sued"]), "--json")
    assert by_name.exit_code == 0 and json.loads(by_name.stdout) == json.loads(by_id.stdout)
    r = run(dsn, "insights", "--team", "Team Mitte")
    assert r.exit_code == 2 and "Team Nord" in r.output
