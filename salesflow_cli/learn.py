"""`salesflow learn eval`: how well the win probability holds on closed leads it did not learn from.

Thin: calls salesflow.evaluate_conversion_model (admins; the owner connection of the CLI is one)
and prints AUC, log loss and Brier score of the raw and the calibrated naive Bayes beside the base
rate, and their quintile reliability bins (predicted vs observed win rate). Nothing is written.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from . import rpc
from .connection import connect
from .options import Dsn, Json
from .render import console, print_json

app = typer.Typer(help="The learning engine (win probabilities).", no_args_is_help=True)


def _f(v, digits: int = 3) -> str:
    return "–" if v is None else f"{v:.{digits}f}"


@app.command("eval")
def eval_command(
    test_percent: Annotated[int, typer.Option("--test-percent", min=5, max=95, envvar="SALESFLOW_LEARN_TEST_PERCENT",
                                              help="Share of the closed leads held out (by a hash of the id).")] = 30,
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """Measure the win probability on a held-out split of the closed leads: AUC, log loss, Brier, reliability bins."""
    with connect(dsn, autocommit=True, application="salesflow learn eval") as conn:
        rows = rpc.evaluate_conversion_model(conn, test_percent=test_percent)
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("no closed leads (won or lost) to evaluate on")
        return
    console.print(f"closed leads: {rows[0]['train_leads']} to learn from, {rows[0]['test_leads']} held out ({test_percent} %)")
    t = Table("model", "AUC", "log loss", "Brier", box=None, pad_edge=False)
    for r in rows:
        t.add_row(r["model"], _f(r["auc"]), _f(r["log_loss"], 4), _f(r["brier"], 4))
    console.print(t)
    for model, label in (("naive_bayes", "raw naive Bayes"), ("calibrated", "calibrated: what predict_conversion shows")):
        r = next((r for r in rows if r["model"] == model), None)
        if not r or not r["bins"]:
            continue
        b = Table("quintile", "leads", "predicted", "observed", "gap", box=None, pad_edge=False)
        for x in r["bins"]:
            gap = (x["predicted"] - x["observed"]) * 100
            b.add_row(str(x["bin"]), str(x["leads"]), f"{x['predicted'] * 100:.1f}%", f"{x['observed'] * 100:.1f}%",
                      f"{gap:+.1f}")
        console.print(f"\nreliability ({label}, by predicted probability):")
        console.print(b)
