-- ============================================================================
-- compliance_terms: the stems and adjacent stem pairs the compliance scorer weighs
-- ============================================================================
-- p_folded is compliance_fold(compliance_unmask(text)), as check_compliance matches rules on.
-- Stemmed by salesflow.compliance_de / compliance_en (snowball, no stop words dropped), so
-- "Gewichtsverlust", "abnehmen", "abgenommen" meet their stems and "kein Risiko" stays a pair.
-- A token with a digit becomes its magnitude: 'n' || number of digits || the letters ('5000' ->
-- 'n4', '40k' -> 'n2k', '5.000' -> 'n4'), so amounts generalise beyond the numbers seen.
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
                ELSE t.lexeme
            END AS term,
            p.pos
        FROM unnest(to_tsvector(
            CASE p_language WHEN 'en' THEN 'salesflow.compliance_en' ELSE 'salesflow.compliance_de' END::regconfig, p_folded
        )) AS t
        CROSS JOIN LATERAL unnest(t.positions) AS p (pos)
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
