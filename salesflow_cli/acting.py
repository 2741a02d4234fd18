"""Acting as a sales user: one way for every command (`--user`).

A user is named by uuid, a unique hex prefix (>= 6), an e-mail or a display name. Acting as them
means the session asserts the identity (salesflow.user_id, which only the owner, a superuser or a
gateway may do — a personal login is always itself, see current_user_id) and, when the connecting
role may, SET ROLE to the group of the user's role, so RLS and grants apply exactly as for them.
Sync and async connections share the statements; only the awaiting differs.
"""

from __future__ import annotations

import re

from .errors import UserError

_UUID = re.compile(r"^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$", re.I)
_HEX_PREFIX = re.compile(r"^[0-9a-f-]{6,}$", re.I)

_FIND = """
SELECT u.* FROM salesflow.users AS u
WHERE (%(uuid)s AND replace(u.id::text, '-', '') = replace(lower(%(r)s), '-', ''))
   OR (NOT %(uuid)s AND (lower(u.email) = lower(%(r)s) OR lower(u.display_name) = lower(%(r)s)
       OR (%(hex)s AND replace(u.id::text, '-', '') LIKE replace(lower(%(r)s), '-', '') || '%%')))
"""
_MAY_SWITCH = """
SELECT set_config('salesflow.user_id', %(id)s, false) AS asserted,
       EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %(group)s) AND pg_has_role(current_user, %(group)s, 'MEMBER') AS may
"""


def _find_params(ref: str, what: str) -> dict:
    ref = (ref or "").strip()
    if not ref:
        raise UserError(f"{what} must not be empty", hint="pass a uuid, an id prefix, an e-mail or a name")
    return {"r": ref, "uuid": bool(_UUID.match(ref)), "hex": bool(_HEX_PREFIX.match(ref))}


def _pick(rows: list[dict], ref: str, what: str) -> dict:
    if not rows:
        raise UserError(f"{what} {ref!r} not found: no user you may see has that id, id prefix, e-mail or name",
                        hint="list users with: salesflow users list")
    if len(rows) > 1:
        names = ", ".join(f"{r['display_name']} <{r['email'] or '-'}> {r['id']}" for r in rows[:5])
        raise UserError(f"{what} {ref!r} matches {len(rows)} users: {names}", hint="pass the full id or the e-mail")
    return rows[0]


def find_user(conn, ref: str, what: str = "USER") -> dict:
    """The users row `ref` names (sync connection); exit 2 when none or several match."""
    from psycopg.rows import dict_row

    return _pick(conn.cursor(row_factory=dict_row).execute(_FIND, _find_params(ref, what)).fetchall(), ref, what)


def act_as(conn, ref: str) -> dict:
    """Make the sync connection act as the user `ref` names; returns the users row."""
    from psycopg.rows import dict_row

    user = find_user(conn, ref, "--user")
    row = conn.cursor(row_factory=dict_row).execute(_MAY_SWITCH, _switch_params(user)).fetchone()
    if row["may"]:
        conn.execute(_set_role(user))
    return user


async def act_as_async(conn, ref: str | None = None, *, user: dict | None = None) -> dict:
    """The same for an AsyncConnection; pass `user` (a row found before) to re-apply it to another connection."""
    from psycopg.rows import dict_row

    if user is None:
        cur = conn.cursor(row_factory=dict_row)
        await cur.execute(_FIND, _find_params(ref, "--user"))
        user = _pick(await cur.fetchall(), ref, "--user")
    cur = conn.cursor(row_factory=dict_row)
    await cur.execute(_MAY_SWITCH, _switch_params(user))
    if (await cur.fetchone())["may"]:
        await conn.execute(_set_role(user))
    return user


def _switch_params(user: dict) -> dict:
    return {"id": str(user["id"]), "group": f"salesflow_{user['role']}"}


def _set_role(user: dict):
    from psycopg import sql

    return sql.SQL("SET ROLE {}").format(sql.Identifier(f"salesflow_{user['role']}"))


def reader(conn, lang: str | None = None) -> dict:
    """Who reads the output: {"language", "timezone"} — --lang, else the acting user's users.language,
    else i18n.DEFAULT; the acting user's users.timezone, else UTC (the owner)."""
    from . import i18n, rpc

    uid = rpc.current_user_id(conn)
    row = conn.execute("SELECT language, timezone FROM salesflow.users WHERE id = %s", (uid,)).fetchone() if uid else None
    if row is not None and not isinstance(row, dict):
        row = {"language": row[0], "timezone": row[1]}
    return {"language": lang or i18n.lang_or_default((row or {}).get("language")),
            "timezone": (row or {}).get("timezone") or "UTC"}


def language_of(conn, override: str | None = None) -> str:
    """The language to print in (reader()["language"])."""
    return override or reader(conn)["language"]
