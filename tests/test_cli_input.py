"""Bad input at the CLI's edges: blank --user/--dsn, undecodable bytes and NUL, unreachable servers,
databases where salesflow is not deployed. Each is one line on stderr and the documented exit code."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import typer.main
from psycopg.conninfo import conninfo_to_dict

from salesflow_cli.main import cli
from tests.proc import cli_env, one_line, run_cli

LEAD = "00000000-0000-0000-0000-0000000000aa"
CONSOLE = shutil.which("salesflow", path=str(Path(sys.executable).parent))


def _console(args: list, *, input: bytes | None = None, timeout: float = 60, **env) -> subprocess.CompletedProcess:
    """The installed console script, bytes in and out (argv may hold undecodable bytes)."""
    assert CONSOLE, "pip install should put a 'salesflow' command next to the interpreter"
    return subprocess.run([CONSOLE, *args], input=input, capture_output=True, timeout=timeout, env=cli_env(**env))


@pytest.mark.parametrize("value", ["", "   ", "\t"])
def test_blank_user_is_refused_on_every_command_that_takes_it(dsn, value):
    assert run_cli("leads", "--dsn", dsn).returncode == 0  # the owner's view is what a blank --user fell back to
    for command in (["leads"], ["lead", LEAD], ["recs"], ["funnel"], ["insights"], ["kpis"],
                    ["ai", "profile", LEAD], ["ai", "memory", "--stale"], ["search", "x"]):
        out = run_cli(*command, "--dsn", dsn, "--user", value, OPENAI_API_KEY="test")
        assert out.returncode == 2, (command, out.stdout, out.stderr)
        assert one_line(out.stderr) and out.stderr.startswith("error: --user is empty"), (command, out.stderr)
        assert "salesflow users" in out.stderr and out.stdout == ""
    env = run_cli("leads", "--dsn", dsn, SALESFLOW_USER="  ")  # the variable is checked like the flag
    assert env.returncode == 2 and env.stderr.startswith("error: SALESFLOW_USER is empty"), env.stderr
    assert run_cli("leads", "--dsn", dsn, SALESFLOW_USER="").returncode == 0  # empty variable = unset


def test_blank_dsn_is_refused_instead_of_falling_back_to_the_embedded_server(tmp_path):
    home = tmp_path / "home"
    for command in (["status"], ["deploy"], ["leads"]):
        out = run_cli(*command, "--dsn", " ", SALESFLOW_HOME=home)
        assert out.returncode == 2 and one_line(out.stderr) and "--dsn is empty" in out.stderr, out.stderr
    assert not home.exists()  # no embedded server was created


def test_every_command_with_dsn_takes_connect_timeout():
    def walk(cmd, path=()):
        if hasattr(cmd, "commands"):
            for name, sub in cmd.commands.items():
                yield from walk(sub, path + (name,))
        else:
            yield path, {p.name for p in cmd.params}

    commands = list(walk(typer.main.get_command(cli)))
    with_dsn = [(path, names) for path, names in commands if "dsn" in names]
    assert len(with_dsn) > 15
    assert [path for path, names in with_dsn if "connect_timeout" not in names] == []
    assert all("connect_timeout" not in names for path, names in commands if "dsn" not in names)


@pytest.fixture
def silent_server():
    """A TCP port on 127.0.0.1 that accepts connections and never says a word."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held, stop = [], threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                pass

    t = threading.Thread(target=accept, daemon=True)
    t.start()
    yield srv.getsockname()[1]
    stop.set()
    t.join()
    for c in held:
        c.close()
    srv.close()


