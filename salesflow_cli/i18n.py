"""Words for people, in German or English: labels, codes, plurals and weekdays, written once.

Every human-facing string a command prints goes through here; JSON output keeps the codes.

    say("lead", lang)                    # a label: "Lead" / "lead"
    name("stage", "won", lang)           # a code of a closed vocabulary: "gewonnen" / "won"
    count(3, "day", lang)                # a plural: "3 Tage" / "3 days"
    weekday(0, lang)                     # ISO weekday 1..7 (0 = Sunday too): "So" / "Sun"

The language is the acting user's (users.language) unless --lang says otherwise; text meant for the
lead (a message, a tip to say) is in the lead's language. tests/test_language.py renders commands in
both languages and looks for raw codes and for the other language's words.
"""

from __future__ import annotations

from typing import Optional

LANGUAGES = ("de", "en")
DEFAULT = "en"  # the owner (a DBA without --user) reads English; sales users get their own language

# label key -> (de, en)
LABELS: dict[str, tuple[str, str]] = {
    "lead": ("Lead", "lead"),
    "leads": ("Leads", "leads"),
    "lead id": ("Lead-ID", "lead id"),
    "id": ("ID", "id"),
    "owner": ("Betreuer", "owner"),
    "stage": ("Stufe", "stage"),
    "health": ("Health", "health"),
    "win": ("Abschluss", "win"),
    "value": ("Wert", "value"),
    "channel": ("Kanal", "channel"),
    "when": ("Wann", "when"),
    "why": ("Warum", "why"),
    "action": ("Aktion", "action"),
    "score": ("Score", "score"),
    "tip": ("DISG-Tipp", "DISG tip"),
    "due": ("fällig", "due"),
    "overdue": ("überfällig", "overdue"),
    "note": ("Notiz", "note"),
    "yes": ("ja", "yes"),
    "no": ("nein", "no"),
    "lead local time": ("Ortszeit des Leads", "lead's local time"),
    "your time": ("deine Zeit", "your time"),
    # salesflow recs without --user
    "Open recommendations all": ("Offene Empfehlungen aller (--user USER: die nächsten besten Aktionen einer Person)",
                                 "Open recommendations of everyone (--user USER ranks one rep's next best actions)"),
    "no open recommendations": ("keine offenen Empfehlungen", "no open recommendations"),
    "max severity": ("höchste Schwere", "max severity"),
    # salesflow demo
    "Top scored leads": ("Beste Leads", "Top scored leads"),
    "Next best actions for": ("Nächste beste Aktionen für", "Next best actions for"),
    "DISG insights long": ("Abschlussquote, Zyklus und bester Erstkanal je DISG-Typ",
                           "Win rate, cycle and best first channel per DISG type"),
    "Timings": ("Zeiten", "Timings"), "next": ("weiter", "next"),
    # salesflow leads, lead
    "Open leads by health": ("Offene Leads nach Health", "Open leads by health"),
    "wider terminal": ("breiteres Terminal: mehr Spalten", "wider terminal: more columns"),
    "quiet days": ("Tage still", "quiet days"),
    "no open leads": ("keine offenen Leads (Daten mit `salesflow seed` oder `salesflow import`, dann `salesflow refresh`)",
                      "no open leads (seed data with `salesflow seed` or bring yours with `salesflow import`, then "
                      "`salesflow refresh`)"),
    "company": ("Firma", "company"), "source": ("Quelle", "source"), "industry": ("Branche", "industry"),
    "where": ("Wo", "where"), "deal value": ("Auftragswert", "deal value"), "consent": ("Einwilligung", "consent"),
    "no consent": ("nein – nicht kontaktieren", "no – do not contact"), "contact": ("Kontakt", "contact"),
    "win probability": ("Abschlusswahrscheinlichkeit", "win probability"), "helps": ("hilft", "helps"),
    "hurts": ("schadet", "hurts"), "messages in/out": ("Nachrichten ein/aus", "messages in/out"),
    "replies": ("Antworten", "replies"), "last inbound": ("letzte eingehende", "last inbound"),
    "weakest": ("schwächste", "weakest"), "assessed": ("bewertet", "assessed"),
    "no BANT yet": ("noch keine BANT-Einschätzung (salesflow ai bant LEAD)",
                    "no BANT assessment yet (salesflow ai bant LEAD)"),
    "Health & prediction": ("Health & Prognose", "Health & prediction"),
    "type": ("Typ", "type"), "confidence": ("Sicherheit", "confidence"), "scores": ("Werte", "scores"),
    "summary": ("Zusammenfassung", "summary"), "do": ("tun", "do"), "don't": ("lassen", "don't"),
    "opener": ("Einstieg", "opener"), "pace": ("Tempo", "pace"), "closing": ("Abschluss-Tipp", "closing"),
    "profile": ("Profil", "profile"), "no DISG profile": ("kein DISG-Profil", "no DISG profile"),
    "how": ("wie", "how"), "version": ("Version", "version"), "stale": ("veraltet", "stale"),
    "pain points": ("Schmerzpunkte", "pain points"), "objections": ("Einwände", "objections"),
    "next steps": ("nächste Schritte", "next steps"), "Memory": ("Gedächtnis", "Memory"),
    "Best contact windows": ("Beste Kontaktfenster (Ortszeit des Leads)", "Best contact windows (lead's local time)"),
    "reply prob.": ("Antwort-W.", "reply prob."), "basis": ("Grundlage", "basis"),
    "Open recommendations": ("Offene Empfehlungen", "Open recommendations"), "title": ("Titel", "title"),
    "priority": ("Priorität", "priority"), "reason": ("Grund", "reason"),
    "Open follow-ups": ("Offene Follow-ups", "Open follow-ups"),
    "Running playbooks": ("Laufende Playbooks", "Running playbooks"), "execution": ("Ausführung", "execution"),
    "playbook": ("Playbook", "playbook"), "step": ("Schritt", "step"),
    # funnel, insights
    "Conversion funnel": ("Conversion-Trichter", "Conversion funnel"), "reached": ("erreicht", "reached"),
    "converted": ("weiter", "converted"), "rate": ("Quote", "rate"), "median days": ("Median Tage", "median days"),
    "DISG insights": ("DISG-Auswertung", "DISG insights"), "won": ("gewonnen", "won"), "lost": ("verloren", "lost"),
    "win rate": ("Quote", "win rate"), "avg cycle days": ("Ø Zyklus Tage", "avg cycle days"),
    "best first channel": ("bester Erstkanal", "best first channel"),
    "no profiled leads": ("noch keine profilierten Leads", "no profiled leads yet"),
    # --- issue 12: salesflow today / recs (one answer for channel and time) ---
    "today title": ("Tagesplan", "Day plan"),
    "time": ("Zeit", "time"),
    "why tip": ("Warum · DISG-Tipp", "why · DISG tip"),
    "channel id": ("Kanal · ID", "channel · id"),
    "channel when": ("Kanal · Wann", "channel · when"),
    "per slot": ("pro Stunde", "per hour"),
    "overdue now": ("überfällig", "overdue"),
    "not today": ("kein Platz mehr", "no slot left"),
    "nothing today": ("Heute nichts zu tun.", "Nothing to do today."),
    "followup short": ("F", "F"),
    "recommendation short": ("E", "R"),
    "id legend": ("F = Follow-up-ID, E = Empfehlungs-ID", "F = follow-up id, R = recommendation id"),
    "working hours": ("Arbeitszeit 08:00–20:00", "working hours 08:00–20:00"),
    "suggested": ("Vorschlag", "suggested"),
    "disg preference": ("DISG-Präferenz", "DISG preference"),
    "Next best actions": ("Nächste beste Aktionen", "Next best actions"),
    "team actions hint": ("die nächsten Aktionen deines Teams", "your team's next best actions"),
    # --- end issue 12 ---
}

