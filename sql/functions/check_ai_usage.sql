-- ============================================================================
-- check_ai_usage: the usage figures record_ai_call and record_coaching_turn accept, once
-- ============================================================================
-- Each count at most 10 million per call (so total_tokens, an integer, cannot overflow), latency at
-- most a day, attempts at most 1000; NULL passes (unknown). 22023 naming the first bad argument.
CREATE OR REPLACE FUNCTION salesflow.check_ai_usage(
    p_prompt_tokens integer, p_completion_tokens integer, p_latency_ms integer, p_attempts integer DEFAULT NULL
)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_arg record;
BEGIN
    FOR v_arg IN
        SELECT * FROM (VALUES ('p_prompt_tokens', p_prompt_tokens, 10000000), ('p_completion_tokens', p_completion_tokens, 10000000),
                              ('p_latency_ms', p_latency_ms, 86400000), ('p_attempts', p_attempts, 1000)) AS a (arg, val, max_val)
    LOOP
        IF v_arg.val NOT BETWEEN 0 AND v_arg.max_val THEN
            RAISE EXCEPTION '% must be between 0 and %, got %', v_arg.arg, v_arg.max_val, v_arg.val
                USING ERRCODE = '22023', HINT = 'Pass the usage the API reported (NULL for unknown).';
        END IF;
    END LOOP;
END;
$$;
COMMENT ON FUNCTION salesflow.check_ai_usage(integer, integer, integer, integer) IS
'Internal: raises 22023 when a token count (0-10,000,000), latency (0-86,400,000 ms) or attempt count (0-1000) is out of range; NULL passes.';
