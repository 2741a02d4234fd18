-- ============================================================================
-- activity_answers: row-level security
-- ============================================================================
-- Owner-only (no sales role has a grant: reply times reach reps through get_sales_kpis). The same
-- read rule as row_level_security.sql, so a grant added later never exposes other users' rows; no
-- write policy: only refresh_activity_answers (SECURITY DEFINER, via the drain) writes it. Re-runnable.

ALTER TABLE salesflow.activity_answers ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS activity_answers_read ON salesflow.activity_answers;
CREATE POLICY activity_answers_read ON salesflow.activity_answers
FOR SELECT USING (user_id = any((SELECT salesflow.visible_user_ids())::uuid[]));