# --- block: manager views, sales KPIs, HTML report (issue 12 items 6-8: team, teams, kpis, report) ---
LABELS.update({
    "team": ("Team", "team"),
    "teams": ("Teams", "teams"),
    "team id": ("Team-ID", "team id"),
    "members": ("Mitglieder", "members"),
    "reps": ("Vertrieb", "reps"),
    "managers": ("Teamleitung", "managers"),
    "rep": ("Vertriebler", "rep"),
    "open leads": ("offene Leads", "open leads"),
    "open": ("offen", "open"),
    "pipeline": ("Pipeline", "pipeline"),
    "overdue fu": ("überf.", "overdue"),
    "replies wk": ("Antw.", "replies"),
    "team caption": ("überf.: offene Follow-ups nach Fälligkeit · Antw.: eingehend diese Woche · "
                     "gewonnen: letzte {n} Wochen",
                     "overdue: open follow-ups past due · replies: inbound this week · won: last {n} weeks"),
    "won value": ("Umsatz", "won value"),
    "next best actions": ("Nächste beste Aktionen", "Next best actions"),
    "team overview": ("Teamübersicht", "Team overview"),
    "nothing to do": ("gerade nichts zu tun", "nothing to do right now"),
    "no teams": ("keine Teams", "no teams"),
    "week": ("Woche", "week"),
    "bant": ("BANT", "BANT"),
    "profiles": ("Profile", "profiles"),
    "recs accepted": ("Empf. ✓", "recs ✓"),
    "recs dismissed": ("Empf. ✗", "recs ✗"),
    "scripts": ("Skripte", "scripts"),
    "checks": ("Prüfungen", "checks"),
    "violations": ("Verstöße", "violations"),
    "ai usage per week": ("KI-Nutzung pro Woche", "AI usage per week"),
    "compliance per week": ("Compliance pro Woche", "Compliance per week"),
    "sales per week": ("Vertrieb pro Woche", "Sales per week"),
    "since": ("seit", "since"),
    "activities": ("Aktivitäten", "activities"),
    "outbound": ("ausgehend", "outbound"),
    "inbound": ("eingehend", "inbound"),
    "out": ("aus", "out"),
    "in": ("ein", "in"),
    "calls": ("Anrufe", "calls"),
    "meetings": ("Termine", "meetings"),
    "response": ("Reaktion", "response"),
    "activities by rep": ("Aktivitäten pro Vertriebler", "Activities by rep"),
    "pipeline by stage": ("Pipeline nach Stufe", "Pipeline by stage"),
    "conversion by source": ("Abschlussquote nach Quelle", "Conversion by source"),
    "pipeline value": ("Pipeline-Wert", "pipeline value"),
    "won total": ("gewonnen gesamt", "won in period"),
    "median response": ("Median Reaktionszeit (Vertrieb)", "median response time (rep)"),
    "median lead reply": ("Median Antwortzeit (Lead)", "median reply time (lead)"),
    "avg health": ("Ø Health (offene Leads)", "avg health (open leads)"),
    "win rate by disg": ("Abschlussquote nach DISG", "win rate by DISG"),
    "cycle by bant": ("Verkaufszyklus nach BANT", "sales cycle by BANT"),
    "health distribution": ("Health-Verteilung (offene Leads)", "Health distribution (open leads)"),
    "sales kpis": ("Vertriebs-KPIs", "Sales KPIs"),
    "report title": ("Vertriebsbericht", "Sales report"),
    "generated": ("erstellt", "generated"),
    "scope": ("Bereich", "scope"),
    "everyone": ("alle", "everyone"),
    "funnel": ("Conversion-Funnel", "Conversion funnel"),
    "won per week": ("Gewonnen pro Woche", "Won per week"),
    "activity per week": ("Aktivität pro Woche", "Activity per week"),
    "disg insights": ("DISG-Auswertung", "DISG insights"),
    "disg type": ("DISG-Typ", "DISG type"),
    "compliance decisions": ("Compliance-Entscheidungen pro Woche", "Compliance decisions per week"),
    "count": ("Anzahl", "count"),
    "top actions": ("Wichtigste nächste Aktionen", "Top next actions"),
    "no data": ("noch keine Daten", "no data yet"),
    "light": ("Ampel", "light"),
    "week short": ("KW", "W"),
    "as of refresh": ("Stand der letzten Aktualisierung", "as of the last refresh"),
    "figures": ("Kennzahlen", "Key figures"),
})

