-- ============================================================================
-- create_ai_recommendation: insert or refresh the open recommendation of a type for a lead
-- ============================================================================
-- At most one open recommendation per (lead, rec_type) (partial unique index
-- ai_recommendations_one_open_idx). When one is open it is refreshed in place: title, reason,
-- action, priority, half-life, expiry, source and assignee take the new values and created_at
-- restarts at now(), because the situation was just detected again — the time decay
-- (base * 0.5^(age / half-life)) starts over from the new base priority. Feedback, status and
-- the id stay. Returns the id of the inserted or refreshed row.
CREATE OR REPLACE FUNCTION salesflow.create_ai_recommendation(
    p_lead_id uuid,
    p_rec_type text,
    p_title text,
    p_reason text DEFAULT NULL,
    p_action jsonb DEFAULT '{}',
    p_base_priority numeric DEFAULT 50,
    p_half_life_hours numeric DEFAULT 72,
    p_expires_at timestamptz DEFAULT NULL,
    p_source text DEFAULT 'system',
    p_assignee_id uuid DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_id bigint;
BEGIN
    IF p_rec_type IS NULL OR p_rec_type !~ '^[a-z][a-z0-9_]{1,39}$' THEN
        RAISE EXCEPTION 'p_rec_type must be a lower-case key of 2-40 characters (a-z, 0-9, _), got %', coalesce(quote_literal(p_rec_type), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use a type such as ''follow_up'', ''bant_budget'' or ''profile_lead''.';
    END IF;
    IF p_title IS NULL OR btrim(p_title) = '' OR length(p_title) > 200 THEN
        RAISE EXCEPTION 'p_title must be 1-200 characters, got %', coalesce(quote_literal(left(p_title, 40)), 'NULL')
            USING ERRCODE = '22023', HINT = 'Give the action a short title; put the explanation in p_reason.';
    END IF;
    PERFORM salesflow.check_jsonb('p_action', p_action, 'object', NULL, 'Describe the action as an object, e.g. {"kind": "call", "channel": "phone"}.');
    IF p_base_priority IS NULL OR p_base_priority NOT BETWEEN 0 AND 100 THEN
        RAISE EXCEPTION 'p_base_priority must be between 0 and 100, got %', coalesce(p_base_priority::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Use 50 for a normal, 80+ for an urgent recommendation.';
    END IF;
    IF p_half_life_hours IS NULL OR p_half_life_hours <= 0 OR p_half_life_hours > 8760 THEN
        RAISE EXCEPTION 'p_half_life_hours must be > 0 and <= 8760, got %', coalesce(p_half_life_hours::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Hours until the priority halves; the default is 72.';
    END IF;
    -- at most a year ahead: no 'infinity' or year-294276 values that clients cannot read back
    IF p_expires_at IS NOT NULL AND (p_expires_at <= now() OR p_expires_at > now() + interval '1 year') THEN
        RAISE EXCEPTION 'p_expires_at must be after now() and at most 1 year ahead, got %', p_expires_at
            USING ERRCODE = '22023', HINT = 'Pass NULL for no fixed expiry (the time decay still retires it).';
    END IF;
    PERFORM salesflow.check_text_length('p_reason', p_reason, 4000, 'Explain the recommendation in a few sentences.');
    PERFORM salesflow.check_jsonb('p_action', p_action, NULL, 100000, 'Describe the action briefly; keep large data elsewhere.');
    IF p_source IS NULL OR p_source NOT IN ('system', 'trigger', 'ai', 'manual') THEN
        RAISE EXCEPTION 'p_source must be system, trigger, ai or manual, got %', coalesce(quote_literal(p_source), 'NULL')
            USING ERRCODE = '22023', HINT = 'Use ''manual'' for your own, ''ai'' for model output.';
    END IF;
    v_lead := salesflow.lead_for_caller(p_lead_id);
    -- restricted (GDPR Art. 18) or consent withdrawn: refused here; the trigger-made rows are
    -- dropped silently by ai_recommendations_lead_processable
    IF p_source <> 'trigger' THEN
        PERFORM salesflow.require_lead_processable(v_lead, 'creating a recommendation');
        IF NOT salesflow.lead_is_contactable(v_lead) THEN
            RAISE EXCEPTION 'lead % withdrew consent at %: no recommendations to contact it', v_lead.id, v_lead.consent_withdrawn_at
                USING ERRCODE = '55000', HINT = 'Record new consent first: salesflow gdpr consent LEAD --given --wording TEXT.';
        END IF;
    END IF;
    -- one answer for unknown users and other teams' users: no existence oracle
    IF p_assignee_id IS NOT NULL AND NOT salesflow.user_sees(p_assignee_id, v_lead.user_id) THEN
        RAISE EXCEPTION 'p_assignee_id % cannot be assigned work on this lead', p_assignee_id
            USING ERRCODE = '42501',
                  HINT = 'Assign to the lead owner, a manager of the owner''s team, or an admin (NULL: the owner).';
    END IF;

    INSERT INTO salesflow.ai_recommendations AS r (
        lead_id, user_id, assignee_id, rec_type, title, reason, action,
        base_priority, half_life_hours, expires_at, source
    )
    VALUES (
        v_lead.id, v_lead.user_id, p_assignee_id, p_rec_type, btrim(p_title), p_reason, p_action,
        round(p_base_priority, 2), round(p_half_life_hours, 2), p_expires_at, p_source
    )
    ON CONFLICT (lead_id, rec_type) WHERE status = 'open' DO UPDATE
        SET title = excluded.title,
            reason = excluded.reason,
            action = excluded.action,
            base_priority = excluded.base_priority,
            half_life_hours = excluded.half_life_hours,
            expires_at = excluded.expires_at,
            source = excluded.source,
            assignee_id = excluded.assignee_id,
            created_at = now()
    RETURNING r.id INTO v_id;
    RETURN v_id;
END;
$$;
COMMENT ON FUNCTION salesflow.create_ai_recommendation(uuid, text, text, text, jsonb, numeric, numeric, timestamptz, text, uuid) IS
'Insert or refresh (one open per lead and type; the refresh restarts the decay clock) a next-best-action recommendation (lead, '
'rec_type, title 1-200 characters, reason up to 4000, action object up to 100,000 characters, base_priority 0-100, '
'half_life_hours (0, 8760], expires_at NULL or within (now(), now() + 1 year], source, assignee); returns its id. Bad input: 22023.';
