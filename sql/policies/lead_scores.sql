-- ============================================================================
-- lead_scores, lead_next_actions: row-level security
-- ============================================================================
-- Owner-only tables (no sales role has a grant: reps read scores through functions). The same
-- read rule as row_level_security.sql, so a grant added later never exposes other users' rows;
-- no write policy: only drain_dirty_leads / rescore_leads (SECURITY DEFINER) write them. Re-runnable.

ALTER TABLE salesflow.lead_scores ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS lead_scores_read ON salesflow.lead_scores;
CREATE POLICY lead_scores_read ON salesflow.lead_scores
FOR SELECT USING (user_id = any((SELECT salesflow.visible_user_ids())::uuid[]));

ALTER TABLE salesflow.lead_next_actions ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS lead_next_actions_read ON salesflow.lead_next_actions;
CREATE POLICY lead_next_actions_read ON salesflow.lead_next_actions
FOR SELECT USING (user_id = any((SELECT salesflow.visible_user_ids())::uuid[]));
