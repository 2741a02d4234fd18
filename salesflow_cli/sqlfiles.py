"""The shipped SQL files, in deploy order, with their checksums.

Kinds, applied in this order:
  bootstrap  sql/bootstrap.sql         schema, history table, deploy helpers, roles (re-runnable)
  migration  sql/migrations/NNNN_*.sql run once, frozen after release (drift is refused)
  function   sql/functions/*.sql       CREATE OR REPLACE, re-applied when changed
  view       sql/views/*.sql           views (materialized or plain): dropped and rebuilt when changed
  trigger    sql/triggers/*.sql        CREATE OR REPLACE TRIGGER, re-applied when changed
  policy     sql/policies/*.sql        RLS policies, re-applied when changed
  data       sql/data/*.sql            shipped reference data upserts, re-applied when changed
  grants     sql/grants.sql            every privilege, from nothing: applied by EVERY deploy

Header lines a file may carry:
  -- requires: other_name[, ...]        files of the same kind that must be applied first
  -- requires-extension: vector         skipped (and reported) when the server lacks the extension
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UserError

KINDS = ("bootstrap", "migration", "function", "view", "trigger", "policy", "data", "grants")
_DIRS = {
    "migration": "migrations",
    "function": "functions",
    "view": "views",
    "trigger": "triggers",
    "policy": "policies",
    "data": "data",
}
_REQUIRES = re.compile(r"^--\s*requires:\s*(.+)$", re.MULTILINE)
_REQUIRES_EXT = re.compile(r"^--\s*requires-extension:\s*(.+)$", re.MULTILINE)


SQL_DIR_ENV = "SALESFLOW_SQL_DIR"


def sql_root() -> Path:
    """$SALESFLOW_SQL_DIR if set (tests, custom trees), else sql/ inside the installed package,
    else the source tree's top-level sql/."""
    override = os.environ.get(SQL_DIR_ENV)
    if override:
        root = Path(override).expanduser().resolve()
        if not (root / "bootstrap.sql").is_file():
            raise UserError(f"{SQL_DIR_ENV}={override}: no bootstrap.sql there", exit_code=1)
        return root
    here = Path(__file__).resolve().parent
    for candidate in (here / "sql", here.parent / "sql"):
        if (candidate / "bootstrap.sql").is_file():
            return candidate
    raise UserError(f"salesflow SQL files not found next to {here}", hint="reinstall the package", exit_code=1)


@dataclass(frozen=True)
class SqlFile:
    kind: str
    name: str
    path: Path
    body: str
    sha256: str
    requires: tuple[str, ...] = field(default=())
    extensions: tuple[str, ...] = field(default=())

    @property
    def relpath(self) -> str:
        return self.path.name if self.kind in ("bootstrap", "grants") else f"{self.path.parent.name}/{self.path.name}"

    @property
    def drop_sql(self) -> str:
        """A view file replaces its view: drop it first, materialized (before 0160) or plain, with dependants
        (they are view files too and come back in the same deploy)."""
        return (
            "DO $drop$ BEGIN EXECUTE (SELECT CASE c.relkind WHEN 'm' THEN 'DROP MATERIALIZED VIEW ' ELSE 'DROP VIEW ' END"
            f" || c.oid::regclass::text || ' CASCADE' FROM pg_class AS c WHERE c.oid = to_regclass('salesflow.{self.name}'))"
            f"; EXCEPTION WHEN null_value_not_allowed THEN NULL; END $drop$;"
        )

    @property
    def always(self) -> bool:
        """Applied by every deploy, changed or not (grants: roles a DBA created since get theirs)."""
        return self.kind == "grants"


def _split(values: list[str]) -> tuple[str, ...]:
    return tuple(v.strip() for line in values for v in line.split(",") if v.strip())


def _load(kind: str, path: Path) -> SqlFile:
    body = path.read_text(encoding="utf-8")
    if re.search(r"^\s*\\", body, re.MULTILINE):
        raise UserError(f"{path}: psql meta-commands are not allowed in shipped SQL files", exit_code=1)
    return SqlFile(
        kind=kind,
        name=path.stem,
        path=path,
        body=body,
        sha256=hashlib.sha256(body.encode("utf-8")).hexdigest(),
        requires=_split(_REQUIRES.findall(body)),
        extensions=_split(_REQUIRES_EXT.findall(body)),
    )


def _ordered(files: list[SqlFile]) -> list[SqlFile]:
    """Name order, moved later where a `-- requires:` header says so (stable topological sort)."""
    by_name = {f.name: f for f in files}
    done: list[SqlFile] = []
    seen: set[str] = set()

    def visit(f: SqlFile, stack: tuple[str, ...]) -> None:
        if f.name in seen:
            return
        if f.name in stack:
            raise UserError(f"circular '-- requires:' between {' -> '.join(stack + (f.name,))}", exit_code=1)
        for dep in f.requires:
            if dep not in by_name:
                raise UserError(f"{f.relpath} requires {dep}, which is not a {f.kind} file", exit_code=1)
            visit(by_name[dep], stack + (f.name,))
        seen.add(f.name)
        done.append(f)

    for f in sorted(files, key=lambda f: f.name):
        visit(f, ())
    return done


def discover(root: Path | None = None) -> list[SqlFile]:
    root = root or sql_root()
    files = [_load("bootstrap", root / "bootstrap.sql")]
    for kind in KINDS[1:-1]:
        folder = root / _DIRS[kind]
        if folder.is_dir():
            files.extend(_ordered([_load(kind, p) for p in folder.glob("*.sql")]))
    if (root / "grants.sql").is_file():
        files.append(_load("grants", root / "grants.sql"))
    return files
