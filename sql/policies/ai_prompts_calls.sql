-- ============================================================================
-- RLS and grants for the AI tables: ai_prompts (catalogue) and ai_calls (usage log)
-- ============================================================================
-- ai_prompts: every salesflow role reads the catalogue; admins add or change override rows only
-- (builtin rows belong to the deploy). ai_calls: visible like every user_id table (own rows for
-- reps, the team for managers, all for admins); rows are appended by record_ai_call only.
-- Re-runnable: policies are dropped and recreated.

ALTER TABLE salesflow.ai_prompts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS ai_prompts_read ON salesflow.ai_prompts;
DROP POLICY IF EXISTS ai_prompts_admin_overrides ON salesflow.ai_prompts;
CREATE POLICY ai_prompts_read ON salesflow.ai_prompts FOR SELECT USING (true);
CREATE POLICY ai_prompts_admin_overrides ON salesflow.ai_prompts
FOR ALL USING (origin = 'override' AND (SELECT salesflow.current_user_role()) = 'admin')
WITH CHECK (origin = 'override' AND (SELECT salesflow.current_user_role()) = 'admin');

ALTER TABLE salesflow.ai_calls ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS ai_calls_read ON salesflow.ai_calls;
DROP POLICY IF EXISTS ai_calls_append ON salesflow.ai_calls;  -- rows come only from record_ai_call
-- Same rule text as sql/policies/row_level_security.sql (built as a string there too).
DO $$
DECLARE
    v_rule constant text := 'user_id = ANY ((SELECT salesflow.visible_user_ids())::uuid [])';
BEGIN
    EXECUTE format('CREATE POLICY ai_calls_read ON salesflow.ai_calls FOR SELECT USING (%s)', v_rule);
END;
$$;
