-- ============================================================================
-- effective_role / acts_as_owner: the role a session acts as, and whether that is the owner
-- ============================================================================
-- The effective role is the `role` setting (SET ROLE, PostgREST's role switch), else the login;
-- unlike current_user it is the caller's inside SECURITY DEFINER functions too.
CREATE OR REPLACE FUNCTION salesflow.effective_role()
RETURNS name
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT CASE WHEN current_setting('role') = 'none' THEN session_user ELSE current_setting('role')::name END;
$$;
COMMENT ON FUNCTION salesflow.effective_role() IS
'Internal: the role the session acts as (SET ROLE, else the login), also inside SECURITY DEFINER functions.';

-- Superusers and members of the schema owner's role: the trusted owner (CLI, cron).
CREATE OR REPLACE FUNCTION salesflow.acts_as_owner(p_role name)
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT pg_has_role(p_role, (SELECT n.nspowner FROM pg_namespace AS n WHERE n.nspname = 'salesflow'), 'MEMBER');
$$;
COMMENT ON FUNCTION salesflow.acts_as_owner(name) IS
'Internal: true when p_role is a superuser or a member of the owner of schema salesflow.';
