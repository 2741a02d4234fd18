-- ============================================================================
-- require_identity: the caller's user id; NULL only for the trusted owner; else 42501
-- ============================================================================
-- The SECURITY DEFINER API bypasses RLS and filters by identity itself, where "no identity"
-- means the trusted owner (CLI, cron): a superuser or the schema owner acting as itself (the
-- effective role: SET ROLE salesflow_rep drops that trust). Everyone else needs an identity —
-- a role outside the sales groups is not trusted just for lacking membership.
CREATE OR REPLACE FUNCTION salesflow.require_identity()
RETURNS uuid
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.current_user_id();
    v_role name := salesflow.effective_role();
BEGIN
    IF v_me IS NOT NULL THEN
        RETURN v_me;
    END IF;
    IF salesflow.acts_as_owner(v_role) THEN
        RETURN NULL;
    END IF;
    IF salesflow.session_may_assert() THEN
        RAISE EXCEPTION 'role % has no salesflow identity in this transaction', v_role
            USING ERRCODE = '42501',
                  HINT = 'A gateway sets request.jwt.claims (sub = users.id) or salesflow.user_id with set_config(..., true) first.';
    END IF;
    RAISE EXCEPTION 'role % has no salesflow identity', v_role
        USING ERRCODE = '42501',
              HINT = 'Log in with a personal login linked to a salesflow user (an admin runs: salesflow users login USER --create).';
END;
$$;
COMMENT ON FUNCTION salesflow.require_identity() IS
'Internal: current_user_id(); NULL only for the trusted owner (superuser or schema owner acting as itself), 42501 for everyone else without identity.';
