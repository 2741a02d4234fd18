-- ============================================================================
-- bant_recommendation: a new BANT assessment -> recommendation for its weakest dimension
-- ============================================================================
-- STATEMENT-level AFTER INSERT with a transition table (one set-based statement per INSERT or
-- COPY). Per lead, the newest assessment of the statement gives rec_type 'bant_<dimension>'
-- for its weakest dimension (ties: budget, authority, need, timeline), title and reason in the
-- OWNER's language (the rep reads them), a suggested question in the LEAD's language, base
-- priority 30 + 6 * (10 - score) (score 0 -> 90, 10 -> 30), half-life 96 h. An open recommendation of the same type is refreshed
-- (create_ai_recommendation semantics); open bant_* recommendations for other dimensions of
-- the lead are superseded (status expired). SECURITY DEFINER: the assessment already passed
-- row-level security; the recommendation belongs to the same lead owner.
CREATE OR REPLACE FUNCTION salesflow.bant_recommendation()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
BEGIN
    WITH n AS (
        SELECT
            x.lead_id, x.user_id, x.dim, x.total_score AS total, x.traffic_light AS light, l.language AS lang, u.language AS rep_lang,
            CASE x.dim WHEN 'budget' THEN x.budget WHEN 'authority' THEN x.authority WHEN 'need' THEN x.need ELSE x.timeline END
            AS score
        FROM (
            SELECT DISTINCT ON (a.lead_id)
                a.lead_id, a.user_id, a.budget, a.authority, a.need, a.timeline, a.total_score, a.traffic_light,
                salesflow.bant_weakest(a.budget, a.authority, a.need, a.timeline) AS dim
            FROM new_bant AS a
            ORDER BY a.lead_id, a.created_at DESC, a.id DESC
        ) AS x
        INNER JOIN salesflow.leads AS l ON l.id = x.lead_id
        INNER JOIN salesflow.users AS u ON u.id = x.user_id
    ),
    superseded AS (
        UPDATE salesflow.ai_recommendations AS r
        SET status = 'expired', resolved_at = now(), feedback = coalesce(r.feedback, 'superseded by a newer BANT assessment')
        FROM n
        WHERE r.lead_id = n.lead_id AND r.status = 'open' AND r.rec_type LIKE 'bant\_%' AND r.rec_type <> 'bant_' || n.dim
        RETURNING r.id
    )
    INSERT INTO salesflow.ai_recommendations AS r (
        lead_id, user_id, rec_type, title, reason, action, base_priority, half_life_hours, source
    )
    SELECT
        n.lead_id, n.user_id, 'bant_' || n.dim,
        t.title,
        format(CASE WHEN n.rep_lang = 'de' THEN 'BANT %s/100 (%s): schwächste Dimension ist %s mit %s/10.'
                    ELSE 'BANT %s/100 (%s): the weakest dimension is %s at %s/10.' END,
            n.total, salesflow.term('light', n.light, n.rep_lang), t.dim_label, n.score),
        jsonb_build_object('kind', 'qualify', 'dimension', n.dim, 'score', n.score, 'question', q.question),
        30 + 6 * (10 - n.score), 96, 'trigger'
    FROM n
    -- the title and reason are for the rep (the owner's language), the question is said to the lead
    INNER JOIN (
        VALUES
        ('budget', 'de', 'Budget klären', 'Budget'), ('budget', 'en', 'Clarify the budget', 'budget'),
        ('authority', 'de', 'Entscheider einbinden', 'Entscheidungsbefugnis'),
        ('authority', 'en', 'Involve the decision maker', 'authority'),
        ('need', 'de', 'Bedarf vertiefen', 'Bedarf'), ('need', 'en', 'Deepen the need', 'need'),
        ('timeline', 'de', 'Zeitplan festlegen', 'Zeitplan'), ('timeline', 'en', 'Pin down the timeline', 'timeline')
    ) AS t (dim, lang, title, dim_label) ON t.dim = n.dim AND t.lang = n.rep_lang
    INNER JOIN (
        VALUES
        ('budget', 'de', 'Welchen Betrag hast du für eine Lösung eingeplant – monatlich oder einmalig?'),
        ('budget', 'en', 'What amount have you set aside for a solution – monthly or one-off?'),
        ('authority', 'de', 'Wer entscheidet außer dir noch mit, und wie beziehen wir diese Person ein?'),
        ('authority', 'en', 'Who else is part of the decision, and how do we involve them?'),
        ('need', 'de', 'Was genau soll sich für dich ändern, und was kostet es dich, wenn alles bleibt, wie es ist?'),
        ('need', 'en', 'What exactly should change for you, and what does it cost you if nothing changes?'),
        ('timeline', 'de', 'Bis wann möchtest du eine Lösung haben, und was passiert an diesem Datum?'),
        ('timeline', 'en', 'By when do you want a solution, and what happens on that date?')
    ) AS q (dim, lang, question) ON q.dim = n.dim AND q.lang = n.lang
    ON CONFLICT (lead_id, rec_type) WHERE status = 'open' DO UPDATE
        SET title = excluded.title,
            reason = excluded.reason,
            action = excluded.action,
            base_priority = excluded.base_priority,
            half_life_hours = excluded.half_life_hours,
            source = excluded.source,
            created_at = now();
    RETURN NULL;
END;
$$;
COMMENT ON FUNCTION salesflow.bant_recommendation() IS
'Trigger (statement level): recommends qualifying the weakest BANT dimension of each newly assessed lead '
'(title in the owner''s, question in the lead''s language).';

CREATE OR REPLACE TRIGGER bant_assessments_recommend AFTER INSERT ON salesflow.bant_assessments
REFERENCING NEW TABLE AS new_bant
FOR EACH STATEMENT EXECUTE FUNCTION salesflow.bant_recommendation();
