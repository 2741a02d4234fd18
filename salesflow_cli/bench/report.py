"""Targets, growth between scales, and the rich tables."""

from __future__ import annotations


from typing import Any, Optional


from ..connection import redact
from ..render import table
from .concurrency import CONCURRENCY_RUNS
from .timing import console

# --------------------------------------------------------------------------- targets and growth

PROMISES = {
    "rpc_p99_ms": ("RPC < 100 ms", 10.0, "every RPC p99 <= 10 ms"),
    "refresh_ms": ("refresh < 5 s", 5000.0, "full refresh <= 5 s"),
    "trigger_ratio": ("trigger < 50 ms", 1.5, "trigger overhead <= 1.5x"),
    "concurrency": ("100+ concurrent users", 50.0, "100 clients, 0 errors, 0 deadlocks, p99 <= 50 ms"),
    "naive_speedup": ("-", 10.0, ">= 10x faster than the naive baseline"),
}


def evaluate_targets(r: dict) -> list[dict]:
    out = []
    for x in r.get("rpc", []):
        limit = x.get("target_ms", 10.0)
        ok = x["errors"] == 0 and x["p99_ms"] is not None and x["p99_ms"] <= limit
        out.append({"figure": f"rpc {x['name']} p99", "original": "< 100 ms", "target": f"<= {limit:g} ms",
                    "measured": f"{x['p99_ms']} ms" + (f", {x['errors']} errors" if x["errors"] else ""), "ok": ok})
    if r.get("refresh"):
        ms = r["refresh"]["total_ms"]
        out.append({"figure": "refresh_all_ki_views total", "original": "< 5 s", "target": "<= 5 s",
                    "measured": f"{ms / 1000:.2f} s", "ok": ms <= 5000})
    for d in (r.get("drain") or {}).get("sizes", []):
        if d["dirty_leads"] == 10_000:
            out.append({"figure": "drain after 10,000 leads changed", "original": "-", "target": "<= 1 s",
                        "measured": f"{d['drain_ms'] / 1000:.2f} s", "ok": d["drain_ms"] <= 1000})
    if r.get("writers"):
        w = r["writers"]
        dl = max(w["deadlocks_40P01"], w["deadlocks_server"])
        out.append({"figure": f"{w['writers']} multi-statement writers for {w['seconds']:g} s", "original": "-",
                    "target": "0 deadlocks, 0 errors",
                    "measured": f"{w['commits']} transactions, {dl} deadlocks, {w['errors']} errors",
                    "ok": dl == 0 and w["errors"] == 0})
    if r.get("trigger"):
        t = r["trigger"]
        out.append({"figure": "trigger overhead (1,000-row inserts)", "original": "trigger < 50 ms", "target": "<= 1.5x",
                    "measured": f"{t['ratio']}x", "ok": t["ratio"] is not None and t["ratio"] <= 1.5})
        p99 = t["single_with"]["p99_ms"]
        out.append({"figure": "single-row insert with triggers p99", "original": "< 50 ms", "target": "<= 5 ms",
                    "measured": f"{p99} ms", "ok": p99 is not None and p99 <= 5})
    for key, label in CONCURRENCY_RUNS:
        if r.get(key):
            c = r[key]
            ok = c["errors"] == 0 and c["deadlocks_40P01"] == 0 and c["deadlocks_server"] == 0 and (c["p99_ms"] or 1e9) <= 50
            out.append({"figure": f"{label} ({c['clients']} clients, think {c['think_ms_mean']:g} ms)",
                        "original": "100+ users", "target": "0 errors, 0 deadlocks, p99 <= 50 ms",
                        "measured": f"{c['throughput_ops_s']} ops/s, p99 {c['p99_ms']} ms, {c['errors']} errors, "
                                    f"{max(c['deadlocks_40P01'], c['deadlocks_server'])} deadlocks", "ok": ok})
    for n in r.get("naive", []) or []:
        if "real" not in n:
            continue
        sp = n.get("speedup_p50")
        out.append({"figure": f"vs naive {n['name']}", "original": "-", "target": ">= 10x",
                    "measured": f"{sp}x" if sp else "n/a", "ok": bool(sp and sp >= 10)})
    return out


