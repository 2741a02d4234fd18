-- ============================================================================
-- bant_weakest: which BANT dimension is weakest (ties: budget, authority, need, timeline)
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.bant_weakest(p_budget integer, p_authority integer, p_need integer, p_timeline integer)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT d.dim
    FROM (VALUES ('budget', p_budget, 1), ('authority', p_authority, 2), ('need', p_need, 3), ('timeline', p_timeline, 4))
        AS d (dim, score, ord)
    ORDER BY d.score, d.ord
    LIMIT 1;
$$;
COMMENT ON FUNCTION salesflow.bant_weakest(integer, integer, integer, integer) IS
'Internal: the weakest BANT dimension name (budget, authority, need, timeline); ties in that order.';
