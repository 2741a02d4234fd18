-- ============================================================================
-- analyze_personality_from_messages: DISG guess from the lead's own words (SQL heuristic)
-- ============================================================================
-- Reads the lead's latest 200 inbound messages (index lead_activities_lead_idx) and counts,
-- per message, German and English lexicon cues per type plus a few style cues:
--   D (dominant): sofort, schnell, Ergebnis, entscheiden, asap, results, imperative opening,
--                 short messages (style)
--   I (initiativ): toll, super, Spaß, Freunde, Geschichte, amazing, fun, people, "!" and emojis
--   S (stetig):    Sicherheit, Familie, in Ruhe, Schritt für Schritt, vielleicht, safe, family,
--                  no rush, not sure
--   G (gewissenhaft = C): Details, genau, Studien, Daten, Zahlen, Vertrag, warum, data, exactly,
--                  "?" questions, numbers, long messages (style)
-- A lexical cue weighs 1, a style cue 0.5; score_t = round(100 * (points_t + 0.5) / (sum + 2)),
-- so the four scores sum to about 100 and no evidence gives 25 each. Confidence stays low:
-- 0.4 * n / (n + 6) for n matched cues (never above 0.4). Evidence lists the matched cues and
-- how many messages showed each (no message text). The profile is stored with source 'heuristic'.
CREATE OR REPLACE FUNCTION salesflow.analyze_personality_from_messages(p_lead_id uuid)
RETURNS TABLE (
    profile_id bigint,
    primary_type text,
    d_score integer,
    i_score integer,
    s_score integer,
    g_score integer,
    confidence numeric,
    evidence jsonb
)
LANGUAGE plpgsql
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_lead salesflow.leads;
    v_messages integer;
    v_pts numeric[];
    v_hits integer;
    v_evidence jsonb;
    v_scores integer[];
    v_conf numeric;