# closed vocabularies: kind -> code -> (de, en)
CODES: dict[str, dict[str, tuple[str, str]]] = {
    "stage": {
        "new": ("neu", "new"), "contacted": ("kontaktiert", "contacted"), "replied": ("geantwortet", "replied"),
        "meeting": ("Termin", "meeting"), "proposal": ("Angebot", "proposal"), "won": ("gewonnen", "won"),
        "lost": ("verloren", "lost"),
    },
    "channel": {
        "whatsapp": ("WhatsApp", "WhatsApp"), "email": ("E-Mail", "e-mail"), "phone": ("Telefon", "phone"),
        "instagram": ("Instagram", "Instagram"), "linkedin": ("LinkedIn", "LinkedIn"),
        "telegram": ("Telegram", "Telegram"), "sms": ("SMS", "SMS"), "in_person": ("persönlich", "in person"),
    },
    "light": {"green": ("grün", "green"), "yellow": ("gelb", "yellow"), "red": ("rot", "red")},
    "bant": {
        "budget": ("Budget", "budget"), "authority": ("Entscheidungsbefugnis", "authority"),
        "need": ("Bedarf", "need"), "timeline": ("Zeitplan", "timeline"),
    },
    # best_contact_windows: whose replies the window was learned from
    "basis": {"lead": ("dieser Lead", "this lead"), "user": ("deine Leads", "your leads"),
              "global": ("alle Leads", "all leads"), "fallback": ("Standard", "default")},
    "action": {
        "followup_overdue": ("Follow-up überfällig", "follow-up overdue"),
        "followup_due": ("Follow-up fällig", "follow-up due"),
        "hot_no_contact": ("heißer Lead ohne Kontakt", "hot lead, no contact"),
        "bant_gap": ("BANT-Lücke klären", "close a BANT gap"),
        "ghosted": ("reaktivieren", "re-engage"),
        "stalled": ("festgefahren", "stalled"),
        "profile_lead": ("DISG-Profil erstellen", "profile the lead"),
        "disg_approach": ("DISG-Ansprache", "DISG approach"),
        "compliance_alert": ("Compliance-Warnung", "compliance alert"),
        "playbook_completed": ("Playbook abgeschlossen", "playbook completed"),
        "bant_followup": ("BANT nachfassen", "BANT follow-up"),
        "bant_budget": ("Budget klären", "clarify the budget"),
        "bant_authority": ("Entscheider einbinden", "involve the decision maker"),
        "bant_need": ("Bedarf vertiefen", "deepen the need"),
        "bant_timeline": ("Zeitplan festlegen", "pin down the timeline"),
        "playbook_next_step": ("nächstes Playbook", "next playbook"),
        "reengage_ghosted": ("Lead reaktivieren", "re-engage the lead"),
        "book_meeting": ("Termin vereinbaren", "book a meeting"),
        "send_proposal": ("Angebot senden", "send the proposal"),
        "call_back": ("zurückrufen", "call back"),
        "follow_up": ("nachfassen", "follow up"),
    },
    "followup_status": {
        "open": ("offen", "open"), "done": ("erledigt", "done"), "skipped": ("übersprungen", "skipped"),
        "cancelled": ("abgesagt", "cancelled"),
    },
    "rec_status": {
        "open": ("offen", "open"), "accepted": ("angenommen", "accepted"), "dismissed": ("verworfen", "dismissed"),
        "done": ("erledigt", "done"), "expired": ("abgelaufen", "expired"),
    },
    "direction": {"in": ("eingehend", "inbound"), "out": ("ausgehend", "outbound")},
    "kind": {"message": ("Nachricht", "message"), "call": ("Anruf", "call"), "meeting": ("Termin", "meeting"),
             "note": ("Notiz", "note")},
    "role": {"rep": ("Vertrieb", "rep"), "manager": ("Teamleitung", "manager"), "admin": ("Admin", "admin")},
    "decision": {"allowed": ("erlaubt", "allowed"), "flagged": ("markiert", "flagged"), "blocked": ("blockiert", "blocked")},
    "language": {"de": ("Deutsch", "German"), "en": ("Englisch", "English")},
    # the learned features of predict_conversion (learn_success_patterns)
    "feature": {
        "source": ("Quelle", "source"), "first_channel": ("Erstkanal", "first channel"),
        "industry": ("Branche", "industry"), "disg_type": ("DISG-Typ", "DISG type"),
        "bant_light": ("BANT-Ampel", "BANT light"), "country": ("Land", "country"), "language": ("Sprache", "language"),
    },
    "source": {
        "instagram": ("Instagram", "Instagram"), "facebook": ("Facebook", "Facebook"),
        "referral": ("Empfehlung", "referral"), "linkedin": ("LinkedIn", "LinkedIn"), "website": ("Website", "website"),
        "event": ("Veranstaltung", "event"), "whatsapp": ("WhatsApp", "WhatsApp"),
        "cold_outreach": ("Kaltakquise", "cold outreach"), "other": ("sonstige", "other"), "none": ("keine", "none"),
    },
    "industry": {
        "fitness": ("Fitness", "fitness"), "beauty": ("Beauty", "beauty"), "nutrition": ("Ernährung", "nutrition"),
        "coaching": ("Coaching", "coaching"), "finance": ("Finanzen", "finance"),
        "real_estate": ("Immobilien", "real estate"), "it": ("IT", "IT"), "retail": ("Handel", "retail"),
        "none": ("keine", "none"),
    },
    # --- issue 12: why this channel (contact_channel's rule codes) ---
    "channel_rule": {
        "planned": ("vom Follow-up geplant", "planned in the follow-up"),
        "learned": ("aus den Antworten gelernt", "learned from replies"),
        "disg": ("DISG-Präferenz", "DISG preference"),
        "last_inbound": ("letzter eingehender Kanal", "last inbound channel"),
        "history": ("aus deiner Statistik", "from your statistics"),
        "default": ("Standard", "default"),
    },
    # --- end issue 12 ---
}
# feature values that are codes of another vocabulary
# the style cues of analyze_personality_from_messages (its lexicon cues are named "deutsch/english")
CODES["cue"] = {
    "imperative": ("Befehlsform", "imperative"), "exclamation": ("Ausrufezeichen", "exclamation marks"),
    "emoji": ("Emojis", "emoji"), "question": ("Fragen", "questions"), "figures": ("Ziffern", "digits"),  # the style cue (digits in the text); the word cue is Zahlen/numbers
    "short messages": ("kurze Nachrichten", "short messages"), "long messages": ("lange Nachrichten", "long messages"),
}


