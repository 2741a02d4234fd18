"""Embeddings outside the batch: is semantic search installed here, one text's vector (with its
ai_calls row), and pgvector's text form."""

from __future__ import annotations

import json

from .client import LLMError
from .session import Session


async def has_vector(conn) -> bool:
    """Whether this database has the pgvector part of salesflow (store_lead_embedding exists)."""
    row = await (await conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace "
        "WHERE n.nspname = 'salesflow' AND p.proname = 'store_lead_embedding') AS ok")).fetchone()
    return bool(row["ok"])


def embed_one(s: Session, command: str = "memory embedding"):
    """An embed(text) coroutine function for a single text; each HTTP call leaves an ai_calls row."""
    async def embed(text: str) -> list[float]:
        try:
            vectors, usage, model = await s.llm.embed([text])
        except LLMError as exc:
            await s.record_call(s.conn, lead_id=None, user_id=s.user_id, prompt=None, model=s.opts.cfg.embedding_model,
                                usage=exc.usage, status="error", error=exc.message, command=command)
            raise
        await s.record_call(s.conn, lead_id=None, user_id=s.user_id, prompt=None, model=model, usage=usage, status="ok",
                            command=command)
        return vectors[0]
    return embed


def vector_literal(values: list[float]) -> str:
    """pgvector's text form, passed as an untyped parameter so the server casts it."""
    return json.dumps([float(v) for v in values], separators=(",", ":"))
