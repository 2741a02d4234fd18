-- ============================================================================
-- import_timestamp: an imported time as timestamptz (local times read in p_timezone); NULL if invalid
-- ============================================================================
-- The form the CLI writes (2025-12-31 14:05[:33], day 01-28: valid whatever the month) is
-- cast directly; everything else goes through parse_iso_timestamp, which checks each part.
-- LANGUAGE sql without SET: the planner inlines it, so a million rows cost no function calls
-- on the fast path. p_timezone must be valid (the callers check it first or take it from a lead).
-- requires: parse_iso_timestamp
CREATE OR REPLACE FUNCTION salesflow.import_timestamp(p_value text, p_timezone text)
RETURNS timestamptz
LANGUAGE sql
STABLE
AS $$
    SELECT CASE
        WHEN p_value ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8]) ([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$'
            THEN pg_catalog.timezone(p_timezone, p_value::timestamp)
        ELSE salesflow.parse_iso_timestamp(p_value, p_timezone)
    END;
$$;
COMMENT ON FUNCTION salesflow.import_timestamp(text, text) IS
'Internal: parse an imported ISO 8601 time (local times in p_timezone); NULL when blank or invalid.';
