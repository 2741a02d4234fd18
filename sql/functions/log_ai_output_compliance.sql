-- ============================================================================
-- log_ai_output_compliance: check an AI text, append the audit row, return the verdict
-- ============================================================================
-- Runs check_compliance, adds the consent rule (outbound content for a lead with consent =
-- false -> 'no_consent', high), merges the findings of an optional LLM pass
-- (p_extra_violations: [{category, severity, rule_key?, matched?, explanation?, suggestion?}])
-- and decides over all of them with compliance_verdict, so the stricter of rules and LLM wins
-- here and nowhere else. Appends one compliance_logs row as the next link of the hash chain
-- (migration 0080): audit_chain_head is locked FOR UPDATE, so appends are serialized.
-- SECURITY DEFINER: the only writer of compliance_logs; callers need no table privileges.
-- Identity (require_identity): a sales caller logs as themselves only (p_user_id NULL or the
-- caller, else 42501) and the lead must be visible (lead_for_caller, else P0002); the trusted
-- owner (CLI, cron) logs for p_user_id, else the lead's owner; neither -> 22023. Language:
-- p_language, else the lead's, else the user's.
-- requires: compliance_verdict
CREATE OR REPLACE FUNCTION salesflow.log_ai_output_compliance(
    p_content text,
    p_content_type text,
    p_lead_id uuid DEFAULT NULL,
    p_language text DEFAULT NULL,
    p_model text DEFAULT NULL,
    p_extra_violations jsonb DEFAULT '[]',
    p_checker text DEFAULT 'sql_rules',
    p_user_id uuid DEFAULT NULL
)
RETURNS TABLE (log_id bigint, decision text, max_severity text, violations jsonb)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_caller uuid := salesflow.require_identity();
    v_lead salesflow.leads;
    v_user uuid;
    v_user_language text;
    v_language text;
    v_violations jsonb;
    v_extra jsonb := '[]'::jsonb;
    v_item jsonb;
    v_verdict record;
    v_head salesflow.audit_chain_head;
    v_row salesflow.compliance_logs;
