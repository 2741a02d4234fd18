"""The attack suite, import edition: what a rep with psql could try with the import tables and
functions (staging, batches, rejects, provenance columns), tried for real with their own login."""

from __future__ import annotations

import psycopg
import pytest

from tests.attackers import fingerprint
from tests.test_attacks import limited, logins, refused  # noqa: F401  (fixtures and counters)
from tests.test_rls import org, populate  # noqa: F401  (fixtures)


def _owner_batch(db) -> str:
    """The owner opens a batch and stages a row in it (committed, as a psql user who forgot to finish)."""
    db.autocommit = False
    batch = db.execute("SELECT salesflow.begin_import('leads', 'hubspot', 'owner.csv')").fetchone()[0]
    db.execute("INSERT INTO salesflow.staged_leads (name, email) VALUES ('Planted by owner', 'owner.row@example.org')")
    db.commit()
    db.autocommit = True
    return str(batch)


def test_staging_is_write_only_and_batches_are_private(db, org, logins):  # noqa: F811
    batch = _owner_batch(db)
    before = fingerprint(db)
    conn = logins.connect("rep")
    mine = limited(conn, "SELECT user_id FROM salesflow.import_batches")  # RLS: the rep's own imports only
    assert all(r[0] == org["rep1"] for r in mine)
    for table in ("staged_leads", "staged_activities", "staged_users", "import_rejects", "import_batches"):
        if table != "import_batches":
            refused(conn, f"SELECT * FROM salesflow.{table}")
        refused(conn, f"UPDATE salesflow.{table} SET batch_id = batch_id" if table != "import_batches"
                else f"UPDATE salesflow.{table} SET counts = '{{}}'")
        refused(conn, f"DELETE FROM salesflow.{table}")
        refused(conn, f"TRUNCATE salesflow.{table}")
        refused(conn, f"LOCK TABLE salesflow.{table} IN ROW EXCLUSIVE MODE")
    # rows cannot be put into someone else's batch: the batch column is not granted ...
    refused(conn, "INSERT INTO salesflow.staged_leads (batch_id, name) VALUES (%s, 'x')", (batch,))
    refused(conn, "INSERT INTO salesflow.staged_activities (batch_id, lead_id) VALUES (%s, 'x')", (batch,))
    refused(conn, "INSERT INTO salesflow.import_rejects (batch_id, line, field, reason) VALUES (%s, 1, 'x', 'y')", (batch,))
    refused(conn, "INSERT INTO salesflow.import_batches (kind, source_system) VALUES ('leads', 'x')")
    # ... and naming it in the GUC gives nothing: the batch is the owner's, not this login's
    with conn.transaction():
        conn.execute("SELECT set_config('salesflow.import_batch', %s, true)", (batch,))
        limited(conn, "INSERT INTO salesflow.staged_leads (name) VALUES ('planted by rep')")
        for fn in ("import_leads()", "import_activities()", "list_import_rejects()", "finish_import()"):
            refused(conn, f"SELECT * FROM salesflow.{fn}", states=("55000",))
    # the planted row sits in staging under the owner's batch id, but the import takes only rows
    # staged by the batch's own login
    db.autocommit = False
    db.execute("SELECT set_config('salesflow.import_batch', %s, true)", (batch,))
    counts = db.execute("SELECT * FROM salesflow.import_leads(p_default_owner => %s)", (org["rep2"],)).fetchone()
    names = [r[0] for r in db.execute("SELECT name FROM salesflow.leads WHERE origin = 'import'")]
    db.rollback()
    db.autocommit = True
    assert counts[0] == 1 and names == ["Planted by owner"]
    # and the next begin_import anywhere sweeps rows no open batch will take
    with conn.transaction():
        limited(conn, "SELECT set_config('salesflow.import_batch', gen_random_uuid()::text, true)")
        limited(conn, "INSERT INTO salesflow.staged_leads (name) VALUES ('junk under a made-up batch')")
    with conn.transaction():
        limited(conn, "SELECT salesflow.begin_import('leads', 'generic')")
    assert db.execute("SELECT count(*) FROM salesflow.staged_leads WHERE name LIKE 'junk%'").fetchone()[0] == 0
    scratch = {"staged_leads", "import_batches"}  # the planted row and the rep's own (empty) batch
    assert {k: v for k, v in fingerprint(db).items() if k not in scratch} == {k: v for k, v in before.items() if k not in scratch}


