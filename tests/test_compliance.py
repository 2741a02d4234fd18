"""LIABILITY-SHIELD: rules, check_compliance, log_ai_output_compliance, append-only logs,
alerts (pg_notify + manager recommendation), the consent rule and `salesflow compliance check`."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from salesflow_cli.main import cli

from tests.compliance_corpus import BENIGN, POSITIVE
from tests.factories import acting_as, make_lead, make_team, make_user

CATEGORIES = {
    "income_claim", "lifestyle_promise", "fast_easy_money", "atypical_earnings", "recruiting_pay",
    "disease_claim", "health_claim", "guaranteed_effect", "weight_loss_rate", "doctor_endorsement",
    "health_fear_appeal", "false_scarcity", "pressure_ultimatum", "exploiting_hardship", "seller_guilt",
    "free_no_risk", "hidden_commercial_intent", "inventory_loading", "false_approval", "withdrawal_denial",
    "competitor_denigration", "special_category_data",
}
DATA_FILE = Path(__file__).resolve().parent.parent / "sql" / "data" / "compliance_rules.sql"


def check(db, text, lang="de"):
    return db.execute("SELECT decision, max_severity, violations FROM salesflow.check_compliance(%s, %s)", (text, lang)).fetchone()


def log_count(db) -> int:
    return db.execute("SELECT count(*) FROM salesflow.compliance_logs").fetchone()[0]


# --- rules -------------------------------------------------------------------------------------

def test_every_category_has_german_and_english_rules(db):
    rows = db.execute("SELECT category, array_agg(DISTINCT language) FROM salesflow.compliance_rules WHERE is_builtin GROUP BY 1").fetchall()
    have = {cat: set(langs) for cat, langs in rows}
    assert CATEGORIES <= set(have)
    for cat in CATEGORIES:
        assert have[cat] == {"de", "en"}, cat
    sev = dict(db.execute("SELECT severity, count(*) FROM salesflow.compliance_rules GROUP BY 1").fetchall())
    assert set(sev) == {"low", "medium", "high", "critical"}


def test_corpus_sizes():
    assert len(BENIGN) >= 30
    assert {lang for lang, _ in BENIGN} == {"de", "en"}
    assert set(POSITIVE) == CATEGORIES
    for cat, items in POSITIVE.items():
        for lang in ("de", "en"):
            assert sum(1 for lg, _ in items if lg == lang) >= 3, (cat, lang)


def test_every_violation_is_caught(db):
    """Every corpus text (>= 3 varied phrasings per category and language) is caught."""
    failures = []
    for category, items in POSITIVE.items():
        for lang, text in items:
            decision, max_severity, violations = check(db, text, lang)
            if category not in {v["category"] for v in violations}:
                failures.append((category, text, [(v["rule_key"], v["matched"]) for v in violations]))
            for v in violations:
                if v["rule_key"] == "scorer":  # the statistical check: its confidence and the terms behind it
                    assert set(v) == {"rule_key", "category", "severity", "matched", "explanation", "suggestion",
                                      "confidence", "top_terms"}
                    assert 0 < v["confidence"] <= 1 and v["top_terms"] and v["severity"] == "high"
                else:
                    assert set(v) == {"rule_key", "category", "severity", "matched", "explanation", "suggestion"}
                    assert v["matched"] and v["matched"] in text, (text, v)
                assert v["explanation"] and v["suggestion"]
            assert decision in ("blocked", "flagged", "allowed") and max_severity != "none"
    assert failures == []


def test_benign_sales_messages_pass(db):
    failures = []
    for lang, text in BENIGN:
        decision, max_severity, violations = check(db, text, lang)
        if violations or decision != "allowed" or max_severity != "none":
            failures.append((text, [(v["rule_key"], v["matched"]) for v in violations]))
    assert failures == []


def test_keyword_prefilter_never_hides_a_match(db):
    """Every category whose regex matches a corpus text is reported (the keywords are complete)."""
    texts = [t for items in POSITIVE.values() for _, t in items] + [t for _, t in BENIGN]
    folded = [f for (f,) in db.execute("SELECT salesflow.compliance_fold(x) FROM unnest(%s::text[]) AS u (x)", (texts,)).fetchall()]
    by_regex: dict[int, set] = {}
    # one query per rule, so each pattern is compiled once
    for category, pattern in db.execute("SELECT category, pattern FROM salesflow.compliance_rules WHERE enabled").fetchall():
        (hits,) = db.execute(
            "SELECT coalesce(array_agg(i), '{}') FROM unnest(%s::text[]) WITH ORDINALITY AS u (f, i) WHERE f ~* %s", (folded, pattern)
        ).fetchone()
        for i in hits:
            by_regex.setdefault(i, set()).add(category)
    for i, text in enumerate(texts, start=1):
        reported = {v["category"] for v in check(db, text)[2] if v["rule_key"] != "scorer"}  # the rules' hits
        assert reported == by_regex.get(i, set()), text


# --- generalisation -------------------------------------------------------------------------------

def test_currency_formats(db):
    for amount in ["5.000 €", "5000€", "€5,000", "5k Euro", "5 000 Euro", "3.000 Euro im Monat", "2.500,50 EUR", "$3,000/month", "4k"]:
        _, _, violations = check(db, f"Bei uns verdienst du schnell {amount} nebenbei.")
        assert "income_claim" in {v["category"] for v in violations}, amount


SPELLINGS = [
    ("Kuendige endlich deinen Job!", "lifestyle_promise"),            # ue spelling
    ("KÜNDIGE ENDLICH DEINEN JOB!", "lifestyle_promise"),             # capitals with umlaut
    ("Das Gerät ist TUEV-geprueft.", "false_approval"),
    ("Gar\u00adantiertes Einkommen für alle.", "income_claim"),      # soft hyphen inside the word
    ("Dein Einkommen\u00a0ist garantiert.", "income_claim"),          # no-break space
    ("Ein Verdienst, der garantiert ist.", "income_claim"),           # noun + word order
    ("Garantie auf dein Einkommen!", "income_claim"),
    ("Deine Provision ist dir garantiert.", "income_claim"),
    ("monatlich 2.000 € Zusatzeinkommen", "income_claim"),
]


def test_inflections_spellings_and_word_order(db):
    for text, category in SPELLINGS:
        assert category in {v["category"] for v in check(db, text)[2]}, text


def test_matched_text_is_the_original_wording(db):
    _, _, violations = check(db, "Übrigens: Das Öl ist TÜV-geprüft und wirkt großartig.")
    matched = [v["matched"] for v in violations if v["category"] == "false_approval"]
    assert matched == ["TÜV-geprüft"]


def test_explanations_in_the_requested_language(db):
    _, _, de = check(db, "Our supplement is FDA-approved.", "de")
    _, _, en = check(db, "Our supplement is FDA-approved.", "en")
    assert [v["category"] for v in de] == [v["category"] for v in en] == ["false_approval"]
    assert "Prüfsiegel" in de[0]["explanation"] and "Seals" in en[0]["explanation"]
    # an English-only rule reports its counterpart's German text
    _, _, de = check(db, "Get rich quick with us.", "de")
    assert de[0]["rule_key"] == "fast_money_en" and "Schnelles" in de[0]["explanation"]


def test_mixed_language_message(db):
    _, _, violations = check(db, "Hey! Mit unserem System hast du bald financial freedom und kannst deinen Job kündigen.", "de")
    assert "lifestyle_promise" in {v["category"] for v in violations}


FILLER_DE = ["hallo", "liebe", "grüße", "danke", "termin", "gerne", "morgen", "kaffee", "anna", "produkt", "woche", "toll"]
FILLER_EN = ["hello", "thanks", "coffee", "meeting", "great", "tomorrow", "team", "friend", "lovely", "product", "week"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(st.sampled_from(FILLER_DE + FILLER_EN), max_size=8),
    after=st.lists(st.sampled_from(FILLER_DE + FILLER_EN), max_size=8),
    phrase=st.sampled_from([
        ("de", "verdienst du garantiert 3.000 € im Monat", "blocked"),
        ("de", "unsere Kapseln heilen Diabetes", "blocked"),
        ("en", "we cure arthritis naturally", "blocked"),
        ("de", "kein Widerrufsrecht", "blocked"),
        ("en", "the product is FDA approved", "flagged"),
        ("de", "10 kg in 2 Wochen abnehmen", "flagged"),
    ]),
)
def test_property_filler_words_do_not_hide_a_violation(db, before, after, phrase):
    lang, core, expected = phrase
    text = " ".join(before + [core] + after)
    decision, _, _ = check(db, text, lang)
    assert decision == expected, text


# --- decisions -----------------------------------------------------------------------------------

def test_decisions_by_severity(db):
    assert check(db, "Unsere Kapseln heilen Krebs.")[:2] == ("blocked", "critical")
    assert check(db, "Das Serum ist TÜV-geprüft.")[:2] == ("flagged", "high")
    decision, sev, violations = check(db, "Die Aktion endet heute um Mitternacht.")
    assert (decision, sev) == ("allowed", "medium") and violations
    decision, sev, violations = check(db, "Das ist eine einmalige Chance für dich.")
    assert (decision, sev) == ("allowed", "low") and violations[0]["severity"] == "low"
    assert check(db, "Danke dir, bis Dienstag!") == ("allowed", "none", [])


def test_violations_sorted_by_severity(db):
    _, _, violations = check(db, "Nur noch 2 Plätze! Mein Arzt sagt, die Kapseln heilen Arthrose.")
    ranks = {"critical": 4, "high": 3, "medium": 2, "low": 1}
    sevs = [ranks[v["severity"]] for v in violations]
    assert sevs == sorted(sevs, reverse=True) and sevs[0] == 4


def test_disabled_and_custom_rules_survive_redeploy(db):
    db.execute("UPDATE salesflow.compliance_rules SET enabled = false WHERE rule_key = 'false_approval_de'")
    db.execute(
        "INSERT INTO salesflow.compliance_rules (rule_key, category, severity, language, pattern, explanation, suggestion) "
        "VALUES ('house_no_miracle', 'house_style', 'medium', 'de', '\\mwunder\\w*', 'Keine Wunder versprechen.', 'Sachlich bleiben.')"
    )
    db.execute(DATA_FILE.read_text())  # what a re-deploy runs
    assert "false_approval" not in {v["category"] for v in check(db, "Das Serum ist TÜV-geprüft.")[2]}
    _, _, violations = check(db, "Ein wahres Wundermittel!")
    assert [v["rule_key"] for v in violations if v["category"] == "house_style"] == ["house_no_miracle"]
    assert db.execute("SELECT is_builtin FROM salesflow.compliance_rules WHERE rule_key = 'house_no_miracle'").fetchone() == (False,)


def rule_hits(db, text, lang="de"):
    """The categories the rules report (the scorer's finding left out)."""
    return {v["category"] for v in check(db, text, lang)[2] if v["rule_key"] != "scorer"}


@pytest.mark.parametrize("lang, harmless, claim, category", [
    # negated right before the words, and "nicht nur" / "kein Witz", which still claim
    ("de", "Das ist kein passives Einkommen, sondern ganz normale Arbeit.",
     "Nicht nur passives Einkommen, sondern richtig Geld!", "fast_easy_money"),
    ("en", "Honestly this is not easy money, it takes hours every week.",
     "Easy money, no joke, everyone in my team gets it.", "fast_easy_money"),
    # quoted: a mention of the words, not a use
    ("de", "Bitte keine Posts mehr mit 'Geld verdienen ohne Arbeit', das stimmt nicht.",
     "Geld verdienen ohne Arbeit, das geht bei uns wirklich.", "fast_easy_money"),
    # an income figure with its disclosure
    ("de", "Ich hab letztes Jahr 640 € Provision verdient. Das ist nicht typisch, die meisten verdienen weniger.",
     "Ich hab letztes Jahr 6.400 € Provision verdient, und du schaffst das auch.", "income_claim"),
    ("en", "I earned $320 in commissions last year, after expenses about $150. Results vary.",
     "I earned $3,200 in commissions last month and so will you.", "income_claim"),
    # the authorised EU claim wording
    ("de", "Vitamin C trägt zu einer normalen Funktion des Immunsystems bei.",
     "Unser Vitamin C stärkt dein Immunsystem wie nichts anderes.", "health_claim"),
    # a customer's question reported, and the FDA disclaimer
    ("en", "You asked whether the oil helps with your back pain - I can't say that, please see your GP.",
     "This oil helps with back pain in days.", "disease_claim"),
    ("en", "This drink is not intended to diagnose, treat, cure or prevent any disease.",
     "This drink will cure your diabetes.", "disease_claim"),
    # conditional advice names no one's health
    ("en", "If you're pregnant, please ask your doctor before using it.",
     "Since you're pregnant, this tea is exactly what you need.", "special_category_data"),
    # declined: the seller will not keep the detail, or sends the customer to a doctor
    ("de", "Danke, dass du mir das mit deiner Diabetes erzählst. Ich schreib mir das aber nicht auf, sprich lieber mit deinem Hausarzt.",
     "Wegen deiner Diabetes hab ich dir die Zuckerfrei-Box zusammengestellt, die passt perfekt.", "special_category_data"),
    ("en", "Thanks for telling me about your asthma, but I won't keep that on file. Please talk to your GP about it.",
     "Because of your asthma I picked the breathing bundle for you, it's perfect.", "special_category_data"),
    # quoted with a few words around the match; an apostrophe is not a quotation mark
    ("en", "Please stop captioning reels \"so much easy money this week\" - it is not true.",
     "I've had so much easy money this week, you'd love it.", "fast_easy_money"),
    # the disclosure in other words
    ("en", "I made $410 last year from my shop. The typical partner in our company earns far less than that.",
     "I made $4,100 last month from my shop and you can too.", "atypical_earnings"),
    # the disclosure overlapping the match itself ("most people ⟦earn less than $200⟧")
    ("en", "Honest answer: most people in our company earn less than $200 a year.",
     "Our partners earn more than $2,000 a month, you can too.", "income_claim"),
    ("de", "Ganz ehrlich: die meisten Partnerinnen bei uns verdienen unter 100 € im Monat.",
     "Bei uns verdienen Partnerinnen über 2.000 € im Monat, du auch.", "income_claim"),
    # the debt denied right after the words; a negation alone does not excuse seller guilt
    ("de", "Danke für deine Bestellung! Du schuldest mir gar nichts, ich freu mich einfach.",
     "Du schuldest mir eine Bestellung, nach allem, was ich für dich getan hab.", "seller_guilt"),
])
def test_rule_exceptions_excuse_harmless_contexts_only(db, lang, harmless, claim, category):
    assert category not in rule_hits(db, harmless, lang), harmless
    assert category in rule_hits(db, claim, lang), claim


@pytest.mark.parametrize("rule, lang, claim, harmless", [
    ("withdrawal_terms_de", "de", "Sonderangebote sind vom Rücktrittsrecht ausgenommen, tut mir leid.",
     "Du kannst alles innerhalb von 14 Tagen ohne Angabe von Gründen zurückgeben."),
    ("withdrawal_terms_de", "de", "Zurückgeben geht nur in den ersten 3 Tagen, danach ist die Bestellung fix.",
     "Die Erstattung erfolgt innerhalb von 5 Tagen nach Eingang der Ware."),
    ("withdrawal_terms_en", "en", "Returns are only accepted as store credit, sorry lovely!",
     "Refund within 5 days of us receiving the parcel, and returns are free."),
    ("health_data_use_de", "de", "Hab in dein Kundenblatt eingetragen: Endometriose und Migräne, dazu drei Produkte.",
     "Ob das Öl in der Schwangerschaft für dich passt, frag bitte deine Hebamme."),
    ("health_data_use_en", "en", "I noted down your IBS and anxiety on my customer sheet so I can tailor offers.",
     "If you are on medication, please check the ingredient list with your pharmacist."),
])
def test_broad_rules_find_the_claim_not_the_topic(db, rule, lang, claim, harmless):
    """withdrawal_terms_* and health_data_use_*: the topic and, in one sentence, the denial or the use."""
    keys = lambda text: {v["rule_key"] for v in check(db, text, lang)[2]}  # noqa: E731
    assert rule in keys(claim), claim
    assert rule not in keys(harmless), harmless


def test_an_excused_occurrence_does_not_hide_a_later_claim(db):
    _, _, violations = check(db, "Du hast gefragt, ob das gegen Diabetes hilft. Ja, es heilt Diabetes!")
    hit = [v for v in violations if v["rule_key"] == "disease_claim_de"]
    assert hit and hit[0]["matched"] == "heilt Diabetes"


def test_own_rule_with_an_exception(db):
    db.execute(
        "INSERT INTO salesflow.compliance_rules (rule_key, category, severity, language, pattern, unless_pattern, explanation, suggestion) "
        "VALUES ('house_miracle', 'house_style', 'medium', 'de', '\\mwunder\\w*', 'wunder\\w*⟧\\s+der\\s+natur', 'e', 's')")
    assert "house_style" in rule_hits(db, "Ein Wundermittel für alle!")
    assert "house_style" not in rule_hits(db, "Ein Wunder der Natur, dieser Wald.")
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute("UPDATE salesflow.compliance_rules SET unless_pattern = '(unclosed' WHERE rule_key = 'house_miracle'")
    db.rollback()


def test_invalid_rule_is_refused(db):
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute(
            "INSERT INTO salesflow.compliance_rules (rule_key, category, severity, language, pattern, explanation, suggestion) "
            "VALUES ('broken_rule', 'x_cat', 'high', 'de', '(unclosed', 'e', 's')"
        )
    with pytest.raises(psycopg.errors.CheckViolation):
        db.execute(
            "INSERT INTO salesflow.compliance_rules (rule_key, category, severity, language, pattern, explanation, suggestion) "
            "VALUES ('bad_severity', 'x_cat', 'severe', 'de', 'abc', 'e', 's')"
        )


def test_check_bad_input(db):
    for text, lang, needle in [("", "de", "p_text"), ("   ", "de", "p_text"), (None, "de", "p_text"),
                               ("Hallo", "fr", "'fr'"), ("Hallo", None, "p_language")]:
        with pytest.raises(psycopg.errors.InvalidParameterValue) as exc:
            check(db, text, lang)
        assert needle in str(exc.value)
        assert exc.value.diag.message_hint


def test_check_speed(db):
    text = " ".join(t for _, t in BENIGN)[:1000]
    check(db, text)
    n = 10
    t0 = time.perf_counter()
    for _ in range(n):
        assert check(db, text)[0] == "allowed"
    per_text_ms = (time.perf_counter() - t0) / n * 1000
    print(f"check_compliance: {per_text_ms:.1f} ms per 1,000-character benign text")
    assert per_text_ms < 150


# --- the log -------------------------------------------------------------------------------------

@pytest.fixture
def team(db):
    team = make_team(db)
    manager = make_user(db, team, role="manager", name="maria-manager")
    rep = make_user(db, team, role="rep", name="ralf-rep")
    other = make_user(db, team, role="rep", name="olga-rep")
    lead = make_lead(db, rep, consent=True, language="de")
    return {"team": team, "manager": manager, "rep": rep, "other": other, "lead": lead}


def test_log_stores_row_with_hash_and_decision(db, team):
    text = "Mit uns verdienst du garantiert 5.000 € im Monat."
    log_id, decision, sev, violations = db.execute(
        "SELECT * FROM salesflow.log_ai_output_compliance(%s, 'script', %s, p_model => 'gpt-test')", (text, team["lead"])
    ).fetchone()
    assert (decision, sev) == ("blocked", "critical")
    row = db.execute(
        "SELECT user_id, lead_id, content_type, content, content_sha256, language, decision, max_severity, checker, model, violations "
        "FROM salesflow.compliance_logs WHERE id = %s", (log_id,)
    ).fetchone()
    assert row[:4] == (team["rep"], team["lead"], "script", text)
    assert row[4] == hashlib.sha256(text.encode()).hexdigest()
    assert row[5:10] == ("de", "blocked", "critical", "sql_rules", "gpt-test")
    assert row[10] == violations


def test_log_without_violations_and_user_only(db, team):
    log_id, decision, sev, violations = db.execute(
        "SELECT * FROM salesflow.log_ai_output_compliance('Thanks, talk soon!', 'coach_answer', p_user_id => %s)", (team["rep"],)
    ).fetchone()
    assert (decision, sev, violations) == ("allowed", "none", [])
    assert db.execute("SELECT language, lead_id FROM salesflow.compliance_logs WHERE id = %s", (log_id,)).fetchone() == ("de", None)


def test_consent_rule(db, team):
    no_consent = make_lead(db, team["rep"], name="Kein Consent", consent=False, language="en")
    _, decision, sev, violations = db.execute(
        "SELECT * FROM salesflow.log_ai_output_compliance('Hi Ben, would Tuesday work for a call?', 'message', %s)", (no_consent,)
    ).fetchone()
    assert (decision, sev) == ("flagged", "high")
    assert [(v["category"], v["severity"]) for v in violations] == [("no_consent", "high")]
    assert "consent" in violations[0]["explanation"]
    # not outbound: no consent rule
    _, decision, _, violations = db.execute(
        "SELECT * FROM salesflow.log_ai_output_compliance('Ben prefers calls on Tuesdays.', 'summary', %s)", (no_consent,)
    ).fetchone()
    assert (decision, violations) == ("allowed", [])


def test_extra_llm_violations_are_merged(db, team):
    extra = [{"category": "income_claim", "severity": "critical", "matched": "bald reich", "explanation": "LLM"}]
    _, decision, sev, violations = db.execute(
        "SELECT * FROM salesflow.log_ai_output_compliance('Du wirst bald wohlhabend sein.', 'script', %s, "
        "p_extra_violations => %s, p_checker => 'sql_rules+llm')", (team["lead"], json.dumps(extra))
    ).fetchone()
    assert (decision, sev) == ("blocked", "critical")
    assert violations[-1]["rule_key"] == "llm_income_claim"


def test_log_bad_input_writes_nothing(db, team):
    cases = [
        (("", "script"), "22023", "p_content"),
        (("Hallo", "Script!"), "22023", "p_content_type"),
        (("Hallo", "script", None, "fr"), "22023", "'fr'"),
        (("Hallo", "script", None, None, None, '{"a": 1}'), "22023", "p_extra_violations"),
        (("Hallo", "script", None, None, None, '[{"category": "x_y", "severity": "huge"}]'), "22023", "p_extra_violations"),
        (("Hallo", "script"), "22023", "p_user_id"),
        (("Hallo", "script", "00000000-0000-0000-0000-000000000001"), "P0002", "00000000-0000-0000-0000-000000000001"),
        (("Hallo", "script", None, None, None, "[]", "sql_rules", "00000000-0000-0000-0000-000000000002"), "P0002",
         "00000000-0000-0000-0000-000000000002"),
    ]
    for args, state, needle in cases:
        placeholders = ", ".join(["%s"] * len(args))
        with pytest.raises(psycopg.Error) as exc:
            db.execute(f"SELECT * FROM salesflow.log_ai_output_compliance({placeholders})", args)
        assert exc.value.sqlstate == state, args
        assert needle in str(exc.value), args
    assert log_count(db) == 0


def test_log_through_rls(db, team):
    other_lead = make_lead(db, team["other"], name="Fremder Lead", consent=True)
    with acting_as(db, team["rep"]):
        log_id, decision, _, _ = db.execute(
            "SELECT * FROM salesflow.log_ai_output_compliance('Hallo, passt Dienstag?', 'message', %s)", (team["lead"],)
        ).fetchone()
        assert decision == "allowed"
        with pytest.raises(psycopg.errors.NoDataFound):
            db.execute("SELECT * FROM salesflow.log_ai_output_compliance('Hallo', 'message', %s)", (other_lead,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("SELECT * FROM salesflow.log_ai_output_compliance('Hallo', 'message', p_user_id => %s)", (team["other"],))
    assert db.execute("SELECT user_id FROM salesflow.compliance_logs").fetchall() == [(team["rep"],)]
    assert log_id


# --- append-only -----------------------------------------------------------------------------------

def test_logs_are_append_only_even_for_the_owner(db, team):
    db.execute("SELECT salesflow.log_ai_output_compliance('Hallo!', 'message', %s)", (team["lead"],))
    for sql in (
        "UPDATE salesflow.compliance_logs SET decision = 'allowed'",
        "UPDATE salesflow.compliance_logs SET lead_id = NULL",
        "DELETE FROM salesflow.compliance_logs",
        "TRUNCATE salesflow.compliance_logs",
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as exc:
            db.execute(sql)
        assert "append-only" in str(exc.value)
    assert log_count(db) == 1


def test_deleting_a_lead_keeps_its_logs(db, team):
    db.execute("SELECT salesflow.log_ai_output_compliance('Hallo!', 'message', %s)", (team["lead"],))
    db.execute("DELETE FROM salesflow.leads WHERE id = %s", (team["lead"],))
    assert db.execute("SELECT lead_id, content FROM salesflow.compliance_logs").fetchall() == [(None, "Hallo!")]


# --- alerts ----------------------------------------------------------------------------------------

def test_pg_notify_payload_has_no_text(db, dsn, team):
    text = "Unsere Kapseln heilen Krebs, garantiert!"
    with psycopg.connect(dsn, autocommit=True) as listener:
        listener.execute("LISTEN salesflow_compliance")
        log_id = db.execute(
            "SELECT log_id FROM salesflow.log_ai_output_compliance(%s, 'script', %s)", (text, team["lead"])
        ).fetchone()[0]
        # an allowed text does not notify
        db.execute("SELECT salesflow.log_ai_output_compliance('Danke!', 'script', %s)", (team["lead"],))
        notes = list(listener.notifies(timeout=5, stop_after=1))
    assert len(notes) == 1 and notes[0].channel == "salesflow_compliance"
    payload = json.loads(notes[0].payload)
    assert payload["log_id"] == log_id
    assert payload["user_id"] == str(team["rep"]) and payload["lead_id"] == str(team["lead"])
    assert payload["severity"] == "critical" and payload["decision"] == "blocked"
    assert "disease_claim" in payload["categories"]
    assert "Krebs" not in notes[0].payload and "Kapseln" not in notes[0].payload
    assert "content" not in payload and "matched" not in notes[0].payload


def test_alert_recommendation_for_the_manager(db, team):
    if db.execute("SELECT to_regprocedure('salesflow.create_ai_recommendation(uuid, text, text, text, jsonb, numeric, numeric, timestamptz, text, uuid)')").fetchone()[0] is None:
        pytest.skip("create_ai_recommendation is not installed yet")
    with acting_as(db, team["rep"]):
        log_id = db.execute(
            "SELECT log_id FROM salesflow.log_ai_output_compliance('Die Kapseln heilen Arthrose.', 'script', %s)", (team["lead"],)
        ).fetchone()[0]
    rec = db.execute(
        "SELECT assignee_id, user_id, base_priority, source, action, title, reason FROM salesflow.ai_recommendations "
        "WHERE lead_id = %s AND rec_type = 'compliance_alert' AND status = 'open'", (team["lead"],)
    ).fetchone()
    assert rec is not None
    assert rec[0] == team["manager"] and rec[1] == team["rep"]
    assert float(rec[2]) == 90 and rec[3] == "trigger"
    assert rec[4]["log_id"] == log_id and "disease_claim" in rec[4]["categories"]
    assert "Arthrose" not in rec[5] + rec[6]
    # a high (not critical) finding: priority 70
    db.execute("SELECT salesflow.log_ai_output_compliance('Das Serum ist TÜV-geprüft.', 'script', %s)", (team["lead"],))
    assert float(db.execute(
        "SELECT base_priority FROM salesflow.ai_recommendations WHERE lead_id = %s AND rec_type = 'compliance_alert' AND status = 'open'",
        (team["lead"],),
    ).fetchone()[0]) == 70


def test_no_alert_for_medium(db, team):
    db.execute("SELECT salesflow.log_ai_output_compliance('Die Aktion endet heute um Mitternacht.', 'script', %s)", (team["lead"],))
    assert db.execute("SELECT count(*) FROM salesflow.ai_recommendations WHERE rec_type = 'compliance_alert'").fetchone()[0] == 0


# --- CLI -----------------------------------------------------------------------------------------

def test_cli_json(dsn):
    result = CliRunner().invoke(cli, ["compliance", "check", "Our supplement is FDA-approved.", "--lang", "en", "--json", "--dsn", dsn])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["decision"] == "flagged" and data["max_severity"] == "high"
    assert data["violations"][0]["category"] == "false_approval"


def test_cli_stdin_and_table(dsn):
    result = CliRunner().invoke(
        cli, ["compliance", "check", "-", "--dsn", dsn], input="Mit uns verdienst du garantiert 5.000 € im Monat.\n"
    )
    assert result.exit_code == 0, result.output
    # people read words in --lang (default de), never the codes; --json keeps the codes
    assert "blockiert" in result.stdout and "Einkommensversprechen" in result.stdout
    assert "income_claim" not in result.stdout and "blocked" not in result.stdout
    result = CliRunner().invoke(cli, ["compliance", "check", "-", "--json", "--dsn", dsn],
                                input="Mit uns verdienst du garantiert 5.000 € im Monat.\n")
    assert json.loads(result.stdout)["decision"] == "blocked"
    assert "income_claim" in {v["category"] for v in json.loads(result.stdout)["violations"]}
    result = CliRunner().invoke(cli, ["compliance", "check", "-", "--json", "--dsn", dsn], input="Danke, bis Dienstag!")
    assert json.loads(result.stdout) == {"decision": "allowed", "max_severity": "none", "violations": []}


def test_cli_bad_input(dsn):
    result = CliRunner().invoke(cli, ["compliance", "check", "Hallo", "--lang", "fr", "--dsn", dsn])
    assert result.exit_code == 2 and "fr" in result.output
    result = CliRunner().invoke(cli, ["compliance", "check", "-", "--dsn", dsn], input="   ")
    assert result.exit_code == 2 and "empty" in result.output


# --- disguised violations (look-alike letters, fullwidth forms, combining marks, spaced letters) --

DISGUISES = {
    "cyrillic e": "Unser Produkt h\u0435ilt Krebs.",
    "fullwidth": "Unser Produkt \uff48\uff45\uff49\uff4c\uff54 Krebs.",
    "combining acute": "Unser Produkt he\u0301ilt Krebs.",
    "precomposed accent": "Unser Produkt h\u00e9ilt Krebs.",
    "mathematical bold": "Unser Produkt \U0001d421\U0001d41e\U0001d422\U0001d425\U0001d42d Krebs.",
    "spaced letters": "Unser Produkt h e i l t Krebs.",
    "dotted letters": "Unser Produkt h.e.i.l.t Krebs.",
    "hyphenated letters": "Unser Produkt h-e-i-l-t Krebs.",
    "greek and cyrillic mixed": "Our capsules \u0441ur\u0435 \u0441an\u0441\u0435r.",
    "decomposed umlaut and fullwidth": "Mit uns verdienst du garantiert \uff15.000 \u20ac im Monat, f\u0075\u0308r immer.",
}


@pytest.mark.parametrize("form", sorted(DISGUISES))
def test_disguised_violation_is_caught(db, form):
    decision, _, violations = check(db, DISGUISES[form])
    assert decision == "blocked", (form, violations)
    # the words as read are shown, so the reviewer sees what was found
    assert any(v["category"] in ("disease_claim", "income_claim") for v in violations)


def test_unmask_leaves_ordinary_text_alone(db):
    for text in ("Danke, bis Dienstag! Grüße aus Zürich", "Ich schick dir z.B. die E-Mail um 9.30 Uhr", "Café, naïve, façade"):
        assert db.execute("SELECT salesflow.compliance_unmask(%s)", (text,)).fetchone()[0] == (
            text if "Café" not in text else "Cafe, naïve, facade")
    assert db.execute("SELECT salesflow.compliance_unmask(%s)", ("fu\u0308r",)).fetchone()[0] == "für"
    # a message in another script is folded, but nothing in it becomes a violation
    assert check(db, "Привет! Как дела? Спасибо за заказ 😊")[0] == "allowed"
    assert check(db, "Ich heiße Anna, a b c ist mein Kürzel 😊") == ("allowed", "none", [])


_LOOKALIKE = {"a": "\u0430", "e": "\u0435", "o": "\u043e", "c": "\u0441", "p": "\u0440", "i": "\u0456", "x": "\u0445"}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    phrase=st.sampled_from([
        ("de", "unsere Kapseln heilen Diabetes"), ("en", "we cure arthritis naturally"),
        ("de", "Mit uns verdienst du garantiert 5.000 € im Monat"), ("en", "guaranteed income of $3,000 per month"),
    ]),
    disguise=st.lists(st.sampled_from(["lookalike", "fullwidth", "accent", "zero-width"]), min_size=1, max_size=4),
    seed=st.integers(min_value=0, max_value=10_000),
)
def test_property_disguises_do_not_hide_a_violation(db, phrase, disguise, seed):
    """Letters replaced by look-alikes, fullwidth forms, accents or zero-width joiners, at random
    positions: the disguised text gets the same decision as the plain one."""
    import random
    lang, text = phrase
    rnd = random.Random(seed)
    chars = list(text)
    for kind in disguise:
        i = rnd.randrange(len(chars))
        # a position may already carry a mark or joiner from an earlier disguise: change its base letter
        base, rest = chars[i][0], chars[i][1:]
        if kind == "lookalike" and base in _LOOKALIKE:
            chars[i] = _LOOKALIKE[base] + rest
        elif kind == "fullwidth" and "!" <= base <= "~":
            chars[i] = chr(ord(base) + 0xFEE0) + rest
        elif kind == "accent" and base.isalpha():
            chars[i] += "\u0301"
        elif kind == "zero-width":
            chars[i] += "\u200b"
    disguised = "".join(chars)
    assert check(db, disguised, lang)[0] == check(db, text, lang)[0], disguised


# --- compliance eval ------------------------------------------------------------------------------

EVAL_FIXTURE = (
    "category\tlanguage\ttext\n"
    "disease_claim\tde\tUnsere Kapseln heilen Diabetes.\n"
    "income_claim\ten\tWe guarantee you will earn at least $2,000 in your first month.\n"
    "competitor_denigration\ten\tThe stuff from the other shop is honestly just expensive chalk.\n"
    "clean\tde\tDanke, bis Dienstag!\n"
    "clean\ten\tThe zebra workshop is on Thursday.\n"
)


def _eval(dsn, tmp_path, *extra, body=EVAL_FIXTURE):
    f = tmp_path / "corpus.tsv"
    f.write_text(body, encoding="utf-8")
    return CliRunner().invoke(cli, ["compliance", "eval", str(f), "--dsn", dsn, *extra])


def test_eval_measures_recall_precision_and_misses(dsn, tmp_path):
    result = _eval(dsn, tmp_path, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["violations"]["all"] == {"n": 3, "ok": 2, "rate": round(2 / 3, 4)}
    assert data["clean"]["all"] == {"n": 2, "ok": 2, "rate": 1.0}
    per = {r["category"]: r for r in data["per_category"]}
    assert per["disease_claim"]["de"]["recall"] == 1.0 and per["disease_claim"]["en"]["n"] == 0
    assert per["competitor_denigration"]["all"] == {"n": 1, "recall": 0.0, "right_category": 0.0}
    assert per["disease_claim"]["precision"] == 1.0
    assert [m["line"] for m in data["missed"]] == [4] and data["false_positives"] == []
    layers = data["by_layer"]["violations"]
    assert layers["rules"] + layers["both"] == 2 and layers["scorer_only"] == 0 and set(data["messages"][0]["layers"]) >= {"rules"}
    table = _eval(dsn, tmp_path)
    assert "violations caught: 2/3" in table.stdout and "missed violations (1)" in table.stdout
    assert "found by: rules 2, the scorer alone 0" in table.stdout


def test_eval_baseline_shows_what_a_new_rule_changed(db, dsn, tmp_path):
    saved = tmp_path / "before.json"
    assert _eval(dsn, tmp_path, "--save", str(saved)).exit_code == 0
    db.execute(
        "INSERT INTO salesflow.compliance_rules (rule_key, category, severity, language, pattern, explanation, suggestion) "
        "VALUES ('house_chalk', 'competitor_denigration', 'high', 'en', 'expensive chalk', 'No put-downs.', 'Compare facts.'), "
        "('house_zebra', 'house_style', 'low', 'en', '\\mzebra\\M', 'No zebras.', 'Say workshop.')"
    )
    result = _eval(dsn, tmp_path, "--baseline", str(saved), "--json")
    comp = json.loads(result.stdout)["comparison"]
    assert comp["compared"] == 5
    assert sorted((m["line"], m["effect"]) for m in comp["changed"]) == [(4, "fixed"), (6, "broken")]
    assert "1 fixed, 1 broken" in _eval(dsn, tmp_path, "--baseline", str(saved)).stdout


@pytest.mark.parametrize("body, needle", [
    ("category\tlanguage\n", "header"),
    ("category\tlanguage\ttext\ndisease_claim\tde\n", ":2: expected 3 tab-separated fields"),
    ("category\tlanguage\ttext\nmiracles\tde\tx\n", ":2: unknown category 'miracles'"),
    ("category\tlanguage\ttext\nclean\tfr\tBonjour\n", "language must be de or en"),
    ("category\tlanguage\ttext\n", "has no messages"),
])
def test_eval_bad_file(dsn, tmp_path, body, needle):
    result = _eval(dsn, tmp_path, body=body)
    assert result.exit_code == 2 and needle in result.output, result.output
