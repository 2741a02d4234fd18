-- ============================================================================
-- gdpr_redact_text: a text with every given term replaced by [erased] (case-insensitive)
-- ============================================================================
-- Terms are matched literally (regex metacharacters escaped); NULL and empty terms are skipped.
-- p_regex (e.g. gdpr_phone_regex) is replaced as well.
CREATE OR REPLACE FUNCTION salesflow.gdpr_redact_text(p_text text, p_terms text[], p_regex text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_out text := p_text;
    v_term text;
BEGIN
    IF p_text IS NULL THEN
        RETURN NULL;
    END IF;
    FOREACH v_term IN ARRAY coalesce(p_terms, '{}'::text[]) LOOP
        IF v_term IS NOT NULL AND btrim(v_term) <> '' THEN
            v_out := regexp_replace(v_out, regexp_replace(v_term, '([.^$|?*+()\[\]{}\\-])', '\\\1', 'g'), '[erased]', 'gi');
        END IF;
    END LOOP;
    IF p_regex IS NOT NULL THEN
        v_out := regexp_replace(v_out, p_regex, '[erased]', 'g');
    END IF;
    RETURN v_out;
END;
$$;
COMMENT ON FUNCTION salesflow.gdpr_redact_text(text, text[], text) IS
'Internal: p_text with each term of p_terms (matched literally, case-insensitive) and every match of p_regex replaced by [erased].';
