"""One import transaction: open the batch, stream rows into a staging table with COPY, let SQL
validate and upsert, collect the rejects, and commit only what the mode allows.

Rows the CLI itself cannot read (a date in no known form, a phone number the phonenumbers library
refuses, money it cannot parse) are Problems found before COPY; the SQL functions report the rest
(rpc.list_import_rejects). Both are shown together by line. The whole import is one transaction:
a crash or Ctrl-C rolls everything back, nothing is half-imported.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from .. import rpc
from ..acting import act_as
from ..connection import connect
from ..errors import UserError
from ..render import console

MODES = {"all": "all", "skip-invalid": "skip_invalid", "dry-run": "dry_run"}


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    value: Optional[str]
    reason: str


@dataclass
class Outcome:
    """What one import did (or, for a dry run or a refused file, would do)."""

    kind: str
    mode: str
    counts: dict = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    committed: bool = False

    @property
    def rejected_lines(self) -> int:
        return len({p.line for p in self.problems})

    def as_json(self) -> dict:
        return {"kind": self.kind, "mode": self.mode, "committed": self.committed, "counts": self.counts,
                "rejected_lines": self.rejected_lines,
                "rejects": [p.__dict__ for p in sorted(self.problems, key=lambda p: (p.line, p.field))]}


class Stager:
    """COPY rows (dicts of staged column -> text) into salesflow.<table> of the open batch."""

    def __init__(self, conn, table: str, columns: tuple[str, ...], *, show_progress: bool, label: str,
                 total_bytes: Optional[int] = None):
        self.conn, self.table, self.columns = conn, table, ("line",) + columns
        self.show_progress, self.label, self.total_bytes = show_progress, label, total_bytes
        self.rows = 0

    def copy(self, rows: Iterable[tuple[int, dict]], position: Callable[[], int] | None = None) -> int:
        cols = ", ".join(self.columns)
        with self.conn.cursor().copy(f"COPY salesflow.{self.table} ({cols}) FROM STDIN") as cp:
            with _progress(self.show_progress, self.label, self.total_bytes) as tick:
                for line, values in rows:
                    cp.write_row([line] + [values.get(c) for c in self.columns[1:]])
                    self.rows += 1
                    if self.rows % 5000 == 0:
                        tick(position() if position else None, self.rows)
                tick(position() if position else None, self.rows)
        return self.rows


class _progress:
    """A rich progress bar over file bytes (or a row counter), or nothing when quiet/not a terminal."""

    def __init__(self, show: bool, label: str, total: Optional[int]):
        self.show = show and console.is_terminal
        self.label, self.total = label, total

    def __enter__(self):
        if not self.show:
            return lambda pos, rows: None
        self.bar = Progress(TextColumn(self.label), BarColumn(), TextColumn("{task.fields[rows]:,} rows"),
                            TimeElapsedColumn(), console=console, transient=True)
        self.bar.start()
        task = self.bar.add_task(self.label, total=self.total, rows=0)
        return lambda pos, rows: self.bar.update(task, completed=pos, rows=rows)

    def __exit__(self, *exc):
        if self.show:
            self.bar.stop()


def open_batch(conn, kind: str, system: str, file_name: Optional[str], mode: str) -> str:
    return str(rpc.begin_import(conn, kind=kind, system=system, file_name=file_name, mode=MODES[mode]))


def finish(conn, outcome: Outcome) -> Outcome:
    """Read the SQL rejects, then commit or roll back by the mode: 'all' commits nothing when any
    line was refused; 'dry-run' never commits."""
    outcome.problems += [Problem(r["line"], r["field"], r["value"], r["reason"]) for r in rpc.list_import_rejects(conn)]
    rpc.finish_import(conn)
    if outcome.mode == "dry-run" or (outcome.mode == "all" and outcome.problems):
        conn.rollback()
    else:
        conn.commit()
        outcome.committed = True
    return outcome


def write_rejects(path: Path, problems: list[Problem]) -> None:
    """The reject CSV of --skip-invalid: line, field, value, reason (UTF-8 with BOM so Excel reads umlauts)."""
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(["line", "field", "value", "reason"])
        for p in sorted(problems, key=lambda p: (p.line, p.field)):
            w.writerow([p.line, p.field, p.value or "", p.reason])


def checked(rows: Iterator[tuple[int, dict]], problems: list[Problem],
            normalise: Callable[[dict], tuple[dict, list[tuple[str, Optional[str], str]]]]) -> Iterator[tuple[int, dict]]:
    """Apply `normalise` to each (line, values); rows with problems are recorded and not staged."""
    for line, values in rows:
        out, found = normalise(values)
        if found:
            problems.extend(Problem(line, f, v, r) for f, v, r in found)
            continue
        yield line, out


def require_file(path: Path) -> Path:
    if not path.exists():
        raise UserError(f"{path}: no such file", hint="check the path")
    if path.is_dir():
        raise UserError(f"{path} is a directory, not a file")
    return path


def mode_of(skip_invalid: bool, dry_run: bool) -> str:
    if skip_invalid and dry_run:
        raise UserError("--skip-invalid and --dry-run exclude each other", hint="pick one")
    return "dry-run" if dry_run else "skip-invalid" if skip_invalid else "all"


def pairs(items: list[str], flag: str) -> dict:
    out = {}
    for item in items:
        key, sep, value = item.rpartition("=")
        if not sep or not key.strip() or not value.strip():
            raise UserError(f"{flag} {item!r} is not VALUE=TARGET", hint=f'e.g. {flag} "Closed Won=won"')
        out[key.strip()] = value.strip()
    return out


def session(dsn, user):
    conn = connect(dsn, application="salesflow import")
    me = act_as(conn, user) if user else None
    return conn, me