def cue(code: str, lang: Optional[str]) -> str:
    """A DISG cue's name: 'sofort/asap' -> 'sofort' or 'asap'; style cues from CODES['cue']."""
    if "/" in code:
        de, en = code.split("/", 1)
        return de if lang_or_default(lang) == "de" else en
    return name("cue", code, lang)


NONE = {"none": ("keine", "none")}  # learn_success_patterns: a missing value
CODES["first_channel"] = {**CODES["channel"], **NONE}
CODES["bant_light"] = {**CODES["light"], **NONE}
CODES["disg_type"] = {"D": ("D", "D"), "I": ("I", "I"), "S": ("S", "S"), "G": ("G", "G"), **NONE}

# --- block: manager views, sales KPIs, HTML report (issue 12 items 6-8) ---
CODES["light"].setdefault("none", ("ohne BANT", "no BANT"))

# noun -> ((de singular, de plural), (en singular, en plural))
NOUNS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "day": (("Tag", "Tage"), ("day", "days")),
    "hour": (("Stunde", "Stunden"), ("hour", "hours")),
    "minute": (("Minute", "Minuten"), ("minute", "minutes")),
    "week": (("Woche", "Wochen"), ("week", "weeks")),
    "lead": (("Lead", "Leads"), ("lead", "leads")),
    "message": (("Nachricht", "Nachrichten"), ("message", "messages")),
    "action": (("Aktion", "Aktionen"), ("action", "actions")),
    "open lead": (("offener Lead", "offene Leads"), ("open lead", "open leads")),
    "hit": (("Treffer", "Treffer"), ("violation", "violations")),
}

