"""`salesflow compliance check`: run the LIABILITY-SHIELD rules on a text (no log written).

Thin: reads the text (argument or stdin), calls salesflow.check_compliance, renders. The decision
is the output, so allowed, flagged and blocked all exit 0; bad input exits 2.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from . import rpc
from .connection import connect
from .errors import UserError
from .options import Dsn, Json
from .render import console, print_json, table
from .textinput import check_text, read_stdin

app = typer.Typer(help="LIABILITY-SHIELD compliance rules.", no_args_is_help=True)

_STYLE = {"blocked": "bold red", "flagged": "bold yellow", "allowed": "bold green"}


def _read_text(text: Optional[str]) -> str:
    if text is None or text == "-":
        if text is None and sys.stdin.isatty():
            raise UserError("no text given", hint="pass the text as an argument, or '-' to read it from stdin")
        text = read_stdin()
    else:
        check_text(text, "the text argument")
    if not text.strip():
        raise UserError("the text to check is empty", hint="pass the text as an argument, or '-' to read it from stdin")
    return text


@app.command("check")
def check_command(
    text: Annotated[Optional[str], typer.Argument(help="Text to check; '-' (or nothing, when piped) reads stdin.")] = None,
    lang: Annotated[str, typer.Option("--lang", envvar="SALESFLOW_LANG", help="Language of explanations: de or en.")] = "de",
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """Check a text against the compliance rules (German and English) and show the decision."""
    if lang not in ("de", "en"):
        raise UserError(f"--lang must be de or en, got {lang!r}", hint="use --lang de or --lang en")
    body = _read_text(text)
    with connect(dsn, autocommit=True, application="salesflow compliance") as conn:
        r = rpc.check_compliance(conn, text=body, language=lang)[0]
        decision, max_severity, violations = r["decision"], r["max_severity"], r["violations"]
    if as_json:
        print_json({"decision": decision, "max_severity": max_severity, "violations": violations})
        return
    if violations:
        console.print(
            table(
                None,
                ["category", "severity", "matched", "suggestion"],
                [(v["category"], v["severity"], v.get("matched") or "", v.get("suggestion") or "") for v in violations],
            )
        )
    console.print(
        f"decision: [{_STYLE.get(decision, 'bold')}]{decision}[/] (max severity: {max_severity}, violations: {len(violations)})"
    )
