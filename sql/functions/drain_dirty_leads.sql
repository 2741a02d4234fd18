-- requires: rescore_leads, claim_dirty_leads
-- ============================================================================
-- drain_dirty_leads: recompute the scores and next actions of the queued leads (cron, refresh --watch)
-- ============================================================================
-- 1. claims up to p_limit queue rows (claim_dirty_leads: deleted in this transaction, so a killed
--    drain rolls back and loses nothing; rows queued meanwhile stay for the next drain), applies the
--    counters of the activities among them (count_activities) and dedupes their leads;
-- 2. adds up to p_stale_limit leads whose rows are older than p_max_age (oldest first): the rolling
--    pass that keeps the time-dependent terms (recency in health, days without contact, decay of
--    urgency) within p_max_age of now without recomputing every lead;
-- 3. rescore_leads for them.
-- One drain at a time: it takes the 'refresh' row of maintenance_locks with SKIP LOCKED, so a second
-- drain (or one during a full refresh, which recomputes everything anyway) returns ran = false at
-- once instead of waiting. Readers never wait: they read the old rows until this commits.
CREATE OR REPLACE FUNCTION salesflow.drain_dirty_leads(
    p_limit integer DEFAULT 100000, p_stale_limit integer DEFAULT 5000, p_max_age interval DEFAULT '12 hours'
)
RETURNS TABLE (
    ran boolean, queue_rows bigint, activities bigint, leads_dirty bigint, leads_stale bigint, queued_left bigint, duration_ms numeric
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
SET work_mem = '64MB'
AS $$
DECLARE
    v_t0 timestamptz := clock_timestamp();
    v_ids uuid [];
    v_stale uuid [];
BEGIN
    PERFORM salesflow.require_admin('drain_dirty_leads');
    IF p_limit IS NULL OR p_limit < 1 THEN
        RAISE EXCEPTION 'p_limit must be at least 1 queue row, got %', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'The default, 100000, drains a busy hour in one call.';
    END IF;
    IF p_stale_limit IS NULL OR p_stale_limit < 0 THEN
        RAISE EXCEPTION 'p_stale_limit must be 0 or more leads, got %', coalesce(p_stale_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = '0 turns the rolling pass off; the default is 5000.';
    END IF;
    IF p_max_age IS NULL OR p_max_age < interval '1 minute' THEN
        RAISE EXCEPTION 'p_max_age must be at least 1 minute, got %', coalesce(p_max_age::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'The default is 12 hours.';
    END IF;
    PERFORM 1 FROM salesflow.maintenance_locks AS m WHERE m.name = 'refresh' FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN QUERY SELECT false, 0::bigint, 0::bigint, 0::bigint, 0::bigint, NULL::bigint,
            round((date_part('epoch', clock_timestamp() - v_t0) * 1000)::numeric, 1);
        RETURN;
    END IF;

    SELECT c.queue_rows, c.activities, c.lead_ids INTO queue_rows, activities, v_ids
    FROM salesflow.claim_dirty_leads(p_limit) AS c;

    v_stale := ARRAY(
        SELECT s.lead_id FROM salesflow.lead_scores AS s
        WHERE s.computed_at < now() - p_max_age AND NOT s.lead_id = ANY (v_ids)
        ORDER BY s.computed_at
        LIMIT p_stale_limit
    );
    IF cardinality(v_ids) + cardinality(v_stale) > 0 THEN
        -- lead-only rows of these leads queued since the claim (the profile_lead recommendations
        -- count_activities just made, writers that committed meanwhile): the rescore below reads
        -- everything this DELETE sees, so they are done with it (activity rows stay: still to count)
        DELETE FROM salesflow.dirty_leads AS d WHERE d.lead_id = ANY (v_ids || v_stale) AND d.activity_ids IS NULL;
        PERFORM salesflow.rescore_leads(v_ids || v_stale);
    END IF;

    ran := true;
    leads_dirty := cardinality(v_ids);
    leads_stale := cardinality(v_stale);
    queued_left := (SELECT count(*) FROM salesflow.dirty_leads);
    duration_ms := round((date_part('epoch', clock_timestamp() - v_t0) * 1000)::numeric, 1);
    RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION salesflow.drain_dirty_leads(integer, integer, interval) IS
'Cron / refresh: applies the queued activities and recomputes the scores and next actions of the queued leads (up to '
'p_limit queue rows) and of up to p_stale_limit leads older than p_max_age; one row (ran, queue_rows, activities, '
'leads_dirty, leads_stale, queued_left, duration_ms).';
