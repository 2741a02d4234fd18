-- ============================================================================
-- 0100 imports: external ids, provenance, import batches and their staging tables
-- ============================================================================
-- How real data arrives (salesflow import ..., or a DBA in psql):
--   BEGIN;
--   SELECT salesflow.begin_import('leads', 'hubspot', 'contacts.csv');   -- this transaction's batch
--   \copy salesflow.staged_leads (external_id, name, email, ...) FROM 'contacts.csv' CSV HEADER
--   SELECT * FROM salesflow.import_leads();      -- validate, normalise, upsert (or reject all)
--   SELECT * FROM salesflow.list_import_rejects(); -- what was refused, by line, field and reason
--   SELECT salesflow.finish_import();            -- drop the staged rows and rejects
--   COMMIT;
-- Staged rows never outlive the transaction that wrote them (finish_import deletes them; a
-- crash or Ctrl-C rolls them back with everything else), so an import is all or nothing.
-- The staging tables are UNLOGGED and unindexed (no WAL, no index upkeep for rows that live
-- seconds; only in-flight batches are ever in them, so a scan is the right plan) and the sales roles may
-- only INSERT into them: COPY needs nothing more, and nobody can read another import's rows.
-- A row lands in the batch named by salesflow.import_batch (set by begin_import, transaction
-- local); the batch id is a random uuid only its creator knows, and the import functions take
-- only rows staged by the batch's own login (staged_by, a default nobody may set), so a leaked
-- batch id lets no one else plant rows in it.

-- Provenance of a lead: who created it. seed/demo --reset delete only 'seed' leads without asking.
ALTER TABLE salesflow.leads
ADD COLUMN origin text NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'seed', 'import')),
ADD COLUMN external_system text CHECK (external_system ~ '^[a-z][a-z0-9_-]{1,39}$'),
ADD COLUMN external_id text CHECK (btrim(external_id) <> '' AND length(external_id) <= 200),
ADD COLUMN import_batch_id uuid,
ADD CONSTRAINT leads_external_pair_check CHECK ((external_system IS NULL) = (external_id IS NULL)),
ADD CONSTRAINT leads_external_key UNIQUE (external_system, external_id);
COMMENT ON COLUMN salesflow.leads.origin IS 'Who created the lead: manual (SQL, CLI), seed (salesflow seed/demo) or import.';
COMMENT ON COLUMN salesflow.leads.external_system IS 'CRM the lead was imported from (hubspot, pipedrive, salesforce, ...); with external_id unique.';
COMMENT ON COLUMN salesflow.leads.import_batch_id IS 'The import that created or last updated the lead (salesflow.import_batches).';

-- An imported activity carries a fingerprint of what it is, so the same message imported twice
-- is one row (unique per lead; hand-written activities have none and are never merged).
ALTER TABLE salesflow.lead_activities
ADD COLUMN fingerprint text CHECK (fingerprint ~ '^[0-9a-f]{32}$'),
ADD COLUMN import_batch_id uuid;
CREATE UNIQUE INDEX lead_activities_fingerprint_key ON salesflow.lead_activities (lead_id, fingerprint)
WHERE fingerprint IS NOT NULL;
COMMENT ON COLUMN salesflow.lead_activities.fingerprint IS
'md5 of lead, channel, direction, kind, time and text for imported activities: re-importing changes nothing.';

-- One row per import: no personal data (WhatsApp chats keep no file name: it names the person).
-- Readable under RLS like every table with user_id (a rep sees their own imports); written only
-- by the import functions.
CREATE TABLE salesflow.import_batches (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CHECK (kind IN ('leads', 'users', 'activities', 'whatsapp')),
    source_system text NOT NULL CHECK (source_system ~ '^[a-z][a-z0-9_-]{1,39}$'),
    file_name text CHECK (length(file_name) <= 255),
    user_id uuid REFERENCES salesflow.users (id) ON DELETE SET NULL,
    db_role text NOT NULL DEFAULT session_user,
    mode text NOT NULL DEFAULT 'all' CHECK (mode IN ('all', 'skip_invalid', 'dry_run')),
    counts jsonb NOT NULL DEFAULT '{}'::jsonb,
    started_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
);
COMMENT ON TABLE salesflow.import_batches IS
'One row per salesflow import: kind, source system, file name, who, counts. Written by the import functions only.';
CREATE INDEX import_batches_user_idx ON salesflow.import_batches (user_id, started_at DESC);
ALTER TABLE salesflow.leads
ADD CONSTRAINT leads_import_batch_fkey FOREIGN KEY (import_batch_id)
REFERENCES salesflow.import_batches (id) ON DELETE SET NULL;

