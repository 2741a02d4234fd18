-- ============================================================================
-- check_text_length: the argument-length check of the RPC functions, once
-- ============================================================================
-- Raises 22023 "<p_arg> is N characters long (at most p_max): '<first 60 characters>...'" with the
-- caller's HINT when p_value is longer than p_max characters (NULL passes); p_show_value false
-- leaves the value out of the message (summaries, feedback: free text that may be personal).
CREATE OR REPLACE FUNCTION salesflow.check_text_length(
    p_arg text, p_value text, p_max integer, p_hint text, p_show_value boolean DEFAULT true
)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF length(p_value) > p_max THEN
        IF p_show_value THEN
            RAISE EXCEPTION '% is % characters long (at most %): %', p_arg, length(p_value), p_max,
                quote_literal(left(p_value, 60) || '...')
                USING ERRCODE = '22023', HINT = p_hint;
        END IF;
        RAISE EXCEPTION '% is % characters long (at most %)', p_arg, length(p_value), p_max
            USING ERRCODE = '22023', HINT = p_hint;
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.check_text_length(text, text, integer, text, boolean) IS
'Internal: raises 22023 (with the given hint) when an argument is longer than p_max characters; NULL passes.';
