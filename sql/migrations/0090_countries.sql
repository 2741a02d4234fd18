-- ============================================================================
-- 0090 countries: ISO 3166-1 reference data for imports (country names, language, time zone)
-- ============================================================================
-- salesflow.countries        code (ISO 3166-1 alpha-2), English and German name, the language
--                            salesflow uses with a lead there (de or en) and the main IANA zone.
-- salesflow.country_aliases  lower-cased spellings that mean a country ("deutschland", "usa",
--                            "oesterreich", alpha-3 codes), so an import resolves a CRM's free-text
--                            country field in SQL, from `salesflow import` and from psql alike.
-- The rows come from sql/data/countries.sql (generated from CLDR by scripts/make_country_data.py).
-- Reference data: no RLS, readable by the sales roles (sql/grants.sql), written by the owner.

CREATE TABLE salesflow.countries (
    code char(2) PRIMARY KEY CHECK (code ~ '^[A-Z]{2}$'),
    name_en text NOT NULL CHECK (btrim(name_en) <> ''),
    name_de text NOT NULL CHECK (btrim(name_de) <> ''),
    language text NOT NULL CHECK (language IN ('de', 'en')),
    timezone text NOT NULL CHECK (salesflow.is_valid_timezone(timezone))
);
COMMENT ON TABLE salesflow.countries IS
'ISO 3166-1 countries: names, the language salesflow uses there (de|en) and the main IANA time zone. Shipped data (sql/data/countries.sql).';

CREATE TABLE salesflow.country_aliases (
    alias text PRIMARY KEY CHECK (alias = lower(btrim(alias)) AND alias <> ''),
    code char(2) NOT NULL REFERENCES salesflow.countries (code) ON UPDATE CASCADE ON DELETE CASCADE
);
COMMENT ON TABLE salesflow.country_aliases IS
'Lower-cased country spellings found in CRM exports (names in en/de, without umlauts, alpha-3 codes, short forms) -> countries.code.';
CREATE INDEX country_aliases_code_idx ON salesflow.country_aliases (code);
