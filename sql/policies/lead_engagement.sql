-- ============================================================================
-- lead_engagement: row-level security and grants
-- ============================================================================
-- Same rule as row_level_security.sql (own rows for reps, the team for managers, all for
-- admins), but read-only: the counters are written only by the SECURITY DEFINER triggers
-- track_lead_activity and create_lead_engagement. Re-runnable.

ALTER TABLE salesflow.lead_engagement ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS lead_engagement_read ON salesflow.lead_engagement;
CREATE POLICY lead_engagement_read ON salesflow.lead_engagement
FOR SELECT USING (user_id = any((SELECT salesflow.visible_user_ids())::uuid[]));
