-- ============================================================================
-- term: the word for a code in German or English (the codes SQL writes into texts for people)
-- ============================================================================
-- Reasons and titles that SQL composes name stages, traffic lights and BANT dimensions; a
-- person reads 'Stufe Angebot', not 'Stufe proposal'. The CLI's own labels live in
-- salesflow_cli/i18n.py; this is the SQL side's short list. Unknown codes come back as they are.
CREATE OR REPLACE FUNCTION salesflow.term(p_kind text, p_code text, p_language text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT coalesce(
        (SELECT CASE WHEN p_language = 'de' THEN t.de ELSE t.en END
         FROM (VALUES
             ('stage', 'new', 'neu', 'new'), ('stage', 'contacted', 'kontaktiert', 'contacted'),
             ('stage', 'replied', 'geantwortet', 'replied'), ('stage', 'meeting', 'Termin', 'meeting'),
             ('stage', 'proposal', 'Angebot', 'proposal'), ('stage', 'won', 'gewonnen', 'won'),
             ('stage', 'lost', 'verloren', 'lost'),
             ('light', 'green', 'grün', 'green'), ('light', 'yellow', 'gelb', 'yellow'), ('light', 'red', 'rot', 'red'),
             ('bant', 'budget', 'Budget', 'budget'), ('bant', 'authority', 'Entscheidungsbefugnis', 'authority'),
             ('bant', 'need', 'Bedarf', 'need'), ('bant', 'timeline', 'Zeitplan', 'timeline')
         ) AS t (kind, code, de, en)
         WHERE t.kind = p_kind AND t.code = p_code),
        p_code);
$$;
COMMENT ON FUNCTION salesflow.term(text, text, text) IS
'Internal: the German or English word for a stage, traffic light or BANT dimension code (unknown codes as they are).';
