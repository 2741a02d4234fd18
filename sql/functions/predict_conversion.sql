-- ============================================================================
-- predict_conversion: P(won) for one lead, naive Bayes over success_patterns
-- ============================================================================
-- logit = prior log odds + sum over the seven features of log_likelihood_ratio(value) (value '*'
-- when the scope never saw it); probability = calibrated_probability(logit, the scope's Platt fit in
-- conversion_calibration), within [0.001, 0.999]. Scope: the lead owner's team
-- when that team has at least 30 closed leads, else the global counts (team_id NULL). Without any
-- closed lead anywhere the answer is 0.5 with no factors.
-- Factors: {feature, value, weight} with weight = P(v|won) / (P(v|won) + P(v|lost)); top_positive
-- = the three highest weights above 0.5, top_negative = the three lowest below 0.5.
-- A handful of index lookups (lead, user, lead_engagement, success_patterns by its unique key).
-- SECURITY INVOKER: row-level security decides which leads the caller may ask about.
CREATE OR REPLACE FUNCTION salesflow.predict_conversion(p_lead_id uuid)
RETURNS TABLE (probability numeric, top_positive jsonb, top_negative jsonb)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    c_min_team_closed constant integer := 30;
    c_zero constant uuid := '00000000-0000-0000-0000-000000000000';
    v_team uuid;
    v_scope uuid;
    v_features text [];
    v_values text [];
BEGIN
    SELECT
        u.team_id,
        ARRAY['source', 'first_channel', 'industry', 'disg_type', 'bant_light', 'country', 'language'],
        ARRAY[
            l.source, coalesce(le.first_channel, 'none'), coalesce(l.industry, 'none'),
            coalesce(le.disg_type::text, 'none'), coalesce(le.bant_light, 'none'), coalesce(l.country, 'none'), l.language
        ]
    INTO v_team, v_features, v_values
    FROM salesflow.leads AS l
    INNER JOIN salesflow.users AS u ON l.user_id = u.id
    LEFT JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
    WHERE l.id = p_lead_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'lead % not found or not visible', coalesce(p_lead_id::text, 'NULL')
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a lead you may see (salesflow.leads.id).';
    END IF;

    SELECT CASE WHEN sp.won + sp.lost >= c_min_team_closed THEN v_team END INTO v_scope
    FROM salesflow.success_patterns AS sp
    WHERE coalesce(sp.team_id, c_zero) = coalesce(v_team, c_zero) AND sp.feature = 'total' AND sp.value = 'all'
      AND v_team IS NOT NULL;

    RETURN QUERY
    WITH f AS (
        SELECT x.feature, x.value FROM unnest(v_features, v_values) AS x (feature, value)
    ),
    m AS (
        SELECT
            f.feature,
            f.value,
            coalesce(seen.log_likelihood_ratio, unseen.log_likelihood_ratio) AS llr,
            coalesce(seen.factor_weight, unseen.factor_weight) AS weight
        FROM f
        LEFT JOIN salesflow.success_patterns AS seen
            ON coalesce(seen.team_id, c_zero) = coalesce(v_scope, c_zero) AND seen.feature = f.feature AND seen.value = f.value
        LEFT JOIN salesflow.success_patterns AS unseen
            ON coalesce(unseen.team_id, c_zero) = coalesce(v_scope, c_zero) AND unseen.feature = f.feature AND unseen.value = '*'
    ),
    cal AS (
        SELECT cc.slope, cc.intercept
        FROM salesflow.conversion_calibration AS cc
        WHERE coalesce(cc.team_id, c_zero) = coalesce(v_scope, c_zero)
    ),
    prior AS (
        SELECT coalesce(max(sp.log_likelihood_ratio), 0) AS llr
        FROM salesflow.success_patterns AS sp
        WHERE coalesce(sp.team_id, c_zero) = coalesce(v_scope, c_zero) AND sp.feature = 'total' AND sp.value = 'all'
    )
    SELECT
        round(salesflow.calibrated_probability(
            (SELECT prior.llr FROM prior) + coalesce((SELECT sum(m.llr) FROM m), 0), (SELECT cal.slope FROM cal), (SELECT cal.intercept FROM cal)
        )::numeric, 4),
        coalesce((
            SELECT jsonb_agg(jsonb_build_object('feature', t.feature, 'value', t.value, 'weight', t.weight) ORDER BY t.weight DESC, t.feature)
            FROM (SELECT m.* FROM m WHERE m.weight > 0.5 ORDER BY m.weight DESC, m.feature LIMIT 3) AS t
        ), '[]'::jsonb),
        coalesce((
            SELECT jsonb_agg(jsonb_build_object('feature', t.feature, 'value', t.value, 'weight', t.weight) ORDER BY t.weight, t.feature)
            FROM (SELECT m.* FROM m WHERE m.weight < 0.5 ORDER BY m.weight, m.feature LIMIT 3) AS t
        ), '[]'::jsonb);
END;
$$;
COMMENT ON FUNCTION salesflow.predict_conversion(uuid) IS
'Learning engine: probability that the lead is won (calibrated naive Bayes, team scope with >= 30 closed leads else global) '
'and its top three positive/negative factors [{feature, value, weight}]. Args: lead_id.';
