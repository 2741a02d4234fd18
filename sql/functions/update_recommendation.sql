-- ============================================================================
-- update_recommendation: accept, dismiss or complete a recommendation, with feedback
-- ============================================================================
-- Transitions: open -> accepted | dismissed | done; accepted -> done. Anything else (a
-- resolved or expired recommendation) is refused with 22023. resolved_at = now().
-- Feedback text and a rating 1-5 feed the learning about which recommendations help.
CREATE OR REPLACE FUNCTION salesflow.update_recommendation(
    p_id bigint,
    p_status text,
    p_feedback text DEFAULT NULL,
    p_rating integer DEFAULT NULL
)
RETURNS TABLE (id bigint, status text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, salesflow, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_me uuid := salesflow.require_identity();
    v_rec salesflow.ai_recommendations;
BEGIN
    IF p_id IS NULL THEN
        RAISE EXCEPTION 'p_id must not be NULL' USING ERRCODE = '22023', HINT = 'Pass the id from list_recommendations.';
    END IF;
    IF p_status IS NULL OR p_status NOT IN ('accepted', 'dismissed', 'done') THEN
        RAISE EXCEPTION 'p_status must be accepted, dismissed or done, got %', coalesce(quote_literal(p_status), 'NULL')
            USING ERRCODE = '22023', HINT = 'accepted: you will do it; done: you did it; dismissed: not useful (say why in p_feedback).';
    END IF;
    IF p_rating IS NOT NULL AND p_rating NOT BETWEEN 1 AND 5 THEN
        RAISE EXCEPTION 'p_rating must be between 1 and 5, got %', p_rating
            USING ERRCODE = '22023', HINT = 'Rate how useful the recommendation was: 1 (useless) to 5 (very useful), or NULL.';
    END IF;
    PERFORM salesflow.check_text_length('p_feedback', p_feedback, 4000, 'Keep feedback short.', false);

    SELECT r.* INTO v_rec FROM salesflow.ai_recommendations AS r WHERE r.id = p_id FOR UPDATE;
    IF NOT FOUND
       OR (v_me IS NOT NULL AND NOT (v_rec.user_id = ANY (coalesce(salesflow.visible_user_ids(), '{}'::uuid []))
                                     OR coalesce(v_rec.assignee_id = v_me, false))) THEN
        RAISE EXCEPTION 'recommendation % (p_id) not found or not visible', p_id
            USING ERRCODE = 'P0002', HINT = 'List your recommendations with salesflow.list_recommendations().';
    END IF;
    IF NOT (v_rec.status = 'open' OR (v_rec.status = 'accepted' AND p_status = 'done')) THEN
        RAISE EXCEPTION 'recommendation % is %, it cannot become %', p_id, v_rec.status, p_status
            USING ERRCODE = '22023', HINT = 'Only open recommendations change (and accepted ones can be marked done).';
    END IF;

    RETURN QUERY
    UPDATE salesflow.ai_recommendations AS r
    SET status = p_status,
        feedback = coalesce(p_feedback, r.feedback),
        feedback_rating = coalesce(p_rating::smallint, r.feedback_rating),
        resolved_at = now()
    WHERE r.id = p_id
    RETURNING r.id, r.status;
END;
$$;
COMMENT ON FUNCTION salesflow.update_recommendation(bigint, text, text, integer) IS
'Resolve a recommendation (id, status accepted/dismissed/done, feedback, rating 1-5); only open ones change (accepted may become done); returns id and status.';