_WEEKDAYS = {
    "de": ("So", "Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"),
    "en": ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}


def lang_or_default(lang: Optional[str]) -> str:
    return lang if lang in LANGUAGES else DEFAULT


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang_or_default(lang) == "de" else pair[1]


def say(key: str, lang: Optional[str]) -> str:
    """The label `key` in `lang`; an unknown key is a programming error (KeyError), not a silent code."""
    return _pick(LABELS[key], lang)


def name(kind: str, code: Optional[str], lang: Optional[str]) -> str:
    """The word for `code` of vocabulary `kind`; an unknown code is shown readable (underscores to spaces)."""
    if code is None:
        return "–"
    pair = CODES[kind].get(code)
    return _pick(pair, lang) if pair else code.replace("_", " ")


def number(v, lang: Optional[str], digits: int = 0) -> str:
    """A number with the language's separators: de 12.345,6 · en 12,345.6 ("–" for None)."""
    if v is None:
        return "–"
    text = f"{float(v):,.{digits}f}"
    if lang_or_default(lang) == "de":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def count(n: int | float, noun: str, lang: Optional[str]) -> str:
    """`n` with `noun` in singular or plural: "1 Tag", "3 Tage", "1 day", "3 days", "17,8 Stunden"."""
    forms = _pick(NOUNS[noun], lang)
    n_text = number(n, lang, 1).removesuffix(",0").removesuffix(".0") if isinstance(n, float) else str(n)
    return f"{n_text} {forms[0] if n == 1 else forms[1]}"


