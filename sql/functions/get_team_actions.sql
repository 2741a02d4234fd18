-- ============================================================================
-- get_team_actions: the team's next best actions, best first, each with its rep
-- ============================================================================
-- recommend_followup_actions(member, p_limit) for every member of the team (p_team_id; NULL =
-- every team the caller may see, list_teams), merged and cut to the best p_limit by score (ties:
-- lead id). The ranking, reasons, channel, time and DISG tip are recommend_followup_actions'
-- (the reason and tip in the member's language). Scope as get_team_overview: managers their own
-- team (else 42501), admins and the owner any (unknown: P0002), reps 42501. p_limit 1..200 (22023).
-- SECURITY INVOKER: recommend_followup_actions checks the caller may see each member.
CREATE OR REPLACE FUNCTION salesflow.get_team_actions(p_team_id uuid DEFAULT NULL, p_limit integer DEFAULT 10)
RETURNS TABLE (
    user_id uuid,
    display_name text,
    lead_id uuid,
    lead_name text,
    action_type text,
    reason text,
    score numeric,
    predicted_conversion numeric,
    channel text,
    suggested_time timestamptz,
    disg_tip text
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_teams uuid [];
BEGIN
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'p_limit must be between 1 and 200, got %', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Ask for the top 10 or so; the list is ranked.';
    END IF;
    SELECT coalesce(array_agg(t.team_id), '{}') INTO v_teams FROM salesflow.list_teams() AS t
    WHERE p_team_id IS NULL OR t.team_id = p_team_id;
    IF p_team_id IS NOT NULL AND cardinality(v_teams) = 0 THEN
        IF salesflow.current_user_role() = 'manager' THEN
            RAISE EXCEPTION 'team % is not your team', p_team_id
                USING ERRCODE = '42501', HINT = 'Managers see their own team (salesflow teams lists it).';
        END IF;
        RAISE EXCEPTION 'team % not found', p_team_id
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a team from salesflow.list_teams().';
    END IF;

    RETURN QUERY
    SELECT
        u.id,
        u.display_name,
        r.lead_id,
        r.lead_name,
        r.action_type,
        r.reason,
        r.score,
        r.predicted_conversion,
        r.channel,
        r.suggested_time,
        r.disg_tip
    FROM salesflow.users AS u
    CROSS JOIN LATERAL salesflow.recommend_followup_actions(u.id, p_limit) AS r
    WHERE u.team_id = ANY(v_teams)
    ORDER BY r.score DESC, r.lead_id
    LIMIT p_limit;
END;
$$;
COMMENT ON FUNCTION salesflow.get_team_actions(uuid, integer) IS
'The team''s next best actions (recommend_followup_actions per member, merged by score) with each rep; '
'manager own team, admin/owner any, reps 42501. Args: team_id (NULL = all visible), limit 1-200.';
