"""The registry of RPC calls: how the bench calls every salesflow function (arguments per call)."""

from __future__ import annotations

import datetime as dt


import random
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Callable, Optional

import psycopg

from .. import rpc as api
from .scratch import Sample

# --------------------------------------------------------------------------- RPC registry

_TEXTS = [
    ("de", "Hallo Anna, danke für das nette Gespräch gestern. Passt dir Donnerstag um 10 Uhr für einen kurzen Call?"),
    ("de", "Mit unserem System verdienst du garantiert 5.000 € im Monat, ganz ohne Risiko!"),
    ("de", "Unser Produkt heilt Diabetes und stärkt das Immunsystem – nur heute 50 % Rabatt."),
    ("en", "Hi Tom, great talking to you. Shall we pick up on Thursday at 4 pm?"),
    ("en", "Quit your job: you will earn $10,000 a month guaranteed, no risk at all."),
    ("en", "This shake cures inflammation and you lose 10 kg in two weeks, doctors recommend it."),
]


# ordinary sentences with words the rules and the scorer look at (Geld, Ergebnis, sofort, free ...)
_ORDINARY = [
    "Hallo Anna, danke für das nette Gespräch gestern.", "Passt dir Donnerstag um 10 Uhr für einen kurzen Call?",
    "Ich schicke dir die Preisliste und das Datenblatt per Mail.", "Das Ergebnis der Bestellung siehst du in deinem Konto.",
    "Kein Stress, melde dich einfach, wenn du Zeit hast.", "Die Lieferung kommt sofort nach Zahlungseingang.",
    "Schöne Grüße an die Familie und ein gutes Wochenende!", "Wir haben am Samstag einen Stand auf dem Wochenmarkt.",
    "Great talking to you, shall we pick up on Thursday?", "Feel free to ask anything about the starter kit.",
    "The invoice is attached; payment terms are 14 days.", "Our team meeting moved to 6 pm, see you there.",
    "Das Geld für die Rücksendung bekommst du innerhalb von 14 Tagen zurück.", "Free parking is right next to the venue.",
]


@dataclass
class Call:
    """One call: act as `user` (via role `role`) and run `sql` with `args`."""

    user: uuid.UUID
    args: tuple


@dataclass
class Rpc:
    """How the bench calls one SQL function declared in salesflow_cli/rpc.py (`decl`): the keyword
    arguments it passes (`keys`, names without p_, in the order `make` and pools return values)."""

    decl: api.Rpc
    keys_: str  # "lead_id limit"
    make: Callable[["Ctx"], tuple]  # -> values for keys
    role: str = "rep"
    write: bool = False
    pool: Optional[Callable[[psycopg.Connection, "Ctx", int], list[Call]]] = None  # pre-built calls, used once each
    label: Optional[str] = None  # a second row for the same function (other arguments) needs its own name
    target_ms: float = 10.0  # the p99 the report holds it to

    @property
    def name(self) -> str:
        return self.decl.name

    @property
    def title(self) -> str:
        return self.label or self.decl.name

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.keys_.split())

    @property
    def argtypes(self) -> str:
        """Every declared parameter type (checked against pg_proc before the calls)."""
        return ", ".join(t for _, t in self.decl.params)

    @property
    def sql(self) -> str:
        """The statement, named notation with %(key)s placeholders (rpc.py's query())."""
        return self.decl.query(set(self.keys))

    def bind(self, values: tuple) -> dict[str, Any]:
        return dict(zip(self.keys, values, strict=True))


