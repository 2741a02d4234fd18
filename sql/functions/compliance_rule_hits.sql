-- ============================================================================
-- compliance_rule_hits: the enabled compliance rules a text matches, with the words they matched
-- ============================================================================
-- p_match = compliance_fold(compliance_unmask(text)); the one rule matcher (check_compliance).
-- A rule hits when its pattern matches, unless its unless_pattern matches the text with the match
-- wrapped in ⟦ ⟧ (a context in which the words are harmless: negated, quoted, disclosed) at every
-- occurrence; matched = the first occurrence not excused.
-- The keyword pre-filter runs first, the regex only after it (CASE fixes the order); one regex per
-- rule (regexp_substr, not ~* plus regexp_match): PostgreSQL caches 32 compiled regexes per
-- session, and compiling a rule costs ~1.5 ms. Occurrences and the exception regex are looked at
-- for hits only (OFFSET 0 keeps the first match computed once).
-- No SET clause and LANGUAGE sql, so it is inlined into its callers (which pin search_path).
CREATE OR REPLACE FUNCTION salesflow.compliance_rule_hits(p_match text)
RETURNS TABLE (
    rule_key text,
    category text,
    severity text,
    explanation text,
    suggestion text,
    language text,
    matched text
)
LANGUAGE sql
STABLE
PARALLEL SAFE
AS $$
    SELECT c.rule_key, c.category, c.severity, c.explanation, c.suggestion, c.language, o.m
    FROM (
        SELECT
            r.rule_key,
            r.category,
            r.severity,
            r.explanation,
            r.suggestion,
            r.language,
            r.pattern,
            r.unless_pattern,
            CASE
                WHEN cardinality(r.keywords) = 0
                    OR EXISTS (SELECT 1 FROM unnest(r.keywords) AS k (stem) WHERE strpos(p_match, k.stem) > 0)
                    THEN regexp_substr(p_match, r.pattern, 1, 1, 'i')
            END AS m
        FROM salesflow.compliance_rules AS r
        WHERE r.enabled
        OFFSET 0
    ) AS c
    CROSS JOIN LATERAL (
        -- the first occurrence its unless_pattern does not excuse (the 2nd, 3rd ... only when the
        -- one before was excused: "you asked if it helps with diabetes - yes, it cures diabetes")
        SELECT c.m
        WHERE c.unless_pattern IS NULL
        UNION ALL
        (
            SELECT x.m
            FROM generate_series(1, regexp_count(p_match, c.pattern, 1, 'i')) AS n (i)
            CROSS JOIN LATERAL (
                SELECT
                    regexp_substr(p_match, c.pattern, 1, n.i, 'i') AS m,
                    regexp_instr(p_match, c.pattern, 1, n.i, 0, 'i') AS pos
            ) AS x
            WHERE c.unless_pattern IS NOT NULL
              AND overlay(p_match PLACING '⟦' || x.m || '⟧' FROM x.pos FOR length(x.m)) !~* c.unless_pattern
            ORDER BY n.i
            LIMIT 1
        )
    ) AS o
    WHERE c.m IS NOT NULL;
$$;
COMMENT ON FUNCTION salesflow.compliance_rule_hits(text) IS
'Internal: the enabled compliance rules a folded text matches, less those its unless_pattern excuses (rule, category, severity, texts, matched words).';
