-- ============================================================================
-- gdpr_phone_regex: a regular expression matching a phone number however it is written
-- ============================================================================
-- The stored number (E.164 after an import: +4915112345678) appears in texts as
-- "+49 151 1234-5678", "0049 151 ..." or nationally "0151 ...": digits with up to two of
-- space . / ( ) - between them, with +/00 and the country code, or 0 and the national number
-- (country codes of 1-3 digits are tried). NULL below 6 digits.
CREATE OR REPLACE FUNCTION salesflow.gdpr_phone_regex(p_phone text)
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH d AS (SELECT regexp_replace(coalesce(p_phone, ''), '[^0-9]', '', 'g') AS digits),
    alt AS (
        SELECT '(\+|00)?' || (SELECT string_agg(c, '[ ./()-]{0,2}') FROM regexp_split_to_table(d.digits, '') AS c) AS re
        FROM d
        UNION ALL
        SELECT '0' || (SELECT string_agg(c, '[ ./()-]{0,2}') FROM regexp_split_to_table(substr(d.digits, k + 1), '') AS c)
        FROM d CROSS JOIN generate_series(1, 3) AS k
        WHERE btrim(p_phone) LIKE '+%' OR btrim(p_phone) LIKE '00%'
    )
    SELECT '(?<![0-9])(' || string_agg(alt.re, '|') || ')(?![0-9])'
    FROM alt, d
    WHERE length(d.digits) >= 6;
$$;
COMMENT ON FUNCTION salesflow.gdpr_phone_regex(text) IS
'Internal: regex matching the phone number with separators, +/00 country code or national 0 prefix; NULL below 6 digits.';
