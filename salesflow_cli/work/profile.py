"""`salesflow profile LEAD`: the SQL DISG heuristic on the lead's own messages
(salesflow.analyze_personality_from_messages), which also stores the result as a 'heuristic'
profile (its contract); confidence is low by design (at most 0.4). `salesflow ai profile` is the
LLM version."""

from __future__ import annotations

from typing import Annotated

import typer

from .. import i18n, refs, rpc
from ..options import Dsn, Json, Lang
from .common import ActUser, emit, fields_table, session


def profile_command(
    lead: Annotated[str, typer.Argument(metavar="LEAD", help="The lead: uuid, unique id prefix (6+ hex digits), e-mail or name.",
                                        show_default=False)],
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Guess the lead's DISG type from their inbound messages and store it as a heuristic profile."""
    with session(dsn, user, lang, "salesflow profile") as s:
        row = rpc.analyze_personality_from_messages(s.conn, lead_id=refs.lead_id(s.conn, lead))[0]
    lg = s.lang
    evidence = row["evidence"] or []
    read = next((e.get("messages_analyzed") for e in evidence if "messages_analyzed" in e), None)
    cues = _cues_text([e for e in evidence if "cue" in e], lg)
    emit(row, as_json, lambda: fields_table(i18n.say("heuristic profile", lg), [
        (i18n.say("primary type", lg), row["primary_type"]),
        ("D · I · S · G", f"{row['d_score']} · {row['i_score']} · {row['s_score']} · {row['g_score']}"),
        (i18n.say("confidence", lg), f"{float(row['confidence']):.2f}"),
        (i18n.say("messages read", lg), read),
        (i18n.say("evidence", lg), cues),
        (i18n.say("id", lg), row["profile_id"]),
    ]))


SHOWN_CUES = 6  # the strongest cues; --json has them all


def _cues_text(cues: list[dict], lg: str) -> str:
    """'G: Studien (3), Fragen (3) · D: kurze Nachrichten (1) (+2 more)': by type, most messages first."""
    ranked = sorted(cues, key=lambda e: (-e["messages"], e["type"], e["cue"]))
    shown, by_type = ranked[:SHOWN_CUES], {}
    for e in shown:
        by_type.setdefault(e["type"], []).append(f"{i18n.cue(e['cue'], lg)} ({e['messages']})")
    text = " · ".join(f"{t}: {', '.join(parts)}" for t, parts in by_type.items())
    if len(ranked) > SHOWN_CUES:
        text += f" ({i18n.say('more', lg).format(n=len(ranked) - SHOWN_CUES)})"
    return text
