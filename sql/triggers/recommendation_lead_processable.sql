-- ============================================================================
-- recommendation_lead_processable: no new recommendations for restricted / withdrawn-consent leads
-- ============================================================================
-- BEFORE INSERT on ai_recommendations (every path: create_ai_recommendation and the triggers for
-- BANT gaps, profiling and playbook steps): a row for a restricted lead (GDPR Art. 18) or a lead
-- that withdrew consent is dropped — only compliance alerts (for the manager about a rep's text,
-- not an outbound suggestion) are kept. The row is skipped silently (RETURN NULL):
-- the triggers that create recommendations must not fail the insert that fired them;
-- create_ai_recommendation refuses restricted leads itself with 55000 before it gets here.
CREATE OR REPLACE FUNCTION salesflow.recommendation_lead_processable()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
BEGIN
    SELECT l.* INTO v_lead FROM salesflow.leads AS l WHERE l.id = NEW.lead_id;
    IF NOT FOUND THEN
        RETURN NEW;  -- the foreign key answers
    END IF;
    -- contactable = processable and consent not withdrawn
    IF NOT salesflow.lead_is_contactable(v_lead) AND NEW.rec_type <> 'compliance_alert' THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION salesflow.recommendation_lead_processable() IS
'Trigger (row, BEFORE INSERT on ai_recommendations): drops recommendations (except compliance alerts) for restricted '
'leads and leads that withdrew consent.';

CREATE OR REPLACE TRIGGER ai_recommendations_lead_processable BEFORE INSERT ON salesflow.ai_recommendations
FOR EACH ROW EXECUTE FUNCTION salesflow.recommendation_lead_processable();
