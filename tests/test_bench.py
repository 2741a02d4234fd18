"""`salesflow bench`: the small preset end to end, and the naive baseline's answers."""

from __future__ import annotations

import json

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from salesflow_cli import bench
from salesflow_cli.bench import dataset as bench_data
from salesflow_cli.main import cli
from tests.conftest import server_dsn
from tests.factories import acting_as


@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=1, max_size=300))
def test_percentiles_are_ordered(values):
    ms = sorted(values)
    p50, p95, p99 = (bench.percentile(ms, q) for q in (0.5, 0.95, 0.99))
    assert ms[0] <= p50 <= p95 <= p99 <= ms[-1]


def _ordered(x: dict) -> bool:
    return x["p50_ms"] <= x["p95_ms"] <= x["p99_ms"] <= x["max_ms"]


@pytest.mark.slow
def test_small_bench_reports_every_section():
    calls = 60
    result = CliRunner().invoke(cli, [
        "bench", "--dsn", server_dsn(), "--scale", "small", "--json", "--quiet", "--no-compare-tenth",
        "--calls", str(calls), "--clients", "6", "--duration", "3", "--trigger-rows", "2000",
    ])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    run = report["main"]

    ds = run["dataset"]
    assert ds["build_s"] > 0 and ds["rows"]["leads"] == 10 * 200 and ds["rows"]["lead_activities"] >= 10 * 200 * 5

    names = {x["name"] for x in run["rpc"]}
    assert {"get_lead_intelligence", "recommend_followup_actions", "get_scored_leads"} <= names
    skipped = {x["name"] for x in run["rpc_skipped"]}
    for contract in ("get_lead_intelligence", "recommend_followup_actions", "get_best_contact_window",
                     "generate_disg_recommendations", "get_scored_leads", "predict_conversion", "check_compliance",
                     "log_ai_output_compliance", "assess_bant", "update_lead_memory", "create_ai_recommendation",
                     "get_conversion_funnel", "get_personality_insights", "list_recommendations",
                     "update_recommendation", "record_personality_profile", "get_lead_disg", "start_playbook",
                     "advance_playbook", "get_kpis", "analyze_personality_from_messages"):
        assert contract not in skipped, f"{contract} is deployed but was not measured: {run['rpc_skipped']}"
    for x in run["rpc"]:
        assert x["errors"] == 0, x
        assert x["calls"] == x["requested"], x
        if not x["write"] or x["name"] not in ("update_recommendation", "start_playbook", "advance_playbook",
                                                   "analyze_personality_from_messages"):
            assert x["requested"] == calls, x  # pool-based writes may find fewer rows to act on
        assert x["calls"] > 0 and _ordered(x), x
    # every API function is either measured or listed with a reason
    assert all(s["reason"] for s in run["rpc_skipped"])

    for m in run["maintenance"]:
        assert m["errors"] == 0 and m["calls"] == m["requested"]

    naive = {n["name"]: n for n in run["naive"]}
    for fname in ("get_scored_leads", "recommend_followup_actions"):
        n = naive[fname]
        assert "skipped" not in n, n
        assert n["errors"] == 0 and n["same_lead_set"] == n["compared"] > 0, n
        assert _ordered(n["real"]) and _ordered(n["naive"]) and n["speedup_p50"] > 0

    ref = run["refresh"]
    assert ref["total_ms"] > 0 and {s["step"] for s in ref["steps"]} >= {
        "view_leads_scored", "view_followups_scored", "view_conversion_microsteps", "view_personality_insights"}

    # the drain section: the sizes that fit the dataset, each drained completely
    drain = run["drain"]
    assert [d["dirty_leads"] for d in drain["sizes"]] == [n for n in (1_000, 10_000, 100_000) if n <= drain["total_leads"]]
    assert drain["sizes"] and all(d["drain_ms"] > 0 and d["max_ms"] >= d["drain_ms"] for d in drain["sizes"])

    # the writers section: eight writers ran transactions over several leads beside drains, every
    # outcome counted (deadlocks are the figure the target is about, not a failure of the bench)
    w = run["writers"]
    assert w["writers"] == 8 and w["commits"] > 0 and w["drains"] > 0 and w["errors"] == 0, w
    assert min(w["deadlocks_40P01"], w["deadlocks_server"]) >= 0 and _ordered(w)

    trig = run["trigger"]
    assert trig["rows"] == 2000 and trig["with_s"] > 0 and trig["without_s"] > 0 and trig["ratio"] > 0
    assert _ordered(trig["single_with"]) and _ordered(trig["single_without"])

    # two load levels: interactive (1 s mean think time) and stress (100 ms), each after a warm-up
    # call of every operation per connection that stays out of the figures
    for key, think in (("concurrency", 1000), ("concurrency_stress", 100)):
        conc = run[key]
        assert conc["think_ms_mean"] == think
        assert conc["clients"] == conc["connected"] == 6
        assert conc["ops"] > 0 and conc["errors"] == 0 and conc["deadlocks_40P01"] == 0 and conc["deadlocks_server"] == 0
        assert _ordered(conc) and conc["throughput_ops_s"] > 0
        n_ops = len(conc["by_op"])
        assert conc["warmup"]["calls"] == 6 * n_ops and sum(o["calls"] for o in conc["by_op"]) == conc["ops"]
    assert run["concurrency_stress"]["ops"] > run["concurrency"]["ops"]  # ten times the offered load
    assert {t["figure"].split(" (")[0] for t in run["targets"]} >= {"concurrency", "concurrency under stress"}

    assert {t["figure"] for t in run["targets"]} and all(isinstance(t["ok"], bool) for t in run["targets"])
    # the scratch database is dropped without --keep
    with psycopg.connect(server_dsn(), autocommit=True) as c:
        assert c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (ds["database"],)).fetchone() is None


