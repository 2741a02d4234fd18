"""Run the real `salesflow` command in a subprocess (exit codes, stderr, env vars as a user sees them)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

def _scrubbed(name: str) -> bool:
    """The caller's variables that would silently redirect a command to another database or tree,
    or set one of its options: every option also reads SALESFLOW_<COMMAND>_<OPTION>."""
    return name == "DATABASE_URL" or name.startswith("SALESFLOW_")


def cli_env(**extra: str | os.PathLike | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not _scrubbed(k)}
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "PYTHONWARNINGS": "ignore"})
    env.update({k: str(v) for k, v in extra.items() if v is not None})
    return env


def cli_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "salesflow_cli", *args]


@dataclass
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run_cli(*args: str, env: dict | None = None, timeout: float = 180, cwd: Path | None = None,
            subprocess_: bool = False, **env_extra) -> Ran | subprocess.CompletedProcess:
    """`salesflow ARGS...` -> (returncode, stdout, stderr).

    In-process through typer's CliRunner by default (the same Typer app, exit codes and output as the
    console script; importing the CLI once keeps the suite fast). subprocess_=True (or an explicit
    env/cwd) runs a real `python -m salesflow_cli` process instead.
    """
    if subprocess_ or env is not None or cwd is not None:
        return subprocess.run(
            cli_cmd(*args), env=env or cli_env(**env_extra), cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout
        )
    from typer.testing import CliRunner

    from salesflow_cli.main import ENV_PREFIX, cli
    from salesflow_cli.render import console

    overrides: dict[str, str | None] = {k: None for k in os.environ if _scrubbed(k)}
    overrides.update({k: str(v) for k, v in env_extra.items() if v is not None})
    # as COLUMNS=200 does for the subprocess: no wrapped lines in assertions. Only for this call: a width
    # left set on the shared console would override COLUMNS for every later test (tests/test_width.py)
    previous = console._width
    console.width = 200
    try:
        # the same environment-variable prefix as the console script (salesflow_cli.main.app)
        result = CliRunner().invoke(cli, list(args), env=overrides, catch_exceptions=False, auto_envvar_prefix=ENV_PREFIX)
    finally:
        console._width = previous
    return Ran(result.exit_code, result.stdout, result.stderr)


def one_line(text: str) -> bool:
    return len([line for line in text.splitlines() if line.strip()]) == 1
