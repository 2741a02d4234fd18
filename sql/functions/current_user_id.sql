-- ============================================================================
-- current_user_id: the sales user this session acts for, bound to how it connected
-- ============================================================================
-- Any session can set any two-part setting, so a GUC or claim alone proves nothing. Who may
-- name the user:
--   * a personal login (users.db_role = session_user, or the role a trusted session SET ROLE'd
--     to): always that user; a setting naming anyone else is refused (42501);
--   * a gateway (session_user is a member of salesflow_gateway: PostgREST's authenticator, an
--     application pool), the schema owner or a superuser: the sub claim of request.jwt.claims,
--     salesflow.user_id, or request.jwt.claim.sub (set per transaction);
--   * anyone else: no identity (NULL); naming a user is refused (42501).
-- SECURITY DEFINER: reads users past its RLS (whose policies call this function). session_user
-- and the role setting are the caller's inside a definer function too.
CREATE OR REPLACE FUNCTION salesflow.current_user_id()
RETURNS uuid
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_role name := salesflow.effective_role();
    v_raw text := coalesce(
        nullif(current_setting('salesflow.user_id', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub',
        nullif(current_setting('request.jwt.claim.sub', true), '')
    );
    v_claim uuid;
    v_bound uuid;
BEGIN
    IF v_raw IS NOT NULL THEN
        IF v_raw !~* '^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$' THEN
            RAISE EXCEPTION 'the asserted user id % is not a uuid', quote_literal(left(v_raw, 60))
                USING ERRCODE = '22P02',
                      HINT = 'salesflow.user_id (or the JWT sub claim) must be the uuid of a row in salesflow.users.';
        END IF;
        v_claim := v_raw::uuid;
    END IF;

    -- A personal login: the login itself, or (for a trusted session) the role it switched to.
    SELECT u.id INTO v_bound FROM salesflow.users AS u WHERE u.db_role = session_user;
    IF v_bound IS NULL AND v_role <> session_user AND salesflow.session_may_assert() THEN
        SELECT u.id INTO v_bound FROM salesflow.users AS u WHERE u.db_role = v_role;
    END IF;
    IF v_bound IS NOT NULL THEN
        IF v_claim IS NOT NULL AND v_claim <> v_bound THEN
            RAISE EXCEPTION 'login % is bound to salesflow user %; it cannot act as %', session_user, v_bound, v_claim
                USING ERRCODE = '42501',
                      HINT = 'A personal login is always its own user. Connect with that user''s login, or through a gateway.';
        END IF;
        RETURN v_bound;
    END IF;

    IF v_claim IS NULL OR salesflow.session_may_assert() THEN
        RETURN v_claim;
    END IF;
    RAISE EXCEPTION 'login % may not assert a salesflow identity (asked for %)', session_user, v_claim
        USING ERRCODE = '42501',
              HINT = 'Only gateway logins (members of salesflow_gateway) assert users. Ask an admin for a personal login: salesflow users login USER --create.';
END;
$$;
COMMENT ON FUNCTION salesflow.current_user_id() IS
'The calling sales user: a personal login''s own user (users.db_role), else the user a gateway/owner session asserts '
'(request.jwt.claims sub, salesflow.user_id), else NULL; 42501 when a session names a user it may not.';
