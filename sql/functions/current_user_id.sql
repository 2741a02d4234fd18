-- ============================================================================
-- current_user_id: who is asking (GUC salesflow.user_id, else the JWT sub claim)
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.current_user_id()
RETURNS uuid
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_raw text := nullif(current_setting('salesflow.user_id', true), '');
BEGIN
    IF v_raw IS NULL THEN
        -- PostgREST / Supabase: request.jwt.claims is a JSON object (older PostgREST: request.jwt.claim.sub)
        v_raw := coalesce(
            nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub',
            nullif(current_setting('request.jwt.claim.sub', true), '')
        );
    END IF;
    IF v_raw IS NULL THEN
        RETURN NULL;
    END IF;
    IF v_raw !~* '^[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}$' THEN
        RAISE EXCEPTION 'the current user id % is not a uuid', quote_literal(v_raw)
            USING ERRCODE = '22P02',
                  HINT = 'SET salesflow.user_id to the uuid of a row in salesflow.users (or send a JWT whose sub is one).';
    END IF;
    RETURN v_raw::uuid;
END;
$$;
COMMENT ON FUNCTION salesflow.current_user_id() IS
'The calling sales user: the GUC salesflow.user_id if set, else the sub claim of request.jwt.claims (PostgREST/Supabase), else NULL.';
SELECT salesflow.grant_to(
    'EXECUTE ON FUNCTION salesflow.current_user_id()', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
);
