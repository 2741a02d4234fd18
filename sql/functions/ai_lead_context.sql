-- ============================================================================
-- ai_lead_context: what the AI commands send to the model about one lead, as jsonb
-- ============================================================================
-- lead basics, owner, the last p_max_messages activities with text (oldest first), the current
-- memory, the latest BANT assessment and the latest personality profile. Respects visibility.
-- Every `salesflow ai` command reads the lead through this: a restricted lead is refused (55000).
CREATE OR REPLACE FUNCTION salesflow.ai_lead_context(p_lead_id uuid, p_max_messages integer DEFAULT 40)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_result jsonb;
    v_lead salesflow.leads;
BEGIN
    IF p_max_messages IS NULL OR p_max_messages NOT BETWEEN 1 AND 500 THEN
        RAISE EXCEPTION 'p_max_messages % is out of range', coalesce(p_max_messages::text, 'NULL')
            USING ERRCODE = '22023', HINT = 'Use 1 to 500.';
    END IF;
    SELECT jsonb_build_object(
        'lead', jsonb_build_object(
            'id', l.id, 'name', l.name, 'company', l.company, 'source', l.source, 'industry', l.industry,
            'country', l.country, 'language', l.language, 'timezone', l.timezone, 'stage', l.stage,
            'deal_value', l.deal_value, 'consent', l.consent, 'created_at', l.created_at
        ),
        'owner', jsonb_build_object('id', u.id, 'display_name', u.display_name, 'language', u.language),
        'messages', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'id', m.id, 'at', m.occurred_at, 'channel', m.channel, 'direction', m.direction,
                'kind', m.kind, 'body', m.body
            ) ORDER BY m.occurred_at, m.id)
            FROM (
                SELECT a.id, a.occurred_at, a.channel, a.direction, a.kind, a.body
                FROM salesflow.lead_activities AS a
                WHERE a.lead_id = l.id AND a.body IS NOT NULL AND btrim(a.body) <> ''
                ORDER BY a.occurred_at DESC, a.id DESC
                LIMIT p_max_messages
            ) AS m
        ), '[]'::jsonb),
        'memory', (
            SELECT jsonb_build_object(
                'summary', s.summary, 'key_facts', s.key_facts, 'pain_points', s.pain_points,
                'objections', s.objections, 'next_steps', s.next_steps, 'version', s.version,
                'input_hash', s.input_hash, 'is_stale', s.is_stale, 'prompt_version', s.prompt_version
            )
            FROM salesflow.lead_context_summaries AS s WHERE s.lead_id = l.id
        ),
        'bant', (
            SELECT jsonb_build_object(
                'budget', b.budget, 'authority', b.authority, 'need', b.need, 'timeline', b.timeline,
                'total_score', b.total_score, 'traffic_light', b.traffic_light, 'at', b.created_at
            )
            FROM salesflow.bant_assessments AS b WHERE b.lead_id = l.id ORDER BY b.created_at DESC, b.id DESC LIMIT 1
        ),
        'profile', (
            SELECT jsonb_build_object(
                'd', p.d_score, 'i', p.i_score, 's', p.s_score, 'g', p.g_score, 'primary_type', p.primary_type,
                'secondary_type', p.secondary_type, 'confidence', p.confidence, 'source', p.source
            )
            FROM salesflow.personality_profiles AS p WHERE p.lead_id = l.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1
        )
    )
    INTO v_result
    FROM salesflow.leads AS l
    INNER JOIN salesflow.users AS u ON l.user_id = u.id
    WHERE
        l.id = p_lead_id
        AND (salesflow.require_identity() IS NULL OR l.user_id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid [])));
    IF v_result IS NULL THEN
        RAISE EXCEPTION 'lead % not found or not visible', coalesce(p_lead_id::text, 'NULL')
            USING ERRCODE = 'P0002', HINT = 'Check the lead id (salesflow leads) and who you act as.';
    END IF;
    -- a restricted lead (GDPR Art. 18) goes to no model: 55000
    SELECT l.* INTO v_lead FROM salesflow.leads AS l WHERE l.id = p_lead_id;
    PERFORM salesflow.require_lead_processable(v_lead, 'sending it to an AI model');
    RETURN v_result;
END;
$$;
COMMENT ON FUNCTION salesflow.ai_lead_context(uuid, integer) IS
'The model input for one lead as jsonb: lead, owner, last p_max_messages text activities (oldest first), memory, latest BANT, latest profile. '
'55000 for a restricted lead (GDPR Art. 18).';
