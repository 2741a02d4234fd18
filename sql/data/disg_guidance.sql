-- ============================================================================
-- disg_guidance: shipped communication guidance per DISG type, German and English
-- ============================================================================
-- Re-runnable: upserts the built-in rows only; a row whose is_builtin was set to false
-- (your own wording) is left alone.
INSERT INTO salesflow.disg_guidance AS g (
    disg_type, language, label, summary, dos, donts, opener, pace, preferred_channels, closing_tip, is_builtin
)
VALUES
(
    'D', 'de', 'D – dominant',
    'Will Ergebnisse, Tempo und Kontrolle. Entscheidet schnell, hasst Umwege und Smalltalk.',
    '["Sofort auf den Punkt kommen: Nutzen und Ergebnis im ersten Satz",
     "Zwei klare Optionen anbieten und entscheiden lassen",
     "Zahlen zu Zeitgewinn und Ergebnis nennen",
     "Termine kurz und pünktlich halten"]',
    '["Kein langer Smalltalk",
     "Nicht um Erlaubnis bitten oder zögerlich wirken",
     "Keine Detailflut ohne Nachfrage",
     "Nicht über seinen Kopf hinweg entscheiden"]',
    'Kurz und direkt: Ich habe eine Idee, die dir pro Woche zwei Stunden spart. Hast du 10 Minuten am Dienstag?',
    'schnell – kurze Nachrichten, zügige nächste Schritte',
    ARRAY['phone', 'whatsapp'],
    'Direkt nach der Entscheidung fragen: Sollen wir starten – ja oder nein?',
    true
),
(
    'D', 'en', 'D – dominant',
    'Wants results, speed and control. Decides fast, dislikes detours and small talk.',
    '["Get to the point: benefit and result in the first sentence",
     "Offer two clear options and let them choose",
     "Quantify time saved and results",
     "Keep meetings short and on time"]',
    '["No long small talk", "Do not ask for permission or sound hesitant", "No flood of details unless asked", "Never decide over their head"]',
    'Straight to it: I have an idea that saves you two hours a week. Do you have 10 minutes on Tuesday?',
    'fast – short messages, quick next steps',
    ARRAY['phone', 'whatsapp'],
    'Ask for the decision directly: shall we start – yes or no?',
    true
),
(
    'I', 'de', 'I – initiativ',
    'Begeisterungsfähig, gesellig, liebt Menschen, Geschichten und Anerkennung. Entscheidet aus dem Bauch.',
    '["Persönlich und herzlich schreiben, gern mit Emoji",
     "Erfolgsgeschichten anderer Kunden erzählen",
     "Gemeinsamkeiten und das Team betonen",
     "Begeisterung zeigen und Anerkennung geben"]',
    '["Keine trockenen Zahlenkolonnen", "Nicht kühl oder rein formell wirken", "Keine langen Dokumente schicken", "Nicht unterbrechen, wenn sie erzählen"]',
    'Hey, ich musste gerade an dich denken – eine Kundin hat mir eine richtig tolle Geschichte erzählt, die perfekt zu dir passt!',
    'lebhaft – locker, aber Zusagen schriftlich festhalten',
    ARRAY['whatsapp', 'instagram', 'phone'],
    'Die Entscheidung als gemeinsames Erlebnis rahmen und Zusage sofort kurz schriftlich bestätigen.',
    true
),
(
    'I', 'en', 'I – influential',
    'Enthusiastic and sociable; loves people, stories and recognition. Decides from the gut.',
    '["Write warmly and personally, emojis welcome",
     "Tell success stories of other customers",
     "Stress the community and shared experiences",
     "Show enthusiasm and give recognition"]',
    '["No dry columns of figures", "Do not sound cold or purely formal", "Do not send long documents", "Do not cut them off while they tell a story"]',
    'Hey, you came to mind just now – a customer told me a great story that fits you perfectly!',
    'lively – relaxed, but confirm commitments in writing',
    ARRAY['whatsapp', 'instagram', 'phone'],
    'Frame the decision as a shared experience and confirm the yes in a short written note right away.',
    true
),
(
    'S', 'de', 'S – stetig',
    'Sucht Sicherheit, Vertrauen und Harmonie. Braucht Zeit, denkt an Familie und Umfeld, scheut Risiko.',
    '["Ruhig und geduldig schreiben, Zeit zum Überlegen geben",
     "Sicherheit betonen: Rückgaberecht, Begleitung, feste Ansprechperson",
     "Schritt für Schritt erklären, wie es weitergeht",
     "Nach Familie und Umfeld fragen und zuhören"]',
    '["Keinen Zeitdruck oder künstliche Verknappung", "Keine abrupten Planänderungen", "Nicht überrumpeln oder drängen", "Bedenken nicht übergehen"]',
    'Ich wollte mich in Ruhe bei dir melden – wie geht es dir und deiner Familie? Ich erkläre dir gern Schritt für Schritt, wie das funktioniert.',
    'langsam – geduldig, mit Pausen zum Nachdenken',
    ARRAY['phone', 'in_person', 'whatsapp'],
    'Einen kleinen, sicheren ersten Schritt vorschlagen und zusichern, dass du auch danach an ihrer Seite bist.',
    true
),
(
    'S', 'en', 'S – steady',
    'Seeks security, trust and harmony. Needs time, thinks of family and people around them, avoids risk.',
    '["Write calmly and patiently, leave time to think",
     "Stress security: right of return, support, one fixed contact",
     "Explain step by step what happens next",
     "Ask about family and listen"]',
    '["No time pressure or artificial scarcity", "No abrupt changes of plan", "Do not rush or corner them", "Never brush concerns aside"]',
    'I wanted to check in calmly – how are you and your family? Happy to walk you through how it works, step by step.',
    'slow – patient, with pauses to think',
    ARRAY['phone', 'in_person', 'whatsapp'],
    'Suggest a small, safe first step and promise you will stay at their side afterwards.',
    true
),
(
    'G', 'de', 'G – gewissenhaft',
    'Analytisch und genau (im Englischen C). Will Daten, Belege und Details, prüft alles und entscheidet sorgfältig.',
    '["Fakten, Zahlen und Quellen liefern (Studien, Datenblätter)",
     "Fragen vollständig und präzise beantworten",
     "Strukturierte Unterlagen schriftlich schicken",
     "Kosten und Bedingungen transparent aufschlüsseln"]',
    '["Keine Übertreibungen oder unbelegten Versprechen",
     "Nicht drängen – Bedenkzeit einplanen",
     "Keine vagen Antworten",
     "Nicht zu persönlich oder emotional werden"]',
    'Ich habe dir die wichtigsten Daten und Quellen zusammengestellt – welche Details sind für deine Entscheidung am wichtigsten?',
    'gründlich – sachlich, vollständig, mit Bedenkzeit',
    ARRAY['email', 'linkedin'],
    'Eine schriftliche Zusammenfassung aller Fakten schicken und ein konkretes Datum für die Entscheidung vereinbaren.',
    true
),
(
    'G', 'en', 'G (C) – conscientious',
    'Analytical and precise (C in English DISC). Wants data, evidence and details; checks everything and decides carefully.',
    '["Provide facts, figures and sources (studies, data sheets)",
     "Answer questions completely and precisely",
     "Send structured written material",
     "Break down costs and terms transparently"]',
    '["No exaggeration or unproven promises", "Do not push – allow time to consider", "No vague answers", "Do not get too personal or emotional"]',
    'I put together the key data and sources for you – which details matter most for your decision?',
    'thorough – factual, complete, with time to consider',
    ARRAY['email', 'linkedin'],
    'Send a written summary of all facts and agree on a concrete date for the decision.',
    true
)
ON CONFLICT (disg_type, language) DO UPDATE
    SET
        label = excluded.label,
        summary = excluded.summary,
        dos = excluded.dos,
        donts = excluded.donts,
        opener = excluded.opener,
        pace = excluded.pace,
        preferred_channels = excluded.preferred_channels,
        closing_tip = excluded.closing_tip,
        updated_at = now()
    WHERE g.is_builtin;
