-- ============================================================================
-- view_leads_scored: every lead with health, traffic light, predicted conversion
-- ============================================================================
-- One row per lead, built from leads + users + lead_engagement (counters kept by triggers) +
-- success_patterns: no lead_activities, no per-row function doing queries. Values are rounded
-- (health 1 decimal, conversion 3 decimals, whole days) so a concurrent refresh rewrites only
-- the rows that really changed. Health and days are as of the refresh.
-- predicted_conversion = the set-based twin of predict_conversion(): the seven feature joins
-- on success_patterns (value '*' when unseen) in the team scope (>= 30 closed) or globally.
-- Reps read it only through get_scored_leads(); managers/admins only through functions too.
CREATE MATERIALIZED VIEW salesflow.view_leads_scored AS
WITH scope_total AS (
    SELECT
        sp.team_id,
        sp.won + sp.lost AS closed
    FROM salesflow.success_patterns AS sp
    WHERE sp.feature = 'total' AND sp.value = 'all' AND sp.team_id IS NOT NULL
),

w AS (
    SELECT
        coalesce(sp.team_id, '00000000-0000-0000-0000-000000000000'::uuid) AS scope_key,
        sp.feature,
        sp.value,
        sp.log_likelihood_ratio AS llr
    FROM salesflow.success_patterns AS sp
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
        le.disg_type,
        (
            SELECT count(*)::integer FROM unnest(le.recent_inbound) AS r (t)
            WHERE r.t >= now() - interval '30 days'
        ) AS inbound_30d,
        CASE
            WHEN st.closed >= 30 THEN u.team_id
            ELSE '00000000-0000-0000-0000-000000000000'::uuid
        END AS scope_key
    FROM salesflow.leads AS l
    INNER JOIN salesflow.users AS u ON l.user_id = u.id
    LEFT JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
    LEFT JOIN scope_total AS st ON u.team_id = st.team_id
),

scored AS (
    SELECT
        b.*,
        salesflow.lead_health_score(
            b.bant_score, b.last_inbound_at, b.inbound_30d, b.reply_count, b.outbound_count, b.stage, now()
        ) AS health_score,
        coalesce(pr.llr, 0)
        + coalesce(w1.llr, u1.llr, 0) + coalesce(w2.llr, u2.llr, 0) + coalesce(w3.llr, u3.llr, 0)
        + coalesce(w4.llr, u4.llr, 0) + coalesce(w5.llr, u5.llr, 0) + coalesce(w6.llr, u6.llr, 0)
        + coalesce(w7.llr, u7.llr, 0) AS logit
    FROM base AS b
    LEFT JOIN w AS pr ON b.scope_key = pr.scope_key AND pr.feature = 'total' AND pr.value = 'all'
    LEFT JOIN w AS w1 ON b.scope_key = w1.scope_key AND w1.feature = 'source' AND b.source = w1.value
    LEFT JOIN w AS u1 ON b.scope_key = u1.scope_key AND u1.feature = 'source' AND u1.value = '*'
    LEFT JOIN w AS w2 ON b.scope_key = w2.scope_key AND w2.feature = 'first_channel' AND b.first_channel = w2.value
    LEFT JOIN w AS u2 ON b.scope_key = u2.scope_key AND u2.feature = 'first_channel' AND u2.value = '*'
    LEFT JOIN w AS w3 ON b.scope_key = w3.scope_key AND w3.feature = 'industry' AND b.industry = w3.value
    LEFT JOIN w AS u3 ON b.scope_key = u3.scope_key AND u3.feature = 'industry' AND u3.value = '*'
    LEFT JOIN w AS w4 ON b.scope_key = w4.scope_key AND w4.feature = 'disg_type' AND coalesce(b.disg_type::text, 'none') = w4.value
    LEFT JOIN w AS u4 ON b.scope_key = u4.scope_key AND u4.feature = 'disg_type' AND u4.value = '*'
    LEFT JOIN w AS w5 ON b.scope_key = w5.scope_key AND w5.feature = 'bant_light' AND coalesce(b.bant_light, 'none') = w5.value
    LEFT JOIN w AS u5 ON b.scope_key = u5.scope_key AND u5.feature = 'bant_light' AND u5.value = '*'
    LEFT JOIN w AS w6 ON b.scope_key = w6.scope_key AND w6.feature = 'country' AND b.country = w6.value
    LEFT JOIN w AS u6 ON b.scope_key = u6.scope_key AND u6.feature = 'country' AND u6.value = '*'
    LEFT JOIN w AS w7 ON b.scope_key = w7.scope_key AND w7.feature = 'language' AND b.language = w7.value
    LEFT JOIN w AS u7 ON b.scope_key = u7.scope_key AND u7.feature = 'language' AND u7.value = '*'
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
    round((1.0 / (1.0 + exp(-s.logit)))::numeric, 3) AS predicted_conversion,
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
    CASE WHEN s.closed_at IS NOT NULL THEN round((date_part('epoch', s.closed_at - s.created_at) / 86400)::numeric, 1) END
        AS cycle_days
FROM scored AS s;

COMMENT ON MATERIALIZED VIEW salesflow.view_leads_scored IS
'Every lead with health score (0-100), traffic light, predicted conversion (naive Bayes), days since last contact, '
'latest BANT light and DISG type, as of the last refresh. Read it through salesflow.get_scored_leads().';
CREATE UNIQUE INDEX view_leads_scored_lead_idx ON salesflow.view_leads_scored (lead_id);
CREATE INDEX view_leads_scored_user_health_idx ON salesflow.view_leads_scored (user_id, health_score DESC, lead_id)
WHERE is_open;
CREATE INDEX view_leads_scored_team_health_idx ON salesflow.view_leads_scored (team_id, health_score DESC, lead_id)
WHERE is_open;
CREATE INDEX view_leads_scored_health_idx ON salesflow.view_leads_scored (health_score DESC, lead_id) WHERE is_open;
