"""How failures reach the user: one clear line and the documented exit code (errors.py has the
classes and codes; this module also asks the database what is missing, so it sits above connection)."""

from __future__ import annotations

import re
import sys

import psycopg

from .connection import connect_failure, last_target
from .errors import EXIT_FAILURE, UserError, describe_db_error, exit_code_for, not_deployed


def report(exc: BaseException) -> int:
    """Print one line for a known failure and return the exit code."""
    if isinstance(exc, UserError):
        line = f"error: {exc.message}"
        if exc.hint:
            line += f" (hint: {exc.hint})"
        print(line, file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, psycopg.errors.ConnectionTimeout):  # a connection opened outside connection.connect()
        return report(connect_failure(last_target() or "", exc))
    if isinstance(exc, psycopg.Error):
        missing = schema_missing(exc)
        if missing is not None:
            return report(missing)
        print(describe_db_error(exc), file=sys.stderr)
        return exit_code_for(exc)
    raise exc


# "schema salesflow does not exist", "relation salesflow.x does not exist", "function salesflow.f(...) does not exist"
_UNDEFINED = {"3F000", "42P01", "42883"}


def schema_missing(exc: psycopg.Error) -> UserError | None:
    """A command that needs the schema ran against a database where salesflow is not (fully) deployed:
    say so, and name the database, instead of the server's raw message."""
    state = getattr(exc, "sqlstate", None)
    diag = getattr(exc, "diag", None)
    primary = (diag.message_primary if diag else None) or ""
    if state not in _UNDEFINED or not re.search(r'\b"?salesflow"?\.|schema "salesflow"', primary):
        return None
    database, deployed = _probe()
    if state == "3F000" or deployed is False:
        return not_deployed(database)
    where = f"database {database}" if database else "this database"
    return UserError(f"salesflow in {where} lacks an object this command needs ({primary}): it is older than this CLI "
                     "or incomplete", hint="run: salesflow deploy (salesflow status lists what is pending)",
                     exit_code=EXIT_FAILURE)


def _probe() -> tuple[str | None, bool | None]:
    """(database name, does schema salesflow exist) of the database the command used; Nones when unknown."""
    from psycopg.conninfo import conninfo_to_dict

    target = last_target()
    if not target:
        return None, None
    try:
        with psycopg.connect(target, autocommit=True, connect_timeout=5) as conn:
            name, exists = conn.execute("SELECT current_database(), to_regnamespace('salesflow') IS NOT NULL").fetchone()
            return name, exists
    except psycopg.Error:
        try:
            return conninfo_to_dict(target).get("dbname"), None
        except psycopg.Error:
            return None, None
