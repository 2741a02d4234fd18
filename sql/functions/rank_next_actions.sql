-- requires: lead_is_contactable, score_leads
-- ============================================================================
-- rank_next_actions: the best lead-derived next action of the given open leads (NULL: all)
-- ============================================================================
-- The lead-derived half of recommend_followup_actions, kept per lead in lead_next_actions (read as
-- view_next_actions) so that a call reads only the top rows of one user through (user_id, score DESC).
-- Follow-ups and AI recommendations are NOT here: the function reads them live. As of now():
--   kind            priority  when                                              urgency
--   hot_no_contact  70   health >= 70 or BANT green, no outbound for 7 days   1.0 + min(0.5, (days since outbound - 7) / 28)
--   bant_gap        60   stage meeting/proposal, no BANT or a dimension <= 3   1.1 (proposal 1.3)
--   ghosted         45   3+ outbound contacts since the last inbound           0.9
--   stalled         35   created 14+ days ago, no stage change for 14 days     0.6 + min(0.6, days since contact / 60)
--   profile_lead    30   3+ inbound, no DISG profile, no open/dismissed profiling recommendation  0.8
-- score = priority x predicted conversion (lead_scores, 0.5 when unseen) x urgency; the best
-- candidate per lead (ties: higher priority). One row per open lead: leads without a candidate have
-- action_type/priority/urgency/score NULL but keep their predicted conversion (for the follow-up walk).
-- Restricted leads and leads that withdrew consent get no row (lead_is_contactable).
-- Reads lead_scores: the drain computes the leads' scores first. Inlined like score_leads.
CREATE OR REPLACE FUNCTION salesflow.rank_next_actions(p_lead_ids uuid[])
RETURNS SETOF salesflow.lead_next_actions
LANGUAGE sql
STABLE
AS $$
WITH ol AS (
    SELECT
        l.id AS lead_id,
        l.user_id,
        l.stage,
        l.created_at,
        le.inbound_count,
        le.outbound_count,
        le.last_inbound_at,
        le.last_outbound_at,
        le.bant_light,
        le.disg_type,
        vs.health_score,
        coalesce(vs.predicted_conversion::float8, 0.5) AS pc
    FROM salesflow.leads AS l
    LEFT JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
    LEFT JOIN salesflow.lead_scores AS vs ON l.id = vs.lead_id
    -- no outbound suggestions for restricted leads or leads that withdrew consent (inlined column tests)
    WHERE
        l.stage NOT IN ('won', 'lost') AND salesflow.lead_is_contactable(l)
        AND (p_lead_ids IS NULL OR l.id = ANY (p_lead_ids))
),

latest_bant AS (
    SELECT DISTINCT ON (x.lead_id)
        x.lead_id,
        least(x.budget, x.authority, x.need, x.timeline) AS weakest_score
    FROM salesflow.bant_assessments AS x
    INNER JOIN salesflow.leads AS l ON x.lead_id = l.id AND l.stage IN ('meeting', 'proposal')
    WHERE p_lead_ids IS NULL OR x.lead_id = ANY (p_lead_ids)
    ORDER BY x.lead_id ASC, x.created_at DESC, x.id DESC
),

recent_stage AS (
    SELECT DISTINCT e.lead_id
    FROM salesflow.lead_stage_events AS e
    WHERE e.changed_at > now() - interval '14 days' AND (p_lead_ids IS NULL OR e.lead_id = ANY (p_lead_ids))
),

profiling AS (
    SELECT DISTINCT r.lead_id
    FROM salesflow.ai_recommendations AS r
    WHERE r.rec_type = 'profile_lead' AND r.status IN ('open', 'dismissed') AND (p_lead_ids IS NULL OR r.lead_id = ANY (p_lead_ids))
),

cand (lead_id, kind, priority, urgency) AS (
    SELECT
        ol.lead_id,
        'hot_no_contact',
        70::float8,
        1.0 + least(0.5, greatest(0, coalesce(date_part('epoch', now() - ol.last_outbound_at) / 86400, 35) - 7) / 28)
    FROM ol
    WHERE
        (ol.health_score >= 70 OR ol.bant_light = 'green')
        AND (ol.last_outbound_at IS NULL OR ol.last_outbound_at < now() - interval '7 days')
    UNION ALL
    SELECT
        ol.lead_id,
        'bant_gap',
        60,
        CASE WHEN ol.stage = 'proposal' THEN 1.3 ELSE 1.1 END
    FROM ol
    LEFT JOIN latest_bant AS lb ON ol.lead_id = lb.lead_id
    WHERE ol.stage IN ('meeting', 'proposal') AND (lb.lead_id IS NULL OR lb.weakest_score <= 3)
    UNION ALL
    -- three or more outbound contacts since the last inbound: an index probe that stops at three
    SELECT
        ol.lead_id,
        'ghosted',
        45,
        0.9
    FROM ol
    WHERE
        ol.outbound_count >= 3
        AND (ol.last_inbound_at IS NULL OR ol.last_outbound_at > ol.last_inbound_at)
        AND (
            ol.last_inbound_at IS NULL
            OR (
                SELECT count(*) FROM (
                    SELECT 1 AS one FROM salesflow.lead_activities AS a
                    WHERE
                        a.lead_id = ol.lead_id AND a.direction = 'out' AND a.kind <> 'note'
                        AND a.occurred_at > ol.last_inbound_at
                    LIMIT 3 -- noqa: AM09
                ) AS o
            ) = 3
        )
    UNION ALL
    SELECT
        ol.lead_id,
        'stalled',
        35,
        0.6 + least(0.6, coalesce(date_part('epoch', now() - greatest(ol.last_inbound_at, ol.last_outbound_at)) / 86400, 36) / 60)
    FROM ol
    WHERE
        ol.created_at < now() - interval '14 days'
        AND NOT EXISTS (
            SELECT 1 FROM recent_stage AS rs
            WHERE rs.lead_id = ol.lead_id
        )
    UNION ALL
    SELECT
        ol.lead_id,
        'profile_lead',
        30,
        0.8
    FROM ol
    WHERE
        ol.inbound_count >= 3 AND ol.disg_type IS NULL
        AND NOT EXISTS (
            SELECT 1 FROM profiling AS p
            WHERE p.lead_id = ol.lead_id
        )
),

best AS (
    SELECT DISTINCT ON (c.lead_id)
        c.lead_id,
        c.kind,
        c.priority,
        c.urgency
    FROM cand AS c
    INNER JOIN ol ON c.lead_id = ol.lead_id
    ORDER BY c.lead_id ASC, c.priority * ol.pc * c.urgency DESC, c.priority DESC
)

SELECT
    ol.lead_id,
    ol.user_id,
    b.kind AS action_type,
    b.priority::numeric AS priority,
    round(b.urgency::numeric, 3) AS urgency,
    round(ol.pc::numeric, 3) AS predicted_conversion,
    round((b.priority * ol.pc * round(b.urgency::numeric, 3)::float8)::numeric, 2) AS score,
    now() AS computed_at
FROM ol
LEFT JOIN best AS b ON ol.lead_id = b.lead_id;
$$;
COMMENT ON FUNCTION salesflow.rank_next_actions(uuid[]) IS
'Internal: the lead_next_actions rows of the given open leads (NULL: all), as of now().';
