-- ============================================================================
-- 0030 actions: DISG guidance reference table, playbook chaining
-- ============================================================================
-- disg_guidance: how to talk to each DISG type (D dominant, I initiative, S steady,
-- G gewissenhaft = C conscientious), one row per type and language. Shipped rows carry
-- is_builtin = true and are upserted by sql/data/disg_guidance.sql; set is_builtin = false on a
-- row to keep your own wording across deploys.
CREATE TABLE salesflow.disg_guidance (
    disg_type char(1) NOT NULL CHECK (disg_type IN ('D', 'I', 'S', 'G')),
    language text NOT NULL CHECK (language IN ('de', 'en')),
    label text NOT NULL CHECK (btrim(label) <> ''),
    summary text NOT NULL CHECK (btrim(summary) <> ''),
    dos jsonb NOT NULL CHECK (jsonb_typeof(dos) = 'array' AND jsonb_array_length(dos) > 0),
    donts jsonb NOT NULL CHECK (jsonb_typeof(donts) = 'array' AND jsonb_array_length(donts) > 0),
    opener text NOT NULL CHECK (btrim(opener) <> ''),
    pace text NOT NULL CHECK (btrim(pace) <> ''),
    preferred_channels text[] NOT NULL CHECK (
        cardinality(preferred_channels) > 0
        AND preferred_channels <@ ARRAY['whatsapp', 'email', 'phone', 'instagram', 'linkedin', 'telegram', 'sms', 'in_person']
    ),
    closing_tip text NOT NULL CHECK (btrim(closing_tip) <> ''),
    is_builtin boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (disg_type, language)
);
COMMENT ON TABLE salesflow.disg_guidance IS
'Reference: communication guidance per DISG type (D, I, S, G = C) and language: summary, dos, donts, opener, pace, preferred channels, closing tip.';

-- Playbooks can name the playbook to suggest once a run completes (the completion trigger
-- turns it into a playbook_next_step recommendation; NULL = suggest the closing step).
ALTER TABLE salesflow.playbooks
ADD COLUMN next_playbook_key text REFERENCES salesflow.playbooks (key) ON DELETE SET NULL;
COMMENT ON COLUMN salesflow.playbooks.next_playbook_key IS
'Playbook to suggest when a run of this one completes; NULL: suggest closing the deal instead.';
