-- ============================================================================
-- compliance_fold: the normalised text the compliance rules are matched against
-- ============================================================================
-- Lower case; Ä/Ö/Ü/ẞ lowered explicitly (a C-locale lower() leaves them alone); ä->ae,
-- ö->oe, ü->ue, ß->ss so one pattern covers both spellings; typographic quotes, dashes and
-- spaces become ASCII; soft hyphens and zero-width characters (used to dodge filters) are
-- dropped. compliance_original_span maps a match back onto the original text.
CREATE OR REPLACE FUNCTION salesflow.compliance_fold(p_text text)
RETURNS text
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT replace(replace(replace(replace(
        lower(translate(
            p_text,
            U&'\00C4\00D6\00DC\1E9E\2019\2018\201A\2032\00B4\0060\201C\201D\201E\00AB\00BB\2013\2014\2011\2212\00A0\202F\2009\2007\00AD\200B\200C\200D\2060\FEFF',
            U&'\00E4\00F6\00FC\00DF''''''''''''"""""----    '
        )),
        U&'\00E4', 'ae'), U&'\00F6', 'oe'), U&'\00FC', 'ue'), U&'\00DF', 'ss');
$$;
COMMENT ON FUNCTION salesflow.compliance_fold(text) IS
'Internal: the folded text compliance rules match (lower case, umlauts as ae/oe/ue, ss, ASCII quotes/dashes/spaces, zero-width characters removed).';
