"""`salesflow rec accept|dismiss|done ID`: resolve a recommendation (salesflow.update_recommendation).

Only open recommendations change (accepted ones may become done); the function refuses anything
else with 22023 and someone else's with P0002 (both exit 2).
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import i18n, refs, rpc
from ..options import Dsn, Json, Lang
from .common import ActUser, emit, fields_table, session

app = typer.Typer(help="Accept, dismiss or complete a recommendation (ids: salesflow recs).", no_args_is_help=True)

IdArg = Annotated[str, typer.Argument(metavar="ID", help="The recommendation id (salesflow recs lists them).", show_default=False)]
Feedback = Annotated[Optional[str], typer.Option("--feedback", help="What you think of it (feeds the learning).")]
Rating = Annotated[Optional[int], typer.Option("--rating", min=1, max=5, help="How useful: 1 (useless) to 5 (very).")]


def _resolve(status: str, rec_id: str, feedback, rating, user, dsn, as_json, lang) -> None:
    rid = refs.int_id(rec_id, "ID")
    with session(dsn, user, lang, f"salesflow rec {status}") as s:
        row = rpc.update_recommendation(s.conn, id=rid, status=status, feedback=feedback, rating=rating)[0]
    emit(row, as_json, lambda: fields_table(f"{i18n.say('recommendation', s.lang)} {row['id']}", [
        (i18n.say("status", s.lang), i18n.name("rec_status", row["status"], s.lang)),
    ]))


@app.command("accept")
def accept_command(rec_id: IdArg, feedback: Feedback = None, rating: Rating = None,
                   user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None) -> None:
    """You will do it: the recommendation becomes accepted."""
    _resolve("accepted", rec_id, feedback, rating, user, dsn, as_json, lang)


@app.command("dismiss")
def dismiss_command(rec_id: IdArg, feedback: Feedback = None, rating: Rating = None,
                    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None) -> None:
    """Not useful: the recommendation becomes dismissed (say why with --feedback)."""
    _resolve("dismissed", rec_id, feedback, rating, user, dsn, as_json, lang)


@app.command("done")
def done_command(rec_id: IdArg, feedback: Feedback = None, rating: Rating = None,
                 user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None) -> None:
    """You did it: the recommendation becomes done."""
    _resolve("done", rec_id, feedback, rating, user, dsn, as_json, lang)
