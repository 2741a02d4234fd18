-- ============================================================================
-- train_compliance_scorer: learn the compliance scorer from compliance_training_messages
-- ============================================================================
-- Naive Bayes over compliance_terms (a term counts once per message), smoothed by p_alpha:
--   detection: violation vs clean, weight(t) = ln P(t|violation) - ln P(t|clean) with
--     P(t|c) = (messages of c with t + alpha) / (terms of c + alpha V), V = the vocabulary;
--     logit = ln(violations / clean) + the weights of the message's known terms;
--   category: the same per violation category, to name the most likely one.
-- Naive Bayes is far too sure of itself, so the confidence is Platt-scaled (fit_platt) on
-- out-of-fold logits (5 folds by a hash of the text; each fold scored by counts without it),
-- and the reporting threshold is the out-of-fold confidence that p_clean_target of the clean
-- messages stay below. Replaces the model in one transaction; returns what it learnt and the
-- out-of-fold recall / clean share at that threshold (an estimate: the held-out corpus says more).
-- requires: compliance_terms, fit_platt, calibrated_probability
CREATE OR REPLACE FUNCTION salesflow.train_compliance_scorer(
    p_alpha double precision DEFAULT 0.3, p_clean_target double precision DEFAULT 0.98
)
RETURNS TABLE (
    messages integer, violations integer, terms integer, threshold double precision,
    oof_recall double precision, oof_clean double precision
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_n integer;
    v_viol integer;
    v_tot_v numeric;
    v_tot_c numeric;
    v_vocab numeric;
    v_slope double precision;
    v_intercept double precision;
    v_threshold double precision;
    v_recall double precision;
    v_clean double precision;
    v_terms integer;
BEGIN
    PERFORM salesflow.require_admin('train_compliance_scorer');
    IF p_alpha IS NULL OR NOT p_alpha BETWEEN 0.001 AND 10 THEN
        RAISE EXCEPTION 'p_alpha must be between 0.001 and 10, got %', coalesce(p_alpha::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'The default 0.3 suits a corpus of about a thousand messages.';
    END IF;
    IF p_clean_target IS NULL OR NOT p_clean_target BETWEEN 0.5 AND 0.999 THEN
        RAISE EXCEPTION 'p_clean_target must be between 0.5 and 0.999, got %', coalesce(p_clean_target::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'The share of ordinary messages that must pass, e.g. 0.98.';
    END IF;

    -- scratch tables of this call (a second call in one transaction finds them: dropped first)
    -- left over from a failed call in this session (a plain DROP IF EXISTS would print a NOTICE
    -- when the session has no temp schema yet)
    IF to_regclass('pg_temp.sf_scorer_docs') IS NOT NULL OR to_regclass('pg_temp.sf_scorer_doc_terms') IS NOT NULL THEN
        DROP TABLE IF EXISTS pg_temp.sf_scorer_doc_terms, pg_temp.sf_scorer_docs;
    END IF;
    CREATE TEMP TABLE sf_scorer_docs ON COMMIT DROP AS
    SELECT
        m.id,
        m.category,
        m.category <> 'clean' AS is_violation,
        (abs(hashtextextended(md5(m.body), 0)) % 5)::integer AS fold,
        salesflow.compliance_terms(salesflow.compliance_fold(salesflow.compliance_unmask(m.body)), m.language) AS terms
    FROM salesflow.compliance_training_messages AS m;
    SELECT count(*), count(*) FILTER (WHERE d.is_violation) INTO v_n, v_viol FROM sf_scorer_docs AS d;
    IF v_viol < 10 OR v_n - v_viol < 10 THEN
        RAISE EXCEPTION 'the compliance scorer needs at least 10 violating and 10 clean messages, has % and %', v_viol, v_n - v_viol
            USING ERRCODE = '22023', HINT = 'Add labelled messages: salesflow compliance train FILE.tsv.';
    END IF;

    CREATE TEMP TABLE sf_scorer_doc_terms ON COMMIT DROP AS
    SELECT d.id, d.fold, d.is_violation, d.category, t.term
    FROM sf_scorer_docs AS d
    CROSS JOIN LATERAL unnest(d.terms) AS t (term);
    ANALYZE sf_scorer_doc_terms;

    SELECT
        count(*) FILTER (WHERE dt.is_violation), count(*) FILTER (WHERE NOT dt.is_violation), count(DISTINCT dt.term)
    INTO v_tot_v, v_tot_c, v_vocab
    FROM sf_scorer_doc_terms AS dt;

    -- out-of-fold logits: the counts without the message's fold (the vocabulary stays that of all)
    WITH fold_counts AS (
        SELECT dt.term, dt.fold, count(*) FILTER (WHERE dt.is_violation) AS nv, count(*) FILTER (WHERE NOT dt.is_violation) AS nc
        FROM sf_scorer_doc_terms AS dt
        GROUP BY dt.term, dt.fold
    ),
    term_counts AS (
        SELECT fc.term, sum(fc.nv) AS nv, sum(fc.nc) AS nc FROM fold_counts AS fc GROUP BY fc.term
    ),
    fold_sizes AS (
        SELECT
            d.fold,
            count(*) FILTER (WHERE d.is_violation) AS docs_v,
            count(*) FILTER (WHERE NOT d.is_violation) AS docs_c,
            coalesce(sum(cardinality(d.terms)) FILTER (WHERE d.is_violation), 0) AS terms_v,
            coalesce(sum(cardinality(d.terms)) FILTER (WHERE NOT d.is_violation), 0) AS terms_c
        FROM sf_scorer_docs AS d
        GROUP BY d.fold
    ),
    train_sizes AS (
        SELECT
            f.fold,
            v_viol - f.docs_v AS docs_v,
            (v_n - v_viol) - f.docs_c AS docs_c,
            v_tot_v - f.terms_v AS terms_v,
            v_tot_c - f.terms_c AS terms_c
        FROM fold_sizes AS f
    ),
    oof AS (
        SELECT
            d.id,
            d.is_violation,
            ln(greatest(s.docs_v, 1)::numeric / greatest(s.docs_c, 1))::double precision
            + coalesce(sum(
                ln((tc.nv - coalesce(fc.nv, 0) + p_alpha) / (s.terms_v + p_alpha * v_vocab))
                - ln((tc.nc - coalesce(fc.nc, 0) + p_alpha) / (s.terms_c + p_alpha * v_vocab))
            ) FILTER (WHERE tc.nv + tc.nc - coalesce(fc.nv, 0) - coalesce(fc.nc, 0) > 0), 0) AS logit
        FROM sf_scorer_docs AS d
        INNER JOIN train_sizes AS s ON d.fold = s.fold
        LEFT JOIN sf_scorer_doc_terms AS dt ON d.id = dt.id
        LEFT JOIN term_counts AS tc ON dt.term = tc.term
        LEFT JOIN fold_counts AS fc ON dt.term = fc.term AND d.fold = fc.fold
        GROUP BY d.id, d.is_violation, s.docs_v, s.docs_c
    ),
    fit AS (
        SELECT p.slope, p.intercept
        FROM salesflow.fit_platt(
            (SELECT array_agg(o.logit ORDER BY o.id) FROM oof AS o),
            (SELECT array_agg(o.is_violation::integer ORDER BY o.id) FROM oof AS o),
            (SELECT array_agg((NOT o.is_violation)::integer ORDER BY o.id) FROM oof AS o)
        ) AS p
    ),
    confidences AS (
        SELECT o.is_violation, salesflow.calibrated_probability(o.logit, f.slope, f.intercept) AS conf, f.slope, f.intercept
        FROM oof AS o
        CROSS JOIN fit AS f
    ),
    cut AS (
        SELECT percentile_disc(p_clean_target) WITHIN GROUP (ORDER BY c.conf) AS threshold
        FROM confidences AS c
        WHERE NOT c.is_violation
    )
    SELECT
        max(c.slope),
        max(c.intercept),
        max(cut.threshold),
        avg((c.conf > cut.threshold)::integer) FILTER (WHERE c.is_violation),
        avg((c.conf <= cut.threshold)::integer) FILTER (WHERE NOT c.is_violation)
    INTO v_slope, v_intercept, v_threshold, v_recall, v_clean
    FROM confidences AS c
    CROSS JOIN cut;

    -- the model itself, from all messages
    DELETE FROM salesflow.compliance_scorer_terms;
    WITH per_category AS (
        SELECT dt.category, count(*) AS terms_in_category FROM sf_scorer_doc_terms AS dt WHERE dt.is_violation GROUP BY dt.category
    ),
    term_category AS (
        SELECT dt.term, dt.category, count(*) AS n FROM sf_scorer_doc_terms AS dt WHERE dt.is_violation GROUP BY dt.term, dt.category
    ),
    term_counts AS (
        SELECT
            dt.term,
            count(*) FILTER (WHERE dt.is_violation)::integer AS nv,
            count(*) FILTER (WHERE NOT dt.is_violation)::integer AS nc
        FROM sf_scorer_doc_terms AS dt
        GROUP BY dt.term
    ),
    term_log_probs AS (
        SELECT
            x.term,
            jsonb_object_agg(x.category, round(ln((x.n + p_alpha) / (pc.terms_in_category + p_alpha * v_vocab))::numeric, 6)) AS lp
        FROM term_category AS x
        INNER JOIN per_category AS pc ON x.category = pc.category
        GROUP BY x.term
    )
    INSERT INTO salesflow.compliance_scorer_terms (term, violation_docs, clean_docs, weight, category_log_probs)
    SELECT
        tc.term,
        tc.nv,
        tc.nc,
        ln((tc.nv + p_alpha) / (v_tot_v + p_alpha * v_vocab)) - ln((tc.nc + p_alpha) / (v_tot_c + p_alpha * v_vocab)),
        coalesce(lp.lp, '{}')
    FROM term_counts AS tc
    LEFT JOIN term_log_probs AS lp ON tc.term = lp.term;
    GET DIAGNOSTICS v_terms = ROW_COUNT;

    DELETE FROM salesflow.compliance_scorer_model;
    INSERT INTO salesflow.compliance_scorer_model (
        alpha, prior, slope, intercept, threshold, clean_target, categories, messages, violations, oof_recall, oof_clean
    )
    SELECT
        p_alpha, ln(v_viol::numeric / (v_n - v_viol)), v_slope, v_intercept, v_threshold, p_clean_target,
        (
            SELECT jsonb_object_agg(c.category, jsonb_build_object(
                'prior', ln(c.docs::numeric / v_viol),
                'unseen', ln(p_alpha / (c.terms_in_category + p_alpha * v_vocab))
            ))
            FROM (
                SELECT d.category, count(*) AS docs, sum(cardinality(d.terms)) AS terms_in_category
                FROM sf_scorer_docs AS d
                WHERE d.is_violation
                GROUP BY d.category
            ) AS c
        ),
        v_n, v_viol, v_recall, v_clean;

    DROP TABLE pg_temp.sf_scorer_doc_terms, pg_temp.sf_scorer_docs;
    RETURN QUERY SELECT v_n, v_viol, v_terms, v_threshold, v_recall, v_clean;
END;
$$;
COMMENT ON FUNCTION salesflow.train_compliance_scorer(double precision, double precision) IS
'Compliance scorer (admins): trains naive Bayes on compliance_training_messages, calibrates it out-of-fold; '
'returns messages, violations, terms, threshold, out-of-fold recall and clean share. Args: alpha, clean_target.';
