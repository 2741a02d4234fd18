"""The failures the CLI knows: exception classes, exit codes and how a database error reads.

Exit codes: 0 ok, 1 failure, 2 bad input, 3 lock busy. failures.report() prints them (it needs the
connection module, which needs these classes: the split keeps imports one-way).
"""

from __future__ import annotations


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


def first_line(exc: BaseException) -> str:
    """The first line of an error's text (a psycopg error's primary message, without its context lines)."""
    return str(exc).strip().splitlines()[0]


def step_failed(what: str, exc: psycopg.Error, *, hint: str) -> UserError:
    """A database error that ended a step the CLI was running: "<what>: <first line>", exit 1."""
    return UserError(f"{what}: {first_line(exc)}", hint=hint, exit_code=EXIT_FAILURE)


def not_deployed(database: str | None) -> UserError:
    return UserError(f"salesflow is not deployed in {f'database {database}' if database else 'this database'}",
                     hint="run: salesflow deploy", exit_code=EXIT_FAILURE)
