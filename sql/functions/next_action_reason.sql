-- ============================================================================
-- next_action_reason: the human "why" of a next best action, in German or English
-- ============================================================================
-- Called by recommend_followup_actions for the rows it returns only (a few index lookups per
-- row), so the ranking itself never builds text for thousands of candidates.
CREATE OR REPLACE FUNCTION salesflow.next_action_reason(
    p_kind text, p_language text, p_lead_id uuid, p_recommendation_id bigint DEFAULT NULL, p_followup_id bigint DEFAULT NULL
)
RETURNS text
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_de boolean := p_language = 'de';
    v_lead salesflow.leads;
    v_eng salesflow.lead_engagement;
    v_text text;
    v_at timestamptz;
    v_num integer;
    v_dim text;
BEGIN
    IF p_followup_id IS NOT NULL THEN
        SELECT f.due_at, f.note INTO v_at, v_text FROM salesflow.followups AS f WHERE f.id = p_followup_id;
        IF v_at <= now() THEN
            RETURN format(CASE WHEN v_de THEN 'Follow-up seit %s überfällig%s' ELSE 'Follow-up overdue by %s%s' END,
                CASE WHEN now() - v_at >= interval '1 day'
                    THEN salesflow.count_phrase(floor(extract(EPOCH FROM now() - v_at) / 86400), 'day', p_language)
                    ELSE salesflow.count_phrase(ceil(extract(EPOCH FROM now() - v_at) / 3600), 'hour', p_language)
                END,
                coalesce(': ' || v_text, ''));
        END IF;
        RETURN format(CASE WHEN v_de THEN 'Follow-up fällig in %s%s' ELSE 'Follow-up due in %s%s' END,
            salesflow.count_phrase(ceil(extract(EPOCH FROM v_at - now()) / 3600), 'hour', p_language),
            coalesce(': ' || v_text, ''));
    END IF;
    IF p_recommendation_id IS NOT NULL THEN
        SELECT r.title || coalesce(' – ' || r.reason, '') INTO v_text FROM salesflow.ai_recommendations AS r WHERE r.id = p_recommendation_id;
        RETURN v_text;
    END IF;
    -- lead and engagement only for the lead-derived kinds (follow-ups and recommendations need neither)
    SELECT l.* INTO v_lead FROM salesflow.leads AS l WHERE l.id = p_lead_id;
    SELECT e.* INTO v_eng FROM salesflow.lead_engagement AS e WHERE e.lead_id = p_lead_id;
    CASE p_kind
        WHEN 'hot_no_contact' THEN
            IF v_eng.last_outbound_at IS NULL THEN
                RETURN format(CASE WHEN v_de THEN 'Heißer Lead (BANT %s), aber noch nie angeschrieben'
                                   ELSE 'Hot lead (BANT %s) but never contacted' END,
                    coalesce(salesflow.term('light', v_eng.bant_light, p_language), '–'));
            END IF;
            RETURN format(CASE WHEN v_de THEN 'Heißer Lead (BANT %s) ohne Kontakt seit %s'
                               ELSE 'Hot lead (BANT %s) without contact for %s' END,
                coalesce(salesflow.term('light', v_eng.bant_light, p_language), '–'),
                salesflow.count_phrase(floor(extract(EPOCH FROM now() - v_eng.last_outbound_at) / 86400), 'day', p_language));
        WHEN 'bant_gap' THEN
            SELECT least(b.budget, b.authority, b.need, b.timeline), salesflow.bant_weakest(b.budget, b.authority, b.need, b.timeline)
            INTO v_num, v_dim
            FROM salesflow.bant_assessments AS b WHERE b.lead_id = p_lead_id ORDER BY b.created_at DESC, b.id DESC LIMIT 1;
            IF v_dim IS NULL THEN
                RETURN format(CASE WHEN v_de THEN 'Stufe %s, aber noch keine BANT-Einschätzung' ELSE 'Stage %s but no BANT assessment yet' END,
                    salesflow.term('stage', v_lead.stage, p_language));
            END IF;
            RETURN format(CASE WHEN v_de THEN 'Stufe %s, BANT-Lücke bei %s (%s/10)' ELSE 'Stage %s, BANT gap in %s (%s/10)' END,
                salesflow.term('stage', v_lead.stage, p_language), salesflow.term('bant', v_dim, p_language), v_num);
        WHEN 'ghosted' THEN
            RETURN format(CASE WHEN v_de THEN '3+ Nachrichten ohne Antwort seit %s – Reaktivierung versuchen'
                               ELSE '3+ messages without a reply since %s – try to re-engage' END,
                coalesce(to_char(v_eng.last_inbound_at, 'YYYY-MM-DD'), CASE WHEN v_de THEN 'Beginn' ELSE 'the start' END));
        WHEN 'stalled' THEN
            RETURN format(CASE WHEN v_de THEN 'Seit über 14 Tagen in Stufe %s, letzter Kontakt %s'
                               ELSE 'In stage %s for more than 14 days, last contact %s' END,
                salesflow.term('stage', v_lead.stage, p_language), coalesce(to_char(greatest(v_eng.last_inbound_at, v_eng.last_outbound_at), 'YYYY-MM-DD'),
                                       CASE WHEN v_de THEN 'nie' ELSE 'never' END));
        WHEN 'profile_lead' THEN
            RETURN format(CASE WHEN v_de THEN '%s Nachrichten erhalten, aber noch kein DISG-Profil'
                               ELSE '%s messages received but no DISG profile yet' END, coalesce(v_eng.inbound_count, 0));
        ELSE
            RETURN p_kind;
    END CASE;
END;
$$;
COMMENT ON FUNCTION salesflow.next_action_reason(text, text, uuid, bigint, bigint) IS
'Internal: the human reason (de/en) for a next-best-action candidate kind of a lead (follow-up, recommendation, hot, BANT gap, ghosted, stalled, profile).';