BEGIN
    v_lead := salesflow.lead_for_caller(p_lead_id);

    SELECT count(*)::integer INTO v_messages
    FROM (
        SELECT 1
        FROM salesflow.lead_activities AS a
        WHERE a.lead_id = v_lead.id AND a.direction = 'in' AND a.kind <> 'note'
          AND a.body IS NOT NULL AND btrim(a.body) <> ''
        LIMIT 200
    ) AS m;
    IF v_messages = 0 THEN
        RAISE EXCEPTION 'lead % has no inbound messages to analyze', p_lead_id
            USING ERRCODE = '22023',
                  HINT = 'Record at least one message from the lead (lead_activities, direction ''in''), or profile it with record_personality_profile.';
    END IF;

    WITH msgs AS (
        SELECT a.body
        FROM salesflow.lead_activities AS a
        WHERE a.lead_id = v_lead.id AND a.direction = 'in' AND a.kind <> 'note'
          AND a.body IS NOT NULL AND btrim(a.body) <> ''
        ORDER BY a.occurred_at DESC
        LIMIT 200
    ),
    cues (disg_type, cue, pattern, weight) AS (
        VALUES
        ('D', 'sofort/direkt', '\m(sofort|direkt|umgehend)', 1.0),
        ('D', 'schnell', '\mschnell', 1.0),
        ('D', 'Ergebnis/Ziel', '\m(ergebnis|ziel(e|en)?\M|resultat)', 1.0),
        ('D', 'entscheiden', '\m(entscheid|machen wir|los geht|deal\M)', 1.0),
        ('D', 'auf den Punkt', '(auf den punkt|kurz und knapp|klartext|keine zeit|zeit ist geld)', 1.0),
        ('D', 'asap/now', '(\masap\M|right now|immediately|\mnow\M)', 1.0),
        ('D', 'quick', '\m(quick(ly)?|fast)\M', 1.0),
        ('D', 'results', '(\mresults?\M|\mroi\M|bottom line|\mgoals?\M)', 1.0),
        ('D', 'decide', '(\mdecid|let''s do it|\mdone\M)', 1.0),
        ('D', 'to the point', '(to the point|no time|\mbusy\M)', 1.0),
        ('D', 'imperative', '^\s*(schick|sag|ruf|mach|gib|zeig|nenn|send|call|tell|give|show|get|make)\M', 1.0),
        ('I', 'toll/super', '\m(toll|super|genial|mega|wahnsinn|klasse|cool)', 1.0),
        ('I', 'Spaß', '(spa(ß|ss)|\mwow\M|\mhaha|begeister|freu(e|t)? mich)', 1.0),
        ('I', 'Leute/Freunde', '\m(leute|freunde?|freundin(nen)?|gemeinsam|zusammen|team)\M', 1.0),
        ('I', 'Geschichte', '(erzähl|geschichte|stell dir vor)', 1.0),
        ('I', 'amazing/awesome', '\m(amazing|awesome|great|fantastic|love)\M', 1.0),
        ('I', 'fun', '(\mfun\M|exciting|excited)', 1.0),
        ('I', 'people/friends', '\m(people|friends?|together|everyone)\M', 1.0),
        ('I', 'story', '(\mstor(y|ies)\M|imagine)', 1.0),
        ('I', 'exclamation', '!', 0.5),
        ('I', 'emoji', '[\U0001F300-\U0001FAFF\u2600-\u27BF]', 0.5),
        ('S', 'Sicherheit', '(sicherheit|\msicher\M|absicher|risiko)', 1.0),
        ('S', 'Familie', '(familie|\mkinder\M|mein(em)? mann\M|meine(r)? frau\M)', 1.0),
        ('S', 'in Ruhe', '(in ruhe|\mruhig|zeit lassen|keine eile|überleg|nachdenken)', 1.0),
        ('S', 'Schritt für Schritt', '(schritt für schritt|langsam|nach und nach)', 1.0),
        ('S', 'unsicher/vielleicht', '(unsicher|vielleicht|weiß (ich )?nicht|bedenken|vorsichtig|vertrauen)', 1.0),
        ('S', 'security', '(\msafe(ty)?\M|secur|\mrisk)', 1.0),
        ('S', 'family', '(\mfamily|\mkids\M|my (husband|wife|partner))', 1.0),
        ('S', 'take my time', '(take my time|no rush|think (about|it over)|\mcalm)', 1.0),
        ('S', 'step by step', '(step by step|slowly|one step)', 1.0),
        ('S', 'not sure', '(not sure|\mmaybe\M|perhaps|worried|careful|\mtrust)', 1.0),
        ('G', 'Details', '\mdetail', 1.0),
        ('G', 'genau', '(\mgenau|präzise|konkret)', 1.0),
        ('G', 'Studien/Daten', '(studie|\mdaten\M|statistik|quelle|nachweis|\mbelege?\M|fakten)', 1.0),
        ('G', 'Zahlen/Prozent', '(\mzahlen\M|prozent)', 1.0),
        ('G', 'Vertrag/Bedingungen', '(vertrag|bedingung|\magb\M|inhaltsstoff|zertifi)', 1.0),
        ('G', 'warum/wie funktioniert', '(wie funktioniert|\mwarum\M|\mwieso\M|\mweshalb\M)', 1.0),
        ('G', 'exactly', '(\mexact|precise|specific)', 1.0),
        ('G', 'studies/data', '(\mstud(y|ies)\M|\mdata\M|statistic|\msources?\M|evidence|\mproof\M|\mfacts?\M)', 1.0),
        ('G', 'numbers', '(\mnumbers\M|percent|%)', 1.0),
        ('G', 'terms', '(contract|\mterms\M|conditions|ingredient|certif)', 1.0),
        ('G', 'how/why', '(how does|\mwhy\M)', 1.0),
        ('G', 'question', '\?', 0.5),
        ('G', 'figures', '[0-9]', 0.5)
    ),
    hits AS (
        SELECT c.disg_type, c.cue, c.weight, count(*) AS messages
        FROM msgs AS m
        INNER JOIN cues AS c ON m.body ~* c.pattern
        GROUP BY c.disg_type, c.cue, c.weight
        UNION ALL
        SELECT 'D', 'short messages', 0.5, count(*)
        FROM msgs AS m
        WHERE length(btrim(m.body)) < 60 AND m.body !~ '[?!]'
        HAVING count(*) > 0
        UNION ALL
        SELECT 'G', 'long messages', 0.5, count(*)
        FROM msgs AS m
        WHERE length(m.body) >= 280
        HAVING count(*) > 0
    ),
    per_type AS (
        SELECT t.disg_type, coalesce(sum(h.weight * h.messages), 0) AS pts
        FROM (VALUES ('D'), ('I'), ('S'), ('G')) AS t (disg_type)
        LEFT JOIN hits AS h ON h.disg_type = t.disg_type
        GROUP BY t.disg_type
    )
    SELECT
        ARRAY[
            (SELECT pt.pts FROM per_type AS pt WHERE pt.disg_type = 'D'),
            (SELECT pt.pts FROM per_type AS pt WHERE pt.disg_type = 'I'),
            (SELECT pt.pts FROM per_type AS pt WHERE pt.disg_type = 'S'),
            (SELECT pt.pts FROM per_type AS pt WHERE pt.disg_type = 'G')
        ],
        (SELECT coalesce(sum(h.messages), 0)::integer FROM hits AS h),
        (SELECT coalesce(jsonb_agg(jsonb_build_object('type', h.disg_type, 'cue', h.cue, 'messages', h.messages)
                                   ORDER BY h.disg_type, h.messages DESC, h.cue), '[]'::jsonb)
         FROM hits AS h)
    INTO v_pts, v_hits, v_evidence;

    SELECT array_agg(round(100 * (p.pts + 0.5) / ((v_pts[1] + v_pts[2] + v_pts[3] + v_pts[4]) + 2))::integer ORDER BY p.ord)
    INTO v_scores
    FROM unnest(v_pts) WITH ORDINALITY AS p (pts, ord);
    v_conf := round(0.4 * v_hits / (v_hits + 6.0), 2);
    v_evidence := jsonb_build_array(jsonb_build_object('messages_analyzed', v_messages, 'method', 'sql_lexicon_v1'))
        || v_evidence;

    RETURN QUERY
    SELECT r.profile_id, r.primary_type, v_scores[1], v_scores[2], v_scores[3], v_scores[4], v_conf, v_evidence
    FROM salesflow.record_personality_profile(
        v_lead.id, v_scores[1], v_scores[2], v_scores[3], v_scores[4], 'heuristic', v_conf, v_evidence, 'sql_lexicon_v1'
    ) AS r;
END;
$$;
COMMENT ON FUNCTION salesflow.analyze_personality_from_messages(uuid) IS
'NEURO-PROFILER heuristic: DISG scores from DE/EN lexicon and style cues in the lead''s inbound messages '
'(lead); low confidence (<= 0.4); stores a heuristic profile and returns it with its evidence.';
SELECT salesflow.grant_to(
    'EXECUTE ON FUNCTION salesflow.analyze_personality_from_messages(uuid)', 'salesflow_rep', 'salesflow_manager', 'salesflow_admin'
);
