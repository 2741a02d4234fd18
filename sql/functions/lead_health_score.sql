-- ============================================================================
-- lead_health_score: the health formula (DESIGN 2.6), 0-100
-- ============================================================================
--   100 * ( 0.35 * BANT          total_score / 100; 0.5 when the lead has no assessment
--         + 0.25 * recency       exp(-days since last inbound / 14); 0 when never inbound
--         + 0.15 * frequency     min(1, inbound contacts in the last 30 days / 6)
--         + 0.15 * responsiveness min(1, (replies + 1) / (outbound + 2))
--         + 0.10 * stage         new 0, contacted 0.25, replied 0.5, meeting 0.75, proposal 1, won 1, lost 0 )
-- rounded to one decimal. Light: >= 70 green, >= 40 yellow, else red (health_traffic_light).
--
-- No SET search_path on purpose: a LANGUAGE sql IMMUTABLE function without SET clauses is inlined
-- by the planner, which keeps view_leads_scored (1M rows) free of a function call per row. The
-- body uses only pg_catalog built-ins on explicitly typed values, so there is nothing to hijack.
CREATE OR REPLACE FUNCTION salesflow.lead_health_score(
    p_bant_score numeric,
    p_last_inbound_at timestamptz,
    p_inbound_30d integer,
    p_reply_count integer,
    p_outbound_count integer,
    p_stage text,
    p_at timestamptz DEFAULT now()
)
RETURNS numeric
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    -- Total (never raises, so view_leads_scored cannot fail on a row) and within 0-100: BANT
    -- clamped to 0-100, negative counts count as 0, counts added in double precision (no integer
    -- overflow), responsiveness at most 1 (more replies than sends), the recency exponent capped
    -- (exp() cannot underflow), infinite timestamps mean no recency.
    SELECT pg_catalog.round((
        100.0::double precision * (
            0.35::double precision * CASE
                WHEN p_bant_score IS NULL THEN 0.5::double precision  -- (greatest() would turn NULL into 0)
                ELSE least(greatest(p_bant_score, 0::numeric), 100::numeric)::double precision / 100.0::double precision
            END
            + 0.25::double precision * CASE
                WHEN p_last_inbound_at IS NULL OR NOT (pg_catalog.isfinite(p_last_inbound_at) AND pg_catalog.isfinite(p_at))
                    THEN 0.0::double precision
                ELSE pg_catalog.exp(-least(
                    greatest(pg_catalog.date_part('epoch'::text, p_at - p_last_inbound_at), 0.0::double precision)
                    / 86400.0::double precision / 14.0::double precision,
                    700.0::double precision
                ))
            END
            + 0.15::double precision * least(
                greatest(coalesce(p_inbound_30d, 0), 0)::double precision / 6.0::double precision, 1.0::double precision
            )
            + 0.15::double precision * least(
                (greatest(coalesce(p_reply_count, 0), 0)::double precision + 1.0::double precision)
                / (greatest(coalesce(p_outbound_count, 0), 0)::double precision + 2.0::double precision),
                1.0::double precision
            )
            + 0.10::double precision * (CASE p_stage
                WHEN 'contacted'::text THEN 0.25::double precision
                WHEN 'replied'::text THEN 0.5::double precision
                WHEN 'meeting'::text THEN 0.75::double precision
                WHEN 'proposal'::text THEN 1.0::double precision
                WHEN 'won'::text THEN 1.0::double precision
                ELSE 0.0::double precision
            END)
        )
    )::numeric, 1);
$$;
COMMENT ON FUNCTION salesflow.lead_health_score(numeric, timestamptz, integer, integer, integer, text, timestamptz) IS
'Health score 0-100: 35% BANT (0.5 without), 25% exp(-days since last inbound/14), 15% min(1, inbound 30d/6), '
'15% min(1, (replies+1)/(outbound+2)), 10% stage progress. Args: bant_score, last_inbound_at, inbound_30d, reply_count, outbound_count, stage, at. '
'Never raises: BANT clamped to 0-100, negative counts as 0, responsiveness at most 1, infinite timestamps as no inbound.';
