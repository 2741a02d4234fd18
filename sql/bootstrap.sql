-- ============================================================================
-- bootstrap: the schema, the deploy history and the helpers both deployers use
-- ============================================================================
-- Runs before everything else, from `salesflow deploy` and from DEPLOY_KI_SYSTEM.sql alike,
-- whenever its checksum differs from the one recorded. Everything here is re-runnable.

CREATE SCHEMA IF NOT EXISTS salesflow;
COMMENT ON SCHEMA salesflow IS
'salesflow: AI sales intelligence. Uninstall: DROP SCHEMA salesflow CASCADE, then drop the roles salesflow_rep, salesflow_manager, salesflow_admin.';

-- Functions created here are not executable by PUBLIC; every grant is explicit.
ALTER DEFAULT PRIVILEGES IN SCHEMA salesflow REVOKE EXECUTE ON FUNCTIONS FROM public;

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

-- ---------------------------------------------------------------------------
-- grant_to: GRANT to the salesflow group roles that exist (deploy may not create roles).
-- ---------------------------------------------------------------------------
-- No SET search_path on purpose: the GRANT text is resolved in the CALLER's search_path, so a
-- signature may name an extension type unqualified (e.g. vector, installed in public or extensions).
-- Not SECURITY DEFINER (it grants nothing the caller could not), and every name inside is qualified.
CREATE OR REPLACE FUNCTION salesflow.grant_to(p_privileges text, VARIADIC p_roles text[])
RETURNS void
LANGUAGE plpgsql
AS $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY p_roles LOOP
        IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r WHERE r.rolname OPERATOR(pg_catalog.=) v_role) THEN
            EXECUTE pg_catalog.format('GRANT %s TO %I', p_privileges, v_role);
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION salesflow.grant_to(text, text[]) IS
'Deploy machinery: GRANT p_privileges (e.g. ''EXECUTE ON FUNCTION salesflow.f(uuid)'') to each listed role that exists.';

REVOKE ALL ON FUNCTION salesflow.deploy_needed(text, text, text) FROM public;
REVOKE ALL ON FUNCTION salesflow.record_applied(text, text, text, timestamptz, text) FROM public;
REVOKE ALL ON FUNCTION salesflow.grant_to(text, text[]) FROM public;

-- ---------------------------------------------------------------------------
-- The three group roles. Created when the deploying role may; otherwise a notice.
-- ---------------------------------------------------------------------------
DO $$
DECLARE
    v_role text;
BEGIN
    FOREACH v_role IN ARRAY ARRAY['salesflow_rep', 'salesflow_manager', 'salesflow_admin'] LOOP
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
SELECT salesflow.grant_to('USAGE ON SCHEMA salesflow', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin');
