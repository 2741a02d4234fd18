-- ============================================================================
-- refresh_activity_answers: recompute the answers (reply times) of the given leads' activities
-- ============================================================================
-- Reply time, defined (the one place; get_sales_kpis reads the result): a lead's activities (not
-- notes) ordered by time, then id, form runs of one direction; the first activity of a run answers
-- the run before it, and its delay is the time since that run's FIRST activity (how long the other
-- side had been waiting). Outbound answering inbound is a rep response, inbound answering outbound
-- a lead reply; the answer belongs to the user of the answering activity. Delays over 7 days are not
-- answers (a new conversation) and get no row.
-- Called by claim_dirty_leads for the leads whose activities a statement inserted, updated or
-- deleted (their queue rows carry activity_ids), so it always sees the lead's whole history: exact
-- for late and out-of-order activities too. p_lead_ids NULL: every lead (the migration's backfill,
-- a repair). The caller holds the leads' lead_engagement rows (claim_dirty_leads, SKIP LOCKED; every
-- lead has one from its creation), so no two transactions rewrite one lead at once.
-- Returns the number of answer rows inserted. Internal (no grant).
CREATE OR REPLACE FUNCTION salesflow.refresh_activity_answers(p_lead_ids uuid[])
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    c_max_minutes constant double precision := 7 * 24 * 60;
    v_fresh salesflow.activity_answers [];
    v_n bigint;
BEGIN
    IF cardinality(p_lead_ids) = 0 THEN
        RETURN 0;
    END IF;
    -- the leads' answers as they are now, computed once
    v_fresh := ARRAY(
        SELECT ROW(r.id, r.lead_id, r.user_id, r.direction, r.occurred_at, r.minutes)::salesflow.activity_answers
        FROM (
            -- the first activity of each run and the start of the run before it: one sort serves both
            SELECT
                m.id,
                m.lead_id,
                m.user_id,
                m.direction,
                m.occurred_at,
                extract(EPOCH FROM m.occurred_at - lag(m.occurred_at) OVER w)::double precision / 60 AS minutes
            FROM (
                SELECT a.id, a.lead_id, a.user_id, a.direction, a.occurred_at, lag(a.direction) OVER w AS prev_direction
                FROM salesflow.lead_activities AS a
                WHERE (p_lead_ids IS NULL OR a.lead_id = ANY (p_lead_ids)) AND a.kind <> 'note'
                WINDOW w AS (PARTITION BY a.lead_id ORDER BY a.occurred_at, a.id)
            ) AS m
            WHERE m.direction IS DISTINCT FROM m.prev_direction
            WINDOW w AS (PARTITION BY m.lead_id ORDER BY m.occurred_at, m.id)
        ) AS r
        WHERE r.minutes <= c_max_minutes
    );
    IF p_lead_ids IS NULL THEN
        TRUNCATE salesflow.activity_answers;
    ELSE
        -- only what changed is written: a drain after new activities mostly adds one answer a lead
        -- (rewriting all of them cost 3x the time)
        DELETE FROM salesflow.activity_answers AS x
        WHERE x.lead_id = ANY (p_lead_ids)
          AND NOT EXISTS (SELECT 1 FROM unnest(v_fresh) AS f WHERE f = x);
    END IF;
    INSERT INTO salesflow.activity_answers
    SELECT f.* FROM unnest(v_fresh) AS f
    WHERE NOT EXISTS (SELECT 1 FROM salesflow.activity_answers AS x WHERE x.activity_id = f.activity_id);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END;
$$;
COMMENT ON FUNCTION salesflow.refresh_activity_answers(uuid[]) IS
'Internal: recomputes activity_answers (reply times) for the given leads (NULL: all); returns the rows inserted. Args: lead_ids.';
