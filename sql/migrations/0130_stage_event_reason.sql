-- ============================================================================
-- 0130 stage event reason: why a lead moved (e.g. why it was lost), kept with the stage event
-- ============================================================================
-- Written by the record_stage_event trigger from the transaction-local setting
-- salesflow.stage_reason (set by set_lead_stage, the `salesflow stage LEAD STAGE --reason` command);
-- NULL for stage changes without a reason (plain UPDATEs, imports).
ALTER TABLE salesflow.lead_stage_events
ADD COLUMN reason text CHECK (btrim(reason) <> '' AND length(reason) <= 4000);
COMMENT ON COLUMN salesflow.lead_stage_events.reason IS
'Why the stage changed (e.g. the lost reason), as given to set_lead_stage; NULL when none was given.';
