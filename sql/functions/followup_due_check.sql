-- ============================================================================
-- followup_due_check: the bounds of a follow-up time argument (22023)
-- ============================================================================
-- A due time must be finite and between 2000 and 2100 (the table's CHECK allows 1970-2100; an
-- earlier date is a typo, not a plan); p_future requires it after now() (snoozing).
CREATE OR REPLACE FUNCTION salesflow.followup_due_check(p_arg text, p_value timestamptz, p_future boolean)
RETURNS void
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF p_value IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', p_arg
            USING ERRCODE = '22023', HINT = 'Pass when, e.g. ''2026-12-03 10:00+01'' (the CLI also takes tomorrow 10:00, +2d).';
    END IF;
    IF NOT isfinite(p_value) OR p_value < '2000-01-01 00:00:00+00' OR p_value >= '2100-01-01 00:00:00+00' THEN
        RAISE EXCEPTION '% must be between 2000 and 2099, got %', p_arg, p_value
            USING ERRCODE = '22023', HINT = 'Pass a real date, e.g. tomorrow''s.';
    END IF;
    IF p_future AND p_value <= now() THEN
        RAISE EXCEPTION '% must be in the future, got % (now: %)', p_arg, p_value, now()
            USING ERRCODE = '22023', HINT = 'Snooze to a later time, e.g. +2d or tomorrow 10:00.';
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.followup_due_check(text, timestamptz, boolean) IS
'Internal: 22023 unless the time is finite, in 2000-2099 and (p_future) after now().';
