-- ============================================================================
-- gdpr_mentions: does a text contain one of the terms (case-insensitive, literal) or p_regex?
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.gdpr_mentions(p_text text, p_terms text[], p_regex text DEFAULT NULL)
RETURNS boolean
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(bool_or(strpos(lower(p_text), lower(t.term)) > 0), false)
        OR coalesce(p_text ~ p_regex, false)
    FROM unnest(p_terms) AS t (term)
    WHERE t.term IS NOT NULL AND btrim(t.term) <> '';
$$;
COMMENT ON FUNCTION salesflow.gdpr_mentions(text, text[], text) IS
'Internal: true when p_text contains one of p_terms (literal, case-insensitive) or matches p_regex; false for NULL text.';
