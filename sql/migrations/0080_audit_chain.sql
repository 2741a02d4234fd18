-- ============================================================================
-- 0080 audit chain: compliance_logs becomes a hash chain (tamper-evident audit trail)
-- ============================================================================
-- Adds to compliance_logs:
--   lead_ref   compliance_lead_ref(lead_id): survives the lead's deletion (lead_id -> NULL)
--              without keeping anything that leads back to the person.
--   prev_hash  row_hash of the row before it in id order (64 zeros for the first row).
--   row_hash   compliance_log_row_hash(prev_hash, the row's non-personal fields).
-- and salesflow.audit_chain_head (owner-only): the last id, last hash and row count, locked
-- FOR UPDATE by log_ai_output_compliance while it appends, so appends are serialized and a
-- deleted tail is detectable. id becomes GENERATED ALWAYS so no one squats ids by accident.
--
-- The two hash functions live here, not in sql/functions/: their output is stored in every
-- row, so the canonical form is part of the data format and must be as frozen as a migration
-- (a re-runnable file could be edited and silently invalidate every stored hash). A new
-- format needs a new migration (and a marker other than 'salesflow-audit-v1').
--
-- Backfill: existing rows get lead_ref (NULL where the lead was already deleted) and the
-- chain, in id order. The append-only trigger (sql/triggers/compliance_logs_append_only.sql)
-- refuses these UPDATEs, so it is disabled for this transaction only; ALTER TABLE holds a
-- lock that keeps every other writer out until the migration commits with it enabled again.

-- compliance_lead_ref: stable, non-reversible reference to a lead ------------------------
CREATE OR REPLACE FUNCTION salesflow.compliance_lead_ref(p_lead_id uuid)
RETURNS text
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT encode(sha256(convert_to('salesflow-lead:' || p_lead_id::text, 'UTF8')), 'hex');
$$;
COMMENT ON FUNCTION salesflow.compliance_lead_ref(uuid) IS
'Internal (audit chain): hex sha256 of ''salesflow-lead:'' || lead id; NULL for NULL. Frozen: stored in compliance_logs.lead_ref.';

-- compliance_log_row_hash: the canonical row hash of the audit chain ---------------------
-- Canonical text (documented in the README, reproducible outside PostgreSQL): the jsonb text
-- of the array
--   ["salesflow-audit-v1", prev_hash, id, user_id, lead_ref, content_type, content_sha256,
--    language, violations, max_severity, decision, checker, model, created_at]
-- with NULL as null, user_id in lower-case 8-4-4-4-12 form, violations as stored (jsonb),
-- created_at in UTC as YYYY-MM-DDTHH:MI:SS.ffffffZ; row_hash = lower-case hex sha256 of its
-- UTF-8 bytes. The content itself is covered through content_sha256 (checked by
-- verify_audit_chain), so a log can be verified without reading the text.
CREATE OR REPLACE FUNCTION salesflow.compliance_log_row_hash(
    p_prev_hash text,
    p_id bigint,
    p_user_id uuid,
    p_lead_ref text,
    p_content_type text,
    p_content_sha256 text,
    p_language text,
    p_violations jsonb,
    p_max_severity text,
    p_decision text,
    p_checker text,
    p_model text,
    p_created_at timestamptz
)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        'salesflow-audit-v1', p_prev_hash, p_id, p_user_id, p_lead_ref, p_content_type, p_content_sha256,
        p_language, p_violations, p_max_severity, p_decision, p_checker, p_model,
        to_char(p_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    )::text, 'UTF8')), 'hex');
$$;
COMMENT ON FUNCTION salesflow.compliance_log_row_hash(text, bigint, uuid, text, text, text, text, jsonb, text, text, text, text, timestamptz) IS
'Internal (audit chain): sha256 of the canonical jsonb array (salesflow-audit-v1, prev_hash, id, user_id, lead_ref, content_type, '
'content_sha256, language, violations, max_severity, decision, checker, model, created_at UTC). Frozen: stored in row_hash.';

-- the chain columns and the head -------------------------------------------------------------
ALTER TABLE salesflow.compliance_logs
ADD COLUMN lead_ref text CHECK (lead_ref ~ '^[0-9a-f]{64}$'),
ADD COLUMN prev_hash text CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
ADD COLUMN row_hash text CHECK (row_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE salesflow.compliance_logs ALTER COLUMN id SET GENERATED ALWAYS;
COMMENT ON COLUMN salesflow.compliance_logs.lead_ref IS
'compliance_lead_ref(lead_id) at logging time; kept when the lead is deleted (lead_id becomes NULL).';
COMMENT ON COLUMN salesflow.compliance_logs.prev_hash IS 'row_hash of the previous row in id order (64 zeros for the first).';
COMMENT ON COLUMN salesflow.compliance_logs.row_hash IS
'compliance_log_row_hash(prev_hash, fields): a changed field, changed content or a missing row breaks the chain (verify_audit_chain).';
CREATE INDEX compliance_logs_lead_ref_idx ON salesflow.compliance_logs (lead_ref) WHERE lead_ref IS NOT NULL;

CREATE TABLE salesflow.audit_chain_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id bigint,
    last_hash text NOT NULL CHECK (last_hash ~ '^[0-9a-f]{64}$'),
    row_count bigint NOT NULL CHECK (row_count >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE salesflow.audit_chain_head IS
'Head of the compliance_logs hash chain (one row, owner only): last id, last row_hash, row count. '
'log_ai_output_compliance locks it FOR UPDATE to append; verify_audit_chain compares it with the table.';

-- backfill the existing rows in id order ---------------------------------------------------
DO $$
DECLARE
    v_prev text := repeat('0', 64);
    v_count bigint := 0;
    v_last bigint;
    v_ref text;
    v_hash text;
    r record;
BEGIN
    IF EXISTS (
        SELECT 1 FROM pg_trigger
        WHERE tgrelid = 'salesflow.compliance_logs'::regclass AND tgname = 'compliance_logs_append_only'
    ) THEN
        ALTER TABLE salesflow.compliance_logs DISABLE TRIGGER compliance_logs_append_only;
    END IF;
    FOR r IN SELECT * FROM salesflow.compliance_logs ORDER BY id LOOP
        v_ref := salesflow.compliance_lead_ref(r.lead_id);
        v_hash := salesflow.compliance_log_row_hash(
            v_prev, r.id, r.user_id, v_ref, r.content_type, r.content_sha256, r.language, r.violations,
            r.max_severity, r.decision, r.checker, r.model, r.created_at
        );
        UPDATE salesflow.compliance_logs SET lead_ref = v_ref, prev_hash = v_prev, row_hash = v_hash WHERE id = r.id;
        v_prev := v_hash;
        v_count := v_count + 1;
        v_last := r.id;
    END LOOP;
    INSERT INTO salesflow.audit_chain_head (last_id, last_hash, row_count) VALUES (v_last, v_prev, v_count);
    IF EXISTS (
        SELECT 1 FROM pg_trigger
        WHERE tgrelid = 'salesflow.compliance_logs'::regclass AND tgname = 'compliance_logs_append_only'
    ) THEN
        ALTER TABLE salesflow.compliance_logs ENABLE TRIGGER compliance_logs_append_only;
    END IF;
END;
$$;
