-- requires: calibrated_probability, health_traffic_light, lead_health_score, lead_is_processable
-- ============================================================================
-- score_leads: health, traffic light and calibrated predicted conversion of the given leads (NULL: all)
-- ============================================================================
-- The one computation behind lead_scores (and so view_leads_scored): drain_dirty_leads calls it for
-- the queued leads, a full rebuild with NULL. Built from leads + users + lead_engagement (counters
-- kept by triggers) + success_patterns: no lead_activities, no per-row function doing queries.
-- Values are rounded (health 1 decimal, conversion 3 decimals). Health is as of now() (computed_at).
-- predicted_conversion = the set-based twin of predict_conversion(): the seven feature joins on
-- success_patterns (value '*' when unseen) in the team scope (>= 30 closed) or globally, calibrated
-- by the scope's Platt fit (calibrated_probability: within [0.001, 0.999]).
-- Restricted leads (GDPR Art. 18, lead_is_processable) get no row.
-- LANGUAGE sql, STABLE, no SET clause: inlined into the caller's query, so the lead filter reaches
-- the index on leads and a NULL filter (full rebuild) plans as the whole table.
-- scope and w are NOT MATERIALIZED: a CTE scan would keep the whole query out of parallel workers.
CREATE OR REPLACE FUNCTION salesflow.score_leads(p_lead_ids uuid[])
RETURNS SETOF salesflow.lead_scores
LANGUAGE sql
STABLE
AS $$
WITH scope AS NOT MATERIALIZED (
    -- one row per scope (team or global): closed leads, prior log odds, the unseen-value ratios
    SELECT
        coalesce(sp.team_id, '00000000-0000-0000-0000-000000000000'::uuid) AS scope_key,
        max(sp.won + sp.lost) FILTER (WHERE sp.feature = 'total') AS closed,
        coalesce(max(sp.log_likelihood_ratio) FILTER (WHERE sp.feature = 'total'), 0) AS prior,
        coalesce(max(sp.log_likelihood_ratio) FILTER (WHERE sp.feature = 'source' AND sp.value = '*'), 0) AS u_source,
        coalesce(max(sp.log_likelihood_ratio) FILTER (WHERE sp.feature = 'first_channel' AND sp.value = '*'), 0) AS u_channel,
        coalesce(max(sp.log_likelihood_ratio) FILTER (WHERE sp.feature = 'industry' AND sp.value = '*'), 0) AS u_industry,
        coalesce(max(sp.log_likelihood_ratio) FILTER (WHERE sp.feature = 'disg_type' AND sp.value = '*'), 0) AS u_disg,
        coalesce(max(sp.log_likelihood_ratio) FILTER (WHERE sp.feature = 'bant_light' AND sp.value = '*'), 0) AS u_bant,
        coalesce(max(sp.log_likelihood_ratio) FILTER (WHERE sp.feature = 'country' AND sp.value = '*'), 0) AS u_country,
        coalesce(max(sp.log_likelihood_ratio) FILTER (WHERE sp.feature = 'language' AND sp.value = '*'), 0) AS u_language
    FROM salesflow.success_patterns AS sp
    GROUP BY coalesce(sp.team_id, '00000000-0000-0000-0000-000000000000'::uuid)
),

w AS NOT MATERIALIZED (
    -- log-likelihood ratios of the values seen, keyed by scope, feature and value
    SELECT
        coalesce(sp.team_id, '00000000-0000-0000-0000-000000000000'::uuid) AS scope_key,
        sp.feature,
        sp.value,
        sp.log_likelihood_ratio AS llr
    FROM salesflow.success_patterns AS sp
    WHERE sp.feature <> 'total' AND sp.value <> '*'
),

