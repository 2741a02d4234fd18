"""`salesflow report --html`: one self-contained file, values escaped, labels in the chosen language,
and — in headless Chromium with networking blocked — a page that is not blank and whose every chart
drew marks. The Chromium checks skip (with the reason) where /usr/bin/chromium is missing."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from salesflow_cli import seed as seed_mod
from salesflow_cli.main import cli
from salesflow_cli.refresh import run_refresh

runner = CliRunner()
XSS_LEAD = "<script>alert(1)</script>"
XSS_REP = "<img src=x onerror=alert(2)>"
CHARTS = ["funnel", "pipeline", "won", "activity", "reps", "disg", "health", "compliance"]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9", "--disable-background-networking",
           "--no-first-run", "--disable-component-update"]


@pytest.fixture
def data(dsn, db):
    """3 reps x 40 seeded leads in one team (+ manager, admin), compliance logs of three decisions,
    a lead and a rep whose names are HTML, refreshed."""
    seed_mod.generate(dsn, 3, 40, 6, 11, anchor=dt.datetime.now(dt.timezone.utc).replace(microsecond=0))
    rep, team = db.execute("SELECT id, team_id FROM salesflow.users WHERE role = 'rep' ORDER BY id LIMIT 1").fetchone()
    lead = db.execute("INSERT INTO salesflow.leads (user_id, name, stage, consent, deal_value) "
                      "VALUES (%s, %s, 'proposal', true, 99999) RETURNING id", (rep, XSS_LEAD)).fetchone()[0]
    db.execute("INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now() - interval '3 days')",
               (lead, rep))
    for text in ("Hallo, wann passt dir ein kurzes Gespräch?", "Du verdienst garantiert 5000 Euro im Monat!",
                 "Unser Produkt heilt Krebs."):
        db.execute("SELECT * FROM salesflow.log_ai_output_compliance(p_content => %s, p_content_type => 'script', "
                   "p_lead_id => %s, p_user_id => %s)", (text, lead, rep))
    db.execute("UPDATE salesflow.users SET display_name = %s WHERE id = %s", (XSS_REP, rep))
    run_refresh(dsn)
    name = db.execute("SELECT name FROM salesflow.teams WHERE id = %s", (team,)).fetchone()[0]
    manager = db.execute("SELECT display_name FROM salesflow.users WHERE role = 'manager' AND team_id = %s", (team,)).fetchone()[0]
    return {"team": name, "manager": manager, "rep": rep}


def make_report(dsn, tmp_path, *args) -> tuple[Path, str]:
    out = tmp_path / f"report-{len(list(tmp_path.iterdir()))}.html"
    r = runner.invoke(cli, ["report", "--html", str(out), *args, "--dsn", dsn])
    assert r.exit_code == 0, r.output
    assert f"{out}" in r.stdout and "KB" in r.stdout
    return out, out.read_text(encoding="utf-8")


def figures(page: str) -> dict[str, str]:
    return dict(re.findall(r'<figure class="chart" id="chart-(\w+)"[^>]*>(.*?)</figure>', page, re.S))


def test_report_is_one_self_contained_escaped_file(dsn, data, tmp_path):
    out, page = make_report(dsn, tmp_path, "--user", data["manager"], "--lang", "en")
    size = out.stat().st_size
    print(f"\nreport size: {size} bytes ({size / 1024:.0f} KB)")
    assert size < 400_000  # inline SVG, no embedded JavaScript library (plotly inline would be ~4.8 MB)
    # nothing is fetched when it opens: no scripts at all, no external style sheets, fonts or images
    assert "<script" not in page.lower()
    assert not re.search(r'''(src|href)\s*=\s*["']?\s*(https?:)?//''', page, re.I)
    assert "@import" not in page and "url(" not in page and "<link" not in page.lower()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "figure.chart svg{display:block;width:100%;height:auto}" in page  # charts scale to the width
    # the database's HTML is text: in the actions table, the team table and the per-rep chart (SVG)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert XSS_REP not in page and "&lt;img src=x onerror=alert(2)&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in figures(page)["reps"]
    charts = figures(page)
    assert list(charts) == CHARTS
    for cid, body in charts.items():
        assert "<svg" in body and 'class="mark-' in body, cid


@pytest.mark.parametrize("lang,words,other", [
    ("de", ["Vertriebsbericht", "Conversion-Funnel", "Pipeline nach Stufe", "Gewonnen pro Woche", "Angebot", "KW ",
            "blockiert", "Wichtigste nächste Aktionen", "Follow-up überfällig"],
     ["Sales report", "Pipeline by stage", "follow-up overdue", "followup_overdue"]),
    ("en", ["Sales report", "Conversion funnel", "Pipeline by stage", "Won per week", "proposal", "W4",
            "blocked", "Top next actions", "follow-up overdue"],
     ["Vertriebsbericht", "Pipeline nach Stufe", "Follow-up überfällig", "followup_overdue"]),
])
def test_report_labels_are_in_the_chosen_language(dsn, data, tmp_path, lang, words, other):
    _, page = make_report(dsn, tmp_path, "--team", data["team"], "--lang", lang)
    assert f'<html lang="{lang}">' in page
    for w in words:
        assert w in page, w
    for w in other:
        assert w not in page, w


def test_report_scopes_rep_and_refusals(dsn, data, tmp_path):
    _, page = make_report(dsn, tmp_path, "--user", str(data["rep"]), "--lang", "en")
    assert 'id="members"' not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the rep's own actions
    r = runner.invoke(cli, ["report", "--html", str(tmp_path / "x.html"), "--user", str(data["rep"]), "--team",
                            data["team"], "--dsn", dsn])
    assert r.exit_code == 2 and "42501" in r.output
    r = runner.invoke(cli, ["report", "--dsn", dsn])
    assert r.exit_code == 2 and "--html" in r.output
    r = runner.invoke(cli, ["report", "--html", str(tmp_path / "no" / "such" / "x.html"), "--dsn", dsn])
    assert r.exit_code == 2 and "does not exist" in r.output


# --------------------------------------------------------------------------- in Chromium


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    if not CHROMIUM:
        pytest.skip("chromium is not installed (apt-get install -y chromium; .ci/run installs it)")
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
           f"--user-data-dir={profile}", *OFFLINE, *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=180)


@pytest.mark.slow
@pytest.mark.parametrize("size", ["390,2600", "1280,1800"], ids=["phone", "desktop"])
def test_report_renders_in_chromium_offline_and_is_not_blank(dsn, data, tmp_path, size):
    import png

    out, _ = make_report(dsn, tmp_path, "--user", data["manager"])
    shot = tmp_path / "shot.png"
    p = chromium(tmp_path, f"--screenshot={shot}", f"--window-size={size}", out.as_uri())
    assert shot.exists(), p.stderr[-2000:]
    width, height, rows, _ = png.Reader(filename=str(shot)).asRGBA8()
    assert f"{width},{height}" == size
    colours, painted, total = set(), 0, 0
    for y, row in enumerate(rows):
        if y % 4:
            continue
        for x in range(0, width * 4, 16):
            px = tuple(row[x:x + 3])
            colours.add(px)
            total += 1
            painted += px not in ((255, 255, 255), (244, 246, 248))  # white cards, the page's grey
    assert len(colours) > 50, f"screenshot looks blank: {len(colours)} colours"
    # bars, text and the chart colours: a real share of the page is drawn on
    assert painted / total > 0.03, painted / total
    for colour in ((21, 101, 192), (46, 125, 50), (198, 40, 40)):  # bar blue, green (won, allowed), red (blocked)
        assert any(all(abs(a - b) <= 6 for a, b in zip(c, colour)) for c in colours), colour


@pytest.mark.slow
def test_every_chart_drew_marks_in_chromium_offline(dsn, data, tmp_path):
    out, _ = make_report(dsn, tmp_path, "--team", data["team"], "--lang", "de")
    p = chromium(tmp_path, "--virtual-time-budget=3000", "--window-size=390,2600", "--dump-dom", out.as_uri())
    dom = p.stdout
    assert "<html" in dom, p.stderr[-2000:]
    charts = figures(dom)
    assert list(charts) == CHARTS, list(charts)
    for cid, body in charts.items():
        marks = re.findall(r'<path[^>]*class="[^"]*"|<g class="mark-(?:rect|symbol|line|text)', body)
        drawn = re.findall(r'<g class="mark-rect[^"]*"[^>]*>(.*?)</g>', body, re.S)
        assert marks and drawn and any("<path" in d for d in drawn), f"chart {cid} drew no bars"
    # no request left the machine: the page has nothing to load, and with every host unresolvable a
    # fetched resource would have failed and left an error page or a broken element behind
    assert "ERR_NAME_NOT_RESOLVED" not in dom and "ERR_PROXY" not in dom
