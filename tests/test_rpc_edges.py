"""Edge cases of every public RPC: bad input fails with a documented SQLSTATE and writes nothing.

The public RPCs are read from the deployed catalog (functions in schema salesflow whose ACL grants
EXECUTE to salesflow_rep, minus trigger functions and those whose COMMENT starts with "Internal:"),
so a new RPC fails test_every_public_rpc_has_a_baseline until BASELINES knows how to call it.

The sweep starts from a call that works (BASELINES) and replaces one argument at a time by an edge
value of its type (NULL, unknown and other-team ids, extreme numbers, empty and 1 MB strings,
infinite and far-away timestamps, deep and wrong-typed jsonb), plus one call with every argument
NULL, as the owner (no identity) and as a rep. Every call runs in a rolled-back transaction, so
each one sees the same data. A call may succeed or fail, but:
  - an error must carry a SQLSTATE from ALLOWED (documented in the README's error table);
  - a call given a 1 MB string must fail with 22023 (text lengths are bounded), except the pure
    formula helpers (IMMUTABLE LANGUAGE sql, inlined into views), which never raise;
  - a call that succeeds must leave no timestamp psycopg cannot read (infinity, year > 9999)
    in any table;
  - its result must be readable (fetched and decoded).
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.factories import acting_as, add_activity, make_lead, make_team, make_user

# 22P02 (malformed literal) is not here: every edge value below is a valid literal of its type, so
# a 22P02 could only come from inside a function.
ALLOWED = {"22023", "P0002", "42501", "23514", "55000"}
MB = "x" * (1024 * 1024)
STATEMENT_TIMEOUT = "10s"

PUBLIC_RPCS = """
SELECT p.oid::regprocedure::text AS signature, p.proname::text AS name,
       coalesce(string_agg(format_type(t.oid, NULL), ',' ORDER BY a.ord), '') AS arg_types,
       p.prolang = (SELECT l.oid FROM pg_language AS l WHERE l.lanname = 'sql') AND p.provolatile = 'i' AS pure
FROM pg_proc AS p
INNER JOIN pg_namespace AS n ON n.oid = p.pronamespace
LEFT JOIN LATERAL unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a (typ, ord) ON true
LEFT JOIN pg_type AS t ON t.oid = a.typ
WHERE n.nspname = 'salesflow'
  AND p.prokind = 'f'
  AND p.prorettype <> 'trigger'::regtype
  AND coalesce(obj_description(p.oid, 'pg_proc'), '') NOT LIKE 'Internal:%'
  AND EXISTS (
      SELECT 1 FROM aclexplode(p.proacl) AS acl
      WHERE acl.grantee = 'salesflow_rep'::regrole AND acl.privilege_type = 'EXECUTE'
  )
