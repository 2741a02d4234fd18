-- ============================================================================
-- view_next_actions: the best lead-derived next-action candidate of every open lead
-- ============================================================================
-- A plain view over lead_next_actions, kept per lead by drain_dirty_leads (rank_next_actions has
-- the candidates and formulas); read by recommend_followup_actions through the table's indexes
-- (user_id, score DESC) and (user_id, predicted_conversion DESC). Same columns as the materialized
-- view it replaced (before 0160), plus computed_at.
CREATE VIEW salesflow.view_next_actions AS
SELECT
    a.lead_id,
    a.user_id,
    a.action_type,
    a.priority,
    a.urgency,
    a.predicted_conversion,
    a.score,
    a.computed_at
FROM salesflow.lead_next_actions AS a;

COMMENT ON VIEW salesflow.view_next_actions IS
'Every open lead with its predicted conversion and best lead-derived next-action candidate (hot without contact, BANT gap, '
'ghosted, stalled, profile; NULL when none), scored priority x conversion x urgency as of computed_at; '
'read by recommend_followup_actions.';