def growth(small: dict, big: dict) -> list[dict]:
    """How each figure grows from the 10 % run to the full run (big / small)."""
    rows = []

    def add(figure: str, a: Optional[float], b: Optional[float], a99: Optional[float] = None,
            b99: Optional[float] = None) -> None:
        if a is None or b is None:
            return
        row = {"figure": figure, "tenth": a, "full": b, "factor": round(b / a, 2) if a else None}
        if a99 is not None and b99 is not None:
            row.update(tenth_p99=a99, full_p99=b99, factor_p99=round(b99 / a99, 2) if a99 else None)
        rows.append(row)

    add("dataset build s", small["dataset"].get("build_s"), big["dataset"].get("build_s"))
    sm = {x["name"]: x for x in small.get("rpc", [])}
    for x in big.get("rpc", []):
        if x["name"] in sm:
            y = sm[x["name"]]
            add(f"rpc {x['name']} ms (p50 | p99)", y["p50_ms"], x["p50_ms"], y["p99_ms"], x["p99_ms"])
    if small.get("drain") and big.get("drain"):
        sd = {x["dirty_leads"]: x for x in small["drain"]["sizes"]}
        for x in big["drain"]["sizes"]:
            if x["dirty_leads"] in sd:
                add(f"drain of {x['dirty_leads']:,} dirty leads ms", sd[x["dirty_leads"]]["drain_ms"], x["drain_ms"])
    if small.get("refresh") and big.get("refresh"):
        add("refresh total ms", small["refresh"]["total_ms"], big["refresh"]["total_ms"])
        ss = {s["step"]: s for s in small["refresh"]["steps"]}
        for s in big["refresh"]["steps"]:
            if s["step"] in ss:
                add(f"refresh {s['step']} ms", ss[s["step"]]["duration_ms"], s["duration_ms"])
    if small.get("trigger") and big.get("trigger"):
        add("trigger ratio", small["trigger"]["ratio"], big["trigger"]["ratio"])
        add("single insert p50 ms (triggers)", small["trigger"]["single_with"]["p50_ms"], big["trigger"]["single_with"]["p50_ms"])
    for key, label in CONCURRENCY_RUNS:
        if small.get(key) and big.get(key):
            add(f"{label} ops/s", small[key]["throughput_ops_s"], big[key]["throughput_ops_s"])
            add(f"{label} ms (p50 | p99)", small[key]["p50_ms"], big[key]["p50_ms"], small[key]["p99_ms"], big[key]["p99_ms"])
    sn = {n["name"]: n for n in small.get("naive", []) or [] if "naive" in n}
    for n in big.get("naive", []) or []:
        if n["name"] in sn and "naive" in n:
            m = sn[n["name"]]
            add(f"naive {n['name']} ms (p50 | p99)", m["naive"]["p50_ms"], n["naive"]["p50_ms"], m["naive"]["p99_ms"],
                n["naive"]["p99_ms"])
    return rows


# --------------------------------------------------------------------------- rendering


def _f(v: Any, nd: int = 2) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:,.{nd}f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


def render(report: dict) -> None:
    for key in ("main", "tenth"):
        r = report.get(key)
        if not r:
            continue
        sc = r["scale"]
        console.rule(f"[bold]salesflow bench — {sc['name']}: {sc['users']} users × {sc['leads_per_user']:,} leads × "
                     f"{sc['activities_per_lead']} activities = {sc['leads']:,} leads, {sc['activities']:,} activities")
        _render_run(r)
    if report.get("growth"):
        console.print(table("growth from 10 % to full scale (× = full / tenth; per-user work should stay near 1×)",
                            ["figure", "tenth", "full", "×", "tenth p99", "full p99", "× p99"],
                            [(g["figure"], _f(g["tenth"]), _f(g["full"]), _f(g["factor"]), _f(g.get("tenth_p99")),
                              _f(g.get("full_p99")), _f(g.get("factor_p99"))) for g in report["growth"]]))
    if report.get("import"):
        im = report["import"]
        console.print(table(f"Import: {im['leads']:,} leads + {im['activities']:,} activities (salesflow import, one transaction each)",
                            ["run", "rows", "seconds", "rows/s", "peak RSS MB", "new", "unchanged"],
                            [(r["run"], f"{r['rows']:,}", f"{r['seconds']:.1f}", f"{r['rows_per_s'] or 0:,}", str(r["peak_rss_mb"]),
                              f"{r['counts'].get('created', '–')}", f"{r['counts'].get('unchanged', '–')}") for r in im["runs"]]))
    if report.get("ai"):
        a = report["ai"]
        console.print(table("AI batch: ai memory --stale", ["run", "leads", "calls", "seconds", "leads/s", "of ideal"],
                            [(x["run"], _f(x["leads"]), _f(x["calls"]), _f(x["seconds"]), _f(x["leads_per_s"]),
                              f"{x['of_ideal'] * 100:.0f} %" if x.get("of_ideal") is not None else "-") for x in a["runs"]]))
        for note in a.get("notes", []):
            console.print(f"[dim]{note}[/dim]")
    if report.get("sql"):
        q = report["sql"]
        console.print(f"[dim]sql: {q['files']} files from {q['root']} (tree sha256 {q['sha256']}), "
                      f"salesflow {q['salesflow']}, started {report.get('started_at')}[/dim]")
    s = report["server"]
    console.print(f"[dim]server: PostgreSQL {s['version']} ({'embedded' if s['embedded'] else redact(s['dsn'])}), "
                  f"max_connections {s['max_connections']}, shared_buffers {s['settings'].get('shared_buffers')}, "
                  f"cpus {report['machine']['cpus']}, memory {report['machine']['memory_gib']} GiB[/dim]")
    for note in s.get("notes", []):
        console.print(f"[yellow]note:[/yellow] {note}")


