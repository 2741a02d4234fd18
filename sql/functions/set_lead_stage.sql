-- ============================================================================
-- set_lead_stage: move a lead to another stage (with an optional reason and deal value)
-- ============================================================================
-- The UPDATE fires record_stage_event: a lead_stage_events row (with p_reason, passed through
-- the transaction-local setting salesflow.stage_reason) and closed_at set for won/lost,
-- cleared when a closed lead is reopened. p_deal_value (optional) is stored with the move (the
-- value of a won deal). The same stage again -> 55000 (nothing to record); restricted -> 55000.
CREATE OR REPLACE FUNCTION salesflow.set_lead_stage(
    p_lead_id uuid, p_stage text, p_reason text DEFAULT NULL, p_deal_value numeric DEFAULT NULL
)
RETURNS TABLE (
    lead_id uuid, from_stage text, to_stage text, closed_at timestamptz, deal_value numeric, stage_event_id bigint,
    reason text
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_lead salesflow.leads := salesflow.lead_for_caller(p_lead_id);
    v_new salesflow.leads;
BEGIN
    IF p_stage IS NULL OR p_stage NOT IN ('new', 'contacted', 'replied', 'meeting', 'proposal', 'won', 'lost') THEN
        RAISE EXCEPTION 'p_stage must be a stage, got %', coalesce(quote_literal(left(p_stage, 60)), 'NULL')
            USING ERRCODE = '22023', HINT = 'One of new, contacted, replied, meeting, proposal, won, lost.';
    END IF;
    IF p_reason IS NOT NULL AND btrim(p_reason) = '' THEN
        RAISE EXCEPTION 'p_reason must not be blank' USING ERRCODE = '22023', HINT = 'Leave the reason out (NULL) or say why.';
    END IF;
    PERFORM salesflow.check_text_length('p_reason', p_reason, 4000, 'Keep the reason short, e.g. ''zu teuer''.', false);
    IF p_deal_value IS NOT NULL AND (p_deal_value = 'NaN' OR p_deal_value < 0 OR p_deal_value >= 10000000000) THEN
        RAISE EXCEPTION 'p_deal_value must be between 0 and 9,999,999,999.99, got %', p_deal_value
            USING ERRCODE = '22023', HINT = 'The deal value in the lead''s currency, e.g. 1500.';
    END IF;
    PERFORM salesflow.require_lead_processable(v_lead, 'changing the stage');
    PERFORM 1 FROM salesflow.leads AS l WHERE l.id = v_lead.id FOR UPDATE;
    SELECT l.* INTO v_lead FROM salesflow.leads AS l WHERE l.id = v_lead.id;
    IF v_lead.stage = p_stage THEN
        RAISE EXCEPTION 'lead % is already in stage %', v_lead.id, p_stage
            USING ERRCODE = '55000', HINT = 'Pass another stage (salesflow lead LEAD shows the current one).';
    END IF;

    PERFORM set_config('salesflow.stage_reason', coalesce(btrim(p_reason), ''), true);
    UPDATE salesflow.leads AS l
    SET stage = p_stage, deal_value = coalesce(p_deal_value, l.deal_value)
    WHERE l.id = v_lead.id
    RETURNING l.* INTO v_new;
    PERFORM set_config('salesflow.stage_reason', '', true);

    RETURN QUERY
    SELECT v_new.id, v_lead.stage, v_new.stage, v_new.closed_at, v_new.deal_value, e.id, e.reason
    FROM salesflow.lead_stage_events AS e
    WHERE e.lead_id = v_new.id
    ORDER BY e.id DESC
    LIMIT 1;
END;
$$;
COMMENT ON FUNCTION salesflow.set_lead_stage(uuid, text, text, numeric) IS
'Move a lead to a stage (lead, stage, optional reason kept in the stage event, optional deal value); won/lost set closed_at; '
'55000 when already there; returns from/to stage, closed_at, deal value and the stage event.';
