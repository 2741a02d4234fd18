-- ============================================================================
-- assignee_check: may p_assignee_id be assigned work on a lead owned by p_owner_id?
-- ============================================================================
-- SECURITY DEFINER because users RLS hides a rep's manager from the rep; it reveals no more
-- than one of 'ok', 'unknown', 'other_team'.
CREATE OR REPLACE FUNCTION salesflow.assignee_check(p_assignee_id uuid, p_owner_id uuid)
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT CASE
        WHEN a.id IS NULL THEN 'unknown'
        WHEN a.id = p_owner_id OR a.role = 'admin' OR a.team_id = o.team_id THEN 'ok'
        ELSE 'other_team'
    END
    FROM (SELECT 1) AS one
    LEFT JOIN salesflow.users AS a ON a.id = p_assignee_id
    LEFT JOIN salesflow.users AS o ON o.id = p_owner_id;
$$;
COMMENT ON FUNCTION salesflow.assignee_check(uuid, uuid) IS
'Internal: ''ok'' when the user may be assigned a recommendation on a lead of the owner (same user, same team, or admin), else ''unknown'' or ''other_team''.';
SELECT salesflow.grant_to(
    'EXECUTE ON FUNCTION salesflow.assignee_check(uuid, uuid)', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
);
