-- ============================================================================
-- bootstrap: the schema, the deploy history and the helpers both deployers use
-- ============================================================================
-- Runs before everything else, from `salesflow deploy` and from DEPLOY_KI_SYSTEM.sql alike,
-- whenever its checksum differs from the one recorded. Everything here is re-runnable.

CREATE SCHEMA IF NOT EXISTS salesflow;
COMMENT ON SCHEMA salesflow IS
'salesflow: AI sales intelligence. Uninstall: salesflow uninstall (drops this schema and the salesflow_* roles no other database uses).';

-- New functions are not executable by PUBLIC in the window before grants.sql runs; that file
-- revokes PUBLIC per function as well (a schema's default privileges cannot revoke PostgreSQL's
-- global default for functions created by another role).
ALTER DEFAULT PRIVILEGES IN SCHEMA salesflow REVOKE EXECUTE ON FUNCTIONS FROM public;

-- Deploy and refresh exclude each other with row locks here: sales roles have no privilege on
-- this table, so unlike advisory lock keys no login can take or hold these locks.
CREATE TABLE IF NOT EXISTS salesflow.maintenance_locks (
    name text PRIMARY KEY CHECK (name IN ('deploy', 'refresh'))
);
INSERT INTO salesflow.maintenance_locks (name) VALUES ('deploy'), ('refresh') ON CONFLICT DO NOTHING;
COMMENT ON TABLE salesflow.maintenance_locks IS
'One row per maintenance job (deploy, refresh); the job holds its row FOR UPDATE while it runs. Owner only.';

CREATE TABLE IF NOT EXISTS salesflow.schema_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind text NOT NULL,
    name text NOT NULL,
    sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    applied_by text NOT NULL DEFAULT current_user,
    duration_ms numeric(12, 3) NOT NULL DEFAULT 0,
    tool_version text NOT NULL
);
COMMENT ON TABLE salesflow.schema_history IS
'Every SQL file applied by a deploy (CLI or DEPLOY_KI_SYSTEM.sql): one row per application; the latest row per (kind, name) is current.';

CREATE INDEX IF NOT EXISTS schema_history_kind_name_idx
ON salesflow.schema_history (kind, name, id DESC);

-- ---------------------------------------------------------------------------
-- deploy_needed: should this file be applied now? Refuses drifted migrations.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION salesflow.deploy_needed(p_kind text, p_name text, p_sha256 text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_last text;
BEGIN
    SELECT h.sha256 INTO v_last
    FROM salesflow.schema_history AS h
    WHERE h.kind = p_kind AND h.name = p_name
    ORDER BY h.id DESC
    LIMIT 1;

    IF v_last IS NULL THEN
        RETURN true;
    END IF;
    IF p_kind = 'migration' THEN
        IF v_last <> p_sha256 THEN
            RAISE EXCEPTION 'migration % was changed after it was applied (applied sha256 %, file sha256 %)',
                p_name, left(v_last, 12), left(p_sha256, 12)
                USING ERRCODE = 'P0001',
                      HINT = 'Released migrations are frozen: restore the original file and put the change in a new migration.';
        END IF;
        RETURN false;
    END IF;
    -- A materialized view must also be rebuilt when a cascade dropped it.
    IF p_kind = 'view' AND to_regclass('salesflow.' || p_name) IS NULL THEN
        RETURN true;
    END IF;
    RETURN v_last <> p_sha256;
END;
$$;
COMMENT ON FUNCTION salesflow.deploy_needed(text, text, text) IS
'Deploy machinery: true when the file (kind, name, sha256) must be applied; raises when an applied migration changed.';

-- ---------------------------------------------------------------------------
-- record_applied: write the history row for a file just applied.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION salesflow.record_applied(
    p_kind text, p_name text, p_sha256 text, p_started timestamptz, p_tool_version text
)
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    INSERT INTO salesflow.schema_history (kind, name, sha256, duration_ms, tool_version)
    VALUES (
        p_kind, p_name, p_sha256,
        round((extract(EPOCH FROM clock_timestamp() - p_started) * 1000)::numeric, 3),
        p_tool_version
    );
$$;
COMMENT ON FUNCTION salesflow.record_applied(text, text, text, timestamptz, text) IS
'Deploy machinery: records one applied file in schema_history.';

-- grant_to (releases before 0.2) is gone: sql/grants.sql holds every grant.
DROP FUNCTION IF EXISTS salesflow.grant_to(text, text[]);

REVOKE ALL ON FUNCTION salesflow.deploy_needed(text, text, text) FROM public;
REVOKE ALL ON FUNCTION salesflow.record_applied(text, text, text, timestamptz, text) FROM public;

-- ---------------------------------------------------------------------------
-- The group roles. Created when the deploying role may; otherwise a warning. The sales groups
-- carry privileges (grants.sql); salesflow_gateway carries none: membership marks a login that
-- may assert the acting user per transaction (functions/session_may_assert.sql).
-- ---------------------------------------------------------------------------
DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['salesflow_rep', 'salesflow_manager', 'salesflow_admin', 'salesflow_gateway'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = v_role) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', v_role);
            EXCEPTION
                -- another deploy (other database, same cluster) created it a moment ago
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE WARNING 'role % not created: % lacks CREATEROLE; ask a DBA to run CREATE ROLE % NOLOGIN and deploy again',
                        v_role, current_user, v_role;
            END;
        END IF;
    END LOOP;
END;
$$;
