"""`salesflow bench` (package): build a scratch dataset at scale and measure every part of salesflow.

What it does, in order (each part is a section of the table and of --json):

  dataset      a scratch database `sf_bench_<U>x<L>x<A>` on the target server: deploy, load
               U users x L leads x A activities per lead (the seed generator's rows, COPY),
               refresh the views, VACUUM ANALYZE. Build time per step.
  rpc          every RPC function found in pg_proc that the bench knows how to call: p50/p95/p99
               over --calls calls, random rep and lead per call, called AS that rep
               (SET ROLE salesflow_rep + salesflow.user_id: RLS and identity included),
               server-side prepared statements. Functions it cannot call are listed as skipped.
  maintenance  cron-side functions (expire_recommendations, learn_success_patterns): a few calls.
  naive        the same answers as get_scored_leads / recommend_followup_actions computed straight
               from the raw tables (no counters, no materialized views), timed the same way.
  refresh      refresh_all_ki_views(): total and per view (median of the preset's runs).
  trigger      --trigger-rows activities inserted in 1,000-row statements with the salesflow
               triggers and without them (ALTER TABLE ... DISABLE TRIGGER USER), alternating;
               plus single-row inserts for the per-insert latency.
  concurrency  --clients connections for --duration seconds mixing RPC reads with activity and
               follow-up writes: throughput, p50/p95/p99, errors by SQLSTATE, deadlocks
               (SQLSTATE 40P01 seen by clients + pg_stat_database.deadlocks delta). Two load
               levels: interactive (--think-ms, mean 1 s between a client's operations: 100 very
               busy users) and stress (--stress-think-ms, 100 ms: more than 2 cores can serve, so
               it measures the throughput ceiling and the queueing it causes).
  statements   pg_stat_statements top statements (also the ones inside functions) when the
               server preloads it.
  ai           (--ai) `salesflow ai memory --stale` against the tests' OpenAI-compatible server.

  explain      EXPLAIN ANALYZE (auto_explain, nested statements) of the slowest statements inside
               every RPC whose p99 misses 10 ms, a single-row activity insert and a slow refresh.
  10 % run     with --compare-tenth (default for --scale full): the same at a tenth of the users,
               and the growth factor of every figure.

The embedded default server is prepared for the run when needed: max_connections raised so the
clients fit, pg_stat_statements preloaded, and with --tune memory/WAL settings (ALTER SYSTEM +
restart; undo with ALTER SYSTEM RESET). Other servers are never reconfigured: the number of
clients is lowered to what fits, and said so.

Modules: timing (statistics, log, timed calls), scratch (scales, server, scratch database, sample),
dataset (the rows, COPY), registry (how every RPC is called), rpcs (rpc/maintenance/refresh runners),
triggers, concurrency (+ pg_stat_statements), naive (baseline), explain, ai (--ai), run (one scale),
report (targets, growth, tables), command (the typer command). Import order is one way: command ->
run -> sections -> registry/scratch -> timing; nothing imports command.
"""

from .command import bench_command  # noqa: E402,F401  (salesflow_cli.main registers it)
from .naive import NAIVE_FUNCTIONS, compare_naive, install_naive, same_leads  # noqa: E402,F401
from .timing import percentile, summarize  # noqa: E402,F401
