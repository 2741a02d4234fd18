-- ============================================================================
-- view_leads_scored: every lead with health, traffic light, predicted conversion
-- ============================================================================
-- A plain view over lead_scores, which drain_dirty_leads keeps per lead (score_leads has the
-- formulas): a write is reflected after the next drain, not the next full refresh. Health and the
-- counters are as of computed_at (at most the drain's p_max_age old); days_since_contact is
-- computed here, at read time. Same columns as the materialized view it replaced (before 0160).
-- Reps read it only through get_scored_leads(); managers/admins only through functions too.
-- Restricted leads (GDPR Art. 18) have no row.
CREATE VIEW salesflow.view_leads_scored AS
SELECT
    s.lead_id,
    s.user_id,
    s.team_id,
    s.lead_name,
    s.company,
    s.stage,
    s.is_open,
    s.deal_value,
    s.health_score,
    s.traffic_light,
    s.predicted_conversion,
    s.last_contact_at,
    floor(date_part('epoch', now() - s.last_contact_at) / 86400)::integer AS days_since_contact,
    s.inbound_count,
    s.outbound_count,
    s.reply_count,
    s.bant_score,
    s.bant_light,
    s.disg_type,
    s.first_channel,
    s.created_at,
    s.closed_at,
    s.cycle_days,
    s.computed_at
FROM salesflow.lead_scores AS s;

COMMENT ON VIEW salesflow.view_leads_scored IS
'Every lead with health score (0-100), traffic light, predicted conversion (calibrated naive Bayes), days since last contact, '
'latest BANT light and DISG type, as of computed_at (the last drain). Read it through salesflow.get_scored_leads().';
