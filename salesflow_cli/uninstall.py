"""`salesflow uninstall [--yes]`: drop schema salesflow in one database, then the group roles no
other database uses.

Roles belong to the whole cluster, schemas to one database: DROP ROLE fails while any other database
still holds grants to the role (its rows in pg_shdepend). So the roles go only with the last
database, and every role that stays is named with the reason.
"""

from __future__ import annotations

import sys

import psycopg
import typer
from psycopg import sql

from . import locks
from .connection import connect
from .errors import EXIT_FAILURE, UserError
from .options import Dsn, Json, LockTimeout
from .render import console, print_json

# The group roles deploy creates (salesflow_gateway may not exist on older deploys: handled as absent).
GROUP_ROLES = ("salesflow_rep", "salesflow_manager", "salesflow_admin", "salesflow_gateway")

# Why a role is still needed: its pg_shdepend rows outside this database (grants, ownership, policies in
# other databases; privileges on databases or tablespaces) and its rows here once the schema is gone.
_USES = """
SELECT CASE WHEN s.dbid = 0 AND s.classid = 'pg_catalog.pg_database'::regclass
            THEN 'privileges on database ' || (SELECT datname FROM pg_catalog.pg_database WHERE oid = s.objid)
            WHEN s.dbid = 0 THEN 'privileges on a tablespace or other shared object'
            WHEN d.datname = current_database() THEN 'privileges or objects in this database outside schema salesflow'
            ELSE 'still used in database ' || d.datname END AS use,
       count(*) AS n
FROM pg_catalog.pg_shdepend AS s
LEFT JOIN pg_catalog.pg_database AS d ON d.oid = s.dbid
WHERE s.refclassid = 'pg_catalog.pg_authid'::regclass AND s.refobjid = %(oid)s AND s.deptype <> 'p'
GROUP BY 1 ORDER BY 1
"""

# Roles granted this group role, other than the salesflow groups themselves. PostgreSQL 16+ records an
# admin-only grant to whoever created the role with CREATEROLE: that is bookkeeping, not use.
_MEMBERS = """
SELECT m.rolname
FROM pg_catalog.pg_auth_members AS am JOIN pg_catalog.pg_roles AS m ON m.oid = am.member
WHERE am.roleid = %(oid)s AND NOT (m.rolname = ANY(%(groups)s)) {admin_only}
ORDER BY 1
"""


def _confirm(database: str, leads: int | None, yes: bool) -> None:
    if yes:
        return
    what = f"schema salesflow in database {database}" + (f" ({leads} leads)" if leads is not None else "")
    if not sys.stdin.isatty():
        raise UserError(f"uninstall would drop {what} with all its data: refusing without confirmation (stdin is not a terminal)",
                        hint="pass --yes to confirm")
    if not typer.confirm(f"Drop {what} with all its data, and the salesflow group roles no other database uses?", default=False):
        raise UserError("uninstall cancelled: nothing changed", exit_code=EXIT_FAILURE)


def _role_verdict(conn: psycopg.Connection, role: str, oid: int) -> list[str]:
    """Reasons to keep `role` (empty: it may be dropped)."""
    uses = conn.execute(_USES, {"oid": oid}).fetchall()
    others = [use.removeprefix("still used in database ") for use, _ in uses if use.startswith("still used in database ")]
    reasons = [f"still used in database{'s' if len(others) > 1 else ''} {', '.join(others)}"] if others else []
    reasons += [f"{use} ({n} grant(s)/object(s))" if "this database" in use else use
                for use, n in uses if not use.startswith("still used in database ")]
    admin_only = "AND (am.inherit_option OR am.set_option)" if conn.info.server_version >= 160000 else ""
    members = [r[0] for r in conn.execute(_MEMBERS.format(admin_only=admin_only), {"oid": oid, "groups": list(GROUP_ROLES)}).fetchall()]
    if members:
        reasons.append(f"granted to {', '.join(members)} (REVOKE {role} FROM {', '.join(members)}; then uninstall again)")
    return reasons


def uninstall(dsn: str | None, *, yes: bool = False, lock_timeout: float = 30.0) -> dict:
    conn = connect(dsn, autocommit=True, application="salesflow uninstall")
    try:
        database = conn.info.dbname
        present = conn.execute("SELECT to_regnamespace('salesflow') IS NOT NULL").fetchone()[0]
        leads = None
        if present and conn.execute("SELECT to_regclass('salesflow.leads') IS NOT NULL").fetchone()[0]:
            leads = conn.execute("SELECT count(*) FROM salesflow.leads").fetchone()[0]
        _confirm(database, leads, yes)
        result: dict = {"database": database, "schema": "absent", "roles": [], "left_extensions": []}
        if present:
            # under the deploy lock (no deploy halfway through a drop), in the lock's own transaction:
            # the lock row goes with the schema
            with locks.Held(conn, locks.DEPLOY, lock_timeout, create=False):
                conn.execute("DROP SCHEMA salesflow CASCADE")
                conn.execute("COMMIT")
            result["schema"] = "dropped"
        for role in GROUP_ROLES:
            row = conn.execute("SELECT oid FROM pg_catalog.pg_roles WHERE rolname = %s", (role,)).fetchone()
            if row is None:
                result["roles"].append({"role": role, "action": "absent", "reason": "does not exist"})
                continue
            reasons = _role_verdict(conn, role, row[0])
            kept = [r for r in result["roles"] if r["action"] == "left" and r["reason"].startswith("still used in database")]
            if role == "salesflow_gateway" and kept and not reasons:
                # it carries no privileges, so nothing records where it is used: it stays with the groups
                reasons = [kept[0]["reason"]]
            if not reasons:
                try:
                    conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))
                    result["roles"].append({"role": role, "action": "dropped", "reason": "no database uses it any more"})
                    continue
                except psycopg.Error as exc:  # no CREATEROLE / ADMIN OPTION, or a dependency found at drop time
                    reasons = [f"DROP ROLE failed: {exc.diag.message_primary or exc}"]
            result["roles"].append({"role": role, "action": "left", "reason": "; ".join(reasons)})
        for (ext,) in conn.execute("SELECT extname FROM pg_catalog.pg_extension WHERE extname = 'vector'").fetchall():
            result["left_extensions"].append({"extension": ext, "reason": "other schemas may use it; DROP EXTENSION vector if nothing does"})
        return result
    finally:
        conn.close()


def uninstall_command(
    dsn: Dsn = None,
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation (needed without a terminal)."),
    lock_timeout: LockTimeout = 30.0,
    as_json: Json = False,
) -> None:
    """Drop schema salesflow (CASCADE) in the target database, then each salesflow group role that no
    other database uses; prints what it dropped and what it left, and why."""
    result = uninstall(dsn, yes=yes, lock_timeout=lock_timeout)
    if as_json:
        print_json(result)
        return
    db = result["database"]
    console.print(f"dropped schema salesflow in database {db}" if result["schema"] == "dropped"
                  else f"schema salesflow: not present in database {db} (nothing to drop)")
    for r in result["roles"]:
        if r["action"] == "dropped":
            console.print(f"dropped role {r['role']}")
        elif r["action"] == "left":
            console.print(f"left role {r['role']}: {r['reason']}")
        else:
            console.print(f"role {r['role']}: does not exist (nothing to drop)")
    for e in result["left_extensions"]:
        console.print(f"left extension {e['extension']}: {e['reason']}")
