-- ============================================================================
-- check_compliance: LIABILITY-SHIELD rule check of a text (no log; see log_ai_output_compliance)
-- ============================================================================
-- Every enabled rule of BOTH languages is checked (mixed German/English messages are common);
-- explanation and suggestion are reported in p_language (the rule's counterpart
-- <stem>_<p_language>, else a rule of the same category in p_language, else the rule's own).
-- Matching runs on compliance_fold(compliance_unmask(p_text)) (look-alike letters, fullwidth
-- forms, combining marks and spaced letters undone) and each match is mapped back to the
-- original wording (for a disguised text: the words as read, they are not in the original);
-- the same words found by a German and an English rule of one category are reported
-- once (the rule in p_language preferred). Decision and max_severity come from compliance_verdict
-- (the one severity -> decision rule, shared with log_ai_output_compliance).
-- Beside the rules the statistical scorer (compliance_score) weighs the text; above its
-- threshold it adds a finding (rule_key 'scorer', severity high, with confidence and top_terms)
-- unless a rule already reported that category. Rules match through compliance_rule_hits (which
-- also withdraws a hit in a context its rule excuses: unless_pattern).
-- requires: compliance_verdict, compliance_unmask, compliance_score, compliance_rule_hits
CREATE OR REPLACE FUNCTION salesflow.check_compliance(p_text text, p_language text DEFAULT 'de')
RETURNS TABLE (decision text, max_severity text, violations jsonb)
LANGUAGE plpgsql
STABLE
PARALLEL SAFE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_folded text;
    v_match text;
    v_violations jsonb;
    c_headline constant text := 'MaxFragments=1, MaxWords=14, MinWords=5, StartSel=«, StopSel=»';
    v_score record;
    v_cfg regconfig;
    v_matched text;
    v_expl text;
    v_sugg text;
BEGIN
    IF p_text IS NULL OR btrim(p_text) = '' THEN
        RAISE EXCEPTION 'p_text must not be empty, got %', coalesce(quote_literal(p_text), 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass the text to check (a message, script or reply).';
    END IF;
    IF length(p_text) > 100000 THEN
        RAISE EXCEPTION 'p_text is too long: % characters (at most 100000)', length(p_text)
            USING ERRCODE = '22023', HINT = 'Check the text in parts.';
    END IF;
    IF p_language IS NULL OR p_language NOT IN ('de', 'en') THEN
        RAISE EXCEPTION 'p_language must be de or en, got %', coalesce(quote_literal(p_language), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ''de'' (German) or ''en'' (English); rules of both languages are always checked.';
    END IF;

    v_folded := salesflow.compliance_fold(p_text);
    v_match := salesflow.compliance_fold(salesflow.compliance_unmask(p_text));

    WITH hits AS (
        SELECT h.rule_key, h.category, h.severity, h.explanation, h.suggestion, h.language, h.matched AS m
        FROM salesflow.compliance_rule_hits(v_match) AS h
    ),

    located AS (
        SELECT
            h.*,
            salesflow.compliance_severity_rank(h.severity) AS rank,
            CASE
                WHEN strpos(v_folded, h.m) > 0 THEN salesflow.compliance_original_span(p_text, strpos(v_folded, h.m), length(h.m))
                ELSE h.m
            END AS matched,
            CASE WHEN h.language <> p_language THEN coalesce(
                (
                    SELECT jsonb_build_array(t.explanation, t.suggestion)
                    FROM salesflow.compliance_rules AS t
                    WHERE t.rule_key = regexp_replace(h.rule_key, '_(de|en)$', '_' || p_language) AND t.language = p_language
                ),
                (
                    SELECT jsonb_build_array(t.explanation, t.suggestion)
                    FROM salesflow.compliance_rules AS t
                    WHERE t.category = h.category AND t.language = p_language
                    ORDER BY t.severity = h.severity DESC, t.is_builtin DESC, t.rule_key
                    LIMIT 1
                )
            ) END AS translated
        FROM hits AS h
    ),

    -- the German and the English rule of a category may find the same words: report them once
    distinct_hits AS (
        SELECT DISTINCT ON (l.category, lower(l.matched)) l.*
        FROM located AS l
        ORDER BY l.category, lower(l.matched), l.language = p_language DESC, l.rank DESC, l.rule_key
    )

    SELECT
        coalesce(jsonb_agg(
            jsonb_build_object(
                'rule_key', l.rule_key,
                'category', l.category,
                'severity', l.severity,
                'matched', l.matched,
                'explanation', CASE WHEN l.language = p_language THEN l.explanation ELSE coalesce(l.translated ->> 0, l.explanation) END,
                'suggestion', CASE WHEN l.language = p_language THEN l.suggestion ELSE coalesce(l.translated ->> 1, l.suggestion) END
            )
            ORDER BY l.rank DESC, l.category, l.rule_key
        ), '[]'::jsonb)
    INTO v_violations
    FROM distinct_hits AS l;

    -- the statistical scorer beside the rules: a finding of its own (severity high: a person
    -- reviews it) when it is confident enough and no rule already named that category
    SELECT sc.* INTO v_score FROM salesflow.compliance_score(v_match, p_language) AS sc;
    IF v_score.confidence > v_score.threshold
        AND NOT v_violations @> jsonb_build_array(jsonb_build_object('category', v_score.category)) THEN
        -- the weighty words in context, marked «so»: in the original wording where the stems
        -- are found there, else as read (a disguised text)
        IF v_score.query IS NOT NULL THEN
            v_cfg := CASE p_language WHEN 'en' THEN 'salesflow.compliance_en' ELSE 'salesflow.compliance_de' END;
            v_matched := ts_headline(v_cfg, p_text, v_score.query, c_headline);
            IF strpos(v_matched, '«') = 0 THEN
                v_matched := ts_headline(v_cfg, v_match, v_score.query, c_headline);
            END IF;
        END IF;
        SELECT r.explanation, r.suggestion INTO v_expl, v_sugg
        FROM salesflow.compliance_rules AS r
        WHERE r.category = v_score.category
        ORDER BY r.language = p_language DESC, r.is_builtin DESC, r.rule_key
        LIMIT 1;
        v_violations := v_violations || jsonb_build_array(jsonb_build_object(
            'rule_key', 'scorer',
            'category', v_score.category,
            'severity', 'high',
            'matched', v_matched,
            'explanation', format(
                CASE p_language WHEN 'de' THEN 'Statistische Prüfung (Konfidenz %s %%): %s' ELSE 'Statistical check (confidence %s %%): %s' END,
                round((v_score.confidence * 100)::numeric), coalesce(v_expl, v_score.category)
            ),
            'suggestion', v_sugg,
            'confidence', round(v_score.confidence::numeric, 3),
            'top_terms', v_score.top_terms
        ));
    END IF;

    SELECT v.decision, v.max_severity INTO decision, max_severity FROM salesflow.compliance_verdict(v_violations) AS v;
    violations := v_violations;
    RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION salesflow.check_compliance(text, text) IS
'LIABILITY-SHIELD check, no log (text, explanation language de|en): decision allowed|flagged|blocked, max_severity, violations.';
