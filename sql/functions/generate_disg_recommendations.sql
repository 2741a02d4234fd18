-- ============================================================================
-- generate_disg_recommendations: how to talk to this lead, in the lead's language
-- ============================================================================
-- Blended profile (get_lead_disg) + disg_guidance row for (primary type, lead language).
-- Unprofiled leads get profiled = false, neutral advice and how to profile them.
CREATE OR REPLACE FUNCTION salesflow.generate_disg_recommendations(p_lead_id uuid)
RETURNS jsonb
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_disg record;
    v_guide salesflow.disg_guidance;
    v_inbound integer;
BEGIN
    v_lead := salesflow.lead_for_caller(p_lead_id);
    SELECT * INTO v_disg FROM salesflow.get_lead_disg(v_lead.id);
    IF v_disg.primary_type IS NULL THEN
        SELECT count(*)::integer INTO v_inbound
        FROM (
            SELECT 1 FROM salesflow.lead_activities AS a
            WHERE a.lead_id = v_lead.id AND a.direction = 'in' AND a.kind <> 'note' LIMIT 3
        ) AS x;
        RETURN jsonb_build_object(
            'lead_id', v_lead.id,
            'language', v_lead.language,
            'profiled', false,
            'type', NULL,
            'message', CASE v_lead.language
                WHEN 'de' THEN 'Noch kein DISG-Profil. Erstelle eines, bevor du den Gesprächsstil anpasst.'
                ELSE 'No DISG profile yet. Profile this lead before tailoring your style.' END,
            'how_to_profile', CASE
                WHEN v_inbound > 0 THEN jsonb_build_array(
                    'SELECT * FROM salesflow.analyze_personality_from_messages(''' || v_lead.id || ''')',
                    'salesflow ai profile ' || v_lead.id)
                ELSE jsonb_build_array(
                    CASE v_lead.language WHEN 'de' THEN 'Erst Nachrichten austauschen oder einen DISG-Fragebogen ausfüllen lassen'
                        ELSE 'Exchange a few messages first, or have the lead fill in a DISG questionnaire' END)
            END,
            'dos', CASE v_lead.language
                WHEN 'de' THEN '["Offene Fragen stellen und gut zuhören", "Auf Wortwahl, Tempo und Länge der Antworten achten", "Freundlich und respektvoll bleiben"]'::jsonb
                ELSE '["Ask open questions and listen", "Notice word choice, pace and length of replies", "Stay friendly and respectful"]'::jsonb END,
            'donts', CASE v_lead.language
                WHEN 'de' THEN '["Nicht raten und in Schubladen stecken", "Keinen Druck aufbauen"]'::jsonb
                ELSE '["Do not guess and pigeonhole", "Do not build pressure"]'::jsonb END,
            'channel', NULL
        );
    END IF;

    SELECT g.* INTO v_guide FROM salesflow.disg_guidance AS g
    WHERE g.disg_type = v_disg.primary_type AND g.language = v_lead.language;
    IF NOT FOUND THEN
        SELECT g.* INTO v_guide FROM salesflow.disg_guidance AS g
        WHERE g.disg_type = v_disg.primary_type ORDER BY g.language = 'en' DESC LIMIT 1;
    END IF;

    RETURN jsonb_build_object(
        'lead_id', v_lead.id,
        'language', v_lead.language,
        'profiled', true,
        'type', v_disg.primary_type,
        'secondary_type', v_disg.secondary_type,
        'label', v_guide.label,
        'confidence', v_disg.confidence,
        'scores', jsonb_build_object('D', v_disg.d_score, 'I', v_disg.i_score, 'S', v_disg.s_score, 'G', v_disg.g_score),
        'summary', v_guide.summary,
        'dos', v_guide.dos,
        'donts', v_guide.donts,
        'opener', v_guide.opener,
        'pace', v_guide.pace,
        'channel', v_guide.preferred_channels[1],
        'preferred_channels', to_jsonb(v_guide.preferred_channels),
        'closing_tip', v_guide.closing_tip,
        'sources', v_disg.sources
    );
END;
$$;
COMMENT ON FUNCTION salesflow.generate_disg_recommendations(uuid) IS
'DISG guidance for a lead (lead) in the lead''s language: type, dos, donts, opener, pace, '
'channel, closing tip; profiled = false with how-to-profile steps when no profile exists.';
