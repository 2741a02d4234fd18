-- ============================================================================
-- count_phrase: "1 Tag" / "3 Tagen", "1 hour" / "5 hours" (dative plural: 'seit 3 Tagen')
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.count_phrase(p_n numeric, p_unit text, p_language text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT p_n::text || ' ' || CASE
        WHEN p_unit = 'day' AND p_language = 'de' THEN CASE WHEN p_n = 1 THEN 'Tag' ELSE 'Tagen' END
        WHEN p_unit = 'hour' AND p_language = 'de' THEN CASE WHEN p_n = 1 THEN 'Stunde' ELSE 'Stunden' END
        WHEN p_unit = 'day' THEN CASE WHEN p_n = 1 THEN 'day' ELSE 'days' END
        WHEN p_unit = 'hour' THEN CASE WHEN p_n = 1 THEN 'hour' ELSE 'hours' END
        ELSE p_unit
    END;
$$;
COMMENT ON FUNCTION salesflow.count_phrase(numeric, text, text) IS
'Internal: a count with its unit in singular or plural, German (dative: seit 3 Tagen) or English.';
