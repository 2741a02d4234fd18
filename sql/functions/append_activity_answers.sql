-- ============================================================================
-- append_activity_answers: the answers of activities entered after their lead's last one
-- ============================================================================
-- The rule (what a reply time is) is refresh_activity_answers' (its header); this applies the same
-- windows to a lead's state row and its new activities. Both are checked against a Python
-- recomputation from the raw activities (tests/test_incremental.py).
-- The drain's usual case (claim_dirty_leads): new activities arrive after the lead's last one, so
-- only the lead's current run matters (lead_reply_state: its direction and first activity, and the
-- last activity). Each lead's state row and its new activities are ordered, runs found and answers
-- timed without re-reading the lead's history; the state row moves on. A lead without a state row
-- starts from nothing. Leads with a new activity at or before their last known one (a late
-- entry, an import of old messages) are not touched and returned: the caller recomputes them.
-- p_skip_leads: leads the caller recomputes anyway. Internal.
CREATE OR REPLACE FUNCTION salesflow.append_activity_answers(p_activity_ids bigint[], p_skip_leads uuid[])
RETURNS uuid[]
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    c_max_minutes constant double precision := 7 * 24 * 60;
    v_late uuid [];
BEGIN
    IF coalesce(cardinality(p_activity_ids), 0) = 0 THEN
        RETURN '{}';
    END IF;
    -- one statement: the new activities with their lead's state, the late leads set aside, the
    -- rest appended (answers inserted, state moved on); v_late gets the late leads
    WITH new AS (
        SELECT
            a.id,
            a.lead_id,
            a.user_id,
            a.direction,
            a.occurred_at,
            s.lead_id IS NOT NULL AS has_state,
            s.direction AS state_direction,
            s.run_started_at,
            (a.occurred_at, a.id) <= (s.last_at, s.last_id) AS is_late
        FROM salesflow.lead_activities AS a
        LEFT JOIN salesflow.lead_reply_state AS s ON a.lead_id = s.lead_id
        -- = ANY, not a join with unnest: for a large batch the planner merged the join over the
        -- whole primary key (10M rows, 4.5 s at 1M leads) instead of probing it
        WHERE a.id = ANY (p_activity_ids) AND a.kind <> 'note'
          AND NOT EXISTS (SELECT 1 FROM unnest(p_skip_leads) AS k (lead_id) WHERE a.lead_id = k.lead_id)
    ),
    late AS (
        SELECT DISTINCT n.lead_id FROM new AS n WHERE n.is_late
    ),
    appended AS (
        SELECT n.* FROM new AS n
        WHERE NOT EXISTS (SELECT 1 FROM late AS l WHERE n.lead_id = l.lead_id)
    ),
    seq AS (
        -- the current run (its first activity's time) first, then the appended activities
        SELECT DISTINCT ON (p.lead_id)
            p.lead_id, NULL::bigint AS id, NULL::uuid AS user_id, p.state_direction AS direction, p.run_started_at AS occurred_at, 0 AS src
        FROM appended AS p
        WHERE p.has_state
        UNION ALL
        SELECT p.lead_id, p.id, p.user_id, p.direction, p.occurred_at, 1 AS src
        FROM appended AS p
    ),
    m AS (
        SELECT
            q.lead_id,
            q.id,
            q.user_id,
            q.direction,
            q.occurred_at,
            q.src,
            lag(q.direction) OVER w AS prev_direction,
            last_value(q.occurred_at) OVER whole AS last_at,
            last_value(q.id) OVER whole AS last_id
        FROM seq AS q
        WINDOW
            w AS (PARTITION BY q.lead_id ORDER BY q.src, q.occurred_at, q.id),
            whole AS (w ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)
    ),
    r AS (
        SELECT
            m.*,
            extract(EPOCH FROM m.occurred_at - lag(m.occurred_at) OVER w)::double precision / 60 AS minutes,
            lead(m.src) OVER w IS NULL AS is_last_run
        FROM m
        WHERE m.direction IS DISTINCT FROM m.prev_direction
        WINDOW w AS (PARTITION BY m.lead_id ORDER BY m.src, m.occurred_at, m.id)
    ),
    answers AS (
        INSERT INTO salesflow.activity_answers (activity_id, lead_id, user_id, direction, answered_at, minutes)
        SELECT r.id, r.lead_id, r.user_id, r.direction, r.occurred_at, r.minutes
        FROM r
        WHERE r.src = 1 AND r.minutes <= c_max_minutes
    ),
    states AS (
        INSERT INTO salesflow.lead_reply_state AS t (lead_id, direction, run_started_at, last_at, last_id)
        SELECT r.lead_id, r.direction, r.occurred_at, r.last_at, r.last_id
        FROM r
        WHERE r.is_last_run
        ON CONFLICT (lead_id) DO UPDATE
            SET direction = excluded.direction, run_started_at = excluded.run_started_at,
                last_at = excluded.last_at, last_id = excluded.last_id
    )
    SELECT coalesce(array_agg(l.lead_id), '{}') INTO v_late FROM late AS l;
    RETURN v_late;
END;
$$;
COMMENT ON FUNCTION salesflow.append_activity_answers(bigint[], uuid[]) IS
'Internal: adds the answers of activities entered after their lead''s last one (lead_reply_state) and returns the leads '
'with a late entry, left for refresh_activity_answers. Args: activity_ids, skip_leads.';