def weekday(iso_dow: int, lang: Optional[str]) -> str:
    """Short weekday name; iso_dow 1 = Monday .. 7 = Sunday (0 = Sunday as in extract(dow))."""
    return _WEEKDAYS[lang_or_default(lang)][iso_dow]


_MONTHS = {
    "de": ("Jan", "Feb", "Mär", "Apr", "Mai", "Jun", "Jul", "Aug", "Sep", "Okt", "Nov", "Dez"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def when(ts, tz: str, lang: Optional[str], *, date: bool = True) -> str:
    """A moment as the reader says it, in time zone `tz`: "Mi 2. Dez 16:00" / "Wed 2 Dec 16:00"
    (date=False: "Mi 16:00"). `ts` is an aware datetime or an ISO string (as jsonb gives it)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    if ts is None:
        return "–"
    if isinstance(ts, str):
        ts = dt.datetime.fromisoformat(ts)
    local = ts.astimezone(ZoneInfo(tz))
    lang = lang_or_default(lang)
    day = weekday(local.isoweekday(), lang)
    if not date:
        return f"{day} {local:%H:%M}"
    month = _MONTHS[lang][local.month - 1]
    return f"{day} {local.day}. {month} {local:%H:%M}" if lang == "de" else f"{day} {local.day} {month} {local:%H:%M}"


# --------------------------------------------------------------------------- write-back commands
# (issue 12 item 1: lead add, log, followup, rec, stage, playbook, profile); kept apart to ease merging
LABELS.update({
    "lead added": ("Lead angelegt", "lead added"),
    "activity saved": ("Aktivität gespeichert", "activity saved"),
    "activity checked": ("Geprüft, nichts gespeichert (--dry-run)", "checked, nothing saved (--dry-run)"),
    "activity blocked": ("Blockiert: nicht gespeichert (der Versuch ist im Compliance-Log)",
                         "blocked: not saved (the attempt is in the compliance log)"),
    "activity needs yes": ("Markiert: nicht gespeichert; mit --yes speichern, wenn es so rausgehen soll",
                           "flagged: not saved; add --yes to save it as it is"),
    "followup": ("Follow-up", "follow-up"),
    "status": ("Status", "status"),
    "completed at": ("erledigt am", "completed at"),
    "decision": ("Entscheidung", "decision"),
    "severity": ("Schwere", "severity"),
    "category": ("Kategorie", "category"),
    "matched": ("Fundstelle", "matched"),
    "explanation": ("Begründung", "explanation"),
    "suggestion": ("Vorschlag", "suggestion"),
    "compliance log": ("Compliance-Log", "compliance log"),
    "direction": ("Richtung", "direction"),
    "kind": ("Art", "kind"),
    "from stage": ("von Stufe", "from stage"),
    "to stage": ("zu Stufe", "to stage"),
    "closed at": ("abgeschlossen am", "closed at"),
    "reason": ("Grund", "reason"),
    "stage event": ("Stufenwechsel", "stage event"),
    "stage changed": ("Stufe geändert", "stage changed"),
    "recommendation": ("Empfehlung", "recommendation"),
    "playbook": ("Playbook", "playbook"),
    "playbooks": ("Playbooks", "playbooks"),
    "steps done": ("erledigte Schritte", "steps done"),
    "steps": ("Schritte", "steps"),
    "key": ("Schlüssel", "key"),
    "name": ("Name", "name"),
    "description": ("Beschreibung", "description"),
    "playbook started": ("Playbook gestartet", "playbook started"),
    "heuristic profile": ("DISG-Profil (Heuristik)", "DISG profile (heuristic)"),
    "primary type": ("Haupttyp", "primary type"),
    "confidence": ("Sicherheit", "confidence"),
    "messages read": ("gelesene Nachrichten", "messages read"),
    "evidence": ("Hinweise", "evidence"),
    "more": ("+{n} weitere", "+{n} more"),
    "email": ("E-Mail", "e-mail"),
    "company": ("Firma", "company"),
    "consent": ("Einwilligung", "consent"),
})
CODES["severity"] = {
    "low": ("niedrig", "low"), "medium": ("mittel", "medium"), "high": ("hoch", "high"), "critical": ("kritisch", "critical"),
}
CODES["execution_status"] = {
    "running": ("läuft", "running"), "completed": ("abgeschlossen", "completed"), "aborted": ("abgebrochen", "aborted"),
}
CODES["compliance_category"] = {
    "income_claim": ("Einkommensversprechen", "income claim"),
    "lifestyle_promise": ("Lifestyle-Versprechen", "lifestyle promise"),
    "fast_easy_money": ("schnelles, leichtes Geld", "fast, easy money"),
    "atypical_earnings": ("untypische Verdienstbeispiele", "atypical earnings"),
    "recruiting_pay": ("Geld fürs Anwerben", "pay for recruiting"),
    "disease_claim": ("Heilversprechen", "disease claim"),
    "health_claim": ("Gesundheitsversprechen", "health claim"),
    "guaranteed_effect": ("garantierte Wirkung", "guaranteed effect"),
    "weight_loss_rate": ("Abnehmversprechen", "weight-loss rate"),
    "doctor_endorsement": ("Ärzte-Empfehlung", "doctor endorsement"),
    "health_fear_appeal": ("Angst um die Gesundheit", "health fear appeal"),
    "false_scarcity": ("künstliche Knappheit", "false scarcity"),
    "pressure_ultimatum": ("Druck, Ultimatum", "pressure, ultimatum"),
    "exploiting_hardship": ("Notlage ausgenutzt", "exploiting hardship"),
    "seller_guilt": ("Schuldgefühle", "seller guilt"),
    "free_no_risk": ("„gratis, ohne Risiko“", "\"free, no risk\""),
    "hidden_commercial_intent": ("verdeckte Verkaufsabsicht", "hidden commercial intent"),
    "inventory_loading": ("Lagerkauf", "inventory loading"),
    "false_approval": ("falsche Prüfsiegel", "false approval"),
    "withdrawal_denial": ("Widerrufsrecht verneint", "withdrawal rights denied"),
    "competitor_denigration": ("Konkurrenz schlechtgemacht", "competitor denigration"),
    "special_category_data": ("Gesundheitsdaten", "special-category data"),
    "no_consent": ("keine Einwilligung", "no consent"),
}
