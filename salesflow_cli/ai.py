"""`salesflow ai …` and `salesflow search`: LLM on demand, validated, compliance-gated, written back
through the SQL functions in one transaction per item, with usage recorded in salesflow.ai_calls.

Commands: ai profile | bant | memory [--stale] | script | objection | coach | recommend; search.
Prompts come from salesflow.get_ai_prompt(key, language) (shipped defaults or an analyst's
override). Lead texts are untrusted: they go into the prompt between <lead_messages> …
</lead_messages> (and <objection>, <lead_data>) with angle brackets neutralised, so a message can
neither close the block nor pass as an instruction; whatever the model answers still has to pass
pydantic validation and, for texts meant for people, the compliance gate (log_ai_output_compliance)
before anything is shown.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any, Optional

import psycopg
import typer
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from rich.panel import Panel
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import llm as llm_mod
from .acting import act_as_async
from .connection import connect_failure, resolve_dsn
from .errors import EXIT_FAILURE, LockBusy, UserError, not_deployed
from .llm import LLM, Completion, LLMConfig, LLMError, Prompt, Usage, load_config, vector_literal
from .options import Dsn, Json, user_option
from .render import _default as _json_default
from .render import console, err_console, print_json, table

app = typer.Typer(
    name="ai",
    help="AI on demand (needs OPENAI_API_KEY and/or OPENAI_BASE_URL): profile, bant, memory, script, objection, coach, recommend.",
    no_args_is_help=True,
)

MEMORY_LOCK = 0x5346414D  # 'SFAM': one `ai memory --stale` batch at a time
MAX_MESSAGES = 40

# ------------------------------------------------------------------ shared options
Model = Annotated[Optional[str], typer.Option("--model", envvar="SALESFLOW_MODEL", help="Chat model (default gpt-4o-mini).")]
EmbeddingModel = Annotated[
    Optional[str],
    typer.Option("--embedding-model", envvar="SALESFLOW_EMBEDDING_MODEL", help="Embedding model (default text-embedding-3-small)."),
]
BaseUrl = Annotated[
    Optional[str],
    typer.Option("--base-url", envvar="OPENAI_BASE_URL", help="OpenAI-compatible server, e.g. http://localhost:11434/v1 (Ollama)."),
]
ApiKey = Annotated[
    Optional[str],
    typer.Option("--api-key", envvar="OPENAI_API_KEY", show_default=False,
                 help="API key; prefer the environment variable (flags show up in process lists). Never printed."),
]
Timeout = Annotated[Optional[float], typer.Option("--timeout", envvar="SALESFLOW_LLM_TIMEOUT", help="Seconds per HTTP request (default 60).")]
Retries = Annotated[
    Optional[int],
    typer.Option("--retries", envvar="SALESFLOW_LLM_RETRIES", help="Extra attempts on 429/5xx/timeouts, with backoff (default 4)."),
]
User = user_option("Act as this sales user (uuid or email): only their visible leads. Default: the lead's owner.")
Lang = Annotated[Optional[str], typer.Option("--lang", help="Prompt and output language de|en (default: the lead's language).")]
LlmCompliance = Annotated[
    bool,
    typer.Option("--llm-compliance", envvar="SALESFLOW_LLM_COMPLIANCE",
                 help="Also run the LLM compliance filter on generated texts (in addition to the SQL rules)."),
]
Lead = Annotated[str, typer.Argument(help="Lead id (uuid).")]


@dataclass
class Opts:
    dsn: Optional[str]
    json: bool
    user: Optional[str]
    lang: Optional[str]
    llm_compliance: bool
    cfg: LLMConfig
    concurrency: int = 4


@dataclass
class GroupOpts:
    model: Optional[str] = None
    embedding_model: Optional[str] = None
    base_url: Optional[str] = None
    api_key: Optional[str] = None
    timeout: Optional[float] = None
    retries: Optional[int] = None


@app.callback()
def _ai(
    ctx: typer.Context,
    model: Model = None,
    embedding_model: EmbeddingModel = None,
    base_url: BaseUrl = None,
    api_key: ApiKey = None,
    timeout: Timeout = None,
    retries: Retries = None,
) -> None:
    """LLM options apply to every ai command (each also has an environment variable)."""
    ctx.obj = GroupOpts(model, embedding_model, base_url, api_key, timeout, retries)


def _opts(ctx: typer.Context, dsn, as_json, user=None, lang=None, llm_compliance=False, concurrency=4) -> Opts:
    g: GroupOpts = ctx.obj if isinstance(ctx.obj, GroupOpts) else GroupOpts()
    cfg = load_config(api_key=g.api_key, base_url=g.base_url, model=g.model, embedding_model=g.embedding_model,
                      timeout=g.timeout, retries=g.retries)
    if lang is not None and lang not in ("de", "en"):
        raise UserError(f"--lang {lang!r} is not supported", hint="use de or en")
    return Opts(dsn, as_json, user, lang, llm_compliance, cfg, concurrency)


# ------------------------------------------------------------------ prompt material
def neutralise(text: str) -> str:
    """Untrusted text inside a delimited block: no angle brackets, so no tag can be closed or opened."""
    return str(text).replace("<", "‹").replace(">", "›")


def format_messages(messages: list[dict]) -> str:
    lines = []
    for m in messages:
        at = str(m.get("at") or "")[:16].replace("T", " ")
        who = "from lead" if m.get("direction") == "in" else "from sales partner"
        kind = "" if m.get("kind") == "message" else f" | {m.get('kind')}"
        body = neutralise(m.get("body") or "").strip().replace("\r", "")
        body = body.replace("\n", "\n    ")
        lines.append(f"- [{at} | {m.get('channel')} | {who}{kind}] {body}")
    return "\n".join(lines) if lines else "(no messages)"


def data_json(value: Any) -> str:
    """Compact JSON (fewer tokens; the C encoder) of CRM data for a <lead_data> block."""
    return neutralise(json.dumps(value if value is not None else {}, default=_json_default, ensure_ascii=False,
                                 separators=(",", ":")))


def input_hash(messages: list[dict], prompt: Prompt) -> str:
    material = {
        "prompt": prompt.label,
        "messages": [[m.get("id"), m.get("at"), m.get("direction"), m.get("channel"), m.get("kind"), m.get("body")] for m in messages],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


# ------------------------------------------------------------------ session: one DB connection + the LLM
@dataclass
class Gate:
    decision: str
    max_severity: str
    violations: list
    log_id: Optional[int] = None

    @property
    def blocked(self) -> bool:
        return self.decision == "blocked"


@dataclass
class Review:
    """The findings of an LLM compliance review of one text (optional pass), input to the SQL gate."""

    extra: list = field(default_factory=list)
    checker: str = "sql_rules"


class Session:
    def __init__(self, opts: Opts, command: str):
        self.opts = opts
        self.command = command
        self.llm = LLM(opts.cfg, concurrency=opts.concurrency)
        self.conn: psycopg.AsyncConnection | None = None
        self.user_id: Optional[uuid.UUID] = None
        self.user: Optional[dict] = None  # the users row of --user (acting.act_as_async)
        self.prompts: dict[tuple[str, str], Prompt] = {}
        self.dsn = resolve_dsn(opts.dsn)

    async def __aenter__(self) -> "Session":
        self.conn = await self.connect()
        self.user_id = await self.resolve_user(self.conn)
        return self

    async def __aexit__(self, *exc) -> None:
        if self.conn is not None:
            await self.conn.close()
        await self.llm.aclose()

    async def connect(self) -> psycopg.AsyncConnection:
        try:
            conn = await psycopg.AsyncConnection.connect(self.dsn, autocommit=True, application_name=f"salesflow ai {self.command}",
                                                         row_factory=dict_row)
        except psycopg.Error as exc:
            raise connect_failure(self.dsn, exc) from exc
        if self.user is not None:  # every connection of the command acts as the same user
            await act_as_async(conn, user=self.user)
        return conn

    async def resolve_user(self, conn) -> Optional[uuid.UUID]:
        if not self.opts.user:
            return None
        self.user = await act_as_async(conn, self.opts.user)
        return self.user["id"]

    async def one(self, sql: str, params=(), conn=None) -> Optional[dict]:
        return await (await (conn or self.conn).execute(sql, params)).fetchone()

    async def all(self, sql: str, params=(), conn=None) -> list[dict]:
        return await (await (conn or self.conn).execute(sql, params)).fetchall()

    async def prompt(self, key: str, language: str, conn=None) -> Prompt:
        if (key, language) not in self.prompts:
            r = await self.one("SELECT * FROM salesflow.get_ai_prompt(%s, %s)", (key, language), conn)
            self.prompts[(key, language)] = Prompt(
                key=r["prompt_key"], language=r["language"], version=r["version"], origin=r["origin"],
                version_label=r["version_label"], system_prompt=r["system_prompt"], user_template=r["user_template"],
                schema_name=r["schema_name"], json_schema=r["json_schema"], temperature=float(r["temperature"]),
            )
        return self.prompts[(key, language)]

    async def lead_context(self, lead_id: str, conn=None) -> dict:
        row = await self.one("SELECT salesflow.ai_lead_context(%s::uuid, %s) AS c", (lead_id, MAX_MESSAGES), conn)
        return row["c"]

    def language(self, ctx: Optional[dict]) -> str:
        if self.opts.lang:
            return self.opts.lang
        if ctx:
            return ctx["lead"]["language"]
        return "de"

    async def record_call(self, conn, *, lead_id, user_id, prompt: Optional[Prompt], model, usage: Usage, status: str,
                          error: Optional[str] = None, input_hash: Optional[str] = None, command: Optional[str] = None) -> None:
        await conn.execute(
            "SELECT salesflow.record_ai_call(%s, %s::uuid, %s::uuid, %s, %s, %s, %s::int, %s::int, %s::int, %s, %s, %s, %s::int)",
            (command or self.command, lead_id, user_id, model, prompt.key if prompt else None,
             prompt.version_label if prompt else None, usage.prompt_tokens, usage.completion_tokens, usage.latency_ms,
             status, error, input_hash, usage.attempts),
        )

    async def generate(self, prompt: Prompt, user_content: str, *, lead_id=None, user_id=None, history=None,
                       command: Optional[str] = None, ihash: Optional[str] = None, conn=None) -> Completion:
        """One validated structured call; a failure is logged in ai_calls (status error) and re-raised."""
        try:
            return await self.llm.structured(prompt, user_content, history=history)
        except LLMError as exc:
            try:
                await self.record_call(conn or self.conn, lead_id=lead_id, user_id=user_id, prompt=prompt, model=self.opts.cfg.model,
                                       usage=exc.usage, status="error", error=exc.message, input_hash=ihash, command=command)
            except psycopg.Error:
                pass
            raise

    # -------------------------------------------------------------- the compliance gate
    async def review(self, text: str, content_type: str, language: str, *, lead_id, user_id) -> tuple[Review, list]:
        """Optional LLM compliance pass (before the transaction); returns the review and its usage rows."""
        if not self.opts.llm_compliance:
            return Review(), []
        prompt = await self.prompt("compliance_filter", language)
        comp = await self.generate(prompt, prompt.render({"content_type": content_type, "text": neutralise(text)}),
                                   lead_id=lead_id, user_id=user_id, command=f"{self.command} compliance")
        data: llm_mod.ComplianceReview = comp.data
        extra = [
            {"rule_key": f"llm_{_category_key(v.category)}", "category": _category_key(v.category), "severity": v.severity,
             "matched": v.matched, "explanation": v.explanation, "suggestion": v.suggestion}
            for v in data.violations
        ]
        # only the findings go on: log_ai_output_compliance decides over them and the rules' findings
        return Review(extra, "sql_rules+llm"), [(prompt, comp)]

    async def gate(self, conn, text: str, content_type: str, language: str, review: Review, *, lead_id, user_id) -> Gate:
        """log_ai_output_compliance inside the caller's transaction. Its decision (the stricter of the
        rules and the LLM findings, decided in SQL) is the one logged and the one shown: never re-decided here."""
        row = await self.one(
            "SELECT * FROM salesflow.log_ai_output_compliance(%s, %s, %s::uuid, %s, %s, %s::jsonb, %s, %s::uuid)",
            (text, content_type, lead_id, language, self.opts.cfg.model, Jsonb(review.extra), review.checker, user_id),
            conn,
        )
        violations = row["violations"] or []
        if isinstance(violations, str):
            violations = json.loads(violations)
        return Gate(row["decision"], row["max_severity"], violations, row["log_id"])


def _category_key(category: str) -> str:
    """A model's free-form category as the key log_ai_output_compliance expects: ^[a-z][a-z0-9_]{1,39}$."""
    key = "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in (category or "").lower())
    key = "_".join(part for part in key.split("_") if part)
    if not key:
        return "llm_finding"
    if not key[0].isalpha():
        key = "llm_" + key
    return key[:40] if len(key) >= 2 else "llm_finding"