GROUP BY p.oid
ORDER BY 1
"""


@dataclass
class World:
    team_a: uuid.UUID
    team_b: uuid.UUID
    rep_a: uuid.UUID
    rep_b: uuid.UUID
    lead_a: uuid.UUID
    lead_b: uuid.UUID
    rec_a: int
    rec_b: int
    exec_a: int
    exec_b: int
    session_a: int
    session_b: int
    prompt_key: str
    playbook_free: str  # the other one already runs for both leads (exec_a, exec_b)
    extra: dict = field(default_factory=dict)


def build_world(db) -> World:
    team_a, team_b = make_team(db, "Team A"), make_team(db, "Team B")
    rep_a, rep_b = make_user(db, team_a, name="rep-a"), make_user(db, team_b, name="rep-b")
    make_user(db, team_a, role="manager", name="manager-a")
    lead_a, lead_b = make_lead(db, rep_a, "Anna A", email="anna@example.org"), make_lead(db, rep_b, "Bert B")
    for lead, rep in ((lead_a, rep_a), (lead_b, rep_b)):
        add_activity(db, lead, rep, "out", body="Hallo, hast du kurz Zeit?")
        add_activity(db, lead, rep, "in", body="Ja super, schick mir die Details und Zahlen!")
    keys = [r[0] for r in db.execute("SELECT key FROM salesflow.playbooks ORDER BY key LIMIT 2")]
    one = lambda q, *a: db.execute(q, a).fetchone()[0]  # noqa: E731
    rec = "SELECT salesflow.create_ai_recommendation(%s, 'follow_up', 'Call back', 'edge test')"
    exe = "SELECT salesflow.start_playbook(%s, %s)"
    ses = "SELECT salesflow.record_coaching_turn(NULL, %s, %s, 'de', 'Wie?', 'So.')"
    return World(
        team_a=team_a, team_b=team_b, rep_a=rep_a, rep_b=rep_b, lead_a=lead_a, lead_b=lead_b,
        rec_a=one(rec, lead_a), rec_b=one(rec, lead_b), exec_a=one(exe, lead_a, keys[0]), exec_b=one(exe, lead_b, keys[0]),
        session_a=one(ses, rep_a, lead_a), session_b=one(ses, rep_b, lead_b),
        prompt_key=one("SELECT prompt_key FROM salesflow.ai_prompts ORDER BY prompt_key LIMIT 1"),
        playbook_free=keys[1],
    )


VEC = "[0.1,0.2,0.3]"

# A working call per public RPC (signature as regprocedure prints it): argument values as text
# literals (cast to the argument's type in the call) or None; a dict names several baselines.
BASELINES = {
    "salesflow.begin_import(text,text,text,text)": lambda w: ["leads", "hubspot", "contacts.csv", "all"],
    "salesflow.finish_import()": lambda w: [],
    "salesflow.import_activities()": lambda w: [],
    "salesflow.import_leads(uuid,jsonb,jsonb)": lambda w: [None, '{"Warm": "replied"}', '{"0055": "x@example.org"}'],
    "salesflow.list_import_rejects()": lambda w: [],
    "salesflow.advance_playbook(bigint,text)": lambda w: [w.exec_a, "meeting_booked"],
    "salesflow.ai_lead_context(uuid,integer)": lambda w: [w.lead_a, 40],
    "salesflow.analyze_personality_from_messages(uuid)": lambda w: [w.lead_a],
    "salesflow.assess_bant(uuid,integer,integer,integer,integer,jsonb,text,text)":
        lambda w: [w.lead_a, 5, 6, 7, 8, '{"budget": "ok"}', "manual", "gpt-4o-mini"],
    "salesflow.check_compliance(text,text)": lambda w: ["Hallo, wie geht es dir?", "de"],
    "salesflow.create_ai_recommendation(uuid,text,text,text,jsonb,numeric,numeric,timestamp with time zone,text,uuid)":
        lambda w: [w.lead_a, "call_back", "Call Anna", "she asked", '{"kind": "call"}', 50, 72, w.extra["soon"], "manual", None],
    "salesflow.current_user_id()": lambda w: [],
    "salesflow.current_user_role()": lambda w: [],
    "salesflow.effective_priority(numeric,timestamp with time zone,numeric,timestamp with time zone)":
        lambda w: [50, w.extra["hour_ago"], 72, w.extra["now"]],
    "salesflow.find_leads(text,integer)": lambda w: {"name": ["Anna", 6], "prefix": [str(w.lead_a)[:8], 6]},
    "salesflow.gdpr_export(uuid)": lambda w: [w.lead_a],
    "salesflow.gdpr_find_leads(text,text)": lambda w: {
        "email": ["anna@example.org", None],
        "phone": [None, "+49 151 2345678"],
    },
    "salesflow.generate_disg_recommendations(uuid)": lambda w: [w.lead_a],
    "salesflow.get_ai_prompt(text,text)": lambda w: [w.prompt_key, "de"],
    "salesflow.get_best_contact_window(uuid,integer)": lambda w: [w.lead_a, 3],
    "salesflow.get_conversion_funnel(uuid)": lambda w: [w.rep_a],
    "salesflow.get_kpis(integer,uuid)": lambda w: [8, w.rep_a],
    "salesflow.get_lead_disg(uuid)": lambda w: [w.lead_a],
    "salesflow.get_lead_intelligence(uuid)": lambda w: [w.lead_a],
    "salesflow.get_personality_insights(uuid)": lambda w: [w.team_a],
    "salesflow.get_sales_kpis(integer,uuid,uuid)": lambda w: {"user": [8, w.rep_a, None], "team": [8, None, w.team_a]},
    "salesflow.get_scored_leads(integer,integer,uuid)": lambda w: [50, 0, w.rep_a],
    "salesflow.get_team_actions(uuid,integer)": lambda w: [w.team_a, 10],
    "salesflow.get_team_overview(uuid,integer)": lambda w: [w.team_a, 4],
    "salesflow.health_traffic_light(numeric)": lambda w: [55],
    "salesflow.calibrated_probability(double precision,double precision,double precision)": lambda w: [0.5, 0.4, -0.2],
    "salesflow.lead_health_score(numeric,timestamp with time zone,integer,integer,integer,text,timestamp with time zone)":
        lambda w: [60, w.extra["hour_ago"], 2, 1, 2, "contacted", w.extra["now"]],
    "salesflow.list_recommendations(text,integer,uuid)": lambda w: ["open", 50, w.lead_a],
    "salesflow.list_teams()": lambda w: [],
    "salesflow.log_ai_output_compliance(text,text,uuid,text,text,jsonb,text,uuid)":
        lambda w: ["Hallo Anna, passt dir Dienstag?", "message", w.lead_a, "de", "gpt-4o-mini", "[]", "sql_rules", None],
    "salesflow.predict_conversion(uuid)": lambda w: [w.lead_a],
    "salesflow.plan_day(uuid,date,integer,integer)": lambda w: {
        "next working day": [w.rep_a, None, 4, 20],
        "a day ahead": [w.rep_a, w.extra["workday"], 2, 5],
    },
    "salesflow.recommend_followup_actions(uuid,integer,date,integer)": lambda w: {
        "default day": [w.rep_a, 10, None, 4],
        "a day ahead": [w.rep_a, 10, w.extra["workday"], 1],
    },
    "salesflow.record_ai_call(text,uuid,uuid,text,text,text,integer,integer,integer,text,text,text,integer)":
        lambda w: ["ai memory", w.lead_a, w.rep_a, "gpt-4o-mini", w.prompt_key, "v1", 100, 50, 800, "ok", None, "abc123", 1],
    "salesflow.record_coaching_turn(bigint,uuid,uuid,text,text,text,text,integer,integer,integer,text)": lambda w: {
        "append": [w.session_a, w.rep_a, w.lead_a, "de", "Wie frage ich nach?", "Offen fragen.", "gpt-4o-mini", 10, 20, 300, "coach"],
        "new session": [None, w.rep_a, w.lead_a, "en", "How do I ask?", "Openly.", "gpt-4o-mini", 10, 20, 300, "coach"],
    },
    "salesflow.record_personality_profile(uuid,integer,integer,integer,integer,text,numeric,jsonb,text)":
        lambda w: [w.lead_a, 40, 30, 20, 10, "manual", "0.7", '["asks for numbers"]', None],
    "salesflow.semantic_search_leads(vector,integer,text)": lambda w: [VEC, 10, None],
    "salesflow.start_playbook(uuid,text)": lambda w: [w.lead_a, w.playbook_free],
    "salesflow.store_lead_embedding(uuid,text,text,text,vector,bigint)":
        lambda w: [w.lead_a, "note", "Anna mag Zahlen.", "text-embedding-3-small", VEC, None],
    "salesflow.update_lead_memory(uuid,text,jsonb,jsonb,jsonb,jsonb,text,text,text)":
        lambda w: [w.lead_a, "Anna will Details.", '{"budget": "500 EUR"}', '["Zeit"]', "[]", '["anrufen"]', "h1", "gpt-4o-mini", "v1"],
    "salesflow.update_recommendation(bigint,text,text,integer)": lambda w: [w.rec_a, "accepted", "gut", 4],
    "salesflow.visible_user_ids()": lambda w: [],
    "salesflow.consent_history(uuid)": lambda w: [w.lead_a],
    "salesflow.record_consent(uuid,boolean,text,text)": lambda w: [w.lead_a, True, "cli", "Ja, ihr duerft mich per WhatsApp kontaktieren."],
    # working the day (issue 12 item 1)
    "salesflow.add_followup(uuid,timestamp with time zone,text,text)": lambda w: [w.lead_a, w.extra["soon"], "whatsapp", "Preis klären"],
    "salesflow.add_lead(text,text,text,text,text,text,text,text,text,numeric,text,uuid)":
        lambda w: ["Dora Neu", "dora@example.org", "+49 151 1234567", "ACME", "referral", "DE", "de", "Europe/Berlin", "new", 100,
                   "Ja, per WhatsApp.", w.rep_a],
    "salesflow.complete_followup(bigint,text)": lambda w: [w.extra["fu_a"], "erledigt"],
    "salesflow.list_playbooks()": lambda w: [],
    # (lead_a has no consent: an outbound message is refused with 55000, tests/test_write_commands.py covers it)
    "salesflow.log_activity(uuid,text,text,text,text,timestamp with time zone,boolean,boolean)":
        lambda w: [w.lead_a, "whatsapp", "in", "Hallo!", "message", w.extra["hour_ago"], False, False],
    "salesflow.set_lead_stage(uuid,text,text,numeric)": lambda w: [w.lead_a, "won", "passt", 1000],
    "salesflow.skip_followup(bigint,text)": lambda w: [w.extra["fu_a"], "kein Bedarf"],
    "salesflow.snooze_followup(bigint,timestamp with time zone)": lambda w: [w.extra["fu_a"], w.extra["soon"]],
}


# Baselines a rep is refused by design (team views are for managers and admins): as the rep, the
# baseline must fail with 42501 (and the edge cases still may only raise documented SQLSTATEs).
REFUSED_FOR_REPS = {("list_teams", "baseline"), ("get_team_overview", "baseline"), ("get_team_actions", "baseline"),
                    ("get_sales_kpis", "team")}


def _deep(n: int) -> str:
    return '{"a": ' * n + "1" + "}" * n


def edge_values(w: World) -> dict[str, list]:
    """Edge values per argument type (text literals; None is SQL NULL)."""
    other_ids = [w.lead_b, w.rep_b, w.team_b]  # other team's lead, user and team (each tried for every uuid)
    return {
        "uuid": [None, uuid.uuid4(), uuid.UUID(int=0), *other_ids],
        "integer": [None, -1, 0, -(2**31), 2**31 - 1],
        "boolean": [None, True, False],
        "bigint": [None, -1, 0, -(2**63), 2**63 - 1, w.rec_b, w.exec_b, w.session_b],
        "numeric": [None, "-1", "0", "NaN", "Infinity", "-Infinity", "1e300", "1e-300"],
        "double precision": [None, "-1", "0", "NaN", "Infinity", "-Infinity", "1e308", "-1e308", "5e-324"],
        "text": [None, "", "   ", "x" * 300, "\U0001F642" * 500, "'; DROP TABLE salesflow.leads; --", MB],
        "jsonb": [None, "null", '"text"', "123", "[]", "{}", "[1, [2, {}]]", _deep(5000),
                  '{"k": "' + "x" * 1024 * 1024 + '"}'],
        "timestamp with time zone": [None, "infinity", "-infinity", "294276-12-31 23:59:59+00", "4713-01-01 00:00:00+00 BC",
                                     "1900-01-01 00:00:00+00", "2200-01-01 00:00:00+00"],
        "date": [None, "infinity", "-infinity", "1900-01-01", "2200-01-01", "5874897-12-31", "4713-01-01 BC"],
        "vector": [None, "[0,0,0]", "[1]", "[" + ",".join(["1e38"] * 1536) + "]"],
    }


# Known gaps in files other work owns (log_ai_output_compliance.sql belongs to the compliance audit
# trail): reported, not failed; test_known_gaps_are_still_open fails once one is fixed, so the
# entry gets removed.
KNOWN_GAPS: dict = {}  # (signature, argument index) -> problem, for a gap that must wait; none now


@dataclass
class Rpc:
    signature: str
    name: str
    types: list[str]
    pure: bool  # IMMUTABLE LANGUAGE sql formula helper (inlined into views): total, never raises


def public_rpcs(db) -> list[Rpc]:
    return [Rpc(s, n, t.split(",") if t else [], pure) for s, n, t, pure in db.execute(PUBLIC_RPCS).fetchall()]


def baselines(rpc: Rpc, w: World) -> dict[str, list]:
    base = BASELINES[rpc.signature](w)
    return base if isinstance(base, dict) else {"baseline": base}


def call_sql(rpc: Rpc) -> sql.Composed:
    args = sql.SQL(", ").join(sql.SQL("{}::{}").format(sql.Placeholder(), sql.SQL(t)) for t in rpc.types)
    return sql.SQL("SELECT * FROM salesflow.{}({})").format(sql.Identifier(rpc.name), args)


def odd_timestamps_sql(db) -> sql.Composed:
    """One query counting the timestamps psycopg cannot decode, over every salesflow table."""
    cols = db.execute("""
        SELECT c.relname, a.attname FROM pg_attribute AS a
        INNER JOIN pg_class AS c ON c.oid = a.attrelid
        INNER JOIN pg_namespace AS n ON n.oid = c.relnamespace
        WHERE n.nspname = 'salesflow' AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
          AND a.atttypid IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype)
    """).fetchall()
    parts = [
        sql.SQL("SELECT {t}::text, count(*) FROM salesflow.{ti} WHERE NOT isfinite({c}) OR {c} > '9999-12-31' "
                "OR {c} < '0001-01-01'").format(t=sql.Literal(f"{t}.{c}"), ti=sql.Identifier(t), c=sql.Identifier(c))
        for t, c in cols
    ]
    return sql.SQL("SELECT * FROM (") + sql.SQL(" UNION ALL ").join(parts) + sql.SQL(") AS x WHERE count > 0")


def short(v) -> str:
    s = "NULL" if v is None else str(v)
    return s if len(s) <= 40 else f"{s[:30]}...({len(s)} chars)"


# RPCs that work inside an open import: the case's transaction opens one first
SETUP = {
    sig: f"SELECT salesflow.begin_import('{kind}', 'generic')" for sig, kind in (
        ("salesflow.finish_import()", "leads"), ("salesflow.import_activities()", "activities"),
        ("salesflow.import_leads(uuid,jsonb,jsonb)", "leads"), ("salesflow.list_import_rejects()", "leads"))
}


def run_case(db, rpc: Rpc, args: list, odd_sql) -> tuple[str | None, str]:
    """Call in a rolled-back transaction: (SQLSTATE or None on success, the problem or the error message)."""
    try:
        with db.transaction(force_rollback=True):
            if rpc.signature in SETUP:
                db.execute(SETUP[rpc.signature])
            db.execute(call_sql(rpc), args).fetchall()  # fetched: the result must decode
            db.execute("RESET ROLE")  # the check reads every table; the rollback restores the role
            odd = db.execute(odd_sql).fetchall()
    except psycopg.Error as exc:
        message = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        if exc.sqlstate is None:  # raised by psycopg itself, e.g. a timestamp it cannot decode
            return None, f"result not readable: {message}"
        return exc.sqlstate, message if exc.sqlstate in ALLOWED else f"{exc.sqlstate}: {message}"
    return None, f"stored undecodable timestamps {odd}" if odd else ""


def test_readme_documents_the_allowed_sqlstates():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Errors (SQLSTATEs of the RPC functions)"):]
    table = table[:table.index("\n## ")]
    documented = set(re.findall(r"^\| `([0-9A-Z]{5})` \|", table, re.MULTILINE))
    assert ALLOWED | {"22P02"} == documented


def test_every_public_rpc_has_a_baseline(db):
    deployed = {r.signature for r in public_rpcs(db)}
    assert len(deployed) >= 30, deployed
    missing = sorted(deployed - BASELINES.keys())
    stale = sorted(BASELINES.keys() - deployed)
    assert not missing, f"public RPCs without a baseline call in tests/test_rpc_edges.py BASELINES: {missing}"
    assert not stale, f"BASELINES names functions that are not public RPCs (renamed or re-signed?): {stale}"


@pytest.fixture
def world(db):
    w = build_world(db)
    now = db.execute("SELECT now()").fetchone()[0]
    w.extra.update(now=now.isoformat(), hour_ago=(now - timedelta(hours=1)).isoformat(),
                   soon=(now + timedelta(days=1)).isoformat(),
                   # a working day (Mon-Sat) ahead, for plan_day / recommend_followup_actions(p_day)
                   workday=next(d for d in ((now + timedelta(days=k)).date() for k in (2, 3)) if d.weekday() != 6).isoformat())
    fu = "INSERT INTO salesflow.followups (lead_id, user_id, due_at) VALUES (%s, %s, now()) RETURNING id"
    w.extra.update(fu_a=db.execute(fu, (w.lead_a, w.rep_a)).fetchone()[0], fu_b=db.execute(fu, (w.lead_b, w.rep_b)).fetchone()[0])
    return w


def cases_for(rpc: Rpc, w: World, values: dict[str, list]):
    """(label, args, arg index or None) for the baselines, all NULL, and one edge value at a time."""
    for name, base in baselines(rpc, w).items():
        yield name, base, None
        if rpc.types:
            yield f"{name}, all NULL", [None] * len(rpc.types), None
        for i, t in enumerate(rpc.types):
            for v in values[t]:
                yield f"{name}, arg {i + 1} ({t}) = {short(v)}", base[:i] + [v] + base[i + 1:], i + 1


def sweep(db, w: World, rpcs: list[Rpc]) -> tuple[int, list[str], list[str]]:
    """Every case as owner and as rep: (calls, problems, known gaps hit)."""
    values = edge_values(w)
    odd_sql = odd_timestamps_sql(db)
    problems: list[str] = []
    gaps: list[str] = []
    calls = 0
    db.execute(f"SET statement_timeout = '{STATEMENT_TIMEOUT}'")
    for who in ("owner", "rep"):
        for rpc in rpcs:
            names = baselines(rpc, w).keys()
            for label, args, arg in cases_for(rpc, w, values):
                t0 = time.monotonic()
                if who == "rep":
                    with acting_as(db, w.rep_a):
                        state, problem = run_case(db, rpc, args, odd_sql)
                else:
                    state, problem = run_case(db, rpc, args, odd_sql)
                took = time.monotonic() - t0
                calls += 1
                if who == "rep" and (rpc.name, label) in REFUSED_FOR_REPS:
                    problem = "" if state == "42501" else f"a rep's baseline gave {state or 'success'}, expected 42501"
                elif label in names and state is not None:
                    problem = f"baseline failed: {state} {problem}"  # the edge cases would prove nothing
                elif state in ALLOWED:
                    problem = ""
                # text lengths are bounded (22023); pure formula helpers store nothing and never raise
                if not problem and arg is not None and args[arg - 1] is MB and not rpc.pure and state != "22023":
                    problem = f"a 1 MB string gave {state or 'success'}, expected 22023"
                    if (rpc.signature, arg) in KNOWN_GAPS:
                        gaps.append(f"{who}: {rpc.signature} {label}: {problem}")
                        problem = ""
                if not problem and took > 2:
                    problem = f"took {took:.1f} s"
                if problem:
                    problems.append(f"{who}: {rpc.signature} {label}: {problem}")
    db.execute("RESET statement_timeout")
    return calls, problems, gaps


def test_public_rpcs_raise_only_documented_sqlstates(db, world):
    rpcs = public_rpcs(db)
    calls, problems, gaps = sweep(db, world, rpcs)
    print(f"rpc edge sweep: {len(rpcs)} RPCs, {calls} calls; known gaps hit: {len(gaps)}")
    assert calls > 1000
    assert not problems, f"{len(problems)} of {calls} calls misbehaved:\n" + "\n".join(problems)


# --- the fixes, one by one: the SQLSTATE, a message naming argument and value, a hint, nothing written


def count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM salesflow.{table}").fetchone()[0]


def refused(db, table: str, query: str, params, state: str, names: str) -> psycopg.Error:
    """query fails with state, the message names `names`, there is a hint, and table is unchanged."""
    before = count(db, table)
    with pytest.raises(psycopg.Error) as exc:
        db.execute(query, params).fetchall()
    err = exc.value
    assert err.sqlstate == state, f"{err.sqlstate}: {err}"
    assert names in err.diag.message_primary, err.diag.message_primary
    assert err.diag.message_hint, f"no hint: {err}"
    assert len(err.diag.message_primary) < 300, "long values must be cut in the message"
    assert count(db, table) == before
    return err


RECORD_AI_CALL = "SELECT salesflow.record_ai_call(%s, %s, %s, 'gpt-4o-mini', 'ai_coach', 'v1', %s, %s, 100, 'ok')"


def test_record_ai_call_refuses_what_the_table_would(db, world):
    w = world
    refused(db, "ai_calls", RECORD_AI_CALL, (None, w.lead_a, None, 1, 1), "22023", "p_command")
    refused(db, "ai_calls", RECORD_AI_CALL, ("x" * 41, w.lead_a, None, 1, 1), "22023", "p_command")
    refused(db, "ai_calls", RECORD_AI_CALL, ("coach", uuid.uuid4(), None, 1, 1), "P0002", "p_lead_id")
    # an unknown lead is refused even when the user is given (it used to reach the foreign key: 23503)
    refused(db, "ai_calls", RECORD_AI_CALL, ("coach", uuid.uuid4(), w.rep_a, 1, 1), "P0002", "p_lead_id")
    refused(db, "ai_calls", RECORD_AI_CALL, ("coach", None, uuid.uuid4(), 1, 1), "P0002", "p_user_id")
    # 2^31 - 1 prompt tokens overflowed the generated total_tokens column (22003)
    refused(db, "ai_calls", RECORD_AI_CALL, ("coach", w.lead_a, None, 2**31 - 1, 50), "22023", "p_prompt_tokens")
    refused(db, "ai_calls", RECORD_AI_CALL, ("coach", w.lead_a, None, 5, -1), "22023", "p_completion_tokens")
    err = refused(db, "ai_calls", "SELECT salesflow.record_ai_call('coach', NULL, %s, %s, NULL, NULL, 1, 1, 1, 'ok')",
                  (w.rep_a, MB), "22023", "p_model")
    assert "1048576" in err.diag.message_primary and "xxxxx..." in err.diag.message_primary
    # the limits themselves are accepted
    db.execute(RECORD_AI_CALL, ("ai memory", w.lead_a, None, 10_000_000, 10_000_000))
    assert db.execute("SELECT max(total_tokens) FROM salesflow.ai_calls").fetchone()[0] == 20_000_000


def test_record_coaching_turn_unknown_lead_and_user(db, world):
    w = world
    q = "SELECT salesflow.record_coaching_turn(NULL, %s, %s, %s, 'Q?', 'A.')"
    refused(db, "ai_coaching_sessions", q, (w.rep_a, uuid.uuid4(), "de"), "P0002", "p_lead_id")  # was 23503
    refused(db, "ai_coaching_sessions", q, (uuid.uuid4(), None, "de"), "P0002", "p_user_id")  # was 23503
    refused(db, "ai_coaching_sessions", q, (w.rep_a, None, "fr"), "22023", "p_language")  # was 23514
    with acting_as(db, w.rep_a):
        refused(db, "ai_coaching_sessions", q, (None, w.lead_b, "de"), "P0002", "p_lead_id")  # another team's lead


def test_record_coaching_turn_totals_saturate(db, world):
    db.execute("UPDATE salesflow.ai_coaching_sessions SET prompt_tokens = 2147483000 WHERE id = %s", (world.session_a,))
    db.execute("SELECT salesflow.record_coaching_turn(%s, %s, NULL, 'de', 'Q?', 'A.', 'm', 10000000, 5, 7)",
               (world.session_a, world.rep_a))
    row = db.execute("SELECT prompt_tokens, completion_tokens, jsonb_array_length(messages) FROM salesflow.ai_coaching_sessions "
                     "WHERE id = %s", (world.session_a,)).fetchone()
    assert row == (2147483647, 5, 4)  # prompt tokens capped (22003 before), completion 0 + 5, two more messages


def test_store_lead_embedding_long_model_is_22023(db, world):
    err = refused(db, "lead_embeddings", "SELECT salesflow.store_lead_embedding(%s, 'note', 'Text', %s, %s::vector)",
                  (world.lead_a, MB, VEC), "22023", "p_model")  # was 54000 (index row too large)
    assert "at most 200" in err.diag.message_primary
    refused(db, "lead_embeddings", "SELECT salesflow.store_lead_embedding(%s, 'note', %s, 'm', %s::vector)",
            (world.lead_a, "y" * 100_001, VEC), "22023", "p_content")
    db.execute("SELECT salesflow.store_lead_embedding(%s, 'note', %s, %s, %s::vector)", (world.lead_a, "y" * 100_000, "m" * 200, VEC))
    assert count(db, "lead_embeddings") == 1


@pytest.mark.parametrize("expires", ["infinity", "-infinity", "294276-12-31 23:59:59+00", "now() + interval '13 months'",
                                     "now() - interval '1 minute'"])
def test_create_ai_recommendation_expiry_is_bounded(db, world, expires):
    refused(db, "ai_recommendations",
            f"SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call', NULL, '{{}}', 50, 72, ({expires})::timestamptz)"
            if expires.startswith("now()") else
            "SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call', NULL, '{}', 50, 72, %s::timestamptz)",
            (world.lead_a,) if expires.startswith("now()") else (world.lead_a, expires), "22023", "p_expires_at")


def test_create_ai_recommendation_expiry_within_a_year_is_read_back(db, world):
    rec = db.execute("SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call', NULL, '{}', 50, 72, "
                     "now() + interval '11 months')", (world.lead_a,)).fetchone()[0]
    expires = db.execute("SELECT expires_at FROM salesflow.list_recommendations('open', 50, %s) WHERE id = %s",
                         (world.lead_a, rec)).fetchone()[0]
    assert expires.year < 9999  # psycopg decoded it (an 'infinity' raised DataError here)


def test_text_and_json_caps(db, world):
    w = world
    refused(db, "bant_assessments", "SELECT * FROM salesflow.assess_bant(%s, 1, 2, 3, 4, '{}', 'ai', %s)",
            (w.lead_a, "m" * 201), "22023", "p_model")
    refused(db, "bant_assessments", "SELECT * FROM salesflow.assess_bant(%s, 1, 2, 3, 4, %s::jsonb)",
            (w.lead_a, '{"budget": "' + "z" * 100_000 + '"}'), "22023", "p_notes")
    refused(db, "lead_context_summaries", "SELECT salesflow.update_lead_memory(%s, 'S', %s::jsonb)",
            (w.lead_a, '{"a": "' + "z" * 100_000 + '"}'), "22023", "p_key_facts")
    refused(db, "ai_recommendations", "SELECT salesflow.create_ai_recommendation(%s, 'call_back', 'Call', %s)",
            (w.lead_a, "r" * 4001), "22023", "p_reason")
    refused(db, "playbook_executions", "SELECT salesflow.start_playbook(%s, %s)", (w.lead_a, "k" * 201), "22023", "p_playbook_key")
    with pytest.raises(psycopg.errors.InvalidParameterValue, match="p_key"):
        db.execute("SELECT * FROM salesflow.get_ai_prompt(%s, 'de')", (MB,))


def test_formula_helpers_are_total_and_still_inlined(db):
    one = lambda q: db.execute(q).fetchone()  # noqa: E731
    # out-of-domain input gives NULL (or a clamped score), never an error: views inline these per row
    assert one("SELECT salesflow.effective_priority(50, 'infinity', 72, now()), "
               "salesflow.effective_priority(50, now(), 0, now()), salesflow.effective_priority('NaN', now(), 72, now())") \
        == (None, None, None)
    assert one("SELECT salesflow.effective_priority(50, '1900-01-01', 72, now())")[0] == 0  # underflowed (22003) before
    assert one("SELECT salesflow.effective_priority(50, now() - interval '72 hours', 72, now())")[0] == 25
    score = one("SELECT salesflow.lead_health_score(1e300, '1900-01-01', 2147483647, 2147483647, -2, 'won', now())")[0]
    assert 0 <= score <= 100  # integer overflow, exp() underflow and division by zero before
    assert one("SELECT salesflow.lead_health_score(75, now() - interval '2 days', 3, 2, 4, 'meeting', now())")[0] == Decimal("70.4")
    plan = "\n".join(r[0] for r in db.execute(
        "EXPLAIN VERBOSE SELECT salesflow.effective_priority(r.base_priority, r.created_at, r.half_life_hours, now()), "
        "salesflow.lead_health_score(e.bant_score, e.last_inbound_at, e.outbound_count + 1, e.reply_count, e.outbound_count, "
        "'new', now()) FROM salesflow.ai_recommendations AS r, salesflow.lead_engagement AS e"))
    assert "effective_priority" not in plan and "lead_health_score" not in plan, plan


def test_is_valid_regex_caps_the_length(db):
    t0 = time.monotonic()
    assert db.execute("SELECT salesflow.is_valid_regex(repeat('a', 262144))").fetchone()[0] is False  # 107 s before
    assert time.monotonic() - t0 < 0.5
    row = db.execute("SELECT salesflow.is_valid_regex(repeat('a', 4000)), salesflow.is_valid_regex(repeat('a', 4001)), "
                     "salesflow.is_valid_regex('(unclosed'), salesflow.is_valid_regex('(a)\\1'), "
                     "salesflow.is_valid_regex('\\mgarantiert\\M')").fetchone()
    assert row == (True, False, False, False, True)
    # every shipped rule still passes (the longest is ~3000 characters)
    assert db.execute("SELECT bool_and(salesflow.is_valid_regex(pattern)), max(length(pattern)) > 2000 "
                      "FROM salesflow.compliance_rules").fetchone() == (True, True)
    # the deployed function is this file's (functions are applied after migration 0010)
    assert "4000" in db.execute("SELECT prosrc FROM pg_proc WHERE oid = 'salesflow.is_valid_regex(text)'::regprocedure").fetchone()[0]
    t0 = time.monotonic()
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute("INSERT INTO salesflow.compliance_rules (rule_key, category, severity, language, pattern, explanation, "
                   "suggestion) VALUES ('edge_long', 'income_claim', 'high', 'de', repeat('a', 262144), 'e', 's')")
    assert time.monotonic() - t0 < 0.5


def test_shared_validators_keep_each_callers_message_and_hint(db, world):
    """check_text_length / check_jsonb / check_ai_usage serve many RPCs: each caller keeps its own
    message, SQLSTATE 22023 and HINT, and the first failing argument is the one named."""
    w = world
    coach = "SELECT salesflow.record_coaching_turn(NULL, %s, NULL, 'de', %s, 'A.', %s, %s, 0, %s)"
    err = refused(db, "ai_coaching_sessions", coach, (w.rep_a, "Q" * 100001, "m", 0, 0), "22023", "p_question")
    assert err.diag.message_primary == f"p_question is 100001 characters long (at most 100000): '{'Q' * 60}...'"
    assert err.diag.message_hint == "Questions and answers up to 100,000 characters, model names up to 200."
    err = refused(db, "ai_coaching_sessions", coach, (w.rep_a, "Q?", "m" * 201, 0, 0), "22023", "p_model")
    assert err.diag.message_hint == "Questions and answers up to 100,000 characters, model names up to 200."
    err = refused(db, "ai_coaching_sessions", coach, (w.rep_a, "Q?", "m", 0, 86400001), "22023", "p_latency_ms")
    assert err.diag.message_primary == "p_latency_ms must be between 0 and 86400000, got 86400001"
    assert err.diag.message_hint == "Pass the usage the API reported (NULL for unknown)."
    call = "SELECT salesflow.record_ai_call('coach', %s, NULL, 'm', 'k', 'v1', 1, 1, 1, 'ok', NULL, NULL, %s)"
    err = refused(db, "ai_calls", call, (w.lead_a, 1001), "22023", "p_attempts")
    assert err.diag.message_primary == "p_attempts must be between 0 and 1000, got 1001"
    memory = "SELECT salesflow.update_lead_memory(%s, 'Kurz.', '{}'::jsonb, '[]'::jsonb, %s::jsonb)"
    err = refused(db, "lead_context_summaries", memory, (w.lead_a, '{"a": 1}'), "22023", "p_objections")
    assert err.diag.message_primary == "p_objections must be a JSON array, got object"
    assert err.diag.message_hint == 'Pass a list, e.g. ["too expensive"] (or [] for none).'
    err = refused(db, "lead_context_summaries", "SELECT salesflow.update_lead_memory(%s, %s)",
                  (w.lead_a, "S" * 20001), "22023", "p_summary")
    assert err.diag.message_primary == "p_summary is 20001 characters long (at most 20000)"  # no value shown
