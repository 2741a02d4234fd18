"""The `salesflow bench` typer command."""

from __future__ import annotations


import os
import time
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Callable, Optional

import typer

from ..connection import redact
from ..errors import UserError
from ..options import Dsn, Json
from ..render import dumps
from .report import growth, render
from .run import Options, SECTIONS, run_scale
from .scratch import PRESETS, prepare_server, tenth_of
from .timing import Log, console

# --------------------------------------------------------------------------- command


def _sql_tree() -> dict:
    """Which SQL was measured: the tree and one checksum over every file's checksum."""
    import hashlib

    from .. import __version__
    from ..sqlfiles import discover, sql_root

    files = discover()
    digest = hashlib.sha256("".join(f"{f.relpath}:{f.sha256}\n" for f in files).encode()).hexdigest()
    return {"root": str(sql_root()), "files": len(files), "sha256": digest[:16], "salesflow": __version__}


def _machine() -> dict:
    mem = None
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    mem = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "memory_gib": mem}


# Long (~100 lines) because half of it is the typer option list; the work is in run.run_scale().
def bench_command(
    dsn: Dsn = None,
    scale_name: str = typer.Option("full", "--scale", envvar="SALESFLOW_BENCH_SCALE",
                                   help="Preset: small (CI smoke test), tenth (10 users x 10,000 x 10), full (100 x 10,000 x 10)."),
    users: Optional[int] = typer.Option(None, "--users", min=1, help="Users (overrides the preset)."),
    leads_per_user: Optional[int] = typer.Option(None, "--leads-per-user", min=1, help="Leads per user."),
    activities_per_lead: Optional[int] = typer.Option(None, "--activities-per-lead", min=0, help="Activities per lead."),
    calls: Optional[int] = typer.Option(None, "--calls", min=1, help="Calls per RPC (full: 1,000)."),
    clients: Optional[int] = typer.Option(None, "--clients", min=1, help="Concurrent client connections (full: 100)."),
    duration: Optional[float] = typer.Option(None, "--duration", min=1, help="Seconds of concurrent load (full: 60)."),
    think_ms: float = typer.Option(1000.0, "--think-ms", min=0,
                                   help="Interactive load: mean pause of each client between operations (uniform 0..2x); "
                                        "0 = saturate."),
    stress_think_ms: float = typer.Option(100.0, "--stress-think-ms", min=0,
                                          help="A second, stress run with this mean pause (more than the machine can "
                                               "serve: throughput ceiling); 0 = no stress run."),
    trigger_rows: Optional[int] = typer.Option(None, "--trigger-rows", min=1000, help="Activities per trigger variant."),
    compare_tenth: Optional[bool] = typer.Option(None, "--compare-tenth/--no-compare-tenth",
                                                 help="Also run at 10 % scale and report growth (default: on for --scale full)."),
    keep: bool = typer.Option(False, "--keep", help="Reuse an existing scratch database of the same size; keep it afterwards."),
    seed: int = typer.Option(42, "--seed", help="Random seed (dataset and call mix)."),
    only: Optional[str] = typer.Option(None, "--only", help=f"Comma-separated sections: {', '.join(SECTIONS)}."),
    generator: str = typer.Option("seed", "--generator",
                                  help="Dataset rows: seed (salesflow seed's realistic generator) or builtin (simpler, faster)."),
    explain: Optional[bool] = typer.Option(None, "--explain/--no-explain",
                                           help="EXPLAIN ANALYZE (auto_explain) one call of every RPC whose p99 misses "
                                                "10 ms (default: on except --scale small)."),
    ai: bool = typer.Option(False, "--ai", help="Also measure `ai memory --stale` against the test LLM server."),
    ai_leads: int = typer.Option(1000, "--ai-leads", min=1, help="Stale leads for the AI section."),
    ai_concurrency: int = typer.Option(16, "--ai-concurrency", min=1, help="Concurrency for the AI section."),
    ai_latency_ms: float = typer.Option(200.0, "--ai-latency-ms", min=0, help="Latency of the test LLM server per call."),
    import_leads: int = typer.Option(100_000, "--import-leads", min=1, help="Leads in the import section's CSV (--only import)."),
    import_activities: int = typer.Option(1_000_000, "--import-activities", min=1,
                                          help="Activity rows in the import section's CSV (--only import)."),
    tune: bool = typer.Option(False, "--tune",
                              help="Embedded server only: shared_buffers 1/4 of RAM (max 8 GB), effective_cache_size 1/2, "
                                   "work_mem 32MB, maintenance_work_mem 1GB, max_wal_size 16GB (ALTER SYSTEM + restart)."),
    save: Optional[str] = typer.Option(None, "--save", help="Also write the JSON report to this file, after every section."),
    as_json: Json = False,
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress lines on stderr."),
) -> None:
    """Benchmark salesflow at scale in a scratch database: RPC latency, refresh, triggers, concurrency, naive baseline."""
    if scale_name not in PRESETS:
        raise UserError(f"--scale {scale_name!r} is not a preset", hint=f"use one of: {', '.join(PRESETS)}")
    scale = PRESETS[scale_name]
    overrides = {k: v for k, v in dict(users=users, leads_per_user=leads_per_user, activities_per_lead=activities_per_lead,
                                       calls=calls, clients=clients, duration=duration, trigger_rows=trigger_rows).items()
                 if v is not None}
    if overrides:
        scale = replace(scale, name=scale.name + "*" if any(k in overrides for k in ("users", "leads_per_user",
                                                                                        "activities_per_lead")) else scale.name,
                        **overrides)
    sections = None
    if only:
        sections = {s.strip() for s in only.split(",") if s.strip()}
        bad = sections - set(SECTIONS)
        if bad:
            raise UserError(f"--only: unknown section(s) {', '.join(sorted(bad))}", hint=f"sections: {', '.join(SECTIONS)}")
    if compare_tenth is None:
        compare_tenth = scale_name == "full" and not overrides.keys() & {"users", "leads_per_user", "activities_per_lead"}
    log = Log(quiet)
    if generator not in ("seed", "builtin"):
        raise UserError(f"--generator {generator!r} is not known", hint="use seed or builtin")
    if explain is None:
        explain = scale_name != "small"
    opts = Options(seed=seed, keep=keep, think_ms=think_ms, stress_think_ms=stress_think_ms, only=sections, explain=explain, generator=generator)
    runs_concurrency = sections is None or "concurrency" in sections
    server = prepare_server(dsn, scale.clients if runs_concurrency else 0, log, tune)
    report: dict[str, Any] = {"machine": _machine(), "server": asdict(server) | {"dsn": redact(server.dsn)},
                              "sql": _sql_tree(), "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    started = time.perf_counter()
    ai = ai or bool(sections and "ai" in sections)

    def checkpoint(key: str) -> Callable[[dict], None]:
        def write(part: dict) -> None:
            if save:
                report[key] = part
                Path(save).write_text(dumps(report))
        return write

    if sections is None or sections - {"ai", "import"}:
        # the requested scale first: when time runs out, its figures are the ones that count
        log(f"== {scale.name} scale: {scale.label}")
        report["main"] = run_scale(server, scale, opts, log, checkpoint("main"))
        if compare_tenth:
            small = tenth_of(scale)
            log(f"== 10 % scale: {small.label}")
            report["tenth"] = run_scale(server, small, replace(opts, explain=False), log, checkpoint("tenth"))
            report["growth"] = growth(report["tenth"], report["main"])
    if ai:
        from . import ai as bench_ai

        report["ai"] = bench_ai.run(server, ai_leads, ai_concurrency, ai_latency_ms, seed, log)
    if sections and "import" in sections:
        from . import imports as bench_import

        report["import"] = bench_import.run(server, import_leads, import_activities, seed, log)
    report["server"]["notes"] = server.notes
    report["elapsed_s"] = round(time.perf_counter() - started, 1)
    if save:
        Path(save).write_text(dumps(report))
    if as_json:
        print(dumps(report))
    else:
        render(report)
        console.print(f"[dim]bench finished in {report['elapsed_s']:.0f} s[/dim]")