def show_gate(gate: Gate, what: str) -> None:
    """Never prints the blocked text: only why and what to write instead."""
    if gate.decision == "blocked":
        console.print(f"[bold red]{what} blocked by the compliance check[/bold red] (not shown; log #{gate.log_id}).")
    elif gate.decision == "flagged":
        console.print(f"[yellow]{what} flagged by the compliance check[/yellow] (log #{gate.log_id}): review before sending.")
    for v in gate.violations:
        if not isinstance(v, dict):
            continue
        console.print(f"  • [{v.get('severity', '?')}] {v.get('category') or v.get('rule_key')}: {v.get('explanation') or ''}")
        if v.get("suggestion"):
            console.print(f"    suggestion: {v['suggestion']}")


def gate_json(gate: Gate) -> dict:
    return {"decision": gate.decision, "max_severity": gate.max_severity, "log_id": gate.log_id,
            "violations": [{k: v for k, v in x.items() if k != "matched"} for x in gate.violations if isinstance(x, dict)]}


def usage_line(model: str, prompt: Prompt, usage: Usage) -> str:
    return (f"[dim]{model} · {prompt.label} · {usage.prompt_tokens}+{usage.completion_tokens} tokens · "
            f"{usage.latency_ms} ms · {usage.attempts} HTTP attempt(s)[/dim]")


