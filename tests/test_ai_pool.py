"""salesflow_cli/ai/pool.py: every pooled connection acts as the command's --user (identity and
group role, as acting.act_as_async does), and whatever one use sets for its session — another
role, another identity, a setting — is gone at the next checkout of the same connection."""

from __future__ import annotations

import asyncio

from salesflow_cli.acting import find_user
from salesflow_cli.ai.pool import open_pool
from tests.factories import make_team, make_user

STATE = ("SELECT pg_backend_pid() AS pid, current_user AS role, session_user AS login, "
         "salesflow.current_user_id() AS uid, current_setting('salesflow.user_id', true) AS asserted, "
         "current_setting('search_path') AS search_path, current_setting('application_name') AS app")


async def _state(conn) -> dict:
    return await (await conn.execute(STATE)).fetchone()


async def _misbehave(conn, other) -> None:
    """A use that leaves its session acting as someone else, with another role and setting."""
    await conn.execute("SET ROLE salesflow_admin")
    await conn.execute("SELECT set_config('salesflow.user_id', %s, false)", (str(other),))
    await conn.execute("SET search_path = pg_catalog")


def test_pool_connections_act_as_the_user_and_carry_nothing_to_the_next_checkout(db, dsn):
    team = make_team(db)
    rep, admin = make_user(db, team), make_user(db, team, role="admin")
    user = find_user(db, str(rep))

    async def as_user():
        pool = await open_pool(dsn, size=1, application_name="salesflow ai test", user=user)
        try:
            async with pool.connection() as conn:
                first = await _state(conn)
                await _misbehave(conn, admin)
                assert (await _state(conn))["role"] == "salesflow_admin"  # the use did change its session
            async with pool.connection() as conn:
                second = await _state(conn)
        finally:
            await pool.close()
        return first, second

    first, second = asyncio.run(as_user())
    assert first["role"] == "salesflow_rep" and first["uid"] == rep and first["app"] == "salesflow ai test"
    assert second["pid"] == first["pid"]  # the same connection, handed out again
    assert {k: second[k] for k in ("role", "uid", "asserted", "search_path", "app")} == \
        {k: first[k] for k in ("role", "uid", "asserted", "search_path", "app")}

    async def without_user():
        pool = await open_pool(dsn, size=1, application_name="salesflow ai test")
        try:
            async with pool.connection() as conn:
                await _misbehave(conn, rep)
            async with pool.connection() as conn:
                return await _state(conn)
        finally:
            await pool.close()

    after = asyncio.run(without_user())
    assert after["role"] == after["login"] and after["uid"] is None and not after["asserted"]
