-- ============================================================================
-- week_start: the Monday 00:00 (session time zone) of the week holding a time
-- ============================================================================
-- p_starts: a report's week starts in ascending order, then the Monday after its last week. A
-- binary search in them (width_bucket) gives the same answer as date_trunc('week', ...) at a
-- fraction of the cost (date_trunc converts to the session time zone, ~1 us a row); times before
-- the first start or from the last on fall back to date_trunc. The KPI reports bucket thousands
-- of rows a call. No SET search_path on purpose (inlined into the callers' queries). Internal.
CREATE OR REPLACE FUNCTION salesflow.week_start(p_at timestamptz, p_starts timestamptz[])
RETURNS timestamptz
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT coalesce(
        p_starts[nullif(pg_catalog.width_bucket(p_at, p_starts), pg_catalog.cardinality(p_starts))],
        pg_catalog.date_trunc('week'::text, p_at)
    );
$$;
COMMENT ON FUNCTION salesflow.week_start(timestamptz, timestamptz[]) IS
'Internal: the week start (Monday, session time zone) of a time, by binary search in the given week starts. Args: at, starts.';
