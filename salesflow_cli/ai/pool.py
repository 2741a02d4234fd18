"""The DB connections of a batch: a psycopg_pool.AsyncConnectionPool whose every connection acts as
the command's --user, and is put back into exactly that state when it is returned.

configure (once per new connection) acts as the user the way every command does
(acting.act_as_async: identity and group role). reset (on every return) first clears whatever the
use set for the session (RESET ALL, RESET ROLE), then asserts the same identity and role again in
the same round trip — so no SET ROLE, set_config or other session setting of one use reaches the
next, and a pool without --user hands out connections without any identity.
"""

from __future__ import annotations

from typing import Optional

from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from ..acting import act_as_async


def _reset_statement(user: Optional[dict], role: Optional[str]) -> sql.Composed:
    """One simple-protocol round trip: clear the session, then the command's identity again."""
    parts = [sql.SQL("RESET ALL"), sql.SQL("RESET ROLE")]
    if user is not None:
        parts.append(sql.SQL("SELECT set_config('salesflow.user_id', {}, false)").format(sql.Literal(str(user["id"]))))
        if role is not None:
            parts.append(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
    return sql.SQL("; ").join(parts)


async def open_pool(dsn: str, *, size: int, application_name: str, user: Optional[dict] = None) -> AsyncConnectionPool:
    """An open pool of `size` autocommit dict_row connections acting as `user` (a users row, or None)."""
    state: dict = {}

    async def configure(conn) -> None:
        await conn.set_autocommit(True)
        if user is not None:
            await act_as_async(conn, user=user)
            cur = await conn.execute("SELECT current_user AS role, session_user AS login")
            row = await cur.fetchone()
            # the role act_as_async switched to (None when the login may not switch and stays itself)
            state["role"] = row["role"] if row["role"] != row["login"] else None
        state["reset"] = _reset_statement(user, state.get("role"))

    async def reset(conn) -> None:
        await conn.execute(state["reset"])

    pool = AsyncConnectionPool(
        dsn, min_size=size, max_size=size, open=False, configure=configure, reset=reset,
        kwargs={"autocommit": True, "row_factory": dict_row, "application_name": application_name},
        name=application_name,
    )
    await pool.open(wait=True)
    return pool
