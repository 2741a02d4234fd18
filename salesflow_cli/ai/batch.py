"""The embedding micro-batcher of `ai memory --stale`: concurrent workers' embedding requests go
out as one HTTP call (up to max_batch texts, waiting at most max_wait seconds): half the HTTP calls
of a memory batch. Each HTTP call becomes one ai_calls row (log)."""

from __future__ import annotations

import asyncio
from typing import Optional

from ..errors import UserError
from .client import LLMError, Usage
from .session import Session


class Embedder:
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
