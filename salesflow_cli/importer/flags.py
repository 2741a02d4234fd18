"""The options `salesflow import` subcommands share (each also from an environment variable where it makes sense)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from ..options import user_option

File = Annotated[Path, typer.Argument(help="The CSV file (UTF-8, UTF-8 with BOM or Windows-1252; , ; tab or |).")]
Maps = Annotated[list[str], typer.Option("--map", help="COLUMN=FIELD: read COLUMN as FIELD ('-' ignores it); repeatable.")]
DateFormat = Annotated[Optional[str], typer.Option("--date-format", envvar="SALESFLOW_DATE_FORMAT",
                                                    help="strptime format for ambiguous dates, e.g. %d/%m/%Y.")]
Encoding = Annotated[Optional[str], typer.Option("--encoding", help="Force the file encoding (utf-8, cp1252, ...).")]
Delimiter = Annotated[Optional[str], typer.Option("--delimiter", help="Force the delimiter (',', ';', tab, '|').")]
SkipInvalid = Annotated[bool, typer.Option("--skip-invalid", help="Write the valid rows; refused ones go to a reject CSV.")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Validate and count; write nothing.")]
Rejects = Annotated[Optional[Path], typer.Option("--rejects", help="Reject CSV path (default: FILE.rejects.csv with --skip-invalid).")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", envvar="SALESFLOW_QUIET", help="No progress bar.")]
User = user_option("Import as this sales user (uuid, e-mail or name): RLS and ownership as theirs.")


