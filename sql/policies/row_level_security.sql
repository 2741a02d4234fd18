-- ============================================================================
-- row-level security: every table that carries user_id, plus the users table
-- ============================================================================
-- One rule everywhere: a row is visible and writable when its user_id is one the caller may
-- see (salesflow.visible_user_ids(): own rows for reps, the team for managers, all for admins).
-- The table owner (the CLI, cron) bypasses RLS. Re-runnable: policies are dropped and recreated.

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
        PERFORM salesflow.grant_to(
            format('SELECT, INSERT, UPDATE, DELETE ON salesflow.%I', v_table),
            'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
        );
    END LOOP;

    -- The audit trail is append-only: read and insert, nothing else (a trigger also refuses changes).
    ALTER TABLE salesflow.compliance_logs ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS "read: owner, team manager or admin" ON salesflow.compliance_logs;
    DROP POLICY IF EXISTS "append: owner, team manager or admin" ON salesflow.compliance_logs;
    EXECUTE format('CREATE POLICY "read: owner, team manager or admin" ON salesflow.compliance_logs FOR SELECT USING (%s)', v_rule);
    EXECUTE format('CREATE POLICY "append: owner, team manager or admin" ON salesflow.compliance_logs FOR INSERT WITH CHECK (%s)', v_rule);
    PERFORM salesflow.grant_to('SELECT, INSERT ON salesflow.compliance_logs', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin');

    -- Users: see the people you may see; only admins change them.
    ALTER TABLE salesflow.users ENABLE ROW LEVEL SECURITY;
    DROP POLICY IF EXISTS "see yourself, your team (manager) or everyone (admin)" ON salesflow.users;
    DROP POLICY IF EXISTS "admins manage users" ON salesflow.users;
    CREATE POLICY "see yourself, your team (manager) or everyone (admin)" ON salesflow.users
    FOR SELECT USING (id = ANY ((SELECT salesflow.visible_user_ids())::uuid []));
    CREATE POLICY "admins manage users" ON salesflow.users
    FOR ALL USING ((SELECT salesflow.current_user_role()) = 'admin')
    WITH CHECK ((SELECT salesflow.current_user_role()) = 'admin');
    PERFORM salesflow.grant_to('SELECT, INSERT, UPDATE, DELETE ON salesflow.users', 'salesflow_admin');
    PERFORM salesflow.grant_to('SELECT ON salesflow.users', 'salesflow_rep', 'salesflow_manager');

    -- Reference and aggregate tables without user_id: readable by every salesflow role.
    PERFORM salesflow.grant_to(
        'SELECT ON salesflow.teams, salesflow.success_patterns, salesflow.playbooks',
        'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
    );
    PERFORM salesflow.grant_to('USAGE ON ALL SEQUENCES IN SCHEMA salesflow', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin');
END;
$$;