def run(coro):
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        raise UserError("interrupted: finished items are committed; run the command again to continue", exit_code=130) from None


async def _owner(s: Session, ctx: dict) -> uuid.UUID:
    return s.user_id or uuid.UUID(str(ctx["owner"]["id"]))


# ------------------------------------------------------------------ ai profile
@app.command("profile")
def profile_command(ctx: typer.Context, lead: Lead, dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None) -> None:
    """NEURO-PROFILER: DISG profile from the lead's messages → record_personality_profile (source ai, with evidence)."""
    opts = _opts(ctx, dsn, as_json, user, lang)
    run(_profile(opts, lead))


async def _profile(opts: Opts, lead: str) -> None:
    async with Session(opts, "profile") as s:
        c = await s.lead_context(lead)
        owner = uuid.UUID(str(c["owner"]["id"]))
        p = await s.prompt("neuro_profiler", s.language(c))
        comp = await s.generate(p, p.render({"lead_json": data_json(c["lead"]), "lead_messages": format_messages(c["messages"])}),
                                lead_id=lead, user_id=owner)
        d: llm_mod.DisgProfile = comp.data
        evidence = [e.model_dump() for e in d.evidence]
        async with s.conn.transaction():
            row = await s.one(
                "SELECT * FROM salesflow.record_personality_profile(%s::uuid, %s::int, %s::int, %s::int, %s::int, 'ai', %s::numeric, %s::jsonb, %s)",
                (lead, d.d, d.i, d.s, d.g, round(d.confidence, 2), Jsonb(evidence), comp.model))
            await s.record_call(s.conn, lead_id=lead, user_id=owner, prompt=p, model=comp.model, usage=comp.usage, status="ok")
    result = {"lead_id": lead, "profile_id": row["profile_id"], "primary_type": row["primary_type"],
              "secondary_type": row["secondary_type"], "scores": {"D": d.d, "I": d.i, "S": d.s, "G": d.g},
              "confidence": d.confidence, "evidence": evidence, "summary": d.summary, "communication_tips": d.communication_tips,
              "model": comp.model, "prompt_version": p.label, "usage": comp.usage.__dict__}
    if opts.json:
        print_json(result)
        return
    console.print(f"DISG profile #{row['profile_id']}: primary [bold]{row['primary_type']}[/bold], secondary {row['secondary_type']} "
                  f"(confidence {d.confidence:.2f})")
    console.print(table(None, ["D", "I", "S", "G"], [(d.d, d.i, d.s, d.g)]))
    console.print(d.summary)
    for e in d.evidence:
        console.print(f"  • {e.type}: “{e.quote}” — {e.reasoning}")
    for tip in d.communication_tips:
        console.print(f"  tip: {tip}")
    console.print(usage_line(comp.model, p, comp.usage))


# ------------------------------------------------------------------ ai bant
@app.command("bant")
def bant_command(ctx: typer.Context, lead: Lead, dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None) -> None:
    """DEAL-MEDIC: BANT diagnosis from the conversation → assess_bant (source ai, notes per dimension)."""
    opts = _opts(ctx, dsn, as_json, user, lang)
    run(_bant(opts, lead))


async def _bant(opts: Opts, lead: str) -> None:
    async with Session(opts, "bant") as s:
        c = await s.lead_context(lead)
        owner = uuid.UUID(str(c["owner"]["id"]))
        p = await s.prompt("deal_medic", s.language(c))
        comp = await s.generate(p, p.render({"lead_json": data_json(c["lead"]), "lead_messages": format_messages(c["messages"])}),
                                lead_id=lead, user_id=owner)
        b: llm_mod.BantAssessment = comp.data
        notes = {dim: {"evidence": getattr(b, dim).evidence, "next_question": getattr(b, dim).next_question}
                 for dim in ("budget", "authority", "need", "timeline")}
        notes.update(summary=b.summary, biggest_risk=b.biggest_risk, prompt_version=p.label)
        async with s.conn.transaction():
            row = await s.one(
                "SELECT * FROM salesflow.assess_bant(%s::uuid, %s::int, %s::int, %s::int, %s::int, %s::jsonb, 'ai', %s)",
                (lead, b.budget.score, b.authority.score, b.need.score, b.timeline.score, Jsonb(notes), comp.model))
            await s.record_call(s.conn, lead_id=lead, user_id=owner, prompt=p, model=comp.model, usage=comp.usage, status="ok")
    result = {"lead_id": lead, "assessment_id": row["assessment_id"], "total_score": row["total_score"],
              "traffic_light": row["traffic_light"], "weakest": row["weakest"],
              "scores": {d: getattr(b, d).score for d in ("budget", "authority", "need", "timeline")}, "notes": notes,
              "model": comp.model, "prompt_version": p.label, "usage": comp.usage.__dict__}
    if opts.json:
        print_json(result)
        return
    console.print(f"BANT assessment #{row['assessment_id']}: {row['total_score']}/100 [bold]{row['traffic_light']}[/bold], "
                  f"weakest: {row['weakest']}")
    console.print(table(None, ["dimension", "score", "evidence", "next question"],
                        [(d, getattr(b, d).score, getattr(b, d).evidence, getattr(b, d).next_question)
                         for d in ("budget", "authority", "need", "timeline")]))
    console.print(f"{b.summary}\nbiggest risk: {b.biggest_risk}")
    console.print(usage_line(comp.model, p, comp.usage))


