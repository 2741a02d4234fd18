-- requires: count_activities, append_activity_answers, refresh_activity_answers
-- ============================================================================
-- claim_dirty_leads: take queued rows off dirty_leads, apply their activities' counters, return the leads
-- ============================================================================
-- Rows with activity_ids (an activity insert's ids; '{}' for an activity update or delete): their
-- counters are applied (count_activities) and their answers added (append_activity_answers); the
-- leads with a '{}' row or a late entry are recomputed (refresh_activity_answers).
-- Shared by drain_dirty_leads (up to p_limit rows) and the full refresh (NULL: every row). Runs in
-- the caller's transaction (a rollback puts every row back); the drain and the refresh hold the
-- 'refresh' lock, so no other drain deletes rows meanwhile.
-- p_activities_only (bulk loaders: the seed after each batch's COPY, finish_import): only the activity
-- rows THIS transaction queued (at its top level: rows of a subtransaction stay for the drain) are
-- claimed and counted, and their leads stay queued (one row each) for their scores. No other
-- transaction can see those rows, so a loader never waits on a drain or another loader for them.
-- The leads whose activities are claimed get their lead_engagement rows locked first, in lead order,
-- with SKIP LOCKED: a lead whose row a writer holds right now (a BANT or profile copy in an open
-- transaction) keeps all its queue rows for the next drain, so the drain never waits on a writer and
-- cannot deadlock with one.
CREATE OR REPLACE FUNCTION salesflow.claim_dirty_leads(
    p_limit integer DEFAULT NULL, p_activities_only boolean DEFAULT false,
    OUT queue_rows bigint, OUT activities bigint, OUT lead_ids uuid[]
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_rows tid[] := ARRAY(
        SELECT q.ctid FROM salesflow.dirty_leads AS q
        WHERE NOT p_activities_only OR (q.activity_ids IS NOT NULL AND q.xmin = pg_current_xact_id()::xid)
        LIMIT p_limit
    );
    v_counted uuid[];
    v_locked uuid[];
    v_busy uuid[];
    v_activity_ids bigint[];
    v_redo uuid[];
BEGIN
    v_counted := ARRAY(
        SELECT DISTINCT q.lead_id FROM salesflow.dirty_leads AS q
        WHERE q.ctid = ANY (v_rows) AND q.activity_ids IS NOT NULL
    );
    v_locked := ARRAY(
        SELECT le.lead_id FROM salesflow.lead_engagement AS le
        WHERE le.lead_id = ANY (v_counted)
        ORDER BY le.lead_id
        FOR UPDATE SKIP LOCKED
    );
    -- rows that exist but were not locked: a writer holds them
    v_busy := ARRAY(
        SELECT le.lead_id FROM salesflow.lead_engagement AS le
        WHERE le.lead_id = ANY (v_counted) AND NOT le.lead_id = ANY (v_locked)
    );
    WITH claimed AS (
        DELETE FROM salesflow.dirty_leads AS d
        WHERE d.ctid = ANY (v_rows) AND NOT d.lead_id = ANY (v_busy)
        RETURNING d.lead_id, d.activity_ids
    )
    SELECT
        count(*),
        coalesce(array_agg(DISTINCT c.lead_id), '{}'),
        coalesce((SELECT array_agg(i.id) FROM claimed AS x CROSS JOIN LATERAL unnest(x.activity_ids) AS i (id)), '{}'),
        coalesce(array_agg(DISTINCT c.lead_id) FILTER (WHERE c.activity_ids = '{}'), '{}')
    INTO queue_rows, lead_ids, v_activity_ids, v_redo
    FROM claimed AS c;
    activities := cardinality(v_activity_ids);
    PERFORM salesflow.count_activities(v_activity_ids);
    v_redo := v_redo || salesflow.append_activity_answers(v_activity_ids, v_redo);
    PERFORM salesflow.refresh_activity_answers(v_redo);
    IF p_activities_only THEN
        INSERT INTO salesflow.dirty_leads (lead_id) SELECT unnest(lead_ids);
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.claim_dirty_leads(integer, boolean) IS
'Internal: deletes up to p_limit dirty_leads rows (NULL: all), applies their activities (count_activities, '
'append/refresh_activity_answers) and returns '
'(queue_rows, activities, lead_ids); leads whose counters a writer holds stay queued. p_activities_only: only '
'activity rows, their leads re-queued (bulk loaders).';
