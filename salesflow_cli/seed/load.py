"""COPY loading: teams and users, then batches of reps (leads and everything hanging off them) in parallel."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import psycopg

from .. import rpc
from .conversation import _conversations
from .generator import _assessment_lines, _Clock, _draw_lead, _draw_staff, _history_lines, _Lead, _Staff


@dataclass
class SeedResult:
    counts: dict = field(default_factory=dict)
    seconds: float = 0.0
    seed: int = 0
    anchor: str = ""
    team_ids: list = field(default_factory=list)
    rep_ids: list = field(default_factory=list)
    manager_ids: list = field(default_factory=list)
    admin_id: str = ""
    timings: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "seed": self.seed, "anchor": self.anchor, "seconds": round(self.seconds, 2), "counts": self.counts,
            "teams": self.team_ids, "reps": self.rep_ids, "managers": self.manager_ids, "admin": self.admin_id,
            "copy_seconds": self.timings,
        }


COUNTED = (
    "teams", "users", "leads", "lead_activities", "lead_stage_events", "followups", "bant_assessments",
    "personality_profiles", "ai_recommendations",
)


def generate(
    target: "psycopg.Connection | str",
    users: int = 10,
    leads_per_user: int = 100,
    activities_per_lead: int = 10,
    seed: int = 42,
    progress: Optional[Callable[[int, int, dict], None]] = None,
    *,
    teams: Optional[int] = None,
    anchor: Optional[dt.datetime] = None,
    batch_leads: int = 10000,
    workers: int = 1,
) -> SeedResult:
    """Generate and COPY the data set.

    target: a connection (everything runs in the caller's transaction, one worker) or a DSN (teams
    and users are committed first, then `workers` connections load batches of users in parallel,
    one transaction per batch). The data do not depend on `workers`: every batch of users has its
    own RNG derived from (seed, batch number). progress(done_leads, total_leads, counts) is called
    after every batch. Returns the counts and per-table COPY seconds.
    """
    own = isinstance(target, str)
    conn = psycopg.connect(target, autocommit=False, application_name="salesflow seed") if own else target
    try:
        return _generate(conn, own, target if own else None, users, leads_per_user, activities_per_lead, seed,
                         progress, teams, anchor, batch_leads, workers)
    finally:
        if own:
            conn.close()


def _generate(conn, own, dsn, users, leads_per_user, activities_per_lead, seed, progress, teams, anchor,
              batch_leads, workers) -> SeedResult:
    started = time.perf_counter()
    rng = random.Random(seed)
    if anchor is None:
        anchor = dt.datetime.now(dt.timezone.utc).replace(minute=0, second=0, microsecond=0)
    if anchor.tzinfo is None:
        anchor = anchor.replace(tzinfo=dt.timezone.utc)
    now = int(anchor.timestamp())
    clock = _Clock(now, 420)
    n_teams = teams if teams else max(1, math.ceil(users / 10))
    n_teams = max(1, min(n_teams, users)) if users else 1
    counts = {k: 0 for k in COUNTED}
    timings: dict[str, float] = {}
    staff = _draw_staff(rng, users, n_teams)
    result = SeedResult(counts=counts, seed=seed, anchor=anchor.isoformat(), team_ids=staff.team_ids,
                        rep_ids=staff.rep_ids, manager_ids=staff.manager_ids, admin_id=staff.admin_id)
    _load_staff(conn, staff, counts, timings)
    if own:
        conn.execute("SET synchronous_commit = off")
        conn.commit()

    per_batch = max(1, batch_leads // max(1, leads_per_user))
    batches = [(bi, staff.reps[b0:b0 + per_batch]) for bi, b0 in enumerate(range(0, users, per_batch))]
    ctx = _BatchContext(seed, leads_per_user, activities_per_lead, now, clock)
    _run_batches(conn, own, dsn, workers, ctx, batches, counts, timings, progress, users * leads_per_user)
    counts["ai_recommendations"] = conn.execute("SELECT count(*) FROM salesflow.ai_recommendations").fetchone()[0]
    if own:
        conn.commit()
    result.seconds = time.perf_counter() - started
    result.timings = {k: round(v, 2) for k, v in timings.items()}
    return result


def _load_staff(conn: psycopg.Connection, staff: _Staff, counts: dict, timings: dict) -> None:
    with conn.cursor() as cur:
        with _timed(timings, "teams"), cur.copy("COPY salesflow.teams (id, name) FROM STDIN") as cp:
            for row in staff.team_rows:
                cp.write_row(row)
        with _timed(timings, "users"), cur.copy("COPY salesflow.users (id, team_id, email, display_name, role, "
                                                "language, timezone) FROM STDIN") as cp:
            for row in staff.user_rows:
                cp.write_row(row)
    counts["teams"], counts["users"] = len(staff.team_rows), len(staff.user_rows)


def _run_batches(conn: psycopg.Connection, own: bool, dsn: Optional[str], workers: int, ctx: _BatchContext,
                 batches: list, counts: dict, timings: dict, progress, total_leads: int) -> None:
    """Load the batches on `conn` (a caller's connection, or one worker) or on `workers` parallel
    connections, one transaction per batch; the first error stops the others and is raised here."""
    lock = threading.Lock()
    state = {"done": 0, "error": None}
    todo = iter(batches)

    def run(c: psycopg.Connection, commit: bool) -> None:
        while True:
            with lock:
                if state["error"] is not None:
                    return
                item = next(todo, None)
            if item is None:
                return
            try:
                n, cts, tms = _load_batch(c, ctx, *item)
                if commit:
                    c.commit()
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                with lock:
                    state["error"] = state["error"] or exc
                return
            with lock:
                for k, v in cts.items():
                    counts[k] += v
                for k, v in tms.items():
                    timings[k] = timings.get(k, 0.0) + v
                state["done"] += n
                if progress:
                    progress(state["done"], total_leads, counts)

    if not own or workers <= 1 or len(batches) < 2:
        run(conn, own)
    else:
        conns = [psycopg.connect(dsn, autocommit=False, application_name="salesflow seed")
                 for _ in range(min(workers, len(batches)))]
        try:
            for c in conns:
                c.execute("SET synchronous_commit = off")
                c.commit()
            threads = [threading.Thread(target=run, args=(c, True), daemon=True) for c in conns]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            for c in conns:
                c.close()
    if state["error"] is not None:
        raise state["error"]


@dataclass
class _BatchContext:
    seed: int
    leads_per_user: int
    activities_per_lead: int
    now: int
    clock: _Clock


# COPY column lists of the tables a batch loads, in the order of the generator's lines
_COLUMNS = {
    "leads": "id, user_id, name, company, email, phone, source, industry, country, language, timezone, stage, "
             "deal_value, consent, consent_at, closed_at, created_at, origin",
    "bant_assessments": "lead_id, user_id, budget, authority, need, timeline, source, created_at",
    "personality_profiles": "lead_id, user_id, d_score, i_score, s_score, g_score, confidence, source, created_at",
    "lead_activities": "lead_id, user_id, channel, direction, kind, body, occurred_at",
    "followups": "lead_id, user_id, due_at, channel, status, note, completed_at, created_at",
    "lead_stage_events": "lead_id, user_id, from_stage, to_stage, changed_at",
    "ai_recommendations": "lead_id, user_id, rec_type, title, status, feedback, feedback_rating, created_at, "
                          "resolved_at",
}


def _load_batch(conn: psycopg.Connection, ctx: _BatchContext, bi: int, batch_reps: list) -> tuple[int, dict, dict]:
    """Generate and COPY the leads (and everything hanging off them) of one batch of reps.

    The batch's own RNG draws in a fixed order (leads, assessments, conversations, history), so the
    data do not depend on which worker loads the batch; only one batch's lead records are held."""
    rng = random.Random(f"salesflow-seed/{ctx.seed}/{bi}")
    counts = {k: 0 for k in COUNTED}
    timings: dict[str, float] = {}
    leads: list[_Lead] = []
    lead_lines = []
    for uid, _tid, rep_lang, _tz in batch_reps:
        for _ in range(ctx.leads_per_user):
            lead, line = _draw_lead(rng, ctx.now, ctx.clock, uid)
            lead.rep_lang = rep_lang
            leads.append(lead)
            lead_lines.append(line)
    with conn.cursor() as cur:
        _copy_lines(cur, timings, "leads", lead_lines, skip_empty=False)
        counts["leads"] += len(leads)
        del lead_lines

        bant_lines, prof_lines = _assessment_lines(rng, ctx.clock, leads)
        _copy_lines(cur, timings, "bant_assessments", bant_lines)
        _copy_lines(cur, timings, "personality_profiles", prof_lines)
        counts["bant_assessments"] += len(bant_lines)
        counts["personality_profiles"] += len(prof_lines)
        del bant_lines, prof_lines

        with _timed(timings, "lead_activities"):
            with _copy(cur, "lead_activities") as cp:
                counts["lead_activities"] += _conversations(rng, ctx.clock, leads, ctx.activities_per_lead, cp.write)
            # their counters now, in this transaction (a writer's activities wait for the next drain)
            rpc.claim_dirty_leads(conn, activities_only=True)

        fu_lines, ev_lines, rec_lines = _history_lines(rng, ctx.now, ctx.clock, leads)
        _copy_lines(cur, timings, "followups", fu_lines)
        _copy_lines(cur, timings, "lead_stage_events", ev_lines)
        _copy_lines(cur, timings, "ai_recommendations", rec_lines)
        counts["followups"] += len(fu_lines)
        counts["lead_stage_events"] += len(ev_lines)
    return len(leads), counts, timings


def _copy(cur: psycopg.Cursor, table: str):
    return cur.copy(f"COPY salesflow.{table} ({_COLUMNS[table]}) FROM STDIN")


def _copy_lines(cur: psycopg.Cursor, timings: dict, table: str, lines: list[str], *, skip_empty: bool = True) -> None:
    """COPY text-format lines into salesflow.<table>, timed under the table's name (none when empty and
    skip_empty: no COPY statement, so no statement-level trigger run)."""
    if skip_empty and not lines:
        return
    with _timed(timings, table), _copy(cur, table) as cp:
        _write_chunked(cp, lines)


@contextlib.contextmanager
def _timed(timings: dict, key: str):
    t0 = time.perf_counter()
    try:
        yield
    finally:
        timings[key] = timings.get(key, 0.0) + time.perf_counter() - t0


def _write_chunked(cp, lines: list[str], size: int = 20000) -> None:
    for i in range(0, len(lines), size):
        cp.write("".join(lines[i:i + size]))


def bench_load(dsn: str, users: int, leads_per_user: int, activities_per_lead: int, seed: int,
               log: Callable[[str], None], workers: int = 2) -> dict:
    """The bench_data adapter: load into a freshly deployed database, return row counts per table."""
    step = max(1, users * leads_per_user // 10)
    state = {"next": step}

    def cb(done, total, counts):
        if done >= state["next"] or done == total:
            state["next"] = done + step
            log(f"    loaded {done:,}/{total:,} leads ({counts['lead_activities']:,} activities)")

    result = generate(dsn, users, leads_per_user, activities_per_lead, seed, cb, workers=workers)
    return dict(result.counts)


