-- ============================================================================
-- 0060 lead foreign-key indexes: per-lead lookups that had only a partial index or none
-- ============================================================================
-- ai_recommendations had a lead index for OPEN rows only: the profile_lead trigger's "no
-- profile_lead recommendation except expired ones" check scanned the whole table. It runs on about
-- a quarter of single activity INSERTs (the lead has 3+ inbound contacts and no profile) and cost
-- 80 ms there at 1M leads / 411k recommendations (8 ms at 100k). Deleting a lead (ON DELETE
-- CASCADE) scanned the table too, and ai_coaching_sessions, which had no lead index at all.
CREATE INDEX ai_recommendations_lead_idx ON salesflow.ai_recommendations (lead_id, rec_type);
CREATE INDEX ai_coaching_sessions_lead_idx ON salesflow.ai_coaching_sessions (lead_id) WHERE lead_id IS NOT NULL;
