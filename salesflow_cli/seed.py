"""`salesflow seed`: realistic synthetic sales data (German and English), loaded with COPY.

What it makes (deterministic for a given --seed and --anchor; ids come from the RNG):
- teams, one manager per team, reps spread over the teams, one admin;
- leads with source, industry, country (DE/AT/CH mostly, GB/US/NL), matching timezone and language,
  German or English names, companies, phone, e-mail, deal value, consent (mostly true);
- conversations (lead_activities): outbound messages at the rep's working hours, inbound replies
  written in the lead's DISG style (D short and direct, I enthusiastic with emojis, S cautious,
  family and security, G detailed with numbers and questions) in the lead's language. Every lead
  has preferred reply hours (morning, lunch, after work or evening, local time): replies land in
  them within 24 h of an outbound message, and outbound messages sent shortly before them get
  answered more often, so the contact window has something to find;
- stage histories (lead_stage_events, past timestamps) and the final leads.stage. Outcomes follow
  the features through a hidden quality score: referral and events win more, cold outreach less,
  D and I types more than S and G, green BANT (drawn from the same quality) more than red; the
  learning engine therefore finds real signal;
- BANT assessments and questionnaire/manual DISG profiles for part of the leads, open follow-ups
  (about a third overdue), done follow-ups, and resolved recommendations for the KPIs.

Scale: rows are generated per batch of users and streamed into COPY in text format, so memory
stays flat (only one batch's lead metadata is held). All salesflow triggers stay on: the
statement-level ones see one COPY per table per batch. Everything runs in one transaction.

The bench imports `generate()` (on a connection) or `bench_load()` (on a DSN, the bench_data
adapter signature).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Annotated, Callable, Optional
from zoneinfo import ZoneInfo

import psycopg
import typer
from psycopg import sql

from .connection import connect
from .errors import UserError, not_deployed
from .options import Dsn, Json, Quiet
from .render import console, print_json, table
from .vocabulary import INDUSTRIES, LADDER, SOURCES

# --------------------------------------------------------------------------- vocabulary

STAGES = LADDER  # the stages a lead climbs, in order (vocabulary.py)
# sources where the lead usually writes first
INBOUND_SOURCES = {"instagram", "facebook", "website", "whatsapp"}
SOURCE_EFFECT = {
    "referral": 1.0, "event": 0.45, "website": 0.2, "whatsapp": 0.15, "linkedin": 0.05, "instagram": 0.0,
    "facebook": -0.15, "cold_outreach": -1.0,
}
SOURCE_CHANNELS = {
    "instagram": ("instagram", "whatsapp"), "facebook": ("whatsapp", "email"), "referral": ("whatsapp", "phone"),
    "linkedin": ("linkedin", "email"), "website": ("email", "phone"), "event": ("whatsapp", "in_person"),
    "whatsapp": ("whatsapp", "phone"), "cold_outreach": ("email", "phone"),
}
INDUSTRY_EFFECT = {
    "finance": 0.15, "coaching": 0.2, "fitness": 0.05, "beauty": 0.1, "nutrition": 0.0,
    "real_estate": -0.25, "it": -0.1, "retail": -0.15,
}
DEAL_BASE = {
    "fitness": 600, "beauty": 350, "nutrition": 450, "coaching": 2400, "finance": 5200,
    "real_estate": 14000, "it": 8500, "retail": 1600,
}
B2B = {"it", "real_estate", "finance", "retail"}
PRODUCT = {
    "fitness": ("das Fitnessprogramm", "the fitness program"),
    "beauty": ("die Pflegeserie", "the skincare line"),
    "nutrition": ("das Ernährungskonzept", "the nutrition plan"),
    "coaching": ("das Coaching", "the coaching program"),
    "finance": ("die Finanzberatung", "the financial planning"),
    "real_estate": ("das Objekt", "the property"),
    "it": ("die Software-Lösung", "the software solution"),
    "retail": ("das Partnerprogramm", "the partner program"),
}
# country -> weight, [(timezone, weight)], share of German speakers, phone prefix, mail domain
COUNTRIES = (
    ("DE", 58, (("Europe/Berlin", 1),), 1.0, "+49 15", "example.de"),
    ("AT", 14, (("Europe/Vienna", 1),), 1.0, "+43 66", "example.at"),
    ("CH", 11, (("Europe/Zurich", 1),), 0.85, "+41 7", "example.ch"),
    ("GB", 7, (("Europe/London", 1),), 0.0, "+44 7", "example.co.uk"),
    ("US", 5, (("America/New_York", 3), ("America/Chicago", 1), ("America/Los_Angeles", 1)), 0.0, "+1 ", "example.com"),
    ("NL", 5, (("Europe/Amsterdam", 1),), 0.25, "+31 6", "example.nl"),
)
DISG = (("D", 20), ("I", 30), ("S", 30), ("G", 20))
DISG_EFFECT = {"D": 0.45, "I": 0.3, "S": -0.15, "G": -0.4}
# preferred local reply hours per lead
REPLY_PATTERNS = (
    ((7, 8), 14),          # on the way to work
    ((12, 13), 24),        # lunch break
    ((17, 18, 19), 30),    # after work
    ((20, 21, 22), 32),    # evening, kids in bed
)

DE_FIRST = (
    "Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannah", "Jonas", "Lena", "Max", "Mia", "Noah",
    "Paul", "Sophie", "Tom", "Emma", "Lukas", "Laura", "Jan", "Sabine", "Thomas", "Katrin", "Michael", "Stefanie",
    "Andreas", "Julia", "Markus", "Nicole", "Tobias", "Sandra", "Florian", "Melanie", "Christian", "Jana", "Matthias",
    "Leonie", "Sebastian", "Franziska", "Jürgen",
)
DE_LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun", "Zimmermann", "Krüger",
    "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Huber", "Gruber", "Bauer",
    "Steiner", "Moser", "Keller", "Frei", "Brunner",
)
EN_FIRST = (
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Grace", "James", "Olivia",
    "William", "Sophia", "Henry", "Chloe", "Daniel", "Lucy", "Ethan", "Ella", "Liam", "Mason", "Harper", "Sarah",
    "Michael", "Jessica", "Daan", "Sanne", "Lars", "Femke",
)
EN_LAST = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Miller",
    "Davis", "Garcia", "de Vries", "Jansen", "Bakker", "Visser",
)
COMPANY_FORMS = {"de": ("{} GmbH", "{} & Partner", "{} Consulting", "{} AG", "{} KG"),
                 "en": ("{} Ltd", "{} & Co", "{} Consulting", "{} Group", "{} LLC")}
TEAM_NAMES = (
    "Team Nord", "Team Süd", "Team West", "Team Ost", "Team Alpen", "Team Rhein", "Team Berlin", "Team München",
    "Team Wien", "Team Zürich", "Team Hamburg", "Team London",
)

# Messages. {n} first name, {p} product. Inbound ones are written in the DISG styles the SQL
# heuristic (analyze_personality_from_messages) looks for; no tabs, newlines or backslashes.
INBOUND = {
    ("D", "de"): (
        "Schick mir den Preis. Ich entscheide sofort.",
        "Keine Zeit für lange Calls. Nur das Ergebnis zählt.",
        "Kurz und knapp bitte: was bringt mir {p}.",
        "Passt. Machen wir. Wann geht es los.",
        "Ruf mich morgen direkt an.",
        "Zeit ist Geld. Schick mir das Angebot.",
        "Ich will schnell starten, mein Ziel steht.",
        "Klartext: lohnt sich das für mich oder nicht.",
        "Deal. Schick mir den nächsten Schritt.",
    ),
    ("D", "en"): (
        "Send me the price. I decide fast.",
        "No time for long calls. Bottom line please.",
        "Let's do it. What is the next step.",
        "Call me tomorrow, keep it short.",
        "Get me the offer asap.",
        "Quick question: results in how many weeks.",
        "Busy week. Straight to the point please.",
        "Done. Send the details now.",
        "I want results, not a presentation.",
    ),
    ("I", "de"): (
        "Wow, das klingt mega! 😍 Erzähl mir mehr!",
        "Haha super, meine Freundin macht das auch schon 🎉",
        "Toll!! Ich freu mich total, das macht bestimmt Spaß 😊",
        "Stell dir vor, mein ganzes Team will mitmachen! 🙌",
        "Genial 🤩 Können wir das gemeinsam mit meinen Freunden machen?",
        "Mega cool, ich hab es direkt allen Leuten erzählt 😄",
        "Wahnsinn, was für eine Geschichte! 🚀",
        "Super gerne!! Ich bin total begeistert von {p} ✨",
    ),
    ("I", "en"): (
        "Wow, that sounds amazing! 😍 Tell me more!",
        "Haha love it, my friends are going to be so excited 🎉",
        "This is so much fun!! 🙌 Count me in",
        "Awesome!! Imagine doing this together with everyone 🤩",
        "Great story, I love it 😊",
        "So exciting! My whole team wants to join 🚀",
        "Fantastic, I already told all my friends about {p} ✨",
    ),
    ("S", "de"): (
        "Ich muss das erst in Ruhe mit meiner Familie besprechen.",
        "Klingt interessant, aber ich bin noch unsicher. Gibt es da ein Risiko?",
        "Für mich ist Sicherheit wichtig, ich habe zwei Kinder.",
        "Lieber Schritt für Schritt, ich möchte nichts überstürzen.",
        "Vielleicht nächsten Monat, ich überlege es mir noch.",
        "Mein Mann und ich wollen da nochmal drüber nachdenken.",
        "Ich habe ein paar Bedenken und lasse mir lieber etwas Zeit.",
        "Danke, dass du so geduldig bist. Ich brauche noch etwas Vertrauen.",
    ),
    ("S", "en"): (
        "I need to talk it over with my family first.",
        "Sounds nice, but I'm not sure yet. Is it safe?",
        "Security matters to me, I have two kids.",
        "Maybe next month, no rush on my side.",
        "I'd prefer to go step by step.",
        "My husband and I want to think about it.",
        "Thanks for being patient, I'm a bit worried about the risk.",
    ),
    ("G", "de"): (
        "Können Sie mir genaue Details zu {p} schicken? Gibt es Studien dazu?",
        "Wie funktioniert das Vergütungsmodell genau? Welche Zahlen gibt es für das erste Jahr?",
        "Ich hätte gern die Vertragsbedingungen und die AGB vorab, bitte mit allen Details.",
        "Warum ist der Preis 12 Prozent höher als letztes Jahr? Gibt es dafür Daten?",
        "Welche Zertifizierung hat das Produkt? Ich vergleiche gerade 3 Anbieter.",
        "Können Sie mir die Fakten konkret aufschlüsseln: Kosten pro Monat, Laufzeit 24 Monate, Kündigungsfrist?",
        "Gibt es eine Quelle für die Angabe mit den 30 Prozent? Ich möchte das genau prüfen.",
    ),
    ("G", "en"): (
        "Could you send me the exact details on {p}? Are there any studies?",
        "How does the compensation plan work exactly? What are the numbers for year one?",
        "Please share the contract terms and conditions before our call.",
        "Why is the price 12 percent higher than last year? Is there data on that?",
        "Which certification does it have? I'm comparing 3 providers right now.",
        "Can you break down the facts: monthly cost, 24 month term, notice period?",
        "What is the source for the 30% figure? I want to check it precisely.",
    ),
}
NEUTRAL_IN = {
    "de": ("Danke dir, ich schau es mir an.", "Ok, melde mich.", "Hab es gelesen, danke."),
    "en": ("Thanks, I'll have a look.", "Ok, will get back to you.", "Got it, thanks."),
}
OUTBOUND = {
    "de": (
        "Hallo {n}, danke für dein Interesse an {p}! Wann passt dir ein kurzes Gespräch?",
        "Hi {n}, ich wollte kurz nachhaken: hast du dir {p} schon angeschaut?",
        "Hallo {n}, ich schicke dir gern alle Infos zu {p}.",
        "Guten Morgen {n}, hast du diese Woche 15 Minuten für einen Call?",
        "Hi {n}, wie sieht es bei dir aus? Melde dich gern, wenn du Fragen hast.",
        "Hallo {n}, hier die Unterlagen wie besprochen. Was meinst du?",
        "Hi {n}, kurze Erinnerung an unseren Termin. Passt es noch?",
    ),
    "en": (
        "Hi {n}, thanks for your interest in {p}! When would a short call suit you?",
        "Hi {n}, just following up: did you get a chance to look at {p}?",
        "Hello {n}, happy to send you all the details on {p}.",
        "Morning {n}, do you have 15 minutes this week for a call?",
        "Hi {n}, how are things on your side? Let me know if you have questions.",
        "Hi {n}, here are the documents as discussed. What do you think?",
        "Hi {n}, quick reminder of our meeting. Still good for you?",
    ),
}
FIRST_IN = {
    "de": ("Hi, ich habe deinen Beitrag zu {p} gesehen.", "Hallo, ich interessiere mich für {p}."),
    "en": ("Hi, I saw your post about {p}.", "Hello, I'm interested in {p}."),
}
CALL = {"de": "Anruf: kurz gesprochen, Rückruf vereinbart.", "en": "Call: spoke briefly, callback agreed."}
MEETING = {"de": "Termin: Vorstellung von {p}.", "en": "Meeting: presentation of {p}."}
NOTE = {"de": "Notiz: interessiert an {p}, Budget noch offen.", "en": "Note: interested in {p}, budget still open."}
FOLLOWUP_NOTES = {
    "de": ("Nachfassen: Angebot besprechen", "Rückruf wie vereinbart", "Unterlagen nachreichen", "Termin bestätigen"),
    "en": ("Follow up on the offer", "Call back as agreed", "Send the documents", "Confirm the meeting"),
}
REC_TYPES = (
    ("followup_due", "Nachfassen", "Follow up"), ("reengage_ghosted", "Lead reaktivieren", "Re-engage lead"),
    ("book_meeting", "Termin vereinbaren", "Book a meeting"), ("send_proposal", "Angebot senden", "Send the proposal"),
)
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", " ": ""})

DAY = 86400
HOUR = 3600


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- generation


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


# audit_chain_head stays with the (never reset) audit trail: its hash chain continues from it
DATA_TABLES_KEEP = {"schema_history", "compliance_rules", "disg_guidance", "ai_prompts", "playbooks", "audit_chain_head"}
COUNTED = (
    "teams", "users", "leads", "lead_activities", "lead_stage_events", "followups", "bant_assessments",
    "personality_profiles", "ai_recommendations",
)


def existing_leads(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM (SELECT 1 FROM salesflow.leads LIMIT 1) AS x").fetchone()
    return int(row[0])


def reset_data(conn: psycopg.Connection) -> list[str]:
    """Delete every salesflow data row (users, teams, leads and everything hanging off them).

    Reference tables (rules, guidance, prompts, playbooks) and the deploy history stay. The
    compliance audit trail is append-only by design (its trigger refuses TRUNCATE and DELETE), so a
    database with audit rows is never reset: the caller gets exit 2 and should use a fresh database.
    """
    names = [
        r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'salesflow' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        ).fetchall()
        if r[0] not in DATA_TABLES_KEEP
    ]
    if "compliance_logs" in names:
        n_logs = conn.execute("SELECT count(*) FROM (SELECT 1 FROM salesflow.compliance_logs LIMIT 1) AS x").fetchone()[0]
        if n_logs:
            raise UserError(
                "this database holds compliance audit logs, which are append-only; --reset will not delete them",
                hint="seed a fresh database (--dsn) instead",
            )
    # the parents are deleted (not truncated) so the empty, untouchable audit table may keep referencing them
    parents = ("leads", "users", "teams")
    truncate = [n for n in names if n not in parents and n != "compliance_logs"]
    if truncate:
        conn.execute("TRUNCATE " + ", ".join(f"salesflow.{sql.Identifier(n).as_string(conn)}" for n in truncate)
                     + " RESTART IDENTITY")
    for n in parents:
        if n in names:
            conn.execute(f"DELETE FROM salesflow.{n}")
    return names


def fingerprint_team_id(seed: int) -> str:
    """The id the first seeded team gets for this seed (demo uses it to recognise its own data)."""
    return _uuid(random.Random(seed))


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


_SOURCE_T = _weighted(SOURCES)
_INDUSTRY_T = _weighted(INDUSTRIES)
_COUNTRY_T = _weighted([(c, c[1]) for c in COUNTRIES])
_DISG_T = _weighted(DISG)
_PATTERN_T = _weighted(REPLY_PATTERNS)
_STAGE_WEIGHT = (0.25, 0.55, 1.0, 1.35, 1.55, 1.7)


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


def _conversation(rng: random.Random, clock: _Clock, ld: _Lead, n: int, out: list[str]) -> int:
    """Append up to n activity lines for one lead; returns how many were written."""
    off = clock.offsets(ld.tz)
    base = clock.base
    lang = ld.lang
    name, product = ld.first, ld.product
    prefix = f"{ld.id}\t{ld.user_id}\t"
    primary, secondary = ld.channels
    pref = ld.pref
    styled = INBOUND[(ld.disg, lang)]
    neutral = NEUTRAL_IN[lang]
    outbound = OUTBOUND[lang]
    start, end = ld.created + rng.randrange(600, 2 * DAY), ld.end
    if start >= end:
        start = ld.created + 60
    gap = max(2 * HOUR, (end - start) / (n + 1))
    made = 0
    t = start
    depth = ld.depth
    # 'new': only the lead has written; 'contacted' (or lost there): the lead never answered
    if depth == 0:
        mode_in_only, never_reply = True, False
    else:
        mode_in_only, never_reply = False, depth == 1
    lead_first = ld.source in INBOUND_SOURCES and rng.random() < 0.7
    if depth == 0 and not lead_first:
        return 0
    direction = "in" if lead_first else "out"
    first_in = True
    meeting_done = depth < 3
    while made < n and t < end:
        channel = primary if rng.random() < 0.82 else secondary
        if direction == "out":
            # the rep writes during working hours (8-19 local, Monday-Saturday)
            local = t + _offset_at(off, base, t)
            h = (local % DAY) // HOUR
            if h < 8 or h >= 20:
                t += ((8 - h) % 24) * HOUR + rng.randrange(0, 11 * HOUR)
                local = t + _offset_at(off, base, t)
            if (local // DAY + 4) % 7 == 0:  # Sunday
                t += DAY
            if t >= end:
                break
            r = rng.random()
            if r < 0.05:
                kind, body = "note", NOTE[lang].format(p=product)
            elif not meeting_done and made >= n // 2:
                kind, body, channel, meeting_done = "meeting", MEETING[lang].format(p=product), "in_person", True
            elif channel == "phone" and r < 0.5:
                kind, body = "call", CALL[lang]
            else:
                kind, body = "message", rng.choice(outbound).format(n=name, p=product)
            if channel == "in_person" and kind == "message":
                channel = "whatsapp"
            out.append(f"{prefix}{channel}\tout\t{kind}\t{body}\t{clock.ts(t)}\n")
            made += 1
            if kind == "note":
                t += rng.randrange(300, 3 * HOUR)
                continue
            if kind == "meeting":  # the next contact is the rep's follow-up after the meeting
                t += rng.randrange(2 * HOUR, 2 * DAY)
                continue
            # will the lead answer within 24 h? More likely when sent shortly before the preferred hours
            h = ((t + _offset_at(off, base, t)) % DAY) // HOUR
            near = any(0 <= p - h <= 2 for p in pref)
            p_reply = 0.0 if never_reply or mode_in_only else ld.reply_p * (1.25 if near else 0.55)
            if rng.random() < p_reply:
                direction = "in"
                t = _reply_time(rng, t, off, base, pref)
            else:
                t += int(gap * rng.uniform(0.6, 1.6)) + DAY
        else:
            if first_in and lead_first:
                body = rng.choice(FIRST_IN[lang]).format(p=product)
            elif rng.random() < 0.15:
                body = rng.choice(neutral)
            else:
                body = rng.choice(styled).format(n=name, p=product)
            first_in = False
            out.append(f"{prefix}{channel if channel != 'in_person' else 'whatsapp'}\tin\tmessage\t{body}\t{clock.ts(t)}\n")
            made += 1
            if mode_in_only:
                t = _reply_time(rng, t + int(gap * rng.uniform(0.5, 1.5)), off, base, pref)
            elif rng.random() < 0.12:  # a second message from the lead, at its usual hours
                t = _reply_time(rng, t + 2 * HOUR, off, base, pref)
            else:
                direction = "out"
                t += rng.randrange(15 * 60, int(min(gap, 2 * DAY)) + 20 * 60)
    return made


def _offset_at(off: list[int], base: int, t: int) -> int:
    """The UTC offset on t's day; a moment past the clock's last day (a reply computed after the
    conversation's end, then discarded) takes the last day's offset."""
    return off[min((t - base) // DAY, len(off) - 1)]


def _reply_time(rng: random.Random, t: int, off: list[int], base: int, pref: tuple) -> int:
    """A moment within 24 h after t in the lead's preferred local hours (15 %: any time within 20 h)."""
    if rng.random() < 0.15:
        return t + rng.randrange(10 * 60, 20 * HOUR)
    o = _offset_at(off, base, t)
    sod = (t + o) % DAY + 600  # earliest: ten minutes later
    for p in pref:
        lo, hi = p * HOUR, (p + 1) * HOUR
        if hi > sod:
            s = max(lo, sod)
            return t + (s - sod) + 600 + rng.randrange(0, max(60, hi - s))
    s = pref[0] * HOUR + DAY
    return t + (s - sod) + 600 + rng.randrange(0, HOUR)


# --------------------------------------------------------------------------- entry points


def seed_database(
    dsn: Optional[str],
    *,
    users: int,
    leads_per_user: int,
    activities_per_lead: int,
    seed: int,
    teams: Optional[int] = None,
    reset: bool = False,
    anchor: Optional[dt.datetime] = None,
    show_progress: bool = False,
    workers: int = 2,
) -> SeedResult:
    """Refuse when leads exist (unless reset), then generate with `workers` parallel connections."""
    conn = connect(dsn, autocommit=False, application="salesflow seed")
    try:
        try:
            has = existing_leads(conn)
        except psycopg.errors.UndefinedTable as exc:
            raise not_deployed(conn.info.dbname) from exc
        conn.rollback()
        if has and not reset:
            raise UserError(
                "this database already has leads; refusing to seed on top of them",
                hint="use --reset to delete all salesflow data (users, teams, leads, activities, KI rows) first, "
                     "or seed another database",
            )
        if reset:
            with conn.transaction():
                reset_data(conn)
    finally:
        conn.close()
    from .connection import resolve_dsn

    target = resolve_dsn(dsn)
    try:
        if show_progress:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            with Progress(TextColumn("[bold]seeding"), BarColumn(), MofNCompleteColumn(), TextColumn("leads"),
                          TextColumn("{task.fields[acts]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                          console=console, transient=False) as bar:
                task = bar.add_task("seed", total=users * leads_per_user, acts="")

                def cb(done, total, counts):
                    bar.update(task, completed=done, acts=f"{counts['lead_activities']:,} activities")

                result = generate(target, users, leads_per_user, activities_per_lead, seed, cb, teams=teams,
                                  anchor=anchor, workers=workers)
        else:
            result = generate(target, users, leads_per_user, activities_per_lead, seed, None, teams=teams,
                              anchor=anchor, workers=workers)
    except psycopg.Error as exc:
        raise UserError(
            f"seeding failed: {str(exc).strip().splitlines()[0]}",
            hint="batches already committed stay; run again with --reset to start clean",
            exit_code=1,
        ) from exc
    # statistics for the planner after a bulk load
    with psycopg.connect(target, autocommit=True) as c:
        for t in ("leads", "lead_activities", "lead_engagement", "followups", "lead_stage_events", "users",
                  "bant_assessments", "personality_profiles", "ai_recommendations"):
            c.execute(f"ANALYZE salesflow.{t}")
    return result


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


def seed_command(
    users: Annotated[int, typer.Option("--users", min=1, max=100000, help="Sales reps to create.")] = 10,
    leads_per_user: Annotated[int, typer.Option("--leads-per-user", min=0, max=1000000, help="Leads per rep.")] = 100,
    activities_per_lead: Annotated[int, typer.Option("--activities-per-lead", min=0, max=1000,
                                                     help="Average activities (messages, calls, notes) per lead.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same data.")] = 42,
    teams: Annotated[Optional[int], typer.Option("--teams", min=1, help="Teams (default: one per 10 reps).")] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Delete all salesflow data (not the schema) first.")] = False,
    anchor: Annotated[Optional[str], typer.Option(
        "--anchor", help="Reference time for generated timestamps, ISO 8601 (default: now, to the hour).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=8,
                                         help="Parallel loading connections (the data do not depend on it).")] = 2,
    dsn: Dsn = None,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Load realistic synthetic sales data (German and English) with COPY, deterministic per --seed."""
    anchor_dt = None
    if anchor:
        try:
            anchor_dt = dt.datetime.fromisoformat(anchor)
        except ValueError as exc:
            raise UserError(f"--anchor must be an ISO 8601 time, got {anchor!r}",
                            hint="for example 2026-01-15T12:00:00+00:00") from exc
    show = not quiet and not as_json and console.is_terminal
    result = seed_database(dsn, users=users, leads_per_user=leads_per_user, activities_per_lead=activities_per_lead,
                           seed=seed, teams=teams, reset=reset, anchor=anchor_dt, show_progress=show,
                           workers=workers)
    if as_json:
        print_json(result.as_dict())
        return
    if quiet:
        return
    console.print(table("salesflow seed", ["table", "rows"], [(k, f"{v:,}") for k, v in result.counts.items()]))
    acts = result.counts["lead_activities"]
    rate = acts / result.seconds if result.seconds else 0
    console.print(f"seeded {result.counts['leads']:,} leads and {acts:,} activities in {result.seconds:.1f} s "
                  f"({rate:,.0f} activities/s), seed {seed}")
    console.print("next: salesflow refresh   (scores, funnel, insights)")
