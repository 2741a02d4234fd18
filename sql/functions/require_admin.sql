-- ============================================================================
-- require_admin: refuse an admin operation to anyone but the trusted owner and admins
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.require_admin(p_operation text)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();  -- NULL: the trusted owner (cron, the CLI)
    v_role text;
BEGIN
    IF v_me IS NULL THEN
        RETURN;
    END IF;
    SELECT u.role INTO v_role FROM salesflow.users AS u WHERE u.id = v_me;
    IF v_role IS DISTINCT FROM 'admin' THEN
        RAISE EXCEPTION '% is an admin operation; the current user is %', p_operation, coalesce(v_role, 'not a salesflow user')
            USING ERRCODE = '42501', HINT = 'Run it from cron or the CLI as the schema owner, or as an admin.';
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.require_admin(text) IS
'Internal: returns for the trusted owner and for admins; 42501 for everyone else (refresh, learning, expiry).';
