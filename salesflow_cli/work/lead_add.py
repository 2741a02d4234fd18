"""`salesflow lead`: a group whose default is `show` (`salesflow lead LEAD` as before), plus `lead add`.

`salesflow lead <ref>` and `salesflow lead show <ref>` show a lead (reads.lead_command);
`salesflow lead add NAME ...` creates one through salesflow.add_lead. A lead literally named "add"
or "show" is shown with `salesflow lead show add`.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer
from typer.core import TyperGroup

from .. import i18n, reads, rpc
from ..acting import find_user
from ..options import Dsn, Json, Lang
from .common import ActUser, emit, fields_table, session


class LeadGroup(TyperGroup):
    """Routes a first argument that is not a subcommand (a lead reference, or an option such as
    --json before it) to `show`, so `salesflow lead LEAD` keeps working."""

    def parse_args(self, ctx, args):
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["show", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(cls=LeadGroup, help="Show a lead (salesflow lead LEAD) or add one (salesflow lead add NAME).",
                  no_args_is_help=True)
app.command("show")(reads.lead_command)

Opt = Optional[str]


@app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="The lead's name.", show_default=False)],
    email: Annotated[Opt, typer.Option("--email", help="E-mail address.")] = None,
    phone: Annotated[Opt, typer.Option("--phone", help="Phone number, e.g. +49 151 2345678.")] = None,
    company: Annotated[Opt, typer.Option("--company", help="Company.")] = None,
    source: Annotated[Opt, typer.Option("--source", help="Where the lead came from (lower-case key: referral, instagram, ...).")] = None,
    country: Annotated[Opt, typer.Option("--country", help="Country code or name (DE, Österreich).")] = None,
    language: Annotated[Opt, typer.Option("--language", help="The lead's language: de or en (default: the owner's).")] = None,
    timezone: Annotated[Opt, typer.Option("--timezone", help="The lead's time zone (default: the owner's), e.g. Europe/Vienna.")] = None,
    stage: Annotated[Opt, typer.Option("--stage", help="Stage (default new): new, contacted, replied, meeting, proposal, won, lost.")] = None,
    value: Annotated[Optional[float], typer.Option("--value", help="Expected deal value.")] = None,
    consent: Annotated[Opt, typer.Option("--consent", metavar="WORDING",
                                         help="The lead consented to be contacted, in these words (GDPR Art. 7: the wording is kept).")] = None,
    owner: Annotated[Opt, typer.Option("--owner", help="Who owns the lead (id, e-mail or name; default: --user).")] = None,
    user: ActUser = None, dsn: Dsn = None, as_json: Json = False, lang: Lang = None,
) -> None:
    """Add a lead (salesflow.add_lead); prints its id."""
    with session(dsn, user, lang, "salesflow lead add") as s:
        owner_id = find_user(s.conn, owner, "--owner")["id"] if owner else None
        lead_id = rpc.add_lead(s.conn, name=name, email=email, phone=phone, company=company, source=source, country=country,
                               language=language, timezone=timezone, stage=stage, deal_value=value,
                               consent_wording=consent, owner_id=owner_id)
        row = s.conn.execute("SELECT l.id AS lead_id, l.name, l.user_id AS owner_id, u.display_name AS owner_name, l.stage, "
                             "l.consent, l.language, l.timezone FROM salesflow.leads AS l "
                             "JOIN salesflow.users AS u ON u.id = l.user_id WHERE l.id = %s", (lead_id,)).fetchone()
    lg = s.lang
    emit(row, as_json, lambda: fields_table(i18n.say("lead added", lg), [
        (i18n.say("lead id", lg), row["lead_id"]), (i18n.say("name", lg), row["name"]),
        (i18n.say("owner", lg), row["owner_name"]), (i18n.say("stage", lg), i18n.name("stage", row["stage"], lg)),
        (i18n.say("consent", lg), i18n.say("yes" if row["consent"] else "no", lg)),
    ]))
