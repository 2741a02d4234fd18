-- ============================================================================
-- nb_log_likelihood_ratio: the learning engine's smoothed naive Bayes weight of one value
-- ============================================================================
-- ln P(v|won) - ln P(v|lost) with P(v|won) = (won + 0.1) / (W + 0.1 K) and likewise for lost:
-- alpha 0.1, K = distinct values of the feature + 1 (the unseen value '*'). One place for the
-- formula: learn_success_patterns stores it, evaluate_conversion_model recomputes it on a split.
CREATE OR REPLACE FUNCTION salesflow.nb_log_likelihood_ratio(
    p_won numeric, p_lost numeric, p_total_won numeric, p_total_lost numeric, p_k numeric
)
RETURNS double precision
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT (ln((p_won + 0.1) / (p_total_won + 0.1 * p_k)) - ln((p_lost + 0.1) / (p_total_lost + 0.1 * p_k)))::double precision;
$$;
COMMENT ON FUNCTION salesflow.nb_log_likelihood_ratio(numeric, numeric, numeric, numeric, numeric) IS
'Internal: smoothed naive Bayes log-likelihood ratio of a value (won, lost, total won, total lost, K; alpha 0.1).';
