-- ============================================================================
-- verify_audit_chain: walk the compliance_logs hash chain, report the first broken link
-- ============================================================================
-- In id order, each row must have content_sha256 = sha256(content), prev_hash = the previous
-- row's row_hash (64 zeros for the first row) and row_hash = compliance_log_row_hash(...) over
-- its fields; the last row at or below the head's last_id must carry the head's hash, and the
-- head's row count must match. Rows appended after the head was read (a concurrent log) are
-- walked as well but not counted against it. Returns one row: ok, rows_checked, the first
-- broken id and why (NULL when intact), and the head (id, hash) to keep outside the database:
-- a consistent rewrite of the whole chain and its head is only detectable against a head
-- recorded earlier, which p_anchor_id / p_anchor_hash check (that row must still carry that hash).
-- A row erased by gdpr_erase (erased_at set) has lost its text, content_sha256, lead_ref and
-- snippets, so its row_hash cannot be recomputed; it still links (prev_hash, and its original
-- row_hash is the next row's prev_hash), must carry no text, and its erasure_seal must match
-- compliance_log_erasure_seal over the row_hash and the kept fields.
-- Not granted to the sales roles: it reads every user's logs (run it as the owner, e.g. from cron).
CREATE OR REPLACE FUNCTION salesflow.verify_audit_chain(
    p_anchor_id bigint DEFAULT NULL,
    p_anchor_hash text DEFAULT NULL,
    OUT ok boolean,
    OUT rows_checked bigint,
    OUT first_broken_id bigint,
    OUT reason text,
    OUT head_id bigint,
    OUT head_hash text
)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
DECLARE
    v_genesis constant text := repeat('0', 64);
    v_head salesflow.audit_chain_head;
    v_prev text := repeat('0', 64);
    v_prev_id bigint;
    v_in_head bigint := 0;
    v_hash_at_head text;
    v_anchor_seen boolean := false;
    r record;
BEGIN
    IF (p_anchor_id IS NULL) <> (p_anchor_hash IS NULL) THEN
        RAISE EXCEPTION 'p_anchor_id and p_anchor_hash go together, got % and %', p_anchor_id, coalesce(quote_literal(p_anchor_hash), 'NULL')
            USING ERRCODE = '22023', HINT = 'Pass both (a head id and hash recorded earlier) or neither.';
    END IF;
    IF p_anchor_hash IS NOT NULL AND p_anchor_hash !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'p_anchor_hash must be 64 lower-case hex digits, got %', quote_literal(p_anchor_hash)
            USING ERRCODE = '22023', HINT = 'Pass the head hash printed by an earlier salesflow audit verify.';
    END IF;
    ok := true;
    rows_checked := 0;
    -- the head first: rows committed after this are walked too, but the head is not expected to count them
    SELECT * INTO v_head FROM salesflow.audit_chain_head;
    IF NOT FOUND THEN
        ok := false;
        reason := 'chain head missing: salesflow.audit_chain_head has no row';
        RETURN;
    END IF;
    head_id := v_head.last_id;
    head_hash := v_head.last_hash;

    FOR r IN
        SELECT l.id, l.user_id, l.lead_ref, l.content_type, l.content, l.content_sha256, l.language, l.violations,
               l.max_severity, l.decision, l.checker, l.model, l.created_at, l.prev_hash, l.row_hash,
               l.erased_at, l.erasure_seal
        FROM salesflow.compliance_logs AS l
        ORDER BY l.id
    LOOP
        rows_checked := rows_checked + 1;
        IF r.row_hash IS NULL OR r.prev_hash IS NULL THEN
            reason := 'row is not chained (no prev_hash/row_hash): not written by log_ai_output_compliance';
        ELSIF r.prev_hash <> v_prev THEN
            reason := CASE WHEN v_prev_id IS NULL
                THEN 'prev_hash is not the chain start: the row(s) before it are missing'
                ELSE format('prev_hash does not match the row_hash of the previous row (id %s): a row between them is missing, '
                    || 'or the previous row was rewritten', v_prev_id)
            END;
        ELSIF r.erased_at IS NOT NULL THEN
            IF r.content <> '' THEN
                reason := 'erased row carries text: it was written after the erasure';
            ELSIF r.erasure_seal IS DISTINCT FROM salesflow.compliance_log_erasure_seal(
                r.row_hash, r.id, r.user_id, r.lead_ref, r.content_type, r.language, r.violations, r.max_severity, r.decision,
                r.checker, r.model, r.created_at, r.erased_at
            ) THEN
                reason := 'erasure_seal does not match the erased row: a kept field was changed after the erasure';
            END IF;
        ELSIF r.content IS NULL OR r.content_sha256 IS DISTINCT FROM encode(sha256(convert_to(r.content, 'UTF8')), 'hex') THEN
            reason := 'content does not match content_sha256: the text was changed';
        ELSIF r.row_hash <> salesflow.compliance_log_row_hash(
            r.prev_hash, r.id, r.user_id, r.lead_ref, r.content_type, r.content_sha256, r.language, r.violations,
            r.max_severity, r.decision, r.checker, r.model, r.created_at
        ) THEN
            reason := 'row_hash does not match the row: a field was changed';
        END IF;
        IF reason IS NULL AND r.id = p_anchor_id AND r.row_hash <> p_anchor_hash THEN
            reason := format('anchor mismatch: the recorded hash %s is no longer this row''s hash: the chain was rewritten', p_anchor_hash);
        END IF;
        IF reason IS NOT NULL THEN
            ok := false;
            first_broken_id := r.id;
            RETURN;
        END IF;
        IF r.id = p_anchor_id THEN
            v_anchor_seen := true;
        END IF;
        IF r.id <= v_head.last_id THEN
            v_in_head := v_in_head + 1;
            v_hash_at_head := r.row_hash;
        END IF;
        v_prev := r.row_hash;
        v_prev_id := r.id;
    END LOOP;

    IF v_in_head <> v_head.row_count OR coalesce(v_hash_at_head, v_genesis) <> v_head.last_hash THEN
        ok := false;
        first_broken_id := v_head.last_id;
        reason := format('tail deleted: the head records %s row(s) ending at id %s (hash %s), the table has %s up to there, '
            || 'ending with hash %s', v_head.row_count, coalesce(v_head.last_id::text, '-'), left(v_head.last_hash, 12), v_in_head,
            left(coalesce(v_hash_at_head, v_genesis), 12));
        RETURN;
    END IF;
    IF p_anchor_id IS NOT NULL AND NOT v_anchor_seen THEN
        ok := false;
        first_broken_id := p_anchor_id;
        reason := format('anchor missing: row %s recorded with hash %s is not in the chain any more', p_anchor_id, left(p_anchor_hash, 12));
    END IF;
END;
$$;
COMMENT ON FUNCTION salesflow.verify_audit_chain(bigint, text) IS
'Audit chain check (optional anchor id and hash recorded earlier): ok, rows_checked, first_broken_id, reason, head_id, head_hash. '
'Detects changed fields, changed content, missing rows, a deleted tail and (with an anchor) a rewritten chain.';