# ------------------------------------------------------------------ ai memory
@app.command("memory")
def memory_command(
    ctx: typer.Context,
    lead: Annotated[Optional[str], typer.Argument(help="Lead id (uuid); omit with --stale.")] = None,
    stale: Annotated[bool, typer.Option("--stale", help="All leads whose memory is missing or stale (batch).")] = False,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, max=64, envvar="SALESFLOW_AI_CONCURRENCY",
                                             help="Parallel LLM calls in a batch.")] = 4,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many leads in a batch.")] = 1000,
    dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", envvar="SALESFLOW_QUIET", help="No progress bar.")] = False,
) -> None:
    """AUTO-MEMORY: summary, facts, pain points, objections, next steps → update_lead_memory (+ embedding).

    With --stale: every visible lead whose memory is missing or stale, concurrently; a lead whose
    messages and prompt version are unchanged (same input hash) makes no call. Each lead commits
    on its own, so an interrupted batch loses nothing and a re-run continues where it stopped.
    """
    if bool(lead) == stale:
        raise UserError("give either a LEAD id or --stale", hint="salesflow ai memory LEAD  |  salesflow ai memory --stale")
    opts = _opts(ctx, dsn, as_json, user, lang, concurrency=concurrency)
    if stale:
        summary = run(_memory_batch(opts, limit, quiet))
        if summary["failed"]:
            raise typer.Exit(EXIT_FAILURE)
    else:
        run(_memory_one(opts, lead))


async def _has_vector(conn) -> bool:
    row = await (await conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'salesflow' AND p.proname = 'store_lead_embedding') AS ok")).fetchone()
    return bool(row["ok"])


