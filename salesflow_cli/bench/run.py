"""One full run at one scale: every selected section in order."""

from __future__ import annotations


import random
import time
from dataclasses import asdict, dataclass
from typing import Any, Callable, Optional


from .. import rpc as api
from .drain import run_drain
from .writers import run_writers
from .concurrency import CONCURRENCY_RUNS, run_concurrency, statements_reset, statements_top
from .explain import explain_calls, explain_sql
from .naive import run_naive
from .report import evaluate_targets
from .rpcs import run_maintenance, run_refresh, run_rpcs
from .scratch import Scale, Server, build_dataset, drop_dataset, fit_clients, take_sample
from .timing import Log
from .triggers import _INSERT_ONE, _activity_rows, run_trigger_overhead

# --------------------------------------------------------------------------- one full run


@dataclass
class Options:
    seed: int = 42
    keep: bool = False
    think_ms: float = 1000.0
    stress_think_ms: float = 100.0  # 0: no stress run
    only: Optional[set[str]] = None  # sections to run (None: all)
    explain: bool = True
    generator: str = "seed"

    def wants(self, section: str) -> bool:
        return self.only is None or section in self.only


SECTIONS = ("rpc", "maintenance", "naive", "refresh", "drain", "trigger", "writers", "concurrency", "ai", "import")


# ~80 lines: the sections in order, each a few lines (log, run, save).
def run_scale(server: Server, scale: Scale, opts: Options, log: Log,
              save: Callable[[dict], None] = lambda d: None) -> dict:
    dsn, dataset = build_dataset(server, scale, opts.seed, opts.keep, log, opts.generator)
    out: dict[str, Any] = {"scale": asdict(scale) | {"leads": scale.leads, "activities": scale.activities},
                           "dataset": dataset}
    phase_t0 = [time.perf_counter()]
    out["phase_s"] = {}

    def section_done() -> None:
        now = time.perf_counter()
        done = [k for k in ("rpc", "explain", "maintenance", "naive", "refresh", "drain", "trigger", "writers",
                            *(key for key, _ in CONCURRENCY_RUNS)) if k in out]
        key = next((k for k in reversed(done) if k not in out["phase_s"]), None)
        if key:
            out["phase_s"][key] = round(now - phase_t0[0], 1)
        phase_t0[0] = now
        save(out)
    try:
        sample = take_sample(dsn, scale.sample_leads_per_user, opts.seed)
        out["sample"] = {"reps": len(sample.reps), "managers": len(sample.managers),
                         "leads": sum(len(v) for v in sample.leads.values())}
        pss = server.pg_stat_statements and statements_reset(dsn)
        if opts.wants("rpc"):
            log(f"RPCs: {scale.calls} calls each, as salesflow_rep with random reps and leads")
            out["rpc"], out["rpc_skipped"] = run_rpcs(dsn, sample, scale.calls, opts.seed, log, pss)
            section_done()
        if opts.explain and out.get("rpc"):
            slow = [x["name"] for x in out["rpc"] if (x["p99_ms"] or 0) > 10.0]
            if slow:
                log(f"EXPLAIN ANALYZE (auto_explain, nested statements) of {len(slow)} RPC(s) with p99 > 10 ms")
                out["explain"] = explain_calls(dsn, sample, slow, opts.seed)
                section_done()
        if opts.wants("maintenance"):
            log("maintenance functions (as the table owner)")
            out["maintenance"] = run_maintenance(dsn, scale.maintenance_calls, log)
            section_done()
        if opts.wants("naive"):
            log("naive baseline (raw tables, no counters, no views)")
            out["naive"] = run_naive(dsn, sample, scale.calls, opts.seed, log)
            section_done()
        if opts.wants("refresh"):
            log("refresh_all_ki_views()")
            out["refresh"] = run_refresh(dsn, scale.refresh_runs, log)
            section_done()
            if opts.explain and out["refresh"] and out["refresh"]["total_ms"] > 5000:
                log("EXPLAIN ANALYZE of a refresh (auto_explain: the statements REFRESH runs)")
                out.setdefault("explain", {})["refresh_all_ki_views()"] = explain_sql(
                    dsn, api.refresh_all_ki_views.query(set()), {}, warmup=False, top=4)
                section_done()
        if opts.wants("drain"):
            log("drain_dirty_leads(): cost against the number of dirty leads")
            out["drain"] = run_drain(dsn, scale.refresh_runs, log)
            section_done()
        if pss:
            out["statements_reads"] = statements_top(dsn)
            statements_reset(dsn)
        if opts.wants("trigger"):
            log(f"trigger overhead: {scale.trigger_rows:,} activities with vs without triggers")
            out["trigger"] = run_trigger_overhead(dsn, sample, scale.trigger_rows, scale.single_inserts, opts.seed, log)
            section_done()
            if opts.explain:
                row = _activity_rows(sample, random.Random(opts.seed), 1, time.time())[0]
                out.setdefault("explain", {})["single-row INSERT into lead_activities (trigger statements)"] = \
                    explain_sql(dsn, _INSERT_ONE, row, warmup=False)
                section_done()
        if opts.wants("writers"):
            log(f"writers: 8 multi-statement writers over several leads each for {scale.duration:g} s, drain every 2 s")
            out["writers"] = run_writers(dsn, sample, scale.duration, opts.seed, log)
            section_done()
        if opts.wants("concurrency"):
            clients = fit_clients(server, scale.clients)
            log(f"concurrency: {clients} clients for {scale.duration:g} s (think time mean {opts.think_ms:g} ms)")
            out["concurrency"] = run_concurrency(dsn, sample, clients, scale.duration, opts.think_ms, opts.seed, log)
            section_done()
            if opts.stress_think_ms > 0 and opts.stress_think_ms != opts.think_ms:
                log(f"concurrency under stress: {clients} clients for {scale.duration:g} s "
                    f"(think time mean {opts.stress_think_ms:g} ms)")
                out["concurrency_stress"] = run_concurrency(dsn, sample, clients, scale.duration, opts.stress_think_ms,
                                                            opts.seed + 1, log)
                section_done()
        if pss:
            out["statements_writes"] = statements_top(dsn)
        out["statements_available"] = bool(pss)
    finally:
        if not opts.keep:
            drop_dataset(server, dsn)
            log(f"dropped scratch database {dataset['database']} (use --keep to keep it)")
    out["targets"] = evaluate_targets(out)
    return out
