-- ============================================================================
-- log_activity: record a call, message, meeting or note with a lead (outbound texts checked first)
-- ============================================================================
-- An outbound message (direction out, kind message) is a text sent to the lead, so:
--   1. consent rule: the lead must have consent (consent true, not withdrawn), else 55000 and
--      nothing is written (record it first: salesflow gdpr consent LEAD --given);
--   2. LIABILITY-SHIELD: check_compliance in the lead's language decides (compliance_verdict);
--      p_dry_run: only the verdict is returned (outcome 'checked'), nothing written;
--      blocked: the attempt is appended to compliance_logs (log_ai_output_compliance: a critical
--      log alerts the manager), the activity is NOT saved (outcome 'blocked');
--      flagged without p_confirm: nothing written (outcome 'needs_confirmation');
--      allowed, or flagged with p_confirm: logged and saved (outcome 'saved', log_id set).
-- Everything else (inbound, calls, meetings, notes) is saved as given (p_dry_run: 'checked').
-- The activity triggers then update lead_engagement, mark the lead's memory stale and count
-- channel metrics. occurred_at: default now(), at most one hour ahead, not before 2000.
-- Refused on a restricted lead (GDPR Art. 18, 55000).
CREATE OR REPLACE FUNCTION salesflow.log_activity(
    p_lead_id uuid,
    p_channel text,
    p_direction text,
    p_body text,
    p_kind text DEFAULT 'message',
    p_occurred_at timestamptz DEFAULT NULL,
    p_confirm boolean DEFAULT false,
    p_dry_run boolean DEFAULT false
)
RETURNS TABLE (
    activity_id bigint, lead_id uuid, outcome text, decision text, max_severity text, violations jsonb, log_id bigint
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_lead salesflow.leads := salesflow.lead_for_caller(p_lead_id);
    v_kind text := coalesce(p_kind, 'message');
    v_at timestamptz := coalesce(p_occurred_at, now());
    v_check record;
    v_decision text;
    v_severity text;
    v_violations jsonb;
    v_log_id bigint;
    v_id bigint;
BEGIN
    IF p_channel IS NULL
       OR p_channel NOT IN ('whatsapp', 'email', 'phone', 'instagram', 'linkedin', 'telegram', 'sms', 'in_person') THEN
        RAISE EXCEPTION 'p_channel must be a channel, got %', coalesce(quote_literal(left(p_channel, 60)), 'NULL')
            USING ERRCODE = '22023', HINT = 'One of whatsapp, email, phone, instagram, linkedin, telegram, sms, in_person.';
    END IF;
    IF p_direction IS NULL OR p_direction NOT IN ('in', 'out') THEN
        RAISE EXCEPTION 'p_direction must be in or out, got %', coalesce(quote_literal(left(p_direction, 60)), 'NULL')
            USING ERRCODE = '22023', HINT = 'in: from the lead; out: from you.';
    END IF;
    IF v_kind NOT IN ('message', 'call', 'meeting', 'note') THEN
        RAISE EXCEPTION 'p_kind must be message, call, meeting or note, got %', quote_literal(left(v_kind, 60))
            USING ERRCODE = '22023', HINT = 'Leave it out for a message.';
    END IF;
    IF p_body IS NULL OR btrim(p_body) = '' THEN
        RAISE EXCEPTION 'p_body must not be empty' USING ERRCODE = '22023', HINT = 'Pass the message text or what was said.';
    END IF;
    PERFORM salesflow.check_text_length('p_body', p_body, 100000, 'Log the message itself, not a whole document.', false);
    IF NOT isfinite(v_at) OR v_at < '2000-01-01 00:00:00+00' OR v_at > now() + interval '1 hour' THEN
        RAISE EXCEPTION 'p_occurred_at must be between 2000 and now, got %', v_at
            USING ERRCODE = '22023', HINT = 'When it happened (default: now); plan future contacts as follow-ups.';
    END IF;
    PERFORM salesflow.require_lead_processable(v_lead, 'logging an activity');

    IF p_direction = 'out' AND v_kind = 'message' THEN
        IF NOT v_lead.consent OR v_lead.consent_withdrawn_at IS NOT NULL THEN
            RAISE EXCEPTION 'lead % has no consent to be contacted: the outbound message is not logged', v_lead.id
                USING ERRCODE = '55000',
                      HINT = 'Record the consent first: salesflow gdpr consent LEAD --given --wording "..." (or log it as a note).';
        END IF;
        SELECT c.decision, c.max_severity, c.violations INTO v_check
        FROM salesflow.check_compliance(p_body, v_lead.language) AS c;
        IF coalesce(p_dry_run, false) THEN
            RETURN QUERY SELECT NULL::bigint, v_lead.id, 'checked', v_check.decision, v_check.max_severity, v_check.violations, NULL::bigint;
            RETURN;
        END IF;
        IF v_check.decision = 'flagged' AND NOT coalesce(p_confirm, false) THEN
            RETURN QUERY SELECT NULL::bigint, v_lead.id, 'needs_confirmation', v_check.decision, v_check.max_severity,
                                v_check.violations, NULL::bigint;
            RETURN;
        END IF;
        SELECT x.log_id, x.decision, x.max_severity, x.violations INTO v_log_id, v_decision, v_severity, v_violations
        FROM salesflow.log_ai_output_compliance(p_body, 'message', v_lead.id, v_lead.language, NULL, '[]'::jsonb, 'sql_rules', NULL) AS x;
        IF v_decision = 'blocked' OR (v_decision = 'flagged' AND NOT coalesce(p_confirm, false)) THEN
            RETURN QUERY SELECT NULL::bigint, v_lead.id, CASE v_decision WHEN 'blocked' THEN 'blocked' ELSE 'needs_confirmation' END,
                                v_decision, v_severity, v_violations, v_log_id;
            RETURN;
        END IF;
    ELSIF coalesce(p_dry_run, false) THEN
        RETURN QUERY SELECT NULL::bigint, v_lead.id, 'checked', NULL::text, NULL::text, NULL::jsonb, NULL::bigint;
        RETURN;
    END IF;

    INSERT INTO salesflow.lead_activities AS a (lead_id, user_id, channel, direction, kind, body, occurred_at)
    VALUES (v_lead.id, v_lead.user_id, p_channel, p_direction, v_kind, p_body, v_at)
    RETURNING a.id INTO v_id;
    RETURN QUERY SELECT v_id, v_lead.id, 'saved', v_decision, v_severity, v_violations, v_log_id;
END;
$$;
COMMENT ON FUNCTION salesflow.log_activity(uuid, text, text, text, text, timestamptz, boolean, boolean) IS
'Log an activity (lead, channel, direction in|out, body, kind, occurred_at, confirm, dry_run); outbound messages need consent '
'(else 55000) and pass the compliance check first (blocked: not saved; flagged: only with confirm); returns outcome and verdict.';
