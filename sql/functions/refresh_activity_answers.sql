-- ============================================================================
-- refresh_activity_answers: recompute the answers (reply times) of the given leads' activities
-- ============================================================================
-- Reply time, defined (the one place; append_activity_answers applies the same windows to appended
-- activities: recomputing a lead by appending all its activities through it was tried and cost
-- 4-5x this pass at 1M leads; get_sales_kpis reads the result): a lead's activities (not notes) ordered by time,
-- then id, form runs of one direction; the first activity of a run answers the run before it, and
-- its delay is the time since that run's FIRST activity (how long the other side had been waiting).
-- Outbound answering inbound is a rep response, inbound answering outbound a lead reply; the answer
-- belongs to the user of the answering activity. Delays over 7 days are not answers (a new
-- conversation) and get no row.
-- Reads each lead's whole history, so it is exact for any change; claim_dirty_leads calls it for the
-- leads whose activities were updated, deleted or entered out of order (the rest are appended by
-- append_activity_answers). Also rewrites the leads' lead_reply_state rows. Only what changed is
-- written (a rewrite of every row cost 3x the time); leads go in slices of 20,000 so memory stays
-- bounded for a queue of every lead (a migration's backfill). The caller holds the leads'
-- lead_engagement rows (claim_dirty_leads, SKIP LOCKED; every lead has one from its creation), so no
-- two transactions rewrite one lead at once. Returns the answer rows inserted. Internal (no grant).
CREATE OR REPLACE FUNCTION salesflow.refresh_activity_answers(p_lead_ids uuid[])
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    c_max_minutes constant double precision := 7 * 24 * 60;
    c_slice constant integer := 20000;
    v_leads uuid [];
    v_fresh salesflow.activity_answers [];
    v_state salesflow.lead_reply_state [];
    v_n bigint;
    v_total bigint := 0;
BEGIN
    FOR i IN 0 .. (coalesce(cardinality(p_lead_ids), 0) - 1) / c_slice LOOP
        v_leads := p_lead_ids[i * c_slice + 1:(i + 1) * c_slice];
        SELECT
            coalesce(array_agg(ROW(r.id, r.lead_id, r.user_id, r.direction, r.occurred_at, r.minutes)::salesflow.activity_answers)
                FILTER (WHERE r.minutes <= c_max_minutes), '{}'),
            coalesce(array_agg(ROW(r.lead_id, r.direction, r.occurred_at, r.last_at, r.last_id)::salesflow.lead_reply_state)
                FILTER (WHERE r.is_last_run), '{}')
        INTO v_fresh, v_state
        FROM (
            -- the first activity of each run and the start of the run before it: one sort serves both
            SELECT
                m.id,
                m.lead_id,
                m.user_id,
                m.direction,
                m.occurred_at,
                m.last_at,
                m.last_id,
                extract(EPOCH FROM m.occurred_at - lag(m.occurred_at) OVER w)::double precision / 60 AS minutes,
                lead(m.id) OVER w IS NULL AS is_last_run
            FROM (
                SELECT
                    a.id,
                    a.lead_id,
                    a.user_id,
                    a.direction,
                    a.occurred_at,
                    lag(a.direction) OVER w AS prev_direction,
                    last_value(a.occurred_at) OVER whole AS last_at,
                    last_value(a.id) OVER whole AS last_id
                FROM salesflow.lead_activities AS a
                WHERE a.lead_id = ANY (v_leads) AND a.kind <> 'note'
                WINDOW
                    w AS (PARTITION BY a.lead_id ORDER BY a.occurred_at, a.id),
                    whole AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
            ) AS m
            WHERE m.direction IS DISTINCT FROM m.prev_direction
            WINDOW w AS (PARTITION BY m.lead_id ORDER BY m.occurred_at, m.id)
        ) AS r;

        DELETE FROM salesflow.activity_answers AS x
        WHERE x.lead_id = ANY (v_leads)
          AND NOT EXISTS (SELECT 1 FROM unnest(v_fresh) AS f WHERE f = x);
        INSERT INTO salesflow.activity_answers
        SELECT f.* FROM unnest(v_fresh) AS f
        WHERE NOT EXISTS (SELECT 1 FROM salesflow.activity_answers AS x WHERE x.activity_id = f.activity_id);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_total := v_total + v_n;

        DELETE FROM salesflow.lead_reply_state AS s WHERE s.lead_id = ANY (v_leads);
        INSERT INTO salesflow.lead_reply_state SELECT f.* FROM unnest(v_state) AS f;
    END LOOP;
    RETURN v_total;
END;
$$;
COMMENT ON FUNCTION salesflow.refresh_activity_answers(uuid[]) IS
'Internal: recomputes activity_answers (reply times) and lead_reply_state for the given leads from their whole history; '
'returns the answer rows inserted. Args: lead_ids.';
