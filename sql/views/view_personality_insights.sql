-- ============================================================================
-- view_personality_insights: DISG type x first channel, per user
-- ============================================================================
-- Grain (user_id, disg_type, first_channel) so the identity-filtered reader
-- get_personality_insights() can add up exactly the users a caller may see and still name the best
-- channel; a DBA gets the per-type figures with GROUP BY disg_type. DISG type = the latest profile's
-- primary type (leads without a profile are left out); first_channel 'none' = never contacted.
-- cycle_days_sum: sum over won leads of (closed_at - created_at) in days.
CREATE MATERIALIZED VIEW salesflow.view_personality_insights AS
SELECT
    l.user_id,
    u.team_id,
    le.disg_type::text AS disg_type,
    coalesce(le.first_channel, 'none') AS first_channel,
    count(*)::integer AS leads,
    count(*) FILTER (WHERE l.stage = 'won')::integer AS won,
    count(*) FILTER (WHERE l.stage = 'lost')::integer AS lost,
    round(
        count(*) FILTER (WHERE l.stage = 'won')::numeric / nullif(count(*) FILTER (WHERE l.stage IN ('won', 'lost')), 0), 4
    ) AS conversion_rate,
    round(sum(date_part('epoch', l.closed_at - l.created_at) / 86400.0) FILTER (WHERE l.stage = 'won')::numeric, 2)
        AS cycle_days_sum,
    round(avg(date_part('epoch', l.closed_at - l.created_at) / 86400.0) FILTER (WHERE l.stage = 'won')::numeric, 2)
        AS avg_cycle_days
FROM salesflow.leads AS l
INNER JOIN salesflow.users AS u ON l.user_id = u.id
INNER JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
WHERE le.disg_type IS NOT NULL
GROUP BY l.user_id, u.team_id, le.disg_type, coalesce(le.first_channel, 'none');

COMMENT ON MATERIALIZED VIEW salesflow.view_personality_insights IS
'Per user x DISG type x first channel: leads, won, lost, conversion rate, won cycle days. Read it through salesflow.get_personality_insights().';
CREATE UNIQUE INDEX view_personality_insights_key_idx ON salesflow.view_personality_insights (user_id, disg_type, first_channel);
