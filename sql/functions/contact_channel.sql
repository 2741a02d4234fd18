-- ============================================================================
-- contact_channel: the ONE rule that picks the channel to contact a lead on
-- ============================================================================
-- Every suggestion salesflow shows (recs, today, lead, demo, the contact windows) takes its
-- channel from here, first rule that applies wins:
--   1. planned       a follow-up with an explicit channel keeps it: the rep planned it.
--   2. learned       the lead's own reply history: the channel with the best shrunk reply rate
--                    (best_contact_windows: lead rate toward the owner's channel rate, m = 10)
--                    wins when the lead itself has at least 3 (decay-weighted) sends on it.
--   3. disg          else the first channel of the lead's DISG type (disg_guidance.preferred_channels,
--                    the lead's language, else English) the lead can be reached on: email needs an
--                    e-mail address; phone, whatsapp, sms, telegram need a phone number.
--   4. last_inbound  else the channel of the lead's latest inbound message.
--   5. history       else the best channel of the owner's statistics (learned over all their leads),
--                    when the lead can be reached on it (as in 3).
--   6. default       else e-mail when the lead has an e-mail address but no phone, else WhatsApp.
-- Returns the channel and the rule's code (planned/learned/disg/last_inbound/history/default),
-- so a screen can say why (the DISG panel names it when the DISG preference lost).
-- LANGUAGE sql STABLE without SET clauses: inlined into best_contact_windows' query. Internal.
CREATE OR REPLACE FUNCTION salesflow.contact_channel(
    p_planned text,
    p_learned text,
    p_learned_lead_sends numeric,
    p_disg_type text,
    p_language text,
    p_phone text,
    p_email text,
    p_last_inbound text
)
RETURNS TABLE (channel text, channel_rule text)
LANGUAGE sql
STABLE
AS $$
    SELECT r.channel, r.channel_rule
    FROM (
        SELECT p_planned AS channel, 'planned' AS channel_rule, 1 AS k
        WHERE p_planned IS NOT NULL
        UNION ALL
        SELECT p_learned, 'learned', 2
        WHERE p_learned IS NOT NULL AND coalesce(p_learned_lead_sends, 0) >= 3
        UNION ALL
        SELECT d.channel, 'disg', 3
        FROM (
            SELECT c.channel, c.pos
            FROM (
                SELECT g.preferred_channels
                FROM salesflow.disg_guidance AS g
                WHERE g.disg_type = p_disg_type
                ORDER BY g.language = p_language DESC, g.language = 'en' DESC
                LIMIT 1
            ) AS pg
            CROSS JOIN LATERAL unnest(pg.preferred_channels) WITH ORDINALITY AS c (channel, pos)
            WHERE (c.channel <> 'email' OR p_email IS NOT NULL)
              AND (c.channel NOT IN ('phone', 'whatsapp', 'sms', 'telegram') OR p_phone IS NOT NULL)
            ORDER BY c.pos
            LIMIT 1
        ) AS d
        UNION ALL
        SELECT p_last_inbound, 'last_inbound', 4
        WHERE p_last_inbound IS NOT NULL
        UNION ALL
        SELECT p_learned, 'history', 5
        WHERE p_learned IS NOT NULL
          AND (p_learned <> 'email' OR p_email IS NOT NULL)
          AND (p_learned NOT IN ('phone', 'whatsapp', 'sms', 'telegram') OR p_phone IS NOT NULL)
        UNION ALL
        SELECT CASE WHEN p_phone IS NULL AND p_email IS NOT NULL THEN 'email' ELSE 'whatsapp' END, 'default', 6
    ) AS r
    ORDER BY r.k
    LIMIT 1;
$$;
COMMENT ON FUNCTION salesflow.contact_channel(text, text, numeric, text, text, text, text, text) IS
'Internal: the one channel rule (planned follow-up channel, learned from the lead''s replies with >= 3 sends, DISG '
'preference the lead is reachable on, last inbound channel, owner history, default): channel and rule code.';
