"""The `salesflow` command: parse arguments, connect, call SQL functions, render."""

from __future__ import annotations

import os
import sys
import warnings

import psycopg
import typer
from typer.core import TyperGroup

from . import __version__, build, db, deploy
from .connection import apply_connect_timeout
from .errors import UserError
from .failures import report
from .options import connect_timeout_option
from .textinput import check_argv

warnings.filterwarnings("ignore", module="platformdirs")


def _add_connect_timeout(command) -> None:
    """Every command that takes --dsn also takes --connect-timeout (declared once in options.py)."""
    if hasattr(command, "commands"):  # a group (ai, db, compliance)
        for sub in command.commands.values():
            _add_connect_timeout(sub)
    elif any(p.name == "dsn" for p in command.params) and not any(p.name == "connect_timeout" for p in command.params):
        option = connect_timeout_option()
        at = next(i for i, p in enumerate(command.params) if p.name == "dsn") + 1
        command.params.insert(at, option)


class _Group(TyperGroup):
    """Known failures (UserError, database errors) become one line on stderr and the documented
    exit code, both for the console script and for typer.testing.CliRunner."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for sub in self.commands.values():
            _add_connect_timeout(sub)

    def make_context(self, info_name, args, parent=None, **extra):
        # the root's own options (--version) would read SALESFLOW_<OPTION>, names as generic as a deploy
        # pipeline's SALESFLOW_VERSION=1.2.3: only command options read the environment
        if parent is None:
            for p in self.params:
                p.allow_from_autoenv = False
            try:
                check_argv(list(args))
            except UserError as exc:
                raise typer.Exit(report(exc)) from None
        return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx):
        # --connect-timeout works through libpq's PGCONNECT_TIMEOUT (see connection.apply_connect_timeout):
        # default it for this invocation, and put the caller's value back afterwards (CliRunner tests)
        saved = os.environ.get("PGCONNECT_TIMEOUT")
        apply_connect_timeout(None)
        try:
            return super().invoke(ctx)
        except (UserError, psycopg.Error) as exc:
            raise typer.Exit(report(exc)) from exc
        except UnicodeError as exc:  # undecodable bytes that reached an encoder (a file, the terminal)
            raise typer.Exit(report(UserError(f"input is not valid UTF-8: {exc}", hint="convert it to UTF-8"))) from exc
        finally:
            if saved is None:
                os.environ.pop("PGCONNECT_TIMEOUT", None)
            else:
                os.environ["PGCONNECT_TIMEOUT"] = saved


_typer = typer.Typer(
    name="salesflow",
    cls=_Group,
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
from . import refresh as _refresh  # noqa: E402
_typer.command("refresh")(_refresh.refresh_command)
from . import bench as _bench  # noqa: E402
_typer.command("bench")(_bench.bench_command)
from .ai import commands as _ai  # noqa: E402
_typer.add_typer(_ai.app, name="ai")
_typer.command("search")(_ai.search_command)
from . import seed as _seed  # noqa: E402
_typer.command("seed")(_seed.seed_command)
from . import reads as _reads  # noqa: E402
for _name in ("leads", "funnel", "insights"):
    _typer.command(_name)(getattr(_reads, f"{_name}_command"))
from . import recs as _recs  # noqa: E402
_typer.command("recs")(_recs.recs_command)
# working the day (issue 12 item 1): `lead` is a group whose default is show (salesflow lead LEAD)
from .work import followup as _followup, lead_add as _lead_add, log as _log  # noqa: E402
from .work import playbook as _playbook, profile as _profile, rec as _rec, stage as _stage  # noqa: E402
_typer.add_typer(_lead_add.app, name="lead")
_typer.command("log")(_log.log_command)
_typer.add_typer(_followup.app, name="followup")
_typer.add_typer(_rec.app, name="rec")
_typer.command("stage")(_stage.stage_command)
_typer.add_typer(_playbook.app, name="playbook")
_typer.command("profile")(_profile.profile_command)
from . import kpis as _kpis  # noqa: E402
_typer.command("kpis")(_kpis.kpis_command)
from . import learn as _learn  # noqa: E402
_typer.add_typer(_learn.app, name="learn")
from . import team as _team  # noqa: E402
_typer.command("team")(_team.team_command)
_typer.command("teams")(_team.teams_command)
from . import report as _report  # noqa: E402
_typer.command("report")(_report.report_command)
from . import today as _today  # noqa: E402
_typer.command("today")(_today.today_command)
from . import users as _users  # noqa: E402
_typer.add_typer(_users.app, name="users")
from . import demo as _demo  # noqa: E402
_typer.command("demo")(_demo.demo_command)
from . import compliance as _compliance  # noqa: E402
_typer.add_typer(_compliance.app, name="compliance")
from . import audit as _audit  # noqa: E402
_typer.add_typer(_audit.app, name="audit")
from .importer import command as _import  # noqa: E402
_typer.add_typer(_import.app, name="import")
from . import export as _export  # noqa: E402
_typer.command("export")(_export.export_command)
from . import gdpr as _gdpr  # noqa: E402
from . import gdpr_rules as _gdpr_rules  # noqa: E402
_gdpr_rules.register(_gdpr.app)  # restrict, unrestrict, retention, consent
_typer.add_typer(_gdpr.app, name="gdpr")
from . import uninstall as _uninstall  # noqa: E402
_typer.command("uninstall")(_uninstall.uninstall_command)


# every option can also come from the environment: SALESFLOW_<COMMAND>_<OPTION> (SALESFLOW_BENCH_USERS,
# SALESFLOW_AI_MEMORY_CONCURRENCY); options that declare a shared name (SALESFLOW_DSN, SALESFLOW_USER,
# SALESFLOW_JSON, ...) keep it
ENV_PREFIX = "SALESFLOW"


def app() -> None:
    """Console entry point: known failures become one line and an exit code, never a traceback.

    Standalone mode: click turns usage errors into exit 2 and typer.Exit into its code; _Group
    maps UserError / psycopg.Error to report() + their exit code.
    """
    try:
        _typer(auto_envvar_prefix=ENV_PREFIX)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        sys.exit(130)


# The typer object itself, for tests (typer.testing.CliRunner) and for registering commands.
cli = _typer
