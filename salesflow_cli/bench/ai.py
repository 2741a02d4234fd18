"""`salesflow bench --ai`: AI batch throughput of `salesflow ai memory --stale`.

Starts the shipped OpenAI-compatible test server (salesflow_cli/testing/fake_llm.py; imported,
not copied) with a fixed latency per chat call, builds a scratch database with N stale leads, and
runs the real CLI twice in a subprocess:
  1. `ai memory --stale --concurrency C` over the N leads: leads/s against the ideal C / latency;
  2. the same command again at once: it must make zero LLM calls (nothing is stale any more).
Embedding calls (when pgvector is installed) answer without added latency: the ideal counts one
200 ms chat call per lead, as the issue states it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

import psycopg

from .. import rpc as api
from . import dataset as bench_data
from ..connection import dsn_for_database


def _fake_server_class():
    from ..testing.fake_llm import FakeOpenAI  # noqa: PLC0415

    return FakeOpenAI


def _run_cli(args: list[str], env: dict[str, str]) -> tuple[dict, float, int, str]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "salesflow_cli", *args], env=env, capture_output=True, text=True,
                          timeout=1800)
    wall = time.perf_counter() - t0
    try:
        out = json.loads(proc.stdout) if proc.stdout.strip() else {}
    except ValueError:
        out = {}
    return out, wall, proc.returncode, proc.stderr.strip()[-2000:]


def run(server, leads: int, concurrency: int, latency_ms: float, seed: int, log) -> dict[str, Any]:

    FakeOpenAI = _fake_server_class()
    name = "sf_bench_ai"
    dsn = dsn_for_database(server.dsn, name)
    users = max(1, (leads + 199) // 200)
    per_user = (leads + users - 1) // users
    log(f"AI batch: {users * per_user} stale leads, concurrency {concurrency}, {latency_ms:g} ms per chat call")
    with psycopg.connect(server.dsn, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    fake = FakeOpenAI()
    fake.chat_latency = latency_ms / 1000.0
    try:
        from ..deploy import run_deploy  # noqa: PLC0415

        run_deploy(dsn, quiet=True)
        bench_data.load(dsn, users, per_user, 4, seed, lambda m: None, "builtin")  # every lead has messages
        with psycopg.connect(dsn, autocommit=True) as c:
            c.execute("UPDATE salesflow.lead_context_summaries SET is_stale = true WHERE NOT is_stale")
            stale = len(api.ai_stale_leads(c, limit=leads, user_id=None))
        env = dict(os.environ, SALESFLOW_DSN=dsn, OPENAI_BASE_URL=fake.url, OPENAI_API_KEY="bench-key",
                   SALESFLOW_MODEL="bench-model", SALESFLOW_QUIET="1")
        env.pop("DATABASE_URL", None)
        args = ["ai", "memory", "--stale", "--concurrency", str(concurrency), "--limit", str(leads), "--json", "--quiet"]
        ideal = concurrency / (latency_ms / 1000.0) if latency_ms else None
        runs = []
        for label in ("first run", "second run (immediately)"):
            before = fake.counts.get("chat", 0) + fake.counts.get("embeddings", 0)
            out, wall, rc, err = _run_cli(args, env)
            calls = fake.counts.get("chat", 0) + fake.counts.get("embeddings", 0) - before
            secs = float(out.get("seconds") or wall)
            lps = round(out.get("leads", 0) / secs, 1) if secs and out.get("leads") else 0.0
            runs.append({"run": label, "exit_code": rc, "leads": out.get("leads", 0), "updated": out.get("ok"),
                         "cached": out.get("cached"), "failed": out.get("failed"), "calls": calls,
                         "chat_calls": None, "seconds": round(secs, 2), "wall_s": round(wall, 2),
                         "leads_per_s": lps, "of_ideal": round(lps / ideal, 3) if ideal and lps else None,
                         "error": err if rc else None})
            log(f"  {label}: {out.get('leads', 0)} leads, {calls} LLM calls, {secs:.1f} s, {lps} leads/s"
                + (f" ({lps / ideal * 100:.0f} % of ideal {ideal:g}/s)" if ideal and lps else "")
                + (f" — exit {rc}: {err.splitlines()[-1] if err else ''}" if rc else ""))
        notes = [f"ideal = concurrency / latency = {concurrency} / {latency_ms / 1000:g} s = {ideal:g} leads/s"
                 if ideal else "no latency: no ideal rate",
                 "leads/s from the command's own timing (connect to done, without Python start-up); wall_s includes it",
                 f"{stale} leads were stale before the first run"]
        return {"leads": leads, "concurrency": concurrency, "latency_ms": latency_ms, "ideal_leads_per_s": ideal,
                "runs": runs, "notes": notes}
    finally:
        fake.close()
        with psycopg.connect(server.dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
