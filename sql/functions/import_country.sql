-- ============================================================================
-- import_country: a country as its ISO 3166-1 alpha-2 code (DE, "Deutschland", "deu" -> DE)
-- ============================================================================
-- Codes, then the alias list (English and German names, alpha-3 codes, short forms), then
-- the names in salesflow.countries. NULL when blank or unknown (the caller reports it).
CREATE OR REPLACE FUNCTION salesflow.import_country(p_value text)
RETURNS text
LANGUAGE sql
STABLE
PARALLEL SAFE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
    SELECT coalesce(
        (SELECT c.code FROM salesflow.countries AS c WHERE c.code = upper(btrim(p_value))),
        (SELECT a.code FROM salesflow.country_aliases AS a WHERE a.alias = lower(btrim(p_value))),
        (SELECT min(c.code) FROM salesflow.countries AS c
         WHERE lower(c.name_en) = lower(btrim(p_value)) OR lower(c.name_de) = lower(btrim(p_value)))
    )
    WHERE nullif(btrim(p_value), '') IS NOT NULL;
$$;
COMMENT ON FUNCTION salesflow.import_country(text) IS
'Internal: ISO 3166-1 alpha-2 code of a country code, alias or English/German name; NULL when unknown.';
