"""`salesflow import leads|users|activities|whatsapp`: bring a team's data in.

The CLI reads the file (encoding, delimiter, the CRM's headers), puts what needs a library into
canonical form (phone numbers to E.164, dates to ISO, amounts to plain decimals) and streams the
rows with COPY into the staging tables; the SQL functions validate, normalise the rest and upsert
(see sql/functions/import_leads.sql). Exit 2 when any line is refused (nothing written unless
--skip-invalid), 0 otherwise.
"""

from __future__ import annotations

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
    with open_table(require_file(path), encoding=encoding, delimiter=delimiter) as table:
        mapping = resolve_columns(table.headers, preset, maps, kind="leads")
        conn, me = session(dsn, user)
        with conn:
            default_owner = find_user(conn, owner, "--owner")["id"] if owner else None
            regions = lead_rows.regions(conn)
            outcome = Outcome("leads", mode, problems=[])
            open_batch(conn, "leads", system or preset, path.name, mode)
            rows = ((line, mapping.apply(rec)) for line, rec in table)
            normalise = lead_rows.normaliser(regions, country, date_format)
            Stager(conn, "staged_leads", lead_rows.COLUMNS, show_progress=not quiet, label="leads").copy(
                checked(rows, outcome.problems, normalise))
            counts = rpc.import_leads(conn, default_owner=default_owner, stage_map=stages or None, owner_map=owners or None)[0]
            outcome.counts = {k: counts[k] for k in ("created", "updated", "unchanged")}
            finish(conn, outcome)
    for w in mapping.warnings:
        outcome.counts.setdefault("warnings", []).append(w)
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
    mode = mode_of(skip_invalid, dry_run)
    with open_table(require_file(path), encoding=encoding, delimiter=delimiter) as table:
        mapping = resolve_columns(table.headers, "generic", maps, kind="activities")
        conn, _ = session(dsn, user)
        with conn:
            regions = lead_rows.regions(conn)
            outcome = Outcome("activities", mode, problems=[])
            open_batch(conn, "activities", system, path.name, mode)
            rows = ((line, mapping.apply(rec)) for line, rec in table)
            normalise = lead_rows.activity_normaliser(regions, country, date_format)
            Stager(conn, "staged_activities", lead_rows.ACTIVITY_COLUMNS, show_progress=not quiet,
                   label="activities").copy(checked(rows, outcome.problems, normalise))
            counts = rpc.import_activities(conn)[0]
            outcome.counts = {k: counts[k] for k in ("created", "unchanged")}
            finish(conn, outcome)
    conclude(outcome, path, rejects, as_json)


@app.command("users")
def users_command(
    path: File, maps: Maps = [], encoding: Encoding = None, delimiter: Delimiter = None,
    skip_invalid: SkipInvalid = False, dry_run: DryRun = False, rejects: Rejects = None,
    user: User = None, dsn: Dsn = None, as_json: Json = False, quiet: Quiet = False,
) -> None:
    """Teams, reps and managers (e-mail, name, role, team, language, time zone); admins only."""
    mode = mode_of(skip_invalid, dry_run)
    with open_table(require_file(path), encoding=encoding, delimiter=delimiter) as table:
        mapping = resolve_columns(table.headers, "generic", maps, kind="users")
        conn, _ = session(dsn, user)
        with conn:
            outcome = Outcome("users", mode, problems=[])
            open_batch(conn, "users", "generic", path.name, mode)
            rows = ((line, lead_rows.user_values(mapping.apply(rec))) for line, rec in table)
            Stager(conn, "staged_users", lead_rows.USER_COLUMNS, show_progress=not quiet, label="users").copy(rows)
            counts = rpc.import_users(conn)[0]
            outcome.counts = {k: counts[k] for k in ("created", "updated", "unchanged", "teams_created")}
            finish(conn, outcome)
    conclude(outcome, path, rejects, as_json)


app.command("whatsapp")(whatsapp_command)
