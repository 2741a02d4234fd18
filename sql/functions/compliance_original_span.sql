-- ============================================================================
-- compliance_original_span: the original wording behind a match in the folded text
-- ============================================================================
-- compliance_fold widens ä/ö/ü/ß (and the capitals) to two characters and drops zero-width
-- characters; everything else maps one to one. Walk the original characters with their
-- folded widths and return those that cover folded positions p_start .. p_start+p_len-1.
CREATE OR REPLACE FUNCTION salesflow.compliance_original_span(p_text text, p_start integer, p_len integer)
RETURNS text
LANGUAGE sql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE
        WHEN p_text !~ U&'[\00E4\00F6\00FC\00DF\00C4\00D6\00DC\1E9E\00AD\200B\200C\200D\2060\FEFF]'
            THEN substr(p_text, p_start, p_len)
        ELSE (
            SELECT string_agg(c.ch, '' ORDER BY c.ord)
            FROM (
                SELECT
                    w.ch,
                    w.ord,
                    w.width,
                    sum(w.width) OVER (ORDER BY w.ord) AS fold_end
                FROM (
                    SELECT
                        t.ch,
                        t.ord,
                        CASE
                            WHEN t.ch IN (U&'\00E4', U&'\00F6', U&'\00FC', U&'\00DF', U&'\00C4', U&'\00D6', U&'\00DC', U&'\1E9E') THEN 2
                            WHEN t.ch IN (U&'\00AD', U&'\200B', U&'\200C', U&'\200D', U&'\2060', U&'\FEFF') THEN 0
                            ELSE 1
                        END AS width
                    FROM unnest(string_to_array(p_text, NULL)) WITH ORDINALITY AS t (ch, ord)
                ) AS w
            ) AS c
            WHERE c.fold_end > p_start - 1 AND c.fold_end - c.width < p_start - 1 + p_len
        )
    END;
$$;
COMMENT ON FUNCTION salesflow.compliance_original_span(text, integer, integer) IS
'Internal: the characters of p_text behind folded positions p_start (1-based) .. p_start + p_len - 1 (see compliance_fold).';
