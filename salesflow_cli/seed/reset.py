"""Emptying a salesflow database of its data (schema, reference data and the audit trail stay)."""

from __future__ import annotations

import psycopg
from psycopg import sql

from ..errors import UserError

# audit_chain_head stays with the (never reset) audit trail: its hash chain continues from it
DATA_TABLES_KEEP = {"schema_history", "compliance_rules", "disg_guidance", "ai_prompts", "playbooks", "audit_chain_head", "gdpr_secret",
                    "countries", "country_aliases", "import_stage_map"}
DELETE_IMPORTED_FLAG = "--yes-delete-imported-data"


def existing_leads(conn: psycopg.Connection) -> int:
    row = conn.execute("SELECT count(*) FROM (SELECT 1 FROM salesflow.leads LIMIT 1) AS x").fetchone()
    return int(row[0])


def foreign_leads(conn: psycopg.Connection) -> int:
    """Leads the seed did not create (imported, added by hand or by SQL): what --reset must not take silently."""
    return int(conn.execute("SELECT count(*) FROM salesflow.leads WHERE origin <> 'seed'").fetchone()[0])


def reset_data(conn: psycopg.Connection, delete_imported: bool = True) -> list[str]:
    """Delete every salesflow data row (users, teams, leads and everything hanging off them).

    Reference tables (rules, guidance, prompts, playbooks, countries, stage map) and the deploy history
    stay. With delete_imported False (the CLI's default: `seed --reset`, `demo --reset` without
    --yes-delete-imported-data) a database holding leads the seed did not create (origin other than
    'seed') is refused and nothing is deleted. The
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
    foreign = foreign_leads(conn)
    if foreign and not delete_imported:
        raise UserError(
            f"this database holds {foreign:,} leads that salesflow seed did not create (imported or added by hand); "
            "--reset would delete them",
            hint=f"pass {DELETE_IMPORTED_FLAG} to delete them too, or seed another database (--dsn)",
        )
    if "compliance_logs" in names:
        n_logs = conn.execute("SELECT count(*) FROM (SELECT 1 FROM salesflow.compliance_logs LIMIT 1) AS x").fetchone()[0]
        if n_logs:
            raise UserError(
                "this database holds compliance audit logs, which are append-only; --reset will not delete them",
                hint="seed a fresh database (--dsn) instead",
            )
    # the parents are deleted (not truncated) so the empty, untouchable audit table may keep referencing them
    parents = ("leads", "import_batches", "users", "teams")  # in this order: each references the next
    truncate = [n for n in names if n not in parents and n != "compliance_logs"]
    if truncate:
        conn.execute("TRUNCATE " + ", ".join(f"salesflow.{sql.Identifier(n).as_string(conn)}" for n in truncate)
                     + " RESTART IDENTITY")
    for n in parents:
        if n in names:
            conn.execute(f"DELETE FROM salesflow.{n}")
    return names

