"""`salesflow stage LEAD STAGE [--reason TEXT] [--value N]`: move a lead (salesflow.set_lead_stage).

The stage trigger records the move in lead_stage_events (with the reason: migration 0130) and sets
closed_at for won/lost (clears it when a closed lead is reopened). The same stage again: 55000, exit 1.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from .. import i18n, refs, rpc
from ..options import Dsn, Json, Lang
from .common import ActUser, emit, fields_table, session, ts


def stage_command(
    lead: Annotated[str, typer.Argument(metavar="LEAD", help="The lead: uuid, unique id prefix (6+ hex digits), e-mail or name.",
                                        show_default=False)],
    stage: Annotated[str, typer.Argument(metavar="STAGE", help="new, contacted, replied, meeting, proposal, won or lost.",
                                         show_default=False)],
    reason: Annotated[Optional[str], typer.Option("--reason", help="Why (e.g. why it was lost); kept with the stage event.")] = None,
    value: Annotated[Optional[float], typer.Option("--value", help="The deal value (e.g. of a won deal).")] = None,
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Move a lead to another stage."""
    with session(dsn, user, lang, "salesflow stage") as s:
        row = rpc.set_lead_stage(s.conn, lead_id=refs.lead_id(s.conn, lead), stage=stage, reason=reason, deal_value=value)[0]
    lg = s.lang
    emit(row, as_json, lambda: fields_table(i18n.say("stage changed", lg), [
        (i18n.say("lead id", lg), row["lead_id"]),
        (i18n.say("from stage", lg), i18n.name("stage", row["from_stage"], lg)),
        (i18n.say("to stage", lg), i18n.name("stage", row["to_stage"], lg)),
        (i18n.say("value", lg), row["deal_value"]),
        (i18n.say("closed at", lg), ts(row["closed_at"], lg) if row["closed_at"] else None),
        (i18n.say("reason", lg), row["reason"]),
        (i18n.say("stage event", lg), row["stage_event_id"]),
    ]))
