-- ============================================================================
-- row-level security: every table that carries user_id, plus the users table
-- ============================================================================
-- One rule everywhere: a row is visible and writable when its user_id is one the caller may
-- see (salesflow.visible_user_ids(): own rows for reps, the team for managers, all for admins).
-- The table owner (the CLI, cron) bypasses RLS. Re-runnable: policies are dropped and recreated.
-- Which of these tables a role may write at all is decided in grants.sql.

DO $$
DECLARE
    v_table text;
    v_rule constant text := 'user_id = ANY ((SELECT salesflow.visible_user_ids())::uuid [])';
BEGIN
    FOREACH v_table IN ARRAY ARRAY[
        'leads', 'lead_activities', 'followups', 'lead_stage_events',
        'bant_assessments', 'personality_profiles', 'lead_context_summaries', 'ai_recommendations',
        'lead_embeddings', 'playbook_executions', 'ai_coaching_sessions', 'channel_performance_metrics'
    ] LOOP
        EXECUTE format('ALTER TABLE salesflow.%I ENABLE ROW LEVEL SECURITY', v_table);
        EXECUTE format('DROP POLICY IF EXISTS "owner, team manager or admin" ON salesflow.%I', v_table);
        EXECUTE format(
            'CREATE POLICY "owner, team manager or admin" ON salesflow.%I FOR ALL USING (%s) WITH CHECK (%s)',
            v_table, v_rule, v_rule
        );
    END LOOP;

    -- The audit trail: read here; rows are appended only by log_ai_output_compliance (a trigger
    -- refuses changes, even the owner's).
    ALTER TABLE salesflow.compliance_logs ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS "read: owner, team manager or admin" ON salesflow.compliance_logs;
    DROP POLICY IF EXISTS "append: owner, team manager or admin" ON salesflow.compliance_logs;
    EXECUTE format('CREATE POLICY "read: owner, team manager or admin" ON salesflow.compliance_logs FOR SELECT USING (%s)', v_rule);

    -- Users: see the people you may see; only admins change them.
    ALTER TABLE salesflow.users ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS "see yourself, your team (manager) or everyone (admin)" ON salesflow.users;
    DROP POLICY IF EXISTS "admins manage users" ON salesflow.users;
    CREATE POLICY "see yourself, your team (manager) or everyone (admin)" ON salesflow.users
    FOR SELECT USING (id = ANY ((SELECT salesflow.visible_user_ids())::uuid []));
    CREATE POLICY "admins manage users" ON salesflow.users
    FOR ALL USING ((SELECT salesflow.current_user_role()) = 'admin')
    WITH CHECK ((SELECT salesflow.current_user_role()) = 'admin');
END;
$$;