class Embedder:
    """Micro-batches embedding requests of concurrent workers into one HTTP call (up to max_batch
    texts, waiting at most max_wait seconds): half the HTTP calls of a memory batch."""

    def __init__(self, s: Session, max_batch: int = 32, max_wait: float = 0.01):
        self.s, self.max_batch, self.max_wait = s, max_batch, max_wait
        self.pending: list[tuple[str, asyncio.Future]] = []
        self.timer: Optional[asyncio.TimerHandle] = None
        self.batches: list[tuple[int, Usage, str]] = []  # (texts, usage, model) for the usage log
        self.tasks: set[asyncio.Task] = set()

    async def __call__(self, text: str) -> list[float]:
        fut = asyncio.get_running_loop().create_future()
        self.pending.append((text, fut))
        if len(self.pending) >= self.max_batch:
            self._flush()
        elif self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(self.max_wait, self._flush)
        return await fut

    def _flush(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        batch, self.pending = self.pending, []
        if batch:
            task = asyncio.ensure_future(self._run(batch))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _run(self, batch) -> None:
        try:
            vectors, usage, model = await self.s.llm.embed([t for t, _ in batch])
        except Exception as exc:  # noqa: BLE001 - handed to every waiting item
            usage = exc.usage if isinstance(exc, LLMError) else Usage()
            self.batches.append((len(batch), usage, "error: " + (exc.message if isinstance(exc, UserError) else str(exc))))
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        self.model = model
        self.batches.append((len(batch), usage, model))
        for (_, fut), vec in zip(batch, vectors):
            if not fut.done():
                fut.set_result(vec)

    async def log(self, conn, user_id) -> None:
        """One ai_calls row per embedding HTTP call (status ok or error)."""
        for n, usage, model in self.batches:
            failed = model.startswith("error: ")
            await self.s.record_call(conn, lead_id=None, user_id=user_id, prompt=None,
                                     model=self.s.opts.cfg.embedding_model if failed else model, usage=usage,
                                     status="error" if failed else "ok", error=model[7:] if failed else None,
                                     command="memory embedding")
        self.batches.clear()


_WRITE_MEMORY = """
SELECT salesflow.update_lead_memory(%(lead)s::uuid, %(summary)s, %(facts)s::jsonb, %(pains)s::jsonb, %(objections)s::jsonb,
                                    %(steps)s::jsonb, %(hash)s, %(model)s, %(pv)s) AS version,
       salesflow.store_lead_embedding(%(lead)s::uuid, 'summary', %(summary)s, %(emodel)s, %(vector)s) AS embedding_id,
       salesflow.record_ai_call(%(command)s, %(lead)s::uuid, %(owner)s::uuid, %(model)s, %(pkey)s, %(pvl)s, %(pt)s::int,
                                %(ct)s::int, %(ms)s::int, 'ok', NULL, %(hash)s, %(attempts)s::int) AS call_id
"""
_WRITE_MEMORY_NO_VECTOR = _WRITE_MEMORY.replace(
    "salesflow.store_lead_embedding(%(lead)s::uuid, 'summary', %(summary)s, %(emodel)s, %(vector)s)", "NULL::bigint")
assert _WRITE_MEMORY_NO_VECTOR != _WRITE_MEMORY


async def _memory_item(s: Session, conn, c: dict, with_vector: bool, force: bool, embed=None, defer=None) -> Optional[dict]:
    """One lead (its ai_lead_context c): cached, or LLM (+ embedding), then ONE statement = one
    transaction writes memory, embedding and usage. Returns an outcome dict, or None when
    `defer` took the embedding + write step (a batch pipelines it while the next call runs)."""
    lead = str(c["lead"]["id"])
    owner = uuid.UUID(str(c["owner"]["id"]))
    p = await s.prompt("memory_extraction", s.language(c), conn)
    ihash = input_hash(c["messages"], p)
    memory = c.get("memory") or {}
    if not force and memory.get("input_hash") == ihash:
        async with conn.transaction():
            await conn.execute("SELECT salesflow.mark_lead_memory_current(%s::uuid, %s)", (lead, ihash))
            await s.record_call(conn, lead_id=lead, user_id=owner, prompt=p, model=None, usage=Usage(attempts=0),
                                status="cached", input_hash=ihash)
        return {"lead_id": lead, "status": "cached", "version": memory.get("version"), "usage": Usage()}
    previous = {k: memory.get(k) for k in ("summary", "key_facts", "pain_points", "objections", "next_steps")} if memory else {}
    comp = await s.generate(
        p, p.render({"lead_json": data_json(c["lead"]), "memory_json": data_json(previous),
                     "lead_messages": format_messages(c["messages"])}),
        lead_id=lead, user_id=owner, ihash=ihash, conn=conn)
    finish = _memory_finish(s, conn, lead, owner, p, ihash, comp, with_vector, embed)
    if defer is not None:
        await defer(finish)
        return None
    return await finish()


def _memory_finish(s: Session, conn, lead: str, owner, p: Prompt, ihash: str, comp: Completion, with_vector: bool, embed):
    async def finish() -> dict:
        m: llm_mod.LeadMemory = comp.data
        vector = await (embed or _embed_one(s))(m.summary) if with_vector else None
        return await _memory_write(s, conn, lead, owner, p, ihash, comp, vector)
    return finish


async def _memory_write(s: Session, conn, lead: str, owner, p: Prompt, ihash: str, comp: Completion, vector) -> dict:
    m: llm_mod.LeadMemory = comp.data
    facts = {f.key: f.value for f in m.key_facts}
    params = {
        "lead": lead, "summary": m.summary, "facts": Jsonb(facts), "pains": Jsonb(m.pain_points),
        "objections": Jsonb(m.objections), "steps": Jsonb(m.next_steps), "hash": ihash, "model": comp.model,
        "pv": p.label, "vector": vector_literal(vector) if vector is not None else None, "emodel": s.opts.cfg.embedding_model,
        "command": s.command, "owner": owner, "pkey": p.key, "pvl": p.version_label, "pt": comp.usage.prompt_tokens,
        "ct": comp.usage.completion_tokens, "ms": comp.usage.latency_ms, "attempts": comp.usage.attempts,
    }
    row = await s.one(_WRITE_MEMORY if vector is not None else _WRITE_MEMORY_NO_VECTOR, params, conn)
    return {"lead_id": lead, "status": "ok", "version": row["version"], "usage": comp.usage,
            "summary": m.summary, "key_facts": facts, "pain_points": m.pain_points, "objections": m.objections,
            "next_steps": m.next_steps, "model": comp.model, "prompt_version": p.label, "embedded": vector is not None}


def _embed_one(s: Session):
    async def embed(text: str) -> list[float]:
        try:
            vectors, usage, model = await s.llm.embed([text])
        except LLMError as exc:
            await s.record_call(s.conn, lead_id=None, user_id=s.user_id, prompt=None, model=s.opts.cfg.embedding_model,
                                usage=exc.usage, status="error", error=exc.message, command="memory embedding")
            raise
        await s.record_call(s.conn, lead_id=None, user_id=s.user_id, prompt=None, model=model, usage=usage, status="ok",
                            command="memory embedding")
        return vectors[0]
    return embed


async def _memory_one(opts: Opts, lead: str) -> None:
    async with Session(opts, "memory") as s:
        c = await s.lead_context(lead)
        out = await _memory_item(s, s.conn, c, await _has_vector(s.conn), force=True)
    if opts.json:
        out = dict(out, usage=out["usage"].__dict__)
        print_json(out)
        return
    console.print(f"memory of lead {lead}: version [bold]{out['version']}[/bold]" + (" (embedded)" if out["embedded"] else ""))
    console.print(Panel(out["summary"], title="summary", title_align="left"))
    for label in ("pain_points", "objections", "next_steps"):
        if out[label]:
            console.print(f"{label.replace('_', ' ')}: " + "; ".join(out[label]))
    if out["key_facts"]:
        console.print("facts: " + "; ".join(f"{k}: {v}" for k, v in out["key_facts"].items()))
    console.print(f"[dim]{out['model']} · {out['prompt_version']} · {out['usage'].prompt_tokens}+{out['usage'].completion_tokens} "
                  f"tokens · {out['usage'].latency_ms} ms[/dim]")


CONTEXT_CHUNK = 200


async def _memory_batch(opts: Opts, limit: int, quiet: bool) -> dict:
    started = time.perf_counter()
    async with Session(opts, "memory") as s:
        got = await s.one("SELECT pg_try_advisory_lock(%s) AS ok", (MEMORY_LOCK,))
        if not got["ok"]:
            raise LockBusy("another `salesflow ai memory --stale` batch is running", hint="wait for it to finish")
        try:
            with_vector = await _has_vector(s.conn)
            todo = [str(r["lead_id"]) for r in
                    await s.all("SELECT lead_id FROM salesflow.ai_stale_leads(%s::int, %s::uuid)", (limit, s.user_id))]
            stats = {"leads": len(todo), "ok": 0, "cached": 0, "failed": 0, "prompt_tokens": 0, "completion_tokens": 0}
            errors: list[str] = []
            n_workers = max(1, min(opts.concurrency, len(todo)))
            # DB connections: the workers hold one only for their short DB steps, never across an LLM call
            pool: asyncio.Queue = asyncio.Queue()
            extra = [await s.connect() for _ in range(min(n_workers, 8) - 1)] if todo else []
            for c in [s.conn] + extra:
                pool.put_nowait(c)
            queue: asyncio.Queue = asyncio.Queue(maxsize=2 * CONTEXT_CHUNK)
            embedder = Embedder(s, max_batch=64, max_wait=0.1)

            progress = Progress(TextColumn("memory"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"),
                                TimeElapsedColumn(), console=err_console, disable=quiet or opts.json or not todo,
                                transient=False)
            task = progress.add_task("memory", total=len(todo), info="")

            async def produce():
                """Contexts in chunks: one query per CONTEXT_CHUNK leads instead of one per lead."""
                for i in range(0, len(todo), CONTEXT_CHUNK):
                    conn = await pool.get()
                    try:
                        rows = await s.all(
                            "SELECT salesflow.ai_lead_context(id, %s) AS c FROM unnest(%s::uuid[]) WITH ORDINALITY AS t (id, n) "
                            "ORDER BY n", (MAX_MESSAGES, todo[i:i + CONTEXT_CHUNK]), conn)
                    finally:
                        pool.put_nowait(conn)
                    for r in rows:
                        await queue.put(r["c"])
                for _ in range(n_workers):
                    await queue.put(None)

            def account(lead_id, out=None, exc=None):
                if exc is None:
                    stats[out["status"]] += 1
                    stats["prompt_tokens"] += out["usage"].prompt_tokens
                    stats["completion_tokens"] += out["usage"].completion_tokens
                else:
                    stats["failed"] += 1
                    msg = exc.message if isinstance(exc, UserError) else str(exc).strip().splitlines()[0]
                    errors.append(f"{lead_id}: {msg}")
                progress.update(task, advance=1, info=f"calls {s.llm.http_calls} · failed {stats['failed']}")

            # embedding + write run behind the chat calls: a worker moves on to its next lead while
            # its finished one waits for a shared embedding request (bounded: back-pressure)
            write_slots = asyncio.Semaphore(4 * n_workers)
            pending: set[asyncio.Task] = set()

            async def finish_in_background(lead_id, finish):
                try:
                    account(lead_id, out=await finish())
                except (LLMError, psycopg.Error, UserError) as exc:
                    account(lead_id, exc=exc)
                finally:
                    write_slots.release()

            async def work(c: dict):
                lead_id = c["lead"]["id"]

                async def defer(finish):
                    await write_slots.acquire()
                    t = asyncio.ensure_future(finish_in_background(lead_id, finish))
                    pending.add(t)
                    t.add_done_callback(pending.discard)

                try:
                    out = await _memory_item(s, _Lease(pool), c, with_vector, force=False, embed=embedder, defer=defer)
                except (LLMError, psycopg.Error, UserError) as exc:
                    account(lead_id, exc=exc)
                else:
                    if out is not None:
                        account(lead_id, out=out)

            async def worker():
                while (c := await queue.get()) is not None:
                    await work(c)

            with progress:
                await asyncio.gather(produce(), *(worker() for _ in range(n_workers)))
                while pending:
                    await asyncio.gather(*list(pending))
            await embedder.log(s.conn, s.user_id)
            for c in extra:
                await c.close()
        finally:
            await s.conn.execute("SELECT pg_advisory_unlock(%s)", (MEMORY_LOCK,))
        elapsed = time.perf_counter() - started
        stats.update(http_calls=s.llm.http_calls, seconds=round(elapsed, 3),
                     leads_per_second=round(len(todo) / elapsed, 1) if elapsed > 0 else None, errors=errors[:20])
    if opts.json:
        print_json(stats)
    else:
        console.print(
            f"memory batch: {stats['leads']} lead(s): {stats['ok']} updated, {stats['cached']} unchanged (no call), "
            f"{stats['failed']} failed · {stats['http_calls']} HTTP call(s) · "
            f"{stats['prompt_tokens']}+{stats['completion_tokens']} tokens · {elapsed:.1f} s"
            + (f" · {stats['leads_per_second']} leads/s" if todo else ""))
        for e in errors[:20]:
            err_console.print(f"  failed {e}")
    return stats


class _Lease:
    """A connection-like object for _memory_item: each execute borrows a pooled connection;
    transaction() holds one for the whole block. Nothing is held while the LLM is called."""

    def __init__(self, pool: asyncio.Queue):
        self.pool = pool
        self._held = None  # the connection of an open transaction() block

    async def execute(self, sql, params=()):
        if self._held is not None:
            cur = await self._held.execute(sql, params)
            return _Rows(await cur.fetchall() if cur.description else [])
        conn = await self.pool.get()
        try:
            cur = await conn.execute(sql, params)
            rows = await cur.fetchall() if cur.description else []
        finally:
            self.pool.put_nowait(conn)
        return _Rows(rows)

    def transaction(self):
        lease = self

        class _Tx:
            async def __aenter__(self):
                self.conn = await lease.pool.get()
                self.tx = self.conn.transaction()
                await self.tx.__aenter__()
                lease._held = self.conn
                return self

            async def __aexit__(self, *exc):
                try:
                    return await self.tx.__aexit__(*exc)
                finally:
                    lease._held = None
                    lease.pool.put_nowait(self.conn)
        return _Tx()


class _Rows:
    def __init__(self, rows):
        self.rows = rows

    async def fetchone(self):
        return self.rows[0] if self.rows else None

    async def fetchall(self):
        return self.rows


# ------------------------------------------------------------------ ai script
async def _disg_material(s: Session, lead: str) -> dict:
    profile = await s.one("SELECT * FROM salesflow.get_lead_disg(%s::uuid)", (lead,))
    guidance = await s.one("SELECT salesflow.generate_disg_recommendations(%s::uuid) AS g", (lead,))
    return {"profile": profile, "guidance": guidance["g"] if guidance else None}


@app.command("script")
def script_command(
    ctx: typer.Context, lead: Lead,
    goal: Annotated[Optional[str], typer.Option("--goal", help="What the message should achieve.")] = None,
    dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None, llm_compliance: LlmCompliance = False,
) -> None:
    """Personalised message (DISG type, memory, best channel); shown only after the compliance gate."""
    opts = _opts(ctx, dsn, as_json, user, lang, llm_compliance)
    run(_script(opts, lead, goal))


async def _script(opts: Opts, lead: str, goal: Optional[str]) -> None:
    async with Session(opts, "script") as s:
        c = await s.lead_context(lead)
        owner = uuid.UUID(str(c["owner"]["id"]))
        language = s.language(c)
        p = await s.prompt("script_generation", language)
        disg = await _disg_material(s, lead)
        window = await s.all("SELECT * FROM salesflow.get_best_contact_window(%s::uuid, 3)", (lead,))
        default_goal = "Nächsten Schritt vereinbaren" if language == "de" else "Agree on the next step"
        comp = await s.generate(p, p.render({
            "goal": neutralise(goal or default_goal), "lead_json": data_json(c["lead"]), "disg_json": data_json(disg),
            "memory_json": data_json(c.get("memory")), "contact_window_json": data_json(window),
            "lead_messages": format_messages(c["messages"])}), lead_id=lead, user_id=owner)
        sc: llm_mod.SalesScript = comp.data
        text = (f"{sc.subject}\n\n" if sc.subject else "") + sc.message
        review, extra_calls = await s.review(text, "script", language, lead_id=lead, user_id=owner)
        async with s.conn.transaction():
            gate = await s.gate(s.conn, text, "script", language, review, lead_id=lead, user_id=owner)
            await s.record_call(s.conn, lead_id=lead, user_id=owner, prompt=p, model=comp.model, usage=comp.usage, status="ok")
            for rp, rc in extra_calls:
                await s.record_call(s.conn, lead_id=lead, user_id=owner, prompt=rp, model=rc.model, usage=rc.usage,
                                    status="ok", command="script compliance")
    if opts.json:
        out = {"lead_id": lead, "compliance": gate_json(gate), "model": comp.model, "prompt_version": p.label,
               "usage": comp.usage.__dict__}
        if not gate.blocked:
            out.update(channel=sc.channel, subject=sc.subject, message=sc.message, call_to_action=sc.call_to_action,
                       disg_adaptations=sc.disg_adaptations, personalization_notes=sc.personalization_notes)
        print_json(out)
        return
    show_gate(gate, "script")
    if not gate.blocked:
        console.print(Panel(text, title=f"{sc.channel} message", title_align="left"))
        console.print(f"call to action: {sc.call_to_action}")
        for a in sc.disg_adaptations:
            console.print(f"  DISG: {a}")
    console.print(usage_line(comp.model, p, comp.usage))


# ------------------------------------------------------------------ ai objection
@app.command("objection")
def objection_command(
    ctx: typer.Context, lead: Lead,
    text: Annotated[str, typer.Argument(help="The lead's objection, in their words.")],
    dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None, llm_compliance: LlmCompliance = False,
) -> None:
    """FEUERLÖSCHER: 2-3 replies to an objection; each passes the compliance gate before it is shown."""
    if not text.strip():
        raise UserError("the objection text is empty", hint='salesflow ai objection LEAD "Das ist mir zu teuer"')
    opts = _opts(ctx, dsn, as_json, user, lang, llm_compliance)
    run(_objection(opts, lead, text))


async def _objection(opts: Opts, lead: str, text: str) -> None:
    async with Session(opts, "objection") as s:
        c = await s.lead_context(lead)
        owner = uuid.UUID(str(c["owner"]["id"]))
        language = s.language(c)
        p = await s.prompt("objection_handler", language)
        disg = await _disg_material(s, lead)
        comp = await s.generate(p, p.render({
            "objection": neutralise(text), "lead_json": data_json(c["lead"]), "disg_json": data_json(disg),
            "memory_json": data_json(c.get("memory")), "lead_messages": format_messages(c["messages"])}),
            lead_id=lead, user_id=owner)
        o: llm_mod.ObjectionReply = comp.data
        reviews = [await s.review(r.text, "objection_reply", language, lead_id=lead, user_id=owner) for r in o.responses]
        async with s.conn.transaction():
            gates = [await s.gate(s.conn, r.text, "objection_reply", language, rv, lead_id=lead, user_id=owner)
                     for r, (rv, _) in zip(o.responses, reviews)]
            await s.record_call(s.conn, lead_id=lead, user_id=owner, prompt=p, model=comp.model, usage=comp.usage, status="ok")
            for _, calls in reviews:
                for rp, rc in calls:
                    await s.record_call(s.conn, lead_id=lead, user_id=owner, prompt=rp, model=rc.model, usage=rc.usage,
                                        status="ok", command="objection compliance")
    if opts.json:
        print_json({"lead_id": lead, "objection_type": o.objection_type, "underlying_concern": o.underlying_concern,
                    "responses": [dict({"technique": r.technique, "compliance": gate_json(g)},
                                       **({} if g.blocked else {"text": r.text})) for r, g in zip(o.responses, gates)],
                    "recommended_index": o.recommended_index, "follow_up_question": o.follow_up_question,
                    "model": comp.model, "prompt_version": p.label, "usage": comp.usage.__dict__})
        return
    console.print(f"objection type: [bold]{o.objection_type}[/bold] — {o.underlying_concern}")
    for i, (r, g) in enumerate(zip(o.responses, gates)):
        mark = " (recommended)" if i == o.recommended_index else ""
        if g.blocked:
            show_gate(g, f"reply {i + 1}")
            continue
        show_gate(g, f"reply {i + 1}")
        console.print(Panel(r.text, title=f"{i + 1}. {r.technique}{mark}", title_align="left"))
    console.print(f"follow-up question: {o.follow_up_question}")
    console.print(usage_line(comp.model, p, comp.usage))


# ------------------------------------------------------------------ ai coach
@app.command("coach")
def coach_command(
    ctx: typer.Context,
    question: Annotated[Optional[str], typer.Argument(help="Your question; omit for an interactive session.")] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="Coach about this lead (uuid).")] = None,
    dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None, llm_compliance: LlmCompliance = False,
) -> None:
    """AI coach: one answer to QUESTION, or a chat (empty line ends it); history in ai_coaching_sessions."""
    opts = _opts(ctx, dsn, as_json, user, lang, llm_compliance)
    run(_coach(opts, question, lead))