class Ctx:
    """Random choices for one call: a rep (or manager/admin) and one of their leads."""

    def __init__(self, sample: Sample, rng: random.Random):
        self.sample, self.rng = sample, rng
        self.user: uuid.UUID = sample.reps[0]
        self.lead: uuid.UUID = sample.leads[self.user][0]
        self.created: dict[str, list[Call]] = defaultdict(list)  # outputs of earlier RPCs (ids)

    def pick(self, role: str) -> None:
        s, rng = self.sample, self.rng
        if role == "manager" and s.managers:
            self.user = rng.choice(s.managers)
            self.lead = rng.choice(s.team_leads[self.user])
        elif role == "admin" and s.admins:
            self.user = rng.choice(s.admins)
            self.lead = rng.choice(s.leads[rng.choice(s.reps)])
        else:
            self.user = rng.choice(s.reps)
            self.lead = rng.choice(s.leads[self.user])

    def text(self) -> tuple[str, str]:
        return self.rng.choice(_TEXTS)

    def ordinary_1000(self) -> str:
        """About 1,000 characters of ordinary sales chat (issue 13's latency case), shuffled per call."""
        parts = self.rng.sample(_ORDINARY, len(_ORDINARY))
        out = ""
        while len(out) < 1000:
            out += parts[len(out) % len(parts)] + " "
        return out[:1000]


def _pool_update_recommendation(conn: psycopg.Connection, ctx: Ctx, n: int) -> list[Call]:
    rows = conn.execute(
        """SELECT id, user_id FROM salesflow.ai_recommendations
           WHERE status = 'open' AND user_id = ANY(%s) AND (assignee_id IS NULL OR assignee_id = user_id)
           ORDER BY random() LIMIT %s""", (ctx.sample.reps, n)).fetchall()
    return [Call(u, (i, ctx.rng.choice(("accepted", "dismissed")), "bench feedback", ctx.rng.randint(1, 5)))
            for i, u in rows]


def _pool_advance_playbook(conn: psycopg.Connection, ctx: Ctx, n: int) -> list[Call]:
    rows = conn.execute(
        """SELECT id, user_id FROM salesflow.playbook_executions
           WHERE status = 'running' AND user_id = ANY(%s) ORDER BY random() LIMIT %s""", (ctx.sample.reps, n)).fetchall()
    return [Call(u, (i, None)) for i, u in rows]


REC_TYPES = ("bench_call", "bench_email", "bench_meeting", "bench_check_in")


def _pool_leads(where: str) -> Callable[[psycopg.Connection, Ctx, int], list[Call]]:
    """Calls on random leads of the sampled reps that satisfy `where` (alias l = leads, e = lead_engagement)."""

    def pool(conn: psycopg.Connection, ctx: Ctx, n: int) -> list[Call]:
        rows = conn.execute(
            f"""SELECT l.id, l.user_id FROM salesflow.leads AS l
                LEFT JOIN salesflow.lead_engagement AS e ON e.lead_id = l.id
                WHERE l.user_id = ANY(%s) AND {where} ORDER BY random() LIMIT %s""",
            (ctx.sample.reps, n)).fetchall()
        return [Call(u, (lead,)) for lead, u in rows]

    return pool


def _pool_start_playbook(conn: psycopg.Connection, ctx: Ctx, n: int) -> list[Call]:
    if not ctx.sample.playbooks:
        return []
    rows = conn.execute(
        """SELECT l.id, l.user_id FROM salesflow.leads AS l
           WHERE l.user_id = ANY(%s) AND l.stage NOT IN ('won', 'lost')
             AND NOT EXISTS (SELECT 1 FROM salesflow.playbook_executions AS x
                             WHERE x.lead_id = l.id AND x.status = 'running')
           ORDER BY random() LIMIT %s""", (ctx.sample.reps, n)).fetchall()
    return [Call(u, (lead, ctx.rng.choice(ctx.sample.playbooks))) for lead, u in rows]


def _vector(ctx: Ctx) -> str:
    dims = ctx.sample.embedding_dims or 3
    return "[" + ",".join(f"{ctx.rng.uniform(-1, 1):.4f}" for _ in range(dims)) + "]"


def _prompt(c: Ctx) -> tuple:
    keys = c.sample.prompt_keys or ["memory"]
    return (c.rng.choice(keys), c.rng.choice(("de", "en")))


# Order matters: pool-based calls consume rows the earlier calls created.
# Every placeholder carries a cast (rpc.py) so the call resolves exactly like a client sending text.
def _ago(**delta: int) -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc) - dt.timedelta(**delta)


