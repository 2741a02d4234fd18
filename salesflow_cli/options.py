"""Options shared by many commands. Every option can also come from an environment variable."""

from __future__ import annotations

from typing import Annotated, Optional

import typer
import typer.main

from .errors import UserError


def _not_blank(flag: str, env: str, hint: str):
    """An option that, when given, must say something: `--user ''` (an unset shell variable) would
    otherwise fall back silently to the default (the owner's view, the embedded server). An empty
    variable counts as unset (click's rule); one holding only blanks is refused like the flag."""

    def check(ctx: typer.Context, param: typer.CallbackParam, value: Optional[str]) -> Optional[str]:
        if value is not None and not value.strip():
            source = ctx.get_parameter_source(param.name)
            given = env if source is not None and source.name == "ENVIRONMENT" else flag
            raise UserError(f"{given} is empty ({value!r})", hint=hint)
        return value

    return check


Dsn = Annotated[
    Optional[str],
    typer.Option(
        "--dsn",
        envvar="SALESFLOW_DSN",
        help="PostgreSQL connection string. Default: SALESFLOW_DSN, then DATABASE_URL, then the embedded server.",
        show_envvar=True,
        callback=_not_blank("--dsn", "SALESFLOW_DSN", "pass a connection string, or leave --dsn out to use SALESFLOW_DSN / DATABASE_URL / the embedded server"),
    ),
]
Json = Annotated[bool, typer.Option("--json", envvar="SALESFLOW_JSON", help="Print JSON for scripts.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", envvar="SALESFLOW_QUIET", help="Print only errors (for cron).")]
LockTimeout = Annotated[
    float,
    typer.Option(
        "--lock-timeout",
        envvar="SALESFLOW_LOCK_TIMEOUT",
        min=0,
        help="Seconds to wait for another deploy/refresh to finish before exiting with code 3.",
    ),
]


def user_option(help: str):
    """--user (SALESFLOW_USER) with `help`; an empty or blank value is refused (exit 2)."""
    return Annotated[
        Optional[str],
        typer.Option("--user", envvar="SALESFLOW_USER", help=help,
                     callback=_not_blank("--user", "SALESFLOW_USER", "pass a user id (or e-mail) from `salesflow users`, or leave --user out")),
    ]


def _apply_connect_timeout(value: Optional[int]) -> Optional[int]:
    from .connection import apply_connect_timeout

    apply_connect_timeout(value)
    return value


ConnectTimeout = Annotated[
    Optional[int],
    typer.Option(
        "--connect-timeout",
        envvar="SALESFLOW_CONNECT_TIMEOUT",
        show_envvar=True,
        min=2,
        metavar="S",
        callback=_apply_connect_timeout,
        help="Seconds to wait for the server to answer a connection attempt (default 10; libpq's minimum is 2).",
    ),
]


def connect_timeout_option():
    """The --connect-timeout parameter, built by typer from ConnectTimeout (so it renders and parses like
    every other option, whatever typer's internals); main._Group adds it to every command taking --dsn."""
    probe = typer.Typer()

    @probe.command()
    def _probe(connect_timeout: ConnectTimeout = None) -> None:
        pass

    param = next(p for p in typer.main.get_command(probe).params if p.name == "connect_timeout")
    param.expose_value = False  # the commands never see it: the callback applies it
    return param


def _check_lang(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in ("de", "en"):
        raise UserError(f"--lang must be de or en, got {value!r}", hint="leave --lang out to use the acting user's language")
    return value


Lang = Annotated[
    Optional[str],
    typer.Option("--lang", envvar="SALESFLOW_LANG", callback=_check_lang, metavar="de|en",
                 help="Language of labels and texts (default: the acting user's, else English)."),
]
