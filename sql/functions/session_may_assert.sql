-- ============================================================================
-- session_may_assert: may this connection name the user it acts for?
-- ============================================================================
-- Decided by session_user, which no SQL (short of a superuser's SET SESSION AUTHORIZATION)
-- can change: gateways (members of salesflow_gateway), the schema owner and superusers.
CREATE OR REPLACE FUNCTION salesflow.session_may_assert()
RETURNS boolean
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT salesflow.acts_as_owner(session_user)
        OR (
            EXISTS (SELECT 1 FROM pg_roles AS g WHERE g.rolname = 'salesflow_gateway')
            AND pg_has_role(session_user, 'salesflow_gateway', 'MEMBER')
        );
$$;
COMMENT ON FUNCTION salesflow.session_may_assert() IS
'Internal: true when the login (session_user) is a gateway, the schema owner or a superuser, i.e. may assert the acting user.';
