-- ============================================================================
-- current_user_role: rep, manager or admin for the caller (NULL without identity)
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.current_user_role()
RETURNS text
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT u.role FROM salesflow.users AS u WHERE u.id = salesflow.current_user_id();
$$;
COMMENT ON FUNCTION salesflow.current_user_role() IS 'The role (rep, manager, admin) of the calling sales user, NULL without identity.';
