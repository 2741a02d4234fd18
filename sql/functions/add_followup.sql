-- ============================================================================
-- add_followup: plan a follow-up for a lead the caller may see
-- ============================================================================
-- The follow-up belongs to the lead's owner (the composite foreign key keeps it so). Channel
-- default: phone (the table's). A due time in the past is allowed (catching up on a missed
-- contact: it is overdue at once). Refused on a restricted lead (GDPR Art. 18, 55000).
-- SECURITY DEFINER because the guards (lead_for_caller, require_identity, ...) are internal; the
-- visibility rule is lead_for_caller's, the same as RLS.
CREATE OR REPLACE FUNCTION salesflow.add_followup(
    p_lead_id uuid, p_due_at timestamptz, p_channel text DEFAULT NULL, p_note text DEFAULT NULL
)
RETURNS TABLE (followup_id bigint, lead_id uuid, status text, due_at timestamptz, channel text, note text, completed_at timestamptz)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_lead salesflow.leads := salesflow.lead_for_caller(p_lead_id);
BEGIN
    PERFORM salesflow.followup_due_check('p_due_at', p_due_at, false);
    IF p_channel IS NOT NULL
       AND p_channel NOT IN ('whatsapp', 'email', 'phone', 'instagram', 'linkedin', 'telegram', 'sms', 'in_person') THEN
        RAISE EXCEPTION 'p_channel must be a channel, got %', quote_literal(left(p_channel, 60))
            USING ERRCODE = '22023', HINT = 'One of whatsapp, email, phone, instagram, linkedin, telegram, sms, in_person (or NULL: phone).';
    END IF;
    IF p_note IS NOT NULL AND btrim(p_note) = '' THEN
        RAISE EXCEPTION 'p_note must not be blank' USING ERRCODE = '22023', HINT = 'Leave the note out (NULL) or say what to do.';
    END IF;
    PERFORM salesflow.check_text_length('p_note', p_note, 4000, 'Keep the note short: what to do, not the whole story.', false);
    PERFORM salesflow.require_lead_processable(v_lead, 'planning a follow-up');

    RETURN QUERY
    INSERT INTO salesflow.followups AS f (lead_id, user_id, due_at, channel, note)
    VALUES (v_lead.id, v_lead.user_id, p_due_at, coalesce(p_channel, 'phone'), btrim(p_note))
    RETURNING f.id, f.lead_id, f.status, f.due_at, f.channel, f.note, f.completed_at;
END;
$$;
COMMENT ON FUNCTION salesflow.add_followup(uuid, timestamptz, text, text) IS
'Plan a follow-up (lead, due time, channel default phone, note) for a lead the caller may see; returns the new follow-up row.';
