-- ============================================================================
-- 0180 compliance rule exceptions: the contexts in which a rule's words are harmless
-- ============================================================================
-- Measured on the development corpus (3,074 messages), the rules alone flagged one ordinary
-- message in five, mostly honest ones that use a rule's words: negated ("this is not passive
-- income"), quoted ("no posts saying 'easy money' please"), an income figure with its disclosure
-- ("not typical, most partners earn under 100 €"), the authorised EU claim wording ("vitamin C
-- contributes to the normal function of the immune system"). unless_pattern names such contexts;
-- it is matched against the folded text with the rule's match wrapped in ⟦ ⟧ (compliance_rule_hits).
-- Admins maintain it like the pattern (a rep cannot: compliance_rules is admin-writable only).
ALTER TABLE salesflow.compliance_rules ADD COLUMN unless_pattern text
CHECK (unless_pattern IS NULL OR (length(unless_pattern) <= 4000 AND salesflow.is_valid_regex(unless_pattern)));
COMMENT ON COLUMN salesflow.compliance_rules.unless_pattern IS
'Optional regex on the folded text with the match wrapped in ⟦ ⟧: when it matches, the rule''s hit is withdrawn.';
