-- ============================================================================
-- platt_term: cross-entropy of one prediction against a (smoothed) target
-- ============================================================================
-- -(t ln p + (1 - t) ln(1 - p)) with p = 1 / (1 + exp(-f)), written in f so that large |f|
-- neither overflows nor takes the log of 0: ln(1 + exp(-f)) = greatest(-f, 0) + ln(1 + exp(-|f|)).
-- No SET clause and not STRICT on purpose, so the planner inlines it (fit_platt calls it for every group in every Newton step);
-- only pg_catalog built-ins are used.
CREATE OR REPLACE FUNCTION salesflow.platt_term(p_f double precision, p_target double precision)
RETURNS double precision
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT p_target * (greatest(-p_f, 0) + ln(1 + exp(-abs(p_f))))
        + (1 - p_target) * (greatest(p_f, 0) + ln(1 + exp(-abs(p_f))));
$$;
COMMENT ON FUNCTION salesflow.platt_term(double precision, double precision) IS
'Internal: cross-entropy of a logit f against target t, overflow-free (for fit_platt).';
