"""Emptying a salesflow database of its data (schema, reference data and the audit trail stay)."""

from __future__ import annotations

import psycopg
from psycopg import sql

from ..errors import UserError

# audit_chain_head stays with the (never reset) audit trail: its hash chain continues from it
DATA_TABLES_KEEP = {"schema_history", "compliance_rules", "disg_guidance", "ai_prompts", "playbooks", "audit_chain_head"}


def existing_leads(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM (SELECT 1 FROM salesflow.leads LIMIT 1) AS x").fetchone()
    return int(row[0])


def reset_data(conn: psycopg.Connection) -> list[str]:
    """Delete every salesflow data row (users, teams, leads and everything hanging off them).

    Reference tables (rules, guidance, prompts, playbooks) and the deploy history stay. The
    compliance audit trail is append-only by design (its trigger refuses TRUNCATE and DELETE), so a
    database with audit rows is never reset: the caller gets exit 2 and should use a fresh database.
    """
    names = [
        r[0] for r in conn.execute(
            "SELECT c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'salesflow' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        ).fetchall()
        if r[0] not in DATA_TABLES_KEEP
    ]
    if "compliance_logs" in names:
        n_logs = conn.execute("SELECT count(*) FROM (SELECT 1 FROM salesflow.compliance_logs LIMIT 1) AS x").fetchone()[0]
        if n_logs:
            raise UserError(
                "this database holds compliance audit logs, which are append-only; --reset will not delete them",
                hint="seed a fresh database (--dsn) instead",
            )
    # the parents are deleted (not truncated) so the empty, untouchable audit table may keep referencing them
    parents = ("leads", "users", "teams")
    truncate = [n for n in names if n not in parents and n != "compliance_logs"]
    if truncate:
        conn.execute("TRUNCATE " + ", ".join(f"salesflow.{sql.Identifier(n).as_string(conn)}" for n in truncate)
                     + " RESTART IDENTITY")
    for n in parents:
        if n in names:
            conn.execute(f"DELETE FROM salesflow.{n}")
    return names

