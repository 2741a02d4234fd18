"""`salesflow import leads|users|activities|whatsapp`: bring a team's data in.

The CLI reads the file (encoding, delimiter, the CRM's headers), puts what needs a library into
canonical form (phone numbers to E.164, dates to ISO, amounts to plain decimals) and streams the
rows with COPY into the staging tables; the SQL functions validate, normalise the rest and upsert
(see sql/functions/import_leads.sql). Exit 2 when any line is refused (nothing written unless
--skip-invalid), 0 otherwise.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .. import rpc
from ..acting import find_user
from ..errors import UserError
from ..options import Dsn, Json
from . import rows as lead_rows
from .chat import whatsapp_command
from .flags import (DateFormat, Delimiter, DryRun, Encoding, File, Maps, Quiet, Rejects, SkipInvalid, User)
from .csvfile import open_table
from .presets import PRESETS, resolve_columns
from .report import conclude
from .staging import Outcome, Stager, checked, finish, mode_of, open_batch, pairs, require_file, session

app = typer.Typer(help="Import leads, users, activities and WhatsApp chats (validated, idempotent, one transaction).",
                  no_args_is_help=True)

def _import_file(kind: str, path: Path, preset: str, maps: list[str], system: str, mode: str, *, encoding, delimiter,
                 user, dsn, quiet: bool, table: str, columns: tuple, keys: tuple, prepare, call) -> Outcome:
    """The one skeleton of a CSV import: read and map the file, open the batch, COPY the rows
    (prepare(conn) gives the per-row normaliser), call the SQL import (call(conn) -> counts), finish."""
    with open_table(require_file(path), encoding=encoding, delimiter=delimiter) as file:
        mapping = resolve_columns(file.headers, preset, maps, kind=kind)
        conn, _ = session(dsn, user)
        with conn:
            outcome = Outcome(kind, mode, problems=[])
            normalise = prepare(conn)
            open_batch(conn, kind, system, path.name, mode)
            rows = ((line, mapping.apply(rec)) for line, rec in file)
            Stager(conn, table, columns, show_progress=not quiet, label=kind).copy(checked(rows, outcome.problems, normalise))
            counts = call(conn)
            outcome.counts = {k: counts[k] for k in keys}
            finish(conn, outcome)
    unused = [f"column {', '.join(repr(c) for c in mapping.fields[f])} ({f}) is read but not stored: salesflow has no place for it"
              for f in lead_rows.NOT_STORED[kind] if mapping.fields.get(f)]
    if mapping.warnings or unused:
        outcome.counts["warnings"] = list(mapping.warnings) + unused
    return outcome


@app.command("leads")
def leads_command(
    path: File,
    preset: Annotated[str, typer.Option("--from", help="Header preset: hubspot, pipedrive, salesforce or generic.")] = "generic",
    system: Annotated[Optional[str], typer.Option("--system", help="Source system for external ids (default: the --from preset).")] = None,
    maps: Maps = [],
    owner: Annotated[Optional[str], typer.Option("--owner", help="Owner of rows without one (user uuid, e-mail or name).")] = None,
    stage_map: Annotated[list[str], typer.Option("--stage-map", help='"CRM VALUE=stage", overrides the shipped mapping; repeatable.')] = [],
    owner_map: Annotated[list[str], typer.Option("--owner-map", help='"CRM OWNER=e-mail" for CRM owner ids; repeatable.')] = [],
    country: Annotated[Optional[str], typer.Option("--country", help="Country of rows without one (ISO code or name).")] = None,
    date_format: DateFormat = None, encoding: Encoding = None, delimiter: Delimiter = None,
    skip_invalid: SkipInvalid = False, dry_run: DryRun = False, rejects: Rejects = None,
    user: User = None, dsn: Dsn = None, as_json: Json = False, quiet: Quiet = False,
) -> None:
    """Leads from a CRM export (HubSpot, Pipedrive, Salesforce or any CSV with --map)."""
    if preset not in PRESETS:
        raise UserError(f"--from {preset!r} is not a preset", hint=f"use one of: {', '.join(PRESETS)}")
    mode = mode_of(skip_invalid, dry_run)
    stages, owners = pairs(stage_map, "--stage-map"), pairs(owner_map, "--owner-map")
    default_owner = {}

    def prepare(conn):
        default_owner["id"] = find_user(conn, owner, "--owner")["id"] if owner else None
        return lead_rows.normaliser(lead_rows.regions(conn), country, date_format)

    outcome = _import_file(
        "leads", path, preset, maps, system or preset, mode, encoding=encoding, delimiter=delimiter, user=user,
        dsn=dsn, quiet=quiet, table="staged_leads", columns=lead_rows.COLUMNS, keys=("created", "updated", "unchanged"),
        prepare=prepare,
        call=lambda conn: rpc.import_leads(conn, default_owner=default_owner["id"], stage_map=stages or None,
                                           owner_map=owners or None)[0])
    conclude(outcome, path, rejects, as_json)


@app.command("activities")
def activities_command(
    path: File,
    system: Annotated[str, typer.Option("--system", help="Source system of lead_external_id values.")] = "generic",
    maps: Maps = [],
    country: Annotated[Optional[str], typer.Option("--country", help="Region for national phone numbers (default DE).")] = None,
    date_format: DateFormat = None, encoding: Encoding = None, delimiter: Delimiter = None,
    skip_invalid: SkipInvalid = False, dry_run: DryRun = False, rejects: Rejects = None,
    user: User = None, dsn: Dsn = None, as_json: Json = False, quiet: Quiet = False,
) -> None:
    """E-mail and call logs: lead by e-mail, phone or external id; channel, direction, time, subject/body."""
    outcome = _import_file(
        "activities", path, "generic", maps, system, mode_of(skip_invalid, dry_run), encoding=encoding,
        delimiter=delimiter, user=user, dsn=dsn, quiet=quiet, table="staged_activities",
        columns=lead_rows.ACTIVITY_COLUMNS, keys=("created", "unchanged"),
        prepare=lambda conn: lead_rows.activity_normaliser(lead_rows.regions(conn), country, date_format),
        call=lambda conn: rpc.import_activities(conn)[0])
    conclude(outcome, path, rejects, as_json)


@app.command("users")
def users_command(
    path: File, maps: Maps = [], encoding: Encoding = None, delimiter: Delimiter = None,
    skip_invalid: SkipInvalid = False, dry_run: DryRun = False, rejects: Rejects = None,
    user: User = None, dsn: Dsn = None, as_json: Json = False, quiet: Quiet = False,
) -> None:
    """Teams, reps and managers (e-mail, name, role, team, language, time zone); admins only."""
    outcome = _import_file(
        "users", path, "generic", maps, "generic", mode_of(skip_invalid, dry_run), encoding=encoding,
        delimiter=delimiter, user=user, dsn=dsn, quiet=quiet, table="staged_users", columns=lead_rows.USER_COLUMNS,
        keys=("created", "updated", "unchanged", "teams_created"),
        prepare=lambda conn: (lambda values: (lead_rows.user_values(values), [])),
        call=lambda conn: rpc.import_users(conn)[0])
    conclude(outcome, path, rejects, as_json)


app.command("whatsapp")(whatsapp_command)
