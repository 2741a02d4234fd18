"""Real login roles for the attack suite: a personal rep login, a manager login, an unlinked rep
login, a gateway (PostgREST-style authenticator) and a role outside every salesflow group.

Roles are cluster-wide, so each test gets its own names and drops them afterwards.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo


@dataclass
class Logins:
    dsn: str  # the test database, as the owner
    names: dict[str, str] = field(default_factory=dict)  # kind -> role name
    conns: list[psycopg.Connection] = field(default_factory=list)

    def connect(self, kind: str, autocommit: bool = True) -> psycopg.Connection:
        params = {k: v for k, v in conninfo_to_dict(self.dsn).items() if k != "password"}
        params["user"] = self.names[kind]
        conn = psycopg.connect(make_conninfo(**params), autocommit=autocommit)
        self.conns.append(conn)
        return conn


def create_logins(owner: psycopg.Connection, dsn: str, org: dict) -> Logins:
    """rep (linked to org['rep1']), manager (org['mgr_a']), admin (org['admin']), unlinked (a rep
    login linked to nobody), gateway (NOINHERIT, may SET ROLE to the groups) and outsider (only
    USAGE on the schema and CONNECT)."""
    tag = uuid.uuid4().hex[:8]
    logins = Logins(dsn)
    spec = {
        "rep": ("salesflow_rep", org["rep1"]),
        "rep3": ("salesflow_rep", org["rep3"]),
        "manager": ("salesflow_manager", org["mgr_a"]),
        "admin": ("salesflow_admin", org["admin"]),
        "unlinked": ("salesflow_rep", None),
        "gateway": (None, None),
        "outsider": (None, None),
    }
    for kind, (group, user_id) in spec.items():
        name = f"sf_t_{kind}_{tag}"
        logins.names[kind] = name
        attrs = "LOGIN NOINHERIT" if kind == "gateway" else "LOGIN"
        owner.execute(sql.SQL("CREATE ROLE {} " + attrs).format(sql.Identifier(name)))
        if group:
            owner.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name)))
        if user_id:
            owner.execute("SELECT salesflow.link_user_login(%s, %s)", (user_id, name))
    gw = sql.Identifier(logins.names["gateway"])
    owner.execute(sql.SQL("GRANT salesflow_gateway, salesflow_rep, salesflow_manager, salesflow_admin TO {}").format(gw))
    owner.execute(sql.SQL("GRANT USAGE ON SCHEMA salesflow TO {}").format(sql.Identifier(logins.names["outsider"])))
    return logins


def drop_logins(owner: psycopg.Connection, logins: Logins) -> None:
    for c in logins.conns:
        c.close()
    for name in logins.names.values():
        owner.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        owner.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))


def fingerprint(owner: psycopg.Connection, exclude_user=None) -> dict[str, str]:
    """md5 of every salesflow table's rows (as the owner), optionally without one user's rows."""
    out = {}
    tables = [r[0] for r in owner.execute(
        "SELECT c.relname FROM pg_class c WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind = 'r' ORDER BY 1")]
    # the dirty-lead queue is bookkeeping: a permitted write queues its lead (attacks on the queue
    # itself: test_incremental_scores_cannot_be_read_forged_or_drained_by_sales_roles)
    tables = [t for t in tables if t != "dirty_leads"]
    for t in tables:
        has_user = owner.execute("SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'user_id' "
                                 "AND NOT attisdropped", (f"salesflow.{t}",)).fetchone()[0]
        where = " WHERE x.user_id IS DISTINCT FROM %s" if (exclude_user and has_user) else ""
        params = (exclude_user,) if where else ()
        rows = owner.execute(f"SELECT x::text FROM salesflow.{t} AS x{where} ORDER BY 1", params).fetchall()
        out[t] = hashlib.md5("\n".join(r[0] for r in rows).encode()).hexdigest()
    return out
