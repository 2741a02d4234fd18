-- ============================================================================
-- require_identity: the caller's user id, or 42501 for a sales role that has none
-- ============================================================================
-- The SECURITY DEFINER readers bypass RLS and filter by identity themselves; "no identity" means
-- the trusted owner (CLI, cron) there. That must not hold for a sales role that simply forgot to
-- set one: a rep session without salesflow.user_id would otherwise read everyone's rows through
-- them. The role asked about is the session's effective role (the `role` setting, i.e. SET ROLE /
-- PostgREST's role switch, else the login role), which a SECURITY DEFINER call does not change.
-- Trusted without identity: superusers, the owner of schema salesflow, and roles that hold none of
-- salesflow_rep / salesflow_manager / salesflow_admin.
-- requires: current_user_id
CREATE OR REPLACE FUNCTION salesflow.require_identity()
RETURNS uuid
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.current_user_id();
    v_role name;
BEGIN
    IF v_me IS NOT NULL THEN
        RETURN v_me;
    END IF;
    v_role := CASE WHEN current_setting('role') = 'none' THEN session_user ELSE current_setting('role') END;
    IF EXISTS (
        SELECT 1
        FROM pg_roles AS r
        WHERE r.rolname = v_role
          AND NOT r.rolsuper
          AND r.oid <> (SELECT n.nspowner FROM pg_namespace AS n WHERE n.nspname = 'salesflow')
          AND (
              pg_has_role(r.oid, 'salesflow_rep', 'USAGE')
              OR pg_has_role(r.oid, 'salesflow_manager', 'USAGE')
              OR pg_has_role(r.oid, 'salesflow_admin', 'USAGE')
          )
    ) THEN
        RAISE EXCEPTION 'role % has no salesflow identity', v_role
            USING ERRCODE = '42501',
                  HINT = 'SET salesflow.user_id = ''<users.id>'' (or pass a JWT whose sub claim is the user id) first.';
    END IF;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.require_identity() IS
'Internal: current_user_id(); NULL only for a trusted caller (superuser, schema owner, a role outside the sales groups), '
'42501 for a sales role without identity.';
SELECT salesflow.grant_to(
    'EXECUTE ON FUNCTION salesflow.require_identity()', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
);
