-- requires: rescore_leads, claim_dirty_leads
-- ============================================================================
-- refresh_all_ki_views: the full refresh (learning engine, expiry, every lead, the other views)
-- ============================================================================
-- `salesflow refresh --full` (nightly cron; deploy after an upgrade). Steps, in order:
-- count_activities (claim_dirty_leads(NULL): the whole queue, its activities' counters applied),
-- learn_success_patterns, expire_recommendations, view_leads_scored (rescore_leads(NULL): every
-- lead's lead_scores and lead_next_actions rows, after the new weights), then REFRESH MATERIALIZED
-- VIEW CONCURRENTLY (readers are never blocked) of view_followups_scored, view_conversion_microsteps
-- and view_personality_insights. Returns one row per step with its duration and row count (learn:
-- pattern rows; expire: recommendations expired; views: rows). Between full refreshes
-- drain_dirty_leads keeps the scores per lead.
-- Runs in the caller's transaction: when a step fails everything is rolled back and the error
-- names the step. Locks the 'refresh' row of salesflow.maintenance_locks (owner-only, so no login
-- can hold it) for the transaction: pg_cron, the CLI and drains never refresh at once (55P03 when
-- busy; a drain skips). lock_timeout 10 s: a lock held elsewhere fails the refresh instead of
-- stalling cron; the caller sets statement_timeout (salesflow refresh --statement-timeout).
CREATE OR REPLACE FUNCTION salesflow.refresh_all_ki_views()
RETURNS TABLE (step text, duration_ms numeric, row_count bigint)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
SET work_mem = '256MB' -- view queries and the CONCURRENTLY diff sort/hash 1M rows in memory
SET lock_timeout = '10s' -- a lock held elsewhere fails the refresh (rolled back) instead of stalling cron
AS $$
DECLARE
    v_step text := 'lock';
    v_t0 timestamptz;
    v_n bigint;
    v_view text;
BEGIN
    PERFORM salesflow.require_admin('refresh_all_ki_views');
    -- the refresh row of an owner-only table: no login can take or hold this lock against cron
    PERFORM 1 FROM salesflow.maintenance_locks AS m WHERE m.name = 'refresh' FOR UPDATE NOWAIT;
    BEGIN
        -- every queued row first: its activities' counters feed learning and the scores; the queue
        -- is then empty (but leads a writer holds), what is queued meanwhile stays for the next drain
        v_step := 'count_activities';
        v_t0 := clock_timestamp();
        v_n := (SELECT c.activities FROM salesflow.claim_dirty_leads(NULL) AS c);
        step := v_step;
        duration_ms := round((date_part('epoch', clock_timestamp() - v_t0) * 1000)::numeric, 1);
        row_count := v_n;
        RETURN NEXT;

        v_step := 'learn_success_patterns';
        v_t0 := clock_timestamp();
        v_n := salesflow.learn_success_patterns();
        step := v_step;
        duration_ms := round((date_part('epoch', clock_timestamp() - v_t0) * 1000)::numeric, 1);
        row_count := v_n;
        RETURN NEXT;

        v_step := 'expire_recommendations';
        v_t0 := clock_timestamp();
        v_n := salesflow.expire_recommendations();
        step := v_step;
        duration_ms := round((date_part('epoch', clock_timestamp() - v_t0) * 1000)::numeric, 1);
        row_count := v_n;
        RETURN NEXT;

        v_step := 'view_leads_scored';
        v_t0 := clock_timestamp();
        -- lead-only rows queued since: every lead is rescored from what this DELETE sees
        DELETE FROM salesflow.dirty_leads AS d WHERE d.activity_ids IS NULL;
        v_n := salesflow.rescore_leads(NULL);
        step := v_step;
        duration_ms := round((date_part('epoch', clock_timestamp() - v_t0) * 1000)::numeric, 1);
        row_count := v_n;
        RETURN NEXT;

        FOREACH v_view IN ARRAY ARRAY['view_followups_scored', 'view_conversion_microsteps', 'view_personality_insights'] LOOP
            v_step := v_view;
            v_t0 := clock_timestamp();
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY salesflow.%I', v_view);
            EXECUTE format('SELECT count(*) FROM salesflow.%I', v_view) INTO v_n;
            step := v_step;
            duration_ms := round((date_part('epoch', clock_timestamp() - v_t0) * 1000)::numeric, 1);
            row_count := v_n;
            RETURN NEXT;
        END LOOP;
    EXCEPTION WHEN OTHERS THEN
        RAISE EXCEPTION 'refresh step % failed: %', v_step, sqlerrm
            USING ERRCODE = sqlstate, HINT = 'Nothing was changed: the whole refresh was rolled back. Fix the cause and run it again.';
    END;
END;
$$;
COMMENT ON FUNCTION salesflow.refresh_all_ki_views() IS
'Full refresh (nightly cron): queued activities counted, learn_success_patterns, expire_recommendations, every lead rescored, REFRESH CONCURRENTLY '
'of the other three views; one row per step (step, duration_ms, row_count). All or nothing.';
