"""How failures reach the user: one clear line and a documented exit code.

Exit codes: 0 ok, 1 failure, 2 bad input, 3 lock busy.
"""

from __future__ import annotations

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
    if isinstance(exc, psycopg.Error):
        print(describe_db_error(exc), file=sys.stderr)
        return exit_code_for(exc)
    raise exc
