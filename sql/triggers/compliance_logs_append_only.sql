-- ============================================================================
-- compliance_logs_append_only: the audit trail refuses UPDATE, DELETE and TRUNCATE
-- ============================================================================
-- Fires for everyone, the table owner included. The one change let through is the foreign
-- key's own ON DELETE SET NULL: when a lead is deleted its logs stay, with lead_id = NULL
-- (only lead_id changes, and only when that lead no longer exists; lead_ref, which the hash
-- chain covers instead of lead_id, stays). Uninstall still works with DROP SCHEMA salesflow
-- CASCADE. Migration 0080 disables this trigger inside its own transaction to backfill the
-- chain columns of existing rows. The owner or a superuser can still bypass it (ALTER TABLE
-- ... DISABLE TRIGGER, session_replication_role = replica): the hash chain makes that visible
-- (salesflow.verify_audit_chain).
-- The second change let through is the DSGVO erasure (salesflow.gdpr_erase, admin only): only
-- while that function's marker row exists for the current transaction (gdpr_erasure_in_progress,
-- owner only), only once per row, and only exactly the redaction: content '' (and its sha256),
-- lead_id and lead_ref NULL (or unchanged: another lead's row that named the person), violations reduced by compliance_redact_violations, erased_at and the
-- matching erasure_seal set; every other field (row_hash included) unchanged.
CREATE OR REPLACE FUNCTION salesflow.compliance_logs_refuse_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND OLD.lead_id IS NOT NULL AND NEW.lead_id IS NULL
       AND (to_jsonb(NEW) - 'lead_id') = (to_jsonb(OLD) - 'lead_id')
       AND NOT EXISTS (SELECT 1 FROM salesflow.leads AS l WHERE l.id = OLD.lead_id) THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
       AND OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL
       AND EXISTS (SELECT 1 FROM salesflow.gdpr_erasure_in_progress AS e WHERE e.txid = pg_current_xact_id())
       AND NEW.content = '' AND NEW.content_sha256 = encode(sha256(''::bytea), 'hex')
       -- the erased person's identifiers go; another lead's row that only named them keeps its own
       AND (NEW.lead_id IS NULL OR NEW.lead_id = OLD.lead_id) AND (NEW.lead_ref IS NULL OR NEW.lead_ref = OLD.lead_ref)
       AND NEW.violations = salesflow.compliance_redact_violations(OLD.violations)
       AND NEW.erasure_seal = salesflow.compliance_log_erasure_seal(
           NEW.row_hash, NEW.id, NEW.user_id, NEW.lead_ref, NEW.content_type, NEW.language, NEW.violations, NEW.max_severity,
           NEW.decision, NEW.checker, NEW.model, NEW.created_at, NEW.erased_at
       )
       AND (to_jsonb(NEW) - ARRAY['content', 'content_sha256', 'lead_id', 'lead_ref', 'violations', 'erased_at', 'erasure_seal'])
       = (to_jsonb(OLD) - ARRAY['content', 'content_sha256', 'lead_id', 'lead_ref', 'violations', 'erased_at', 'erasure_seal']) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'compliance_logs is append-only: % refused', TG_OP
        USING ERRCODE = '42501',
              HINT = 'The LIABILITY-SHIELD audit trail cannot be changed or deleted; log a new check instead.';
END;
$$;
COMMENT ON FUNCTION salesflow.compliance_logs_refuse_change() IS
'Trigger: refuses UPDATE/DELETE/TRUNCATE on compliance_logs (append-only audit trail), except the ON DELETE SET NULL of a deleted lead '
'and the redaction done by gdpr_erase.';

CREATE OR REPLACE TRIGGER compliance_logs_append_only BEFORE UPDATE OR DELETE ON salesflow.compliance_logs
FOR EACH ROW EXECUTE FUNCTION salesflow.compliance_logs_refuse_change();
CREATE OR REPLACE TRIGGER compliance_logs_no_truncate BEFORE TRUNCATE ON salesflow.compliance_logs
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.compliance_logs_refuse_change();
