"""`salesflow bench --only import`: the import path at scale (issue 11: 100,000 leads plus
1,000,000 activities in under 2 minutes, memory flat).

Writes a CRM-style leads CSV and an activities CSV (e-mail log) into a temporary folder, deploys
a scratch database with the owners, and runs the real `salesflow import leads` and
`salesflow import activities` in a subprocess each (so the figures include file reading,
normalisation, COPY, validation, the upsert and the activity triggers), then the same two files
again (the idempotent path: 0 new). Peak memory is the CLI process's maximum resident set
(wait4's rusage), to show that it streams: it does not grow with the file.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg

from ..connection import dsn_for_database
from ..vocabulary import CHANNELS, INDUSTRY_NAMES, SOURCE_NAMES

_STATUSES = ("NEW", "OPEN", "IN_PROGRESS", "CONNECTED", "OPEN_DEAL", "UNQUALIFIED", "ATTEMPTED_TO_CONTACT")
_FIRST = ("Anna", "Jonas", "Lea", "Maximilian", "Sophie", "Lukas", "Marie", "Paul", "Emma", "Felix", "Jürgen", "Özlem")
_LAST = ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Schäfer")


def _write_leads(path: Path, n: int, owners: list[str], rng: random.Random) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner", "Lead Status",
                    "Create Date", "Associated Company", "Country/Region", "Original Source", "Industry"])
        start = datetime(2024, 1, 1)
        for i in range(n):
            w.writerow([100000 + i, rng.choice(_FIRST), rng.choice(_LAST), f"lead{i}@example.org",
                        f"+49 151 {10000000 + i}", owners[i % len(owners)], rng.choice(_STATUSES),
                        (start + timedelta(minutes=7 * i)).strftime("%Y-%m-%d %H:%M"), f"Firma {i % 5000}",
                        rng.choice(("Germany", "Deutschland", "AT", "Schweiz")), rng.choice(SOURCE_NAMES).replace("_", " ").title(),
                        rng.choice(INDUSTRY_NAMES).replace("_", " ").title()])


def _write_activities(path: Path, n: int, leads: int, rng: random.Random) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["lead_email", "channel", "direction", "occurred_at", "subject", "body"])
        start = datetime(2024, 2, 1)
        for i in range(n):
            w.writerow([f"lead{i % leads}@example.org", rng.choice(CHANNELS), rng.choice(("in", "out")),
                        (start + timedelta(seconds=37 * i)).strftime("%Y-%m-%d %H:%M:%S"), "",
                        f"Nachricht {i}: Hallo, wie besprochen melde ich mich wegen des Termins."])


def _run(args: list[str], env: dict) -> dict:
    """Run the CLI; wait4 reaps it so its own peak RSS (not the bench's) is known."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "salesflow_cli", *args], env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problem = out.read(), err.read()
    try:
        result = json.loads(text)
    except ValueError:
        result = {}
    return {"exit_code": proc.returncode, "seconds": round(wall, 1), "counts": result.get("counts", {}),
            "peak_rss_mb": round(usage.ru_maxrss / 1024), "error": problem.strip()[-500:] if proc.returncode else None}


def run(server, leads: int, activities: int, seed: int, log) -> dict[str, Any]:
    rng = random.Random(seed)
    name = "sf_bench_import"
    dsn = dsn_for_database(server.dsn, name)
    owners = [f"rep{i}@bench.example" for i in range(100)]
    with psycopg.connect(server.dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        from ..deploy import run_deploy  # noqa: PLC0415

        run_deploy(dsn, quiet=True)
        with psycopg.connect(dsn, autocommit=True) as c:
            team = c.execute("INSERT INTO salesflow.teams (name) VALUES ('Bench') RETURNING id").fetchone()[0]
            with c.cursor().copy("COPY salesflow.users (team_id, email, display_name) FROM STDIN") as cp:
                for o in owners:
                    cp.write_row((team, o, o.split("@")[0]))
        with tempfile.TemporaryDirectory(prefix="salesflow-bench-import-") as tmp:
            lpath, apath = Path(tmp) / "leads.csv", Path(tmp) / "activities.csv"
            t0 = time.perf_counter()
            _write_leads(lpath, leads, owners, rng)
            _write_activities(apath, activities, leads, rng)
            log(f"import: wrote {leads:,} leads ({lpath.stat().st_size / 1e6:.0f} MB) and {activities:,} activities "
                f"({apath.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.0f} s")
            env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"SALESFLOW_DSN": dsn}
            runs = []
            for label, args, rows in (
                ("leads (HubSpot preset)", ["import", "leads", str(lpath), "--from", "hubspot"], leads),
                ("activities (e-mail log)", ["import", "activities", str(apath)], activities),
                ("leads again (0 new)", ["import", "leads", str(lpath), "--from", "hubspot"], leads),
                ("activities again (0 new)", ["import", "activities", str(apath)], activities),
            ):
                r = _run(args + ["--quiet", "--json"], env)
                r.update(run=label, rows=rows, rows_per_s=round(rows / r["seconds"]) if r["seconds"] else None)
                runs.append(r)
                log(f"  {label}: {rows:,} rows in {r['seconds']} s ({r['rows_per_s']:,} rows/s), exit {r['exit_code']}"
                    f", peak RSS {r['peak_rss_mb']} MB{', counts ' + json.dumps(r['counts']) if r['counts'] else ''}{' — ' + r['error'] if r['error'] else ''}")
        return {"leads": leads, "activities": activities, "runs": runs,
                "first_import_s": round(runs[0]["seconds"] + runs[1]["seconds"], 1)}
    finally:
        with psycopg.connect(server.dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
