"""Texts SQL writes for people: the reader's language, real plurals, words instead of codes."""

from __future__ import annotations

import pytest

from tests.factories import make_lead, make_team, make_user


@pytest.fixture
def rep_and_leads(db):
    team = make_team(db)
    de_rep = make_user(db, team, name="greta", language="de")
    en_rep = make_user(db, team, name="george", language="en")
    en_lead = make_lead(db, de_rep, "Ben Miller", language="en", timezone="Europe/London", stage="proposal")
    de_lead = make_lead(db, en_rep, "Anna Becker", language="de", stage="proposal")
    return {"de_rep": de_rep, "en_rep": en_rep, "en_lead": en_lead, "de_lead": de_lead}


def test_bant_recommendation_is_in_the_owners_language_and_its_question_in_the_leads(db, rep_and_leads):
    db.execute("SELECT * FROM salesflow.assess_bant(%s, 2, 7, 9, 6)", (rep_and_leads["en_lead"],))
    title, reason, question = db.execute(
        "SELECT title, reason, action ->> 'question' FROM salesflow.ai_recommendations "
        "WHERE lead_id = %s AND status = 'open'", (rep_and_leads["en_lead"],)).fetchone()
    assert title == "Budget klären" and "schwächste Dimension ist Budget" in reason
    assert "(rot)" in reason or "(gelb)" in reason or "(grün)" in reason, reason
    assert not any(code in reason for code in ("red", "yellow", "green")), reason
    assert question.startswith("What amount"), question
    db.execute("SELECT * FROM salesflow.assess_bant(%s, 9, 2, 9, 6)", (rep_and_leads["de_lead"],))
    title, question = db.execute(
        "SELECT title, action ->> 'question' FROM salesflow.ai_recommendations "
        "WHERE lead_id = %s AND status = 'open'", (rep_and_leads["de_lead"],)).fetchone()
    assert title == "Involve the decision maker" and question.startswith("Wer entscheidet")


@pytest.mark.parametrize("hours_ago, de, en", [
    (30, "seit 1 Tag überfällig", "overdue by 1 day"),
    (80, "seit 3 Tagen überfällig", "overdue by 3 days"),
    (0.5, "seit 1 Stunde überfällig", "overdue by 1 hour"),
    (4.5, "seit 5 Stunden überfällig", "overdue by 5 hours"),
    (-0.5, "fällig in 1 Stunde", "due in 1 hour"),
    (-10, "fällig in 10 Stunden", "due in 10 hours"),
])
def test_follow_up_reasons_use_real_plurals(db, rep_and_leads, hours_ago, de, en):
    fid = db.execute(
        "INSERT INTO salesflow.followups (lead_id, user_id, due_at, note) "
        "VALUES (%s, %s, now() - make_interval(secs => %s * 3600), 'Rückruf') RETURNING id",
        (rep_and_leads["en_lead"], rep_and_leads["de_rep"], hours_ago)).fetchone()[0]
    for lang, expected in (("de", de), ("en", en)):
        text = db.execute("SELECT salesflow.next_action_reason('followup_overdue', %s, %s, NULL, %s)",
                          (lang, rep_and_leads["en_lead"], fid)).fetchone()[0]
        assert expected in text and "(en)" not in text and "(s)" not in text, text


def test_lead_reasons_name_stages_and_lights_in_words(db, rep_and_leads):
    lead = rep_and_leads["en_lead"]
    db.execute("SELECT * FROM salesflow.assess_bant(%s, 9, 9, 9, 9)", (lead,))
    for lang, words, codes in (("de", ("Angebot", "grün"), ("proposal", "green")),
                               ("en", ("proposal", "green"), ("Angebot", "grün"))):
        texts = [db.execute("SELECT salesflow.next_action_reason(%s, %s, %s)", (kind, lang, lead)).fetchone()[0]
                 for kind in ("hot_no_contact", "bant_gap", "stalled")]
        joined = " | ".join(texts)
        assert all(w in joined for w in words), joined
        assert not any(c in joined for c in codes), joined


def test_profile_recommendation_is_in_the_owners_language(db, rep_and_leads):
    from tests.factories import add_activity, drain

    lead, rep = rep_and_leads["en_lead"], rep_and_leads["de_rep"]  # an English lead of a German rep
    for _ in range(3):
        add_activity(db, lead, rep, direction="in", body="Sounds interesting, tell me more")
    drain(db)  # the drain makes it
    title, reason = db.execute("SELECT title, reason FROM salesflow.ai_recommendations "
                               "WHERE lead_id = %s AND rec_type = 'profile_lead'", (lead,)).fetchone()
    assert title == "DISG-Profil erstellen" and "Nachrichten von Ben Miller" in reason, (title, reason)
