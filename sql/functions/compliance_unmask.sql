-- ============================================================================
-- compliance_unmask: the text with filter-dodging disguises undone, before compliance_fold
-- ============================================================================
-- Undoes what people use to slip a claim past a word filter while it still reads the same:
--   * compatibility forms (NFKD): fullwidth ｈｅｉｌｔ, ligatures, superscripts, circled letters;
--   * accents, combining (he + U+0301 + ilt) or precomposed (héilt): dropped, except the
--     diaeresis, so ä stays ä however it is written;
--   * look-alike Cyrillic and Greek letters inside Latin text (h + U+0435 + ilt): folded to Latin;
--   * spaced or dotted letters (h e i l t, h.e.i.l.t, h-e-i-l-t): a text with three or more
--     single letters in a row has the separators between single letters removed.
-- Text without such characters (ASCII, German umlauts, ß, punctuation, emojis) is returned
-- unchanged without any of that work (the first test): an ordinary message costs two regex tests.
CREATE OR REPLACE FUNCTION salesflow.compliance_unmask(p_text text)
RETURNS text
LANGUAGE plpgsql
IMMUTABLE
STRICT
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    -- letters with accents (not ä ö ü ß), spacing and combining marks, Greek, Cyrillic, letter-like
    -- and enclosed forms, ligatures, fullwidth and mathematical letters: what NFKD and the fold undo
    c_disguise constant text := U&'[\00C0-\00C3\00C5-\00D5\00D7-\00DB\00DD\00DE\00E0-\00E3\00E5-\00F5\00F7-\00FB'
    || U&'\00FD-\024F\02B0-\036F\0370-\052F\1AB0-\1AFF\1D00-\1DFF\2070-\209F\20D0-\20FF\2100-\24FF\FB00-\FB4F'
    || U&'\FE20-\FE2F\FF00-\FFEF\+01D400-\+01D7FF\+01F100-\+01F1FF]';
    c_spaced constant text := '(?:^|[^[:alnum:]])[[:alpha:]](?:[ .*_-][[:alpha:]]){2,}(?:[^[:alnum:]]|$)';
    v text := p_text;
BEGIN
    IF v !~ c_disguise AND v !~ c_spaced THEN
        RETURN v;
    END IF;
    -- NFKD: compatibility forms to plain letters, and every accent split off its letter
    v := normalize(v, nfkd);
    v := replace(v, U&'\0308', U&'\E000');
    v := regexp_replace(v, U&'[\0300-\036F\1AB0-\1AFF\1DC0-\1DFF\20D0-\20FF\FE20-\FE2F]', '', 'g');
    v := normalize(replace(v, U&'\E000', U&'\0308'), nfc);
    -- Cyrillic and Greek letters that look like Latin ones (and the dotless i)
    v := translate(
        v,
        U&'\0430\0441\0435\04BB\0456\0458\043A\043C\043E\0440\051B\0455\0442\0443\0445\051D\0432\043D'
        || U&'\0410\0412\0421\0415\041D\0406\0408\041A\041C\041E\0420\0405\0422\0425\0423'
        || U&'\03B1\03BF\03C1\03B5\03B9\03BA\03BD\03C4\03C5\03C7'
        || U&'\0391\0392\0395\0396\0397\0399\039A\039C\039D\039F\03A1\03A4\03A7\03A5\0131',
        'acehijkmopqstyxwbh'
        || 'ABCEHIJKMOPSTXY'
        || 'aopeikvtux'
        || 'ABEZHIKMNOPTXYi'
    );
    -- a separator between two single letters (lookarounds see the input, so a whole run joins)
    IF v ~ c_spaced THEN
        v := regexp_replace(v, '(?<=(?:^|[^[:alnum:]])[[:alpha:]])[ .*_-](?=[[:alpha:]](?:[^[:alnum:]]|$))', '', 'g');
    END IF;
    RETURN v;
END;
$$;
COMMENT ON FUNCTION salesflow.compliance_unmask(text) IS
'Internal: the text with look-alike letters, fullwidth forms, combining marks and spaced letters undone (see compliance_fold).';
