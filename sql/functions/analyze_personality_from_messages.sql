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
SECURITY DEFINER
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
    PERFORM salesflow.require_lead_processable(v_lead, 'personality profiling');  -- GDPR Art. 18: 55000 when restricted

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
        -- one pattern per cue and both languages: 24 patterns stay in the backend's cache of
        -- compiled regular expressions (32 entries) from call to call
        VALUES
        ('D', 'sofort/asap', '(\msofort|\mdirekt|\mumgehend|\masap\M|right now|immediately|\mnow\M)', 1.0),
        ('D', 'schnell/quick', '(\mschnell|\mquick(ly)?\M|\mfast\M)', 1.0),
        ('D', 'Ergebnis/results', '(\mergebnis|\mziel(e|en)?\M|\mresultat|\mresults?\M|\mroi\M|bottom line|\mgoals?\M)', 1.0),
        ('D', 'entscheiden/decide', '(\mentscheid|machen wir|los geht|\mdeal\M|\mdecid|let''s do it|\mdone\M)', 1.0),
        ('D', 'auf den Punkt/to the point', '(auf den punkt|kurz und knapp|klartext|keine zeit|zeit ist geld|to the point|no time|\mbusy\M)', 1.0),
        ('D', 'imperative', '^\s*(schick|sag|ruf|mach|gib|zeig|nenn|send|call|tell|give|show|get|make)\M', 1.0),
        ('I', 'toll/amazing', '\m(toll|super|genial|mega|wahnsinn|klasse|cool|amazing|awesome|great|fantastic|love)', 1.0),
        ('I', 'Spaß/fun', '(spa(ß|ss)|\mwow\M|\mhaha|begeister|freu(e|t)? mich|\mfun\M|exciting|excited)', 1.0),
        ('I', 'Freunde/people', '\m(leute|freunde?|freundin(nen)?|gemeinsam|zusammen|team|people|friends?|together|everyone)\M', 1.0),
        ('I', 'Geschichte/story', '(erzähl|geschichte|stell dir vor|\mstor(y|ies)\M|imagine)', 1.0),
        ('I', 'exclamation', '!', 0.5),
        ('I', 'emoji', '[\U0001F300-\U0001FAFF\u2600-\u27BF]', 0.5),
        ('S', 'Sicherheit/security', '(sicherheit|\msicher\M|absicher|risiko|\msafe(ty)?\M|secur|\mrisk)', 1.0),
        ('S', 'Familie/family', '(familie|\mkinder\M|mein(em)? mann\M|meine(r)? frau\M|\mfamily|\mkids\M|my (husband|wife|partner))', 1.0),
        ('S', 'in Ruhe/no rush', '(in ruhe|\mruhig|zeit lassen|keine eile|überleg|nachdenken|take my time|no rush|think (about|it over)|\mcalm)', 1.0),
        ('S', 'Schritt für Schritt/step by step', '(schritt für schritt|langsam|nach und nach|step by step|slowly|one step)', 1.0),
        ('S', 'unsicher/not sure', '(unsicher|vielleicht|weiß (ich )?nicht|bedenken|vorsichtig|vertrauen|not sure|\mmaybe\M|perhaps|worried|careful|\mtrust)', 1.0),
        ('G', 'Details/genau', '(\mdetail|\mgenau|präzise|konkret|\mexact|precise|specific)', 1.0),
        ('G', 'Studien/data', '(studie|\mdaten\M|statistik|quelle|nachweis|\mbelege?\M|fakten|\mstud(y|ies)\M|\mdata\M|statistic|\msources?\M|evidence|\mproof\M|\mfacts?\M)', 1.0),
        ('G', 'Zahlen/numbers', '(\mzahlen\M|prozent|\mnumbers\M|percent|%)', 1.0),
        ('G', 'Vertrag/terms', '(vertrag|bedingung|\magb\M|inhaltsstoff|zertifi|contract|\mterms\M|conditions|ingredient|certif)', 1.0),
        ('G', 'warum/why', '(wie funktioniert|\mwarum\M|\mwieso\M|\mweshalb\M|how does|\mwhy\M)', 1.0),
        ('G', 'question', '\?', 0.5),
        ('G', 'figures', '[0-9]', 0.5)
    ),
    hits AS (
        -- cue outer, messages inner: each pattern is compiled once per call (PostgreSQL caches
        -- only 32 compiled regular expressions, fewer than there are cues)
        SELECT c.disg_type, c.cue, c.weight, h.messages
        FROM cues AS c
        CROSS JOIN LATERAL (SELECT count(*) AS messages FROM msgs AS m WHERE m.body ~* c.pattern) AS h
        WHERE h.messages > 0
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
