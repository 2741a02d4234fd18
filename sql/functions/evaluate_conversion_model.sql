-- ============================================================================
-- evaluate_conversion_model: how well the learning engine's win probability holds on unseen leads
-- ============================================================================
-- Splits the closed leads (won/lost) by a hash of their id: p_test_percent % are held out, the
-- rest train the model exactly as learn_success_patterns does (conversion_fold_logits: the
-- seven features, team scope from 30 closed leads else global; fit_conversion_calibration on
-- the training leads' out-of-fold logits); the held-out leads are scored and compared with what
-- happened. One row per model: 'base_rate' (the training base rate), 'naive_bayes' (raw) and
-- 'calibrated' (what predict_conversion shows). auc: rank (Mann-Whitney) AUC, ties counted half;
-- log_loss with p clipped to [1e-6, 1 - 1e-6]; brier; bins: quintiles of the predicted
-- probability [{bin, leads, predicted, observed}], leads with equal predictions kept in one bin
-- (the bin of their middle rank), so bin sizes may differ a little. Reads the closed leads of
-- every team, so admins only. Nothing is written.
-- requires: conversion_fold_logits, fit_conversion_calibration, calibrated_probability
CREATE OR REPLACE FUNCTION salesflow.evaluate_conversion_model(p_test_percent integer DEFAULT 30)
RETURNS TABLE (
    model text, train_leads integer, test_leads integer, auc double precision, log_loss double precision,
    brier double precision, bins jsonb
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    PERFORM salesflow.require_admin('evaluate_conversion_model');
    IF p_test_percent IS NULL OR p_test_percent NOT BETWEEN 5 AND 95 THEN
        RAISE EXCEPTION 'p_test_percent must be between 5 and 95, got %', coalesce(p_test_percent::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Hold out e.g. 30 (percent of the closed leads).';
    END IF;
    RETURN QUERY
    WITH groups AS MATERIALIZED (
        SELECT * FROM salesflow.conversion_fold_logits(p_test_percent, 5)
    ),
    totals AS (
        SELECT
            coalesce(sum(g.won) FILTER (WHERE g.fold >= 0), 0)::numeric AS w,
            coalesce(sum(g.lost) FILTER (WHERE g.fold >= 0), 0)::numeric AS l,
            coalesce(sum(g.won + g.lost) FILTER (WHERE g.fold < 0), 0)::integer AS n_test
        FROM groups AS g
    ),
    fits AS MATERIALIZED (
        SELECT * FROM salesflow.fit_conversion_calibration(p_test_percent)
    ),
    predictions AS (
        SELECT
            m.model,
            g.won,
            g.lost,
            CASE m.model
                WHEN 'base_rate' THEN (t.w / nullif(t.w + t.l, 0))::double precision
                WHEN 'naive_bayes' THEN 1 / (1 + exp(-coalesce(g.team_logit, g.global_logit)))
                ELSE salesflow.calibrated_probability(coalesce(g.team_logit, g.global_logit), f.slope, f.intercept)
            END AS p
        FROM groups AS g
        CROSS JOIN totals AS t
        CROSS JOIN (VALUES ('base_rate'), ('naive_bayes'), ('calibrated')) AS m (model)
        -- the team's fit where the team's model scored the lead, else the global one
        LEFT JOIN fits AS f ON f.team_id IS NOT DISTINCT FROM (CASE WHEN g.team_logit IS NOT NULL THEN g.team_id END)
        WHERE g.fold < 0
    ),
    tied AS (
        -- one row per model and distinct prediction, with the leads below it in that order
        SELECT
            x.*,
            sum(x.n) OVER w - x.n AS below,
            sum(x.lost) OVER w - x.lost AS lost_below,
            sum(x.n) OVER (PARTITION BY x.model) AS total
        FROM (
            SELECT pr.model, pr.p, sum(pr.won + pr.lost) AS n, sum(pr.won) AS won, sum(pr.lost) AS lost
            FROM predictions AS pr
            GROUP BY pr.model, pr.p
        ) AS x
        WINDOW w AS (PARTITION BY x.model ORDER BY x.p)
    ),
    metrics AS (
        SELECT
            t.model,
            sum(t.won * (t.lost_below + t.lost / 2.0)) / nullif(sum(t.won) * sum(t.lost), 0) AS auc,
            -sum(t.won * ln(least(greatest(t.p, 1e-6), 1 - 1e-6)) + t.lost * ln(1 - least(greatest(t.p, 1e-6), 1 - 1e-6)))
            / sum(t.n) AS log_loss,
            sum(t.won * (t.p - 1) ^ 2 + t.lost * t.p ^ 2) / sum(t.n) AS brier
        FROM tied AS t
        GROUP BY t.model
    ),
    binned AS (
        SELECT
            b.model,
            jsonb_agg(jsonb_build_object(
                'bin', b.bin, 'leads', b.n, 'predicted', round(b.predicted::numeric, 4), 'observed', round(b.observed::numeric, 4)
            ) ORDER BY b.bin) AS bins
        FROM (
            SELECT
                t.model,
                least(5, floor(5 * (t.below + t.n / 2.0) / t.total) + 1)::integer AS bin,
                sum(t.n) AS n,
                sum(t.n * t.p) / sum(t.n) AS predicted,
                sum(t.won)::numeric / sum(t.n) AS observed
            FROM tied AS t
            GROUP BY 1, 2
        ) AS b
        GROUP BY b.model
    )
    SELECT
        m.model,
        (t.w + t.l)::integer,
        t.n_test,
        m.auc::double precision,
        m.log_loss::double precision,
        m.brier::double precision,
        coalesce(bd.bins, '[]'::jsonb)
    FROM metrics AS m
    CROSS JOIN totals AS t
    LEFT JOIN binned AS bd ON m.model = bd.model
    ORDER BY array_position(ARRAY['base_rate', 'naive_bayes', 'calibrated'], m.model);
END;
$$;
COMMENT ON FUNCTION salesflow.evaluate_conversion_model(integer) IS
'Learning engine check (admins): base rate, raw and calibrated naive Bayes on a hash-held-out share of the closed '
'leads; AUC, log loss, Brier and quintile reliability bins. Args: test_percent (5-95, default 30).';