REGISTRY: list[Rpc] = [
    Rpc(api.current_user_id, "", lambda c: ()),
    Rpc(api.current_user_role, "", lambda c: ()),
    Rpc(api.visible_user_ids, "", lambda c: ()),
    Rpc(api.get_lead_intelligence, "lead_id", lambda c: (c.lead,)),
    Rpc(api.recommend_followup_actions, "user_id limit", lambda c: (c.user, 10)),
    Rpc(api.plan_day, "user_id capacity limit", lambda c: (c.user, 4, 20)),  # `salesflow today`
    Rpc(api.get_best_contact_window, "lead_id limit", lambda c: (c.lead, 3)),
    Rpc(api.generate_disg_recommendations, "lead_id", lambda c: (c.lead,)),
    Rpc(api.get_lead_disg, "lead_id", lambda c: (c.lead,)),
    Rpc(api.get_scored_leads, "limit offset user_id", lambda c: (50, 0, c.user)),
    Rpc(api.predict_conversion, "lead_id", lambda c: (c.lead,)),
    Rpc(api.get_conversion_funnel, "user_id", lambda c: (c.user,)),
    Rpc(api.get_personality_insights, "", lambda c: ()),
    Rpc(api.get_kpis, "weeks", lambda c: (8,)),
    Rpc(api.get_sales_kpis, "weeks", lambda c: (8,)),
    Rpc(api.list_recommendations, "status limit lead_id", lambda c: ("open", 50, None)),
    Rpc(api.check_compliance, "text language", lambda c: (lambda lt: (lt[1], lt[0]))(c.text())),
    Rpc(api.check_compliance, "text language", lambda c: (c.ordinary_1000(), c.rng.choice(("de", "en"))),
        label="check_compliance (1,000 chars)", target_ms=5.0),
    Rpc(api.ai_lead_context, "lead_id max_messages", lambda c: (c.lead, 40)),
    Rpc(api.get_ai_prompt, "key language", _prompt),
    Rpc(api.effective_priority, "base created_at half_life_hours",
        lambda c: (c.rng.randint(10, 100), _ago(hours=c.rng.randint(0, 200)), 72)),
    Rpc(api.lead_health_score, "bant_score last_inbound_at inbound_30d reply_count outbound_count stage",
        lambda c: (c.rng.choice((None, 40, 75)), _ago(days=c.rng.randint(0, 60)), c.rng.randint(0, 8),
                   c.rng.randint(0, 5), c.rng.randint(0, 9), c.rng.choice(("new", "contacted", "meeting")))),
    Rpc(api.health_traffic_light, "score", lambda c: (c.rng.randint(0, 100),)),
    Rpc(api.semantic_search_leads, "query_embedding limit", lambda c: (_vector(c), 10)),
    # writes
    Rpc(api.log_ai_output_compliance, "content content_type lead_id language model",
        lambda c: (lambda lt: (lt[1], "script", c.lead, lt[0], "bench-model"))(c.text()), write=True),
    Rpc(api.assess_bant, "lead_id budget authority need timeline",
        lambda c: (c.lead, *(c.rng.randint(0, 10) for _ in range(4))), write=True),
    Rpc(api.record_personality_profile, "lead_id d i s g source confidence",
        lambda c: (c.lead, *(c.rng.randint(0, 100) for _ in range(4)), "questionnaire", 0.8), write=True),
    Rpc(api.analyze_personality_from_messages, "lead_id", lambda c: (), write=True,
        pool=_pool_leads("e.inbound_count > 0")),
    Rpc(api.update_lead_memory, "lead_id summary key_facts pain_points objections next_steps",
        lambda c: (c.lead, f"Benchmark-Zusammenfassung {c.rng.randint(1, 10**6)}: interessiert, Budget offen.",
                   '{"budget": "offen"}', '["Zeit"]', '["Preis"]', '["Termin vereinbaren"]'), write=True),
    Rpc(api.create_ai_recommendation, "lead_id rec_type title reason",
        lambda c: (c.lead, c.rng.choice(REC_TYPES), "Nachfassen (Benchmark)", "bench"), write=True),
    Rpc(api.record_ai_call, "command lead_id user_id model prompt_key prompt_version prompt_tokens completion_tokens "
        "latency_ms status",
        lambda c: ("bench", c.lead, c.user, "bench-model", "memory", "v1", c.rng.randint(200, 900),
                   c.rng.randint(50, 300), c.rng.randint(150, 900), "ok"), write=True),
    Rpc(api.record_coaching_turn, "session_id user_id lead_id language question answer model",
        lambda c: (None, c.user, c.lead, "de", "Wie gehe ich mit dem Einwand 'zu teuer' um?",
                   "Frag nach, was genau zu teuer wirkt, und zeig den Wert im Alltag.", "bench-model"), write=True),
    Rpc(api.store_lead_embedding, "lead_id source content model embedding",
        lambda c: (c.lead, "summary", f"Benchmark-Zusammenfassung {c.rng.getrandbits(48)}", "bench-embed", _vector(c)),
        write=True),
    Rpc(api.update_recommendation, "id status feedback rating", lambda c: (), write=True,
        pool=_pool_update_recommendation),
    Rpc(api.start_playbook, "lead_id playbook_key", lambda c: (), write=True, pool=_pool_start_playbook),
    Rpc(api.advance_playbook, "execution_id outcome", lambda c: (), write=True, pool=_pool_advance_playbook),
]