def test_connect_timeout_flag_variable_and_default(silent_server):
    dsn = f"postgresql://sales:secret@127.0.0.1:{silent_server}/crm"
    runs = {
        "flag": ([CONSOLE, "status", "--dsn", dsn, "--connect-timeout", "2"], {}, 2),
        "variable": ([CONSOLE, "leads", "--dsn", dsn], {"SALESFLOW_CONNECT_TIMEOUT": "3"}, 3),
        "default": ([CONSOLE, "deploy", "--dsn", dsn], {}, 10),
    }
    started = time.monotonic()
    procs = {k: (subprocess.Popen(args, env=cli_env(**env), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True), limit)
             for k, (args, env, limit) in runs.items()}
    for name, (proc, limit) in procs.items():
        out, err = proc.communicate(timeout=60)
        elapsed = time.monotonic() - started
        assert proc.returncode == 1, (name, err)
        assert limit - 0.5 <= elapsed <= limit + 4, (name, elapsed)
        assert one_line(err) and "Traceback" not in err and "secret" not in err, err
        assert f"127.0.0.1:{silent_server}" in err and f"no answer within {limit} s" in err, err
        assert "--connect-timeout" in err and "SALESFLOW_CONNECT_TIMEOUT" in err, err
        assert out == ""


def test_bad_connect_timeout_is_a_usage_error(dsn):
    for value in ("0", "1", "abc"):
        out = run_cli("status", "--dsn", dsn, "--connect-timeout", value)
        assert out.returncode == 2 and "--connect-timeout" in out.stderr, out.stderr
    assert run_cli("status", "--dsn", dsn, "--connect-timeout", "5").returncode == 0


def test_invalid_utf8_and_nul_on_stdin_and_in_argv(dsn):
    good = _console(["compliance", "check", "-", "--dsn", dsn], input="Hallo, wie geht's?".encode())
    assert good.returncode == 0, good.stderr
    cases = [
        (["compliance", "check", "-"], b"\xff\xfe", b"stdin is not valid UTF-8 (byte 0xff at offset 0)"),
        (["compliance", "check", "-"], "gar\u00e4ntiert".encode("latin-1"), b"stdin is not valid UTF-8 (byte 0xe4 at offset 3)"),
        (["compliance", "check", "-"], b"abc\x00def", b"stdin contains a NUL byte at character 3"),
        (["compliance", "check", b"Mit uns verdienst du \xe4 5.000"], None, b"command-line argument 3 is not valid UTF-8 (byte 0xe4"),
        (["leads", "--user", b"\xffbob"], None, b"command-line argument 3 is not valid UTF-8 (byte 0xff"),
    ]
    for args, stdin, message in cases:
        out = _console([*args, "--dsn", dsn], input=stdin)
        assert out.returncode == 2, (args, out.stderr)
        assert message in out.stderr and out.stderr.startswith(b"error: "), out.stderr
        assert len(out.stderr.strip().splitlines()) == 1 and b"Traceback" not in out.stderr
        assert out.stdout == b""


@pytest.mark.parametrize("command", [
    ["leads"], ["leads", "--user", LEAD], ["lead", LEAD], ["recs"], ["funnel"], ["insights"], ["kpis"], ["users"],
    ["compliance", "check", "Hallo"], ["refresh"], ["seed", "--users", "1"], ["verify"],
    ["ai", "profile", LEAD], ["search", "coffee"],
])
def test_commands_on_a_database_without_salesflow_say_it_is_not_deployed(empty_db, command):
    name = conninfo_to_dict(empty_db)["dbname"]
    out = run_cli(*command, "--dsn", empty_db, OPENAI_API_KEY="test")
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert one_line(out.stderr), out.stderr
    assert out.stderr.strip() == f"error: salesflow is not deployed in database {name} (hint: run: salesflow deploy)"


def test_an_older_schema_is_named_as_such(db, dsn):
    db.execute("DROP FUNCTION salesflow.get_scored_leads")
    out = run_cli("leads", "--dsn", dsn)
    assert out.returncode == 1 and one_line(out.stderr), out.stderr
    assert "lacks an object this command needs" in out.stderr and "get_scored_leads" in out.stderr
    assert "run: salesflow deploy" in out.stderr
