-- ============================================================================
-- record_stage_event: every change of leads.stage becomes a lead_stage_events row
-- ============================================================================
-- SECURITY DEFINER: reps change leads directly but may not write lead_stage_events (derived).
-- The reason comes from the transaction-local setting salesflow.stage_reason (set_lead_stage sets
-- and clears it); an empty or unset setting stores NULL.
CREATE OR REPLACE FUNCTION salesflow.record_stage_event()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    INSERT INTO salesflow.lead_stage_events (lead_id, user_id, from_stage, to_stage, changed_at, reason)
    VALUES (NEW.id, NEW.user_id, OLD.stage, NEW.stage, now(), nullif(btrim(current_setting('salesflow.stage_reason', true)), ''));
    IF NEW.stage IN ('won', 'lost') AND NEW.closed_at IS NULL THEN
        NEW.closed_at := now();
    ELSIF NEW.stage NOT IN ('won', 'lost') THEN
        NEW.closed_at := NULL;
    END IF;
    RETURN NEW;
END;
$$;
COMMENT ON FUNCTION salesflow.record_stage_event() IS
'Trigger: records the stage change in lead_stage_events and keeps leads.closed_at in step with won/lost.';

CREATE OR REPLACE TRIGGER leads_record_stage_event BEFORE UPDATE OF stage ON salesflow.leads
FOR EACH ROW WHEN (old.stage IS DISTINCT FROM new.stage)
EXECUTE FUNCTION salesflow.record_stage_event();
