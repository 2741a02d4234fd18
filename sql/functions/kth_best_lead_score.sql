-- ============================================================================
-- kth_best_lead_score: the k-th best score among leads (each lead's best score counts once)
-- ============================================================================
-- recommend_followup_actions prunes candidates by the p_limit-th best score found so far (a candidate
-- below it cannot make the list); it asks twice, over two candidate sets. 0 with fewer than k leads.
CREATE OR REPLACE FUNCTION salesflow.kth_best_lead_score(p_lead_ids uuid[], p_scores float8[], p_k integer)
RETURNS float8
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT coalesce((
        SELECT x.score
        FROM (
            SELECT DISTINCT ON (c.lead_id) c.score
            FROM unnest(p_lead_ids, p_scores) AS c (lead_id, score)
            ORDER BY c.lead_id ASC, c.score DESC
        ) AS x
        ORDER BY x.score DESC
        OFFSET p_k - 1
        LIMIT 1
    ), 0);
$$;
COMMENT ON FUNCTION salesflow.kth_best_lead_score(uuid[], float8[], integer) IS
'Internal: the k-th best of the leads'' best scores (lead ids and scores as parallel arrays), 0 with fewer than k leads.';
