"""Small helpers that insert realistic rows for tests (as the table owner, bypassing RLS)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import psycopg


def make_team(conn: psycopg.Connection, name: str = "Team Nord") -> uuid.UUID:
    return conn.execute("INSERT INTO salesflow.teams (name) VALUES (%s) RETURNING id", (name,)).fetchone()[0]


def make_user(conn: psycopg.Connection, team_id=None, role: str = "rep", name: str | None = None,
              language: str = "de", timezone: str = "Europe/Berlin") -> uuid.UUID:
    name = name or f"{role}-{uuid.uuid4().hex[:6]}"
    return conn.execute(
        "INSERT INTO salesflow.users (team_id, display_name, email, role, language, timezone) "
        "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (team_id, name, f"{name}@example.org", role, language, timezone),
    ).fetchone()[0]


def make_lead(conn: psycopg.Connection, user_id, name: str = "Anna Becker", **cols) -> uuid.UUID:
    cols = {"user_id": user_id, "name": name, **cols}
    keys = ", ".join(cols)
    marks = ", ".join(["%s"] * len(cols))
    return conn.execute(f"INSERT INTO salesflow.leads ({keys}) VALUES ({marks}) RETURNING id", list(cols.values())).fetchone()[0]


def add_activity(conn: psycopg.Connection, lead_id, user_id, direction: str = "in", channel: str = "whatsapp",
                 body: str = "Hallo!", occurred_at=None, kind: str = "message") -> int:
    return conn.execute(
        "INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction, kind, body, occurred_at) "
        "VALUES (%s, %s, %s, %s, %s, %s, coalesce(%s, now())) RETURNING id",
        (lead_id, user_id, channel, direction, kind, body, occurred_at),
    ).fetchone()[0]


def drain(conn: psycopg.Connection, *args) -> dict:
    """One drain (as the owner): queued activities counted, queued leads rescored; its result row."""
    cur = conn.execute(f"SELECT * FROM salesflow.drain_dirty_leads({', '.join(['%s'] * len(args))})", args)
    return dict(zip([c.name for c in cur.description], cur.fetchone()))


@contextmanager
def acting_as(conn: psycopg.Connection, user_id, db_role: str = "salesflow_rep"):
    """Run the block as a sales user through RLS: SET ROLE to a group role plus salesflow.user_id."""
    conn.execute(f"SET ROLE {db_role}")
    conn.execute("SELECT set_config('salesflow.user_id', %s, false)", (str(user_id),))
    try:
        yield conn
    finally:
        conn.execute("RESET ROLE")
        conn.execute("RESET salesflow.user_id")
