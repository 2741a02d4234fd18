-- ============================================================================
-- import_phone: a phone number without its formatting (+49 151 234-5678 -> +491512345678)
-- ============================================================================
-- The CLI already writes E.164 (the phonenumbers library knows national formats); this keeps
-- a psql import consistent (inlined: no SET): separators dropped, 00 as +. NULL when blank; the caller rejects
-- what is not 4-20 digits afterwards.
CREATE OR REPLACE FUNCTION salesflow.import_phone(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT nullif(regexp_replace(regexp_replace(btrim(p_value), '[\s().\/-]', '', 'g'), '^00', '+'), '');
$$;
COMMENT ON FUNCTION salesflow.import_phone(text) IS
'Internal: strip a phone number''s separators (00 -> +); NULL when blank.';
