"""Run the real `salesflow` command in a subprocess (exit codes, stderr, env vars as a user sees them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Variables that would silently redirect a command to another database or tree.
_SCRUB = ("SALESFLOW_DSN", "DATABASE_URL", "SALESFLOW_SQL_DIR", "SALESFLOW_HOME", "SALESFLOW_LOCK_TIMEOUT",
          "SALESFLOW_DRY_RUN", "SALESFLOW_JSON", "SALESFLOW_QUIET")


def cli_env(**extra: str | os.PathLike | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _SCRUB}
    env.update({"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb", "PYTHONWARNINGS": "ignore"})
    env.update({k: str(v) for k, v in extra.items() if v is not None})
    return env


def cli_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "salesflow_cli", *args]


def run_cli(*args: str, env: dict | None = None, timeout: float = 180, cwd: Path | None = None,
            **env_extra) -> subprocess.CompletedProcess:
    """`salesflow ARGS...`; returns the CompletedProcess (text stdout/stderr, returncode)."""
    return subprocess.run(
        cli_cmd(*args), env=env or cli_env(**env_extra), cwd=cwd or REPO, capture_output=True, text=True, timeout=timeout
    )


def one_line(text: str) -> bool:
    return len([line for line in text.splitlines() if line.strip()]) == 1
