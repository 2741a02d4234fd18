-- ============================================================================
-- nb_log_likelihood_ratio: the learning engine's smoothed naive Bayes weight of one value
-- ============================================================================
-- ln P(v|won) - ln P(v|lost) with P(v|won) = (won + 0.1) / (W + 0.1 K) and likewise for lost:
-- alpha 0.1, K = distinct values of the feature + 1 (the unseen value '*'). One place for the
-- formula: learn_success_patterns stores it, evaluate_conversion_model recomputes it on a split.
-- No SET clause and not STRICT on purpose, so the planner inlines it (conversion_fold_logits and evaluate_conversion_model call it per feature and lead);
-- only pg_catalog built-ins are used.
CREATE OR REPLACE FUNCTION salesflow.nb_log_likelihood_ratio(
    p_won numeric, p_lost numeric, p_total_won numeric, p_total_lost numeric, p_k numeric
)
RETURNS double precision
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    -- in double precision: numeric ln is ~20x slower and the learning step calls this per lead
    SELECT ln((p_won::double precision + 0.1) / (p_total_won::double precision + 0.1 * p_k::double precision))
        - ln((p_lost::double precision + 0.1) / (p_total_lost::double precision + 0.1 * p_k::double precision));
$$;
COMMENT ON FUNCTION salesflow.nb_log_likelihood_ratio(numeric, numeric, numeric, numeric, numeric) IS
'Internal: smoothed naive Bayes log-likelihood ratio of a value (won, lost, total won, total lost, K; alpha 0.1).';
