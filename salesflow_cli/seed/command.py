"""`salesflow seed`: the typer command and seed_database (refuse or reset, progress, ANALYZE)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Optional

import psycopg
import typer

from ..connection import connect
from ..errors import UserError, not_deployed, step_failed
from ..options import Dsn, Json, Quiet
from ..render import console, print_json, table
from .load import SeedResult, generate
from .reset import existing_leads, reset_data


def seed_database(
    dsn: Optional[str],
    *,
    users: int,
    leads_per_user: int,
    activities_per_lead: int,
    seed: int,
    teams: Optional[int] = None,
    reset: bool = False,
    anchor: Optional[dt.datetime] = None,
    show_progress: bool = False,
    workers: int = 2,
    delete_imported: bool = False,
) -> SeedResult:
    """Refuse when leads exist (unless reset), then generate with `workers` parallel connections."""
    conn = connect(dsn, autocommit=False, application="salesflow seed")
    try:
        try:
            has = existing_leads(conn)
        except psycopg.errors.UndefinedTable as exc:
            raise not_deployed(conn.info.dbname) from exc
        conn.rollback()
        if has and not reset:
            raise UserError(
                "this database already has leads; refusing to seed on top of them",
                hint="use --reset to delete all salesflow data (users, teams, leads, activities, KI rows) first, "
                     "or seed another database",
            )
        if reset:
            with conn.transaction():
                reset_data(conn, delete_imported)
    finally:
        conn.close()
    from ..connection import resolve_dsn

    target = resolve_dsn(dsn)
    try:
        if show_progress:
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                       TimeRemainingColumn)

            with Progress(TextColumn("[bold]seeding"), BarColumn(), MofNCompleteColumn(), TextColumn("leads"),
                          TextColumn("{task.fields[acts]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                          console=console, transient=False) as bar:
                task = bar.add_task("seed", total=users * leads_per_user, acts="")

                def cb(done, total, counts):
                    bar.update(task, completed=done, acts=f"{counts['lead_activities']:,} activities")

                result = generate(target, users, leads_per_user, activities_per_lead, seed, cb, teams=teams,
                                  anchor=anchor, workers=workers)
        else:
            result = generate(target, users, leads_per_user, activities_per_lead, seed, None, teams=teams,
                              anchor=anchor, workers=workers)
    except psycopg.Error as exc:
        raise step_failed("seeding failed", exc,
                          hint="batches already committed stay; run again with --reset to start clean") from exc
    # statistics for the planner after a bulk load
    with psycopg.connect(target, autocommit=True) as c:
        for t in ("leads", "lead_activities", "lead_engagement", "followups", "lead_stage_events", "users",
                  "bant_assessments", "personality_profiles", "ai_recommendations"):
            c.execute(f"ANALYZE salesflow.{t}")
    return result



def seed_command(
    users: Annotated[int, typer.Option("--users", min=1, max=100000, help="Sales reps to create.")] = 10,
    leads_per_user: Annotated[int, typer.Option("--leads-per-user", min=0, max=1000000, help="Leads per rep.")] = 100,
    activities_per_lead: Annotated[int, typer.Option("--activities-per-lead", min=0, max=1000,
                                                     help="Average activities (messages, calls, notes) per lead.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: the same seed gives the same data.")] = 42,
    teams: Annotated[Optional[int], typer.Option("--teams", min=1, help="Teams (default: one per 10 reps).")] = None,
    reset: Annotated[bool, typer.Option("--reset", help="Delete all salesflow data (not the schema) first.")] = False,
    delete_imported: Annotated[bool, typer.Option(
        "--yes-delete-imported-data",
        help="With --reset: also delete leads the seed did not create (imported or added by hand).")] = False,
    anchor: Annotated[Optional[str], typer.Option(
        "--anchor", help="Reference time for generated timestamps, ISO 8601 (default: now, to the hour).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=8,
                                         help="Parallel loading connections (the data do not depend on it).")] = 2,
    dsn: Dsn = None,
    quiet: Quiet = False,
    as_json: Json = False,
) -> None:
    """Load realistic synthetic sales data (German and English) with COPY, deterministic per --seed."""
    anchor_dt = None
    if anchor:
        try:
            anchor_dt = dt.datetime.fromisoformat(anchor)
        except ValueError as exc:
            raise UserError(f"--anchor must be an ISO 8601 time, got {anchor!r}",
                            hint="for example 2026-01-15T12:00:00+00:00") from exc
    show = not quiet and not as_json and console.is_terminal
    result = seed_database(dsn, users=users, leads_per_user=leads_per_user, activities_per_lead=activities_per_lead,
                           seed=seed, teams=teams, reset=reset, anchor=anchor_dt, show_progress=show,
                           workers=workers, delete_imported=delete_imported)
    if as_json:
        print_json(result.as_dict())
        return
    if quiet:
        return
    console.print(table("salesflow seed", ["table", "rows"], [(k, f"{v:,}") for k, v in result.counts.items()]))
    acts = result.counts["lead_activities"]
    rate = acts / result.seconds if result.seconds else 0
    console.print(f"seeded {result.counts['leads']:,} leads and {acts:,} activities in {result.seconds:.1f} s "
                  f"({rate:,.0f} activities/s), seed {seed}")
    console.print("next: salesflow refresh   (scores, funnel, insights)")
