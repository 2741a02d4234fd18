-- ============================================================================
-- view_conversion_microsteps: per user and funnel step, reached / converted / rate / median days
-- ============================================================================
-- Steps: new -> contacted -> replied -> meeting -> proposal -> won (step_no 1..5).
-- Reads one row per lead: leads + the milestones in lead_engagement (first time the lead reached
-- each stage, kept from lead_stage_events by the track_lead_stage trigger). A lead reached a
-- stage when it has that milestone or a later one, or when its current stage is that stage or
-- further along (leads created past 'new' or loaded without history; 'lost' adds nothing); every
-- lead reached 'new' at created_at. converted = reached the next stage too; rate = converted /
-- reached; median_days = median days from reaching the stage to reaching the next (only where both
-- times are known).
CREATE MATERIALIZED VIEW salesflow.view_conversion_microsteps AS
WITH per_lead AS (
    SELECT
        l.user_id,
        l.created_at,
        le.reached_contacted_at,
        le.reached_replied_at,
        le.reached_meeting_at,
        le.reached_proposal_at,
        le.reached_won_at,
        greatest(
            CASE l.stage
                WHEN 'contacted' THEN 1 WHEN 'replied' THEN 2 WHEN 'meeting' THEN 3
                WHEN 'proposal' THEN 4 WHEN 'won' THEN 5 ELSE 0
            END,
            CASE
                WHEN le.reached_won_at IS NOT NULL THEN 5
                WHEN le.reached_proposal_at IS NOT NULL THEN 4
                WHEN le.reached_meeting_at IS NOT NULL THEN 3
                WHEN le.reached_replied_at IS NOT NULL THEN 2
                WHEN le.reached_contacted_at IS NOT NULL THEN 1
                ELSE 0
            END
        ) AS max_rank
    FROM salesflow.leads AS l
    LEFT JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
),

steps AS (
    SELECT
        p.user_id,
        s.step_no,
        s.from_stage,
        s.to_stage,
        p.max_rank >= s.step_no AS converted,
        date_part('epoch', s.to_at - s.from_at) / 86400.0 AS days
    FROM per_lead AS p
    CROSS JOIN
        LATERAL (
            VALUES
            (1, 'new', 'contacted', p.created_at, p.reached_contacted_at),
            (2, 'contacted', 'replied', p.reached_contacted_at, p.reached_replied_at),
            (3, 'replied', 'meeting', p.reached_replied_at, p.reached_meeting_at),
            (4, 'meeting', 'proposal', p.reached_meeting_at, p.reached_proposal_at),
            (5, 'proposal', 'won', p.reached_proposal_at, p.reached_won_at)
        ) AS s (step_no, from_stage, to_stage, from_at, to_at)
    WHERE p.max_rank >= s.step_no - 1
)

SELECT
    s.user_id,
    s.step_no,
    s.from_stage,
    s.to_stage,
    count(*)::integer AS reached,
    count(*) FILTER (WHERE s.converted)::integer AS converted,
    round(count(*) FILTER (WHERE s.converted)::numeric / count(*), 4) AS conversion_rate,
    round((percentile_cont(0.5) WITHIN GROUP (ORDER BY s.days) FILTER (WHERE s.converted AND s.days >= 0))::numeric, 2)
        AS median_days
FROM steps AS s
GROUP BY s.user_id, s.step_no, s.from_stage, s.to_stage;

COMMENT ON MATERIALIZED VIEW salesflow.view_conversion_microsteps IS
'Funnel per user and step (new->contacted->replied->meeting->proposal->won): reached, converted, rate, median days. '
'Read it through salesflow.get_conversion_funnel().';
CREATE UNIQUE INDEX view_conversion_microsteps_key_idx ON salesflow.view_conversion_microsteps (user_id, step_no);