BEGIN
    IF p_content IS NULL OR btrim(p_content) = '' THEN
        RAISE EXCEPTION 'p_content must not be empty, got %', coalesce(quote_literal(p_content), 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass the AI text that is about to be shown or sent.';
    END IF;
    IF p_content_type IS NULL OR p_content_type !~ '^[a-z][a-z0-9_]{1,39}$' THEN
        RAISE EXCEPTION 'p_content_type must be a lower-case key of 2-40 characters, got %', coalesce(quote_literal(p_content_type), 'NULL')
            USING ERRCODE = '22023',
                  HINT = 'Use e.g. script, message, objection_reply, followup (outbound) or coach_answer, summary.';
    END IF;
    IF p_model IS NOT NULL AND (btrim(p_model) = '' OR length(p_model) > 200) THEN
        RAISE EXCEPTION 'p_model must be 1-200 characters or NULL, got % characters', length(p_model)
            USING ERRCODE = '22023', HINT = 'Pass the model name as the LLM API reports it, e.g. gpt-4o-mini.';
    END IF;
    IF p_language IS NOT NULL AND p_language NOT IN ('de', 'en') THEN
        RAISE EXCEPTION 'p_language must be de, en or NULL, got %', quote_literal(p_language)
            USING ERRCODE = '22023', HINT = 'Pass NULL to use the lead''s (else the user''s) language.';
    END IF;
    IF p_checker IS NULL OR p_checker !~ '^[a-z][a-z0-9_+]{1,39}$' THEN
        RAISE EXCEPTION 'p_checker must be a lower-case key such as sql_rules or sql_rules+llm, got %', coalesce(quote_literal(p_checker), 'NULL')
            USING ERRCODE = '22023', HINT = 'Name what checked the text: sql_rules, or sql_rules+llm with an LLM pass.';
    END IF;
    PERFORM salesflow.check_jsonb('p_extra_violations', p_extra_violations, 'array', NULL, 'Pass [] or [{"category": "...", "severity": "low|medium|high|critical", ...}].');
    FOR v_item IN SELECT e.value FROM jsonb_array_elements(p_extra_violations) AS e (value) LOOP
        IF jsonb_typeof(v_item) <> 'object'
           OR coalesce(v_item ->> 'category', '') !~ '^[a-z][a-z0-9_]{1,39}$'
           OR coalesce(v_item ->> 'severity', '') NOT IN ('low', 'medium', 'high', 'critical') THEN
            RAISE EXCEPTION 'p_extra_violations: each item needs a category key and a severity low|medium|high|critical, got %', left(v_item::text, 200)
                USING ERRCODE = '22023', HINT = 'Example: {"category": "income_claim", "severity": "high", "matched": "...", "explanation": "..."}.';
        END IF;
        v_extra := v_extra || jsonb_build_array(jsonb_build_object(
            'rule_key', coalesce(nullif(v_item ->> 'rule_key', ''), 'llm_' || (v_item ->> 'category')),
            'category', v_item ->> 'category',
            'severity', v_item ->> 'severity',
            'matched', v_item ->> 'matched',
            'explanation', v_item ->> 'explanation',
            'suggestion', v_item ->> 'suggestion'
        ));
    END LOOP;

    -- who: a sales caller is the log's user; the trusted owner names one or takes the lead's owner
    IF p_lead_id IS NOT NULL THEN
        v_lead := salesflow.lead_for_caller(p_lead_id);
    END IF;
    IF v_caller IS NOT NULL THEN
        IF p_user_id IS NOT NULL AND p_user_id <> v_caller THEN
            RAISE EXCEPTION 'p_user_id % is not the calling user %', p_user_id, v_caller
                USING ERRCODE = '42501', HINT = 'Leave p_user_id NULL: the log belongs to the calling user.';
        END IF;
        v_user := v_caller;
    ELSE
        v_user := coalesce(p_user_id, v_lead.user_id);
    END IF;
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'no user for the compliance log: p_user_id and p_lead_id are both NULL'
            USING ERRCODE = '22023', HINT = 'Pass p_user_id or p_lead_id (or act as a salesflow user).';
    END IF;
    SELECT u.language INTO v_user_language FROM salesflow.users AS u WHERE u.id = v_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'user % not found', v_user
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.users.';
    END IF;
    v_language := coalesce(p_language, v_lead.language, v_user_language, 'de');

    v_violations := (SELECT c.violations FROM salesflow.check_compliance(p_content, v_language) AS c);
    IF v_lead.id IS NOT NULL AND NOT v_lead.consent
       AND p_content_type IN ('script', 'message', 'objection_reply', 'followup') THEN
        v_violations := v_violations || jsonb_build_array(jsonb_build_object(
            'rule_key', 'lead_no_consent',
            'category', 'no_consent',
            'severity', 'high',
            'matched', NULL,
            'explanation', CASE v_language
                WHEN 'de' THEN 'Der Lead hat keine Einwilligung zur Kontaktaufnahme gegeben (consent = false); '
                    || 'ausgehende Nachrichten sind unzulässig (UWG §7, DSGVO Art. 6).'
                ELSE 'The lead has not consented to be contacted (consent = false); outbound messages are not allowed (ePrivacy, GDPR Art. 6).'
            END,
            'suggestion', CASE v_language
                WHEN 'de' THEN 'Erst die Einwilligung einholen und in salesflow.leads.consent vermerken, dann schreiben.'
                ELSE 'Obtain consent first and record it in salesflow.leads.consent, then write.'
            END
        ));
    END IF;
    v_violations := v_violations || v_extra;
    SELECT * INTO v_verdict FROM salesflow.compliance_verdict(v_violations);

    -- the next link of the chain; the head lock serializes appends until this transaction ends
    SELECT * INTO v_head FROM salesflow.audit_chain_head FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the audit chain head (salesflow.audit_chain_head) is missing'
            USING ERRCODE = '55000', HINT = 'Nothing was logged. Restore the head row (see salesflow audit verify) before logging again.';
    END IF;
    v_row.id := nextval(pg_get_serial_sequence('salesflow.compliance_logs', 'id'));
    v_row.user_id := v_user;
    v_row.lead_id := v_lead.id;
    v_row.lead_ref := salesflow.compliance_lead_ref(v_lead.id);
    v_row.content_type := p_content_type;
    v_row.content := p_content;
    v_row.content_sha256 := encode(sha256(convert_to(p_content, 'UTF8')), 'hex');
    v_row.language := v_language;
    v_row.violations := v_violations;
    v_row.max_severity := v_verdict.max_severity;
    v_row.decision := v_verdict.decision;
    v_row.checker := p_checker;
    v_row.model := p_model;
    v_row.created_at := now();
    v_row.prev_hash := v_head.last_hash;
    v_row.row_hash := salesflow.compliance_log_row_hash(
        v_row.prev_hash, v_row.id, v_row.user_id, v_row.lead_ref, v_row.content_type, v_row.content_sha256, v_row.language,
        v_row.violations, v_row.max_severity, v_row.decision, v_row.checker, v_row.model, v_row.created_at
    );
    INSERT INTO salesflow.compliance_logs (
        id, user_id, lead_id, lead_ref, content_type, content, content_sha256, language, violations, max_severity, decision,
        checker, model, created_at, prev_hash, row_hash
    ) OVERRIDING SYSTEM VALUE
    VALUES (
        v_row.id, v_row.user_id, v_row.lead_id, v_row.lead_ref, v_row.content_type, v_row.content, v_row.content_sha256,
        v_row.language, v_row.violations, v_row.max_severity, v_row.decision, v_row.checker, v_row.model, v_row.created_at,
        v_row.prev_hash, v_row.row_hash
    );
    UPDATE salesflow.audit_chain_head
    SET last_id = v_row.id, last_hash = v_row.row_hash, row_count = row_count + 1, updated_at = now();

    RETURN QUERY SELECT v_row.id, v_row.decision, v_row.max_severity, v_row.violations;
END;
$$;
COMMENT ON FUNCTION salesflow.log_ai_output_compliance(text, text, uuid, text, text, jsonb, text, uuid) IS
'LIABILITY-SHIELD: check an AI text (content, type, lead, language, model, extra LLM findings, checker, user), decide over rules and '
'findings (compliance_verdict) and append the hash-chained audit row; returns log id, decision, max severity, violations.';
