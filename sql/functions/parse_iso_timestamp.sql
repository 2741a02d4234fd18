-- ============================================================================
-- parse_iso_timestamp: ISO 8601 text as timestamptz; a time without offset is read in p_timezone
-- ============================================================================
-- NULL for blank or unparseable input (the caller reports the value), never an error, so
-- one bad date in a million rows becomes a reject line instead of aborting the import.
-- Accepts 2025-12-31, 2025-12-31 14:05[:33[.123]] (T or space) and a Z/+01:00/+0100 suffix.
-- Not PARALLEL SAFE: is_valid_timezone catches an error (a subtransaction, refused in
-- parallel mode). The CLI turns German (31.12.2025) and US dates into this form first. import_timestamp
-- calls it for everything but the common, always-valid form.
CREATE OR REPLACE FUNCTION salesflow.parse_iso_timestamp(p_value text, p_timezone text)
RETURNS timestamptz
LANGUAGE plpgsql
IMMUTABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    m text [] := regexp_match(
        btrim(p_value),
        '^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,6})?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$'
    );
    v_day date;
BEGIN
    IF m IS NULL OR m[2]::int NOT BETWEEN 1 AND 12 OR m[3]::int < 1
       OR coalesce(m[4]::int, 0) > 23 OR coalesce(m[5]::int, 0) > 59 OR coalesce(m[6]::int, 0) > 59 THEN
        RETURN NULL;
    END IF;
    v_day := make_date(m[1]::int, m[2]::int, 1);
    IF m[3]::int > extract(DAY FROM v_day + interval '1 month' - interval '1 day') THEN
        RETURN NULL;
    END IF;
    IF m[8] IS NOT NULL THEN
        RETURN btrim(p_value)::timestamptz;
    END IF;
    IF p_timezone IS NULL OR NOT salesflow.is_valid_timezone(p_timezone) THEN
        RETURN NULL;
    END IF;
    RETURN make_timestamp(m[1]::int, m[2]::int, m[3]::int, coalesce(m[4]::int, 0), coalesce(m[5]::int, 0),
                          coalesce(m[6]::int, 0) + coalesce(m[7]::numeric, 0)) AT TIME ZONE p_timezone;
END;
$$;
COMMENT ON FUNCTION salesflow.parse_iso_timestamp(text, text) IS
'Internal: parse an ISO 8601 date/time (local times in p_timezone); NULL when blank or invalid.';
