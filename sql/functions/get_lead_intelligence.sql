-- ============================================================================
-- get_lead_intelligence: everything the system knows about one lead, as one jsonb
-- ============================================================================
-- Keys: lead, bant (latest, with weakest dimension), bant_assessments (count), disg (blended,
-- get_lead_disg), disg_guidance (generate_disg_recommendations), memory (context summary
-- without the embedding), recommendations (open, by decayed priority), followups (open),
-- playbooks (running), contact_window (top 3), health {score, traffic_light} computed live
-- with lead_health_score from the engagement counters, predicted_conversion {probability,
-- top_positive, top_negative} (predict_conversion), engagement (lead_engagement counters),
-- suggestion: channel and channel_rule of its best window (get_best_contact_window: the one channel
-- rule contact_channel, planned = the lead's earliest open follow-up's channel, as the day plan
-- does) and the next occurrence of that window (time_rule 'best_window', in_plan false). The
-- slot of the day plan depends on the owner's other actions (capacity), so `salesflow lead` puts
-- the lead's row of plan_day in its place when the lead is in the owner's plan (in_plan true).
-- Every part reads by lead id (indexes), so the call costs a few milliseconds.
CREATE OR REPLACE FUNCTION salesflow.get_lead_intelligence(p_lead_id uuid)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
-- the windows' query (best_contact_windows inlined) takes longer to plan than to run: plan once per
-- session (the other parts read by id, where a generic plan is as good)
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_lead salesflow.leads;
    v_eng salesflow.lead_engagement;
    v_health numeric;
    v_windows jsonb;  -- contact_window: the top 3
    v_suggestion jsonb;
    v_result jsonb;
