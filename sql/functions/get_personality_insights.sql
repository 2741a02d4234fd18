-- ============================================================================
-- get_personality_insights: per DISG type, leads / won / conversion / cycle / best channel
-- ============================================================================
-- Scope (aggregates only, never single leads): reps and managers get their TEAM's figures (reps
-- learn from the team's experience; a user without a team gets their own), admins and the owner
-- without identity get everyone's. Optional p_team_id narrows an admin/owner to one team.
-- best_channel: the first-contact channel with the highest conversion among at least 3 closed
-- leads of that type (ties: more closed leads); with fewer closed leads, the best rate among them.
CREATE OR REPLACE FUNCTION salesflow.get_personality_insights(p_team_id uuid DEFAULT NULL)
RETURNS TABLE (
    disg_type text,
    leads bigint,
    won bigint,
    lost bigint,
    conversion_rate numeric,
    avg_cycle_days numeric,
    best_channel text
)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();  -- NULL only for the trusted owner
    v_role text;
    v_team uuid;
    v_users uuid [];
BEGIN
    IF v_me IS NOT NULL THEN
        SELECT u.role, u.team_id INTO v_role, v_team FROM salesflow.users AS u WHERE u.id = v_me;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'current user % is not a salesflow user', v_me
                USING ERRCODE = '42501', HINT = 'Set salesflow.user_id to the id of a row in salesflow.users.';
        END IF;
        IF v_role <> 'admin' THEN
            IF p_team_id IS NOT NULL AND p_team_id IS DISTINCT FROM v_team THEN
                RAISE EXCEPTION 'team % is not visible to %', p_team_id, v_me
                    USING ERRCODE = '42501', HINT = 'Only admins may ask about other teams.';
            END IF;
            IF v_team IS NULL THEN
                v_users := ARRAY[v_me];
            ELSE
                SELECT array_agg(u.id) INTO v_users FROM salesflow.users AS u WHERE u.team_id = v_team;
            END IF;
        END IF;
    END IF;
    IF v_users IS NULL AND p_team_id IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM salesflow.teams AS t WHERE t.id = p_team_id) THEN
            RAISE EXCEPTION 'team % not found', p_team_id USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.teams.';
        END IF;
        SELECT coalesce(array_agg(u.id), '{}') INTO v_users FROM salesflow.users AS u WHERE u.team_id = p_team_id;
    END IF;

    RETURN QUERY
    WITH per_channel AS (
        SELECT
            v.disg_type,
            v.first_channel,
            sum(v.leads) AS leads,
            sum(v.won) AS won,
            sum(v.lost) AS lost,
            sum(v.cycle_days_sum) AS cycle_days_sum
        FROM salesflow.view_personality_insights AS v
        WHERE v_users IS NULL OR v.user_id = ANY(v_users)
        GROUP BY v.disg_type, v.first_channel
    ),
    best AS (
        SELECT DISTINCT ON (p.disg_type) p.disg_type, p.first_channel
        FROM per_channel AS p
        WHERE p.first_channel <> 'none' AND p.won > 0
        ORDER BY
            p.disg_type,
            (p.won + p.lost >= 3) DESC,
            p.won::numeric / nullif(p.won + p.lost, 0) DESC NULLS LAST,
            p.won + p.lost DESC,
            p.first_channel
    )
    SELECT
        p.disg_type,
        sum(p.leads)::bigint,
        sum(p.won)::bigint,
        sum(p.lost)::bigint,
        round(sum(p.won) / nullif(sum(p.won) + sum(p.lost), 0), 4),
        round(sum(p.cycle_days_sum) / nullif(sum(p.won), 0), 1),
        max(b.first_channel)
    FROM per_channel AS p
    LEFT JOIN best AS b ON p.disg_type = b.disg_type
    GROUP BY p.disg_type
    ORDER BY p.disg_type;
END;
$$;
COMMENT ON FUNCTION salesflow.get_personality_insights(uuid) IS
'Per DISG type: leads, won, lost, conversion rate, average won cycle days, best first channel; '
'team scope for reps/managers, all for admins/owner. Args: team_id (admin/owner).';
