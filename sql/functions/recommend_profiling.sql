-- ============================================================================
-- recommend_profiling: 3+ inbound contacts and no DISG profile -> a 'profile_lead' recommendation
-- ============================================================================
-- Called by count_activities (the drain) for the leads that just received inbound contacts, after
-- their counts are updated. For each open lead among them with >= 3 inbound contacts in total, no
-- personality profile and no profile_lead recommendation (except expired ones: a dismissed
-- suggestion is not repeated): one recommendation in the owner's language, base priority 40,
-- half-life 168 h. profile_lead_done closes it as soon as a profile is stored.
CREATE OR REPLACE FUNCTION salesflow.recommend_profiling(p_lead_ids uuid[])
RETURNS void
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    INSERT INTO salesflow.ai_recommendations (
        lead_id, user_id, rec_type, title, reason, action, base_priority, half_life_hours, source
    )
    SELECT
        l.id, l.user_id, 'profile_lead',
        CASE WHEN u.language = 'de' THEN 'DISG-Profil erstellen' ELSE 'Profile this lead (DISG)' END,
        format(CASE WHEN u.language = 'de'
            THEN '%s Nachrichten von %s, aber noch kein DISG-Profil: Stil und Ansprache lassen sich jetzt anpassen.'
            ELSE '%s messages from %s but no DISG profile yet: tailor your style and approach now.' END,
            le.inbound_count, l.name),
        jsonb_build_object('kind', 'profile_lead', 'sql', 'salesflow.analyze_personality_from_messages(lead_id)',
                           'cli', 'salesflow ai profile ' || l.id),
        40, 168, 'trigger'
    FROM unnest(p_lead_ids) AS n (lead_id)
    INNER JOIN salesflow.leads AS l ON n.lead_id = l.id
    INNER JOIN salesflow.users AS u ON l.user_id = u.id  -- the rep reads it: the owner's language
    INNER JOIN salesflow.lead_engagement AS le ON n.lead_id = le.lead_id
    WHERE le.inbound_count >= 3
      AND l.stage NOT IN ('won', 'lost')
      AND NOT EXISTS (SELECT 1 FROM salesflow.personality_profiles AS p WHERE p.lead_id = l.id)
      AND NOT EXISTS (
          SELECT 1 FROM salesflow.ai_recommendations AS x
          WHERE x.lead_id = l.id AND x.rec_type = 'profile_lead' AND x.status <> 'expired'
      )
    ON CONFLICT (lead_id, rec_type) WHERE status = 'open' DO NOTHING;
$$;
COMMENT ON FUNCTION salesflow.recommend_profiling(uuid[]) IS
'Internal: recommends profiling those of the given leads that have 3+ inbound contacts and no DISG profile.';
