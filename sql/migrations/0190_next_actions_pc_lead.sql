-- ============================================================================
-- 0190 next-action conversion index carries the lead id
-- ============================================================================
-- recommend_followup_actions needs the predicted conversion of every follow-up due around now
-- (~650 for a rep with 10,000 leads in the bench). One primary-key probe of lead_scores each cost
-- ~2.8 ms of a ~6 ms ranking at 1M leads; one index-only scan of the rep's open leads in this
-- index (lead_id included), hashed, costs ~1 ms. Same index count, so the drain writes no more.
DROP INDEX salesflow.lead_next_actions_user_pc_idx;
CREATE INDEX lead_next_actions_user_pc_idx ON salesflow.lead_next_actions (user_id, predicted_conversion DESC)
INCLUDE (lead_id);
