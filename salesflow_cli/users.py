"""`salesflow users list|add|login`: sales users and the personal logins bound to them.

A personal login (a LOGIN role linked through users.db_role) is that user whatever its session
sets: give a rep psql with one. Passwords come from a prompt or an environment variable; the CLI
sends the server only a SCRAM hash computed here (libpq's PQencryptPasswordConn), so the password
is never printed, stored by salesflow, or visible in the server's statement log.
"""

from __future__ import annotations

import os
import re
from typing import Optional

import typer
from psycopg import sql
from psycopg.rows import dict_row

from . import refs, rpc
from .acting import find_user
from .connection import connect
from .errors import UserError
from .options import Dsn, Json
from .render import console, print_json, table

app = typer.Typer(help="Sales users and their personal database logins (no subcommand: list).", invoke_without_command=True)

ROLES = ("rep", "manager", "admin")
GROUPS = tuple(f"salesflow_{r}" for r in ROLES)
_LOGIN_NAME = re.compile(r"^[a-z_][a-z0-9_]{1,62}$")


def _password(env: Optional[str], prompt: bool) -> Optional[str]:
    if env:
        value = os.environ.get(env)
        if not value:
            raise UserError(f"environment variable {env} is not set or empty", hint=f"export {env}=... first")
        return value
    if prompt:
        if not os.isatty(0):
            raise UserError("no terminal to prompt for a password", hint="pass --password-env VAR instead")
        value = typer.prompt("password", hide_input=True, confirmation_prompt=True)
        if not value:
            raise UserError("the password must not be empty")
        return value
    return None


@app.callback()
def _default(ctx: typer.Context, dsn: Dsn = None, as_json: Json = False) -> None:
    """`salesflow users` alone lists the users."""
    if ctx.invoked_subcommand is None:
        list_command(dsn, as_json)


@app.command("list")
def list_command(dsn: Dsn = None, as_json: Json = False) -> None:
    """Users with role, team, login and open leads: the ids to pass as --user."""
    with connect(dsn, autocommit=True, application="salesflow users") as conn:
        rows = conn.cursor(row_factory=dict_row).execute("""
            SELECT u.id, u.email, u.display_name, u.role, t.name AS team, u.language, u.db_role AS login,
                   (SELECT count(*) FROM salesflow.leads AS l WHERE l.user_id = u.id AND l.stage NOT IN ('won', 'lost'))
                   AS open_leads
            FROM salesflow.users AS u LEFT JOIN salesflow.teams AS t ON t.id = u.team_id
            ORDER BY t.name NULLS LAST, CASE u.role WHEN 'admin' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, u.display_name
        """).fetchall()
    if as_json:
        print_json(rows)
        return
    # a cut id cannot be pasted: whole ids when there is room, else unique prefixes (--user takes both)
    wide = console.width >= 120
    ids = refs.shown_ids([r["id"] for r in rows], wide)
    title = "Users" if wide else "Users (id: a unique prefix; --user takes it, --json has the whole id)"
    console.print(table(title, ["id", "name", "role", "team", "login", "open leads"],
                        [(ids[str(r["id"])], r["display_name"], r["role"], r["team"] or "–", r["login"] or "–",
                          f"{r['open_leads']:,}") for r in rows]))


