-- ============================================================================
-- check_jsonb: the JSON argument checks of the RPC functions (kind and size), once
-- ============================================================================
-- p_type ('object' or 'array', NULL to skip): 22023 "<p_arg> must be a JSON <p_type>, got <kind>"
-- when p_value is NULL or another kind. p_max (NULL to skip): 22023 "<p_arg> is N characters of
-- JSON (at most p_max)" when its text is longer. Both with the caller's HINT; the callers check kind
-- and size with separate calls where other checks come in between (the first failing check wins).
CREATE OR REPLACE FUNCTION salesflow.check_jsonb(p_arg text, p_value jsonb, p_type text, p_max integer, p_hint text)
RETURNS void
LANGUAGE plpgsql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF p_type IS NOT NULL AND (p_value IS NULL OR jsonb_typeof(p_value) <> p_type) THEN
        RAISE EXCEPTION '% must be a JSON %, got %', p_arg, p_type, coalesce(jsonb_typeof(p_value), 'NULL')
            USING ERRCODE = '22023', HINT = p_hint;
    END IF;
    IF p_max IS NOT NULL AND length(p_value::text) > p_max THEN
        RAISE EXCEPTION '% is % characters of JSON (at most %)', p_arg, length(p_value::text), p_max
            USING ERRCODE = '22023', HINT = p_hint;
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.check_jsonb(text, jsonb, text, integer, text) IS
'Internal: raises 22023 (with the given hint) when a JSON argument is not of kind p_type (object/array, NULL: any) '
'or its text is longer than p_max characters (NULL: any size).';
