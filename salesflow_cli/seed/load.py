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

from .conversation import _conversation
from .corpus import (B2B, COMPANY_FORMS, DE_FIRST, DE_LAST, DEAL_BASE, DISG_EFFECT, EN_FIRST, EN_LAST,
                     FOLLOWUP_NOTES, INDUSTRY_EFFECT, PRODUCT, REC_TYPES, SOURCE_CHANNELS, SOURCE_EFFECT, STAGES,
                     TEAM_NAMES, _ASCII)
from .generator import (DAY, HOUR, _COUNTRY_T, _DISG_T, _INDUSTRY_T, _PATTERN_T, _SOURCE_T, _STAGE_WEIGHT, _Clock,
                        _esc, _Lead, _pick, _sigmoid, _uuid)


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
    result = SeedResult(counts=counts, seed=seed, anchor=anchor.isoformat())

    # ---- teams and users
    team_ids = []
    for i in range(n_teams):
        team_ids.append(_uuid(rng))
    team_rows = [(tid, TEAM_NAMES[i] if i < len(TEAM_NAMES) else f"Team {i + 1}") for i, tid in enumerate(team_ids)]
    user_rows = []
    reps = []  # (id, team_id, lang, tz)
    used_mail = set()

    def person(lang):
        if lang == "de":
            return rng.choice(DE_FIRST), rng.choice(DE_LAST)
        return rng.choice(EN_FIRST), rng.choice(EN_LAST)

    def mail(first, last, domain):
        base = f"{first}.{last}".lower().translate(_ASCII)
        k, addr = 1, f"{base}@{domain}"
        while addr in used_mail:
            k += 1
            addr = f"{base}{k}@{domain}"
        used_mail.add(addr)
        return addr

    for i, tid in enumerate(team_ids):
        f, l = person("de")
        uid = _uuid(rng)
        result.manager_ids.append(uid)
        user_rows.append((uid, tid, mail(f, l, "salesflow-demo.example"), f"{f} {l}", "manager", "de", "Europe/Berlin"))
    for i in range(users):
        lang = "de" if rng.random() < 0.85 else "en"
        tz = rng.choice(("Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Europe/Vienna", "Europe/Zurich")) \
            if lang == "de" else "Europe/London"
        f, l = person(lang)
        uid = _uuid(rng)
        tid = team_ids[i % n_teams]
        reps.append((uid, tid, lang, tz))
        result.rep_ids.append(uid)
        user_rows.append((uid, tid, mail(f, l, "salesflow-demo.example"), f"{f} {l}", "rep", lang, tz))
    admin = _uuid(rng)
    result.admin_id = admin
    user_rows.append((admin, team_ids[0], "admin@salesflow-demo.example", "Admin", "admin", "de", "Europe/Berlin"))
    result.team_ids = team_ids

    with conn.cursor() as cur:
        with _timed(timings, "teams"), cur.copy("COPY salesflow.teams (id, name) FROM STDIN") as cp:
            for row in team_rows:
                cp.write_row(row)
        with _timed(timings, "users"), cur.copy("COPY salesflow.users (id, team_id, email, display_name, role, language, timezone) FROM STDIN") as cp:
            for row in user_rows:
                cp.write_row(row)
    counts["teams"], counts["users"] = len(team_rows), len(user_rows)

    if own:
        conn.execute("SET synchronous_commit = off")
        conn.commit()

    total_leads = users * leads_per_user
    per_batch = max(1, batch_leads // max(1, leads_per_user))
    batches = [(bi, reps[b0:b0 + per_batch]) for bi, b0 in enumerate(range(0, users, per_batch))]
    ctx = _BatchContext(seed, leads_per_user, activities_per_lead, now, clock)
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
    counts["ai_recommendations"] = conn.execute("SELECT count(*) FROM salesflow.ai_recommendations").fetchone()[0]
    if own:
        conn.commit()
    result.seconds = time.perf_counter() - started
    result.timings = {k: round(v, 2) for k, v in timings.items()}
    return result


@dataclass
class _BatchContext:
    seed: int
    leads_per_user: int
    activities_per_lead: int
    now: int
    clock: "_Clock"



def _load_batch(conn: psycopg.Connection, ctx: _BatchContext, bi: int, batch_reps: list) -> tuple[int, dict, dict]:
    """Generate and COPY the leads (and everything hanging off them) of one batch of reps."""
    rng = random.Random(f"salesflow-seed/{ctx.seed}/{bi}")
    now, clock = ctx.now, ctx.clock
    leads_per_user, activities_per_lead = ctx.leads_per_user, ctx.activities_per_lead
    counts = {k: 0 for k in COUNTED}
    timings: dict[str, float] = {}
    source_t, industry_t, country_t, disg_t, pattern_t = _SOURCE_T, _INDUSTRY_T, _COUNTRY_T, _DISG_T, _PATTERN_T
    stage_weight = _STAGE_WEIGHT

    def person(lang):
        if lang == "de":
            return rng.choice(DE_FIRST), rng.choice(DE_LAST)
        return rng.choice(EN_FIRST), rng.choice(EN_LAST)

    leads: list[_Lead] = []
    lead_lines = []
    for uid, tid, ulang, utz in batch_reps:
        for _ in range(leads_per_user):
            lid = _uuid(rng)
            cc, _w, tzs, de_share, phone_prefix, domain = _pick(rng, country_t)
            tz = tzs[0][0] if len(tzs) == 1 else rng.choices([t for t, _ in tzs], [w for _, w in tzs])[0]
            lang = "de" if rng.random() < de_share else "en"
            # German speakers in GB/US/NL are rare; names follow the language
            first, last = person(lang)
            source = _pick(rng, source_t)
            industry = _pick(rng, industry_t)
            disg = _pick(rng, disg_t)
            z = rng.gauss(0.0, 1.0)
            logit = -0.35 + SOURCE_EFFECT[source] + DISG_EFFECT[disg] + INDUSTRY_EFFECT[industry] + 0.9 * z
            p_win = _sigmoid(logit)
            age = int(400 * DAY * (rng.random() ** 1.7)) + rng.randrange(HOUR, 6 * HOUR)
            created = now - age
            # how far the lead gets: better leads go further
            p_adv = 0.42 + 0.45 * p_win
            depth = 0
            while depth < 4 and rng.random() < (p_adv if depth else 0.9):
                depth += 1
            # closing: older leads are more often closed
            closed = None
            p_close = min(0.85, age / (140 * DAY))
            if depth >= 1 and rng.random() < p_close:
                cycle = int(rng.uniform(6, 75) * DAY * (0.7 if disg == "D" else 1.35 if disg == "G" else 1.0)
                            * min(1.6, max(0.5, 1.0 - 0.2 * z)))  # qualified (green BANT) leads close faster
                closed = min(now - rng.randrange(HOUR, 2 * DAY), created + cycle)
                if closed <= created + DAY:
                    closed = None
            if closed is not None:
                if rng.random() < p_win * (1.0 if depth >= 3 else 0.55):
                    stage, depth = "won", 5
                else:
                    stage = "lost"
            else:
                stage = STAGES[depth]
            if created > now - 2 * DAY and stage not in ("won", "lost"):
                stage, depth = ("new", 0) if rng.random() < 0.6 else ("contacted", 1)
            end = closed if closed is not None else now - int(rng.expovariate(1 / (5 * DAY)))
            end = max(end, created + HOUR)
            primary, secondary = SOURCE_CHANNELS[source]
            pref = _pick(rng, pattern_t)
            company = None
            if industry in B2B and rng.random() < 0.65 or rng.random() < 0.12:
                company = rng.choice(COMPANY_FORMS[lang]).format(rng.choice(DE_LAST if lang == "de" else EN_LAST))
            phone = f"{phone_prefix}{rng.randrange(10, 99)} {rng.randrange(1000000, 9999999)}" \
                if rng.random() < 0.8 else None
            email = f"{first}.{last}{rng.randrange(1, 99)}".lower().translate(_ASCII) + "@" + domain \
                if rng.random() < 0.85 else None
            deal = round(DEAL_BASE[industry] * math.exp(rng.gauss(0, 0.45)), 2)
            consent = rng.random() < 0.93
            reply_p = min(0.9, 0.35 + 0.08 * depth + 0.25 * p_win)
            lead = _Lead(lid, uid, lang, tz, first, PRODUCT[industry][0 if lang == "de" else 1], source, disg, z,
                         stage, depth, created, closed, end, pref, (primary, secondary),
                         stage_weight[depth], reply_p)
            leads.append(lead)
            lead_lines.append("\t".join((
                lid, uid, f"{first} {last}", _esc(company), _esc(email), _esc(phone), source, industry, cc, lang,
                tz, stage, f"{deal:.2f}", "t" if consent else "f", clock.ts(created) if consent else "\\N",
                clock.ts(closed) if closed is not None else "\\N", clock.ts(created),
            )) + "\n")
    with conn.cursor() as cur:
        with _timed(timings, "leads"), cur.copy("COPY salesflow.leads (id, user_id, name, company, email, phone, source, industry, country, "
                      "language, timezone, stage, deal_value, consent, consent_at, closed_at, created_at) "
                      "FROM STDIN") as cp:
            _write_chunked(cp, lead_lines)
        counts["leads"] += len(leads)
        lead_lines = None

        # ---- BANT (drawn from the same hidden quality as the outcome) and DISG profiles
        bant_lines, prof_lines = [], []
        for ld in leads:
            if ld.depth >= 2 and rng.random() < 0.45:
                at = ld.created + int((ld.end - ld.created) * rng.uniform(0.3, 0.8))
                dims = [max(0, min(10, round(rng.gauss(5.6 + 1.9 * ld.z, 1.5)))) for _ in range(4)]
                bant_lines.append(f"{ld.id}\t{ld.user_id}\t{dims[0]}\t{dims[1]}\t{dims[2]}\t{dims[3]}\t"
                                  f"{'manual' if rng.random() < 0.8 else 'questionnaire'}\t{clock.ts(at)}\n")
            if ld.depth >= 1 and rng.random() < 0.4:
                at = ld.created + int((ld.end - ld.created) * rng.uniform(0.1, 0.6))
                scores = {t: rng.randint(10, 50) for t in "DISG"}
                scores[ld.disg] = rng.randint(62, 92)
                src, conf = ("questionnaire", 0.8) if rng.random() < 0.85 else ("manual", 0.6)
                prof_lines.append(f"{ld.id}\t{ld.user_id}\t{scores['D']}\t{scores['I']}\t{scores['S']}\t"
                                  f"{scores['G']}\t{conf}\t{src}\t{clock.ts(at)}\n")
        if bant_lines:
            with _timed(timings, "bant_assessments"), cur.copy("COPY salesflow.bant_assessments (lead_id, user_id, budget, authority, need, timeline, "
                          "source, created_at) FROM STDIN") as cp:
                _write_chunked(cp, bant_lines)
        if prof_lines:
            with _timed(timings, "personality_profiles"), cur.copy("COPY salesflow.personality_profiles (lead_id, user_id, d_score, i_score, s_score, "
                          "g_score, confidence, source, created_at) FROM STDIN") as cp:
                _write_chunked(cp, prof_lines)
        counts["bant_assessments"] += len(bant_lines)
        counts["personality_profiles"] += len(prof_lines)
        bant_lines = prof_lines = None

        # ---- conversations
        mean_w = sum(ld.weight for ld in leads) / max(1, len(leads))
        # conversations end early when a lead's time runs out: scale the requests by requested/produced
        act_scale, produced_acts, requested_acts = 1.15, 0, 0
        with _timed(timings, "lead_activities"), cur.copy("COPY salesflow.lead_activities (lead_id, user_id, channel, direction, kind, body, "
                      "occurred_at) FROM STDIN") as cp:
            buf: list[str] = []
            for ld in leads:
                want = activities_per_lead * ld.weight / mean_w * act_scale * rng.uniform(0.6, 1.4)
                n = int(want) + (1 if rng.random() < want - int(want) else 0)
                if n <= 0:
                    continue
                made = _conversation(rng, clock, ld, n, buf)
                requested_acts += n
                produced_acts += made
                counts["lead_activities"] += made
                if produced_acts > 500:
                    act_scale = min(2.5, max(1.0, requested_acts / produced_acts))
                if len(buf) >= 20000:
                    cp.write("".join(buf))
                    buf.clear()
            if buf:
                cp.write("".join(buf))

        # ---- follow-ups, stage history, resolved recommendations
        fu_lines, ev_lines, rec_lines = [], [], []
        for ld in leads:
            notes = FOLLOWUP_NOTES[ld.lang]
            ch = ld.channels[0] if ld.channels[0] not in ("instagram", "in_person") else "whatsapp"
            if ld.stage not in ("won", "lost") and rng.random() < 0.4:
                due = now + int(rng.uniform(-4.5, 7) * DAY)
                fu_lines.append(f"{ld.id}\t{ld.user_id}\t{clock.ts(due)}\t{ch}\topen\t{rng.choice(notes)}\t\\N\t"
                                f"{clock.ts(min(now, due - 2 * DAY))}\n")
            if ld.depth >= 1 and rng.random() < 0.3:
                due = ld.created + int((ld.end - ld.created) * rng.uniform(0.2, 0.9))
                fu_lines.append(f"{ld.id}\t{ld.user_id}\t{clock.ts(due)}\t{ch}\tdone\t{rng.choice(notes)}\t"
                                f"{clock.ts(due + rng.randrange(600, 8 * HOUR))}\t{clock.ts(due - DAY)}\n")
            # stage path: new -> ... -> furthest stage (-> lost)
            path = list(STAGES[: min(ld.depth, 4) + 1])
            if ld.stage == "won":
                path = list(STAGES)
            elif ld.stage == "lost":
                path.append("lost")
            steps = len(path) - 1
            if steps:
                last = ld.closed if ld.closed is not None else ld.end
                span = max(HOUR, last - ld.created)
                cuts = sorted(rng.random() for _ in range(steps - 1)) + [1.0]
                if ld.closed is None:
                    cuts[-1] = rng.uniform(max(cuts[-2] if steps > 1 else 0.0, 0.05), 1.0)
                for a, b, c in zip(path, path[1:], cuts):
                    at = ld.created + max(60, int(span * c))
                    if b in ("won", "lost") and ld.closed is not None:
                        at = ld.closed
                    ev_lines.append(f"{ld.id}\t{ld.user_id}\t{a}\t{b}\t{clock.ts(at)}\n")
            if ld.depth >= 1 and now - ld.end < 60 * DAY and rng.random() < 0.08:
                key, de, en = rng.choice(REC_TYPES)
                created = max(ld.created, now - int(rng.uniform(1, 55) * DAY))
                accepted = rng.random() < (0.55 + 0.2 * (ld.z > 0))
                rec_lines.append("\t".join((
                    ld.id, ld.user_id, key, de if ld.lang == "de" else en,
                    "accepted" if accepted else "dismissed",
                    ("passt" if ld.lang == "de" else "helpful") if accepted else
                    ("kein Bedarf" if ld.lang == "de" else "not relevant"),
                    str(rng.randint(3, 5) if accepted else rng.randint(1, 3)),
                    clock.ts(created), clock.ts(min(now, created + rng.randrange(HOUR, 3 * DAY))),
                )) + "\n")
        if fu_lines:
            with _timed(timings, "followups"), cur.copy("COPY salesflow.followups (lead_id, user_id, due_at, channel, status, note, completed_at, "
                          "created_at) FROM STDIN") as cp:
                _write_chunked(cp, fu_lines)
        if ev_lines:
            with _timed(timings, "lead_stage_events"), cur.copy("COPY salesflow.lead_stage_events (lead_id, user_id, from_stage, to_stage, changed_at) "
                          "FROM STDIN") as cp:
                _write_chunked(cp, ev_lines)
        if rec_lines:
            with _timed(timings, "ai_recommendations"), cur.copy("COPY salesflow.ai_recommendations (lead_id, user_id, rec_type, title, status, feedback, "
                          "feedback_rating, created_at, resolved_at) FROM STDIN") as cp:
                _write_chunked(cp, rec_lines)
        counts["followups"] += len(fu_lines)
        counts["lead_stage_events"] += len(ev_lines)
    return len(leads), counts, timings


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


