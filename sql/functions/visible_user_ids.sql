-- ============================================================================
-- visible_user_ids: whose rows the caller may see (rep: own, manager: team, admin: all)
-- ============================================================================
-- SECURITY DEFINER: reads salesflow.users past its own RLS; policies call it as
-- (SELECT salesflow.visible_user_ids()) so it runs once per query, not once per row.
CREATE OR REPLACE FUNCTION salesflow.visible_user_ids()
RETURNS uuid[]
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT CASE me.role
        WHEN 'admin' THEN (SELECT array_agg(u.id) FROM salesflow.users AS u)
        WHEN 'manager' THEN
            CASE WHEN me.team_id IS NULL THEN ARRAY[me.id]
                 ELSE (SELECT array_agg(u.id) FROM salesflow.users AS u WHERE u.team_id = me.team_id)
            END
        ELSE ARRAY[me.id]
    END
    FROM salesflow.users AS me
    WHERE me.id = salesflow.current_user_id();
$$;
COMMENT ON FUNCTION salesflow.visible_user_ids() IS
'User ids whose rows the caller may see and change: own (rep), the team (manager), everyone (admin); NULL without identity.';