BEGIN
    v_lead := salesflow.lead_for_caller(p_lead_id);
    -- the top 3 windows once (best_contact_windows, as get_best_contact_window gives them, with the
    -- lead's planned follow-up channel) for contact_window and the suggestion
    SELECT coalesce(jsonb_agg(jsonb_build_object(
        'weekday', w.weekday, 'hour', w.hour, 'channel', w.channel, 'probability', w.probability,
        'confidence', w.confidence,
        'local_label', salesflow.weekday_label(w.weekday, v_lead.language) || ' ' || lpad(w.hour::text, 2, '0') || ':00',
        'basis', w.basis, 'channel_rule', w.channel_rule
    ) ORDER BY w.window_rank), '[]'::jsonb)
    INTO v_windows
    FROM salesflow.best_contact_windows(ARRAY[v_lead.id], 3, ARRAY[(
        SELECT f.channel FROM salesflow.followups AS f
        WHERE f.lead_id = v_lead.id AND f.status = 'open' AND f.channel IS NOT NULL
        ORDER BY f.due_at
        LIMIT 1
    )]) AS w;
    v_suggestion := jsonb_build_object(
        'in_plan', false, 'action_type', NULL, 'channel', v_windows -> 0 ->> 'channel',
        'channel_rule', v_windows -> 0 ->> 'channel_rule',
        'suggested_time', salesflow.next_local_occurrence(
            (v_windows -> 0 ->> 'weekday')::integer, (v_windows -> 0 ->> 'hour')::integer, v_lead.timezone, now()
        ),
        'time_rule', 'best_window', 'plan_day', NULL, 'recommendation_id', NULL, 'followup_id', NULL
    );
    SELECT e.* INTO v_eng FROM salesflow.lead_engagement AS e WHERE e.lead_id = v_lead.id;
    v_health := salesflow.lead_health_score(
        v_eng.bant_score, v_eng.last_inbound_at,
        (SELECT count(*)::integer FROM unnest(v_eng.recent_inbound) AS r (t) WHERE r.t >= now() - interval '30 days'),
        coalesce(v_eng.reply_count, 0), coalesce(v_eng.outbound_count, 0), v_lead.stage, now()
    );

    SELECT jsonb_build_object(
        'lead', jsonb_build_object(
            'id', v_lead.id, 'user_id', v_lead.user_id, 'name', v_lead.name, 'company', v_lead.company,
            'email', v_lead.email, 'phone', v_lead.phone, 'source', v_lead.source, 'industry', v_lead.industry,
            'country', v_lead.country, 'language', v_lead.language, 'timezone', v_lead.timezone,
            'stage', v_lead.stage, 'deal_value', v_lead.deal_value, 'consent', v_lead.consent,
            'created_at', v_lead.created_at, 'closed_at', v_lead.closed_at
        ),
        'bant', (
            SELECT jsonb_build_object(
                'id', b.id, 'budget', b.budget, 'authority', b.authority, 'need', b.need, 'timeline', b.timeline,
                'total_score', b.total_score, 'traffic_light', b.traffic_light,
                'weakest', salesflow.bant_weakest(b.budget, b.authority, b.need, b.timeline),
                'notes', b.notes, 'source', b.source, 'created_at', b.created_at
            )
            FROM salesflow.bant_assessments AS b
            WHERE b.lead_id = v_lead.id
            ORDER BY b.created_at DESC, b.id DESC
            LIMIT 1
        ),
        'bant_assessments', (SELECT count(*) FROM salesflow.bant_assessments AS b WHERE b.lead_id = v_lead.id),
        'disg', (SELECT to_jsonb(d) FROM salesflow.get_lead_disg(v_lead.id) AS d),
        'disg_guidance', salesflow.generate_disg_recommendations(v_lead.id),
        'memory', (
            SELECT to_jsonb(s) - 'embedding' - 'user_id'
            FROM salesflow.lead_context_summaries AS s WHERE s.lead_id = v_lead.id
        ),
        'recommendations', coalesce((
            SELECT jsonb_agg(jsonb_build_object(
                'id', r.id, 'rec_type', r.rec_type, 'title', r.title, 'reason', r.reason, 'action', r.action,
                'effective_priority', r.effective_priority, 'source', r.source, 'assignee_id', r.assignee_id,
                'created_at', r.created_at, 'expires_at', r.expires_at
            ))
            FROM salesflow.list_recommendations('open', 50, v_lead.id) AS r
        ), '[]'::jsonb),
        'followups', coalesce((
            SELECT jsonb_agg(jsonb_build_object('id', f.id, 'due_at', f.due_at, 'channel', f.channel, 'note', f.note,
                'overdue', f.due_at <= now()) ORDER BY f.due_at)
            FROM salesflow.followups AS f WHERE f.lead_id = v_lead.id AND f.status = 'open'
        ), '[]'::jsonb),
        'playbooks', coalesce((
            SELECT jsonb_agg(jsonb_build_object('execution_id', x.id, 'playbook_key', x.playbook_key,
                'current_step', x.current_step, 'steps', jsonb_array_length(x.steps),
                'next_step', x.steps -> x.current_step, 'started_at', x.started_at) ORDER BY x.started_at)
            FROM salesflow.playbook_executions AS x WHERE x.lead_id = v_lead.id AND x.status = 'running'
        ), '[]'::jsonb),
        'contact_window', v_windows,
        'health', jsonb_build_object('score', v_health, 'traffic_light', salesflow.health_traffic_light(v_health)),
        'predicted_conversion', (SELECT to_jsonb(p) FROM salesflow.predict_conversion(v_lead.id) AS p),
        'suggestion', v_suggestion,
        'engagement', CASE WHEN v_eng.lead_id IS NOT NULL THEN to_jsonb(v_eng) - 'lead_id' - 'user_id' END
    ) INTO v_result;
    RETURN v_result;
END;
$$;
COMMENT ON FUNCTION salesflow.get_lead_intelligence(uuid) IS
'One jsonb for a lead (lead): lead, latest BANT, blended DISG and guidance, memory, open recommendations, '
'follow-ups, playbooks, contact windows, health, predicted conversion with top factors, engagement, and the '
'suggestion (channel and time as recs/today give them).';
