-- ============================================================================
-- record_coaching_turn: start or continue an AI coach session with one question/answer pair
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.record_coaching_turn(
    p_session_id bigint,
    p_user_id uuid,
    p_lead_id uuid,
    p_language text,
    p_question text,
    p_answer text,
    p_model text DEFAULT NULL,
    p_prompt_tokens integer DEFAULT 0,
    p_completion_tokens integer DEFAULT 0,
    p_latency_ms integer DEFAULT 0,
    p_persona text DEFAULT 'coach'
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_me uuid := salesflow.require_identity();
    v_user uuid := coalesce(p_user_id, v_me);
    v_turn jsonb := jsonb_build_array(
        jsonb_build_object('role', 'user', 'content', p_question, 'at', now()),
        jsonb_build_object('role', 'assistant', 'content', p_answer, 'at', now())
    );
    v_id bigint;
BEGIN
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'p_user_id is required when no current user is set'
            USING ERRCODE = '22023', HINT = 'Pass the coached user''s id.';
    END IF;
    IF v_me IS NOT NULL AND v_user <> v_me THEN
        RAISE EXCEPTION 'coaching sessions belong to their user; % is not you', v_user
            USING ERRCODE = '42501', HINT = 'Omit p_user_id to record your own session.';
    END IF;
    IF v_me IS NULL AND NOT EXISTS (SELECT 1 FROM salesflow.users AS u WHERE u.id = v_user) THEN
        RAISE EXCEPTION 'p_user_id % is not a known user', v_user
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.users.';
    END IF;
    IF p_lead_id IS NOT NULL THEN
        PERFORM salesflow.lead_for_caller(p_lead_id);  -- P0002 instead of a foreign-key error
    END IF;
    IF p_language IS NOT NULL AND p_language NOT IN ('de', 'en') THEN
        RAISE EXCEPTION 'p_language must be de, en or NULL, got %', quote_literal(left(p_language, 60))
            USING ERRCODE = '22023', HINT = 'Pass NULL for German.';
    END IF;
    IF p_persona IS NOT NULL AND p_persona !~ '^[a-z][a-z0-9_]{1,39}$' THEN
        RAISE EXCEPTION 'p_persona must be a lower-case key of 2-40 characters, got %', quote_literal(left(p_persona, 60))
            USING ERRCODE = '22023', HINT = 'Use ''coach'' (the default) or another persona key.';
    END IF;
    PERFORM salesflow.check_text_length(a.arg, a.val, a.max_len,
        'Questions and answers up to 100,000 characters, model names up to 200.')
    FROM (VALUES ('p_question', p_question, 100000), ('p_answer', p_answer, 100000), ('p_model', p_model, 200)) AS a (arg, val, max_len);
    PERFORM salesflow.check_ai_usage(p_prompt_tokens, p_completion_tokens, p_latency_ms);
    IF p_session_id IS NULL THEN
        INSERT INTO salesflow.ai_coaching_sessions (
            user_id, lead_id, persona, language, messages, model, prompt_tokens, completion_tokens, latency_ms
        ) VALUES (
            v_user, p_lead_id, coalesce(p_persona, 'coach'), coalesce(p_language, 'de'), v_turn, p_model,
            coalesce(p_prompt_tokens, 0), coalesce(p_completion_tokens, 0), coalesce(p_latency_ms, 0)
        )
        RETURNING id INTO v_id;
        RETURN v_id;
    END IF;
    UPDATE salesflow.ai_coaching_sessions AS c
    SET messages = c.messages || v_turn,
        model = coalesce(p_model, c.model),
        -- session totals saturate at the integer maximum instead of overflowing (22003) after many turns
        prompt_tokens = least(c.prompt_tokens::bigint + coalesce(p_prompt_tokens, 0), 2147483647)::integer,
        completion_tokens = least(c.completion_tokens::bigint + coalesce(p_completion_tokens, 0), 2147483647)::integer,
        latency_ms = least(c.latency_ms::bigint + coalesce(p_latency_ms, 0), 2147483647)::integer,
        updated_at = now()
    WHERE c.id = p_session_id AND c.user_id = v_user
    RETURNING c.id INTO v_id;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'coaching session % not found for user %', p_session_id, v_user
            USING ERRCODE = 'P0002', HINT = 'Start a new session (p_session_id NULL).';
    END IF;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.record_coaching_turn(bigint, uuid, uuid, text, text, text, text, integer, integer, integer, text) IS
'AI coach history: appends a question/answer pair to session p_session_id (NULL: new session for p_user_id, optional lead); '
'adds tokens and latency; returns the session id. 22023: language not de/en, persona not a key, question/answer over '
'100,000 or model over 200 characters, tokens outside 0-10M, latency outside 0-86.4M ms; P0002: unknown user, lead or session.';
