-- ============================================================================
-- playbooks: the shipped playbooks (first contact, re-engage, objections, closing)
-- ============================================================================
-- steps: [{"title_de", "title_en", "channel", "wait_days"}]; wait_days = days after the
-- previous step. Re-runnable: only built-in rows are updated, your own playbooks stay.
INSERT INTO salesflow.playbooks AS p (key, name_de, name_en, description_de, description_en, steps, is_builtin)
VALUES
(
    'erstkontakt', 'Erstkontakt', 'First contact',
    'Vom ersten Hallo zum ersten Gespräch in vier Schritten.',
    'From the first hello to the first conversation in four steps.',
    '[{"title_de": "Persönlich vorstellen und Bezug herstellen",
     "title_en": "Introduce yourself and make a personal connection",
     "channel": "whatsapp",
     "wait_days": 0},
      {"title_de": "Einen konkreten Mehrwert teilen (Tipp, Artikel, Erfahrung)",
       "title_en": "Share one concrete piece of value (tip, article, experience)", "channel": "whatsapp", "wait_days": 2},
      {"title_de": "Kurzes Kennenlerngespräch vorschlagen", "title_en": "Suggest a short intro call", "channel": "phone", "wait_days": 2},
      {"title_de": "Termin bestätigen und Bedarf (BANT) klären",
       "title_en": "Confirm the meeting and qualify the need (BANT)", "channel": "email", "wait_days": 1}]',
    true
),
(
    'reaktivierung', 'Reaktivierung', 'Re-engage a silent lead',
    'Für Leads, die nicht mehr antworten: locker, wertschätzend, ohne Druck.',
    'For leads who stopped replying: light, appreciative, no pressure.',
    '[{"title_de": "Lockere Nachricht ohne Verkaufsdruck senden",
     "title_en": "Send a light message with no sales pressure",
     "channel": "whatsapp",
     "wait_days": 0},
      {"title_de": "Neuigkeit oder Erfolgsgeschichte teilen", "title_en": "Share news or a customer success story", "channel": "email", "wait_days": 4},
      {"title_de": "Offene Frage stellen: Passt das Thema gerade noch?",
       "title_en": "Ask openly: is this still relevant for you right now?", "channel": "whatsapp", "wait_days": 5},
      {"title_de": "Freundlich verabschieden und Tür offen lassen",
       "title_en": "Say a friendly goodbye and leave the door open", "channel": "email", "wait_days": 7}]',
    true
),
(
    'einwandbehandlung', 'Einwandbehandlung', 'Objection handling',
    'Einwand verstehen, anerkennen, mit Fakten beantworten und nächsten Schritt vereinbaren.',
    'Understand the objection, acknowledge it, answer with facts and agree the next step.',
    '[{"title_de": "Einwand genau nachfragen und verstehen", "title_en": "Ask about the objection and understand it", "channel": "phone", "wait_days": 0},
      {"title_de": "Einwand anerkennen und mit Belegen beantworten", "title_en": "Acknowledge it and answer with evidence", "channel": "email", "wait_days": 1},
      {"title_de": "Referenz oder Testphase anbieten", "title_en": "Offer a reference or a trial", "channel": "phone", "wait_days": 3}]',
    true
),
(
    'abschluss', 'Abschluss', 'Closing',
    'Angebot zusammenfassen, Entscheidung erfragen, Start vorbereiten.',
    'Summarise the offer, ask for the decision, prepare the start.',
    '[{"title_de": "Angebot schriftlich zusammenfassen (Kosten, Widerrufsrecht)",
     "title_en": "Summarise the offer in writing (costs, right of withdrawal)",
     "channel": "email",
     "wait_days": 0},
      {"title_de": "Offene Fragen im Gespräch klären", "title_en": "Clear open questions in a call", "channel": "phone", "wait_days": 2},
      {"title_de": "Entscheidung erfragen und Start vereinbaren", "title_en": "Ask for the decision and agree the start", "channel": "phone", "wait_days": 2}]',
    true
)
ON CONFLICT (key) DO UPDATE
    SET
        name_de = excluded.name_de,
        name_en = excluded.name_en,
        description_de = excluded.description_de,
        description_en = excluded.description_en,
        steps = excluded.steps,
        updated_at = now()
    WHERE p.is_builtin;

-- Chaining (what the completion trigger suggests next); set after all rows exist.
UPDATE salesflow.playbooks AS p
SET next_playbook_key = v.next_key
FROM (
    VALUES
    ('erstkontakt', 'abschluss'),
    ('reaktivierung', 'erstkontakt'),
    ('einwandbehandlung', 'abschluss'),
    ('abschluss', NULL)
) AS v (key, next_key)
WHERE p.key = v.key AND p.is_builtin AND p.next_playbook_key IS DISTINCT FROM v.next_key;
