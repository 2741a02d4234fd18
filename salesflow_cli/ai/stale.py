"""`ai memory --stale`: every visible lead whose memory is missing or stale, concurrently.

A producer reads the leads' contexts in chunks (one query per CONTEXT_CHUNK leads); workers make
the chat calls; each finished lead's embedding (micro-batched, batch.py) and write run behind the
chat calls, so a worker moves on to its next lead meanwhile (bounded: back-pressure). DB
connections come from a pool acting as --user (pool.py) and are held only for the short DB steps,
never across an LLM call. Each lead commits on its own: an interrupted batch loses nothing.
"""

from __future__ import annotations

import asyncio
import time

import psycopg
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .. import rpc
from ..errors import LockBusy, UserError
from ..render import console, err_console, print_json
from . import memory
from .batch import Embedder
from .client import LLMError
from .embed import has_vector
from .pool import open_pool
from .session import MAX_MESSAGES, Opts, Session

MEMORY_LOCK = 0x5346414D  # 'SFAM': one `ai memory --stale` batch at a time
CONTEXT_CHUNK = 200
MAX_CONNECTIONS = 8
FAILURES = (LLMError, psycopg.Error, UserError)


class MemoryBatch:
    def __init__(self, s: Session, todo: list[str], with_vector: bool, progress: Progress):
        self.s, self.todo, self.with_vector, self.progress = s, todo, with_vector, progress
        self.stats = {"leads": len(todo), "ok": 0, "cached": 0, "failed": 0, "prompt_tokens": 0, "completion_tokens": 0}
        self.errors: list[str] = []
        self.n_workers = max(1, min(s.opts.concurrency, len(todo)))
        self.queue: asyncio.Queue = asyncio.Queue(maxsize=2 * CONTEXT_CHUNK)
        self.embedder = Embedder(s, max_batch=64, max_wait=0.1)
        self.write_slots = asyncio.Semaphore(4 * self.n_workers)
        self.pending: set[asyncio.Task] = set()
        self.task = progress.add_task("memory", total=len(todo), info="")
        self.pool = None

    async def run(self) -> None:
        if not self.todo:
            return
        self.pool = await open_pool(self.s.dsn, size=min(self.n_workers, MAX_CONNECTIONS),
                                    application_name=self.s.application_name, user=self.s.user)
        try:
            with self.progress:
                await asyncio.gather(self._produce(), *(self._worker() for _ in range(self.n_workers)))
                while self.pending:
                    await asyncio.gather(*list(self.pending))
        finally:
            await self.pool.close()
        await self.embedder.log(self.s.conn, self.s.user_id)

    async def _produce(self) -> None:
        for i in range(0, len(self.todo), CONTEXT_CHUNK):
            async with self.pool.connection() as conn:
                contexts = await rpc.ai_lead_context.amap(conn, "lead_id", self.todo[i:i + CONTEXT_CHUNK],
                                                          max_messages=MAX_MESSAGES)
            for c in contexts:
                await self.queue.put(c)
        for _ in range(self.n_workers):
            await self.queue.put(None)

    async def _worker(self) -> None:
        while (c := await self.queue.get()) is not None:
            lead_id = c["lead"]["id"]
            try:
                out = await memory.prepare(self.s, self.pool.connection, c, force=False)
            except FAILURES as exc:
                self._account(lead_id, exc=exc)
                continue
            if isinstance(out, dict):
                self._account(lead_id, out=out)
                continue
            await self.write_slots.acquire()
            t = asyncio.ensure_future(self._finish(out))
            self.pending.add(t)
            t.add_done_callback(self.pending.discard)

    async def _finish(self, g: memory.Generated) -> None:
        try:
            vector = await self.embedder(g.memory.summary) if self.with_vector else None
            self._account(g.lead, out=await memory.finish(self.s, self.pool.connection, g, vector))
        except FAILURES as exc:
            self._account(g.lead, exc=exc)
        finally:
            self.write_slots.release()

    def _account(self, lead_id, out=None, exc=None) -> None:
        if exc is None:
            self.stats[out["status"]] += 1
            self.stats["prompt_tokens"] += out["usage"].prompt_tokens
            self.stats["completion_tokens"] += out["usage"].completion_tokens
        else:
            self.stats["failed"] += 1
            msg = exc.message if isinstance(exc, UserError) else str(exc).strip().splitlines()[0]
            self.errors.append(f"{lead_id}: {msg}")
        self.progress.update(self.task, advance=1, info=f"calls {self.s.llm.http_calls} · failed {self.stats['failed']}")


async def memory_batch(opts: Opts, limit: int, quiet: bool) -> dict:
    started = time.perf_counter()
    async with Session(opts, "memory") as s:
        got = await (await s.conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (MEMORY_LOCK,))).fetchone()
        if not got["ok"]:
            raise LockBusy("another `salesflow ai memory --stale` batch is running", hint="wait for it to finish")
        try:
            with_vector = await has_vector(s.conn)
            todo = [str(r["lead_id"]) for r in await rpc.ai_stale_leads.acall(s.conn, limit=limit, user_id=s.user_id)]
            progress = Progress(TextColumn("memory"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[info]}"),
                                TimeElapsedColumn(), console=err_console, disable=quiet or opts.json or not todo,
                                transient=False)
            batch = MemoryBatch(s, todo, with_vector, progress)
            await batch.run()
        finally:
            await s.conn.execute("SELECT pg_advisory_unlock(%s)", (MEMORY_LOCK,))
        elapsed = time.perf_counter() - started
        stats, errors = batch.stats, batch.errors
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
