-- ============================================================================
-- fit_conversion_calibration: Platt fits per scope on out-of-fold logits of training leads
-- ============================================================================
-- For every scope with >= 30 training closed leads (the same rule as the team scope of
-- predict_conversion): the global one (team_id NULL) and each such team, fit_platt on the
-- out-of-fold logits (conversion_fold_logits, 5 folds) of its training leads. Training leads =
-- all closed leads when p_test_percent is 0 (learn_success_patterns), the rest after the
-- hash-held-out share otherwise (evaluate_conversion_model). One place for the rule.
-- requires: conversion_fold_logits, fit_platt
CREATE OR REPLACE FUNCTION salesflow.fit_conversion_calibration(p_test_percent integer)
RETURNS TABLE (team_id uuid, slope double precision, intercept double precision, closed_leads integer, won_leads integer)
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    WITH f AS MATERIALIZED (
        SELECT * FROM salesflow.conversion_fold_logits(p_test_percent, 5) AS x WHERE x.fold >= 0
    ),
    scopes AS (
        SELECT
            NULL::uuid AS team_id, array_agg(f.global_logit) AS z, array_agg(f.won) AS w, array_agg(f.lost) AS l,
            sum(f.won + f.lost)::integer AS closed, sum(f.won)::integer AS won
        FROM f
        UNION ALL
        SELECT f.team_id, array_agg(f.team_logit), array_agg(f.won), array_agg(f.lost), sum(f.won + f.lost)::integer, sum(f.won)::integer
        FROM f
        WHERE f.team_logit IS NOT NULL
        GROUP BY f.team_id
    )
    SELECT s.team_id, p.slope, p.intercept, s.closed, s.won
    FROM scopes AS s
    CROSS JOIN LATERAL salesflow.fit_platt(s.z, s.w, s.l) AS p
    WHERE s.closed >= 30;
$$;
COMMENT ON FUNCTION salesflow.fit_conversion_calibration(integer) IS
'Internal: Platt calibration per scope (global, teams with >= 30 closed) on out-of-fold logits of the training leads.';