async def _coach(opts: Opts, question: Optional[str], lead: Optional[str]) -> None:
    async with Session(opts, "coach") as s:
        c = await s.lead_context(lead) if lead else None
        coached = s.user_id or (uuid.UUID(str(c["owner"]["id"])) if c else None)
        if coached is None:
            raise UserError("ai coach needs to know whom it coaches", hint="pass --user ID|EMAIL (or --lead LEAD to coach the lead's owner)")
        if c is None:
            row = await s.one("SELECT language FROM salesflow.users WHERE id = %s", (coached,))
            language = opts.lang or (row["language"] if row else "de")
        else:
            language = s.language(c)
        p = await s.prompt("ai_coach", language)
        session_id: Optional[int] = None
        history: list[dict] = []
        interactive = question is None
        if interactive and not opts.json:
            console.print("AI coach — ask a question; an empty line ends the session.")
        while True:
            q = question if not interactive else await asyncio.to_thread(_ask)
            if not q or not q.strip():
                break
            comp = await s.generate(p, p.render({
                "question": neutralise(q), "lead_json": data_json(c["lead"]) if c else "{}",
                "lead_messages": format_messages(c["messages"]) if c else "(no lead)"}),
                lead_id=lead, user_id=coached, history=history)
            a: llm_mod.CoachAnswer = comp.data
            review, extra_calls = await s.review(a.answer, "coach_answer", language, lead_id=lead, user_id=coached)
            async with s.conn.transaction():
                gate = await s.gate(s.conn, a.answer, "coach_answer", language, review, lead_id=lead, user_id=coached)
                stored = a.answer if not gate.blocked else f"[blocked by the compliance check, log #{gate.log_id}]"
                session_id = (await s.one(
                    "SELECT salesflow.record_coaching_turn(%s::bigint, %s::uuid, %s::uuid, %s, %s, %s, %s, %s::int, %s::int, %s::int) AS id",
                    (session_id, coached, lead, language, q, stored, comp.model, comp.usage.prompt_tokens,
                     comp.usage.completion_tokens, comp.usage.latency_ms)))["id"]
                await s.record_call(s.conn, lead_id=lead, user_id=coached, prompt=p, model=comp.model, usage=comp.usage, status="ok")
                for rp, rc in extra_calls:
                    await s.record_call(s.conn, lead_id=lead, user_id=coached, prompt=rp, model=rc.model, usage=rc.usage,
                                        status="ok", command="coach compliance")
            history += [{"role": "user", "content": neutralise(q)}, {"role": "assistant", "content": stored}]
            if opts.json:
                out = {"session_id": session_id, "compliance": gate_json(gate), "model": comp.model,
                       "prompt_version": p.label, "usage": comp.usage.__dict__}
                if not gate.blocked:
                    out.update(answer=a.answer, suggested_actions=a.suggested_actions)
                print_json(out)
            else:
                show_gate(gate, "answer")
                if not gate.blocked:
                    console.print(Panel(a.answer, title="coach", title_align="left"))
                    for act in a.suggested_actions:
                        console.print(f"  → {act}")
                console.print(usage_line(comp.model, p, comp.usage) + f" [dim]· session {session_id}[/dim]")
            if not interactive:
                break


