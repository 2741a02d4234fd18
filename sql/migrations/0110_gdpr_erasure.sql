-- ============================================================================
-- 0110 gdpr erasure: the request log, the per-database secret and erasable audit rows
-- ============================================================================
-- gdpr_log          one row per access export (lead id kept: it is the answer to "who read my
--                   data") and per erasure (no personal data: the keyed reference, counts, who).
-- gdpr_secret       one random secret per database (owner only): gdpr_lead_ref(lead id) =
--                   sha256(secret || lead id). Restored with a backup, so salesflow gdpr reapply
--                   finds the erased leads again; without the secret the reference leads nowhere.
-- gdpr_erasure_in_progress  the marker gdpr_erase writes (and removes) in its own transaction:
--                   the append-only trigger of compliance_logs lets the erasure UPDATE through
--                   only while it exists (owner only; no sales role can write it).
-- compliance_logs.erased_at / erasure_seal: an erased row keeps category, severity, decision,
--                   checker, content type, model, user and timestamps, loses text, snippets and
--                   the lead's identifiers; its row_hash stays (the chain and earlier anchors stay
--                   valid) and the seal covers what is left (verify_audit_chain checks it).

CREATE TABLE salesflow.gdpr_secret (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    secret bytea NOT NULL CHECK (length(secret) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE salesflow.gdpr_secret IS
'Owner only: the per-database secret of gdpr_lead_ref (keyed sha256 of a lead id); never granted, never exported.';
INSERT INTO salesflow.gdpr_secret (secret)
VALUES (decode(replace(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));

CREATE TABLE salesflow.gdpr_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
    action text NOT NULL CHECK (action IN ('export', 'erase', 'reapply')),
    -- exports only (the access log is part of the person's data); an erasure nulls it
    lead_id uuid,
    -- erasures: gdpr_lead_ref(lead id), matched again by gdpr_reapply after a restore
    lead_ref text CHECK (lead_ref ~ '^[0-9a-f]{64}$'),
    actor_id uuid REFERENCES salesflow.users (id) ON DELETE SET NULL,
    actor_role text,
    db_role name NOT NULL DEFAULT session_user,
    reason text CHECK (length(reason) <= 500),
    override_retention boolean NOT NULL DEFAULT false,
    counts jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(counts) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (action = 'export' OR lead_id IS NULL),
    CHECK (action <> 'erase' OR lead_ref IS NOT NULL)
);
COMMENT ON TABLE salesflow.gdpr_log IS
'DSGVO requests: export (lead_id, who, when, row counts) and erase/reapply (keyed lead_ref, who, when, reason, '
'categories and row counts; no personal data of the erased person). Owner only; written by gdpr_export/gdpr_erase.';
CREATE INDEX gdpr_log_lead_idx ON salesflow.gdpr_log (lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX gdpr_log_ref_idx ON salesflow.gdpr_log (lead_ref) WHERE lead_ref IS NOT NULL;

CREATE TABLE salesflow.gdpr_erasure_in_progress (
    txid xid8 PRIMARY KEY,
    started_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE salesflow.gdpr_erasure_in_progress IS
'Owner only: present while gdpr_erase runs in that transaction (written and removed by it); '
'the compliance_logs append-only trigger allows the redaction UPDATE only then.';

ALTER TABLE salesflow.compliance_logs
ADD COLUMN erased_at timestamptz,
ADD COLUMN erasure_seal text CHECK (erasure_seal ~ '^[0-9a-f]{64}$'),
ADD CONSTRAINT compliance_logs_erasure_check CHECK ((erased_at IS NULL) = (erasure_seal IS NULL));
COMMENT ON COLUMN salesflow.compliance_logs.erased_at IS
'Set by gdpr_erase: text, snippets, lead_id and lead_ref were removed; row_hash is the original one.';
COMMENT ON COLUMN salesflow.compliance_logs.erasure_seal IS
'compliance_log_erasure_seal(row_hash, the kept fields, erased_at): verify_audit_chain checks it for erased rows.';

-- compliance_log_erasure_seal: frozen like the row hash (stored in every erased row) ---------
-- Canonical text: the jsonb text of ["salesflow-audit-erased-v1", row_hash, id, user_id,
-- lead_ref (NULL for the erased person's rows; kept for another lead's row that named them),
-- content_type, language, violations (redacted), max_severity, decision, checker, model,
-- created_at, erased_at] (timestamps in UTC as YYYY-MM-DDTHH:MI:SS.ffffffZ), lower-case hex sha256.
CREATE OR REPLACE FUNCTION salesflow.compliance_log_erasure_seal(
    p_row_hash text,
    p_id bigint,
    p_user_id uuid,
    p_lead_ref text,
    p_content_type text,
    p_language text,
    p_violations jsonb,
    p_max_severity text,
    p_decision text,
    p_checker text,
    p_model text,
    p_created_at timestamptz,
    p_erased_at timestamptz
)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT encode(sha256(convert_to(jsonb_build_array(
        'salesflow-audit-erased-v1', p_row_hash, p_id, p_user_id, p_lead_ref, p_content_type, p_language, p_violations,
        p_max_severity, p_decision, p_checker, p_model,
        to_char(p_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        to_char(p_erased_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
    )::text, 'UTF8')), 'hex');
$$;
COMMENT ON FUNCTION salesflow.compliance_log_erasure_seal(text, bigint, uuid, text, text, text, jsonb, text, text, text, text, timestamptz, timestamptz) IS
'Internal (audit chain): sha256 of the canonical array (salesflow-audit-erased-v1, row_hash, id, user_id, lead_ref, content_type, language, '
'redacted violations, max_severity, decision, checker, model, created_at, erased_at). Frozen: stored in erasure_seal.';
