"""AUTO-MEMORY for one lead: unchanged input → no call; otherwise the LLM (+ an embedding), then ONE
statement (= one transaction) writes memory, embedding and usage through update_lead_memory,
store_lead_embedding and record_ai_call. The batch (stale.py) runs the same two steps per lead."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Optional

from psycopg.types.json import Jsonb
from rich.panel import Panel

from .. import rpc
from ..render import console, print_json
from .client import Completion, Usage
from .embed import embed_one, has_vector, vector_literal
from .models import LeadMemory
from .prompts import Prompt, data_json, format_messages, input_hash
from .session import Opts, Session


@dataclass
class Generated:
    """A lead whose new memory the LLM wrote, waiting for its embedding and write (finish)."""

    lead: str
    owner: uuid.UUID
    prompt: Prompt
    ihash: str
    comp: Completion

    @property
    def memory(self) -> LeadMemory:
        return self.comp.data


async def prepare(s: Session, db, c: dict, force: bool) -> dict | Generated:
    """The lead of context `c`: an outcome dict when its input is unchanged (marked current, a
    'cached' usage row, no call), else the LLM's answer to finish. `db` gives connections."""
    lead = str(c["lead"]["id"])
    owner = uuid.UUID(str(c["owner"]["id"]))
    p = s.prompts.get(("memory_extraction", s.language(c)))
    if p is None:  # the first lead of its language: a connection only for the prompt's row
        async with db() as conn:
            p = await s.prompt("memory_extraction", s.language(c), conn)
    ihash = input_hash(c["messages"], p)
    memory = c.get("memory") or {}
    if not force and memory.get("input_hash") == ihash:
        async with db() as conn:
            await rpc.avalues(conn, current=rpc.mark_lead_memory_current.bind(lead_id=lead, input_hash=ihash),
                              call_id=rpc.record_ai_call.bind(**s.call_args(
                                  lead_id=lead, user_id=owner, prompt=p, model=None, usage=Usage(attempts=0),
                                  status="cached", input_hash=ihash)))
        return {"lead_id": lead, "status": "cached", "version": memory.get("version"), "usage": Usage()}
    previous = {k: memory.get(k) for k in ("summary", "key_facts", "pain_points", "objections", "next_steps")} if memory else {}
    comp = await s.generate(
        p, p.render({"lead_json": data_json(c["lead"]), "memory_json": data_json(previous),
                     "lead_messages": format_messages(c["messages"])}),
        lead_id=lead, user_id=owner, ihash=ihash, db=db)
    return Generated(lead, owner, p, ihash, comp)


async def finish(s: Session, db, g: Generated, vector: Optional[list[float]]) -> dict:
    """Memory, embedding (when `vector`) and the usage row in one statement; the outcome dict."""
    m = g.memory
    facts = {f.key: f.value for f in m.key_facts}
    calls = {"version": rpc.update_lead_memory.bind(
        lead_id=g.lead, summary=m.summary, key_facts=Jsonb(facts), pain_points=Jsonb(m.pain_points),
        objections=Jsonb(m.objections), next_steps=Jsonb(m.next_steps), input_hash=g.ihash, model=g.comp.model,
        prompt_version=g.prompt.label)}
    if vector is not None:
        calls["embedding_id"] = rpc.store_lead_embedding.bind(
            lead_id=g.lead, source="summary", content=m.summary, model=s.opts.cfg.embedding_model,
            embedding=vector_literal(vector))
    calls["call_id"] = rpc.record_ai_call.bind(**s.call_args(
        lead_id=g.lead, user_id=g.owner, prompt=g.prompt, model=g.comp.model, usage=g.comp.usage, status="ok",
        input_hash=g.ihash))
    async with db() as conn:
        row = await rpc.avalues(conn, **calls)
    return {"lead_id": g.lead, "status": "ok", "version": row["version"], "usage": g.comp.usage,
            "summary": m.summary, "key_facts": facts, "pain_points": m.pain_points, "objections": m.objections,
            "next_steps": m.next_steps, "model": g.comp.model, "prompt_version": g.prompt.label,
            "embedded": vector is not None}


async def memory_one(opts: Opts, lead: str) -> None:
    """`ai memory LEAD`: always a new call (force), shown or printed as JSON."""
    async with Session(opts, "memory") as s:
        c = await s.lead_context(await s.resolve_lead(lead))
        g = await prepare(s, s.connection, c, force=True)
        vector = await embed_one(s)(g.memory.summary) if await has_vector(s.conn) else None
        out = await finish(s, s.connection, g, vector)
    if opts.json:
        print_json(dict(out, usage=out["usage"].__dict__))
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
