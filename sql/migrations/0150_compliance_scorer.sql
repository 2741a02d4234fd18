-- ============================================================================
-- 0150 compliance scorer: a statistical check beside the rules, trained on labelled messages
-- ============================================================================
-- The rules catch the phrasings they were written from; the scorer (train_compliance_scorer,
-- compliance_score) is naive Bayes over stemmed words and word pairs of labelled messages, so
-- it also weighs wordings no rule anticipated (issue 13). Its stems come from two text search
-- configurations that stem like PostgreSQL's german/english but drop no stop words: "kein",
-- "nicht", "no" and "not" carry meaning in a compliance check.
-- (sqlfluff cannot parse text search DDL: PRS is waived on these statements only)
CREATE TEXT SEARCH DICTIONARY salesflow.compliance_german_stem (TEMPLATE = snowball, language = german); -- noqa: PRS
CREATE TEXT SEARCH DICTIONARY salesflow.compliance_english_stem (TEMPLATE = snowball, language = english); -- noqa: PRS
CREATE TEXT SEARCH CONFIGURATION salesflow.compliance_de (COPY = pg_catalog.german); -- noqa: PRS
ALTER TEXT SEARCH CONFIGURATION salesflow.compliance_de ALTER MAPPING -- noqa: PRS
FOR asciiword, word, hword, hword_part, hword_asciipart, asciihword WITH salesflow.compliance_german_stem;
CREATE TEXT SEARCH CONFIGURATION salesflow.compliance_en (COPY = pg_catalog.english); -- noqa: PRS
ALTER TEXT SEARCH CONFIGURATION salesflow.compliance_en ALTER MAPPING -- noqa: PRS
FOR asciiword, word, hword, hword_part, hword_asciipart, asciihword WITH salesflow.compliance_english_stem;

-- The labelled messages the scorer learns from: the shipped development corpus (origin
-- 'builtin', re-synced by deploy from corpus/compliance/dev.tsv) and an admin's own (origin
-- 'custom', `salesflow compliance train FILE.tsv`). Never the held-out corpus.
CREATE TABLE salesflow.compliance_training_messages (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category text NOT NULL CHECK (category ~ '^[a-z][a-z0-9_]{1,39}$'), -- a rule category, or 'clean'
    language text NOT NULL CHECK (language IN ('de', 'en')),
    body text NOT NULL CHECK (btrim(body) <> '' AND length(body) <= 10000),
    origin text NOT NULL DEFAULT 'custom' CHECK (origin IN ('builtin', 'custom')),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE salesflow.compliance_training_messages IS
'Compliance scorer: labelled messages (category or clean, language, body) it is trained on; builtin = the shipped dev corpus.';
CREATE UNIQUE INDEX compliance_training_messages_key_idx
ON salesflow.compliance_training_messages (origin, category, language, md5(body));

-- The trained model: one row per term (a stem or a pair of adjacent stems) with its
-- violation-vs-clean log ratio and, per category, its log probability in that category.
CREATE TABLE salesflow.compliance_scorer_terms (
    term text PRIMARY KEY,
    violation_docs integer NOT NULL CHECK (violation_docs >= 0),
    clean_docs integer NOT NULL CHECK (clean_docs >= 0),
    weight double precision NOT NULL, -- ln P(term | violation) - ln P(term | clean)
    category_log_probs jsonb NOT NULL DEFAULT '{}' -- {category: ln P(term | category)} where seen
);
COMMENT ON TABLE salesflow.compliance_scorer_terms IS
'Compliance scorer: naive Bayes weight of each stemmed term (violation vs clean) and its log probability per category.';

CREATE TABLE salesflow.compliance_scorer_model (
    id boolean PRIMARY KEY DEFAULT true CHECK (id), -- one row
    alpha double precision NOT NULL CHECK (alpha > 0),
    prior double precision NOT NULL, -- ln(violations / clean)
    slope double precision NOT NULL, -- Platt scaling of the logit, fitted out-of-fold
    intercept double precision NOT NULL,
    threshold double precision NOT NULL CHECK (threshold BETWEEN 0 AND 1), -- confidence from which a finding is reported
    clean_target double precision NOT NULL CHECK (clean_target BETWEEN 0.5 AND 1),
    categories jsonb NOT NULL, -- {category: {"prior": ln P(category), "unseen": ln P(unseen term | category)}}
    messages integer NOT NULL,
    violations integer NOT NULL,
    oof_recall double precision, -- out-of-fold, at the threshold
    oof_clean double precision,
    trained_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE salesflow.compliance_scorer_model IS
'Compliance scorer: prior, calibration, reporting threshold and out-of-fold figures of the trained model (one row).';
