"""Dataset for `salesflow bench`: U users x L leads x A activities per lead, loaded with COPY.

The rows come from the seed generator (salesflow_cli/seed/, its bench_load() hook); this module
is the thin adapter around it (secondary indexes rebuilt after the load) plus a simpler built-in
generator (`--generator builtin`: exactly A activities per lead, parallel connections, faster).
Loading keeps every salesflow trigger on (the statement-level triggers see one COPY per table and
batch) and counts each batch's queued activities in its transaction (claim_dirty_leads, as the drain
would), so counters and derived rows are exactly what the application would have produced.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Callable

import psycopg

from .. import rpc as api
from ..vocabulary import CHANNELS, INDUSTRY_NAMES, SOURCE_NAMES
from ..vocabulary import STAGES as STAGE_NAMES

STAGES = tuple(zip(STAGE_NAMES, (30, 22, 14, 10, 6, 9, 9)))  # the built-in generator's stage mix
SOURCES = SOURCE_NAMES
INDUSTRIES = INDUSTRY_NAMES
COUNTRIES = (("DE", "de", "Europe/Berlin"), ("AT", "de", "Europe/Vienna"), ("CH", "de", "Europe/Zurich"),
             ("GB", "en", "Europe/London"), ("US", "en", "America/New_York"), ("IE", "en", "Europe/Dublin"))
FIRST = ("Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannah", "Jonas", "Lena", "Max", "Mia",
         "Noah", "Paul", "Sophie", "Tom", "Emma", "Lukas", "Laura", "Jan")
LAST = ("Becker", "Schmidt", "Müller", "Fischer", "Weber", "Wagner", "Meyer", "Koch", "Smith", "Brown",
        "Taylor", "Wilson", "Hoffmann", "Richter", "Klein", "Wolf")
BODIES_OUT = ("Hallo {n}, hast du diese Woche kurz Zeit für einen Call?", "Hi {n}, just following up on our chat.",
              "Ich schicke dir die Infos zum Starterpaket.", "Wie hat dir die Probe gefallen?",
              "Shall we book a short meeting on Thursday?")
BODIES_IN = ("Klingt spannend, erzähl mehr!", "Thanks, I'll think about it.", "Was kostet das genau?",
             "Diese Woche passt schlecht, nächste Woche gern.", "Sounds good, send me the details.",
             "Ich habe gerade wenig Zeit.")


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def load(dsn: str, users: int, leads_per_user: int, activities_per_lead: int, seed: int,
         log: Callable[[str], None], generator: str = "seed") -> dict:
    """Load the dataset into a freshly deployed database; returns row counts.

    generator "seed": salesflow seed's generator (realistic conversations, DISG styles, outcomes
    that follow the features) through its bench_load() hook; "builtin": this module's simpler and
    faster generator (exactly A activities per lead, parallel connections)."""
    bench_load = None
    if generator == "seed":
        try:
            from ..seed import bench_load  # noqa: PLC0415
        except ImportError:
            log("    salesflow seed has no bench_load(): using the built-in generator")
    if bench_load is None:
        counts = load_builtin(dsn, users, leads_per_user, activities_per_lead, seed, log)
    else:
        with secondary_indexes_dropped(dsn, "salesflow.lead_activities", log):
            counts = bench_load(dsn, users, leads_per_user, activities_per_lead, seed, log)
    # fresh rows without statistics plan as "1 row": a new all-NULL column (restricted_at) then turns
    # the naive baseline's joins into nested loops over per-lead aggregates
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("ANALYZE")
    return counts


class secondary_indexes_dropped:
    """Drop a table's plain secondary indexes for a bulk load and rebuild them afterwards, exactly as
    defined (pg_get_indexdef), in parallel with a large maintenance_work_mem: a sorted build
    instead of millions of random B-tree inserts."""

    def __init__(self, dsn: str, table: str, log: Callable[[str], None] = lambda m: None):
        self.dsn, self.table, self.log = dsn, table, log
        self.defs: list[str] = []

    def __enter__(self):
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            rows = conn.execute(
                """SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index AS i
                   JOIN pg_class AS c ON c.oid = i.indexrelid
                   WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique
                     AND NOT EXISTS (SELECT 1 FROM pg_constraint AS k WHERE k.conindid = i.indexrelid)""",
                (self.table,)).fetchall()
            schema = self.table.split(".")[0]
            for name, d in rows:
                conn.execute(f'DROP INDEX "{schema}"."{name}"')
                self.defs.append(d)
        return self

    def __exit__(self, *exc):
        import threading
        import time

        t0 = time.perf_counter()
        errors: list[BaseException] = []

        def build(d: str) -> None:
            try:
                with psycopg.connect(self.dsn, autocommit=True) as conn:
                    conn.execute("SET maintenance_work_mem = '1GB'")
                    conn.execute(d)
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=build, args=(d,)) for d in self.defs]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if self.defs:
            self.log(f"    rebuilt {len(self.defs)} index(es) of {self.table} in {time.perf_counter() - t0:.1f} s")
        if errors and not exc[0]:
            raise errors[0]
        return False


# --------------------------------------------------------------------------- built-in generator


def load_builtin(dsn: str, users: int, leads_per_user: int, activities_per_lead: int, seed: int,
                 log: Callable[[str], None], workers: int | None = None) -> dict:
    """Teams of up to 10 reps (one manager each) and one admin; every rep owns `leads_per_user` leads.

    Users are loaded by `workers` parallel connections (default: one per CPU), one COPY per table
    and user, committed per user, with every trigger on. The secondary indexes of lead_activities
    are dropped during the load and rebuilt afterwards (a sorted build instead of 10M random
    inserts), exactly as defined."""
    import os
    import threading

    rng = random.Random(seed)
    counts = {"teams": 0, "users": 0, "leads": 0, "lead_activities": 0, "followups": 0, "bant_assessments": 0,
              "personality_profiles": 0, "lead_stage_events": 0, "lead_context_summaries": 0}
    teams = [(_uuid(rng), f"Team {i + 1}") for i in range((users + 9) // 10)]
    reps: list[uuid.UUID] = []
    with psycopg.connect(dsn, autocommit=False) as conn:
        with conn.cursor() as cur:
            with cur.copy("COPY salesflow.teams (id, name) FROM STDIN") as cp:
                for t in teams:
                    cp.write_row(t)
            with cur.copy("COPY salesflow.users (id, team_id, email, display_name, role, language, timezone) FROM STDIN") as cp:
                for i, (tid, _name) in enumerate(teams):
                    cp.write_row((_uuid(rng), tid, f"manager{i + 1}@bench.example", f"Manager {i + 1}", "manager", "de",
                                  "Europe/Berlin"))
                for i in range(users):
                    uid = _uuid(rng)
                    reps.append(uid)
                    cp.write_row((uid, teams[i // 10][0], f"rep{i + 1}@bench.example", f"Rep {i + 1}", "rep",
                                  "de" if i % 3 else "en", "Europe/Berlin"))
                cp.write_row((_uuid(rng), None, "admin@bench.example", "Admin", "admin", "de", "Europe/Berlin"))
        conn.commit()
    counts["teams"], counts["users"] = len(teams), len(teams) + users + 1

    lock = threading.Lock()
    done = [0]
    failures: list[BaseException] = []
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(reps)))
    step = max(1, len(reps) // 10)

    def worker(k: int) -> None:
        try:
            with psycopg.connect(dsn, autocommit=False) as conn:
                for ui in range(k, len(reps), n_workers):
                    c = _load_user(conn, reps[ui], ui, random.Random(seed * 1_000_003 + ui), leads_per_user,
                                   activities_per_lead)
                    conn.commit()
                    with lock:
                        for key, v in c.items():
                            counts[key] += v
                        done[0] += 1
                        if done[0] % step == 0 or done[0] == len(reps):
                            log(f"    loaded {done[0]}/{len(reps)} users ({counts['leads']:,} leads, "
                                f"{counts['lead_activities']:,} activities)")
        except BaseException as exc:  # surfaced below
            failures.append(exc)

    with secondary_indexes_dropped(dsn, "salesflow.lead_activities", log):
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(n_workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if failures:
        raise failures[0]
    return counts


# ~80 lines: one COPY stream per table, written in the order their foreign keys need.
def _load_user(conn: psycopg.Connection, user: uuid.UUID, ui: int, rng: random.Random, leads_per_user: int,
               activities_per_lead: int) -> dict:
    """One rep's leads, activities, follow-ups, stage history, BANT, profiles and memories (COPY)."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    stage_names = [s for s, _ in STAGES]
    stage_weights = [w for _, w in STAGES]
    counts = {"leads": 0, "lead_activities": 0, "followups": 0, "bant_assessments": 0, "personality_profiles": 0,
              "lead_stage_events": 0, "lead_context_summaries": 0}
    leads = []
    with conn.cursor() as cur:
        with cur.copy("COPY salesflow.leads (id, user_id, name, company, email, source, industry, country, language, "
                      "timezone, stage, deal_value, consent, closed_at, created_at) FROM STDIN") as cp:
            for li in range(leads_per_user):
                lid = _uuid(rng)
                country, lang, tz = rng.choice(COUNTRIES)
                stage = rng.choices(stage_names, stage_weights)[0]
                created = now - dt.timedelta(days=rng.uniform(1, 365))
                closed = created + dt.timedelta(days=rng.uniform(1, 60)) if stage in ("won", "lost") else None
                if closed and closed > now:
                    closed = now
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                leads.append((lid, stage, created, name.split()[0]))
                cp.write_row((lid, user, name, f"{rng.choice(LAST)} GmbH" if rng.random() < 0.4 else None,
                              f"lead{ui}.{li}@bench.example", rng.choice(SOURCES), rng.choice(INDUSTRIES),
                              country, lang, tz, stage, round(rng.uniform(50, 5000), 2), rng.random() < 0.8,
                              closed, created))
        counts["leads"] = len(leads)
        with cur.copy("COPY salesflow.lead_activities (lead_id, user_id, channel, direction, kind, body, occurred_at) "
                      "FROM STDIN") as cp:
            for lid, stage, created, first in leads:
                channel = rng.choice(CHANNELS)
                span = (now - created).total_seconds()
                t = created + dt.timedelta(seconds=rng.uniform(0, span * 0.3))
                direction = "out"
                for _ in range(activities_per_lead):
                    kind = "note" if rng.random() < 0.05 else ("call" if rng.random() < 0.1 else "message")
                    body = rng.choice(BODIES_OUT).format(n=first) if direction == "out" else rng.choice(BODIES_IN)
                    cp.write_row((lid, user, channel if rng.random() < 0.8 else rng.choice(CHANNELS), direction,
                                  kind, body, t))
                    t += dt.timedelta(seconds=rng.uniform(600, 3 * 86400))
                    if t > now:
                        t = now - dt.timedelta(seconds=rng.uniform(0, 3600))
                    direction = ("in" if rng.random() < 0.55 else "out") if direction == "out" else "out"
        counts["lead_activities"] = len(leads) * activities_per_lead
        api.claim_dirty_leads(conn, activities_only=True)  # their counters, in this transaction
        with cur.copy("COPY salesflow.followups (lead_id, user_id, due_at, channel, status, note) FROM STDIN") as cp:
            for lid, stage, created, first in leads:
                if stage not in ("won", "lost") and rng.random() < 0.3:
                    cp.write_row((lid, user, now + dt.timedelta(hours=rng.uniform(-72, 240)), rng.choice(CHANNELS),
                                  "open", "nachfassen"))
                    counts["followups"] += 1
        with cur.copy("COPY salesflow.lead_stage_events (lead_id, user_id, from_stage, to_stage, changed_at) "
                      "FROM STDIN") as cp:
            for lid, stage, created, first in leads:
                path = stage_names[: stage_names.index(stage) + 1] if stage != "lost" else \
                    stage_names[: rng.randint(1, 5)] + ["lost"]
                t = created
                for a, b in zip(path, path[1:]):
                    t = min(now, t + dt.timedelta(days=rng.uniform(0.5, 10)))
                    cp.write_row((lid, user, a, b, t))
                    counts["lead_stage_events"] += 1
        with cur.copy("COPY salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline, "
                      "source, created_at) FROM STDIN") as cp:
            for lid, stage, created, first in leads:
                if rng.random() < 0.3:
                    cp.write_row((lid, user, *(rng.randint(0, 10) for _ in range(4)), "manual",
                                  min(now, created + dt.timedelta(days=rng.uniform(1, 30)))))
                    counts["bant_assessments"] += 1
        with cur.copy("COPY salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, g_score, "
                      "confidence, source, created_at) FROM STDIN") as cp:
            for lid, stage, created, first in leads:
                if rng.random() < 0.2:
                    cp.write_row((lid, user, *(rng.randint(0, 100) for _ in range(4)), 0.6, "questionnaire",
                                  min(now, created + dt.timedelta(days=rng.uniform(1, 30)))))
                    counts["personality_profiles"] += 1
        with cur.copy("COPY salesflow.lead_context_summaries (lead_id, user_id, summary, is_stale, version) "
                      "FROM STDIN") as cp:
            for lid, stage, created, first in leads:
                if rng.random() < 0.5:
                    cp.write_row((lid, user, f"{first}: interessiert, Rückfrage offen.", rng.random() < 0.3, 1))
                    counts["lead_context_summaries"] += 1
    return counts
