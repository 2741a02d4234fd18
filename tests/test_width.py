"""Every command is readable at 80 columns: no table row taller than 4 lines, no header cut.

Each command runs at 80 and 120 columns on a small seeded team. To see row boundaries, the test
draws every rich table with lines between rows (rich.table.Table patched for the test only); a
row is then the lines between two separators. Headers must never end in '…'.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
import rich.table
from typer.testing import CliRunner

from salesflow_cli import seed as seed_mod
from salesflow_cli.main import cli
from salesflow_cli.refresh import run_refresh

runner = CliRunner()
MAX_ROW_LINES = 4
LISTS = {"compliance check"}  # hits are a list of paragraphs, not a table (long explanations wrap freely)


@pytest.fixture
def team(dsn):
    seed_mod.generate(dsn, 3, 40, 6, 11, anchor=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    run_refresh(dsn)
    users = json.loads(runner.invoke(cli, ["users", "list", "--json", "--dsn", dsn]).stdout)
    rep = next(u for u in users if u["role"] == "rep")
    manager = next(u for u in users if u["role"] == "manager")
    leads = json.loads(runner.invoke(cli, ["leads", "--json", "--user", str(rep["id"]), "--dsn", dsn]).stdout)
    return {"rep": str(rep["id"]), "manager": str(manager["id"]), "lead": str(leads[0]["lead_id"])}


@pytest.fixture
def row_lines(monkeypatch):
    original = rich.table.Table.__init__

    def with_lines(self, *args, **kwargs):
        kwargs["show_lines"] = True
        original(self, *args, **kwargs)

    monkeypatch.setattr(rich.table.Table, "__init__", with_lines)


def tables(out: str) -> list[dict]:
    """The tables in rendered text: header lines and body rows (lists of lines)."""
    found, cur, part = [], None, None
    for line in out.splitlines():
        s = line.strip()
        if s.startswith("┏"):
            cur, part = {"header": [], "rows": [[]]}, "header"
        elif s.startswith("┌"):  # a table without a header (key/value panels)
            cur, part = {"header": [], "rows": [[]]}, "rows"
        elif cur is None:
            continue
        elif s.startswith("┡"):
            part = "rows"
        elif s.startswith("├"):
            cur["rows"].append([])
        elif s.startswith("└"):
            found.append(cur)
            cur = None
        elif part == "header":
            cur["header"].append(s)
        else:
            cur["rows"][-1].append(s)
    return found


COMMANDS = {
    "leads": ["leads", "--user", "{rep}"],
    "leads (owner)": ["leads"],
    "lead": ["lead", "{lead}", "--user", "{rep}"],
    "funnel": ["funnel"],
    "insights": ["insights"],
    "users": ["users", "list"],
    "playbook list": ["playbook", "list", "--user", "{rep}"],
    "log": ["log", "{lead}", "--channel", "whatsapp", "--in", "Klingt gut, bitte schick mir die Preise und die Details",
            "--user", "{rep}"],
    "followup add": ["followup", "add", "{lead}", "--due", "tomorrow 10:00", "--note", "Preise nachreichen",
                     "--user", "{rep}"],
    "stage": ["stage", "{lead}", "lost", "--reason", "zu teuer, kein Budget in diesem Jahr", "--user", "{rep}"],
    "profile": ["profile", "{lead}", "--user", "{rep}"],
    "recs": ["recs", "--user", "{rep}"],
    "recs (owner)": ["recs"],
    "today": ["today", "--user", "{rep}"],
    "compliance check": ["compliance", "check", "Mit uns verdienst du garantiert 5.000 € im Monat, ganz ohne Risiko!"],
    "team": ["team", "--user", "{manager}"],
    "teams": ["teams"],
    "kpis": ["kpis", "--user", "{manager}"],
    "kpis (rep)": ["kpis", "--user", "{rep}", "--lang", "en"],
}


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("name", list(COMMANDS))
def test_readable_at_80_and_120_columns(dsn, team, row_lines, name, width):
    args = [a.format(**team) for a in COMMANDS[name]]
    r = runner.invoke(cli, [*args, "--dsn", dsn], env={"COLUMNS": str(width)})
    assert r.exit_code == 0, r.output
    found = tables(r.stdout)
    assert found or name in LISTS, f"{name}: no table in\n{r.stdout}"
    for t in found:
        assert not any("…" in h for h in t["header"]), f"{name} at {width}: a header is cut\n{r.stdout}"
        tall = max(len(rows) for rows in t["rows"])
        assert tall <= MAX_ROW_LINES, f"{name} at {width}: a row is {tall} lines tall\n{r.stdout}"
    assert all(len(line) <= width for line in r.stdout.splitlines()), f"{name}: wider than {width}"
