"""Output for people (rich) and for scripts (--json)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from typing import Any, Iterable, Sequence

from rich.console import Console
from rich.table import Table

console = Console()
err_console = Console(stderr=True)


def _default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def dumps(data: Any, indent: int | None = 2) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False, indent=indent)


def print_json(data: Any, *, line: bool = False) -> None:
    """Pretty JSON; line=True: one compact line, flushed (JSON Lines for a stream such as --watch)."""
    print(dumps(data, None if line else 2), flush=line)


def table(title: str | None, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    t = Table(title=title, title_justify="left", show_lines=False)
    for col in columns:
        t.add_column(col)
    for row in rows:
        t.add_row(*["" if v is None else str(v) for v in row])
    return t
