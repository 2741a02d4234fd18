"""`salesflow ai …` and `salesflow search`: the typer app, its options and commands.

Commands: ai profile | bant | memory [--stale] | script | objection | coach | recommend; search.
The five lead commands are LeadCommand specs (leads.py); memory is memory.py / stale.py; coach
runs Session.turn once per question. Whatever the model answers has to pass pydantic validation
and, for texts meant for people, the compliance gate before anything is shown.
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Annotated, Optional

import typer
from rich.panel import Panel

from .. import rpc
from ..errors import EXIT_FAILURE, UserError, not_deployed
from ..options import Dsn, Json, user_option
from ..render import console, print_json, table
from . import memory
from .leads import BANT_COMMAND, OBJECTION, PROFILE, RECOMMEND, SCRIPT
from .client import LLMError, load_config
from .embed import has_vector, vector_literal
from .gate import gate_json, show_gate
from .prompts import data_json, format_messages, neutralise
from .session import Opts, Session, Turn, run, usage_line
from .stale import memory_batch

app = typer.Typer(
    name="ai",
    help="AI on demand (needs OPENAI_API_KEY and/or OPENAI_BASE_URL): profile, bant, memory, script, objection, coach, recommend.",
    no_args_is_help=True,
)

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
    typer.Option("--llm-compliance/--no-llm-compliance", envvar="SALESFLOW_LLM_COMPLIANCE",
                 help="The LLM compliance pass on generated texts, beside the SQL rules (on by default: every AI "
                      "text comes from an LLM, so one is configured)."),
]
Lead = Annotated[str, typer.Argument(metavar="LEAD", help="The lead: uuid, id prefix (6+ hex), e-mail or name.")]


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


def _opts(ctx: typer.Context, dsn, as_json, user=None, lang=None, llm_compliance=True, concurrency=4) -> Opts:
    g: GroupOpts = ctx.obj if isinstance(ctx.obj, GroupOpts) else GroupOpts()
    cfg = load_config(api_key=g.api_key, base_url=g.base_url, model=g.model, embedding_model=g.embedding_model,
                      timeout=g.timeout, retries=g.retries)
    if lang is not None and lang not in ("de", "en"):
        raise UserError(f"--lang {lang!r} is not supported", hint="use de or en")
    return Opts(dsn, as_json, user, lang, llm_compliance, cfg, concurrency)


# ------------------------------------------------------------------ ai profile
@app.command("profile")
def profile_command(ctx: typer.Context, lead: Lead, dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None) -> None:
    """NEURO-PROFILER: DISG profile from the lead's messages → record_personality_profile (source ai, with evidence)."""
    PROFILE(_opts(ctx, dsn, as_json, user, lang), lead)


# ------------------------------------------------------------------ ai bant
@app.command("bant")
def bant_command(ctx: typer.Context, lead: Lead, dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None) -> None:
    """DEAL-MEDIC: BANT diagnosis from the conversation → assess_bant (source ai, notes per dimension)."""
    BANT_COMMAND(_opts(ctx, dsn, as_json, user, lang), lead)


