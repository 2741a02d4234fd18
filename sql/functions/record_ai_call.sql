-- ============================================================================
-- record_ai_call: append one row to the LLM usage log (ai_calls)
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.record_ai_call(
    p_command text,
    p_lead_id uuid,
    p_user_id uuid,
    p_model text,
    p_prompt_key text,
    p_prompt_version text,
    p_prompt_tokens integer,
    p_completion_tokens integer,
    p_latency_ms integer,
    p_status text,
    p_error text DEFAULT NULL,
    p_input_hash text DEFAULT NULL,
    p_attempts integer DEFAULT 1
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();
    v_user uuid := p_user_id;
    v_owner uuid;
    v_id bigint;
BEGIN
    IF p_status IS NULL OR p_status NOT IN ('ok', 'error', 'cached') THEN
        RAISE EXCEPTION 'p_status % is not a call status', coalesce(quote_literal(left(p_status, 60)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ok, error or cached.';
    END IF;
    IF p_lead_id IS NOT NULL THEN
        -- P0002 for an unknown or invisible lead (instead of a foreign-key error at the insert)
        v_owner := (salesflow.lead_for_caller(p_lead_id)).user_id;
        v_user := coalesce(v_user, v_owner);
    END IF;
    IF v_me IS NOT NULL THEN
        v_user := coalesce(v_user, v_me);
        IF NOT v_user = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])) THEN
            RAISE EXCEPTION 'user % is not visible to the caller', v_user
                USING ERRCODE = '42501', HINT = 'Record calls for yourself (or your team as a manager).';
        END IF;
    ELSIF v_user IS NOT NULL AND NOT EXISTS (SELECT 1 FROM salesflow.users AS u WHERE u.id = v_user) THEN
        RAISE EXCEPTION 'p_user_id % is not a known user', v_user
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.users, or NULL for the lead owner.';
    END IF;
    IF p_command IS NULL OR p_command !~ '^[a-z][a-z0-9_ -]{1,39}$' THEN
        RAISE EXCEPTION 'p_command must be a lower-case command name of 2-40 characters, got %',
            coalesce(quote_literal(left(p_command, 60)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use the CLI command, e.g. ''ai memory'' or ''coach''.';
    END IF;
    PERFORM salesflow.check_text_length(a.arg, a.val, a.max_len,
        'Pass a model name, prompt key or hash as such; p_error is stored cut to 2000 characters.')
    FROM (VALUES ('p_model', p_model, 200), ('p_prompt_key', p_prompt_key, 200), ('p_prompt_version', p_prompt_version, 200),
                 ('p_input_hash', p_input_hash, 200), ('p_error', p_error, 100000)) AS a (arg, val, max_len);
    PERFORM salesflow.check_ai_usage(p_prompt_tokens, p_completion_tokens, p_latency_ms, p_attempts);
    INSERT INTO salesflow.ai_calls (
        command, lead_id, user_id, model, prompt_key, prompt_version, prompt_tokens, completion_tokens,
        latency_ms, attempts, status, error, input_hash
    ) VALUES (
        p_command, p_lead_id, v_user, p_model, p_prompt_key, p_prompt_version, coalesce(p_prompt_tokens, 0),
        coalesce(p_completion_tokens, 0), coalesce(p_latency_ms, 0), coalesce(p_attempts, 1), p_status, left(p_error, 2000),
        p_input_hash
    )
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.record_ai_call(text, uuid, uuid, text, text, text, integer, integer, integer, text, text, text, integer) IS
'Appends an LLM usage row: (command, lead, user (default: lead owner / caller), model, prompt key, prompt version, '
'prompt/completion tokens 0-10M, latency ms 0-86.4M, status ok|error|cached, error, input hash, attempts 0-1000); returns its id. '
'Bad input (22023): command not a 2-40 character name, model/prompt key/version/hash over 200 characters, error over 100,000; '
'P0002: unknown or invisible lead, unknown user.';
