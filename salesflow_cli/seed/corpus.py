"""What the seed generator draws from: outcome effects, countries, names, reply hours and message texts.

The closed vocabularies (stages, sources, industries and their weights) are salesflow_cli/vocabulary.py;
this module only adds the seed's own flavour on top of them.
"""

from __future__ import annotations

from ..vocabulary import LADDER

STAGES = LADDER  # the stages a lead climbs, in order (vocabulary.py)
# sources where the lead usually writes first
INBOUND_SOURCES = {"instagram", "facebook", "website", "whatsapp"}
SOURCE_EFFECT = {
    "referral": 1.0, "event": 0.45, "website": 0.2, "whatsapp": 0.15, "linkedin": 0.05, "instagram": 0.0,
    "facebook": -0.15, "cold_outreach": -1.0,
}
SOURCE_CHANNELS = {
    "instagram": ("instagram", "whatsapp"), "facebook": ("whatsapp", "email"), "referral": ("whatsapp", "phone"),
    "linkedin": ("linkedin", "email"), "website": ("email", "phone"), "event": ("whatsapp", "in_person"),
    "whatsapp": ("whatsapp", "phone"), "cold_outreach": ("email", "phone"),
}
INDUSTRY_EFFECT = {
    "finance": 0.15, "coaching": 0.2, "fitness": 0.05, "beauty": 0.1, "nutrition": 0.0,
    "real_estate": -0.25, "it": -0.1, "retail": -0.15,
}
DEAL_BASE = {
    "fitness": 600, "beauty": 350, "nutrition": 450, "coaching": 2400, "finance": 5200,
    "real_estate": 14000, "it": 8500, "retail": 1600,
}
B2B = {"it", "real_estate", "finance", "retail"}
PRODUCT = {
    "fitness": ("das Fitnessprogramm", "the fitness program"),
    "beauty": ("die Pflegeserie", "the skincare line"),
    "nutrition": ("das Ernährungskonzept", "the nutrition plan"),
    "coaching": ("das Coaching", "the coaching program"),
    "finance": ("die Finanzberatung", "the financial planning"),
    "real_estate": ("das Objekt", "the property"),
    "it": ("die Software-Lösung", "the software solution"),
    "retail": ("das Partnerprogramm", "the partner program"),
}
# country -> weight, [(timezone, weight)], share of German speakers, phone prefix, mail domain
COUNTRIES = (
    ("DE", 58, (("Europe/Berlin", 1),), 1.0, "+49 15", "example.de"),
    ("AT", 14, (("Europe/Vienna", 1),), 1.0, "+43 66", "example.at"),
    ("CH", 11, (("Europe/Zurich", 1),), 0.85, "+41 7", "example.ch"),
    ("GB", 7, (("Europe/London", 1),), 0.0, "+44 7", "example.co.uk"),
    ("US", 5, (("America/New_York", 3), ("America/Chicago", 1), ("America/Los_Angeles", 1)), 0.0, "+1 ", "example.com"),
    ("NL", 5, (("Europe/Amsterdam", 1),), 0.25, "+31 6", "example.nl"),
)
DISG = (("D", 20), ("I", 30), ("S", 30), ("G", 20))
DISG_EFFECT = {"D": 0.45, "I": 0.3, "S": -0.15, "G": -0.4}
# preferred local reply hours per lead
REPLY_PATTERNS = (
    ((7, 8), 14),          # on the way to work
    ((12, 13), 24),        # lunch break
    ((17, 18, 19), 30),    # after work
    ((20, 21, 22), 32),    # evening, kids in bed
)

