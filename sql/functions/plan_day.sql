-- ============================================================================
-- plan_day: a rep's day — the next best actions, each at a suggested time slot
-- ============================================================================
-- The rows of recommend_followup_actions(p_user_id, p_limit, p_day, p_capacity) — the same
-- ranking, channel and time (plan_action_slots: working hours 08:00-20:00 in the rep's
-- users.timezone, p_capacity actions per hour slot, default 4, never a slot already begun,
-- the lead's best contact window with room first) — with the time in the rep's and in the
-- lead's time zone, ordered for the day: overdue follow-ups first, then by slot, then by rank.
-- p_day NULL: the rep's today while a slot is left, else the next working day (Mon-Sat).
-- Identity: SECURITY INVOKER; with an identity p_user_id defaults to the caller, a rep may plan
-- only their own day, a manager their team's, an admin anyone's (else 42501).
CREATE OR REPLACE FUNCTION salesflow.plan_day(
    p_user_id uuid DEFAULT NULL, p_day date DEFAULT NULL, p_capacity integer DEFAULT 4, p_limit integer DEFAULT 20
)
RETURNS TABLE (
    overdue boolean,
    suggested_time timestamptz,
    rep_local_time timestamp,
    rep_timezone text,
    lead_local_time timestamp,
    lead_timezone text,
    lead_id uuid,
    lead_name text,
    action_type text,
    reason text,
    channel text,
    channel_rule text,
    time_rule text,
    disg_tip text,
    recommendation_id bigint,
    followup_id bigint,
    score numeric,
    plan_day date,
    action_rank integer
)
LANGUAGE plpgsql
STABLE
SECURITY INVOKER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_me uuid := salesflow.current_user_id();
    v_user uuid := coalesce(p_user_id, v_me);
    v_tz text;
BEGIN
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'p_user_id is required when no current user is set'
            USING ERRCODE = '22023', HINT = 'Pass the rep''s uuid, or act as the rep (salesflow today --user REP).';
    END IF;
    IF v_me IS NOT NULL AND NOT v_user = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])) THEN
        RAISE EXCEPTION 'user % may not plan the day of user % (p_user_id)', v_me, v_user
            USING ERRCODE = '42501', HINT = 'A rep plans only their own day; a manager their team''s, an admin anyone''s.';
    END IF;
    SELECT u.timezone INTO v_tz FROM salesflow.users AS u WHERE u.id = v_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'p_user_id % is not a known user', v_user
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.users.';
    END IF;

    RETURN QUERY
    SELECT
        r.action_type = 'followup_overdue',
        r.suggested_time,
        r.suggested_time AT TIME ZONE v_tz,
        v_tz,
        r.suggested_time AT TIME ZONE coalesce(r.lead_timezone, v_tz),
        r.lead_timezone,
        r.lead_id, r.lead_name, r.action_type, r.reason, r.channel, r.channel_rule, r.time_rule, r.disg_tip,
        r.recommendation_id, r.followup_id, r.score, r.plan_day, r.rn::integer
    FROM (
        SELECT x.*, row_number() OVER () AS rn
        FROM salesflow.recommend_followup_actions(v_user, p_limit, p_day, p_capacity) AS x
    ) AS r
    ORDER BY r.action_type = 'followup_overdue' DESC, r.suggested_time ASC NULLS LAST, r.rn ASC;
END;
$$;
COMMENT ON FUNCTION salesflow.plan_day(uuid, date, integer, integer) IS
'A rep''s day (user, default the caller; day, default the next working day; capacity per hour slot, default 4; '
'limit 1-200, default 20): next best actions at suggested times (rep working hours 08-20 in users.timezone), '
'overdue follow-ups first, then by slot; rep''s and lead''s local time.';
