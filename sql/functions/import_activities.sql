-- ============================================================================
-- import_activities: validate and insert the activities staged in this transaction's batch
-- ============================================================================
-- The lead is found by id, by (external system, external id), by e-mail or by phone — among
-- the leads the caller may see, and only when exactly one matches. A time without offset is
-- the lead's local time. Each activity gets a fingerprint (lead, channel, direction, kind,
-- time, text, and which repeat of that same message in the file it is — two "ok" in the same
-- minute stay two), so importing the same file again inserts nothing. Inserted rows run the
-- usual triggers: engagement counters, stale memory and the contact window learn from them.
-- A row for a restricted lead (GDPR Art. 18) is refused with a reason.
CREATE OR REPLACE FUNCTION salesflow.import_activities()
RETURNS TABLE (created integer, unchanged integer, rejected integer)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
SET work_mem = '128MB'  -- the window, UNION and hash steps over a whole file sort in memory
AS $$
DECLARE
    v_batch salesflow.import_batches := salesflow.import_batch_for_caller(ARRAY['activities', 'whatsapp']);
    v_me uuid := salesflow.require_identity();
    v_visible uuid [] := CASE WHEN v_me IS NOT NULL THEN coalesce(salesflow.visible_user_ids(), '{}') END;
BEGIN
    DROP TABLE IF EXISTS pg_temp.import_activity_rows;
    CREATE TEMP TABLE import_activity_rows ON COMMIT DROP AS
    WITH s AS (
        SELECT st.*, coalesce(st.line, (st.row_no - min(st.row_no) OVER () + 2)::integer) AS at_line,
               lower(nullif(btrim(st.lead_email), '')) AS email_key, salesflow.import_phone(st.lead_phone) AS phone_key,
               CASE WHEN btrim(st.lead_id) ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                    THEN btrim(st.lead_id)::uuid END AS lead_uuid,
               coalesce(nullif(btrim(st.external_system), ''), v_batch.source_system) AS system_key,
               nullif(btrim(st.lead_external_id), '') AS external_key
        FROM salesflow.staged_activities AS st WHERE st.batch_id = v_batch.id AND st.staged_by = v_batch.db_role
    ),
    candidates AS (
        -- every visible lead a row could mean; a row with two candidates is ambiguous
        SELECT s.row_no, l.id, l.user_id, l.timezone, NOT salesflow.lead_is_processable(l) AS restricted
        FROM s JOIN salesflow.leads AS l ON l.id = s.lead_uuid
        WHERE v_visible IS NULL OR l.user_id = ANY (v_visible)
        UNION
        SELECT s.row_no, l.id, l.user_id, l.timezone, NOT salesflow.lead_is_processable(l) AS restricted
        FROM s JOIN salesflow.leads AS l
          ON l.external_system = s.system_key AND l.external_id = s.external_key
        WHERE v_visible IS NULL OR l.user_id = ANY (v_visible)
        UNION
        SELECT s.row_no, l.id, l.user_id, l.timezone, NOT salesflow.lead_is_processable(l) AS restricted
        FROM s JOIN salesflow.leads AS l ON lower(l.email) = s.email_key
        WHERE s.email_key IS NOT NULL AND nullif(btrim(s.lead_id), '') IS NULL AND nullif(btrim(s.lead_external_id), '') IS NULL
          AND (v_visible IS NULL OR l.user_id = ANY (v_visible))
        UNION
        SELECT s.row_no, l.id, l.user_id, l.timezone, NOT salesflow.lead_is_processable(l) AS restricted
        FROM s JOIN salesflow.leads AS l ON l.phone = s.phone_key
        WHERE s.phone_key IS NOT NULL AND s.email_key IS NULL
          AND nullif(btrim(s.lead_id), '') IS NULL AND nullif(btrim(s.lead_external_id), '') IS NULL
          AND (v_visible IS NULL OR l.user_id = ANY (v_visible))
    ),
    one AS (
        SELECT c.row_no, min(c.id::text)::uuid AS lead_id, min(c.user_id::text)::uuid AS user_id,
               min(c.timezone) AS timezone, count(*) AS n, bool_or(c.restricted) AS restricted
        FROM candidates AS c GROUP BY c.row_no
    ),
    n AS (
        SELECT s.at_line AS line, s.row_no,
               coalesce(nullif(btrim(s.lead_id), ''), nullif(btrim(s.lead_external_id), ''), s.email_key, s.phone_key) AS raw_lead,
               CASE WHEN o.n = 1 THEN o.lead_id END AS lead_id, CASE WHEN o.n = 1 THEN o.user_id END AS user_id,
               coalesce(o.n, 0) AS matches, coalesce(o.n = 1 AND o.restricted, false) AS restricted,
               CASE lower(btrim(s.channel))
                   WHEN 'call' THEN 'phone' WHEN 'telefon' THEN 'phone' WHEN 'anruf' THEN 'phone' WHEN 'tel' THEN 'phone'
                   WHEN 'e-mail' THEN 'email' WHEN 'mail' THEN 'email' WHEN 'wa' THEN 'whatsapp' WHEN 'ig' THEN 'instagram'
                   WHEN 'meeting' THEN 'in_person' WHEN 'termin' THEN 'in_person' WHEN 'treffen' THEN 'in_person'
                   ELSE salesflow.import_slug(s.channel) END AS channel,
               nullif(btrim(s.channel), '') AS raw_channel,
               CASE WHEN lower(btrim(s.direction)) IN ('in', 'inbound', 'incoming', 'received', 'eingehend', 'eingang', 'rein') THEN 'in'
                    WHEN lower(btrim(s.direction)) IN ('out', 'outbound', 'outgoing', 'sent', 'ausgehend', 'ausgang', 'raus') THEN 'out'
               END AS direction,
               s.direction AS raw_direction,
               CASE lower(btrim(s.kind))
                   WHEN 'anruf' THEN 'call' WHEN 'telefonat' THEN 'call' WHEN 'notiz' THEN 'note'
                   WHEN 'termin' THEN 'meeting' WHEN 'treffen' THEN 'meeting' WHEN 'nachricht' THEN 'message'
                   ELSE lower(nullif(btrim(s.kind), '')) END AS given_kind,
               nullif(btrim(s.kind), '') AS raw_kind,
               salesflow.import_timestamp(s.occurred_at, o.timezone) AS occurred_at, nullif(btrim(s.occurred_at), '') AS raw_occurred_at,
               nullif(concat_ws(E'\n', nullif(btrim(s.subject), ''), nullif(s.body, '')), '') AS body
        FROM s LEFT JOIN one AS o ON o.row_no = s.row_no
    ),
    k AS (
        SELECT n.*,
               coalesce(n.given_kind, CASE n.channel WHEN 'phone' THEN 'call' WHEN 'in_person' THEN 'meeting' ELSE 'message' END) AS kind
        FROM n
    )
    SELECT k.*,
           (k.matches = 1 AND NOT k.restricted AND k.channel IN ('whatsapp', 'email', 'phone', 'instagram', 'linkedin', 'telegram', 'sms', 'in_person')
            AND k.direction IS NOT NULL AND k.kind IN ('message', 'call', 'meeting', 'note') AND k.occurred_at IS NOT NULL
            AND coalesce(length(k.body), 0) <= 100000) AS ok,
           md5(concat_ws('|', k.lead_id, k.channel, k.direction, k.kind, extract(EPOCH FROM k.occurred_at), k.body,
                         row_number() OVER (PARTITION BY k.lead_id, k.channel, k.direction, k.kind, k.occurred_at, k.body
                                            ORDER BY k.line, k.row_no))) AS fingerprint
    FROM k;

    INSERT INTO salesflow.import_rejects (batch_id, line, field, value, reason)
    SELECT v_batch.id, r.line, p.field, left(p.value, 200), p.reason
    FROM pg_temp.import_activity_rows AS r
    CROSS JOIN LATERAL (VALUES
        -- the same conditions as ok, one row per failed one, for the rows that are not ok
        (r.raw_lead IS NULL, 'lead', NULL, 'no lead: give lead_id, lead_external_id, lead_email or lead_phone'),
        (r.raw_lead IS NOT NULL AND r.matches = 0, 'lead', r.raw_lead, 'no lead you may see matches'),
        (r.matches > 1, 'lead', r.raw_lead, r.matches || ' leads match: use the lead id or external id'),
        (r.restricted, 'lead', r.raw_lead, 'the lead is restricted (GDPR Art. 18): an import may not add to it'),
        (r.channel IS NULL OR r.channel NOT IN ('whatsapp', 'email', 'phone', 'instagram', 'linkedin', 'telegram', 'sms', 'in_person'),
         'channel', r.raw_channel, 'unknown channel (whatsapp, email, phone, instagram, linkedin, telegram, sms, in_person)'),
        (r.direction IS NULL, 'direction', r.raw_direction, 'not a direction (in = from the lead, out = to the lead)'),
        (r.kind NOT IN ('message', 'call', 'meeting', 'note'), 'kind', r.raw_kind, 'unknown kind (message, call, meeting, note)'),
        (r.raw_occurred_at IS NULL, 'occurred_at', NULL, 'no time'),
        (r.matches = 1 AND r.raw_occurred_at IS NOT NULL AND r.occurred_at IS NULL, 'occurred_at', r.raw_occurred_at,
         'not a date and time (ISO 8601)'),
        (length(r.body) > 100000, 'body', left(r.body, 60), 'longer than 100000 characters')
    ) AS p (failed, field, value, reason)
    WHERE NOT r.ok AND p.failed;

    SELECT count(*) FILTER (WHERE NOT r.ok)::integer INTO rejected FROM pg_temp.import_activity_rows AS r;
    created := 0;
    IF v_batch.mode = 'dry_run' OR (v_batch.mode = 'all' AND rejected > 0) THEN
        SELECT count(*)::integer INTO created
        FROM pg_temp.import_activity_rows AS r
        WHERE r.ok
          AND NOT EXISTS (SELECT 1 FROM salesflow.lead_activities AS a WHERE a.lead_id = r.lead_id AND a.fingerprint = r.fingerprint);
    ELSE
        INSERT INTO salesflow.lead_activities (lead_id, user_id, channel, direction, kind, body, occurred_at, fingerprint, import_batch_id)
        SELECT r.lead_id, r.user_id, r.channel, r.direction, r.kind, r.body, r.occurred_at, r.fingerprint, v_batch.id
        FROM pg_temp.import_activity_rows AS r
        WHERE r.ok
        ON CONFLICT (lead_id, fingerprint) WHERE fingerprint IS NOT NULL DO NOTHING;
        GET DIAGNOSTICS created = ROW_COUNT;
    END IF;
    SELECT count(*)::integer - created - rejected INTO unchanged FROM pg_temp.import_activity_rows;
    DELETE FROM salesflow.staged_activities AS st WHERE st.batch_id = v_batch.id;
    UPDATE salesflow.import_batches AS b
    SET counts = b.counts || jsonb_build_object('activities', jsonb_build_object(
        'created', created, 'unchanged', unchanged, 'rejected', rejected))
    WHERE b.id = v_batch.id;
    RETURN NEXT;
END;
$$;
COMMENT ON FUNCTION salesflow.import_activities() IS
'Validate and insert the staged activities of this transaction''s import (lead by id, external id, e-mail or phone); returns counts.';