DE_FIRST = (
    "Anna", "Ben", "Clara", "David", "Eva", "Felix", "Greta", "Hannah", "Jonas", "Lena", "Max", "Mia", "Noah",
    "Paul", "Sophie", "Tom", "Emma", "Lukas", "Laura", "Jan", "Sabine", "Thomas", "Katrin", "Michael", "Stefanie",
    "Andreas", "Julia", "Markus", "Nicole", "Tobias", "Sandra", "Florian", "Melanie", "Christian", "Jana", "Matthias",
    "Leonie", "Sebastian", "Franziska", "Jürgen",
)
DE_LAST = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Braun", "Zimmermann", "Krüger",
    "Hofmann", "Hartmann", "Lange", "Werner", "Krause", "Lehmann", "Köhler", "Huber", "Gruber", "Bauer",
    "Steiner", "Moser", "Keller", "Frei", "Brunner",
)
EN_FIRST = (
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Grace", "James", "Olivia",
    "William", "Sophia", "Henry", "Chloe", "Daniel", "Lucy", "Ethan", "Ella", "Liam", "Mason", "Harper", "Sarah",
    "Michael", "Jessica", "Daan", "Sanne", "Lars", "Femke",
)
EN_LAST = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright",
    "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Miller",
    "Davis", "Garcia", "de Vries", "Jansen", "Bakker", "Visser",
)
COMPANY_FORMS = {"de": ("{} GmbH", "{} & Partner", "{} Consulting", "{} AG", "{} KG"),
                 "en": ("{} Ltd", "{} & Co", "{} Consulting", "{} Group", "{} LLC")}
TEAM_NAMES = (
    "Team Nord", "Team Süd", "Team West", "Team Ost", "Team Alpen", "Team Rhein", "Team Berlin", "Team München",
    "Team Wien", "Team Zürich", "Team Hamburg", "Team London",
)