def _ask() -> Optional[str]:
    try:
        return input("you> ")
    except EOFError:
        return None


# ------------------------------------------------------------------ ai recommend
@app.command("recommend")
def recommend_command(
    ctx: typer.Context, lead: Lead, dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None,
    llm_compliance: LlmCompliance = False,
) -> None:
    """Recommendation engine: 1-3 next best actions → create_ai_recommendation (source ai), compliance-gated."""
    opts = _opts(ctx, dsn, as_json, user, lang, llm_compliance)
    run(_recommend(opts, lead))


async def _recommend(opts: Opts, lead: str) -> None:
    async with Session(opts, "recommend") as s:
        c = await s.lead_context(lead)
        owner = uuid.UUID(str(c["owner"]["id"]))
        language = s.language(c)
        p = await s.prompt("recommendation_engine", language)
        intel = await s.one("SELECT salesflow.get_lead_intelligence(%s::uuid) AS i", (lead,))
        comp = await s.generate(p, p.render({"intelligence_json": data_json(intel["i"]),
                                             "lead_messages": format_messages(c["messages"])}), lead_id=lead, user_id=owner)
        recs: list[llm_mod.Recommendation] = comp.data.recommendations
        texts = ["\n".join(x for x in (r.title, r.reason, r.suggested_message) if x) for r in recs]
        reviews = [await s.review(t, "recommendation", language, lead_id=lead, user_id=owner) for t in texts]
        results = []
        async with s.conn.transaction():
            for r, t, (rv, _) in zip(recs, texts, reviews):
                g = await s.gate(s.conn, t, "recommendation", language, rv, lead_id=lead, user_id=owner)
                rec_id = None
                if not g.blocked:
                    action = {"channel": r.channel, "suggested_message": r.suggested_message, "due_in_hours": r.due_in_hours,
                              "model": comp.model, "prompt_version": p.label, "compliance": g.decision}
                    rec_id = (await s.one(
                        "SELECT salesflow.create_ai_recommendation(%s::uuid, %s, %s, %s, %s::jsonb, %s::numeric, 72, NULL, 'ai') AS id",
                        (lead, r.rec_type, r.title, r.reason, Jsonb(action), r.priority)))["id"]
                results.append((r, g, rec_id))
            await s.record_call(s.conn, lead_id=lead, user_id=owner, prompt=p, model=comp.model, usage=comp.usage, status="ok")
            for _, calls in reviews:
                for rp, rc in calls:
                    await s.record_call(s.conn, lead_id=lead, user_id=owner, prompt=rp, model=rc.model, usage=rc.usage,
                                        status="ok", command="recommend compliance")
    if opts.json:
        print_json({"lead_id": lead, "recommendations": [
            dict({"recommendation_id": rid, "rec_type": r.rec_type, "compliance": gate_json(g)},
                 **({} if g.blocked else {"title": r.title, "reason": r.reason, "channel": r.channel,
                                          "suggested_message": r.suggested_message, "priority": r.priority,
                                          "due_in_hours": r.due_in_hours}))
            for r, g, rid in results], "model": comp.model, "prompt_version": p.label, "usage": comp.usage.__dict__})
        return
    for r, g, rid in results:
        show_gate(g, f"recommendation {r.rec_type}")
        if not g.blocked:
            console.print(f"#{rid} [bold]{r.title}[/bold] ({r.rec_type}, priority {r.priority}, due in {r.due_in_hours} h"
                          + (f", {r.channel}" if r.channel else "") + f")\n   {r.reason}")
            if r.suggested_message:
                console.print(f"   suggested: {r.suggested_message}")
    console.print(usage_line(comp.model, p, comp.usage))


