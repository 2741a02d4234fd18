"""The deterministic building blocks of the seed: ids, weighted picks, the clock, one lead's record.

Every draw comes from a random.Random the caller owns, in a fixed order: the same seed gives the
same data (tests/test_seed.py compares fingerprints).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from dataclasses import dataclass, field
from typing import Optional
from zoneinfo import ZoneInfo

from ..vocabulary import INDUSTRIES, SOURCES
from .corpus import (B2B, COMPANY_FORMS, COUNTRIES, DE_FIRST, DE_LAST, DEAL_BASE, DISG, DISG_EFFECT, EN_FIRST, EN_LAST,
                     FOLLOWUP_NOTES, INDUSTRY_EFFECT, PRODUCT, REC_TYPES, REPLY_PATTERNS, SOURCE_CHANNELS,
                     SOURCE_EFFECT, STAGES, TEAM_NAMES, _ASCII)

DAY = 86400
HOUR = 3600


def _uuid(rng: random.Random) -> str:
    """Same value as str(uuid.UUID(int=rng.getrandbits(128), version=4)), without the slow constructor."""
    x = rng.getrandbits(128)
    x = (x & ~(0xC000 << 48)) | (0x8000 << 48)
    x = (x & ~(0xF000 << 64)) | (4 << 76)
    h = f"{x:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _weighted(items):
    names = [i[0] for i in items]
    cum, total = [], 0
    for i in items:
        total += i[1]
        cum.append(total)
    return names, cum


def _pick(rng: random.Random, table) -> object:
    names, cum = table
    return rng.choices(names, cum_weights=cum)[0]


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


class _Clock:
    """Epoch seconds -> COPY text, and per-timezone UTC offsets (per day, DST-correct to the day)."""

    def __init__(self, anchor: int, days_back: int):
        self.anchor = anchor
        self.base = (anchor // DAY - days_back - 2) * DAY
        self.ndays = days_back + 40
        self._days = [
            time.strftime("%Y-%m-%d ", time.gmtime(self.base + d * DAY)) for d in range(self.ndays)
        ]
        self._offsets: dict[str, list[int]] = {}

    def ts(self, t: int) -> str:
        d, s = divmod(t - self.base, DAY)
        h, s = divmod(s, HOUR)
        m, s = divmod(s, 60)
        return f"{self._days[d]}{h:02d}:{m:02d}:{s:02d}+00"

    def offsets(self, tz: str) -> list[int]:
        off = self._offsets.get(tz)
        if off is None:
            z = ZoneInfo(tz)
            off = []
            for d in range(self.ndays):
                when = dt.datetime.fromtimestamp(self.base + d * DAY + 12 * HOUR, dt.timezone.utc)
                off.append(int(when.astimezone(z).utcoffset().total_seconds()))
            self._offsets[tz] = off
        return off


def _esc(value) -> str:
    if value is None:
        return "\\N"
    return str(value)



@dataclass
class _Lead:
    id: str
    user_id: str
    lang: str
    tz: str
    first: str
    product: str
    source: str
    disg: str
    z: float
    stage: str
    depth: int  # index in STAGES of the furthest stage reached (won = 5)
    created: int
    closed: Optional[int]
    end: int
    pref: tuple
    channels: tuple
    weight: float
    reply_p: float
    rep_lang: str = "de"  # the owner's language: what the rep writes (follow-up notes, recommendation titles)


def fingerprint_team_id(seed: int) -> str:
    """The id the first seeded team gets for this seed (demo uses it to recognise its own data)."""
    return _uuid(random.Random(seed))


_SOURCE_T = _weighted(SOURCES)
_INDUSTRY_T = _weighted(INDUSTRIES)
_COUNTRY_T = _weighted([(c, c[1]) for c in COUNTRIES])
_DISG_T = _weighted(DISG)
_PATTERN_T = _weighted(REPLY_PATTERNS)
_STAGE_WEIGHT = (0.25, 0.55, 1.0, 1.35, 1.55, 1.7)



# --------------------------------------------------------------------------- people


def _person(rng: random.Random, lang: str) -> tuple[str, str]:
    if lang == "de":
        return rng.choice(DE_FIRST), rng.choice(DE_LAST)
    return rng.choice(EN_FIRST), rng.choice(EN_LAST)


def _mail(first: str, last: str, domain: str, used: set) -> str:
    """first.last@domain, numbered from 2 when taken (`used` collects the addresses)."""
    base = f"{first}.{last}".lower().translate(_ASCII)
    k, addr = 1, f"{base}@{domain}"
    while addr in used:
        k += 1
        addr = f"{base}{k}@{domain}"
    used.add(addr)
    return addr


@dataclass
class _Staff:
    """The teams and users of a seed: COPY rows, and the ids the result reports."""
    team_rows: list = field(default_factory=list)  # (id, name)
    user_rows: list = field(default_factory=list)  # (id, team_id, email, display_name, role, language, timezone)
    reps: list = field(default_factory=list)  # (id, team_id, lang, tz)
    team_ids: list = field(default_factory=list)
    manager_ids: list = field(default_factory=list)
    rep_ids: list = field(default_factory=list)
    admin_id: str = ""


def _draw_staff(rng: random.Random, users: int, n_teams: int) -> _Staff:
    """Teams, one manager per team, `users` reps spread over the teams, one admin."""
    staff = _Staff()
    used_mail: set = set()
    for i in range(n_teams):
        staff.team_ids.append(_uuid(rng))
    staff.team_rows = [(tid, TEAM_NAMES[i] if i < len(TEAM_NAMES) else f"Team {i + 1}")
                       for i, tid in enumerate(staff.team_ids)]
    for tid in staff.team_ids:
        f, l = _person(rng, "de")
        uid = _uuid(rng)
        staff.manager_ids.append(uid)
        staff.user_rows.append((uid, tid, _mail(f, l, "salesflow-demo.example", used_mail), f"{f} {l}", "manager",
                                "de", "Europe/Berlin"))
    for i in range(users):
        lang = "de" if rng.random() < 0.85 else "en"
        tz = rng.choice(("Europe/Berlin", "Europe/Berlin", "Europe/Berlin", "Europe/Vienna", "Europe/Zurich")) \
            if lang == "de" else "Europe/London"
        f, l = _person(rng, lang)
        uid = _uuid(rng)
        tid = staff.team_ids[i % n_teams]
        staff.reps.append((uid, tid, lang, tz))
        staff.rep_ids.append(uid)
        staff.user_rows.append((uid, tid, _mail(f, l, "salesflow-demo.example", used_mail), f"{f} {l}", "rep", lang, tz))
    staff.admin_id = _uuid(rng)
    staff.user_rows.append((staff.admin_id, staff.team_ids[0], "admin@salesflow-demo.example", "Admin", "admin", "de",
                            "Europe/Berlin"))
    return staff


# --------------------------------------------------------------------------- leads and what hangs off them


def _draw_lead(rng: random.Random, now: int, clock: _Clock, uid: str) -> tuple[_Lead, str]:
    """One lead of rep `uid`: its record for the later steps and its COPY line for salesflow.leads."""
    lid = _uuid(rng)
    cc, _w, tzs, de_share, phone_prefix, domain = _pick(rng, _COUNTRY_T)
    tz = tzs[0][0] if len(tzs) == 1 else rng.choices([t for t, _ in tzs], [w for _, w in tzs])[0]
    lang = "de" if rng.random() < de_share else "en"
    # German speakers in GB/US/NL are rare; names follow the language
    first, last = _person(rng, lang)
    source = _pick(rng, _SOURCE_T)
    industry = _pick(rng, _INDUSTRY_T)
    disg = _pick(rng, _DISG_T)
    z = rng.gauss(0.0, 1.0)
    logit = -0.35 + SOURCE_EFFECT[source] + DISG_EFFECT[disg] + INDUSTRY_EFFECT[industry] + 0.9 * z
    p_win = _sigmoid(logit)
    age = int(400 * DAY * (rng.random() ** 1.7)) + rng.randrange(HOUR, 6 * HOUR)
    created = now - age
    stage, depth, closed = _draw_outcome(rng, now, created, age, disg, z, p_win)
    end = closed if closed is not None else now - int(rng.expovariate(1 / (5 * DAY)))
    end = max(end, created + HOUR)
    primary, secondary = SOURCE_CHANNELS[source]
    pref = _pick(rng, _PATTERN_T)
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
                 _STAGE_WEIGHT[depth], reply_p)
    line = "\t".join((
        lid, uid, f"{first} {last}", _esc(company), _esc(email), _esc(phone), source, industry, cc, lang,
        tz, stage, f"{deal:.2f}", "t" if consent else "f", clock.ts(created) if consent else "\\N",
        clock.ts(closed) if closed is not None else "\\N", clock.ts(created), "seed",
    )) + "\n"
    return lead, line


def _draw_outcome(rng: random.Random, now: int, created: int, age: int, disg: str, z: float,
                  p_win: float) -> tuple[str, int, Optional[int]]:
    """How far a lead gets (better leads go further), whether and when it closed, won or lost."""
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
    return stage, depth, closed


def _assessment_lines(rng: random.Random, clock: _Clock, leads: list[_Lead]) -> tuple[list[str], list[str]]:
    """BANT assessments (drawn from the same hidden quality as the outcome) and DISG profiles."""
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
    return bant_lines, prof_lines


def _history_lines(rng: random.Random, now: int, clock: _Clock,
                   leads: list[_Lead]) -> tuple[list[str], list[str], list[str]]:
    """Follow-ups (open, about a third overdue, and done), stage histories and resolved recommendations."""
    fu_lines, ev_lines, rec_lines = [], [], []
    for ld in leads:
        notes = FOLLOWUP_NOTES[ld.rep_lang]
        ch = ld.channels[0] if ld.channels[0] not in ("instagram", "in_person") else "whatsapp"
        if ld.stage not in ("won", "lost") and rng.random() < 0.4:
            due = now + int(rng.uniform(-4.5, 7) * DAY)
            fu_lines.append(f"{ld.id}\t{ld.user_id}\t{clock.ts(due)}\t{ch}\topen\t{rng.choice(notes)}\t\\N\t"
                            f"{clock.ts(min(now, due - 2 * DAY))}\n")
        if ld.depth >= 1 and rng.random() < 0.3:
            due = ld.created + int((ld.end - ld.created) * rng.uniform(0.2, 0.9))
            fu_lines.append(f"{ld.id}\t{ld.user_id}\t{clock.ts(due)}\t{ch}\tdone\t{rng.choice(notes)}\t"
                            f"{clock.ts(due + rng.randrange(600, 8 * HOUR))}\t{clock.ts(due - DAY)}\n")
        _stage_events(rng, clock, ld, ev_lines)
        if ld.depth >= 1 and now - ld.end < 60 * DAY and rng.random() < 0.08:
            rec_lines.append(_recommendation_line(rng, now, clock, ld))
    return fu_lines, ev_lines, rec_lines


def _stage_events(rng: random.Random, clock: _Clock, ld: _Lead, out: list[str]) -> None:
    """The stage path new -> ... -> furthest stage (-> lost), at past moments between creation and the end."""
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
            out.append(f"{ld.id}\t{ld.user_id}\t{a}\t{b}\t{clock.ts(at)}\n")


def _recommendation_line(rng: random.Random, now: int, clock: _Clock, ld: _Lead) -> str:
    """A resolved (accepted or dismissed) recommendation, accepted more often for better leads."""
    key, de, en = rng.choice(REC_TYPES)
    created = max(ld.created, now - int(rng.uniform(1, 55) * DAY))
    accepted = rng.random() < (0.55 + 0.2 * (ld.z > 0))
    return "\t".join((
        ld.id, ld.user_id, key, de if ld.rep_lang == "de" else en,
        "accepted" if accepted else "dismissed",
        ("passt" if ld.rep_lang == "de" else "helpful") if accepted else
        ("kein Bedarf" if ld.rep_lang == "de" else "not relevant"),
        str(rng.randint(3, 5) if accepted else rng.randint(1, 3)),
        clock.ts(created), clock.ts(min(now, created + rng.randrange(HOUR, 3 * DAY))),
    )) + "\n"
