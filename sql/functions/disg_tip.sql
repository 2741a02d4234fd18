-- ============================================================================
-- disg_tip: one line of DISG advice for a type in a language (label and the first "do")
-- ============================================================================
CREATE OR REPLACE FUNCTION salesflow.disg_tip(p_type text, p_language text)
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT coalesce(
        (
            SELECT g.label || ': ' || (g.dos ->> 0)
            FROM salesflow.disg_guidance AS g
            WHERE g.disg_type = p_type
            ORDER BY g.language = p_language DESC, g.language = 'en' DESC
            LIMIT 1
        ),
        CASE WHEN p_language = 'de'
            THEN 'Noch kein DISG-Profil – auf Wortwahl und Tempo achten, dann profilieren'
            ELSE 'No DISG profile yet – notice word choice and pace, then profile the lead'
        END
    );
$$;
COMMENT ON FUNCTION salesflow.disg_tip(text, text) IS
'Internal: a one-line DISG tip (label and first do) for type D/I/S/G in de/en; a profiling hint when the type is NULL.';