# Messages. {n} first name, {p} product. Inbound ones are written in the DISG styles the SQL
# heuristic (analyze_personality_from_messages) looks for; no tabs, newlines or backslashes.
INBOUND = {
    ("D", "de"): (
        "Schick mir den Preis. Ich entscheide sofort.",
        "Keine Zeit für lange Calls. Nur das Ergebnis zählt.",
        "Kurz und knapp bitte: was bringt mir {p}.",
        "Passt. Machen wir. Wann geht es los.",
        "Ruf mich morgen direkt an.",
        "Zeit ist Geld. Schick mir das Angebot.",
        "Ich will schnell starten, mein Ziel steht.",
        "Klartext: lohnt sich das für mich oder nicht.",
        "Deal. Schick mir den nächsten Schritt.",
    ),
    ("D", "en"): (
        "Send me the price. I decide fast.",
        "No time for long calls. Bottom line please.",
        "Let's do it. What is the next step.",
        "Call me tomorrow, keep it short.",
        "Get me the offer asap.",
        "Quick question: results in how many weeks.",
        "Busy week. Straight to the point please.",
        "Done. Send the details now.",
        "I want results, not a presentation.",
    ),
    ("I", "de"): (
        "Wow, das klingt mega! 😍 Erzähl mir mehr!",
        "Haha super, meine Freundin macht das auch schon 🎉",
        "Toll!! Ich freu mich total, das macht bestimmt Spaß 😊",
        "Stell dir vor, mein ganzes Team will mitmachen! 🙌",
        "Genial 🤩 Können wir das gemeinsam mit meinen Freunden machen?",
        "Mega cool, ich hab es direkt allen Leuten erzählt 😄",
        "Wahnsinn, was für eine Geschichte! 🚀",
        "Super gerne!! Ich bin total begeistert von {p} ✨",
    ),
    ("I", "en"): (
        "Wow, that sounds amazing! 😍 Tell me more!",
        "Haha love it, my friends are going to be so excited 🎉",
        "This is so much fun!! 🙌 Count me in",
        "Awesome!! Imagine doing this together with everyone 🤩",
        "Great story, I love it 😊",
        "So exciting! My whole team wants to join 🚀",
        "Fantastic, I already told all my friends about {p} ✨",
    ),
    ("S", "de"): (
        "Ich muss das erst in Ruhe mit meiner Familie besprechen.",
        "Klingt interessant, aber ich bin noch unsicher. Gibt es da ein Risiko?",
        "Für mich ist Sicherheit wichtig, ich habe zwei Kinder.",
        "Lieber Schritt für Schritt, ich möchte nichts überstürzen.",
        "Vielleicht nächsten Monat, ich überlege es mir noch.",
        "Mein Mann und ich wollen da nochmal drüber nachdenken.",
        "Ich habe ein paar Bedenken und lasse mir lieber etwas Zeit.",
        "Danke, dass du so geduldig bist. Ich brauche noch etwas Vertrauen.",
    ),
    ("S", "en"): (
        "I need to talk it over with my family first.",
        "Sounds nice, but I'm not sure yet. Is it safe?",
        "Security matters to me, I have two kids.",
        "Maybe next month, no rush on my side.",
        "I'd prefer to go step by step.",
        "My husband and I want to think about it.",
        "Thanks for being patient, I'm a bit worried about the risk.",
    ),
    ("G", "de"): (
        "Können Sie mir genaue Details zu {p} schicken? Gibt es Studien dazu?",
        "Wie funktioniert das Vergütungsmodell genau? Welche Zahlen gibt es für das erste Jahr?",
        "Ich hätte gern die Vertragsbedingungen und die AGB vorab, bitte mit allen Details.",
        "Warum ist der Preis 12 Prozent höher als letztes Jahr? Gibt es dafür Daten?",
        "Welche Zertifizierung hat das Produkt? Ich vergleiche gerade 3 Anbieter.",
        "Können Sie mir die Fakten konkret aufschlüsseln: Kosten pro Monat, Laufzeit 24 Monate, Kündigungsfrist?",
        "Gibt es eine Quelle für die Angabe mit den 30 Prozent? Ich möchte das genau prüfen.",
    ),
    ("G", "en"): (
        "Could you send me the exact details on {p}? Are there any studies?",
        "How does the compensation plan work exactly? What are the numbers for year one?",
        "Please share the contract terms and conditions before our call.",
        "Why is the price 12 percent higher than last year? Is there data on that?",
        "Which certification does it have? I'm comparing 3 providers right now.",
        "Can you break down the facts: monthly cost, 24 month term, notice period?",
        "What is the source for the 30% figure? I want to check it precisely.",
    ),
}
NEUTRAL_IN = {
    "de": ("Danke dir, ich schau es mir an.", "Ok, melde mich.", "Hab es gelesen, danke."),
    "en": ("Thanks, I'll have a look.", "Ok, will get back to you.", "Got it, thanks."),
}
OUTBOUND = {
    "de": (
        "Hallo {n}, danke für dein Interesse an {p}! Wann passt dir ein kurzes Gespräch?",
        "Hi {n}, ich wollte kurz nachhaken: hast du dir {p} schon angeschaut?",
        "Hallo {n}, ich schicke dir gern alle Infos zu {p}.",
        "Guten Morgen {n}, hast du diese Woche 15 Minuten für einen Call?",
        "Hi {n}, wie sieht es bei dir aus? Melde dich gern, wenn du Fragen hast.",
        "Hallo {n}, hier die Unterlagen wie besprochen. Was meinst du?",
        "Hi {n}, kurze Erinnerung an unseren Termin. Passt es noch?",
    ),
    "en": (
        "Hi {n}, thanks for your interest in {p}! When would a short call suit you?",
        "Hi {n}, just following up: did you get a chance to look at {p}?",
        "Hello {n}, happy to send you all the details on {p}.",
        "Morning {n}, do you have 15 minutes this week for a call?",
        "Hi {n}, how are things on your side? Let me know if you have questions.",
        "Hi {n}, here are the documents as discussed. What do you think?",
        "Hi {n}, quick reminder of our meeting. Still good for you?",
    ),
}
FIRST_IN = {
    "de": ("Hi, ich habe deinen Beitrag zu {p} gesehen.", "Hallo, ich interessiere mich für {p}."),
    "en": ("Hi, I saw your post about {p}.", "Hello, I'm interested in {p}."),
}
CALL = {"de": "Anruf: kurz gesprochen, Rückruf vereinbart.", "en": "Call: spoke briefly, callback agreed."}
MEETING = {"de": "Termin: Vorstellung von {p}.", "en": "Meeting: presentation of {p}."}
NOTE = {"de": "Notiz: interessiert an {p}, Budget noch offen.", "en": "Note: interested in {p}, budget still open."}
FOLLOWUP_NOTES = {
    "de": ("Nachfassen: Angebot besprechen", "Rückruf wie vereinbart", "Unterlagen nachreichen", "Termin bestätigen"),
    "en": ("Follow up on the offer", "Call back as agreed", "Send the documents", "Confirm the meeting"),
}
REC_TYPES = (
    ("followup_due", "Nachfassen", "Follow up"), ("reengage_ghosted", "Lead reaktivieren", "Re-engage lead"),
    ("book_meeting", "Termin vereinbaren", "Book a meeting"), ("send_proposal", "Angebot senden", "Send the proposal"),
)
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", " ": ""})
