-- ============================================================================
-- gdpr_information: the Art. 15 information of an access export, in German or English
-- ============================================================================
-- Purposes, categories, recipients, storage periods, source and the logic of the profiling
-- (health score, win probability, DISG), as the SQL computes them (README "Formulas").
CREATE OR REPLACE FUNCTION salesflow.gdpr_information(p_language text DEFAULT 'de')
RETURNS jsonb
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN p_language = 'en' THEN jsonb_build_object(
        'purposes', jsonb_build_array(
            'Managing the sales contact with you: messages, calls, meetings, follow-ups and the stage of the conversation.',
            'Prioritising which contacts a sales representative follows up first (health score, win probability, next best actions).',
            'Adapting the style of communication to you (DISG communication profile).',
            'Checking texts written with AI assistance for misleading or unlawful claims before they are sent, and keeping evidence of that check (compliance log).'
        ),
        'categories', jsonb_build_array(
            'Contact data: name, company, e-mail, phone, country, language, time zone.',
            'Communication: content and time of messages, calls, meetings and notes; follow-up dates.',
            'Sales data: stage and its history, deal value, source, consent flag and date.',
            'Assessments: budget/authority/need/timeline scores (BANT) and their notes.',
            'Communication profile: D, I, S and G scores with the quoted evidence (DISG).',
            'AI-derived data: a summary of the conversation, key facts, pain points, objections, next steps, numeric text representations (embeddings, for search) and recommendations.',
            'Logs: compliance checks of texts about you, usage records of AI calls (model, tokens, time), import records and requests like this one.'
        ),
        'recipients', jsonb_build_array(
            'The sales representative who owns the contact, their team manager and the administrators of this system.',
            'When AI functions are used: the configured AI provider (OpenAI-compatible API) receives the relevant messages and summary to produce a text; nothing else is shared.'
        ),
        'storage', jsonb_build_array(
            'Until you ask for erasure or the purpose ends; then everything listed here is erased (compliance log entries keep only category, severity, decision and time, without text or identifiers).',
            'Business letters are kept 6 years and accounting records 10 years from the end of the calendar year (German §257 HGB, §147 AO) where they exist; during that time processing is restricted.',
            'Backups are overwritten on their rotation; an erasure is re-applied after any restore.'
        ),
        'source', 'Entered by the sales representative, received from you (messages), imported from the CRM named in import_origin, or derived by the system from these data.',
        'logic', jsonb_build_object(
            'health_score', 'A number 0-100 for open contacts: 35 % the BANT total (50 % when not assessed), 25 % how recently you last wrote (halving roughly every 10 days), 15 % how often you wrote in the last 30 days (6 or more = full), 15 % the share of our messages you answered, 10 % how far the conversation has progressed (new 0 ... proposal/won full, lost 0). 70 or more is green, 40 or more yellow, else red.',
            'win_probability', 'A naive Bayes estimate learnt from closed contacts of the team (or all teams when the team has fewer than 30): for source, first channel, industry, DISG type, BANT light, country and language it compares how often won and lost contacts had your value; the result and the three factors speaking most for and against are in current_assessment.predicted_conversion.',
            'disg_profile', 'Four scores 0-100 (D dominant, I initiative, S steady, G conscientious) from a questionnaire, a manual rating, an AI reading of your messages, or a word-list heuristic over your messages (low confidence). The highest score is the primary type. It only selects communication tips (tone, pace, channel) for the representative.',
            'next_best_actions', 'Recommendations rank due follow-ups, unanswered contacts and missing assessments by priority, time decay and the win probability.',
            'automated_decisions', 'No decision with legal or similarly significant effect is taken automatically: the scores only order the representative''s work.'
        ),
        'rights', 'You may ask for access, rectification, erasure, restriction, data portability and object to processing; contact the controller (the company of your sales representative).'
    ) ELSE jsonb_build_object(
        'purposes', jsonb_build_array(
            'Verwaltung des Vertriebskontakts mit Ihnen: Nachrichten, Anrufe, Termine, Wiedervorlagen und der Stand des Gesprächs.',
            'Priorisierung, welche Kontakte ein Vertriebsmitarbeiter zuerst nachfasst (Health-Score, Abschlusswahrscheinlichkeit, nächste beste Aktionen).',
            'Anpassung des Kommunikationsstils an Sie (DISG-Kommunikationsprofil).',
            'Prüfung KI-gestützt geschriebener Texte auf irreführende oder unzulässige Aussagen vor dem Versand und Nachweis dieser Prüfung (Compliance-Protokoll).'
        ),
        'categories', jsonb_build_array(
            'Kontaktdaten: Name, Firma, E-Mail, Telefon, Land, Sprache, Zeitzone.',
            'Kommunikation: Inhalt und Zeitpunkt von Nachrichten, Anrufen, Terminen und Notizen; Wiedervorlagen.',
            'Vertriebsdaten: Phase und ihr Verlauf, Auftragswert, Quelle, Einwilligung und deren Datum.',
            'Bewertungen: Budget/Entscheidungsbefugnis/Bedarf/Zeitplan (BANT) mit Notizen.',
            'Kommunikationsprofil: D-, I-, S- und G-Werte mit den zitierten Belegen (DISG).',
            'KI-abgeleitete Daten: Zusammenfassung des Gesprächs, Kernfakten, Probleme, Einwände, nächste Schritte, numerische Textdarstellungen (Embeddings, für die Suche) und Empfehlungen.',
            'Protokolle: Compliance-Prüfungen von Texten über Sie, Nutzungsprotokolle von KI-Aufrufen (Modell, Tokens, Zeit), Importprotokolle und Anfragen wie diese.'
        ),
        'recipients', jsonb_build_array(
            'Der zuständige Vertriebsmitarbeiter, seine Teamleitung und die Administratoren dieses Systems.',
            'Bei Nutzung der KI-Funktionen: der eingestellte KI-Anbieter (OpenAI-kompatible Schnittstelle) erhält die jeweiligen Nachrichten und die Zusammenfassung, um einen Text zu erzeugen; sonst wird nichts weitergegeben.'
        ),
        'storage', jsonb_build_array(
            'Bis Sie die Löschung verlangen oder der Zweck entfällt; dann wird alles hier Aufgeführte gelöscht (Compliance-Einträge behalten nur Kategorie, Schweregrad, Entscheidung und Zeitpunkt, ohne Text und ohne Kennungen).',
            'Geschäftsbriefe werden 6 Jahre, Buchungsbelege 10 Jahre ab Ende des Kalenderjahres aufbewahrt (§257 HGB, §147 AO), soweit vorhanden; in dieser Zeit ist die Verarbeitung eingeschränkt.',
            'Sicherungen werden turnusmäßig überschrieben; nach jeder Wiederherstellung wird die Löschung erneut ausgeführt.'
        ),
        'source', 'Vom Vertriebsmitarbeiter erfasst, von Ihnen erhalten (Nachrichten), aus dem unter import_origin genannten CRM importiert oder vom System aus diesen Daten abgeleitet.',
        'logic', jsonb_build_object(
            'health_score', 'Eine Zahl von 0 bis 100 für offene Kontakte: 35 % die BANT-Summe (50 % ohne Bewertung), 25 % wie kürzlich Sie zuletzt geschrieben haben (halbiert sich etwa alle 10 Tage), 15 % wie oft Sie in den letzten 30 Tagen geschrieben haben (ab 6 voll), 15 % der Anteil unserer Nachrichten, die Sie beantwortet haben, 10 % wie weit das Gespräch fortgeschritten ist (neu 0 ... Angebot/gewonnen voll, verloren 0). Ab 70 grün, ab 40 gelb, sonst rot.',
            'win_probability', 'Eine Naive-Bayes-Schätzung aus abgeschlossenen Kontakten des Teams (oder aller Teams, wenn das Team weniger als 30 hat): für Quelle, ersten Kanal, Branche, DISG-Typ, BANT-Ampel, Land und Sprache wird verglichen, wie oft gewonnene und verlorene Kontakte Ihren Wert hatten; das Ergebnis und die drei Faktoren, die am stärksten dafür und dagegen sprechen, stehen unter current_assessment.predicted_conversion.',
            'disg_profile', 'Vier Werte von 0 bis 100 (D dominant, I initiativ, S stetig, G gewissenhaft) aus einem Fragebogen, einer manuellen Einschätzung, einer KI-Auswertung Ihrer Nachrichten oder einer Wortlisten-Heuristik über Ihre Nachrichten (geringe Sicherheit). Der höchste Wert ist der Haupttyp. Er wählt nur Kommunikationstipps (Ton, Tempo, Kanal) für den Vertriebsmitarbeiter aus.',
            'next_best_actions', 'Empfehlungen ordnen fällige Wiedervorlagen, unbeantwortete Kontakte und fehlende Bewertungen nach Priorität, zeitlichem Verfall und Abschlusswahrscheinlichkeit.',
            'automated_decisions', 'Es wird keine Entscheidung mit rechtlicher oder ähnlich erheblicher Wirkung automatisch getroffen: die Werte ordnen nur die Arbeit des Vertriebsmitarbeiters.'
        ),
        'rights', 'Sie können Auskunft, Berichtigung, Löschung, Einschränkung, Datenübertragbarkeit verlangen und der Verarbeitung widersprechen; wenden Sie sich an den Verantwortlichen (das Unternehmen Ihres Vertriebsmitarbeiters).'
    ) END;
$$;
COMMENT ON FUNCTION salesflow.gdpr_information(text) IS
'Internal: the Art. 15 information (purposes, categories, recipients, storage, source, logic of scoring and DISG) in de or en.';
