"""`salesflow compliance check`: run the LIABILITY-SHIELD rules on a text (no log written).

Thin: reads the text (argument or stdin), calls salesflow.check_compliance, renders. The decision
is the output, so allowed, flagged and blocked all exit 0; bad input exits 2.
"""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from rich.console import Group
from rich.padding import Padding
from rich.text import Text

from . import i18n, rpc
from .connection import connect
from .errors import UserError
from .options import Dsn, Json
from .render import console, print_json
from .textinput import check_text, read_stdin

app = typer.Typer(help="LIABILITY-SHIELD compliance rules.", no_args_is_help=True)

_STYLE = {"blocked": "bold red", "flagged": "bold yellow", "allowed": "bold green"}
_SEVERITY_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


def hits(violations: list, lang: str, show_matched: bool = True) -> Group:
    """The compliance hits as a list, not a table: each hit a heading (category, severity, the
    matched words when the text may be shown) and its explanation and suggestion as indented
    paragraphs, so a long explanation wraps at any width instead of making a table row tall."""
    parts = []
    for v in violations:
        head = Text("• ")
        head.append(i18n.name("compliance_category", v.get("category"), lang), style="bold")
        head.append(f" ({i18n.name('severity', v.get('severity'), lang)})", style=_SEVERITY_STYLE.get(v.get("severity"), ""))
        if show_matched and v.get("matched"):
            head.append(f" »{v['matched']}«")
        parts.append(head)
        if v.get("explanation"):
            parts.append(Padding(Text(v["explanation"]), (0, 0, 0, 2)))
        if v.get("suggestion"):
            parts.append(Padding(Text(f"→ {v['suggestion']}", style="green"), (0, 0, 0, 2)))
    return Group(*parts)


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
        console.print(hits(violations, lang))
    console.print(
        f"{i18n.say('decision', lang)}: [{_STYLE.get(decision, 'bold')}]{i18n.name('decision', decision, lang)}[/] "
        f"({i18n.say('max severity', lang)}: {i18n.name('severity', max_severity, lang)}, "
        f"{i18n.count(len(violations), 'hit', lang)})"
    )


from .compliance_eval import eval_command  # noqa: E402
from .compliance_train import train_command  # noqa: E402

app.command("eval")(eval_command)
app.command("train")(train_command)
