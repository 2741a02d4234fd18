-- ============================================================================
-- record_personality_profile: NEURO-PROFILER — store a DISG profile for a lead
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.record_personality_profile(
    p_lead_id uuid,
    p_d integer,
    p_i integer,
    p_s integer,
    p_g integer,
    p_source text DEFAULT 'manual',
    p_confidence numeric DEFAULT 0.5,
    p_evidence jsonb DEFAULT '[]',
    p_model text DEFAULT NULL
)
RETURNS TABLE (profile_id bigint, primary_type text, secondary_type text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_dim record;
BEGIN
    FOR v_dim IN
        SELECT * FROM (VALUES ('p_d', p_d), ('p_i', p_i), ('p_s', p_s), ('p_g', p_g)) AS d (arg, val)
    LOOP
        IF v_dim.val IS NULL OR v_dim.val NOT BETWEEN 0 AND 100 THEN
            RAISE EXCEPTION '% must be between 0 and 100, got %', v_dim.arg, coalesce(v_dim.val::text, 'NULL')
                USING ERRCODE = '22023', HINT = 'DISG scores are 0-100 per type (D, I, S, G).';
        END IF;
    END LOOP;
    IF p_source IS NULL OR p_source NOT IN ('questionnaire', 'ai', 'heuristic', 'manual') THEN
        RAISE EXCEPTION 'p_source must be questionnaire, ai, heuristic or manual, got %', coalesce(quote_literal(p_source), 'NULL')
            USING ERRCODE = '22023', HINT = 'The source decides the weight in get_lead_disg (questionnaire 1.0 ... heuristic 0.4).';
    END IF;
    IF p_confidence IS NULL OR p_confidence NOT BETWEEN 0 AND 1 THEN
        RAISE EXCEPTION 'p_confidence must be between 0 and 1, got %', coalesce(p_confidence::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass a confidence such as 0.7.';
    END IF;
    PERFORM salesflow.check_jsonb('p_evidence', p_evidence, 'array', NULL, 'Pass a list of observations, e.g. ["asks for numbers"].');
    PERFORM salesflow.check_text_length('p_model', p_model, 200, 'Pass the model name, e.g. gpt-4o-mini, or NULL.');
    PERFORM salesflow.check_jsonb('p_evidence', p_evidence, NULL, 100000, 'List a few short observations.');
    v_lead := salesflow.lead_for_caller(p_lead_id);
    PERFORM salesflow.require_lead_processable(v_lead, 'personality profiling');  -- GDPR Art. 18: 55000 when restricted

    RETURN QUERY
    INSERT INTO salesflow.personality_profiles AS p (
        lead_id, user_id, d_score, i_score, s_score, g_score, confidence, source, evidence, model
    )
    VALUES (v_lead.id, v_lead.user_id, p_d, p_i, p_s, p_g, round(p_confidence, 2), p_source, p_evidence, p_model)
    RETURNING p.id, p.primary_type::text, p.secondary_type::text;
END;
$$;
COMMENT ON FUNCTION salesflow.record_personality_profile(uuid, integer, integer, integer, integer, text, numeric, jsonb, text) IS
'NEURO-PROFILER: store a DISG profile (lead, d, i, s, g 0-100, source questionnaire/ai/heuristic/manual, '
'confidence 0-1, evidence array, model); returns id, primary and secondary type.';