@app.command("add")
def add_command(
    email: str = typer.Argument(..., help="E-mail (unique)."),
    name: str = typer.Option(..., "--name", help="Display name."),
    role: str = typer.Option("rep", "--role", help="rep, manager or admin."),
    team: Optional[str] = typer.Option(None, "--team", help="Team name (created when new)."),
    language: str = typer.Option("de", "--language", help="de or en."),
    timezone: str = typer.Option("Europe/Berlin", "--timezone", help="IANA time zone."),
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """Create a sales user (as the owner). Link a login afterwards with `salesflow users login`."""
    if role not in ROLES:
        raise UserError(f"--role must be rep, manager or admin, got {role!r}")
    with connect(dsn, application="salesflow users add") as conn, conn.transaction():
        team_id = None
        if team is not None:
            if not team.strip():
                raise UserError("--team must not be empty", hint="omit --team for a user without a team")
            row = conn.execute("SELECT id FROM salesflow.teams WHERE name = %s", (team.strip(),)).fetchone()
            team_id = row[0] if row else conn.execute(
                "INSERT INTO salesflow.teams (name) VALUES (%s) RETURNING id", (team.strip(),)).fetchone()[0]
        if conn.execute("SELECT 1 FROM salesflow.users WHERE lower(email) = lower(%s)", (email,)).fetchone():
            raise UserError(f"a user with e-mail {email!r} exists", hint="salesflow users list")
        uid = conn.execute(
            "INSERT INTO salesflow.users (email, display_name, role, team_id, language, timezone) "
            "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
            (email, name, role, team_id, language, timezone),
        ).fetchone()[0]
    if as_json:
        print_json({"id": uid, "email": email, "role": role, "team_id": team_id})
    else:
        console.print(f"added {role} {name} <{email}>: {uid}")


@app.command("login")
def login_command(
    user: str = typer.Argument(..., help="The user: uuid, id prefix, e-mail or name."),
    login: Optional[str] = typer.Option(None, "--login", help="The login role (default: sf_ + the e-mail's local part)."),
    create: bool = typer.Option(False, "--create", help="Create the LOGIN role when it does not exist."),
    password_env: Optional[str] = typer.Option(None, "--password-env", help="Read the password from this variable."),
    no_password: bool = typer.Option(False, "--no-password", help="Set no password (peer/cert authentication)."),
    unlink: bool = typer.Option(False, "--unlink", help="Remove the user's login mapping (the role is kept)."),
    dsn: Dsn = None,
) -> None:
    """Create or link the personal login of a user: that login is always this user, whatever it sets."""
    with connect(dsn, autocommit=True, application="salesflow users login") as conn:
        u = find_user(conn, user)
        if unlink:
            rpc.link_user_login(conn, user_id=u["id"], db_role=None)
            console.print(f"{u['display_name']}: login {u['db_role'] or '–'} unlinked (the role itself is kept)")
            return
        name = login or "sf_" + re.sub(r"[^a-z0-9_]", "_", (u["email"] or u["display_name"]).split("@")[0].lower())
        if not _LOGIN_NAME.match(name):
            raise UserError(f"login name {name!r} is not a plain lower-case identifier", hint="pass --login NAME")
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone() is not None
        if not exists and not create:
            raise UserError(f"role {name} does not exist", hint="add --create to create it")
        password = None if no_password else _password(password_env, prompt=not exists)
        group = f"salesflow_{u['role']}"
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone() is None:
            raise UserError(f"group role {group} does not exist", hint="a DBA creates it (CREATE ROLE ... NOLOGIN), then: salesflow deploy")
        with conn.transaction():
            if not exists:
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
            if password is not None:
                # only the SCRAM verifier travels: the password is never in a statement
                hashed = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256").decode()
                conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(name), sql.Literal(hashed)))
            rpc.link_user_login(conn, user_id=u["id"], db_role=name)
            for g in GROUPS:  # one group: the one of the user's role
                if g != group and conn.execute(
                        "SELECT 1 FROM pg_auth_members AS m JOIN pg_roles AS r ON r.oid = m.roleid "
                        "JOIN pg_roles AS x ON x.oid = m.member WHERE r.rolname = %s AND x.rolname = %s", (g, name)).fetchone():
                    conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(g), sql.Identifier(name)))
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(name)))
            # a forgotten open transaction would hold its locks (and delay deploys) indefinitely
            conn.execute(sql.SQL("ALTER ROLE {} SET idle_in_transaction_session_timeout = '10min'").format(sql.Identifier(name)))
    console.print(f"{u['display_name']} ({u['role']}) logs in as {name}"
                  + (" (password set)" if password is not None else "")
                  + f"; that login is always this user. Connect: psql \"dbname=... user={name}\"")
