-- ============================================================================
-- 0020 analytics: per-lead engagement counters and the indexes of the read paths
-- ============================================================================
-- lead_engagement holds one row per lead, kept current by the statement-level trigger
-- track_lead_activity on lead_activities (and created by create_lead_engagement on leads), so
-- scoring and refresh read one row per lead instead of every activity.
-- Counters count contacts: activities of kind message, call or meeting (notes are internal and
-- only move last_activity_at).

CREATE TABLE salesflow.lead_engagement (
    lead_id uuid PRIMARY KEY,
    user_id uuid NOT NULL,
    inbound_count integer NOT NULL DEFAULT 0 CHECK (inbound_count >= 0),
    outbound_count integer NOT NULL DEFAULT 0 CHECK (outbound_count >= 0),
    -- inbound contacts that answered the lead's latest prior outbound within 24 h (at most one per outbound)
    reply_count integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    first_channel text,
    first_contact_at timestamptz,
    last_inbound_at timestamptz,
    last_outbound_at timestamptz,
    last_outbound_channel text,
    last_activity_at timestamptz,
    -- the latest six inbound timestamps, newest first: min(1, inbound in 30 days / 6) is exact from these
    recent_inbound timestamptz[] NOT NULL DEFAULT '{}' CHECK (cardinality(recent_inbound) <= 6),
    -- the latest BANT assessment and personality profile (track_lead_assessments keeps them current)
    bant_score numeric(4, 1),
    bant_light text CHECK (bant_light IN ('green', 'yellow', 'red')),
    bant_at timestamptz,
    disg_type char(1) CHECK (disg_type IN ('D', 'I', 'S', 'G')),
    disg_at timestamptz,
    -- first time the lead reached each funnel stage (lead_stage_events; track_lead_stage keeps them)
    reached_contacted_at timestamptz,
    reached_replied_at timestamptz,
    reached_meeting_at timestamptz,
    reached_proposal_at timestamptz,
    reached_won_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (lead_id, user_id) REFERENCES salesflow.leads (id, user_id) ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE salesflow.lead_engagement IS
'Per-lead engagement counters (one row per lead), maintained by triggers: inbound/outbound/reply counts, first channel, '
'last contacts, the latest six inbound timestamps, latest BANT score/light and DISG type. '
'Read by the scoring views instead of lead_activities.';
CREATE INDEX lead_engagement_user_idx ON salesflow.lead_engagement (user_id);
-- Counters are updated in place on every activity: leave room on each page for HOT updates
-- (no index maintenance, no bloat of the indexes).
ALTER TABLE salesflow.lead_engagement SET (fillfactor = 80);
ALTER TABLE salesflow.channel_performance_metrics SET (fillfactor = 80);

-- Backfill for databases that already hold leads and activities (a fresh install has none).
INSERT INTO salesflow.lead_engagement (
    lead_id, user_id, inbound_count, outbound_count, reply_count, first_channel, first_contact_at,
    last_inbound_at, last_outbound_at, last_outbound_channel, last_activity_at, recent_inbound,
    bant_score, bant_light, bant_at, disg_type, disg_at,
    reached_contacted_at, reached_replied_at, reached_meeting_at, reached_proposal_at, reached_won_at
)
WITH a AS (
    SELECT
        e.lead_id,
        count(*) FILTER (WHERE e.is_contact AND e.direction = 'in')::integer AS inbound_count,
        count(*) FILTER (WHERE e.is_contact AND e.direction = 'out')::integer AS outbound_count,
        count(*) FILTER (
            WHERE e.is_contact AND e.direction = 'in' AND e.prev_direction = 'out'
            AND e.occurred_at - e.prev_at <= interval '24 hours'
        )::integer AS reply_count,
        (array_agg(e.channel ORDER BY e.occurred_at) FILTER (WHERE e.is_contact))[1] AS first_channel,
        min(e.occurred_at) FILTER (WHERE e.is_contact) AS first_contact_at,
        max(e.occurred_at) FILTER (WHERE e.is_contact AND e.direction = 'in') AS last_inbound_at,
        max(e.occurred_at) FILTER (WHERE e.is_contact AND e.direction = 'out') AS last_outbound_at,
        (array_agg(e.channel ORDER BY e.occurred_at DESC) FILTER (WHERE e.is_contact AND e.direction = 'out'))[1]
            AS last_outbound_channel,
        max(e.occurred_at) AS last_activity_at,
        (array_agg(e.occurred_at ORDER BY e.occurred_at DESC) FILTER (WHERE e.is_contact AND e.direction = 'in'))[1:6]
            AS recent_inbound
    FROM (
        SELECT
            x.lead_id,
            x.channel,
            x.direction,
            x.occurred_at,
            x.kind <> 'note' AS is_contact,
            lag(x.direction) OVER w AS prev_direction,
            lag(x.occurred_at) OVER w AS prev_at
        FROM salesflow.lead_activities AS x
        WINDOW w AS (PARTITION BY x.lead_id, x.kind = 'note' ORDER BY x.occurred_at ASC, x.direction DESC)
    ) AS e
    GROUP BY e.lead_id
),

b AS (
    SELECT DISTINCT ON (x.lead_id)
        x.lead_id,
        x.total_score,
        x.traffic_light,
        x.created_at
    FROM salesflow.bant_assessments AS x
    ORDER BY x.lead_id ASC, x.created_at DESC, x.id DESC
),

p AS (
    SELECT DISTINCT ON (x.lead_id)
        x.lead_id,
        x.primary_type,
        x.created_at
    FROM salesflow.personality_profiles AS x
    ORDER BY x.lead_id ASC, x.created_at DESC, x.id DESC
),

r AS (
    SELECT
        x.lead_id,
        min(x.changed_at) FILTER (WHERE x.to_stage = 'contacted') AS reached_contacted_at,
        min(x.changed_at) FILTER (WHERE x.to_stage = 'replied') AS reached_replied_at,
        min(x.changed_at) FILTER (WHERE x.to_stage = 'meeting') AS reached_meeting_at,
        min(x.changed_at) FILTER (WHERE x.to_stage = 'proposal') AS reached_proposal_at,
        min(x.changed_at) FILTER (WHERE x.to_stage = 'won') AS reached_won_at
    FROM salesflow.lead_stage_events AS x
    GROUP BY x.lead_id
)

SELECT
    l.id,
    l.user_id,
    coalesce(a.inbound_count, 0) AS inbound_count,
    coalesce(a.outbound_count, 0) AS outbound_count,
    coalesce(a.reply_count, 0) AS reply_count,
    a.first_channel,
    a.first_contact_at,
    a.last_inbound_at,
    a.last_outbound_at,
    a.last_outbound_channel,
    a.last_activity_at,
    coalesce(a.recent_inbound, '{}') AS recent_inbound,
    b.total_score,
    b.traffic_light,
    b.created_at AS bant_at,
    p.primary_type,
    p.created_at AS disg_at,
    r.reached_contacted_at,
    r.reached_replied_at,
    r.reached_meeting_at,
    r.reached_proposal_at,
    r.reached_won_at
FROM salesflow.leads AS l
LEFT JOIN a ON l.id = a.lead_id
LEFT JOIN b ON l.id = b.lead_id
LEFT JOIN p ON l.id = p.lead_id
LEFT JOIN r ON l.id = r.lead_id;

-- ---------------------------------------------------------------------------
-- Learning engine model, stored by learn_success_patterns() next to the counts:
--   log_likelihood_ratio = ln P(v|won) - ln P(v|lost) (Laplace +0.1); feature 'total'/'all' holds the
--   prior log odds ln((won+0.1)/(lost+0.1)); value '*' stands for values not seen in that scope.
--   factor_weight = P(v|won) / (P(v|won) + P(v|lost)) (> 0.5 helps, < 0.5 hurts).
-- ---------------------------------------------------------------------------
ALTER TABLE salesflow.success_patterns
ADD COLUMN log_likelihood_ratio double precision,
ADD COLUMN factor_weight numeric(6, 5);
COMMENT ON COLUMN salesflow.success_patterns.log_likelihood_ratio IS
'ln P(value|won) - ln P(value|lost) with +0.1 smoothing; for feature total/value all: the prior log odds.';
COMMENT ON COLUMN salesflow.success_patterns.factor_weight IS
'P(value|won) / (P(value|won) + P(value|lost)): above 0.5 the value favours winning.';

-- ---------------------------------------------------------------------------
-- Recommendation expiry: the moment an open recommendation expires, as an indexable expression.
-- base * 0.5^(age / half_life) < 5  <=>  age > half_life * log2(base / 5).
-- Built from epoch arithmetic only, so it is IMMUTABLE and can be indexed.
-- ---------------------------------------------------------------------------
CREATE FUNCTION salesflow.recommendation_expiry_at(
    p_created_at timestamptz, p_base numeric, p_half_life_hours numeric, p_expires_at timestamptz
)
RETURNS timestamptz
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT least(
        coalesce(p_expires_at, 'infinity'::timestamptz),
        CASE
            WHEN p_base IS NULL OR p_half_life_hours IS NULL OR p_created_at IS NULL THEN 'infinity'::timestamptz
            WHEN p_base < 5 THEN p_created_at
            ELSE to_timestamp(
                date_part('epoch', p_created_at)
                + p_half_life_hours::double precision * 3600.0
                * ln((p_base / 5)::double precision) / ln(2.0::double precision)
            )
        END
    );
$$;
COMMENT ON FUNCTION salesflow.recommendation_expiry_at(timestamptz, numeric, numeric, timestamptz) IS
'Internal: when an open recommendation expires: the earlier of expires_at and the moment base * 0.5^(age / half-life) drops below 5.';

CREATE INDEX ai_recommendations_open_expiry_idx ON salesflow.ai_recommendations (
    salesflow.recommendation_expiry_at(created_at, base_priority, half_life_hours, expires_at)
) WHERE status = 'open';

-- KPI read paths: per user and week.
CREATE INDEX bant_assessments_user_created_idx ON salesflow.bant_assessments (user_id, created_at);
CREATE INDEX personality_profiles_user_created_idx ON salesflow.personality_profiles (user_id, created_at);
CREATE INDEX ai_recommendations_resolved_idx ON salesflow.ai_recommendations (user_id, resolved_at)
WHERE status IN ('accepted', 'dismissed');
