-- ============================================================================
-- caller_user_ids: the users a read function reports on, checked against identity
-- ============================================================================
-- Shared by the identity-filtered readers: with an identity, the visible users (or just
-- p_user_id when it is one of them); without one (the owner, the CLI), p_user_id or NULL = all.
CREATE OR REPLACE FUNCTION salesflow.caller_user_ids(p_user_id uuid DEFAULT NULL)
RETURNS uuid[]
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();  -- NULL only for the trusted owner
    v_users uuid [];
BEGIN
    IF v_me IS NOT NULL THEN
        v_users := salesflow.visible_user_ids();
        IF v_users IS NULL THEN
            RAISE EXCEPTION 'current user % is not a salesflow user', v_me
                USING ERRCODE = '42501', HINT = 'Set salesflow.user_id to the id of a row in salesflow.users.';
        END IF;
        IF p_user_id IS NOT NULL THEN
            IF NOT p_user_id = ANY(v_users) THEN
                RAISE EXCEPTION 'user % is not visible to %', p_user_id, v_me
                    USING ERRCODE = '42501', HINT = 'Reps see their own data, managers their team, admins everyone.';
            END IF;
            v_users := ARRAY[p_user_id];
        END IF;
    ELSIF p_user_id IS NOT NULL THEN
        IF NOT EXISTS (SELECT 1 FROM salesflow.users AS u WHERE u.id = p_user_id) THEN
            RAISE EXCEPTION 'user % not found', p_user_id USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.users.';
        END IF;
        v_users := ARRAY[p_user_id];
    END IF;
    RETURN v_users;
END;
$$;
COMMENT ON FUNCTION salesflow.caller_user_ids(uuid) IS
'Internal: user ids a reader reports on (visible users, or p_user_id if visible; NULL = everyone for the trusted owner); 42501/P0002 otherwise.';
