-- ============================================================================
-- assess_bant: DEAL-MEDIC — store a BANT assessment (0-10 per dimension)
-- ============================================================================
-- total_score (0-100) and traffic_light are generated columns; the BANT trigger adds a
-- recommendation for the weakest dimension (bant_<dimension>).
CREATE OR REPLACE FUNCTION salesflow.assess_bant(
    p_lead_id uuid,
    p_budget integer,
    p_authority integer,
    p_need integer,
    p_timeline integer,
    p_notes jsonb DEFAULT '{}',
    p_source text DEFAULT 'manual',
    p_model text DEFAULT NULL
)
RETURNS TABLE (assessment_id bigint, total_score numeric, traffic_light text, weakest text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_dim record;
BEGIN
    FOR v_dim IN
        SELECT * FROM (VALUES ('p_budget', p_budget), ('p_authority', p_authority),
                              ('p_need', p_need), ('p_timeline', p_timeline)) AS d (arg, val)
    LOOP
        IF v_dim.val IS NULL OR v_dim.val NOT BETWEEN 0 AND 10 THEN
            RAISE EXCEPTION '% must be between 0 and 10, got %', v_dim.arg, coalesce(v_dim.val::text, 'NULL')
                USING ERRCODE = '22023', HINT = 'Score each BANT dimension from 0 (unknown/none) to 10 (fully qualified).';
        END IF;
    END LOOP;
    PERFORM salesflow.check_jsonb('p_notes', p_notes, 'object', NULL, 'Pass notes per dimension, e.g. {"budget": "approved for Q3"}.');
    IF p_source IS NULL OR p_source NOT IN ('manual', 'ai', 'questionnaire') THEN
        RAISE EXCEPTION 'p_source must be manual, ai or questionnaire, got %', coalesce(quote_literal(p_source), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ''manual'' for your own judgement, ''ai'' for model output.';
    END IF;
    PERFORM salesflow.check_text_length('p_model', p_model, 200, 'Pass the model name, e.g. gpt-4o-mini, or NULL.');
    PERFORM salesflow.check_jsonb('p_notes', p_notes, NULL, 100000, 'Keep notes short: a sentence per dimension.');
    v_lead := salesflow.lead_for_caller(p_lead_id);
    PERFORM salesflow.require_lead_processable(v_lead, 'a BANT assessment');  -- GDPR Art. 18: 55000 when restricted

    RETURN QUERY
    INSERT INTO salesflow.bant_assessments AS b (
        lead_id, user_id, budget, authority, need, timeline, notes, source, model, assessed_by
    )
    VALUES (
        v_lead.id, v_lead.user_id, p_budget, p_authority, p_need, p_timeline, p_notes, p_source, p_model,
        salesflow.current_user_id()
    )
    RETURNING b.id, b.total_score::numeric, b.traffic_light,
        salesflow.bant_weakest(b.budget, b.authority, b.need, b.timeline);
END;
$$;
COMMENT ON FUNCTION salesflow.assess_bant(uuid, integer, integer, integer, integer, jsonb, text, text) IS
'DEAL-MEDIC: store a BANT assessment (lead, budget, authority, need, timeline 0-10, notes, source '
'manual/ai/questionnaire, model); returns id, total 0-100, traffic light, weakest dimension.';
