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
    v_id bigint;
BEGIN
    IF p_status IS NULL OR p_status NOT IN ('ok', 'error', 'cached') THEN
        RAISE EXCEPTION 'p_status % is not a call status', coalesce(quote_literal(p_status), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ok, error or cached.';
    END IF;
    IF p_lead_id IS NOT NULL THEN
        -- the lead must be one the caller may see (P0002 otherwise), and the call is its owner's
        v_user := coalesce(v_user, (salesflow.lead_for_caller(p_lead_id, 'p_lead_id')).user_id);
    END IF;
    IF v_me IS NOT NULL THEN
        v_user := coalesce(v_user, v_me);
        IF NOT v_user = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])) THEN
            RAISE EXCEPTION 'user % is not visible to the caller', v_user
                USING ERRCODE = '42501', HINT = 'Record calls for yourself (or your team as a manager).';
        END IF;
    END IF;
    INSERT INTO salesflow.ai_calls (
        command, lead_id, user_id, model, prompt_key, prompt_version, prompt_tokens, completion_tokens,
        latency_ms, attempts, status, error, input_hash
    ) VALUES (
        p_command, p_lead_id, v_user, p_model, p_prompt_key, p_prompt_version, greatest(coalesce(p_prompt_tokens, 0), 0),
        greatest(coalesce(p_completion_tokens, 0), 0), greatest(coalesce(p_latency_ms, 0), 0),
        least(greatest(coalesce(p_attempts, 1), 0), 32767), p_status, left(p_error, 2000), p_input_hash
    )
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.record_ai_call(text, uuid, uuid, text, text, text, integer, integer, integer, text, text, text, integer) IS
'Appends an LLM usage row: (command, lead, user (default: lead owner / caller), model, prompt key, prompt version, '
'prompt/completion tokens, latency ms, status ok|error|cached, error, input hash, attempts); returns its id.';
