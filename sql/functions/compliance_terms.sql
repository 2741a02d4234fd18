-- ============================================================================
-- compliance_terms: the stems and adjacent stem pairs the compliance scorer weighs
-- ============================================================================
-- p_folded is compliance_fold(compliance_unmask(text)), as check_compliance matches rules on.
-- Stemmed by salesflow.compliance_de / compliance_en (snowball, no stop words dropped), so
-- "Gewichtsverlust", "abnehmen", "abgenommen" meet their stems and "kein Risiko" stays a pair.
-- A token with a digit becomes its magnitude: 'n' || number of digits || the letters ('5000' ->
-- 'n4', '40k' -> 'n2k', '5.000' -> 'n4'), so amounts generalise beyond the numbers seen; so do
-- number words ('tausend', 'fünfstellig', 'five grand' -> n4, n5, n4). Dialect spellings (net,
-- isch, koa, Göd) become their standard German stems.
-- Distinct terms: every stem and every pair of neighbouring stems ('minus n1', 'n1 kilo').
CREATE OR REPLACE FUNCTION salesflow.compliance_terms(p_folded text, p_language text)
RETURNS text[]
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    WITH lex AS (
        SELECT
            CASE
                WHEN t.lexeme ~ '[0-9]' THEN
                    'n' || greatest(length(ltrim(regexp_replace(t.lexeme, '[^0-9]', '', 'g'), '0')), 1)
                    || regexp_replace(t.lexeme, '[0-9.,+-]', '', 'g')
                WHEN t.lexeme ~ '^[a-z]+taus$' THEN 'n4'  -- dreitausend, zehntausend (stemmed)
                ELSE coalesce(m.term, t.lexeme)
            END AS term,
            p.pos
        FROM unnest(to_tsvector(
            CASE p_language WHEN 'en' THEN 'salesflow.compliance_en' ELSE 'salesflow.compliance_de' END::regconfig, p_folded
        )) AS t
        CROSS JOIN LATERAL unnest(t.positions) AS p (pos)
        -- numbers in words as magnitudes, Austrian / Swiss / Bavarian spellings as standard German
        -- (stems, as the configurations produce them; '*' = either language)
        LEFT JOIN (
            VALUES
            ('*', 'hundert', 'n3'), ('*', 'hundr', 'n3'), ('*', 'tausend', 'n4'), ('*', 'thousand', 'n4'), ('en', 'grand', 'n4'),
            ('*', 'vierstell', 'n4'), ('*', 'four-figur', 'n4'), ('*', 'funfstell', 'n5'), ('*', 'five-figur', 'n5'),
            ('*', 'sechsstell', 'n6'), ('*', 'six-figur', 'n6'), ('*', 'million', 'n7'), ('*', 'milliard', 'n10'),
            ('en', 'billion', 'n10'),
            ('de', 'zwei', 'n1'), ('de', 'drei', 'n1'), ('de', 'vier', 'n1'), ('de', 'funf', 'n1'), ('de', 'sech', 'n1'),
            ('de', 'sieb', 'n1'), ('de', 'acht', 'n1'), ('de', 'neun', 'n1'), ('de', 'zehn', 'n2'), ('de', 'zwolf', 'n2'),
            ('de', 'zwanzig', 'n2'), ('de', 'dreissig', 'n2'), ('de', 'funfzig', 'n2'),
            ('en', 'two', 'n1'), ('en', 'three', 'n1'), ('en', 'four', 'n1'), ('en', 'five', 'n1'), ('en', 'six', 'n1'),
            ('en', 'seven', 'n1'), ('en', 'eight', 'n1'), ('en', 'nine', 'n1'), ('en', 'ten', 'n2'), ('en', 'twelv', 'n2'),
            ('en', 'twenti', 'n2'), ('en', 'thirti', 'n2'), ('en', 'fifti', 'n2'),
            ('de', 'net', 'nicht'), ('de', 'ned', 'nicht'), ('de', 'nod', 'nicht'), ('de', 'nit', 'nicht'), ('de', 'nix', 'nicht'),
            ('de', 'isch', 'ist'), ('de', 'koa', 'kein'), ('de', 'ka', 'kein'), ('de', 'god', 'geld'), ('de', 'stutz', 'geld'),
            ('de', 'bissl', 'bissch'), ('de', 'bisserl', 'bissch'), ('de', 'bissel', 'bissch'), ('de', 'gell', 'oder'),
            ('de', 'hesch', 'hast'), ('de', 'chasch', 'kannst'), ('de', 'chunsch', 'kommst'), ('de', 'gsi', 'gewes')
        ) AS m (language, stem, term) ON t.lexeme = m.stem AND m.language IN ('*', p_language)
    ),
    seq AS (
        SELECT lex.term, lead(lex.term) OVER (ORDER BY lex.pos) AS next_term FROM lex
    )
    SELECT coalesce(array_agg(DISTINCT u.term), '{}')
    FROM (
        SELECT seq.term FROM seq
        UNION ALL
        SELECT seq.term || ' ' || seq.next_term FROM seq WHERE seq.next_term IS NOT NULL
    ) AS u;
$$;
COMMENT ON FUNCTION salesflow.compliance_terms(text, text) IS
'Internal: distinct stems and adjacent stem pairs of a folded text (compliance scorer features), numbers as magnitudes.';