# Cron/admin functions: measured with a few calls as the table owner, not per rep.
MAINTENANCE = {d.name: d.query(set()) for d in (api.expire_recommendations, api.learn_success_patterns)}
# Functions that are not part of the measured API, with the reason.
NOT_MEASURED = {
    "refresh_all_ki_views": "measured in the refresh section",
    "deployment_checklist": "deploy machinery",
    "deploy_needed": "deploy machinery",
    "record_applied": "deploy machinery",
    "session_may_assert": "internal identity helper",
    # the bench acts as reps, whom team views refuse (42501); they read what get_sales_kpis reads, per member
    "list_teams": "manager/admin view (the bench acts as reps)",
    "get_team_overview": "manager/admin view (the bench acts as reps)",
    "get_team_actions": "manager/admin view: recommend_followup_actions per member (measured)",
}


@dataclass
class Discovered:
    name: str
    argtypes: str
    roles: list[str]  # salesflow roles with EXECUTE


def discover_rpcs(conn: psycopg.Connection) -> list[Discovered]:
    """Every function of schema salesflow that is part of the API: not a trigger function, not internal."""
    rows = conn.execute(
        """
        SELECT p.proname, oidvectortypes(p.proargtypes),
               array_remove(ARRAY[
                   CASE WHEN to_regrole('salesflow_rep') IS NOT NULL
                         AND has_function_privilege('salesflow_rep', p.oid, 'EXECUTE') THEN 'rep' END,
                   CASE WHEN to_regrole('salesflow_manager') IS NOT NULL
                         AND has_function_privilege('salesflow_manager', p.oid, 'EXECUTE') THEN 'manager' END,
                   CASE WHEN to_regrole('salesflow_admin') IS NOT NULL
                         AND has_function_privilege('salesflow_admin', p.oid, 'EXECUTE') THEN 'admin' END
               ], NULL)
        FROM pg_proc AS p
        WHERE p.pronamespace = 'salesflow'::regnamespace
          AND p.prokind = 'f'
          AND p.prorettype <> 'trigger'::regtype
          AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT ILIKE 'internal:%%'
          AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT ILIKE 'deploy machinery%%'
        ORDER BY 1, 2
        """
    ).fetchall()
    return [Discovered(n, a, list(r)) for n, a, r in rows]


def _norm_types(s: str) -> list[str]:
    alias = {"int4": "integer", "int": "integer", "int8": "bigint", "timestamp with time zone": "timestamptz",
             "character varying": "varchar", "bool": "boolean"}
    out = []
    for t in (x.strip() for x in s.split(",")):
        if t:
            t = t.rsplit(".", 1)[-1]  # extension types may be schema-qualified (public.vector)
            out.append(alias.get(t, t))
    return out
