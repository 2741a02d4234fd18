-- ============================================================================
-- 0050 recommendation rank: open recommendations in decayed-priority order straight from an index
-- ============================================================================
-- effective = base * 0.5^(age / half_life), so log2(effective) = log2(base) + created/half_life
-- - now/half_life. Among rows with the SAME half-life the last term is common to all of them:
-- ordering by log2(base) + epoch(created_at) / (half_life_hours * 3600) is ordering by effective
-- priority, and that key never changes while the row is open. list_recommendations walks the
-- caller's open rows per half-life (a handful of distinct values) by this key and stops at the
-- limit, instead of decaying and sorting all of them (thousands per rep at scale), then merges
-- the half-lives by effective priority. (effective_priority treats a created_at in the future as
-- age 0; the rank does not, an edge no writer produces.)

CREATE FUNCTION salesflow.recommendation_rank(p_base numeric, p_created_at timestamptz, p_half_life_hours numeric)
RETURNS double precision
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN p_base IS NULL OR p_created_at IS NULL OR p_half_life_hours IS NULL THEN NULL
        WHEN p_base <= 0 THEN '-infinity'::double precision
        ELSE ln(p_base::double precision) / ln(2.0::double precision)
            + date_part('epoch', p_created_at) / 3600.0 / p_half_life_hours::double precision
    END;
$$;
COMMENT ON FUNCTION salesflow.recommendation_rank(numeric, timestamptz, numeric) IS
'Internal: a time-independent key in effective-priority order among rows of one half-life: log2(base) + created_at in half-lives. '
'Args: base, created_at, half_life_hours.';

CREATE INDEX ai_recommendations_open_user_rank_idx ON salesflow.ai_recommendations (
    user_id, half_life_hours, salesflow.recommendation_rank(base_priority, created_at, half_life_hours) DESC, id DESC
) WHERE status = 'open';
CREATE INDEX ai_recommendations_open_assignee_rank_idx ON salesflow.ai_recommendations (
    assignee_id, half_life_hours, salesflow.recommendation_rank(base_priority, created_at, half_life_hours) DESC, id DESC
) WHERE status = 'open' AND assignee_id IS NOT NULL;
