-- ============================================================================
-- import_batches: the same rule as every table with user_id (policies/row_level_security.sql)
-- ============================================================================
-- A rep reads their own imports, a manager the team's, an admin all; nobody writes them but the
-- import functions (no INSERT/UPDATE grant). Re-runnable: the policy is dropped and recreated.
DO $$
DECLARE
    v_rule constant text := 'user_id = ANY ((SELECT salesflow.visible_user_ids())::uuid [])';
BEGIN
    ALTER TABLE salesflow.import_batches ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS "owner, team manager or admin" ON salesflow.import_batches;
    EXECUTE format(
        'CREATE POLICY "owner, team manager or admin" ON salesflow.import_batches FOR ALL USING (%s) WITH CHECK (%s)',
        v_rule, v_rule
    );
END;
$$;
