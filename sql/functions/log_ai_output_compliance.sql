-- ============================================================================
-- log_ai_output_compliance: check an AI text, store the audit row, return the verdict
-- ============================================================================
-- Runs check_compliance, adds the consent rule (outbound content for a lead with consent =
-- false -> 'no_consent', high), merges violations from an optional LLM pass
-- (p_extra_violations: [{category, severity, rule_key?, matched?, explanation?, suggestion?}]),
-- decides over all of them with compliance_verdict (the stricter of rules and LLM wins here and
-- nowhere else) and appends one compliance_logs row (the alert trigger notifies on high/critical).
-- Identity: with salesflow.current_user_id() set the log belongs to the caller (the lead must
-- be visible, else P0002; p_user_id must be NULL or the caller, else 42501); without it (CLI,
-- cron) to p_user_id, else to the lead's owner; neither -> 22023. Language: p_language, else
-- the lead's, else the user's.
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
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_caller uuid := salesflow.current_user_id();
    v_lead salesflow.leads;
    v_user uuid;
    v_user_language text;
    v_language text;
    v_check record;
    v_violations jsonb;
    v_extra jsonb := '[]'::jsonb;
    v_item jsonb;
    v_verdict record;
    v_id bigint;
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
    IF p_language IS NOT NULL AND p_language NOT IN ('de', 'en') THEN
        RAISE EXCEPTION 'p_language must be de, en or NULL, got %', quote_literal(p_language)
            USING ERRCODE = '22023', HINT = 'Pass NULL to use the lead''s (else the user''s) language.';
    END IF;
    IF p_checker IS NULL OR p_checker !~ '^[a-z][a-z0-9_+]{1,39}$' THEN
        RAISE EXCEPTION 'p_checker must be a lower-case key such as sql_rules or sql_rules+llm, got %', coalesce(quote_literal(p_checker), 'NULL')
            USING ERRCODE = '22023', HINT = 'Name what checked the text: sql_rules, or sql_rules+llm with an LLM pass.';
    END IF;
    IF p_extra_violations IS NULL OR jsonb_typeof(p_extra_violations) <> 'array' THEN
        RAISE EXCEPTION 'p_extra_violations must be a JSON array, got %', coalesce(jsonb_typeof(p_extra_violations), 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass [] or [{"category": "...", "severity": "low|medium|high|critical", ...}].';
    END IF;
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

    -- who: the caller, else the explicit user, else the lead's owner
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
            USING ERRCODE = '22023', HINT = 'Pass p_user_id or p_lead_id (or set salesflow.user_id).';
    END IF;
    SELECT u.language INTO v_user_language FROM salesflow.users AS u WHERE u.id = v_user;
    IF NOT FOUND AND v_caller IS NULL THEN
        RAISE EXCEPTION 'user % (p_user_id) not found', v_user
            USING ERRCODE = 'P0002', HINT = 'Pass the id of a row in salesflow.users.';
    END IF;
    v_language := coalesce(p_language, v_lead.language, v_user_language, 'de');

    SELECT c.* INTO v_check FROM salesflow.check_compliance(p_content, v_language) AS c;
    v_violations := v_check.violations;

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

    INSERT INTO salesflow.compliance_logs AS l (
        user_id, lead_id, content_type, content, content_sha256, language, violations, max_severity, decision, checker, model
    )
    VALUES (
        v_user, v_lead.id, p_content_type, p_content,
        encode(sha256(convert_to(p_content, 'UTF8')), 'hex'),
        v_language, v_violations,
        v_verdict.max_severity, v_verdict.decision,
        p_checker, p_model
    )
    RETURNING l.id INTO v_id;

    RETURN QUERY
    SELECT l.id, l.decision, l.max_severity, l.violations FROM salesflow.compliance_logs AS l WHERE l.id = v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.log_ai_output_compliance(text, text, uuid, text, text, jsonb, text, uuid) IS
'LIABILITY-SHIELD: check an AI text (content, type, lead, language, model, extra violations, checker, user) and log it; returns the verdict.';
SELECT salesflow.grant_to(
    'EXECUTE ON FUNCTION salesflow.log_ai_output_compliance(text, text, uuid, text, text, jsonb, text, uuid)',
    'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
);
