"""The `salesflow` command: parse arguments, connect, call SQL functions, render."""

from __future__ import annotations

import sys
import warnings

import psycopg
import typer

from . import __version__, build, db, deploy
from .errors import UserError, report

warnings.filterwarnings("ignore", module="platformdirs")

_typer = typer.Typer(
    name="salesflow",
    help="AI sales intelligence inside PostgreSQL. Exit codes: 0 ok, 1 failure, 2 bad input, 3 lock busy.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"salesflow {__version__}")
        raise typer.Exit()


@_typer.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version.")) -> None:
    pass


_typer.add_typer(db.app, name="db")
_typer.command("deploy")(deploy.deploy_command)
_typer.command("status")(deploy.status_command)
_typer.command("verify")(deploy.verify_command)
_typer.command("build")(build.build_command)


def app() -> None:
    """Console entry point: known failures become one line and an exit code, never a traceback."""
    try:
        _typer(standalone_mode=False)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except (UserError, psycopg.Error) as exc:
        sys.exit(report(exc))
    except typer.Abort:
        print("aborted", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as exc:  # click usage errors and the like
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(2)
        raise


# The typer object itself, for tests (typer.testing.CliRunner) and for registering commands.
cli = _typer