def test_reps_cannot_import_users_or_other_peoples_leads(db, org, logins):  # noqa: F811
    hidden = db.execute("INSERT INTO salesflow.leads (user_id, name, origin, external_system, external_id) "
                        "VALUES (%s, 'Hidden', 'import', 'hubspot', 'h-1') RETURNING id", (org["rep3"],)).fetchone()[0]
    before = fingerprint(db)
    conn = logins.connect("rep")
    refused(conn, "SELECT salesflow.begin_import('users', 'generic')")
    refused(conn, "SELECT * FROM salesflow.import_users()")
    other_email = db.execute("SELECT email FROM salesflow.users WHERE id = %s", (org["rep2"],)).fetchone()[0]
    for row, field in ((("h-1", "Overwritten", None), "external_id"), (("n-1", "For rep2", other_email), "owner")):
        conn.autocommit = False
        try:
            conn.execute("SELECT salesflow.begin_import('leads', 'hubspot')")
            conn.execute("INSERT INTO salesflow.staged_leads (external_id, name, owner) VALUES (%s, %s, %s)", row)
            counts = conn.execute("SELECT * FROM salesflow.import_leads()").fetchone()
            rejects = conn.execute("SELECT field FROM salesflow.list_import_rejects()").fetchall()
            assert counts[3] == 1 and (field,) in rejects
        finally:
            conn.rollback()
            conn.autocommit = True
        limited(conn, "SELECT 1")
    with conn.transaction():
        conn.execute("SELECT salesflow.begin_import('leads', 'hubspot')")
        refused(conn, "SELECT * FROM salesflow.import_leads(p_default_owner => %s)", (org["rep2"],), states=("P0002",))
    # provenance columns are the import's and the seed's to write
    for stmt in ("UPDATE salesflow.leads SET origin = 'seed'", "UPDATE salesflow.leads SET external_id = 'x'",
                 "UPDATE salesflow.leads SET import_batch_id = NULL", "UPDATE salesflow.lead_activities SET fingerprint = NULL",
                 "INSERT INTO salesflow.leads (user_id, name, origin) SELECT salesflow.current_user_id(), 'x', 'seed'"):
        refused(conn, stmt)
    for fn, args in (("import_owner", "'x', NULL, NULL"), ("import_country", "'DE'"), ("parse_iso_timestamp", "'2025-01-01', 'UTC'"),
                     ("import_batch_for_caller", "ARRAY['leads']")):
        refused(conn, f"SELECT salesflow.{fn}({args})")
    after = fingerprint(db)
    assert {k: v for k, v in after.items() if k != "import_batches"} == {k: v for k, v in before.items() if k != "import_batches"}
    assert db.execute("SELECT name FROM salesflow.leads WHERE id = %s", (hidden,)).fetchone()[0] == "Hidden"


def test_a_rep_stages_and_imports_their_own_leads_with_their_login(db, org, logins):  # noqa: F811
    conn = logins.connect("rep")
    conn.autocommit = False
    conn.execute("SELECT salesflow.begin_import('leads', 'generic')")
    with conn.cursor().copy("COPY salesflow.staged_leads (name, email) FROM STDIN") as cp:
        cp.write_row(("Own Lead", "own.lead@example.org"))
    counts = conn.execute("SELECT * FROM salesflow.import_leads()").fetchone()
    conn.execute("SELECT salesflow.finish_import()")
    conn.commit()
    assert counts[0] == 1
    assert db.execute("SELECT user_id, origin FROM salesflow.leads WHERE email = 'own.lead@example.org'").fetchone() == (
        org["rep1"], "import")


assert psycopg and pytest
