"""How failures reach the user: one clear line and a documented exit code.

Exit codes: 0 ok, 1 failure, 2 bad input, 3 lock busy.
"""

from __future__ import annotations

import re
import sys

import psycopg

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_LOCK_BUSY = 0, 1, 2, 3

# SQLSTATEs that mean "the caller asked for something invalid", not "the system broke".
_BAD_INPUT_PREFIXES = ("22", "23", "P0002", "42501")


class UserError(Exception):
    """A failure with a message meant for the person at the terminal."""

    def __init__(self, message: str, *, hint: str | None = None, exit_code: int = EXIT_BAD_INPUT):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.exit_code = exit_code


class LockBusy(UserError):
    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message, hint=hint, exit_code=EXIT_LOCK_BUSY)


def exit_code_for(exc: psycopg.Error) -> int:
    state = getattr(exc, "sqlstate", None) or ""
    return EXIT_BAD_INPUT if state.startswith(_BAD_INPUT_PREFIXES) else EXIT_FAILURE


def describe_db_error(exc: psycopg.Error) -> str:
    diag = getattr(exc, "diag", None)
    primary = (diag.message_primary if diag else None) or str(exc).strip().splitlines()[0]
    hint = diag.message_hint if diag else None
    state = getattr(exc, "sqlstate", None)
    line = f"error: {primary}"
    if state:
        line += f" [{state}]"
    if hint:
        line += f" (hint: {hint})"
    return line


def report(exc: BaseException) -> int:
    """Print one line for a known failure and return the exit code."""
    if isinstance(exc, UserError):
        line = f"error: {exc.message}"
        if exc.hint:
            line += f" (hint: {exc.hint})"
        print(line, file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, psycopg.errors.ConnectionTimeout):  # a connection opened outside connection.connect()
        from .connection import connect_failure, last_target

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


def not_deployed(database: str | None) -> UserError:
    return UserError(f"salesflow is not deployed in {f'database {database}' if database else 'this database'}",
                     hint="run: salesflow deploy", exit_code=EXIT_FAILURE)


def _probe() -> tuple[str | None, bool | None]:
    """(database name, does schema salesflow exist) of the database the command used; Nones when unknown."""
    from psycopg.conninfo import conninfo_to_dict

    from .connection import last_target

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
