-- ============================================================================
-- is_valid_regex: does a compliance rule pattern compile? (CHECK helper of compliance_rules.pattern)
-- ============================================================================
-- Replaces the version created by migration 0010 (functions are applied after migrations).
-- Compiling is what costs: PostgreSQL's regex compiler is superlinear in the pattern length
-- (repeat('a', 262144) took 107 s), so patterns longer than 4000 characters are refused (false)
-- before compiling. 4000 is the limit the column's CHECK already had (the longest shipped rule is
-- ~3000), so no storable pattern changes verdict; a plain 4000-character pattern compiles in
-- ~80 ms. Within the cap, deeply nested quantifiers can still take seconds to compile: only roles
-- that may write compliance_rules (salesflow_admin) reach this through the CHECK.
CREATE OR REPLACE FUNCTION salesflow.is_valid_regex(p_pattern text)
RETURNS boolean
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_pattern IS NULL OR length(p_pattern) > 4000 OR p_pattern ~ '\\[1-9]' THEN
        RETURN false;
    END IF;
    PERFORM regexp_match('', '(' || p_pattern || ')', 'i');
    RETURN true;
EXCEPTION WHEN invalid_regular_expression OR program_limit_exceeded THEN
    RETURN false;
END;
$$;
COMMENT ON FUNCTION salesflow.is_valid_regex(text) IS
'Internal: true when p_pattern is a PostgreSQL ARE regex of at most 4000 characters that compiles (no back-references) '
'(CHECK helper); longer patterns are false without compiling.';