base AS (
    SELECT
        l.id AS lead_id,
        l.user_id,
        u.team_id,
        l.name AS lead_name,
        l.company,
        l.stage,
        l.stage NOT IN ('won', 'lost') AS is_open,
        l.deal_value,
        l.source,
        coalesce(l.industry, 'none') AS industry,
        coalesce(l.country, 'none') AS country,
        l.language,
        l.created_at,
        l.closed_at,
        coalesce(le.first_channel, 'none') AS first_channel,
        le.inbound_count,
        le.outbound_count,
        le.reply_count,
        le.last_inbound_at,
        greatest(le.last_inbound_at, le.last_outbound_at) AS last_contact_at,
        le.bant_score,
        le.bant_light,
        coalesce(le.bant_light, 'none') AS bant_value,
        le.disg_type,
        coalesce(le.disg_type::text, 'none') AS disg_value,
        -- inbound in the last 30 days from the six newest (sorted newest first; no per-row subquery)
        coalesce((le.recent_inbound[1] >= now() - interval '30 days')::integer, 0)
        + coalesce((le.recent_inbound[2] >= now() - interval '30 days')::integer, 0)
        + coalesce((le.recent_inbound[3] >= now() - interval '30 days')::integer, 0)
        + coalesce((le.recent_inbound[4] >= now() - interval '30 days')::integer, 0)
        + coalesce((le.recent_inbound[5] >= now() - interval '30 days')::integer, 0)
        + coalesce((le.recent_inbound[6] >= now() - interval '30 days')::integer, 0) AS inbound_30d,
        coalesce(ts.scope_key, gs.scope_key, '00000000-0000-0000-0000-000000000000'::uuid) AS scope_key,
        coalesce(ts.prior, gs.prior, 0) AS prior,
        coalesce(ts.u_source, gs.u_source, 0) AS u_source,
        coalesce(ts.u_channel, gs.u_channel, 0) AS u_channel,
        coalesce(ts.u_industry, gs.u_industry, 0) AS u_industry,
        coalesce(ts.u_disg, gs.u_disg, 0) AS u_disg,
        coalesce(ts.u_bant, gs.u_bant, 0) AS u_bant,
        coalesce(ts.u_country, gs.u_country, 0) AS u_country,
        coalesce(ts.u_language, gs.u_language, 0) AS u_language,
        cal.slope AS cal_slope,
        cal.intercept AS cal_intercept
    FROM salesflow.leads AS l
    INNER JOIN salesflow.users AS u ON l.user_id = u.id
    LEFT JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
    -- the team's counts from 30 closed leads on, else the global ones
    LEFT JOIN scope AS ts ON u.team_id = ts.scope_key AND ts.closed >= 30
    LEFT JOIN scope AS gs ON gs.scope_key = '00000000-0000-0000-0000-000000000000'::uuid
    -- that scope's Platt fit (none: the raw logit)
    LEFT JOIN salesflow.conversion_calibration AS cal
        ON
            coalesce(cal.team_id, '00000000-0000-0000-0000-000000000000'::uuid)
            = coalesce(ts.scope_key, '00000000-0000-0000-0000-000000000000'::uuid)
    -- restricted leads (GDPR Art. 18) are not scored; inlined to a column test (restricted_at IS NULL)
    WHERE
        salesflow.lead_is_processable(l)
        AND (p_lead_ids IS NULL OR l.id = ANY (p_lead_ids))
),

scored AS (
    SELECT
        b.*,
        salesflow.lead_health_score(
            b.bant_score, b.last_inbound_at, b.inbound_30d, b.reply_count, b.outbound_count, b.stage, now()
        ) AS health_score,
        b.prior
        + coalesce(w1.llr, b.u_source) + coalesce(w2.llr, b.u_channel) + coalesce(w3.llr, b.u_industry)
        + coalesce(w4.llr, b.u_disg) + coalesce(w5.llr, b.u_bant) + coalesce(w6.llr, b.u_country)
        + coalesce(w7.llr, b.u_language) AS logit
    FROM base AS b
    LEFT JOIN w AS w1 ON b.scope_key = w1.scope_key AND w1.feature = 'source' AND b.source = w1.value
    LEFT JOIN w AS w2 ON b.scope_key = w2.scope_key AND w2.feature = 'first_channel' AND b.first_channel = w2.value
    LEFT JOIN w AS w3 ON b.scope_key = w3.scope_key AND w3.feature = 'industry' AND b.industry = w3.value
    LEFT JOIN w AS w4 ON b.scope_key = w4.scope_key AND w4.feature = 'disg_type' AND b.disg_value = w4.value
    LEFT JOIN w AS w5 ON b.scope_key = w5.scope_key AND w5.feature = 'bant_light' AND b.bant_value = w5.value
    LEFT JOIN w AS w6 ON b.scope_key = w6.scope_key AND w6.feature = 'country' AND b.country = w6.value
    LEFT JOIN w AS w7 ON b.scope_key = w7.scope_key AND w7.feature = 'language' AND b.language = w7.value
    -- a fence: health_score and logit are computed once per row, not once per use below
    OFFSET 0 -- noqa: AM09
)

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
    salesflow.health_traffic_light(s.health_score) AS traffic_light,
    round(salesflow.calibrated_probability(s.logit, s.cal_slope, s.cal_intercept)::numeric, 3) AS predicted_conversion,
    s.last_contact_at,
    s.inbound_count,
    s.outbound_count,
    s.reply_count,
    s.bant_score,
    s.bant_light,
    s.disg_type,
    s.first_channel,
    s.created_at,
    s.closed_at,
    CASE WHEN s.closed_at IS NOT NULL THEN round((date_part('epoch', s.closed_at - s.created_at) / 86400)::numeric, 1) END
        AS cycle_days,
    now() AS computed_at
FROM scored AS s;
$$;
COMMENT ON FUNCTION salesflow.score_leads(uuid[]) IS
'Internal: the lead_scores rows of the given leads (NULL: all processable leads), as of now().';
