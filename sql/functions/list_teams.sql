-- ============================================================================
-- list_teams: the teams the caller may look at, with their size
-- ============================================================================
-- Managers get their own team, admins and the trusted owner (CLI, cron) every team; reps are
-- refused (42501: team views are for managers), and so is a sales role without identity.
-- members: users in the team (any role), reps: those with role rep, managers: their names.
-- SECURITY INVOKER: the caller's grants and row-level security apply (teams is readable by the
-- sales roles; users shows a manager their team). The scope filter is explicit as well, so the
-- answer is the same when a SECURITY DEFINER reader calls it (get_sales_kpis).
CREATE OR REPLACE FUNCTION salesflow.list_teams()
RETURNS TABLE (
    team_id uuid,
    team_name text,
    members bigint,
    reps bigint,
    managers text
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_me uuid := salesflow.current_user_id();
    v_role text := salesflow.current_user_role();
    v_team uuid;
BEGIN
    IF v_me IS NULL AND NOT pg_has_role(
        current_user, (SELECT n.nspowner FROM pg_namespace AS n WHERE n.nspname = 'salesflow'), 'MEMBER'
    ) THEN
        RAISE EXCEPTION 'role % has no salesflow identity', current_user
            USING ERRCODE = '42501', HINT = 'Log in with a personal login linked to a salesflow user, or assert one through a gateway.';
    END IF;
    IF v_me IS NOT NULL AND v_role IS NULL THEN
        RAISE EXCEPTION 'current user % is not a salesflow user', v_me
            USING ERRCODE = '42501', HINT = 'Set salesflow.user_id to the id of a row in salesflow.users.';
    END IF;
    IF v_role = 'rep' THEN
        RAISE EXCEPTION 'team views are for managers and admins; % is a rep', v_me
            USING ERRCODE = '42501', HINT = 'A rep sees their own figures: salesflow kpis / salesflow recs.';
    END IF;
    IF v_role = 'manager' THEN
        SELECT u.team_id INTO v_team FROM salesflow.users AS u WHERE u.id = v_me;
    END IF;

    RETURN QUERY
    SELECT
        t.id,
        t.name,
        count(u.id),
        count(u.id) FILTER (WHERE u.role = 'rep'),
        string_agg(u.display_name, ', ' ORDER BY u.display_name) FILTER (WHERE u.role = 'manager')
    FROM salesflow.teams AS t
    LEFT JOIN salesflow.users AS u ON t.id = u.team_id
    WHERE v_role IS DISTINCT FROM 'manager' OR t.id = v_team
    GROUP BY t.id, t.name
    ORDER BY t.name, t.id;
END;
$$;
COMMENT ON FUNCTION salesflow.list_teams() IS
'Teams the caller may look at (manager: own, admin/owner: all) with members, reps and manager names; reps 42501.';