CREATE SEQUENCE salesflow.staged_row_seq;

-- Staged rows: text as it came (the CLI has already decoded the file, mapped the headers,
-- parsed dates and numbers and put phones in E.164; a DBA's \copy may pass raw text).
-- line: the file line for error reports; NULL means "count rows in COPY order".
CREATE UNLOGGED TABLE salesflow.staged_leads (
    batch_id uuid NOT NULL DEFAULT (nullif(current_setting('salesflow.import_batch', true), ''))::uuid,
    row_no bigint NOT NULL DEFAULT nextval('salesflow.staged_row_seq'),
    staged_by name NOT NULL DEFAULT session_user,
    line integer,
    external_id text,
    first_name text,
    last_name text,
    name text,
    company text,
    email text,
    phone text,
    owner text,
    stage text,
    stage_fallback text,
    source text,
    industry text,
    country text,
    language text,
    timezone text,
    deal_value text,
    created_at text,
    closed_at text,
    lost_reason text,
    consent text
);
COMMENT ON TABLE salesflow.staged_leads IS
'Import staging for leads (INSERT/COPY only, rows live within one import transaction); see salesflow.import_leads().';

CREATE UNLOGGED TABLE salesflow.staged_activities (
    batch_id uuid NOT NULL DEFAULT (nullif(current_setting('salesflow.import_batch', true), ''))::uuid,
    row_no bigint NOT NULL DEFAULT nextval('salesflow.staged_row_seq'),
    staged_by name NOT NULL DEFAULT session_user,
    line integer,
    lead_id text,
    external_system text,
    lead_external_id text,
    lead_email text,
    lead_phone text,
    channel text,
    direction text,
    kind text,
    occurred_at text,
    subject text,
    body text
);
COMMENT ON TABLE salesflow.staged_activities IS
'Import staging for activities (e-mail, call logs, WhatsApp messages); see salesflow.import_activities().';

CREATE UNLOGGED TABLE salesflow.staged_users (
    batch_id uuid NOT NULL DEFAULT (nullif(current_setting('salesflow.import_batch', true), ''))::uuid,
    row_no bigint NOT NULL DEFAULT nextval('salesflow.staged_row_seq'),
    staged_by name NOT NULL DEFAULT session_user,
    line integer,
    email text,
    display_name text,
    role text,
    team text,
    language text,
    timezone text
);
COMMENT ON TABLE salesflow.staged_users IS 'Import staging for teams and users; see salesflow.import_users().';

-- What an import refused: line, field, value, reason. Deleted by finish_import.
CREATE UNLOGGED TABLE salesflow.import_rejects (
    batch_id uuid NOT NULL,
    line integer NOT NULL,
    field text NOT NULL,
    value text,
    reason text NOT NULL
);
COMMENT ON TABLE salesflow.import_rejects IS 'Rows an import refused (read them with salesflow.list_import_rejects()).';
CREATE INDEX import_rejects_batch_idx ON salesflow.import_rejects (batch_id, line);

-- CRM status/stage values -> salesflow stages. system '*' applies to every system. Admins add
-- their own rows (a custom pipeline); an import can override per run (import_leads p_stage_map).
CREATE TABLE salesflow.import_stage_map (
    system text NOT NULL CHECK (system = '*' OR system ~ '^[a-z][a-z0-9_-]{1,39}$'),
    value text NOT NULL CHECK (value = lower(btrim(value)) AND value <> ''),
    stage text NOT NULL CHECK (stage IN ('new', 'contacted', 'replied', 'meeting', 'proposal', 'won', 'lost')),
    is_builtin boolean NOT NULL DEFAULT false,
    PRIMARY KEY (system, value)
);
COMMENT ON TABLE salesflow.import_stage_map IS
'Maps CRM lead statuses and deal stages (lower-cased) to salesflow stages, per source system or * for all.';
