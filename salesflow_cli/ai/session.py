"""One ai command's session: its options, a DB connection acting as --user, the LLM client, and
`turn` — the skeleton every generating command shares (call, review, gate, write, usage rows in
one transaction)."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Optional, Sequence

import psycopg
from psycopg.rows import dict_row

from .. import rpc
from ..acting import act_as_async
from ..connection import connect_failure, resolve_dsn
from ..errors import UserError
from .client import LLM, Completion, LLMConfig, LLMError, Usage
from .gate import Gate, Review, log_gate, review_of
from .prompts import Prompt, neutralise

MAX_MESSAGES = 40  # messages of a lead in its context (ai_lead_context)


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
class Turn:
    """One generated answer: the completion, the gates of its texts and what the write returned."""

    lead: Optional[str]
    prompt: Prompt
    comp: Completion
    texts: list[str] = field(default_factory=list)
    gates: list[Gate] = field(default_factory=list)
    written: Any = None

    @property
    def data(self) -> Any:
        return self.comp.data


Write = Callable[[Any, Turn], Awaitable[Any]]  # (connection inside the transaction, turn) -> written


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
        if self.opts.user:
            self.user = await act_as_async(self.conn, self.opts.user)
            self.user_id = self.user["id"]
        return self

    async def __aexit__(self, *exc) -> None:
        if self.conn is not None:
            await self.conn.close()
        await self.llm.aclose()

    @property
    def application_name(self) -> str:
        return f"salesflow ai {self.command}"

    async def connect(self) -> psycopg.AsyncConnection:
        try:
            return await psycopg.AsyncConnection.connect(self.dsn, autocommit=True, application_name=self.application_name,
                                                         row_factory=dict_row)
        except psycopg.Error as exc:
            raise connect_failure(self.dsn, exc) from exc

    @asynccontextmanager
    async def connection(self):
        """The session's own connection, in the shape of a pool checkout (see batch.py)."""
        yield self.conn

    async def prompt(self, key: str, language: str, conn=None) -> Prompt:
        if (key, language) not in self.prompts:
            rows = await rpc.get_ai_prompt.acall(conn or self.conn, key=key, language=language)
            self.prompts[(key, language)] = Prompt.from_row(rows[0])
        return self.prompts[(key, language)]

    async def resolve_lead(self, ref: str) -> str:
        """The uuid of the one lead `ref` names (uuid, id prefix, e-mail or name), as the acting user sees it."""
        from ..refs import alead_id

        return await alead_id(self.conn, ref)

    async def lead_context(self, lead_id: str) -> dict:
        return await rpc.ai_lead_context.acall(self.conn, lead_id=lead_id, max_messages=MAX_MESSAGES)

    def language(self, ctx: Optional[dict]) -> str:
        if self.opts.lang:
            return self.opts.lang
        if ctx:
            return ctx["lead"]["language"]
        return "de"

    def call_args(self, *, lead_id, user_id, prompt: Optional[Prompt], model, usage: Usage, status: str,
                  error: Optional[str] = None, input_hash: Optional[str] = None, command: Optional[str] = None) -> dict:
        """The arguments of one salesflow.record_ai_call (one ai_calls row)."""
        return dict(command=command or self.command, lead_id=lead_id, user_id=user_id, model=model,
                    prompt_key=prompt.key if prompt else None, prompt_version=prompt.version_label if prompt else None,
                    prompt_tokens=usage.prompt_tokens, completion_tokens=usage.completion_tokens,
                    latency_ms=usage.latency_ms, status=status, error=error, input_hash=input_hash,
                    attempts=usage.attempts)

    async def record_call(self, conn, **kwargs) -> None:
        await rpc.record_ai_call.acall(conn, **self.call_args(**kwargs))

    async def generate(self, prompt: Prompt, user_content: str, *, lead_id=None, user_id=None, history=None,
                       command: Optional[str] = None, ihash: Optional[str] = None, db=None) -> Completion:
        """One validated structured call; a failure is logged in ai_calls (status error) and re-raised.
        `db` is where to log it: a connection factory (the session's own connection by default)."""
        try:
            return await self.llm.structured(prompt, user_content, history=history)
        except LLMError as exc:
            try:
                async with (db or self.connection)() as conn:
                    await self.record_call(conn, lead_id=lead_id, user_id=user_id, prompt=prompt, model=self.opts.cfg.model,
                                           usage=exc.usage, status="error", error=exc.message, input_hash=ihash,
                                           command=command)
            except psycopg.Error:
                pass
            raise

    async def review(self, text: str, content_type: str, language: str, *, lead_id, user_id) -> tuple[Review, list]:
        """Optional LLM compliance pass (before the transaction); returns the review and its usage rows."""
        if not self.opts.llm_compliance:
            return Review(), []
        prompt = await self.prompt("compliance_filter", language)
        comp = await self.generate(prompt, prompt.render({"content_type": content_type, "text": neutralise(text)}),
                                   lead_id=lead_id, user_id=user_id, command=f"{self.command} compliance")
        # only the findings go on: log_ai_output_compliance decides over them and the rules' findings
        return review_of(comp.data), [(prompt, comp)]

    async def turn(self, prompt: Prompt, content: str, *, lead_id, user_id, language: str,
                   texts: Callable[[Any], Sequence[str]] = lambda data: (), content_type: Optional[str] = None,
                   write: Optional[Write] = None, history=None) -> Turn:
        """The shared skeleton: one LLM call; the optional LLM review of each text meant for people;
        then ONE transaction: each text through the gate, the command's write, the usage rows."""
        comp = await self.generate(prompt, content, lead_id=lead_id, user_id=user_id, history=history)
        turn = Turn(lead_id, prompt, comp, list(texts(comp.data)))
        reviews = [await self.review(t, content_type, language, lead_id=lead_id, user_id=user_id) for t in turn.texts]
        async with self.conn.transaction():
            turn.gates = [await log_gate(self.conn, t, content_type, language, rv, lead_id=lead_id, user_id=user_id,
                                         model=self.opts.cfg.model) for t, (rv, _) in zip(turn.texts, reviews)]
            if write is not None:
                turn.written = await write(self.conn, turn)
            await self.record_call(self.conn, lead_id=lead_id, user_id=user_id, prompt=prompt, model=comp.model,
                                   usage=comp.usage, status="ok")
            for _, calls in reviews:
                for rp, rc in calls:
                    await self.record_call(self.conn, lead_id=lead_id, user_id=user_id, prompt=rp, model=rc.model,
                                           usage=rc.usage, status="ok", command=f"{self.command} compliance")
        return turn


def usage_line(model: str, prompt: Prompt, usage: Usage) -> str:
    return (f"[dim]{model} · {prompt.label} · {usage.prompt_tokens}+{usage.completion_tokens} tokens · "
            f"{usage.latency_ms} ms · {usage.attempts} HTTP attempt(s)[/dim]")


def run(coro):
    try:
        return asyncio.run(coro)
    except KeyboardInterrupt:
        raise UserError("interrupted: finished items are committed; run the command again to continue", exit_code=130) from None
