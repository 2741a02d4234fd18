-- ============================================================================
-- create_lead_engagement: every new lead gets its (empty) lead_engagement row
-- ============================================================================
-- STATEMENT-level with a transition table, so a COPY of many leads costs one INSERT ... SELECT.
-- SECURITY DEFINER: the counters are written by triggers only (reps may read them).

CREATE OR REPLACE FUNCTION salesflow.create_lead_engagement()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    INSERT INTO salesflow.lead_engagement (lead_id, user_id)
    SELECT n.id, n.user_id FROM new_leads AS n
    ORDER BY n.id
    ON CONFLICT (lead_id) DO NOTHING;
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.create_lead_engagement() IS
'Trigger (statement level): inserts an empty lead_engagement row for every new lead.';

CREATE OR REPLACE TRIGGER leads_create_engagement AFTER INSERT ON salesflow.leads
REFERENCING NEW TABLE AS new_leads
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.create_lead_engagement();
