-- ============================================================================
-- evaluate_conversion_model: how well the learning engine's win probability holds on unseen leads
-- ============================================================================
-- Splits the closed leads (won/lost) by a hash of their id: p_test_percent % are held out, the
-- rest train the same naive Bayes as learn_success_patterns (global counts, the seven features,
-- nb_log_likelihood_ratio); the held-out leads are scored and compared with what happened.
-- One row per model: 'base_rate' (always the training base rate) and 'naive_bayes'. auc: rank
-- (Mann-Whitney) AUC, ties counted half; log_loss with p clipped to [1e-6, 1 - 1e-6]; brier;
-- bins: quintiles of the predicted probability [{bin, leads, predicted, observed}]. Reads the
-- closed leads of every team, so admins only. Nothing is written.
-- requires: nb_log_likelihood_ratio
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
    WITH closed AS (
        SELECT
            l.id,
            (l.stage = 'won')::integer AS y,
            abs(hashtextextended(l.id::text, 0)) % 100 < p_test_percent AS is_test,
            l.source,
            coalesce(le.first_channel, 'none') AS first_channel,
            coalesce(l.industry, 'none') AS industry,
            coalesce(le.disg_type::text, 'none') AS disg_type,
            coalesce(le.bant_light, 'none') AS bant_light,
            coalesce(l.country, 'none') AS country,
            l.language
        FROM salesflow.leads AS l
        LEFT JOIN salesflow.lead_engagement AS le ON l.id = le.lead_id
        WHERE l.stage IN ('won', 'lost')
    ),
    unpivoted AS (
        SELECT c.id, c.y, c.is_test, f.feature, f.value
        FROM closed AS c
        CROSS JOIN LATERAL (
            VALUES
            ('source', c.source), ('first_channel', c.first_channel), ('industry', c.industry), ('disg_type', c.disg_type),
            ('bant_light', c.bant_light), ('country', c.country), ('language', c.language)
        ) AS f (feature, value)
    ),
    totals AS (
        SELECT
            count(*) FILTER (WHERE c.y = 1 AND NOT c.is_test)::numeric AS w,
            count(*) FILTER (WHERE c.y = 0 AND NOT c.is_test)::numeric AS l,
            count(*) FILTER (WHERE c.is_test)::integer AS n_test
        FROM closed AS c
    ),
    counts AS (
        SELECT u.feature, u.value, sum(u.y)::numeric AS won, sum(1 - u.y)::numeric AS lost
        FROM unpivoted AS u
        WHERE NOT u.is_test
        GROUP BY u.feature, u.value
    ),
    k AS (
        SELECT c.feature, count(*) + 1 AS k FROM counts AS c GROUP BY c.feature
    ),
    scored AS (
        SELECT
            u.id,
            u.y,
            ln((t.w + 0.1) / (t.l + 0.1))::double precision
            + sum(salesflow.nb_log_likelihood_ratio(coalesce(c.won, 0), coalesce(c.lost, 0), t.w, t.l, coalesce(k.k, 1)))
                AS logit
        FROM unpivoted AS u
        CROSS JOIN totals AS t
        LEFT JOIN k ON u.feature = k.feature
        LEFT JOIN counts AS c ON u.feature = c.feature AND u.value = c.value
        WHERE u.is_test
        GROUP BY u.id, u.y, t.w, t.l
    ),
    predictions AS (
        SELECT 'naive_bayes'::text AS model, s.id, s.y, 1.0 / (1.0 + exp(-s.logit)) AS p FROM scored AS s
        UNION ALL
        SELECT 'base_rate', s.id, s.y, (t.w / nullif(t.w + t.l, 0))::double precision FROM scored AS s CROSS JOIN totals AS t
    ),
    ranked AS (
        -- average rank of tied predictions, for the rank AUC
        SELECT
            p.*,
            least(greatest(p.p, 1e-6), 1 - 1e-6) AS pc,
            rank() OVER (PARTITION BY p.model ORDER BY p.p) + (count(*) OVER (PARTITION BY p.model, p.p) - 1) / 2.0 AS r,
            -- ties broken by id so the bins are reproducible
            ntile(5) OVER (PARTITION BY p.model ORDER BY p.p, p.id) AS bin
        FROM predictions AS p
    ),
    metrics AS (
        SELECT
            r.model,
            (sum(r.r) FILTER (WHERE r.y = 1) - sum(r.y) * (sum(r.y) + 1) / 2.0)
            / nullif(sum(r.y) * sum(1 - r.y), 0) AS auc,
            -avg(r.y * ln(r.pc) + (1 - r.y) * ln(1 - r.pc)) AS log_loss,
            avg((r.p - r.y) ^ 2) AS brier
        FROM ranked AS r
        GROUP BY r.model
    ),
    binned AS (
        SELECT
            b.model,
            jsonb_agg(jsonb_build_object(
                'bin', b.bin, 'leads', b.n, 'predicted', round(b.predicted::numeric, 4), 'observed', round(b.observed::numeric, 4)
            ) ORDER BY b.bin) AS bins
        FROM (
            SELECT r.model, r.bin, count(*) AS n, avg(r.p) AS predicted, avg(r.y) AS observed
            FROM ranked AS r
            GROUP BY r.model, r.bin
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
    ORDER BY m.model;
END;
$$;
COMMENT ON FUNCTION salesflow.evaluate_conversion_model(integer) IS
'Learning engine check (admins): naive Bayes vs base rate on a hash-held-out share of the closed leads; AUC, log loss, '
'Brier and quintile reliability bins. Args: test_percent (5-95, default 30).';
