-- ============================================================================
-- 0070 trust: identity bound to the login, ids nobody can choose, an owner-only lock table
-- ============================================================================
-- users.db_role maps one personal LOGIN role to one salesflow user: for such a session
-- current_user_id() is that user whatever the session sets (functions/current_user_id.sql).
ALTER TABLE salesflow.users ADD COLUMN db_role name;
ALTER TABLE salesflow.users ADD CONSTRAINT users_db_role_key UNIQUE (db_role);
COMMENT ON COLUMN salesflow.users.db_role IS
'The personal database login of this user (salesflow users login); NULL: the user acts only through a gateway or the CLI.';

-- Identity columns become GENERATED ALWAYS: a client cannot pick (squat) future sequence values.
-- The owner may still load with OVERRIDING SYSTEM VALUE.
DO $$
DECLARE
    v_col record;
BEGIN
    FOR v_col IN
        SELECT c.relname, a.attname
        FROM pg_attribute AS a
        JOIN pg_class AS c ON c.oid = a.attrelid
        WHERE c.relnamespace = 'salesflow'::regnamespace AND c.relkind = 'r' AND a.attidentity = 'd'
    LOOP
        EXECUTE format('ALTER TABLE salesflow.%I ALTER COLUMN %I SET GENERATED ALWAYS', v_col.relname, v_col.attname);
    END LOOP;
END;
$$;

-- Timestamps a client writes stay in a range every client can decode (no infinity, no year
-- 294276). NOT VALID: enforced for new and changed rows without scanning what is there.
ALTER TABLE salesflow.lead_activities ADD CONSTRAINT lead_activities_occurred_at_range
CHECK (occurred_at > '1970-01-01' AND occurred_at < '2100-01-01') NOT VALID;
ALTER TABLE salesflow.followups ADD CONSTRAINT followups_due_at_range
CHECK (due_at > '1970-01-01' AND due_at < '2100-01-01' AND (completed_at IS NULL OR completed_at < '2100-01-01')) NOT VALID;
ALTER TABLE salesflow.leads ADD CONSTRAINT leads_timestamps_range
CHECK (
    (consent_at IS NULL OR (consent_at > '1970-01-01' AND consent_at < '2100-01-01'))
    AND (closed_at IS NULL OR closed_at < '2100-01-01')
) NOT VALID;
