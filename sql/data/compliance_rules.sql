-- ============================================================================
-- compliance_rules: the shipped LIABILITY-SHIELD rules, German and English
-- ============================================================================
-- Re-runnable. Upserts the builtin rules by rule_key and deletes builtin rules that are no
-- longer shipped. Rows you added (is_builtin = false) are never touched, and the enabled flag
-- of a builtin rule is kept, so `UPDATE salesflow.compliance_rules SET enabled = false WHERE
-- rule_key = '...'` survives every deploy.
--
-- Patterns are PostgreSQL ARE regexes, matched case-insensitively against the folded text
-- (salesflow.compliance_fold: lower case, ä->ae, ö->oe, ü->ue, ß->ss, typographic quotes,
-- dashes and spaces -> ASCII), so write "ue" for "ü". Here they are written one alternative
-- per line: line breaks and the indentation after them are removed on load, and the
-- placeholders below are expanded (the table stores the complete regex):
--   {w}        any characters inside one sentence (no . ! ? or line break)
--   {num}      an amount: 5000, 5.000, 5,000.50, 5 000, 5k, 3 Tsd., 2 Mio.
--   {money}    an amount with a currency: 5.000 €, 5000€, €5,000, $3,000, 5k Euro, 5k, 200 CHF
--   {period}   im Monat, pro Woche, monatlich, a month, per week, /month, /mo, p.m.
--   {inc_de}   income words (verdienen, Einkommen, Provision, passiv …)
--   {inc_en}   income words (earn, income, paycheck, commission …)
--   {disease_de}, {disease_en}, {treat_de}, {treat_en}: diseases and cure/treat/prevent verbs
--   {condition_de}, {condition_en}, {health_use_de}, {health_use_en}: a customer's condition, and a
--              record of it or an offer built on it
-- unless_pattern (optional): a regex matched against the folded text with the rule's match
-- wrapped in ⟦ ⟧; when it matches, the hit is withdrawn (the words are used harmlessly there).
--   {negated} {quoted} {disclosed} {authorised} {asked} {disclaimed} {conditional} {declined} {owe_nothing}: the shipped
--   exception contexts (frag); every occurrence of the pattern is tried, the first one not excused hits
-- keywords (pre-filter): a rule's pattern only runs when the folded text contains one of its
-- stems, so every match of the pattern must contain at least one of them; this keeps a check
-- of an ordinary message in the low milliseconds (the regexes are expensive to compile).
WITH RECURSIVE frag AS (
    SELECT
        $re$[^.!?\n]*$re$ AS w,
        $re$(?:(?:\d{1,3}(?:[.,' ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?:\s?(?:(?:k|tausend|thousand|millionen|million|grand)\M
            |tsd\.?|mio\.?))?)$re$
            AS num,
        $re$(?:(?:€|\$|£|\meur\s|\musd\s|\mchf\s)\s?{num}|{num}\s?-?\s?(?:€|\$|£|(?:eur|euro|euros|usd|chf|franken|dollar|dollars|bucks
            |pfund|gbp)\M)|\m\d+(?:[.,]\d+)?\s?k\M)$re$
            AS money,
        $re$(?:(?:im|pro|per|a|an|each|every|jeden|jede|jeder|in\s+the|in\s+a)\s+(?:monat|woche|tag|jahr|month|week|day|year)\M|/\s?(?:monat
            |woche|tag|jahr|month|week|day|year|mo|mth|wk|yr|m|mon)\M|\m(?:monatlich|woechentlich|taeglich|jaehrlich|monthly|weekly|daily
            |yearly|annually)\w*|\mp\.\s?m\.|\mmtl\.)$re$
            AS period,
        $re$(?:verdien\w*|\w*einkommen\w*|einnahme\w*|gehalt\w*|\w*provision\w*|nebenverdienst\w*|zusatzverdienst\w*|passiv\w*|umsatz\w*
            |rendite\w*|gewinn\w*|auszahlung\w*)$re$
            AS inc_de,
        $re$(?:earn\w*|income\w*|paycheck\w*|salary|salaries|profit\w*|commission\w*|revenue\w*|payout\w*|passive\w*|six[- ]figure\w*)$re$ AS inc_en,
        $re$(?:krebs\w*|tumor\w*|diabetes|zuckerkrankheit|rheuma\w*|arthritis|arthrose\w*|alzheimer\w*|demenz\w*|parkinson\w*|depression\w*
            |burn-?out|bluthochdruck|hypertonie|migraene\w*|asthma\w*|allergie\w*|heuschnupfen|neurodermitis|psoriasis|schuppenflechte
            |corona\w*|covid\w*|grippe\w*|erkaeltung\w*|infekt\w*|infektion\w*|virus|viren|entzuendung\w*|herzinfarkt\w*|schlaganfall\w*
            |herz-?kreislauf\w*|osteoporose|adhs|autismus|multiple\s+sklerose|fibromyalgie|reizdarm\w*|tinnitus|krankheit\w*|erkrankung\w*
            |schmerzen|gicht|akne|cholesterin\w*|thrombose\w*|epilepsie|angststoerung\w*|schlafstoerung\w*|impotenz|unfruchtbarkeit
            |blutdruck|blutzucker\w*)$re$
            AS disease_de,
        $re$(?:cancer\w*|tumou?rs?|diabetes|arthritis|alzheimer\w*|dementia|parkinson\w*|depression|anxiety|burn-?out
            |high\s+blood\s+pressure|blood\s+(?:pressure|sugar)|hypertension|migraines?|asthma|allerg\w*|eczema|psoriasis|covid\w*|corona\w*
            |flu|influenza|common\s+cold|colds|infections?|virus\w*|inflammation\w*|heart\s+disease|heart\s+attacks?|strokes?|osteoporosis
            |adhd|autism|multiple\s+sclerosis|fibromyalgia|tinnitus|diseases?|illness\w*|(?:chronic|joint|back|nerve)\s+pain|pain\s+relief
            |gout|acne|cholesterol|insomnia|thrombosis|epilepsy|erectile\s+dysfunction|infertility)$re$
            AS disease_en,
        $re$(?:heil(?:t|en|ung|end|te|ten|bar|mittel|kraft|wirkung)?|geheilt|kurier\w*|behandel\w*|behandl\w*|linder\w*|bekaempf\w*
            |besieg\w*|beseitig\w*|vorbeug\w*|beugt|verhinder\w*|hilft\s+(?:\w+\s+)?(?:gegen|bei)|helfen\s+(?:gegen|bei)
            |wirk\w*\s+(?:\w+\s+)?gegen|schuetz\w*\s+(?:\w+\s+)?vor|gegen|senk\w*|reguliert?|normalisier\w*|rueckgaengig)$re$
            AS treat_de,
        $re$(?:cure[sd]?|curing|heal(?:s|ed|ing)?|treat(?:s|ed|ing|ment)?|prevent\w*|reverse[sd]?|reversing|fight\w*|beats?|eliminat\w*
            |eradicat\w*|get\s+rid\s+of|reliev\w*|protect\w*\s+(?:\w+\s+)?(?:against|from)|helps?\s+(?:with|against)|works?\s+against
            |lowers?|regulat\w*|stops?)$re$
            AS treat_en,
        -- a customer's condition (health_data_use_de) and what selling does with it
        $re$(?:schwanger\w*|\w*diabet\w*|\w*krebs\w*|chemo\w*|depression\w*|depressiv\w*|burnout|antidepressiv\w*|hiv|sklerose|epilep\w*
            |migraene|endometriose|psoriasis|schuppenflechte|neurodermitis|ekzem\w*|bluthochdruck|cholesterin\w*|blutverduenner|reizdarm
            |arthritis|arthrose|rheuma\w*|diagnose\w*|schilddruese\w*|kinderwunsch|fehlgeburt\w*|ivf|befund\w*|krankgeschrieben
            |medikament\w*|sertralin|ramipril)$re$
            AS condition_de,
        $re$(?:eingetragen|eintragen|notiert|notier\w*|(?:kunden|mama|mamas)?liste\M|tabelle|excel|kundenblatt|kartei|profil\w*|fragebogen|tracker|angebot\w*
            |\w*paket\w*|\w*set\M|empfehl\w*|passend\w*|perfekt\w*|nachfass\w*|anschreib\w*|schreibt\s+(?:ihm|ihr|sie)|kandidat\w*
            |schwoert|betroffen)$re$
            AS health_use_de,
        -- a customer's condition (health_data_use_en) and what selling does with it
        $re$(?:pregnan\w*|\w*diabet\w*|cancer|chemo\w*|depress\w*|antidepressants?|burnout|hiv|sclerosis|epilep\w*|migraines?|endometriosis
            |psoriasis|eczema|high\s+blood\s+pressure|hypertension|cholesterol|blood\s+thinners?|ibs|arthritis|diagnos\w*|thyroid|fertility
            |ivf|miscarriages?|medical\s+conditions?|medications?|mental\s+health)$re$
            AS condition_en,
        $re$(?:noted|note\s+down|wrote\s+down|written\s+down|(?:mailing|customer|client)\s+list|spreadsheet|(?:customer|client)\s+sheet|tracker
            |profile|questionnaire|tagged
            |offers?|deals?|promo\w*|bundle\w*|perfect\w*|tailor\w*|upsell\w*|pitch\w*|follow\s+up|qualify|who\s+wants|message\s+(?:her|him)
            |candidate|swears\s+by)$re$
            AS health_use_en,
        -- exception fragments (unless_pattern: the folded text with the match wrapped in ⟦ ⟧)
        -- negated: a negation right before the match, at most one word between (not "nicht nur",
        -- "nie wieder", "kein Witz": those still claim)
        $re$\m(?:kein\w*|nicht|nich|ned|noed|nie|niemals|no|not|never|isn't|isnt|aren't|arent|wasn't|wasnt|ain't|don't|dont
            |doesn't|doesnt|won't|wont|can't|cant|cannot)\s+(?!(?:nur|only|just|bloss|blos|wieder|again|more|mehr|longer|laenger|witz
            |scherz|quatsch|joke|kidding|lie|luege|cap)\M)(?:\w+\s+)?⟦$re$
            AS negated,
        -- owe_nothing: the debt denied right after the match ("du schuldest mir gar nichts", "you owe me nothing");
        -- seller guilt gets no {negated}: its violations are often negations ("don't let me down")
        $re$⟦[^⟧]*⟧\s*(?:(?:gar|auch|ueberhaupt|absolut|rein\s+gar|null|absolutely|really)\s+)?(?:nichts|nix|nuescht|nothing)\M$re$
            AS owe_nothing,
        -- quoted: the matched words inside quotation marks (a mention: "please no posts saying 'easy money'"),
        -- up to four words before and three after them inside the quote; an opening mark follows a
        -- space or the start and a closing one precedes no letter, so apostrophes (I've, it's) never quote
        $re$(?:^|[ :(])["'„“‚‘]\s?(?:[^"'„“”‚‘’⟦⟧ ]+\s+){0,4}?⟦[^⟧]*⟧(?:\s*[^"'„“”‚‘’⟦⟧ ]+){0,3}?\s?[.,!?]?["“”‘’'](?!\w)$re$
            AS quoted,
        -- an honest income disclosure anywhere in the message (atypical_earnings: a testimonial needs one);
        -- ⟦? because the rule's match may start inside it ("most people ⟦earn less than $200⟧")
        $re$(?:nicht\s+typisch|untypisch|nicht\s+die\s+regel|nicht\s+repraesentativ|einkommensbericht\w*|einkommensstatistik\w*
            |einkommensoffenleg\w*|keine?\s+(?:einkommens)?garantie|kein\w*\s+einkommensversprechen|abzueglich|nach\s+abzug
            |die\s+meisten\s+(?:\w+\s+){0,3}?⟦?verdien\w*\s+(?:weniger|wenig|nichts|nix|kaum|unter)|not\s+typical|atypical
            |not\s+(?:the\s+)?norm\M|not\s+representative|income\s+disclosure|earnings\s+disclosure|disclosure\s+statement
            |results\s+(?:may\s+|will\s+)?vary|no\s+guarantee\w*|(?:after|before)\s+(?:\w+\s+)?(?:expenses|costs)
            |(?:most|typical|median|average)\s+(?:\w+\s+){0,5}?⟦?(?:earn\w*|make|makes|income)\s+(?:\w+\s+){0,4}?(?:less|little|nothing|under)
            |(?:die\s+meisten|durchschnittlich\w*|typisch\w*|median)\s+(?:\w+\s+){0,5}?⟦?(?:verdien\w*|einkommen)\s+(?:\w+\s+){0,4}?(?:weniger|wenig
            |nichts|nix|kaum|unter))$re$
            AS disclosed,
        -- the authorised EU health claim wording, or "digital detox"
        $re$(?:traeg\w*\s+zu\s+(?:einer\s+|einem\s+)?normalen|contribut\w*\s+to\s+(?:the\s+)?normal
            |zugelassen\w*\s+(?:angabe|health\s*claim|aussage)|authori[sz]ed\s+(?:health\s+)?(?:claim|wording|statement)
            |\m(?:digital\w*|handy|phone|smartphone|screen|bildschirm|social\s*media|instagram)\W{0,3}\s?⟦)$re$
            AS authorised,
        -- asked: the words report a customer's question ("you asked whether it helps with ...")
        $re$(?:\m(?:gefragt|fragten|fragte|fragst|fragt|asked|asking|wondered|wondering|wonders)\M\W{0,3}\s?(?:\w+\W{0,2}\s){0,4}?
            (?:ob|if|whether)\s+(?:\w+\s+){0,4}?⟦|\m(?:gefragt|fragte|fragt|asked)\W{0,3}\s?["'][^"'⟦]{0,40}⟦)$re$
            AS asked,
        -- the FDA and EU supplement disclaimers ("not intended to diagnose, treat, cure or prevent any disease")
        $re$(?:not\s+intended\s+to\s+(?:diagnose,?\s+(?:or\s+)?)?⟦|\mkein\w*\s+(?:arzneimittel|heilmittel|medikament)\M
            |not\s+(?:a\s+)?(?:medicine|drug|medication)\M|⟦[^⟧]*\m(?:keine|no)\s+(?:krankheit|disease)\w*⟧)$re$
            AS disclaimed,
        -- conditional: "if you're pregnant, ask your doctor" names no one's health
        $re$\m(?:if|falls|wenn|ob|whether|in\s+case)\s+⟦$re$ AS conditional,
        -- declined: in the sentence of the match or the next one, the seller refuses to keep the
        -- customer's health detail or sends them to a doctor or pharmacist ("danke, dass du mir von
        -- deiner Schwangerschaft erzählt hast, ich notier mir das nicht"); only for health_data_*,
        -- whose words alone are the finding (health_data_use_* has no such exception)
        $re$⟦[^⟧]*⟧[^.!?⟦]*(?:[.!?]+\s*[^.!?⟦]*)?{decline_words}|{decline_words}[^.!?⟦]*⟦$re$ AS declined,
        $re$(?:\m(?:speicher\w*|notier\w*|notiere|trag\w*|halte\w*|schreib\w*)\s+(?:\w+\s+){0,3}?(?:nicht|nich|ned|nix|nichts)\M
            |\mnicht\s+(?:\w+\s+)?(?:gespeichert|notiert|eingetragen|aufgeschrieben)|\mgeloescht
            |\mbrauch\w*\s+(?:ich\s+)?(?:\w+\s+){0,3}?nicht\M|\mkeine\s+(?:befunde|gesundheits\w*|diagnosen)
            |\m(?:frag|fragen|frage|besprich|besprechen|wend\w*)\s+(?:\w+\s+){0,4}?(?:\w*arzt|\w*aerztin|hebamme|apothek\w*)
            |(?:arzt|aerztin|hebamme|apotheke)\w*\s+(?:\w+\s+){0,2}?(?:fragen|fragst|frag)\M
            |\m(?:won't|wont|will\s+not|don't|dont|do\s+not|haven't|havent|have\s+not|never)\s+(?:\w+\s+){0,2}?(?:note|noted|save
            |saved|store|stored|keep|kept|record|recorded|write|written)\M|\mnot\s+(?:saving|storing|keeping|recording|noting)
            |\mdeleted|\m(?:no|don't|dont)\s+need\s+to\s+(?:tell|share|send)|\mout\s+of\s+(?:the\s+)?chat
            |\m(?:ask|check\s+with|speak\s+to|talk\s+to)\s+(?:\w+\s+){0,2}?(?:doctor|gp|pharmacist|midwife|dietitian|physician))$re$
            AS decline_words
),

rules (rule_key, category, severity, language, pattern, explanation, suggestion) AS (
    VALUES
    -- 1 guaranteed or specific income ------------------------------------------------------
    (
        'income_guarantee_de', 'income_claim', 'critical', 'de',
        $re$\mgarant\w*{w}\m(?:verdien\w*|\w*einkommen\w*|einnahme\w*|gehalt\w*|\w*provision\w*|nebenverdienst\w*|rendite\w*|gewinn\w*|reich\w*)
        |\mgarantiert\w*{w}{money}
        |\m(?:verdien\w*|\w*einkommen\w*|einnahme\w*|gehalt\w*|\w*provision\w*|rendite\w*|gewinn\w*){w}\mgarantiert\w*
        |{money}{w}\mgarantiert\w*
        |\w*(?:einkommens|verdienst|gehalts|umsatz|gewinn|rendite)garantie\w*
        |\m(?:sicher\w*|bombensicher\w*|todsicher\w*)\s+(?:monatlich\w*\s+|passiv\w*\s+|zusaetzlich\w*\s+)?(?:\w*einkommen|verdienst
            |einnahmen|gehalt|rendite)\M
        |\m(?:du|sie)\s+(?:wirst|werden)\s+(?:\w+\s+){0,3}?(?:garantiert|sicher|100\s?%)\s+(?:\w+\s+){0,3}?(?:verdienen|reich)$re$,
        'Ein garantiertes oder sicheres Einkommen darf nicht versprochen werden: Verdienste hängen von Einsatz, Markt '
        || 'und Umsatz ab (irreführende Werbung, UWG §5; beim Anwerben von Vertriebspartnern besonders streng).',
        'Keine Einkommensgarantie nennen. Stattdessen: "Wie viel du verdienst, hängt von deinem Einsatz und deinen '
        || 'Kunden ab. Ich zeige dir gern, wie unser Vergütungsplan funktioniert."'
    ),
    (
        'income_guarantee_en', 'income_claim', 'critical', 'en',
        $re$\mguarantee[ds]?{w}\m(?:earn\w*|income\w*|paycheck\w*|salary|profit\w*|commission\w*|returns\s+of|rich\M|wealth\w*)
        |\mguaranteed{w}{money}
        |\m(?:earn\w*|income\w*|paycheck\w*|salary|profit\w*|commission\w*){w}\mguaranteed
        |{money}{w}\mguaranteed
        |\m(?:income|earnings?|salary|profit)\s+guarantee\w*
        |\m(?:secure|steady|reliable|risk-free|sure-fire|surefire)\s+(?:monthly\s+|passive\s+|extra\s+)?(?:income|paycheck|earnings|profits?)
        |\myou(?:'ll|\s+will)\s+(?:definitely|certainly|surely|100\s?%)\s+(?:\w+\s+){0,2}?(?:earn|make|get\s+rich)$re$,
        'Guaranteed or "secure" income may not be promised: earnings depend on effort, market and sales (FTC Business '
        || 'Opportunity Rule, deceptive advertising).',
        'Do not guarantee income. Instead: "What you earn depends on your effort and your customers. Happy to walk you '
        || 'through how our compensation plan works."'
    ),
    (
        'income_specific_de', 'income_claim', 'high', 'de',
        $re$\m(?:verdien\w*|\w*einkommen\w*|einnahme\w*|gehalt\w*|\w*provision\w*|nebenverdienst\w*|zusatzverdienst\w*|passiv\w*|rendite\w*){w}{money}
        |{money}{w}\m(?:verdien\w*|\w*einkommen\w*|einnahme\w*|\w*provision\w*|nebenverdienst\w*|zusatzverdienst\w*|passiv\w*|rendite\w*
            |extra|zusaetzlich\w*|nebenbei|drin|rausholen|machen|machst|gemacht)\M
        |{money}\s*(?:netto\s+|brutto\s+|extra\s+|zusaetzlich\s+|passiv\s+)?{period}{w}\m(?:verdien\w*|\w*einkommen\w*|nebenbei|extra
            |zusaetzlich\w*|drin|machen|machst)
        |\m(?:fuenf|sechs|sieben)stellig\w*\s+(?:\w+\s+)?(?:\w*einkommen|verdien\w*|gehalt|jahresgehalt|umsatz)$re$,
        'Konkrete Verdienstbeträge ("5.000 € im Monat") wecken Erwartungen, die die meisten nicht erreichen; ohne '
        || 'repräsentative Durchschnittszahlen ist das irreführend.',
        'Keine Beträge versprechen. Stattdessen auf den offiziellen Einkommensnachweis (Durchschnittswerte) verweisen: '
        || '"Die realistischen Durchschnittsverdienste findest du in unserem Einkommensbericht."'
    ),
    (
        'income_specific_en', 'income_claim', 'high', 'en',
        $re$\m(?:earn\w*|income\w*|paycheck\w*|salary|profit\w*|commission\w*|passive\w*|take\s+home|bring\s+in|make|making|clear){w}{money}
        |{money}{w}\m(?:in\s+)?(?:extra|passive|side|residual|additional)?\s*(?:income|earnings?|commissions?|profit\w*|paycheck)\M
        |{money}\s*{period}\s+(?:in\s+)?(?:extra|passive|side|residual|from\s+home)
        |\m(?:six|seven|6|7)[- ]figure\w*
        |\m(?:you|u)\s+(?:can|could|will|would|'ll)\s+(?:easily\s+)?(?:make|earn|bring\s+in|clear)\s+(?:\w+\s+)?(?:over\s+|up\s+to\s+
            |about\s+)?{money}$re$,
        'Specific earnings figures ("$3,000/month") set expectations most participants never reach; without typical-results data they are deceptive.',
        'Do not quote earnings. Point to the official income disclosure statement instead: "You can find typical earnings in our income disclosure."'
    ),
    -- 2 lifestyle / quit-your-job promises --------------------------------------------------
    (
        'lifestyle_de', 'lifestyle_promise', 'high', 'de',
        $re$\mkuendig\w*\s+(?:\w+\s+){0,2}?(?:deinen|ihren|den|euren)\s+(?:\w+\s+)?(?:job|arbeitsplatz|chef|hauptjob|vollzeitjob)
        |\m(?:job|hauptjob|vollzeitjob|hamsterrad|9-to-5|nine-to-five|festanstellung)\w*{w}\m(?:kuendig\w*|hinschmei\w*|an\s+den\s+nagel
            |aufgeben|adieu|entkomm\w*|entfliehen|hinter\s+dir\s+lass\w*|ade)
        |\mraus\s+aus\s+dem\s+hamsterrad
        |\mnie\s?(?:mehr|wieder)\s+(?:\w+\s+){0,2}?(?:arbeiten|chef|wecker|montag\w*|job|buero|malochen)
        |\mfinanziell\w*\s+(?:frei\w*|unabhaengig\w*)
        |\mfinanzielle\w*\s+(?:freiheit|unabhaengigkeit)
        |\mtraum(?:auto|haus|urlaub|leben|villa|wagen|reise)\w*
        |\m(?:porsche|ferrari|lamborghini|rolex|lambo)\w*
        |\m(?:dein|ihr)\s+eigener\s+chef
        |\mchef\s+feuern|\mfeuere?\s+deinen\s+chef
        |\m(?:frueh(?:er)?\s+in\s+(?:rente|den\s+ruhestand)|rentner\s+mit\s+\d+)
        |\mlaptop[- ]?lifestyle
        |\marbeiten\s+von\s+ueberall(?:\s+auf\s+der\s+welt)?|\mvom\s+strand\s+aus\s+arbeiten
        |\mleben\s+(?:deiner|ihrer)\s+traeume
        |\mausgesorgt$re$,
        'Versprechen eines Luxus-Lebensstils, finanzieller Freiheit oder des Jobausstiegs sind für die allermeisten '
        || 'unrealistisch und gelten als irreführende Verdienstwerbung.',
        'Keine Lebensstil- oder Kündigungsversprechen. Stattdessen: "Viele starten nebenberuflich mit ein paar Stunden '
        || 'pro Woche – was daraus wird, hängt von dir ab."'
    ),
    (
        'lifestyle_en', 'lifestyle_promise', 'high', 'en',
        $re$\mquit(?:ting)?\s+(?:\w+\s+){0,2}?(?:job|day\s+job|9-to-5|9-5|nine-to-five|rat\s+race)
        |\mfire\s+(?:your|my)\s+boss
        |\m(?:escape|leave|ditch)\s+(?:the\s+)?(?:rat\s+race|9-to-5|9-5|nine-to-five|cubicle)
        |\mnever\s+(?:have\s+to\s+)?work\s+(?:again|another\s+day)
        |\mfinancial(?:ly)?\s+(?:freedom|free|independen\w*)
        |\mtime\s+freedom
        |\mdream\s+(?:car|house|home|life|lifestyle|vacation)\w*
        |\m(?:lamborghini|ferrari|porsche|rolex|lambo)\w*
        |\mlaptop\s+lifestyle
        |\mretire\s+(?:early|at\s+\d+|in\s+\d+)
        |\mbe\s+your\s+own\s+boss
        |\mlive\s+(?:the\s+life|your\s+dreams?|the\s+dream)
        |\mwork\s+from\s+(?:the\s+)?(?:beach|anywhere\s+in\s+the\s+world)$re$,
        'Promising a luxury lifestyle, financial freedom or quitting one''s job is unrealistic for almost everyone and '
        || 'counts as a deceptive earnings claim.',
        'No lifestyle or quit-your-job promises. Instead: "Many start part-time with a few hours a week - where it goes depends on you."'
    ),
    -- 3 fast or effortless money --------------------------------------------------------------
    (
        'fast_money_de', 'fast_easy_money', 'high', 'de',
        $re$\mschnell\w*\s+(?:\w+\s+){0,3}?(?:geld|reich|reichtum|kohle|cash)\M
        |\m(?:geld|reich)\s+(?:\w+\s+)?(?:ganz\s+)?schnell\M
        |\mleicht\w*\s+(?:verdiente\w*\s+)?(?:geld|kohle)
        |\mleicht\s+verdient
        |\m(?:geld|kohle|\w*einkommen|verdien\w*){w}\m(?:im\s+schlaf|ohne\s+(?:viel\s+|grossen\s+|jeden\s+)?(?:arbeit|aufwand|anstrengung
            |muehe|vorkenntnisse)|muehelos|von\s+der\s+couch|vom\s+sofa|auf\s+autopilot|vollautomatisch)
        |\m(?:im\s+schlaf|muehelos|von\s+der\s+couch|vom\s+sofa|auf\s+autopilot|ohne\s+(?:viel\s+|grossen\s+|jeden\s+)?(?:arbeit|aufwand
            |anstrengung)){w}\m(?:geld|kohle|\w*einkommen|verdien\w*)
        |\mreich\s+werden
        |\mpassiv\w*\s+(?:\w+\s+)?einkommen
        |\m(?:in|mit)\s+(?:nur\s+)?(?:\d+|ein\w*|zwei|drei)\s+(?:minuten|stunden?)\s+(?:am\s+tag|pro\s+tag|taeglich|die\s+woche
            |pro\s+woche){w}\m(?:verdien\w*|\w*einkommen|geld)$re$,
        'Schnelles oder müheloses Geld ("im Schlaf verdienen", "passives Einkommen") gibt es nicht; solche Aussagen sind irreführend.',
        'Realistisch beschreiben: "Der Aufbau braucht Zeit und regelmäßige Arbeit mit Kunden. Ich zeige dir, wie ein typischer Start aussieht."'
    ),
    (
        'fast_money_en', 'fast_easy_money', 'high', 'en',
        $re$\m(?:get|getting|got|gets)\s+rich\s+(?:quick\w*|fast)
        |\mquick\s+(?:cash|money|bucks?)
        |\mfast\s+(?:cash|money)
        |\measy\s+(?:money|cash|income|bucks?)
        |\m(?:money|cash|income|earn\w*)\s+(?:\w+\s+)?while\s+(?:you|u)\s+sleep
        |\mwhile\s+(?:you|u)\s+sleep{w}\m(?:money|earn\w*|income|cash)
        |\m(?:money|income|earn\w*|cash){w}\m(?:effortless\w*|without\s+(?:any\s+)?(?:work|effort)|no\s+(?:work|effort)\s+(?:required
            |needed)|on\s+autopilot|from\s+(?:your|the)\s+couch)
        |\m(?:effortless\w*|without\s+(?:any\s+)?(?:work|effort)|on\s+autopilot){w}\m(?:money|income|earn\w*|cash)
        |\mpassive\s+income
        |\m(?:in|with)\s+(?:just|only)\s+(?:\d+|one|two|a\s+few)\s+(?:minutes?|hours?|mins?)\s+(?:a|per)\s+(?:day|week){w}\m(?:earn\w*
            |income|money|make)$re$,
        'Fast or effortless money ("make money while you sleep", "passive income") does not exist; such claims are deceptive.',
        'Describe it realistically: "Building this takes time and regular work with customers. I can show you what a typical start looks like."'
    ),
    -- 4 atypical earnings testimonials -------------------------------------------------------
    (
        'earnings_testimonial_de', 'atypical_earnings', 'high', 'de',
        $re$\m(?:verdiene|verdient|verdiente|verdienten)\M{w}{money}
        |{money}{w}\m(?:verdient|eingenommen|kassiert|umgesetzt|rausgeholt)\M
        |\m(?:hab\w*|hat|hatte\w*)\s+(?:\w+\s+){0,5}?{money}\s+(?:\w+\s+){0,3}?gemacht
        |\m(?:im|in\s+(?:ihrem|seinem|meinem|unserem))\s+ersten\s+(?:monat|jahr|quartal|halbjahr){w}{money}
        |{money}{w}\m(?:im|in\s+(?:ihrem|seinem|meinem))\s+ersten\s+(?:monat|jahr|quartal)
        |\m(?:top|spitzen)-?verdiener\w*$re$,
        'Erfolgsgeschichten mit Spitzenverdiensten sind nicht typisch; ohne Hinweis auf Durchschnittswerte erwecken sie falsche Erwartungen.',
        'Keine Einzelverdienste nennen. Stattdessen: "Die Ergebnisse sind sehr unterschiedlich; die typischen Werte stehen im Einkommensbericht."'
    ),
    (
        'earnings_testimonial_en', 'atypical_earnings', 'high', 'en',
        $re$\m(?:made|earned|makes|earns|cleared|banked|pulled\s+in|brought\s+in|raked\s+in)\s+(?:\w+\s+){0,2}?{money}
        |\m(?:in|during)\s+(?:my|her|his|their|our|the)\s+(?:very\s+)?first\s+(?:month|year|week|quarter|\d+\s+days){w}{money}
        |{money}{w}\m(?:in|during)\s+(?:my|her|his|their|our)\s+(?:very\s+)?first\s+(?:month|year|week|quarter|\d+\s+days)
        |\mtop\s+earners?$re$,
        'Testimonials about top earnings are not typical results; without typical-results disclosure they mislead.',
        'Do not cite individual earnings. Instead: "Results vary widely; typical figures are in our income disclosure statement."'
    ),
    -- 5 pay for recruiting (pyramid / snowball) ---------------------------------------------
    (
        'recruiting_pay_de', 'recruiting_pay', 'critical', 'de',
        $re$\m(?:fuer|pro|je)\s+(?:jede[nrsm]?\s+)?(?:neue[nrsm]?\s+)?(?:person|partner\w*|mitglied\w*|teammitglied\w*|freund\w*|leute
            |menschen|geworbene\w*|rekrut\w*|berater\w*)[^.!?\n]*\m(?:anwirbst|wirbst|rekrutierst|sponserst|einschreibst|anmeldest
            |registrierst|holst|bringst|mitbringst){w}\m(?:bekomm\w*|erhaelt\w*|erhaeltst|kriegst|gibt\s+es|verdien\w*|provision\w*|bonus\w*
            |praemie\w*|kassier\w*|{num})
        |\m(?:bekomm|erhaelt|kriegst|verdien)\w*[^.!?\n]*\m(?:fuer|pro|je)\s+(?:jede[nrsm]?\s+)?(?:neue[nrsm]?\s+)?(?:person|partner
            |mitglied|teammitglied|freund|leute|menschen|berater)\w*[^.!?\n]*\m(?:anwirbst|wirbst|rekrutierst|sponserst|einschreibst
            |anmeldest|holst|bringst)\M
        |\m(?:fuer|pro|je)\s+(?:jede[nrsm]?\s+)?(?:geworbene[nrsm]?|rekrutierte[nrsm]?|angeworbene[nrsm]?
            |neu\s+eingeschriebene[nrsm]?)\s+(?:person|partner\w*|mitglied\w*|berater\w*)
        |\m(?:anwerb\w*|wirbst|rekrutier\w*|sponser\w*|ins\s+team\s+(?:holst|holen|bringst|bringen)|neue\s+partner\s+(?:gewinnst|holst
            |bringst)){w}\m(?:bekomm\w*|erhaeltst|kriegst|verdien\w*|provision\w*|bonus\w*|praemie\w*|kassier\w*|{money})
        |\mje\s+mehr\s+(?:leute|menschen|partner|personen|mitglieder|freunde)[^.!?\n]*\mdesto\s+mehr
        |\m(?:kopf|werbe|anwerbe|rekrutierungs)praemie\w*
        |\m(?:bring|hol)\w*\s+(?:\w+\s+)?(?:\d+|zwei|drei|vier|fuenf)\s+(?:freund\w*|leute|personen|partner\w*){w}\m(?:gratis|kostenlos
            |umsonst|zurueck|bonus|verdien\w*|{money})$re$,
        'Vergütung für das bloße Anwerben neuer Teilnehmer kennzeichnet ein Schneeballsystem (progressive '
        || 'Kundenwerbung, UWG §16 Abs. 2) und ist verboten.',
        'Nur über Vergütung für echte Produktverkäufe an Kunden sprechen: "Unser Vergütungsplan zahlt Provision auf '
        || 'Produktumsätze, nicht auf Anmeldungen."'
    ),
    (
        'recruiting_pay_en', 'recruiting_pay', 'critical', 'en',
        $re$\m(?:every|each|per)\s+(?:new\s+)?(?:person|people|recruit|member|distributor|partner|friend|one)\w*\s+(?:that\s+|who\s+
            |whom\s+)?(?:you\s+)?(?:recruit\w*|sign\w*|bring\w*|enrol\w*|enroll\w*|sponsor\w*|refer\w*|get\s+to\s+join){w}\m(?:get|earn\w*
            |receive\w*|paid|bonus\w*|commission\w*|{num})
        |\m(?:get|earn|receive|make)\w*\s+[^.!?\n]*\mfor\s+(?:every|each)\s+(?:new\s+)?(?:person|people|recruit|member|distributor|partner
            |friend|one)\w*\s+(?:that\s+|who\s+|whom\s+)?(?:you\s+)?(?:recruit|sign|bring|enrol|sponsor|refer)\w*
        |\mper\s+(?:new\s+)?(?:recruit|sign-?up|enrollment|enrolment)\M
        |\m(?:get|getting|be|gets|earn)\s+paid\s+(?:for|to)\s+(?:recruit\w*|sign\w*\s+(?:people\s+)?up|bring\w*\s+(?:people\s+)?in|enrol\w*)
        |\m(?:recruit\w*|sign\s+up|enrol\w*|bring\s+in)\s+(?:just\s+)?(?:\d+|two|three|four|five)\s+(?:new\s+)?(?:people|friends|others
            |members|distributors){w}\m(?:free|earn\w*|paid|bonus|money|{money})
        |\mthe\s+more\s+(?:people|members|partners|recruits|friends)\s+you[^.!?\n]*\mthe\s+more
        |\m(?:recruiting|recruitment)\s+(?:bonus|bonuses|commission)\w*$re$,
        'Paying for recruiting new participants rather than for sales to customers is the hallmark of a pyramid scheme and is illegal.',
        'Only describe pay for real product sales to customers: "Our plan pays commission on product sales, not on sign-ups."'
    ),
    -- 6 cure / treat / prevent disease ------------------------------------------------------
    (
        'disease_claim_de', 'disease_claim', 'critical', 'de',
        $re$\m{treat_de}\M[^.!?\n]*\m{disease_de}
        |\m{disease_de}[^.!?\n]*\m(?:heil\w*|geheilt|kuriert|behandelt|gelindert|besiegt|verschwunden|weg|geholfen|hilft|vorgebeugt
            |vorbeug\w*|verhindert|verhindern|rueckgaengig\w*|gesenkt|senken|reguliert|normalisiert|lindern|heilen|behandeln|kurieren
            |besiegen|bekaempfen)\M
        |\manti-?(?:krebs|tumor|viral|diabet)\w*$re$,
        'Aussagen, ein Produkt heile, lindere oder verhüte Krankheiten, sind für Nahrungsergänzung und Kosmetik '
        || 'verboten (HWG §3, LMIV Art. 7 Abs. 3).',
        'Keine Krankheitsbezüge. Stattdessen: "Bei gesundheitlichen Beschwerden sprich bitte mit deinem Arzt. Gern '
        || 'erzähle ich dir, was in dem Produkt steckt."'
    ),
    (
        'disease_claim_en', 'disease_claim', 'critical', 'en',
        $re$\m{treat_en}\M[^.!?\n]*\m{disease_en}
        |\m{disease_en}[^.!?\n]*\m(?:cured|healed|treated|gone|disappeared|reversed|beaten|prevented|relieved|eliminated)\M
        |\manti-?(?:cancer|tumou?r|viral|diabetic)\w*$re$,
        'Claims that a product cures, treats or prevents disease are drug claims; for supplements and cosmetics they '
        || 'are prohibited (FTC/FDA, EU Regulation 1169/2011).',
        'No disease claims. Instead: "For any health condition please talk to your doctor. Happy to tell you what is in the product."'
    ),
    -- 7 unauthorised health claims (detox, immunity …) ---------------------------------------
    (
        'health_claim_de', 'health_claim', 'high', 'de',
        $re$\m(?:detox\w*|entgift\w*|entschlack\w*|entsaeuer\w*|uebersaeuer\w*|schlacken|ausleit\w*|darmreinigung\w*|leberreinigung\w*
            |immun\w*|abwehrkraeft\w*|abwehrkraft|zellschutz|zellerneuerung|verjuengt?\w*|anti-?aging|fettverbrenn\w*|fettkiller
            |stoffwechselturbo|stoffwechselbooster)
        |\mgiftstoffe?\s+(?:\w+\s+)?(?:aus|los|raus|ausleiten|ausschwemmen|ausscheiden)
        |\mreinig\w*\s+(?:\w+\s+)?(?:darm|koerper|blut|leber|organismus|zellen)
        |\mstoffwechsel\s+(?:anregen|ankurbeln|beschleunigen)
        |\mkurbelt\s+(?:\w+\s+)?stoffwechsel
        |\mhormone?\s+(?:ins\s+gleichgewicht|ausgleichen|regulieren)
        |\m(?:klinisch|wissenschaftlich|medizinisch)\s+(?:bewiesen|belegt|erwiesen|nachgewiesen)
        |\mzellen\s+(?:regenerier\w*|verjueng\w*|reparier\w*)$re$,
        'Gesundheitsversprechen wie "entgiftet", "stärkt das Immunsystem" oder "klinisch bewiesen" sind nur mit '
        || 'zugelassenen Health Claims erlaubt (VO (EG) 1924/2006).',
        'Nur zugelassene Angaben verwenden, z. B. "Vitamin C trägt zu einer normalen Funktion des Immunsystems bei", '
        || 'oder einfach die Inhaltsstoffe nennen.'
    ),
    (
        'health_claim_en', 'health_claim', 'high', 'en',
        $re$\m(?:detox\w*|immun\w*|anti-?aging|rejuvenat\w*|fat[- ]?burn\w*|alkaliz\w*)
        |\mcleans\w*\s+(?:your\s+|the\s+)?(?:body|blood|liver|colon|gut|system|cells)
        |\mflush\w*\s+(?:out\s+)?(?:the\s+|your\s+|all\s+)?toxins
        |\mtoxins?\s+(?:out|from\s+your\s+body)
        |\mboost\w*\s+(?:your\s+)?(?:metabolism|immunity)
        |\mreverse\w*\s+(?:the\s+signs\s+of\s+)?aging
        |\mburns?\s+(?:belly\s+)?fat|\mmelts?\s+(?:away\s+)?(?:the\s+|belly\s+)?fat
        |\mbalanc\w*\s+(?:your\s+)?hormones
        |\m(?:clinically|scientifically|medically)\s+(?:proven|shown\s+to)
        |\mcellular\s+(?:renewal|regeneration|repair)$re$,
        'Health claims such as "detox", "boosts immunity" or "clinically proven" are only allowed when authorised and '
        || 'substantiated (EU Regulation 1924/2006, FTC).',
        'Use only authorised wording, e.g. "Vitamin C contributes to the normal function of the immune system", or simply list the ingredients.'
    ),
    -- 8 guaranteed effect / no side effects -------------------------------------------------
    (
        'guaranteed_effect_de', 'guaranteed_effect', 'high', 'de',
        $re$\m(?:ohne|keine|null|frei\s+von|keinerlei)\s+(?:jegliche\w*\s+|jede\w*\s+|irgendwelche\w*\s+)?nebenwirkung\w*
        |\mnebenwirkungsfrei\w*
        |\m(?:wirkt|wirkung|wirksam\w*|erfolg|ergebnis\w*|resultat\w*)\s+(?:\w+\s+){0,2}?(?:garantiert|100\s?%\s+sicher)
        |\mgarantiert\w*\s+(?:\w+\s+){0,2}?(?:wirk\w*|erfolg\w*|ergebnis\w*|resultat\w*|abnehm\w*|schlank\w*)
        |\m(?:wirkungs|erfolgs|ergebnis|abnehm)garantie\w*
        |\mwirkt\s+(?:\w+\s+)?(?:immer|bei\s+(?:jedem|allen|jeder)|zu\s+100)
        |\m100\s?%\s+(?:wirksam|unbedenklich)
        |\m(?:absolut|voellig|komplett|vollkommen)\s+unbedenklich
        |\mkann\s+(?:\w+\s+)?nicht\s+schaden|\mschadet\s+nie$re$,
        'Eine garantierte Wirkung oder "keine Nebenwirkungen" zu versprechen ist irreführend und im Gesundheitsbereich verboten (HWG §3 Nr. 2).',
        'Stattdessen: "Jeder Körper reagiert anders. Bei Fragen zur Verträglichkeit sprich bitte mit deinem Arzt oder Apotheker."'
    ),
    (
        'guaranteed_effect_en', 'guaranteed_effect', 'high', 'en',
        $re$\m(?:no|zero|without(?:\s+any)?|free\s+(?:of|from))\s+(?:known\s+|negative\s+)?side[- ]effects?
        |\mside[- ]effect[- ]free
        |\mguaranteed\s+(?:\w+\s+){0,2}?(?:results?|to\s+work|effects?|success|weight\s+loss)
        |\m(?:results?|success|effects?)\s+(?:are\s+|is\s+)?(?:100\s?%\s+)?guaranteed
        |\mworks\s+(?:for\s+)?(?:everyone|everybody|every\s+time|100\s?%)
        |\m100\s?%\s+(?:effective|harmless)
        |\mcompletely\s+harmless
        |\m(?:can't|cannot|can\s+not)\s+(?:possibly\s+)?(?:hurt|harm)\s+you
        |\m(?:results|success)\s+guarantee$re$,
        'Promising a guaranteed effect or "no side effects" is deceptive and prohibited for health products.',
        'Instead: "Everybody reacts differently. If you have questions about tolerance, please ask your doctor or pharmacist."'
    ),
    -- 9 weight-loss rates -----------------------------------------------------------------
    (
        'weight_loss_rate_de', 'weight_loss_rate', 'high', 'de',
        $re$\m(?:abnehm\w*|abgenommen|verlier\w*|verloren|purzel\w*|runter|weniger|schmelz\w*)\M[^.!?\n]*\d+(?:[.,]\d+)?\s?(?:kg|kilo\w*
            |pfund)\M[^.!?\n]*\m(?:in|innerhalb|binnen|nach|pro)\s+(?:von\s+)?(?:nur\s+|gerade\s+mal\s+|knapp\s+)?(?:\d+|einer|einem|zwei
            |drei|vier|fuenf|sechs|sieben|acht|zehn|wenigen|der|jede[rnm]?)\s+(?:tag\w*|woche\w*|monat\w*)
        |\d+(?:[.,]\d+)?\s?(?:kg|kilo\w*|pfund)\M[^.!?\n]*\m(?:in|innerhalb|binnen|nach|pro)\s+(?:von\s+)?(?:nur\s+|gerade\s+mal\s+
            |knapp\s+)?(?:\d+|einer|einem|zwei|drei|vier|fuenf|sechs|sieben|acht|zehn|wenigen|der|jede[rnm]?)\s+(?:tag\w*|woche\w*
            |monat\w*)[^.!?\n]*\m(?:abnehm\w*|abgenommen|verlier\w*|verloren|purzel\w*|runter|weniger|schmelz\w*|leichter)
        |\m(?:in|innerhalb|binnen)\s+(?:von\s+)?(?:nur\s+)?(?:\d+|einer|einem|zwei|drei|vier|wenigen)\s+(?:tag\w*|woche\w*
            |monat\w*)[^.!?\n]*\d+(?:[.,]\d+)?\s?(?:kg|kilo\w*|pfund)\M[^.!?\n]*\m(?:abnehm\w*|abgenommen|weniger|verlier\w*|verloren|runter
            |purzel\w*|leichter)
        |\mabnehm\w*\s+ohne\s+(?:\w+\s+)?(?:diaet|sport|hunger|verzicht)
        |\m(?:schlank|abnehm)\w*\s+im\s+schlaf
        |\m(?:\d+|zwei|drei)\s+kleidergroess\w*\s+(?:\w+\s+)?(?:in|innerhalb)$re$,
        'Angaben zu Dauer und Ausmaß einer Gewichtsabnahme ("10 kg in 2 Wochen") sind verboten (LMIV/Health-Claims-VO Art. 12 b).',
        'Keine Abnahmezahlen oder -zeiten nennen. Stattdessen: "Das Produkt kann Teil einer ausgewogenen Ernährung '
        || 'sein; Ergebnisse sind individuell."'
    ),
    (
        'weight_loss_rate_en', 'weight_loss_rate', 'high', 'en',
        $re$\m(?:lose|lost|losing|loses|drop\w*|shed\w*|melt\w*|burn\w*)\s+(?:up\s+to\s+|over\s+|about\s+|around\s+)?\d+(?:[.,]\d+)?\s?(?:kg
            |kilos?|lbs?|pounds|stone)\M[^.!?\n]*\m(?:in|within|per|a|each|every)\s+(?:just\s+|only\s+)?(?:\d+\s+|one\s+|two\s+|three\s+
            |four\s+|a\s+|the\s+first\s+|a\s+single\s+)?(?:days?|weeks?|months?)
        |\d+(?:[.,]\d+)?\s?(?:kg|kilos?|lbs?|pounds)\s+(?:\w+\s+){0,2}?(?:in|within)\s+(?:just\s+|only\s+)?(?:\d+|one|two|three|four
            |a)\s+(?:days?|weeks?|months?)[^.!?\n]*(?:lose|lost|off|down|gone|slimmer|lighter)
        |\m(?:in|within)\s+(?:just\s+|only\s+)?(?:\d+|one|two|three|four|a)\s+(?:days?|weeks?|months?)[^.!?\n]*\m(?:lose|lost|drop\w*
            |shed\w*)\s+\d+(?:[.,]\d+)?\s?(?:kg|kilos?|lbs?|pounds)
        |\mlose\s+weight\s+without\s+(?:\w+\s+)?(?:diet\w*|exercis\w*|effort|working\s+out)
        |\mlose\s+weight\s+(?:fast|quickly|overnight|while\s+you\s+sleep)
        |\mdrop\s+(?:\d+|two|three)\s+(?:dress\s+|jean\s+|clothing\s+|pant\s+)?sizes?$re$,
        'Statements about the rate or amount of weight loss ("lose 20 pounds in 30 days") are prohibited (EU 1924/2006 Art. 12(b), FTC).',
        'No weight-loss figures. Instead: "It can be part of a balanced diet; results are individual."'
    ),
    -- 10 doctor endorsements ---------------------------------------------------------------
    (
        'doctor_endorsement_de', 'doctor_endorsement', 'high', 'de',
        $re$\m(?:aerzt\w*|arzt|mediziner\w*|heilpraktiker\w*|apotheker\w*|dermatolog\w*|kardiolog\w*|zahnaerzt\w*|professor\w*
            |dr\.)\s+(?:\w+\s+){0,3}?(?:empfohlen|empfehlen|empfiehlt|empfahl|verschrieb\w*|verschreib\w*|schwoeren|schwoert|vertrauen
            |vertraut|befuerwort\w*|raten|raet)\M
        |\maerztlich\s+(?:empfohlen|getestet|bestaetigt|geprueft|befuerwortet)
        |\m(?:mein|meine|unser|unsere)\s+(?:arzt|aerztin|hausarzt|hausaerztin|heilpraktiker\w*|frauenarzt
            |frauenaerztin)\s+(?:\w+\s+){0,4}?(?:sagt|meint|empfiehlt|findet|raet|schwoert)
        |\m(?:empfohlen|empfehlung)\s+(?:\w+\s+)?von\s+(?:\w+\s+)?(?:aerzt\w*|arzt|medizinern|heilpraktikern|apothekern)
        |\m\d+\s?%\s+(?:der|aller)\s+(?:aerzt\w*|zahnaerzt\w*|apotheker\w*|dermatolog\w*)$re$,
        'Werbung mit Empfehlungen von Ärzten oder Heilberufen ist außerhalb der Fachkreise verboten (HWG §11 Abs. 1 Nr. 2).',
        'Keine Arzt-Empfehlungen zitieren. Stattdessen die Produkteigenschaften beschreiben und für Gesundheitsfragen an den eigenen Arzt verweisen.'
    ),
    (
        'doctor_endorsement_en', 'doctor_endorsement', 'high', 'en',
        $re$\m(?:doctors?|physicians?|dermatologists?|cardiologists?|pharmacists?|nutritionists?|medical\s+experts?
            |dr\.)\s+(?:\w+\s+){0,3}?(?:recommend\w*|approved|endorse\w*|prescrib\w*|swear\s+by|trust|love\s+it|backed)
        |\m(?:doctor|physician|dermatologist)[- ](?:recommended|approved|endorsed|backed|formulated)
        |\m(?:recommended|endorsed|approved|backed)\s+by\s+(?:\w+\s+)?(?:doctors|physicians|dermatologists|medical\s+professionals|pharmacists)
        |\mmy\s+(?:doctor|physician|gp)\s+(?:\w+\s+){0,3}?(?:said|says|told\s+me|recommend\w*|swears)
        |\m\d+\s?%\s+of\s+(?:doctors|dentists|dermatologists|physicians)$re$,
        'Advertising with endorsements by doctors or health professionals misleads and is restricted or prohibited for consumer advertising.',
        'Do not quote doctors. Describe the product and refer health questions to the customer''s own doctor.'
    ),
    -- 11 health fear appeals -------------------------------------------------------------
    (
        'health_fear_de', 'health_fear_appeal', 'high', 'de',
        $re$\m(?:giftstoff\w*|gifte|chemie|chemikalien|toxine?|schadstoff\w*)\s+(?:\w+\s+){0,4}?(?:in\s+(?:deinem|ihrem|eurem)\s+(?:koerper
            |blut|zuhause|haus|essen)|vergift\w*|toeten|machen\s+(?:dich|sie|euch)\s+krank|krank\s+mach\w*)
        |\mvergift\w*\s+(?:dich|sie|euch|deine\w*|ihre\w*|eure\w*)\M
        |\mtickende\w*\s+zeitbombe
        |\m(?:riskierst|riskieren|gefaehrdest|gefaehrden|ruinierst|ruinieren)\s+(?:du\s+|sie\s+)?(?:\w+\s+){0,2}?(?:gesundheit|leben|herz|koerper)
        |\m(?:du|sie)\s+(?:wirst|werden|koenntest|koennten)\s+(?:\w+\s+){0,3}?(?:krank\s+werden|krebs\s+bekommen|sterben|schwer\s+krank)
        |\m(?:erhoeht\w*|hohe[sn]?|steigende[sn]?)\s+(?:krebs|herzinfarkt|schlaganfall|demenz)risiko|\mkrebsrisiko
        |\mdeine[rnm]?\s+(?:kinder|familie)\w*\s+(?:\w+\s+){0,3}?(?:gesundheit\s+)?(?:gefaehrd\w*|vergift\w*|krank\s+mach\w*)
        |\mangst\s+um\s+(?:deine|ihre)\s+gesundheit
        |\mschleichend\w*\s+vergift\w*$re$,
        'Angst vor Krankheit oder Vergiftung zu schüren, um zu verkaufen, ist unzulässig (HWG §11 Abs. 1 Nr. 7, aggressive Geschäftspraktik).',
        'Sachlich bleiben: Produktvorteile nennen, ohne Ängste zu wecken. "Wenn dich das Thema interessiert, erzähle ich dir gern mehr dazu."'
    ),
    (
        'health_fear_en', 'health_fear_appeal', 'high', 'en',
        $re$\mtoxins?\s+(?:\w+\s+){0,4}?(?:in\s+your\s+(?:body|blood|home|food)|are\s+(?:killing|poisoning|making))
        |\mpoison\w*\s+(?:you|your\s+\w+)\M
        |\m(?:chemicals|toxins)\s+(?:\w+\s+){0,3}?(?:killing|poisoning|making\s+you\s+sick)
        |\mticking\s+time\s+bomb
        |\m(?:risking|risk|endanger\w*|ruin\w*|jeopardi\w*)\s+(?:\w+\s+){0,2}?your\s+(?:\w+'s\s+|kids'\s+)?(?:health|life|heart|body)
        |\myou\s+(?:could|will|might|may)\s+(?:\w+\s+){0,2}?(?:get\s+(?:sick|cancer|ill)|end\s+up\s+(?:sick|in\s+(?:the\s+)?hospital))
        |\m(?:increased|higher|high)\s+(?:risk\s+of\s+(?:cancer|heart\s+attack|stroke|dementia)|(?:cancer|heart\s+attack|stroke|dementia)\s+risk)
        |\mcancer\s+risk
        |\mbefore\s+(?:it's|its|it\s+is)\s+too\s+late\s+for\s+your\s+(?:health|body)
        |\m(?:your|the)\s+(?:kids|children|family)\s+(?:\w+\s+){0,3}?(?:being\s+poisoned|poisoned|at\s+risk\s+of\s+(?:cancer|disease|illness))$re$,
        'Playing on fear of illness or poisoning to sell is an aggressive and prohibited practice.',
        'Stay factual: name the product benefits without stirring up fear. "If the topic interests you, I am happy to tell you more."'
    ),
    -- 12 false scarcity --------------------------------------------------------------------
    (
        'false_scarcity_de', 'false_scarcity', 'medium', 'de',
        $re$\mnur\s+(?:noch\s+)?(?:\d+|zwei|drei|vier|fuenf|wenige|ein\s+paar)\s+(?:freie\s+)?(?:plaetze|platz|stueck|pakete|exemplare|sets
            |tickets|einheiten|flaschen|dosen|startpakete|teilnehmer\w*|spots?)\M
        |\mnur\s+noch\s+(?:heute|bis\s+(?:heute|morgen|mitternacht)|(?:\d+|wenige)\s+(?:stunden|minuten|tage))
        |\m(?:fast|bald|gleich|so\s+gut\s+wie)\s+(?:ausverkauft|vergriffen|weg)
        |\mletzte[n]?\s+(?:\w+\s+)?(?:plaetze|exemplare|stueck|chance)
        |\mlimitiert\w*\s+auf\s+\d+
        |\m(?:angebot|aktion|rabatt|preis)\s+(?:\w+\s+){0,3}?(?:endet|verfaellt|laeuft\s+(?:\w+\s+)?ab)\s+(?:heute|um\s+mitternacht
            |in\s+\d+\s+(?:stunden|minuten))
        |\msolange\s+der\s+vorrat\s+reicht
        |\mnie\s+wieder\s+(?:so\s+)?(?:guenstig|billig)
        |\mnur\s+(?:fuer|an)\s+die\s+ersten\s+\d+$re$,
        'Künstliche Verknappung ("nur noch 3 Plätze", "endet um Mitternacht") ist unlauter, wenn sie nicht stimmt (UWG Anhang Nr. 7).',
        'Nur echte Fristen nennen und ohne Druck formulieren: "Das Angebot gilt bis zum 30.11. – melde dich gern, wenn du Fragen hast."'
    ),
    (
        'false_scarcity_en', 'false_scarcity', 'medium', 'en',
        $re$\monly\s+(?:\d+|two|three|four|five|a\s+few|few)\s+(?:\w+\s+)?(?:spots?|places?|seats?|units?|kits?|packs?|bottles?|pieces?|left
            |remaining)\M
        |\monly\s+(?:\d+|a\s+few)\s+(?:hours?|minutes?)\s+left
        |\m(?:almost|nearly)\s+(?:sold\s+out|gone)
        |\mselling\s+out\s+fast
        |\mlast\s+(?:few\s+)?(?:spots?|units?|chance|pieces?)
        |\mlimited\s+to\s+(?:the\s+first\s+)?\d+
        |\m(?:offer|deal|discount|price|sale)\s+(?:\w+\s+){0,3}?(?:ends|expires|disappears)\s+(?:today|tonight|at\s+midnight
            |in\s+\d+\s+(?:hours|minutes))
        |\mwhile\s+supplies\s+last
        |\mnever\s+(?:again\s+)?(?:be\s+)?this\s+cheap
        |\mfirst\s+\d+\s+(?:people|customers|buyers)\s+only$re$,
        'Artificial scarcity ("only 3 spots left", "ends at midnight") is an unfair practice when it is not true.',
        'State only real deadlines, without pressure: "The offer is valid until November 30 - let me know if you have questions."'
    ),
    (
        'once_in_a_lifetime_de', 'false_scarcity', 'low', 'de',
        $re$\meinmalig\w*\s+(?:chance|gelegenheit)|\m(?:chance|gelegenheit)\s+(?:deines|ihres|eures)\s+lebens$re$,
        '"Einmalige Chance" übertreibt und baut Druck auf.',
        'Nüchtern bleiben: "Ich glaube, das könnte gut zu dir passen."'
    ),
    (
        'once_in_a_lifetime_en', 'false_scarcity', 'low', 'en',
        $re$\monce[- ]in[- ]a[- ]lifetime|\m(?:chance|opportunity)\s+of\s+a\s+lifetime$re$,
        '"Once in a lifetime" exaggerates and builds pressure.',
        'Keep it sober: "I think this could be a good fit for you."'
    ),
    -- 13 pressure / ultimatum --------------------------------------------------------------
    (
        'pressure_de', 'pressure_ultimatum', 'medium', 'de',
        $re$\m(?:jetzt|heute|sofort)\s+oder\s+nie
        |\m(?:entscheid\w*|unterschreib\w*|bestell\w*|zusag\w*|zuschlagen|sag)\s+(?:\w+\s+){0,3}?(?:jetzt|sofort|heute\s+noch|noch\s+heute
            |umgehend)\s*(?:,\s*)?(?:oder|sonst)\M
        |\msonst\s+(?:\w+\s+){0,4}?(?:ist\s+(?:es|das\s+angebot|der\s+platz)\s+weg|verfaellt|verlierst|verpasst|zu\s+spaet)
        |\mkeine\s+zeit\s+(?:mehr\s+)?(?:zum|zu)\s+(?:nachdenken|ueberlegen)
        |\m(?:du\s+musst|sie\s+muessen)\s+(?:dich\s+|sich\s+)?(?:jetzt|heute|sofort)\s+(?:\w+\s+)?entscheid\w*
        |\mletzte\s+(?:warnung|aufforderung)
        |\mbevor\s+es\s+zu\s+spaet\s+ist
        |\mwer\s+(?:jetzt\s+)?zoegert,?\s+verliert
        |\m(?:wirst|werden)\s+es\s+(?:\w+\s+)?bereuen
        |\mletztes\s+angebot$re$,
        'Druck und Ultimaten ("jetzt oder nie") sind aggressive Geschäftspraktiken (UWG §4a) und beschädigen das Vertrauen.',
        'Dem Kunden Zeit geben: "Lass dir in Ruhe Zeit. Wenn du Fragen hast, bin ich gern für dich da."'
    ),
    (
        'pressure_en', 'pressure_ultimatum', 'medium', 'en',
        $re$\m(?:now|today)\s+or\s+never
        |\m(?:decide|sign|order|commit|buy|act|join)\s+(?:\w+\s+){0,2}?(?:now|today|right\s+now|immediately)\s*,?\s*(?:or|otherwise)\M
        |\motherwise\s+(?:\w+\s+){0,4}?(?:gone|lose|miss|too\s+late)
        |\mor\s+(?:you'll|you\s+will)\s+(?:lose|miss|regret)
        |\m(?:need|have|must|got)\s+(?:to\s+)?(?:decide|commit|sign)\s+(?:\w+\s+)?(?:now|today|right\s+now|immediately|tonight)
        |\mno\s+time\s+to\s+(?:think|consider)
        |\m(?:last|final)\s+warning|\mfinal\s+notice
        |\mbefore\s+(?:it's|its|it\s+is)\s+too\s+late
        |\mhe\s+who\s+hesitates
        |\myou'll\s+regret\s+(?:it|this|not)
        |\mthis\s+offer\s+won't\s+(?:last|come\s+back)$re$,
        'Pressure and ultimatums ("now or never") are aggressive sales practices and damage trust.',
        'Give the customer time: "Take your time. If you have any questions, I am happy to help."'
    ),
    -- 14 exploiting hardship (debt …) -------------------------------------------------------
    (
        'hardship_de', 'exploiting_hardship', 'high', 'de',
        $re$\m(?:schulden\w*|verschuldet|pleite|insolvenz\w*|privatinsolvenz|arbeitslos\w*|buergergeld|hartz|sozialhilfe|knapp\s+bei\s+kasse
            |geldsorgen|geldnot|finanzielle\w*\s+(?:not|sorgen|probleme|engpass\w*)|miete\s+(?:\w+\s+)?(?:nicht
            |kaum)\s+(?:mehr\s+)?(?:zahlen|bezahlen)|rechnungen\s+(?:\w+\s+)?(?:nicht|kaum)\s+(?:mehr\s+)?(?:zahlen|bezahlen)|dispo\w*
            |pfaendung\w*|mahnung\w*)[^\n]*\m(?:loswerden|los\s+werden|los\s+sein|raus|befrei\w*|abbezahl\w*|tilg\w*|endlich|chance|loesung
            |ausweg|verdien\w*|\w*einkommen|business|einsteigen|einstieg|mitmachen|startpaket)
        |\m(?:loswerden|befrei\w*|abbezahl\w*|tilg\w*|ausweg|chance|loesung)[^.!?\n]*\m(?:schulden\w*|pleite|geldsorgen|geldnot|dispo\w*|insolvenz\w*)
        |\m(?:deine|ihre|eure)\s+(?:\w+\s+)?(?:schulden|geldsorgen|finanzielle\w*\s+(?:not|sorgen|lage))$re$,
        'Die finanzielle Notlage (Schulden, Arbeitslosigkeit) eines Menschen auszunutzen, um zu verkaufen oder '
        || 'anzuwerben, ist eine aggressive Geschäftspraktik (UWG §4a Abs. 2 Nr. 3).',
        'Notlagen nicht als Verkaufsargument nutzen. Bei Geldsorgen auf seriöse Hilfe (Schuldnerberatung) verweisen und kein Produkt anbieten.'
    ),
    (
        'hardship_en', 'exploiting_hardship', 'high', 'en',
        $re$\m(?:debts?|in\s+debt|broke|bankrupt\w*|unemployed|jobless|laid\s+off|lost\s+your\s+job|paycheck\s+to\s+paycheck
            |behind\s+on\s+(?:rent|bills|payments)|can't\s+(?:pay|afford)\s+(?:your\s+|the\s+)?(?:rent|bills|mortgage)
            |struggling\s+(?:to\s+pay|financially|with\s+(?:bills|money|rent))|single\s+mom|single\s+mother|welfare|food\s+stamps|overdraft
            |foreclosure|eviction|money\s+(?:problems|troubles|worries))[^\n]*\m(?:get\s+out|escape|pay\s+(?:it\s+|them\s+)?(?:off|down)
            |clear|wipe|solution|answer|way\s+out|opportunity|earn\w*|income|business|join|starter\s+kit)
        |\m(?:get\s+out\s+of|escape|pay\s+off|wipe\s+out|clear)\s+(?:\w+\s+)?(?:debt|debts|bills)\M
        |\myour\s+(?:\w+\s+)?(?:debts?|money\s+(?:problems|troubles|worries)|financial\s+(?:problems|troubles|struggles|situation))$re$,
        'Exploiting someone''s financial hardship (debt, unemployment) to sell or recruit is an aggressive practice.',
        'Do not use hardship as a sales argument. Point to proper help (debt counselling) instead of offering a product.'
    ),
    -- 15 seller guilt ---------------------------------------------------------------------
    (
        'seller_guilt_de', 'seller_guilt', 'medium', 'de',
        $re$\m(?:ich\s+habe?|hab)\s+(?:so\s+|echt\s+|wirklich\s+)?(?:viel|extra|soviel)\s+(?:zeit|muehe|energie|arbeit)\s+(?:in\s+dich
            |fuer\s+dich|in\s+sie|fuer\s+sie)
        |\mnach\s+allem,?\s+was\s+ich\s+fuer\s+(?:dich|sie)
        |\m(?:du\s+laesst|sie\s+lassen|laesst\s+du)\s+mich\s+(?:jetzt\s+)?(?:\w+\s+)?(?:haengen|im\s+stich)
        |\menttaeusch\w*\s+(?:mich|uns)\M
        |\mich\s+(?:bin|waere)\s+(?:so\s+|echt\s+|wirklich\s+|sehr\s+)?enttaeuscht
        |\m(?:du\s+)?schuldest\s+mir
        |\mich\s+zaehl\w*\s+(?:fest\s+)?auf\s+dich{w}\m(?:bestell|kauf|unterschreib|zusag)\w*
        |\mtu\s+es\s+(?:fuer\s+mich|mir\s+zuliebe)|\mmir\s+zuliebe
        |\mmeine?\s+(?:kinder|familie|provision|quote|ziel)\s+(?:\w+\s+){0,3}?(?:haengt|haengen|braucht|brauchen)\s+(?:davon|von\s+dir)
        |\mich\s+brauche\s+(?:nur\s+noch\s+)?(?:diesen|einen|deinen)\s+(?:abschluss|auftrag|verkauf|kauf)$re$,
        'Schuldgefühle zu erzeugen ("nach allem, was ich für dich getan habe") setzt Kunden emotional unter Druck.',
        'Die Entscheidung beim Kunden lassen: "Ganz egal, wie du dich entscheidest – danke dir für deine Zeit!"'
    ),
    (
        'seller_guilt_en', 'seller_guilt', 'medium', 'en',
        $re$\mafter\s+(?:all|everything)\s+(?:i've|i\s+have)\s+done\s+for\s+you
        |\mi(?:'ve|\s+have)\s+(?:put|invested|spent)\s+so\s+much\s+(?:time|effort|energy)\s+(?:in|into|on)\s+you
        |\m(?:let|letting)\s+me\s+down
        |\myou\s+owe\s+me
        |\mdo\s+(?:it|this)\s+for\s+me
        |\mdo\s+me\s+a\s+favou?r\s+and\s+(?:buy|order|sign)
        |\mi(?:'m|\s+am)\s+(?:so\s+|really\s+)?disappointed\s+in\s+you
        |\mmy\s+(?:kids|family|commission|quota|bonus)\s+(?:\w+\s+){0,3}?(?:depends?|counts?|relies|rely)\s+on\s+(?:you|this)
        |\mi\s+(?:really\s+)?need\s+this\s+(?:sale|order|deal)$re$,
        'Guilt-tripping ("after all I have done for you") puts customers under emotional pressure.',
        'Leave the decision to the customer: "Whatever you decide - thank you for your time!"'
    ),
    -- 16 "free / no risk" when costs exist -----------------------------------------------------
    (
        'no_risk_de', 'free_no_risk', 'medium', 'de',
        $re$\m(?:risikofrei\w*|risikolos\w*)
        |\mohne\s+(?:jedes\s+|jegliches\s+|(?:irgend)?ein\s+|das\s+geringste\s+)?risiko
        |\m(?:null|kein|keinerlei)\s+risiko
        |\mnichts\s+zu\s+verlieren$re$,
        '"Ohne Risiko" stimmt fast nie: Kosten, Vertragslaufzeit oder Mindestabnahme sind ein Risiko und müssen genannt werden.',
        'Konditionen offen nennen: "Das Starterpaket kostet 99 €; du kannst innerhalb von 14 Tagen widerrufen."'
    ),
    (
        'no_risk_en', 'free_no_risk', 'medium', 'en',
        $re$\mrisk[- ]free|\mzero\s+risk\M|\mno\s+risk\M(?!\s+(?:of|that))|\mwithout\s+(?:any\s+)?risk|\mnothing\s+to\s+lose$re$,
        '"Risk-free" is almost never true: costs, contract terms or minimum orders are a risk and must be disclosed.',
        'State the terms openly: "The starter kit is $99; you can cancel within 14 days."'
    ),
    (
        'free_starter_de', 'free_no_risk', 'high', 'de',
        $re$\m(?:kostenlos\w*|gratis|umsonst|geschenkt)\s+(?:\w+\s+){0,3}?(?:start\w*paket|starter\w*|mitgliedschaft|einstieg|anmeldung
            |registrierung|geschaeftspaket|business)
        |\m(?:start\w*paket|starter\w*|mitgliedschaft|einstieg|anmeldung|registrierung|geschaeftspaket)\w*\s+(?:\w+\s+){0,3}?(?:kostenlos
            |gratis|umsonst|geschenkt|kostet\s+(?:dich\s+)?nichts)\M$re$,
        '"Kostenlos" beim Einstieg ist irreführend, wenn später Kosten entstehen (Startpaket, Monatsbeitrag, Mindestumsatz); UWG Anhang Nr. 21.',
        'Alle Kosten nennen: "Die Anmeldung ist kostenlos; für das Starterpaket fallen 99 € an, danach keine Pflichtkäufe."'
    ),
    (
        'free_starter_en', 'free_no_risk', 'high', 'en',
        $re$\mfree\s+(?:\w+\s+){0,2}?(?:starter\s+kit|business\s+kit|membership|sign-?up|enrol(?:l)?ment|business\s+opportunity)
        |\m(?:starter\s+kit|membership|sign-?up|enrol(?:l)?ment|joining)\s+(?:\w+\s+){0,2}?(?:is\s+)?(?:free|costs?\s+(?:you\s+)?nothing)\M
        |\mcosts?\s+(?:you\s+)?nothing\s+to\s+(?:join|start)
        |\mfree\s+to\s+join$re$,
        'Calling the start "free" is deceptive when costs follow (starter kit, monthly fees, minimum orders).',
        'Disclose all costs: "Signing up is free; the starter kit is $99 and there are no required purchases after that."'
    ),
    -- 17 hidden commercial intent ---------------------------------------------------------
    (
        'hidden_intent_de', 'hidden_commercial_intent', 'high', 'de',
        $re$\m(?:ich|wir)\s+(?:will|wollen|moechte|moechten|moecht)\s+(?:dir|ihnen|euch)\s+(?:\w+\s+)?(?:nichts|gar\s+nichts|nix)\s+verkaufen
        |\mich\s+verkaufe\s+(?:\w+\s+)?(?:nichts|nix)
        |\m(?:ist|das\s+ist|es\s+geht)\s+(?:\w+\s+)?(?:kein|keine|nicht\s+um\s+(?:ein|einen|eine)?)\s*(?:verkauf\w*|werbung
            |verkaufsgespraech|werbeaktion)\M
        |\mkeine\s+werbung
        |\mnicht\s+(?:als\s+)?(?:verkaeufer\w*|vertriebler\w*)
        |\m(?:rein|ganz)\s+privat\w*\s+(?:empfehlung|tipp|erfahrung|nachricht)
        |\mnur\s+(?:als\s+)?(?:freund|freundin|privatperson)[^.!?\n]*\mnicht\s+(?:geschaeftlich|beruflich)$re$,
        'Werbung muss als solche erkennbar sein; den kommerziellen Zweck zu verschleiern ("ich will dir nichts '
        || 'verkaufen") ist unlauter (UWG §5a Abs. 4, Anhang Nr. 23).',
        'Offen sagen, worum es geht: "Ich arbeite mit [Marke] und melde mich, weil ich glaube, dass dich das Produkt interessieren könnte."'
    ),
    (
        'hidden_intent_en', 'hidden_commercial_intent', 'high', 'en',
        $re$\m(?:i'm|i\s+am|we're|we\s+are)\s+not\s+(?:\w+\s+)?(?:trying\s+to\s+)?(?:sell\w*|pitch\w*|a\s+salesperson|in\s+sales)
        |\m(?:this|it)\s+(?:is\s+not|isn't|is\s+no)\s+(?:a\s+|an\s+)?(?:sales\s+pitch|sales\s+call|pitch|ad|advert\w*)\M
        |\mnot\s+a\s+(?:sales\s+pitch|pitch|sales\s+call|salesperson)
        |\mno\s+(?:sales\s+)?pitch\M
        |\mnot\s+(?:trying\s+to\s+)?sell(?:ing)?\s+(?:you\s+)?anything
        |\mjust\s+(?:as\s+)?a\s+friend[^.!?\n]*\mnot\s+(?:selling|business)
        |\mpurely\s+personal\s+(?:recommendation|tip)$re$,
        'Advertising must be recognisable as such; disguising the commercial purpose ("I am not selling anything") is deceptive.',
        'Be open about it: "I work with [brand] and am reaching out because I think the product could interest you."'
    ),
    -- 18 inventory loading ----------------------------------------------------------------
    (
        'inventory_loading_de', 'inventory_loading', 'high', 'de',
        $re$\mauf\s+vorrat
        |\mvorrat\s+an(?:legen|schaffen)
        |\m(?:leg|schaff)\w*\s+(?:\w+\s+){0,4}?vorrat\s+an\M
        |\m(?:bau|baue|baust|stock|stocke|stockst|fuell)\w*\s+(?:\w+\s+){0,4}?(?:lager|vorrat|warenlager)\s+(?:\w+\s+)?auf\M
        |\m(?:lager|warenlager|lagerbestand)\s+(?:\w+\s+)?(?:auf(?:bauen|stocken|fuellen)|anlegen|voll\w*)
        |\m(?:mindestumsatz|mindestbestellung|mindestabnahme|qualifikationsumsatz|eigenumsatz)\w*{w}\m(?:bonus|status|qualifi\w*|rang|stufe
            |provision|aktiv)
        |\m(?:um|damit)\s+(?:\w+\s+){0,4}?(?:zu\s+)?qualifizier\w*{w}\m(?:bestell\w*|kauf\w*|pakete|umsatz)
        |\m(?:bestell|kauf)\w*{w}\m(?:um|damit)\s+(?:\w+\s+){0,6}?(?:zu\s+)?(?:qualifizier\w*|aufzusteigen|aktiv\s+zu\s+bleiben
            |deinen\s+rang|deinen\s+status)
        |\mselbst\s+(?:\w+\s+)?(?:kauf|bestell)\w*{w}\m(?:qualifi\w*|rang|status|bonus)$re$,
        'Partner zum Kauf großer Warenmengen (für Rang, Bonus oder Qualifikation) zu drängen, ist "Inventory Loading" '
        || '– ein Kennzeichen unzulässiger Systeme.',
        'Nur bedarfsgerecht bestellen lassen: "Bestell nur, was du wirklich brauchst oder schon verkauft hast."'
    ),
    (
        'inventory_loading_en', 'inventory_loading', 'high', 'en',
        $re$\mstock\s+up\M
        |\mbuild\s+(?:up\s+)?(?:your\s+)?(?:inventory|stock)
        |\m(?:load|buy|order|purchase)\s+(?:up\s+)?(?:on\s+)?(?:\w+\s+){0,3}?inventory
        |\minventory\s+(?:package|pack|load|bundle)\w*
        |\m(?:to|in\s+order\s+to|so\s+you\s+can)\s+(?:stay\s+)?(?:qualify|qualified|rank\s+up|stay\s+active|keep\s+your\s+(?:rank|status
            |bonus)){w}\m(?:order\w*|buy\w*|purchas\w*|inventory)
        |\m(?:order|buy|purchase)\w*{w}\m(?:to|so\s+you\s+(?:can\s+)?)\s*(?:stay\s+)?(?:qualif\w*|rank\s+up|stay\s+active
            |keep\s+your\s+(?:rank|status))
        |\m(?:personal\s+volume|minimum\s+order)\w*{w}\m(?:qualify\w*|bonus|rank|active|status)
        |\mgarage\s+qualif\w*$re$,
        'Pushing partners to buy large amounts of stock (for rank, bonus or qualification) is inventory loading - a hallmark of illegal schemes.',
        'Only order what is needed: "Just order what you actually need or have already sold."'
    ),
    -- 19 false approvals ("TÜV-/FDA-geprüft") --------------------------------------------------
    (
        'false_approval_de', 'false_approval', 'high', 'de',
        $re$\m(?:tuev|tuv|fda|dekra|bfarm|stiftung\s+warentest|oeko-?test)\s?-?\s?(?:\w+\s+)?(?:geprueft\w*|zertifiziert\w*|zugelassen\w*
            |genehmigt\w*|anerkannt\w*|bestaetigt\w*|empfohlen\w*|approved|certified|siegel|testsieger|getestet\w*)
        |\m(?:geprueft|zertifiziert|zugelassen|genehmigt|anerkannt|empfohlen)\w*\s+(?:von|vom|durch)\s+(?:den\s+|die\s+|der\s+
            |dem\s+)?(?:tuev|fda|dekra|ema|bfarm|who|weltgesundheitsorganisation|stiftung\s+warentest|oeko-?test|bundesamt|gesundheitsministerium)
        |\m(?:klinisch|medizinisch|behoerdlich|amtlich|staatlich)\s+(?:geprueft|zugelassen|zertifiziert|genehmigt|anerkannt)\w*
        |\m(?:als\s+)?(?:arzneimittel|medizinprodukt)\s+zugelassen$re$,
        'Prüfsiegel oder Zulassungen (TÜV, FDA, "klinisch geprüft") dürfen nur genannt werden, wenn sie tatsächlich '
        || 'bestehen und belegbar sind (UWG Anhang Nr. 2 und 4).',
        'Nur belegbare Zertifikate mit Quelle nennen, sonst weglassen: "Alle Inhaltsstoffe findest du auf dem Etikett."'
    ),
    (
        'false_approval_en', 'false_approval', 'high', 'en',
        $re$\m(?:fda|tuv|tuev|nhs|ema|ftc)[- ]?(?:approved|certified|cleared|registered|endorsed|tested)
        |\m(?:approved|certified|endorsed|cleared)\s+by\s+(?:the\s+)?(?:fda|tuv|tuev|who|world\s+health\s+organi[sz]ation|nhs|government|ema|ftc)
        |\mgovernment[- ](?:approved|certified)
        |\m(?:clinically|medically)\s+(?:approved|certified)
        |\mapproved\s+as\s+a\s+(?:drug|medicine|medical\s+device)$re$,
        'Seals and approvals (FDA, TUV, "clinically approved") may only be claimed when they exist and can be proven; '
        || 'the FDA does not approve supplements.',
        'Only cite verifiable certifications with a source, or leave them out: "You can find all ingredients on the label."'
    ),
    -- 20 denying withdrawal rights -----------------------------------------------------------
    (
        'withdrawal_denial_de', 'withdrawal_denial', 'critical', 'de',
        $re$\m(?:kein|keine|ohne|ausgeschlossen\w*)\s+(?:\w+\s+)?(?:widerrufsrecht|widerruf|rueckgaberecht|rueckgabe|umtausch|erstattung
            |rueckerstattung|geld\s+zurueck)\M
        |\m(?:widerruf\w*|rueckgabe\w*|umtausch|erstattung\w*|rueckerstattung\w*|stornierung\w*
            |kuendigung)\s+(?:\w+\s+){0,3}?(?:ausgeschlossen|nicht\s+moeglich|unmoeglich|nicht\s+vorgesehen|gibt\s+es\s+nicht|entfaellt)
        |\m(?:kann|koennen|kannst)\s+(?:man\s+|du\s+|sie\s+)?(?:\w+\s+)?nicht\s+(?:mehr\s+)?(?:zurueckgeben|zurueckgegeben|widerrufen
            |widerrufen\s+werden|storniert|stornieren|zuruecktreten)
        |\m(?:widerrufsrecht|rueckgaberecht|rueckgabe|umtausch|erstattung)\w*\s+(?:gibt\s+es|hast\s+du|haben\s+sie|besteht)\s+(?:\w+\s+){0,3}?nicht\M
        |\mkauf\s+(?:ist\s+)?endgueltig
        |\mverkauft\s+ist\s+verkauft$re$,
        'Das gesetzliche Widerrufsrecht (14 Tage bei Fernabsatz und Haustürgeschäften, §§ 312g, 355 BGB) kann nicht '
        || 'ausgeschlossen werden; es zu leugnen ist unzulässig.',
        'Auf das Widerrufsrecht hinweisen: "Du kannst den Kauf innerhalb von 14 Tagen ohne Angabe von Gründen widerrufen."'
    ),
    (
        'withdrawal_denial_en', 'withdrawal_denial', 'critical', 'en',
        $re$\m(?:no|non-?)\s?(?:refunds?|returns?|cancell?ations?|withdrawals?)\M(?!\s+(?:fees?|charges?|costs?|penalt\w*|needed|necessary
            |required|questions))
        |\m(?:refunds?|returns?|cancell?ations?)\s+(?:are\s+|is\s+)?(?:not\s+(?:possible|accepted|allowed|available)|excluded|impossible)
        |\mall\s+sales\s+(?:are\s+)?final
        |\m(?:can't|cannot|can\s+not|won't\s+be\s+able\s+to)\s+(?:\w+\s+)?(?:return\s+it|cancel|withdraw|get\s+(?:a\s+|your\s+)?(?:refund
            |money\s+back))
        |\mnon-?refundable
        |\mno\s+right\s+(?:of|to)\s+(?:withdrawal|cancel\w*|return)$re$,
        'The statutory right of withdrawal (14 days for distance and doorstep sales in the EU; FTC cooling-off rule) '
        || 'cannot be excluded; denying it is unlawful.',
        'Mention the right of withdrawal: "You can cancel your purchase within 14 days without giving a reason."'
    ),
    -- the same denial said in other words: a return, refund or withdrawal word and, in the same
    -- sentence, an exclusion, a waiver, a binding sale or a window shorter than 14 days (flagged
    -- for a person, not blocked: broader than the rules above)
    (
        'withdrawal_terms_de', 'withdrawal_denial', 'high', 'de',
        $re$\m(?:widerruf\w*|ruecktritt\w*|rueckgabe\w*|zurueck(?:geben|gegeben|geben|schicken|geschickt|senden|gesendet|nehmen|genommen
            |zahlen|gezahlt|bekommen|kriegen|nehme|gibt)|umtausch\w*|erstattung\w*|rueckerstattung\w*|storn\w*|geld\s+zurueck
            |rueckgaengig|abo\w*\s+(?:kuendigen|beenden))\M{w}(?:ausgeschlossen|ausgenommen|verzicht\w*|nicht\s+(?:moeglich|vorgesehen
            |akzeptier\w*|zurueck\w*|mehr\s+(?:moeglich|rueckgaengig|storn\w*))|(?:geht|gehts|gibt's|gibts|gibt\s+es)\s+(?:bei\s+uns\s+)?(?:nicht
            |net|ned|nix|kein\w*)|zu\s+spaet|bindend|verbindlich|endgueltig|nur\s+(?:als\s+)?gutschein\w*
            |(?:nur|in\s+den\s+ersten|bis\s+zu)\s+(?:\w+\s+){0,2}?(?:[1-9]|1[0-3]|24|48|72|einem|einer|eins|zwei|drei|vier|fuenf
            |sechs|sieben|zehn)\s*(?:tag\w*|stunden?|h)\M)
        |\m(?:bestellt\s+is[t]?\s+bestellt|unterschrieben\s+is[t]?\s+unterschrieben|kein\s+zurueck|verzicht\w*\s+(?:\w+\s+){0,3}?(?:auf\s+)?
            (?:\w+\s+)?widerruf\w*)$re$,
        'Das gesetzliche Widerrufsrecht (14 Tage bei Fernabsatz und Haustürgeschäften, §§ 312g, 355 BGB) kann weder '
        || 'ausgeschlossen noch verkürzt werden; Sonderangebote, Abos und Party-Bestellungen sind nicht ausgenommen.',
        'Auf das Widerrufsrecht hinweisen: "Du kannst den Kauf innerhalb von 14 Tagen ohne Angabe von Gründen widerrufen."'
    ),
    (
        'withdrawal_terms_en', 'withdrawal_denial', 'high', 'en',
        $re$\m(?:refund\w*|returns?|returned|returning|cancel\w*|withdraw\w*|money\s+back|send\s+(?:it|them|the\s+\w+)\s+back
            |take\s+(?:it|them|the\s+\w+)\s+back|change\s+(?:your|ur)\s+mind)\M{w}(?:excluded|exempt|waive\w*|final\M|binding
            |non-?returnable|non-?refundable|no\s+exceptions|(?:isn't|isnt|is\s+not|not)\s+(?:really\s+)?(?:an\s+option|possible|accepted
            |allowed|available)|(?:only\s+(?:as\s+)?)?store\s+credit|locked\s+in|stuck\s+with|too\s+late|doesn't\s+count
            |(?:only|in\s+the\s+first|up\s+to)\s+(?:\w+\s+){0,2}?(?:[1-9]|1[0-3]|24|48|72|one|two|three|four|five|six|seven|ten)\s*(?:hours?
            |days?|h)\M)
        |\m(?:you\s+)?(?:don't|dont|do\s+not)\s+(?:get|have)\s+(?:the\s+)?(?:14|fourteen)\s+days
        |\mwaive[sd]?\s+(?:\w+\s+){0,3}?right\s+to\s+(?:cancel|return|withdraw)$re$,
        'The statutory right of withdrawal (14 days for distance and doorstep sales in the EU; FTC cooling-off rule) '
        || 'can neither be excluded nor shortened; sale items, subscriptions and party orders are not exempt.',
        'Mention the right of withdrawal: "You can cancel your purchase within 14 days without giving a reason."'
    ),
    -- 21 competitor denigration -------------------------------------------------------------
    (
        'competitor_denigration_de', 'competitor_denigration', 'medium', 'de',
        $re$\m(?:konkurrenz\w*|mitbewerber\w*|wettbewerber\w*|andere[nr]?\s+(?:anbieter|firmen|marken|hersteller|produkte|mlms?
            |network-?firmen))\s+(?:\w+\s+){0,4}?(?:ist|sind|verkauf\w*|macht|machen|taugt|taugen)\s+(?:\w+\s+){0,2}?(?:muell|schrott
            |betrug\w*|abzocke\w*|gift\w*|mist|dreck|billigkram|minderwertig\w*|unserioes\w*|gefaehrlich\w*|scam|nichts\s+wert|wertlos
            |luegner|betrueger\w*)
        |\m(?:muell|schrott|abzocke|betrueger\w*|billigkram)\s+(?:von|der|bei)\s+(?:der\s+)?(?:konkurrenz|mitbewerber\w*|anderen)
        |\m(?:konkurrenz|mitbewerber\w*|wettbewerber\w*)\s+(?:\w+\s+){0,3}?(?:betruegt|betruegen|luegt|luegen|zockt|zocken)
        |\m(?:produkte|sachen|zeug|ware)\s+(?:von|bei)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:sind|ist)\s+(?:\w+\s+){0,2}?(?:muell|schrott|betrug
            |abzocke|gift|mist|dreck|minderwertig|gefaehrlich|wertlos)\w*$re$,
        'Mitbewerber herabzusetzen oder zu verunglimpfen ist unlauter (UWG §4 Nr. 1, §6) und wirkt unprofessionell.',
        'Nur über die eigenen Stärken sprechen: "Was unsere Kunden besonders schätzen, ist …"'
    ),
    (
        'competitor_denigration_en', 'competitor_denigration', 'medium', 'en',
        $re$\m(?:the\s+)?(?:competition|competitors?|other\s+(?:brands?|companies|mlms?|products?|vendors?
            |providers?))\s+(?:\w+\s+){0,4}?(?:is|are|sells?|makes?)\s+(?:\w+\s+){0,2}?(?:garbage|trash|junk|crap|scams?|poison\w*|toxic
            |rip-?offs?|frauds?|fraudulent|liars|knock-?offs?|dangerous|worthless)
        |\m(?:products?|stuff)\s+(?:from|by|of)\s+[\w-]+(?:\s+[\w-]+)?\s+(?:is|are)\s+(?:\w+\s+){0,2}?(?:garbage|trash|junk|crap|a\s+scam
            |scams|poison\w*|toxic|rip-?offs?|fraud\w*|dangerous|worthless)
        |\m(?:competitors?|competition)\s+(?:\w+\s+){0,3}?(?:lie|lies|lying|cheat\w*|scam\w*|rip\s+(?:you|people)\s+off)$re$,
        'Denigrating competitors is an unfair practice and looks unprofessional.',
        'Talk about your own strengths only: "What our customers value most is …"'
    ),
    -- 22 special-category data (health) in messages -----------------------------------------
    (
        'health_data_de', 'special_category_data', 'high', 'de',
        $re$\m(?:dein(?:e|er|em|en)?|ihr(?:e|er|em|en)?|eure[rnm]?)\s+(?:\w+\s+)?(?:diagnose\w*|krankheit\w*|erkrankung\w*|diabetes|krebs\w*
            |tumor\w*|depression\w*|therapie|therapien|medikament\w*|psychische\w*\s+\w+|behinderung\w*|schwangerschaft\w*|chemo\w*
            |blutwerte?|befund\w*|arztbrief\w*|rheuma\w*|migraene\w*|burn-?out|angststoerung\w*|essstoerung\w*|hiv|adhs|fehlgeburt\w*
            |kinderwunsch|wechseljahr\w*|schilddruese\w*|bandscheibe\w*|gesundheitszustand\w*|gesundheitsdaten|gesundheitsprobleme?\w*
            |symptome?\w*|allergie\w*)
        |\m(?:da|weil|wo|nachdem|seit)\s+(?:du|sie|ihr)\s+(?:ja\s+|doch\s+|gerade\s+|jetzt\s+)?(?:\w+\s+){0,2}?(?:an|unter
            |mit)\s+(?:\w+\s+)?{disease_de}\s+(?:leid\w*|erkrankt|kaempf\w*|zu\s+kaempfen|hast|haben|lebst|leben)
        |\m(?:du|sie)\s+(?:hast|haben|leidest|leiden)\s+(?:ja\s+|doch\s+)?(?:\w+\s+)?(?:an\s+|unter\s+)?(?:diabetes|krebs|depressionen
            |rheuma|migraene|adhs|burn-?out|angststoerung\w*|asthma|hiv|bluthochdruck)
        |\m(?:du|sie)\s+(?:bist|sind)\s+(?:ja\s+|doch\s+)?(?:schwanger|depressiv|chronisch\s+krank|diabetiker\w*|krebskrank|behindert
            |psychisch\s+krank)$re$,
        'Gesundheitsdaten des Kunden (Diagnosen, Krankheiten, Schwangerschaft) sind besondere Kategorien '
        || 'personenbezogener Daten (DSGVO Art. 9) und gehören nicht in Verkaufsnachrichten.',
        'Keine Gesundheitsdetails des Kunden erwähnen. Allgemein bleiben: "Ich habe da etwas, das dich interessieren '
        || 'könnte – magst du mehr erfahren?"'
    ),
    (
        'health_data_en', 'special_category_data', 'high', 'en',
        $re$\myour\s+(?:\w+\s+)?(?:diagnos[ie]s|illness\w*|disease|medical\s+(?:condition|history|records?)|health\s+(?:condition|issues?
            |problems?|data)|diabetes|cancer|tumou?r|depression|anxiety\s+disorder|therapy(?!\s+(?:practice|business|clinic|studio))
            |medications?|meds|prescriptions?|pregnancy|miscarriage|disability|chemo\w*|blood\s+(?:test|work|results)|adhd|hiv
            |mental\s+health|eating\s+disorder|infertility|menopause|thyroid|symptoms|asthma|arthritis|migraines?)\M
        |\m(?:since|as|because|now\s+that)\s+you(?:'re|\s+are|\s+have|'ve|\s+suffer\s+from|\s+were\s+diagnosed\s+with|\s+struggle\s+with
            |\s+live\s+with)\s+(?:\w+\s+)?(?:pregnant|diabet\w*|cancer|depress\w*|anxiety|adhd|hiv|chronic\w*|disabled|arthritis|asthma
            |high\s+blood\s+pressure|migraines)
        |\myou(?:'re|\s+are)\s+(?:pregnant|diabetic|depressed|disabled|chronically\s+ill|hiv\s+positive)$re$,
        'Customer health data (diagnoses, conditions, pregnancy) is special-category personal data (GDPR Art. 9) and '
        || 'does not belong in sales messages.',
        'Do not mention the customer''s health details. Keep it general: "I have something that might interest you - would you like to hear more?"'
    ),
    -- the customer's condition used for selling: a condition and, in the same sentence, a record
    -- of it or an offer built on it (flagged for a person: broader than health_data_*)
    (
        'health_data_use_de', 'special_category_data', 'high', 'de',
        $re$\m{condition_de}{w}\m{health_use_de}
        |\m{health_use_de}{w}\m{condition_de}$re$,
        'Gesundheitsdaten von Kunden (Diagnosen, Erkrankungen, Schwangerschaft) sind besondere Kategorien personenbezogener '
        || 'Daten (DSGVO Art. 9): nicht notieren, nicht weitergeben und nicht für Angebote nutzen.',
        'Keine Gesundheitsdetails des Kunden notieren oder für Angebote nutzen. Allgemein bleiben: "Ich habe da etwas, das '
        || 'dich interessieren könnte – magst du mehr erfahren?"'
    ),
    (
        'health_data_use_en', 'special_category_data', 'high', 'en',
        $re$\m{condition_en}{w}\m{health_use_en}
        |\m{health_use_en}{w}\m{condition_en}$re$,
        'Customer health data (diagnoses, conditions, pregnancy) is special-category personal data (GDPR Art. 9): do not '
        || 'record it, share it or build offers on it.',
        'Do not record the customer''s health details or use them for offers. Keep it general: "I have something that '
        || 'might interest you - would you like to hear more?"'
    )
),

keywords (rule_key, keywords) AS (
    VALUES
    ('income_guarantee_de', ARRAY['garant', 'sicher', '100']),
    ('income_guarantee_en', ARRAY['guarantee', 'secure', 'steady', 'reliable', 'risk', 'sure', 'definitely', 'certainly', '100']),
    ('income_specific_de', ARRAY[
        'verdien', 'einkommen', 'einnahme', 'gehalt', 'provision', 'passiv', 'rendite', 'extra', 'zusaetzlich',
        'nebenbei', 'drin', 'rausholen', 'mach', 'stellig'
    ]),
    ('income_specific_en', ARRAY[
        'earn', 'income', 'paycheck', 'salary', 'profit', 'commission', 'passive', 'take', 'bring', 'mak',
        'clear', 'extra', 'side', 'residual', 'from home', 'figure'
    ]),
    ('lifestyle_de', ARRAY[
        'kuendig', 'hinschmei', 'nagel', 'aufgeben', 'adieu', 'entkomm', 'entflieh', 'hinter', 'ade', 'hamsterrad',
        'nie', 'finanziell', 'traum', 'porsche', 'ferrari', 'lamborghini', 'rolex', 'lambo', 'eigener', 'chef', 'feuer', 'frueh',
        'rentner', 'laptop', 'ueberall', 'strand', 'ausgesorgt'
    ]),
    ('lifestyle_en', ARRAY[
        'quit', 'fire', 'escape', 'leave', 'ditch', 'never', 'financial', 'freedom', 'dream', 'lamborghini',
        'ferrari', 'porsche', 'rolex', 'lambo', 'laptop', 'retire', 'boss', 'live', 'beach', 'anywhere'
    ]),
    ('fast_money_de', ARRAY[
        'schnell', 'leicht', 'schlaf', 'ohne', 'muehelos', 'couch', 'sofa', 'autopilot', 'automatisch', 'reich',
        'passiv', 'minute', 'stunde'
    ]),
    ('fast_money_en', ARRAY[
        'rich', 'quick', 'fast', 'easy', 'sleep', 'effortless', 'without', 'work', 'effort', 'autopilot', 'couch',
        'passive', 'min', 'hour'
    ]),
    ('earnings_testimonial_de', ARRAY['verdien', 'eingenommen', 'kassiert', 'umgesetzt', 'rausgeholt', 'gemacht', 'ersten']),
    ('earnings_testimonial_en', ARRAY['made', 'earn', 'make', 'clear', 'bank', 'pull', 'brought', 'rake', 'first']),
    ('recruiting_pay_de', ARRAY[
        'wirbst', 'rekrut', 'sponser', 'einschreib', 'anmeldest', 'registrierst', 'hol', 'bring', 'geworben',
        'eingeschrieben', 'anwerb', 'team', 'partner', 'desto', 'praemie'
    ]),
    ('recruiting_pay_en', ARRAY['recruit', 'sign', 'bring', 'enrol', 'sponsor', 'refer', 'join', 'paid', 'more']),
    ('disease_claim_de', ARRAY[
        'krebs', 'tumor', 'diabetes', 'zucker', 'rheuma', 'arthritis', 'arthrose', 'alzheimer', 'demenz',
        'parkinson', 'depression', 'burn', 'bluthochdruck', 'hypertonie', 'migraene', 'asthma', 'allergie', 'heuschnupfen',
        'neurodermitis', 'psoriasis', 'schuppenflechte', 'corona', 'covid', 'grippe', 'erkaeltung', 'infekt', 'virus', 'viren',
        'entzuendung', 'herz', 'schlaganfall', 'osteoporose', 'adhs', 'autismus', 'sklerose', 'fibromyalgie', 'reizdarm', 'tinnitus',
        'krankheit', 'erkrankung', 'schmerz', 'gicht', 'akne', 'cholesterin', 'thrombose', 'epilepsie', 'angststoerung',
        'schlafstoerung', 'impotenz', 'unfruchtbar', 'blutdruck', 'blutzucker', 'anti'
    ]),
    ('disease_claim_en', ARRAY[
        'cancer', 'tumor', 'tumour', 'diabetes', 'arthritis', 'alzheimer', 'dementia', 'parkinson', 'depression',
        'anxiety', 'burn', 'blood', 'hypertension', 'migraine', 'asthma', 'allerg', 'eczema', 'psoriasis', 'covid', 'corona', 'flu',
        'cold', 'infection', 'virus', 'inflammation', 'heart', 'stroke', 'osteoporosis', 'adhd', 'autism', 'sclerosis', 'fibromyalgia',
        'tinnitus', 'disease', 'illness', 'pain', 'gout', 'acne', 'cholesterol', 'insomnia', 'thrombosis', 'epilepsy', 'erectile',
        'infertility', 'anti'
    ]),
    ('health_claim_de', ARRAY[
        'detox', 'entgift', 'entschlack', 'entsaeuer', 'uebersaeuer', 'schlacken', 'ausleit', 'reinig', 'immun',
        'abwehr', 'zell', 'verjueng', 'aging', 'fett', 'stoffwechsel', 'giftstoff', 'hormon', 'bewiesen', 'belegt', 'erwiesen'
    ]),
    ('health_claim_en', ARRAY[
        'detox', 'immun', 'aging', 'rejuvenat', 'fat', 'alkaliz', 'cleans', 'flush', 'toxin', 'boost', 'balanc',
        'proven', 'shown', 'cellular'
    ]),
    ('guaranteed_effect_de', ARRAY['nebenwirkung', 'garantiert', 'garantie', 'wirkt', '100', 'unbedenklich', 'schaden', 'schadet']),
    ('guaranteed_effect_en', ARRAY['side', 'guarantee', 'works', '100', 'harm', 'hurt']),
    ('weight_loss_rate_de', ARRAY['kg', 'kilo', 'pfund', 'abnehm', 'schlank', 'kleidergroess']),
    ('weight_loss_rate_en', ARRAY['kg', 'kilo', 'lb', 'pound', 'stone', 'weight', 'size']),
    ('doctor_endorsement_de', ARRAY[
        'aerzt', 'arzt', 'mediziner', 'heilpraktiker', 'apotheker', 'dermatolog', 'kardiolog', 'professor',
        'dr.', 'empfohlen', 'empfehlung'
    ]),
    ('doctor_endorsement_en', ARRAY[
        'doctor', 'physician', 'dermatologist', 'cardiologist', 'pharmacist', 'nutritionist', 'medical',
        'dr.', 'recommended', 'endorsed', 'approved', 'backed', 'gp', 'dentist'
    ]),
    ('health_fear_de', ARRAY[
        'gift', 'chemi', 'toxin', 'schadstoff', 'zeitbombe', 'riskier', 'gefaehrd', 'ruinier', 'krank', 'krebs',
        'sterben', 'risiko', 'angst'
    ]),
    ('health_fear_en', ARRAY[
        'toxin', 'poison', 'chemical', 'bomb', 'risk', 'endanger', 'ruin', 'jeopardi', 'sick', 'cancer', 'ill',
        'hospital', 'late'
    ]),
    ('false_scarcity_de', ARRAY[
        'nur', 'ausverkauft', 'vergriffen', 'weg', 'letzte', 'limitiert', 'endet', 'verfaellt', 'laeuft',
        'vorrat', 'guenstig', 'billig'
    ]),
    ('false_scarcity_en', ARRAY[
        'only', 'sold', 'gone', 'selling', 'last', 'limited', 'ends', 'expires', 'disappears', 'supplies',
        'cheap', 'first'
    ]),
    ('once_in_a_lifetime_de', ARRAY['einmalig', 'lebens']),
    ('once_in_a_lifetime_en', ARRAY['lifetime']),
    ('pressure_de', ARRAY['oder nie', 'jetzt', 'sofort', 'heute', 'umgehend', 'sonst', 'zeit', 'entscheid', 'letzte', 'spaet', 'zoegert', 'bereuen']),
    (
        'pressure_en',
        ARRAY[
            'never',
            'now',
            'today',
            'immediately',
            'otherwise',
            'or you',
            'decide',
            'commit',
            'sign',
            'time',
            'warning',
            'notice',
            'late',
            'hesitat',
            'regret',
            'offer'
        ]
    ),
    ('hardship_de', ARRAY[
        'schulden', 'verschuldet', 'pleite', 'insolvenz', 'arbeitslos', 'buergergeld', 'hartz', 'sozialhilfe', 'kasse',
        'geldsorgen', 'geldnot', 'finanziell', 'miete', 'rechnungen', 'dispo', 'pfaendung', 'mahnung', 'loswerden', 'befrei', 'abbezahl',
        'tilg', 'ausweg', 'chance', 'loesung'
    ]),
    ('hardship_en', ARRAY[
        'debt', 'broke', 'bankrupt', 'unemployed', 'jobless', 'laid', 'lost', 'paycheck', 'behind', 'afford', 'pay',
        'struggling', 'single', 'welfare', 'stamps', 'overdraft', 'foreclosure', 'eviction', 'money', 'bills', 'financial'
    ]),
    ('seller_guilt_de', ARRAY[
        'zeit', 'muehe', 'energie', 'arbeit', 'allem', 'laesst', 'lassen', 'enttaeusch', 'schuldest', 'zaehl',
        'zuliebe', 'haeng', 'brauch'
    ]),
    ('seller_guilt_en', ARRAY['done', 'much', 'down', 'owe', 'for me', 'favo', 'disappointed', 'depend', 'count', 'reli', 'rely', 'need']),
    ('no_risk_de', ARRAY['risiko', 'verlieren']),
    ('no_risk_en', ARRAY['risk', 'lose']),
    ('free_starter_de', ARRAY['kostenlos', 'gratis', 'umsonst', 'geschenkt', 'nichts']),
    ('free_starter_en', ARRAY['free', 'nothing']),
    ('hidden_intent_de', ARRAY['verkauf', 'werb', 'verkaeufer', 'vertriebler', 'privat', 'geschaeftlich', 'beruflich']),
    ('hidden_intent_en', ARRAY['sell', 'pitch', 'sales', 'ad', 'personal', 'business']),
    ('inventory_loading_de', ARRAY['vorrat', 'lager', 'mindest', 'qualifi', 'eigenumsatz', 'aufzusteigen', 'aktiv', 'rang', 'status', 'bonus']),
    ('inventory_loading_en', ARRAY['stock', 'inventory', 'qualif', 'rank', 'active', 'status', 'bonus', 'volume', 'minimum', 'garage']),
    ('false_approval_de', ARRAY[
        'tuev', 'tuv', 'fda', 'dekra', 'bfarm', 'warentest', 'oeko', 'geprueft', 'zertifiziert', 'zugelassen',
        'genehmigt', 'anerkannt', 'empfohlen'
    ]),
    ('false_approval_en', ARRAY['fda', 'tuv', 'tuev', 'nhs', 'ema', 'ftc', 'approved', 'certified', 'endorsed', 'cleared']),
    ('withdrawal_denial_de', ARRAY['widerruf', 'rueckgabe', 'umtausch', 'erstattung', 'zurueck', 'storn', 'kuendigung', 'endgueltig', 'verkauft']),
    ('withdrawal_denial_en', ARRAY['refund', 'return', 'cancel', 'withdraw', 'final', 'money']),
    ('withdrawal_terms_de', ARRAY[
        'widerruf', 'ruecktritt', 'rueckgabe', 'zurueck', 'umtausch', 'erstattung', 'storn', 'rueckgaengig', 'abo', 'bestellt',
        'unterschrieben', 'verzicht'
    ]),
    ('withdrawal_terms_en', ARRAY['refund', 'return', 'cancel', 'withdraw', 'money', 'back', 'mind', '14', 'fourteen', 'waive']),
    ('competitor_denigration_de', ARRAY[
        'konkurrenz', 'mitbewerber', 'wettbewerber', 'andere', 'muell', 'schrott', 'abzocke',
        'betrueger', 'billigkram', 'produkt', 'sachen', 'zeug', 'ware'
    ]),
    ('competitor_denigration_en', ARRAY['competit', 'other', 'product', 'stuff']),
    ('health_data_de', ARRAY[
        'diagnose', 'krankheit', 'erkrankung', 'diabetes', 'krebs', 'tumor', 'depression', 'therapie', 'medikament',
        'psychisch', 'behinderung', 'schwanger', 'chemo', 'blutwert', 'befund', 'arztbrief', 'rheuma', 'migraene', 'burn',
        'angststoerung', 'essstoerung', 'hiv', 'adhs', 'fehlgeburt', 'kinderwunsch', 'wechseljahr', 'schilddruese', 'bandscheibe',
        'gesundheit', 'symptom', 'allergie', 'krank', 'asthma', 'depressiv', 'behindert', 'diabetiker', 'zucker', 'arthritis',
        'arthrose', 'alzheimer', 'demenz', 'parkinson', 'bluthochdruck', 'hypertonie', 'heuschnupfen', 'neurodermitis', 'psoriasis',
        'schuppenflechte', 'corona', 'covid', 'grippe', 'erkaeltung', 'infekt', 'virus', 'viren', 'entzuendung', 'herz', 'schlaganfall',
        'osteoporose', 'autismus', 'sklerose', 'fibromyalgie', 'reizdarm', 'tinnitus', 'schmerz', 'gicht', 'akne', 'cholesterin',
        'thrombose', 'epilepsie', 'schlafstoerung', 'impotenz', 'unfruchtbar', 'blutdruck'
    ]),
    ('health_data_use_de', ARRAY[
        'schwanger', 'diabet', 'krebs', 'chemo', 'depress', 'burnout', 'hiv', 'sklerose', 'epilep', 'migraene', 'endometriose',
        'psoriasis', 'schuppenflechte', 'neurodermitis', 'ekzem', 'bluthochdruck', 'cholesterin', 'blutverduenner', 'reizdarm',
        'arthritis', 'arthrose', 'rheuma', 'diagnose', 'schilddruese', 'kinderwunsch', 'fehlgeburt', 'ivf', 'befund',
        'krankgeschrieben', 'medikament', 'sertralin', 'ramipril'
    ]),
    ('health_data_use_en', ARRAY[
        'pregnan', 'diabet', 'cancer', 'chemo', 'depress', 'burnout', 'hiv', 'sclerosis', 'epilep', 'migraine', 'endometriosis',
        'psoriasis', 'eczema', 'blood', 'hypertension', 'cholesterol', 'ibs', 'arthritis', 'diagnos', 'thyroid', 'fertility', 'ivf',
        'miscarriage', 'medical', 'medication', 'mental'
    ]),
    ('health_data_en', ARRAY[
        'diagnos', 'illness', 'disease', 'medical', 'health', 'diabetes', 'diabetic', 'cancer', 'tumor', 'tumour',
        'depress', 'anxiety', 'therapy', 'medication', 'meds', 'prescription', 'pregnan', 'miscarriage', 'disab', 'chemo', 'blood',
        'adhd', 'hiv', 'mental', 'eating', 'infertility', 'menopause', 'thyroid', 'symptom', 'chronic', 'arthritis', 'asthma',
        'migraine'
    ])
),

-- unless_pattern: the contexts in which a rule's words are harmless (measured on the development
-- corpus: negated and quoted mentions, honest income disclosures, the authorised health claim
-- wording, conditional advice). Not for rules whose violations are themselves negations (no risk,
-- no withdrawal, no side effects) or promise an absence (lifestyle: "kein Chef mehr").
exceptions (rule_key, unless_pattern) AS (
    SELECT
        b.base || l.suffix,
        '{negated}|{quoted}'
    FROM unnest(ARRAY['income_guarantee', 'fast_money', 'recruiting_pay', 'false_scarcity', 'inventory_loading']) AS b (base)
    CROSS JOIN (VALUES ('_de'), ('_en')) AS l (suffix)
    UNION ALL
    VALUES
    ('income_specific_de', '{negated}|{quoted}|{disclosed}'),
    ('income_specific_en', '{negated}|{quoted}|{disclosed}'),
    ('earnings_testimonial_de', '{negated}|{quoted}|{disclosed}'),
    ('earnings_testimonial_en', '{negated}|{quoted}|{disclosed}'),
    ('health_claim_de', '{negated}|{quoted}|{asked}|{authorised}'),
    ('health_claim_en', '{negated}|{quoted}|{asked}|{authorised}'),
    ('disease_claim_de', '{negated}|{quoted}|{asked}|{disclaimed}'),
    ('disease_claim_en', '{negated}|{quoted}|{asked}|{disclaimed}'),
    ('doctor_endorsement_de', '{negated}|{quoted}|{asked}'),
    ('doctor_endorsement_en', '{negated}|{quoted}|{asked}'),
    ('false_approval_de', '{negated}|{quoted}|{asked}'),
    ('false_approval_en', '{negated}|{quoted}|{asked}'),
    ('weight_loss_rate_de', '{negated}|{quoted}|{asked}'),
    ('weight_loss_rate_en', '{negated}|{quoted}|{asked}'),
    ('seller_guilt_de', '{quoted}|{owe_nothing}'),
    ('seller_guilt_en', '{quoted}|{owe_nothing}'),
    ('lifestyle_de', '{quoted}|{asked}'),
    ('lifestyle_en', '{quoted}|{asked}'),
    ('health_data_de', '{conditional}|{declined}'),
    ('health_data_en', '{conditional}|{declined}'),
    ('health_data_use_de', '{negated}|{quoted}|{asked}|{conditional}'),
    ('health_data_use_en', '{negated}|{quoted}|{asked}|{conditional}')
),

-- every regex text of a rule (its pattern, its unless_pattern) through one expansion
sources (rule_key, kind, src) AS (
    SELECT
        r.rule_key,
        'pattern',
        r.pattern
    FROM rules AS r
    UNION ALL
    SELECT
        x.rule_key,
        'unless',
        x.unless_pattern
    FROM exceptions AS x
),

-- the fragments as (name, regex) rows: {name} in a pattern stands for the fragment of that name
fragments AS (
    SELECT
        x.key AS name,
        x.value AS re
    FROM frag AS f
    CROSS JOIN LATERAL jsonb_each_text(to_jsonb(f)) AS x
),

-- expand the first placeholder left ({letters}: regex quantifiers like {2,3} are digits), one
-- fragment name per step, until none is left (fragments may use others: {money} has {num})
expanding (rule_key, kind, src, step) AS (
    SELECT
        s.rule_key,
        s.kind,
        s.src,
        0
    FROM sources AS s
    UNION ALL
    SELECT
        e.rule_key,
        e.kind,
        replace(e.src, '{' || fr.name || '}', fr.re),
        e.step + 1
    FROM expanding AS e
    INNER JOIN fragments AS fr ON (regexp_match(e.src, '\{([a-z_]+)\}'))[1] = fr.name
),

expanded_sources AS (
    -- the last step of each text; line breaks (and the indentation after them) removed, and \s
    -- written as [ \t\r\n]: \s compiles to a large Unicode class, the folded text has only these
    SELECT DISTINCT ON (e.rule_key, e.kind)
        e.rule_key,
        e.kind,
        replace(regexp_replace(e.src, '\s*\n\s*', '', 'g'), '\s', '[ \t\r\n]') AS re
    FROM expanding AS e
    ORDER BY e.rule_key ASC, e.kind ASC, e.step DESC
),

expanded AS (
    SELECT
        r.rule_key,
        r.category,
        r.severity,
        r.language,
        r.explanation,
        r.suggestion,
        k.keywords,
        p.re AS pattern,
        u.re AS unless_pattern
    FROM rules AS r
    INNER JOIN expanded_sources AS p ON r.rule_key = p.rule_key AND p.kind = 'pattern'
    LEFT JOIN expanded_sources AS u ON r.rule_key = u.rule_key AND u.kind = 'unless'
    LEFT JOIN keywords AS k ON r.rule_key = k.rule_key
),

upserted AS (
    INSERT INTO salesflow.compliance_rules AS c (
        rule_key, category, severity, language, pattern, unless_pattern, keywords, explanation, suggestion, is_builtin
    )
    SELECT
        e.rule_key,
        e.category,
        e.severity,
        e.language,
        e.pattern,
        e.unless_pattern,
        coalesce(e.keywords, '{}') AS keywords,
        e.explanation,
        e.suggestion,
        true AS is_builtin
    FROM expanded AS e
    ON CONFLICT (rule_key) DO UPDATE
        SET
            category = excluded.category,
            severity = excluded.severity,
            language = excluded.language,
            pattern = excluded.pattern,
            unless_pattern = excluded.unless_pattern,
            keywords = excluded.keywords,
            explanation = excluded.explanation,
            suggestion = excluded.suggestion
        WHERE c.is_builtin
    RETURNING c.rule_key
)

-- builtin rules this version no longer ships
DELETE FROM salesflow.compliance_rules AS c
WHERE
    c.is_builtin
    AND c.rule_key NOT IN (SELECT e.rule_key FROM expanded AS e)
    AND (SELECT count(*) FROM upserted) >= 0;
