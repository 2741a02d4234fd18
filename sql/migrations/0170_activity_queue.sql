-- ============================================================================
-- 0170 activity queue: activity counters move from the writer's transaction into the drain
-- ============================================================================
-- track_lead_activity updated a lead's lead_engagement row and its rep's channel bucket in place,
-- inside every activity INSERT. Two transactions inserting activities for the same leads in
-- different orders locked those rows in different orders and deadlocked (40P01; 58 in 60 s with 8
-- writers at 1M leads). Now an activity INSERT only appends (lead_id, activity_ids) to dirty_leads,
-- still one row per lead and statement;
-- the drain (claim_dirty_leads -> count_activities) applies the counters, one drain at a time.
-- profile_lead recommendations, which read the counts, moved with them (recommend_profiling).
ALTER TABLE salesflow.dirty_leads ADD COLUMN activity_ids bigint[];
COMMENT ON COLUMN salesflow.dirty_leads.activity_ids IS
'The lead''s activities a statement inserted, whose counters the next drain applies (count_activities); NULL: only '
'the lead''s scores are due.';

DROP TRIGGER IF EXISTS lead_activities_track ON salesflow.lead_activities;
DROP FUNCTION IF EXISTS salesflow.track_lead_activity();
DROP TRIGGER IF EXISTS lead_activities_track_then_profile_lead ON salesflow.lead_activities;
DROP FUNCTION IF EXISTS salesflow.profile_lead_recommendation();
-- drain_dirty_leads reports the activities it counted: a new result column
DROP FUNCTION IF EXISTS salesflow.drain_dirty_leads(integer, integer, interval);
