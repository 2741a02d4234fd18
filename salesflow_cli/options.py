"""Options shared by many commands. Every option can also come from an environment variable."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

Dsn = Annotated[
    Optional[str],
    typer.Option(
        "--dsn",
        envvar="SALESFLOW_DSN",
        help="PostgreSQL connection string. Default: SALESFLOW_DSN, then DATABASE_URL, then the embedded server.",
        show_envvar=True,
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