# ------------------------------------------------------------------ ai memory
@app.command("memory")
def memory_command(
    ctx: typer.Context,
    lead: Annotated[Optional[str], typer.Argument(metavar="LEAD", help="The lead: uuid, id prefix (6+ hex), e-mail or name; omit with --stale.")] = None,
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
        summary = run(memory_batch(opts, limit, quiet))
        if summary["failed"]:
            raise typer.Exit(EXIT_FAILURE)
    else:
        run(memory.memory_one(opts, lead))


# ------------------------------------------------------------------ ai script
@app.command("script")
def script_command(
    ctx: typer.Context, lead: Lead,
    goal: Annotated[Optional[str], typer.Option("--goal", help="What the message should achieve.")] = None,
    dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None, llm_compliance: LlmCompliance = True,
) -> None:
    """Personalised message (DISG type, memory, best channel); shown only after the compliance gate."""
    SCRIPT(_opts(ctx, dsn, as_json, user, lang, llm_compliance), lead, goal=goal)


# ------------------------------------------------------------------ ai objection
@app.command("objection")
def objection_command(
    ctx: typer.Context, lead: Lead,
    text: Annotated[str, typer.Argument(help="The lead's objection, in their words.")],
    dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None, llm_compliance: LlmCompliance = True,
) -> None:
    """FEUERLÖSCHER: 2-3 replies to an objection; each passes the compliance gate before it is shown."""
    if not text.strip():
        raise UserError("the objection text is empty", hint='salesflow ai objection LEAD "Das ist mir zu teuer"')
    OBJECTION(_opts(ctx, dsn, as_json, user, lang, llm_compliance), lead, text=text)


# ------------------------------------------------------------------ ai recommend
@app.command("recommend")
def recommend_command(
    ctx: typer.Context, lead: Lead, dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None,
    llm_compliance: LlmCompliance = True,
) -> None:
    """Recommendation engine: 1-3 next best actions → create_ai_recommendation (source ai), compliance-gated."""
    RECOMMEND(_opts(ctx, dsn, as_json, user, lang, llm_compliance), lead)


# ------------------------------------------------------------------ ai coach
@app.command("coach")
def coach_command(
    ctx: typer.Context,
    question: Annotated[Optional[str], typer.Argument(help="Your question; omit for an interactive session.")] = None,
    lead: Annotated[Optional[str], typer.Option("--lead", help="Coach about this lead (uuid, id prefix, e-mail or name).")] = None,
    dsn: Dsn = None, as_json: Json = False, user: User = None, lang: Lang = None, llm_compliance: LlmCompliance = True,
) -> None:
    """AI coach: one answer to QUESTION, or a chat (empty line ends it); history in ai_coaching_sessions."""
    run(_coach(_opts(ctx, dsn, as_json, user, lang, llm_compliance), question, lead))


async def _coach(opts: Opts, question: Optional[str], lead: Optional[str]) -> None:
    async with Session(opts, "coach") as s:
        lead = await s.resolve_lead(lead) if lead else None
        c = await s.lead_context(lead) if lead else None
        coached = s.user_id or (uuid.UUID(str(c["owner"]["id"])) if c else None)
        if coached is None:
            raise UserError("ai coach needs to know whom it coaches", hint="pass --user ID|EMAIL (or --lead LEAD to coach the lead's owner)")
        if c is None:
            row = await (await s.conn.execute("SELECT language FROM salesflow.users WHERE id = %s", (coached,))).fetchone()
            language = opts.lang or (row["language"] if row else "de")
        else:
            language = s.language(c)
        p = await s.prompt("ai_coach", language)
        chat = {"session_id": None, "history": []}
        interactive = question is None
        if interactive and not opts.json:
            console.print("AI coach — ask a question; an empty line ends the session.")

        async def write(conn, t: Turn) -> str:
            """The turn in ai_coaching_sessions; a blocked answer is stored as a note, never as text."""
            gate = t.gates[0]
            stored = t.data.answer if not gate.blocked else f"[blocked by the compliance check, log #{gate.log_id}]"
            chat["session_id"] = await rpc.record_coaching_turn.acall(
                conn, session_id=chat["session_id"], user_id=coached, lead_id=lead, language=language, question=q,
                answer=stored, model=t.comp.model, prompt_tokens=t.comp.usage.prompt_tokens,
                completion_tokens=t.comp.usage.completion_tokens, latency_ms=t.comp.usage.latency_ms)
            return stored

        while True:
            q = question if not interactive else await asyncio.to_thread(_ask)
            if not q or not q.strip():
                break
            t = await s.turn(p, p.render({
                "question": neutralise(q), "lead_json": data_json(c["lead"]) if c else "{}",
                "lead_messages": format_messages(c["messages"]) if c else "(no lead)"}),
                lead_id=lead, user_id=coached, language=language, texts=lambda a: [a.answer], content_type="coach_answer",
                write=write, history=chat["history"])
            chat["history"] += [{"role": "user", "content": neutralise(q)}, {"role": "assistant", "content": t.written}]
            _show_coach(opts, t, chat["session_id"])
            if not interactive:
                break


def _show_coach(opts: Opts, t: Turn, session_id: int) -> None:
    a, gate = t.data, t.gates[0]
    if opts.json:
        out = {"session_id": session_id, "compliance": gate_json(gate), "model": t.comp.model,
               "prompt_version": t.prompt.label, "usage": t.comp.usage.__dict__}
        if not gate.blocked:
            out.update(answer=a.answer, suggested_actions=a.suggested_actions)
        print_json(out)
        return
    show_gate(gate, "answer")
    if not gate.blocked:
        console.print(Panel(a.answer, title="coach", title_align="left"))
        for act in a.suggested_actions:
            console.print(f"  → {act}")
    console.print(usage_line(t.comp.model, t.prompt, t.comp.usage) + f" [dim]· session {session_id}[/dim]")


def _ask() -> Optional[str]:
    try:
        return input("you> ")
    except EOFError:
        return None


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
    run(_search(Opts(dsn, as_json, user, None, False, cfg), query, limit))


async def _search(opts: Opts, query: str, limit: int) -> None:
    async with Session(opts, "search") as s:
        if not await has_vector(s.conn):
            if (await (await s.conn.execute("SELECT to_regnamespace('salesflow') IS NULL AS absent")).fetchone())["absent"]:
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
            rows = await rpc.semantic_search_leads.acall(s.conn, query_embedding=vector_literal(vectors[0]), limit=limit,
                                                         model=model)
            await s.record_call(s.conn, lead_id=None, user_id=s.user_id, prompt=None, model=model, usage=usage, status="ok")
    if opts.json:
        print_json([dict(r, similarity=round(float(r["similarity"]), 4)) for r in rows])
        return
    if not rows:
        console.print("no matching leads (run `salesflow ai memory --stale` to embed lead memories)")
        return
    console.print(table(f"leads nearest to “{query}”", ["similarity", "lead", "name", "source", "text"],
                        [(f"{float(r['similarity']):.3f}", r["lead_id"], r["lead_name"], r["source"], r["content"]) for r in rows]))
