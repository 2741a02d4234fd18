-- ============================================================================
-- view_conversion_microsteps: per user and funnel step, reached / converted / rate / median days
-- ============================================================================
-- Steps: new -> contacted -> replied -> meeting -> proposal -> won (step_no 1..5).
-- A lead reached a stage when lead_stage_events has it (first time), or when its current stage is
-- that stage or further along (leads created past 'new' or loaded without history; 'lost' counts
-- as nothing further); every lead reached 'new' at created_at. converted = reached the next stage
-- too; rate = converted / reached; median_days = median time from first reaching the stage to first
-- reaching the next (only where both times are known). Reads leads + lead_stage_events.
CREATE MATERIALIZED VIEW salesflow.view_conversion_microsteps AS
WITH stage_order (stage, rank) AS (
    VALUES ('new', 0), ('contacted', 1), ('replied', 2), ('meeting', 3), ('proposal', 4), ('won', 5)
),

first_reach AS (
    SELECT
        e.lead_id,
        e.to_stage AS stage,
        min(e.changed_at) AS reached_at
    FROM salesflow.lead_stage_events AS e
    WHERE e.to_stage <> 'lost'
    GROUP BY e.lead_id, e.to_stage
),

lead_rank AS (
    -- furthest stage each lead reached (current stage or history)
    SELECT
        l.id AS lead_id,
        l.user_id,
        l.created_at,
        greatest(coalesce(cur.rank, 0), coalesce(max(so.rank), 0)) AS max_rank
    FROM salesflow.leads AS l
    LEFT JOIN stage_order AS cur ON l.stage = cur.stage
    LEFT JOIN first_reach AS fr ON l.id = fr.lead_id
    LEFT JOIN stage_order AS so ON fr.stage = so.stage
    GROUP BY l.id, l.user_id, l.created_at, cur.rank
),

steps AS (
    SELECT
        s.rank + 1 AS step_no,
        s.stage AS from_stage,
        nx.stage AS to_stage,
        s.rank
    FROM stage_order AS s
    INNER JOIN stage_order AS nx ON s.rank + 1 = nx.rank
),

per_lead AS (
    SELECT
        lr.user_id,
        st.step_no,
        st.from_stage,
        st.to_stage,
        lr.max_rank >= st.rank + 1 AS converted,
        date_part(
            'epoch',
            fto.reached_at - CASE WHEN st.from_stage = 'new' THEN coalesce(ffrom.reached_at, lr.created_at) ELSE ffrom.reached_at END
        ) / 86400.0 AS days
    FROM lead_rank AS lr
    INNER JOIN steps AS st ON lr.max_rank >= st.rank
    LEFT JOIN first_reach AS ffrom ON lr.lead_id = ffrom.lead_id AND st.from_stage = ffrom.stage
    LEFT JOIN first_reach AS fto ON lr.lead_id = fto.lead_id AND st.to_stage = fto.stage
)

SELECT
    p.user_id,
    p.step_no,
    p.from_stage,
    p.to_stage,
    count(*)::integer AS reached,
    count(*) FILTER (WHERE p.converted)::integer AS converted,
    round(count(*) FILTER (WHERE p.converted)::numeric / count(*), 4) AS conversion_rate,
    round((percentile_cont(0.5) WITHIN GROUP (ORDER BY p.days) FILTER (WHERE p.converted AND p.days >= 0))::numeric, 2)
        AS median_days
FROM per_lead AS p
GROUP BY p.user_id, p.step_no, p.from_stage, p.to_stage;

COMMENT ON MATERIALIZED VIEW salesflow.view_conversion_microsteps IS
'Funnel per user and step (new->contacted->replied->meeting->proposal->won): reached, converted, rate, median days. '
'Read it through salesflow.get_conversion_funnel().';
CREATE UNIQUE INDEX view_conversion_microsteps_key_idx ON salesflow.view_conversion_microsteps (user_id, step_no);
