"""`salesflow compliance train [FILE.tsv]`: teach the compliance scorer from labelled messages.

The scorer (the SQL functions train_compliance_scorer and compliance_score) learns from the
table compliance_training_messages: the shipped development corpus (origin 'builtin',
written into sql/data/compliance_training_messages.sql by `salesflow build` from
corpus/compliance/dev.tsv and re-synced by deploy) plus a team's own labelled messages (origin
'custom', added here from a TSV file in the format of `salesflow compliance eval`). Training
replaces the model in one transaction; a bad file writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from . import rpc
from .compliance_eval import read_corpus
from .connection import connect
from .options import Dsn, Json
from .render import console, print_json

def train_command(
    file: Annotated[Optional[Path], typer.Argument(
        help="Labelled messages to add (category<TAB>language<TAB>text, header first); none: retrain only.")] = None,
    clear_custom: Annotated[bool, typer.Option("--clear-custom", help="Remove the messages added earlier first.")] = False,
    alpha: Annotated[float, typer.Option("--alpha", envvar="SALESFLOW_SCORER_ALPHA", help="Naive Bayes smoothing.")] = 0.3,
    clean_target: Annotated[float, typer.Option(
        "--clean-target", envvar="SALESFLOW_SCORER_CLEAN_TARGET",
        help="Share of ordinary messages (out-of-fold) the scorer must leave clean.")] = 0.98,
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """Train the compliance scorer (admins): add your labelled messages and retrain; prints out-of-fold figures."""
    with connect(dsn, application="salesflow compliance train") as conn:
        categories = {r[0] for r in conn.execute("SELECT DISTINCT category FROM salesflow.compliance_rules WHERE enabled")}
        messages = read_corpus(file, categories) if file is not None else []
        with conn.transaction():
            if clear_custom:
                conn.execute("DELETE FROM salesflow.compliance_training_messages WHERE origin = 'custom'")
            added = 0
            with conn.cursor() as cur:
                for m in messages:
                    cur.execute("INSERT INTO salesflow.compliance_training_messages (category, language, body, origin) "
                                "VALUES (%s, %s, %s, 'custom') ON CONFLICT DO NOTHING", (m["category"], m["language"], m["text"]))
                    added += cur.rowcount
            result = rpc.train_compliance_scorer(conn, alpha=alpha, clean_target=clean_target)[0]
    result["added"] = added
    if as_json:
        print_json(result)
        return
    if file is not None:
        console.print(f"added {added} of {len(messages)} messages from {file} ({len(messages) - added} were there already)")
    t = Table("messages", "violations", "terms", "threshold", "recall (out-of-fold)", "clean (out-of-fold)", box=None, pad_edge=False)
    t.add_row(str(result["messages"]), str(result["violations"]), str(result["terms"]), f"{result['threshold']:.3f}",
              f"{result['oof_recall'] * 100:.1f}%", f"{result['oof_clean'] * 100:.1f}%")
    console.print(t)
