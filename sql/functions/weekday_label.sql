-- ============================================================================
-- weekday_label: short weekday name (0 = Sunday) in German or English
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.weekday_label(p_weekday integer, p_language text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT CASE WHEN p_language = 'de'
        THEN (ARRAY['So', 'Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa'])[p_weekday + 1]
        ELSE (ARRAY['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'])[p_weekday + 1]
    END;
$$;
COMMENT ON FUNCTION salesflow.weekday_label(integer, text) IS
'Internal: short weekday name for 0 (Sunday) .. 6 in de (So, Mo, Di ...) or en (Sun, Mon, Tue ...).';
