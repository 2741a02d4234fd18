-- ============================================================================
-- compliance_score: the compliance scorer's verdict on one text
-- ============================================================================
-- p_folded = compliance_fold(compliance_unmask(text)). confidence = calibrated_probability(
-- prior + the weights of the text's known terms, the model's Platt fit); reported (the caller's
-- decision) when confidence > threshold. category = the most likely violation category (naive
-- Bayes over the same terms); top_terms = up to five known terms that weigh most towards a
-- violation [{term, weight}]; query = those terms as a tsquery, for ts_headline to show the
-- words as written; those three only when confidence > threshold (NULL otherwise). No row without
-- a trained model. One primary-key lookup per term.
-- requires: compliance_terms, calibrated_probability
CREATE OR REPLACE FUNCTION salesflow.compliance_score(p_folded text, p_language text)
RETURNS TABLE (confidence double precision, threshold double precision, category text, top_terms jsonb, query tsquery)
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    WITH known AS MATERIALIZED (
        SELECT s.term, s.weight, s.category_log_probs
        FROM unnest(salesflow.compliance_terms(p_folded, p_language)) AS x (term)
        INNER JOIN salesflow.compliance_scorer_terms AS s ON x.term = s.term
    ),
    verdict AS (
        SELECT
            m.*,
            salesflow.calibrated_probability(m.prior + coalesce((SELECT sum(k.weight) FROM known AS k), 0), m.slope, m.intercept)
                AS conf
        FROM salesflow.compliance_scorer_model AS m
    ),
    top AS (
        SELECT k.term, k.weight FROM known AS k WHERE k.weight > 0 ORDER BY k.weight DESC, k.term LIMIT 5
    )
    -- category, terms and query only for a text that will be reported (CASE runs its subquery
    -- only then): naming the category costs a lookup per category and term
    SELECT
        v.conf,
        v.threshold,
        CASE WHEN v.conf > v.threshold THEN (
            SELECT c.key
            FROM jsonb_each(v.categories) AS c (key, value)
            ORDER BY
                (c.value ->> 'prior')::double precision
                + coalesce((
                    SELECT sum(coalesce((k.category_log_probs ->> c.key)::double precision, (c.value ->> 'unseen')::double precision))
                    FROM known AS k
                ), 0) DESC,
                c.key
            LIMIT 1
        ) END,
        CASE WHEN v.conf > v.threshold THEN coalesce((
            SELECT jsonb_agg(jsonb_build_object('term', t.term, 'weight', round(t.weight::numeric, 2)) ORDER BY t.weight DESC, t.term)
            FROM top AS t
        ), '[]'::jsonb) END,
        CASE WHEN v.conf > v.threshold THEN (
            -- numbers are magnitudes ('n4'), not words of the text: left out of the query
            SELECT string_agg(
                (SELECT string_agg(quote_literal(w.word), ' <-> ') FROM unnest(string_to_array(t.term, ' ')) AS w (word)), ' | '
            )::tsquery
            FROM top AS t
            WHERE t.term !~ '(^| )n[0-9]' AND strpos(t.term, '\') = 0
        ) END
    FROM verdict AS v;
$$;
COMMENT ON FUNCTION salesflow.compliance_score(text, text) IS
'Internal: compliance scorer confidence, reporting threshold, likeliest category, top terms and their tsquery for a folded text.';