def test_naive_baseline_returns_the_same_leads(db, dsn):
    bench_data.load(dsn, 3, 60, 6, 7, lambda m: None)
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()").fetchall()
    assert bench.install_naive(db) == {}
    reps = [r[0] for r in db.execute(
        "SELECT u.id FROM salesflow.users AS u WHERE u.role = 'rep' ORDER BY u.email").fetchall()]
    assert len(reps) == 3
    answers = []
    for rep in reps:
        with acting_as(db, rep):
            for fname, (_q, tol) in bench.NAIVE_FUNCTIONS.items():
                _, _, real, naive = bench.compare_naive(db, fname, rep)
                answers.append((rep, fname, real, naive, tol))
    for rep, fname, real, naive, tol in answers:
        assert real, fname
        assert bench.same_leads(real, naive, tol), (fname, real, naive)
        owners = {r[0] for r in db.execute(
            "SELECT DISTINCT user_id FROM salesflow.leads WHERE id = ANY(%s)", ([r[0] for r in naive],))}
        assert owners == {rep}


def test_same_leads_tolerates_only_ties_at_the_cut():
    a, b, c = "a", "b", "c"
    assert bench.same_leads([(a, 90), (b, 50)], [(a, 90), (b, 50)], 0.2)
    assert bench.same_leads([(a, 90), (b, 50)], [(a, 90), (c, 50.1)], 0.2)
    assert not bench.same_leads([(a, 90), (b, 50)], [(a, 90), (c, 49)], 0.2)
    assert not bench.same_leads([(a, 90), (b, 50)], [(c, 90), (b, 50)], 0.2)


@pytest.mark.slow
def test_ai_section_measures_the_batch_and_a_zero_call_second_run():
    result = CliRunner().invoke(cli, [
        "bench", "--dsn", server_dsn(), "--only", "ai", "--json", "--quiet",
        "--ai-leads", "40", "--ai-concurrency", "4", "--ai-latency-ms", "20",
    ])
    assert result.exit_code == 0, result.output
    ai = json.loads(result.stdout)["ai"]
    first, second = ai["runs"]
    assert first["exit_code"] == 0 and first["leads"] == 40 and first["updated"] == 40 and first["failed"] == 0, first
    assert first["calls"] >= 40 and first["leads_per_s"] > 0 and 0 < first["of_ideal"] <= 1.2
    assert ai["ideal_leads_per_s"] == 4 / 0.02
    assert second["exit_code"] == 0 and second["leads"] == 0 and second["calls"] == 0, second
