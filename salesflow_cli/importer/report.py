"""How an import reports itself: counts in words, then every refused line (or JSON for scripts)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..render import console, print_json, table
from .staging import Outcome, write_rejects

_SHOWN = 50  # rejects printed in the terminal; --skip-invalid's reject CSV and --json hold all


def show(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        print_json(outcome.as_json())
        return
    c = outcome.counts
    parts = [f"{c.get('created', 0):,} new"]
    if "updated" in c:
        parts.append(f"{c['updated']:,} updated")
    parts.append(f"{c.get('unchanged', 0):,} unchanged")
    if c.get("teams_created"):
        parts.append(f"{c['teams_created']:,} new teams")
    if outcome.problems:
        parts.append(f"{outcome.rejected_lines:,} refused")
    verb = {"dry-run": "dry run, nothing written:", "all": "imported" if outcome.committed else "nothing written:"}.get(
        outcome.mode, "imported")
    if outcome.mode == "all" and not outcome.committed:
        parts[0] = f"would be {parts[0]}"
    console.print(f"{outcome.kind}: {verb} {', '.join(parts)}")
    for w in c.get("warnings", []):
        console.print(f"[yellow]note:[/] {w}")
    if outcome.problems:
        problems = sorted(outcome.problems, key=lambda p: (p.line, p.field))
        console.print(table("Refused", ["line", "field", "value", "reason"],
                            [(str(p.line), p.field, p.value or "–", p.reason) for p in problems[:_SHOWN]]))
        if len(problems) > _SHOWN:
            console.print(f"… and {len(problems) - _SHOWN:,} more (--json or --skip-invalid's reject file has all)")
        if outcome.mode == "all":
            console.print("Fix these lines (or pass --skip-invalid to import the rest), then run the import again.")
    if "rejects_file" in c:
        console.print(f"refused lines written to {c['rejects_file']}")


def conclude(outcome: Outcome, path: Path, rejects: Optional[Path], as_json: bool) -> None:
    if outcome.mode == "skip-invalid" and outcome.problems:
        target = rejects or path.with_name(path.name + ".rejects.csv")
        write_rejects(target, outcome.problems)
        outcome.counts["rejects_file"] = str(target)
    show(outcome, as_json)
    if outcome.problems and outcome.mode != "skip-invalid":
        raise typer.Exit(2)
