-- ============================================================================
-- user_sees: may p_viewer see (and so be assigned work on) rows owned by p_owner?
-- ============================================================================
-- The rule of visible_user_ids() for any viewer: the owner themself, a manager of the owner's
-- team, or an admin. Unknown users see nothing, so callers cannot tell "no such user" from
-- "another team's user" (no existence oracle).
DROP FUNCTION IF EXISTS salesflow.assignee_check(uuid, uuid);  -- before 0.2: told those two apart
CREATE OR REPLACE FUNCTION salesflow.user_sees(p_viewer uuid, p_owner uuid)
RETURNS boolean
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT coalesce((
        SELECT v.id = o.id OR v.role = 'admin' OR (v.role = 'manager' AND v.team_id = o.team_id)
        FROM salesflow.users AS v, salesflow.users AS o
        WHERE v.id = p_viewer AND o.id = p_owner
    ), false);
$$;
COMMENT ON FUNCTION salesflow.user_sees(uuid, uuid) IS
'Internal: true when user p_viewer may see rows of user p_owner (same user, manager of the owner''s team, admin).';
