"""What every write-back command shares: the acting session, the language, the output rule."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator, Optional, Sequence

from psycopg.rows import dict_row
from rich.table import Table

from .. import i18n
from ..acting import act_as
from ..connection import connect
from ..options import user_option
from ..render import console, print_json

ActUser = user_option("Act as this sales user (id, id prefix, e-mail or name): the SQL functions check what they may do.")


class Session:
    """The connection of one command, the acting user (None: the owner) and the output language."""

    def __init__(self, conn, me: Optional[dict], lang: str):
        self.conn, self.me, self.lang = conn, me, lang

    @property
    def timezone(self) -> str:
        # WHEN arguments are read in the acting user's zone; the owner (no --user) reads UTC
        return (self.me or {}).get("timezone") or "UTC"


@contextmanager
def session(dsn: Optional[str], user: Optional[str], lang: Optional[str], application: str) -> Iterator[Session]:
    """Connect, act as `user`, and run the block in ONE transaction (committed when it returns,
    rolled back on any error, so a refused command writes nothing)."""
    conn = connect(dsn, autocommit=True, application=application)
    conn.row_factory = dict_row
    try:
        me = act_as(conn, user) if user else None
        if me:  # times come back in the acting user's zone
            conn.execute("SELECT set_config('TimeZone', %s, false)", (me["timezone"],))
        with conn.transaction():
            yield Session(conn, me, i18n.lang_or_default(lang or (me or {}).get("language")))
    finally:
        conn.close()


def fields_table(title: str, rows: Sequence[tuple[str, Any]]) -> Table:
    """A two-column label/value table: readable at 80 columns whatever the values; rows without a
    value are left out (an inbound message has no compliance verdict)."""
    t = Table(title=title, title_justify="left", show_header=False, expand=False)
    t.add_column("label", style="bold", no_wrap=True)
    t.add_column("value", overflow="fold")
    for label, value in rows:
        if value is not None and value != "":
            t.add_row(label, str(value))
    return t


def ts(value, lang: str) -> str:
    """A timestamp as people read it (minutes, zone offset kept)."""
    if value is None:
        return "–"
    return value.strftime("%d.%m.%Y %H:%M %z" if lang == "de" else "%Y-%m-%d %H:%M %z")


def emit(data: Any, as_json: bool, render) -> None:
    """JSON (the rows as the function returned them, codes included) or the rendering for people."""
    if as_json:
        print_json(data)
    else:
        console.print(render())