# ------------------------------------------------------------------ salesflow search
def search_command(
    query: Annotated[str, typer.Argument(help="What you are looking for, in words.")],
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=200, help="How many leads.")] = 10,
    dsn: Dsn = None, as_json: Json = False, user: User = None,
    embedding_model: EmbeddingModel = None, base_url: BaseUrl = None, api_key: ApiKey = None,
    timeout: Timeout = None, retries: Retries = None,
) -> None:
    """Semantic search over lead memories and texts (pgvector): the leads nearest in meaning to QUERY."""
    if not query.strip():
        raise UserError("the search text is empty", hint='salesflow search "sucht Nebeneinkommen, wenig Zeit"')
    cfg = load_config(api_key=api_key, base_url=base_url, embedding_model=embedding_model, timeout=timeout, retries=retries)
    opts = Opts(dsn, as_json, user, None, False, cfg)
    run(_search(opts, query, limit))


async def _search(opts: Opts, query: str, limit: int) -> None:
    async with Session(opts, "search") as s:
        if not await _has_vector(s.conn):
            if (await s.one("SELECT to_regnamespace('salesflow') IS NULL AS absent"))["absent"]:
                raise not_deployed(s.conn.info.dbname)
            raise UserError("semantic search is not installed: this server has no pgvector extension",
                            hint="install pgvector on the server and run salesflow deploy again", exit_code=EXIT_FAILURE)
        try:
            vectors, usage, model = await s.llm.embed([query])
        except LLMError as exc:
            await s.record_call(s.conn, lead_id=None, user_id=s.user_id, prompt=None, model=opts.cfg.embedding_model,
                                usage=exc.usage, status="error", error=exc.message)
            raise
        async with s.conn.transaction():
            rows = await s.all("SELECT * FROM salesflow.semantic_search_leads(%s, %s::int, %s)", (vector_literal(vectors[0]), limit, model))
            await s.record_call(s.conn, lead_id=None, user_id=s.user_id, prompt=None, model=model, usage=usage, status="ok")
    if opts.json:
        print_json([dict(r, similarity=round(float(r["similarity"]), 4)) for r in rows])
        return
    if not rows:
        console.print("no matching leads (run `salesflow ai memory --stale` to embed lead memories)")
        return
    console.print(table(f"leads nearest to “{query}”", ["similarity", "lead", "name", "source", "text"],
                        [(f"{float(r['similarity']):.3f}", r["lead_id"], r["lead_name"], r["source"], r["content"]) for r in rows]))
