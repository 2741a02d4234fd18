-- ============================================================================
-- calibrated_probability: the win probability shown to users, from the naive Bayes logit
-- ============================================================================
-- 1 / (1 + exp(-(slope * logit + intercept))) with the scope's Platt fit (conversion_calibration;
-- slope 1, intercept 0 when none was fitted), kept within [0.001, 0.999]: a handful of closed
-- leads never justifies "certain" or "hopeless". One place for the formula: predict_conversion,
-- view_leads_scored and evaluate_conversion_model.
-- No SET clause and not STRICT on purpose, so the planner inlines it (view_leads_scored calls it for every lead);
-- only pg_catalog built-ins are used.
CREATE OR REPLACE FUNCTION salesflow.calibrated_probability(
    p_logit double precision, p_slope double precision, p_intercept double precision
)
RETURNS double precision
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT least(greatest(
        1 / (1 + exp(-least(greatest(
            -- a product of two tiny factors would raise "underflow" instead of being 0
            CASE WHEN abs(coalesce(p_slope, 1)) < 1e-150 OR abs(p_logit) < 1e-150 THEN 0 ELSE coalesce(p_slope, 1) * p_logit END
            + coalesce(p_intercept, 0), -700), 700))),
        0.001), 0.999);
$$;
COMMENT ON FUNCTION salesflow.calibrated_probability(double precision, double precision, double precision) IS
'Learning engine: win probability from a naive Bayes logit and a Platt fit (NULL fit = raw), clamped to [0.001, 0.999].';