# ~90 lines: one table after another in report order; each block is a flat list of rows.
def _render_run(r: dict) -> None:
    d = r["dataset"]
    steps = ", ".join(f"{k} {v:.1f} s" for k, v in d.get("steps_s", {}).items())
    console.print(f"dataset {d['database']}: built in {d.get('build_s', 0):.1f} s"
                  f"{' (reused, --keep)' if d.get('reused') else ''} — {steps}; size {d.get('size')}")
    if d.get("rows"):
        console.print("rows: " + ", ".join(f"{k} {v:,}" for k, v in d["rows"].items()))
    if r.get("rpc"):
        console.print(table("RPC latency (ms), called as salesflow_rep/manager with random users and leads",
                            ["function", "role", "calls", "errors", "p50", "p95", "p99", "max", "p99 ≤ target (10 ms)"],
                            [(x["name"] + (" (write)" if x["write"] else "") + (" (time cap)" if x.get("time_capped") else ""),
                              x["role"], _f(x["calls"]), _f(x["errors"]),
                              _f(x["p50_ms"]), _f(x["p95_ms"]), _f(x["p99_ms"]), _f(x["max_ms"]),
                              "✓" if x["errors"] == 0 and (x["p99_ms"] or 1e9) <= x.get("target_ms", 10) else "✗")
                             for x in r["rpc"]]))
        for x in r["rpc"]:
            if x.get("first_error"):
                console.print(f"[red]{x['name']}:[/red] {x['first_error']}")
    if r.get("rpc_skipped"):
        console.print("[dim]not measured: " + "; ".join(f"{s['name']} ({s['reason']})" for s in r["rpc_skipped"]) + "[/dim]")
    if r.get("maintenance"):
        console.print(table("maintenance (as table owner)", ["function", "calls", "p50 ms", "max ms"],
                            [(x["name"], _f(x["calls"]), _f(x["p50_ms"]), _f(x["max_ms"])) for x in r["maintenance"]]))
    naive = [n for n in r.get("naive") or [] if "real" in n]
    if naive:
        console.print(table("vs naive baseline: the same answers from raw tables (no counters, no views), same users",
                            ["function", "calls", "real p50", "real p99", "naive p50", "naive p99", "speed-up p50",
                             "speed-up p99", "same leads"],
                            [(n["name"], _f(n["calls"]), _f(n["real"]["p50_ms"]), _f(n["real"]["p99_ms"]),
                              _f(n["naive"]["p50_ms"]), _f(n["naive"]["p99_ms"]), _f(n.get("speedup_p50"), 1) + "x",
                              _f(n.get("speedup_p99"), 1) + "x", f"{n.get('same_lead_set')}/{n.get('compared')}")
                             for n in naive]))
    for n in r.get("naive") or []:
        if n.get("skipped"):
            console.print(f"[yellow]naive {n['name']} not measured:[/yellow] {n['skipped']}")
        if n.get("first_mismatch"):
            console.print(f"[red]naive {n['name']}: answers differ[/red] {n['first_mismatch']}")
    if r.get("refresh"):
        f = r["refresh"]
        rows = [(s["step"], _f(s["duration_ms"], 1), _f(s["row_count"])) for s in f["steps"]]
        rows.append(("TOTAL (wall)", _f(f["total_ms"], 1), ""))
        console.print(table(f"refresh_all_ki_views() (median of {f['runs']} runs)", ["step", "ms", "rows"], rows))
    if r.get("drain"):
        d = r["drain"]
        console.print(table(f"drain_dirty_leads() at {d['total_leads']:,} leads (median of {d['runs']} runs)",
                            ["dirty leads", "ms", "µs a lead"],
                            [(_f(x["dirty_leads"]), _f(x["drain_ms"], 1), _f(x["us_per_lead"], 1)) for x in d["sizes"]]))
    if r.get("writers"):
        w = r["writers"]
        console.print(table(f"{w['writers']} writers, 3-5 leads per transaction, one INSERT per statement, drain every 2 s",
                            ["transactions", "per s", "p50 ms", "p99 ms", "deadlocks (client/server)", "errors", "drains"],
                            [(_f(w["commits"]), _f(w["commits_per_s"], 1), _f(w["p50_ms"]), _f(w["p99_ms"]),
                              f"{w['deadlocks_40P01']}/{w['deadlocks_server']}", _f(w["errors"]), _f(w["drains"]))]))
    if r.get("trigger"):
        t = r["trigger"]
        console.print(table("trigger overhead on lead_activities", ["figure", "with triggers", "without", "ratio"], [
            (f"{t['rows']:,} rows in {t['statement_rows']:,}-row INSERTs", f"{t['with_s']:.2f} s", f"{t['without_s']:.2f} s",
             f"{t['ratio']}x"),
            ("rows/s", _f(t["rows_per_s_with"]), _f(t["rows_per_s_without"]), ""),
            (f"single-row INSERT p50 ({t['single_inserts']:,} each)", f"{t['single_with']['p50_ms']} ms",
             f"{t['single_without']['p50_ms']} ms", f"{t['single_ratio_p50']}x"),
            ("single-row INSERT p99", f"{t['single_with']['p99_ms']} ms", f"{t['single_without']['p99_ms']} ms", ""),
        ]))
    for key, label in CONCURRENCY_RUNS:
        if not r.get(key):
            continue
        c = r[key]
        console.print(table(
            f"{label}: {c['clients']} clients × {c['duration_s']:.0f} s, think time mean {c['think_ms_mean']:g} ms",
            ["operation", "calls", "p50", "p95", "p99", "max"],
            [(o["op"], _f(o["calls"]), _f(o["p50_ms"]), _f(o["p95_ms"]), _f(o["p99_ms"]), _f(o["max_ms"])) for o in c["by_op"]]
            + [("ALL", _f(c["ops"]), _f(c["p50_ms"]), _f(c["p95_ms"]), _f(c["p99_ms"]), _f(c["max_ms"]))]))
        if c.get("warmup", {}).get("calls"):
            w = c["warmup"]
            console.print(f"warm-up before the clock (each operation once per connection, cold sessions, all at once): "
                          f"{_f(w['calls'])} calls, p50 {_f(w['p50_ms'])} ms, p99 {_f(w['p99_ms'])} ms")
        console.print(f"throughput {c['throughput_ops_s']} ops/s; errors {c['errors']} {c['errors_by_state'] or ''}; "
                      f"deadlocks: {c['deadlocks_40P01']} seen by clients (40P01), {c['deadlocks_server']} in pg_stat_database")
        for state, ex in c.get("error_examples", {}).items():
            console.print(f"[red]{state}[/red] {ex}")
    for key, title in (("statements_reads", "pg_stat_statements: RPC, naive and refresh phases"),
                       ("statements_writes", "pg_stat_statements: trigger and concurrency phases")):
        if r.get(key):
            console.print(table(f"{title} (top by total time)", ["calls", "total ms", "mean ms", "max ms", "top", "query"],
                                [(_f(s["calls"]), _f(s["total_ms"], 1), _f(s["mean_ms"], 3), _f(s["max_ms"], 1),
                                  "y" if s["toplevel"] else "n", s["query"][:110]) for s in r[key][:10]]))
    for name, plans in (r.get("explain") or {}).items():
        if plans:
            p = plans[0]
            lines = p["plan"].splitlines()
            console.print(f"EXPLAIN ANALYZE {name}: slowest statement inside "
                          f"({p['duration_ms']} ms; {len(plans)} kept in --json): {p.get('query', '')[:150]}",
                          highlight=False, markup=False)
            console.print("\n".join("    " + ln for ln in lines[:25]) + ("\n    …" if len(lines) > 25 else ""),
                          highlight=False, markup=False)
    if r.get("targets"):
        console.print(table("targets (10× the original promises)", ["figure", "original", "target", "measured", "ok"],
                            [(t["figure"], t["original"], t["target"], t["measured"], "✓" if t["ok"] else "✗")
                             for t in r["targets"]]))
