-- ============================================================================
-- import_slug: a CRM label as a salesflow vocabulary value ("Fitness & Health" -> fitness_health)
-- ============================================================================
-- Lower case, German umlauts spelled out, every run of other characters one underscore.
-- LANGUAGE sql without SET: inlined, so it costs nothing per row. NULL for blank input; the caller rejects results that still fail the column's pattern.
CREATE OR REPLACE FUNCTION salesflow.import_slug(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT nullif(btrim(regexp_replace(
        replace(replace(replace(replace(lower(btrim(p_value)), 'ä', 'ae'), 'ö', 'oe'), 'ü', 'ue'), 'ß', 'ss'),
        '[^a-z0-9]+', '_', 'g'
    ), '_'), '');
$$;
COMMENT ON FUNCTION salesflow.import_slug(text) IS
'Internal: normalise a CRM label to a lower-case slug (umlauts spelled out, separators as _); NULL when blank.';
