"""The compliance scorer: naive Bayes over stemmed terms beside the rules (train_compliance_scorer,
compliance_score, the 'scorer' findings of check_compliance, `salesflow compliance train`)."""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from tests.proc import run_cli

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "compliance"


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]


def test_shipped_model_is_trained_on_the_development_part_only(db):
    dev, held = _tsv(CORPUS / "dev.tsv"), _tsv(CORPUS / "heldout.tsv")
    rows = db.execute("SELECT category, language, body FROM salesflow.compliance_training_messages WHERE origin = 'builtin'").fetchall()
    assert Counter(rows) == Counter(tuple(r) for r in dev)
    held_texts = {r[2] for r in held}
    assert not held_texts & {r[2] for r in rows}  # never trained on the held-out part
    messages, violations, oof_recall, oof_clean, threshold = db.execute(
        "SELECT messages, violations, oof_recall, oof_clean, threshold FROM salesflow.compliance_scorer_model").fetchone()
    assert (messages, violations) == (len(dev), sum(r[0] != "clean" for r in dev))
    assert oof_clean >= 0.97 and 0.2 < oof_recall < 1 and 0 < threshold < 1


# a small corpus with one pattern per category the rules do not know (made-up wording)
SMALL = (
    [("income_claim", "de", f"Mit dem Glitzerplan kassierst du {n} Taler jede Woche, Variante {n}") for n in range(12)]
    + [("health_claim", "de", f"Der Zaubersaft vertreibt das Zipperlein sofort, Kundin {n} ist begeistert") for n in range(12)]
    + [("clean", "de", f"Danke für das Gespräch, wir telefonieren am Termin {n} wegen der Unterlagen") for n in range(14)]
    + [("clean", "de", f"Schöne Grüße an die Familie, Treffen Nummer {n} war toll") for n in range(14)]
)


@pytest.fixture
def small_model(db):
    db.execute("DELETE FROM salesflow.compliance_training_messages")
    with db.cursor() as cur:
        cur.executemany("INSERT INTO salesflow.compliance_training_messages (category, language, body) VALUES (%s, %s, %s)", SMALL)
    return db.execute("SELECT * FROM salesflow.train_compliance_scorer(0.5, 0.9)").fetchone()


def _terms(db, text, lang="de"):
    return db.execute("SELECT salesflow.compliance_terms(salesflow.compliance_fold(salesflow.compliance_unmask(%s)), %s)",
                      (text, lang)).fetchone()[0]


def test_trained_weights_equal_an_independent_computation(db, small_model):
    messages, violations, terms, threshold, oof_recall, oof_clean = small_model
    assert (messages, violations) == (len(SMALL), 24)
    docs = [(c != "clean", c, set(_terms(db, t, lang))) for c, lang, t in SMALL]
    vocab = set().union(*(d for _, _, d in docs))
    assert terms == len(vocab)
    tot_v = sum(len(d) for v, _, d in docs if v)
    tot_c = sum(len(d) for v, _, d in docs if not v)
    for term in ("glitzerplan", "zaubersaft", "telefoni", "n1 tal"):
        nv = sum(term in d for v, _, d in docs if v)
        nc = sum(term in d for v, _, d in docs if not v)
        expected = math.log((nv + 0.5) / (tot_v + 0.5 * len(vocab))) - math.log((nc + 0.5) / (tot_c + 0.5 * len(vocab)))
        row = db.execute("SELECT violation_docs, clean_docs, weight FROM salesflow.compliance_scorer_terms WHERE term = %s",
                         (term,)).fetchone()
        assert row is not None, term
        assert (row[0], row[1]) == (nv, nc) and row[2] == pytest.approx(expected, abs=1e-9)
    assert oof_recall > 0.9 and oof_clean >= 0.9  # the made-up patterns are easy to learn


def test_scorer_finds_explains_and_names_the_category(db, small_model):
    # new wording around the learnt terms: no rule knows "Glitzerplan" or "Zipperlein"
    decision, severity, violations = db.execute(
        "SELECT * FROM salesflow.check_compliance(%s, 'de')", ("Probier den Glitzerplan, da kassierst du 500 Taler pro Woche!",)).fetchone()
    scorer = [v for v in violations if v["rule_key"] == "scorer"]
    assert len(scorer) == 1 and decision == "flagged" and severity == "high"
    s = scorer[0]
    assert s["category"] == "income_claim" and s["confidence"] > 0.5
    assert s["top_terms"][0]["weight"] >= s["top_terms"][-1]["weight"] > 0
    assert "glitzerplan" in {t["term"] for t in s["top_terms"]}
    assert "«Glitzerplan»" in s["matched"]  # the words as written, in context
    assert s["explanation"].startswith("Statistische Prüfung (Konfidenz") and s["suggestion"]
    other = db.execute("SELECT violations FROM salesflow.check_compliance(%s, 'en')",
                       ("This Zaubersaft chases the Zipperlein away!",)).fetchone()[0]
    assert [v["category"] for v in other if v["rule_key"] == "scorer"] == ["health_claim"]
    assert other[0]["explanation"].startswith("Statistical check (confidence")
    clean = db.execute("SELECT decision, violations FROM salesflow.check_compliance(%s, 'de')",
                       ("Danke für das Gespräch, wir telefonieren am Termin wegen der Unterlagen.",)).fetchone()
    assert clean == ("allowed", [])


def test_no_model_no_scorer_findings(db):
    db.execute("DELETE FROM salesflow.compliance_scorer_model")
    assert db.execute("SELECT * FROM salesflow.check_compliance('Hallo, wie geht es dir?', 'de')").fetchone() == ("allowed", "none", [])


def test_training_in_a_new_session_prints_no_notice(dsn):
    """The first call of a session has no temp schema yet: no 'pg_temp does not exist' noise."""
    notices = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.add_notice_handler(lambda d: notices.append(d.message_primary))
        conn.execute("SELECT * FROM salesflow.train_compliance_scorer()")
        conn.execute("SELECT * FROM salesflow.train_compliance_scorer()")  # and again in the same session
    assert notices == []


def test_training_refuses_bad_input_and_keeps_the_model(db):
    before = db.execute("SELECT trained_at, threshold FROM salesflow.compliance_scorer_model").fetchone()
    for args in ((0, 0.98), (None, 0.98), (0.3, 1.5), (0.3, None)):
        with pytest.raises(psycopg.Error) as e:
            db.execute("SELECT * FROM salesflow.train_compliance_scorer(%s, %s)", args)
        assert e.value.sqlstate == "22023"
    db.execute("DELETE FROM salesflow.compliance_training_messages WHERE category <> 'clean'")
    with pytest.raises(psycopg.Error) as e:
        db.execute("SELECT * FROM salesflow.train_compliance_scorer()")
    assert e.value.sqlstate == "22023" and "at least 10 violating" in str(e.value)
    assert db.execute("SELECT trained_at, threshold FROM salesflow.compliance_scorer_model").fetchone() == before


def test_cli_train_adds_custom_messages(dsn, db, tmp_path):
    f = tmp_path / "mine.tsv"
    f.write_text("category\tlanguage\ttext\n" + "".join(f"{c}\t{lg}\t{t}\n" for c, lg, t in SMALL[:6] + SMALL[-6:]), encoding="utf-8")
    out = run_cli("compliance", "train", str(f), "--json", "--dsn", dsn)
    assert out.returncode == 0, out.stdout + out.stderr
    data = json.loads(out.stdout)
    shipped = len(_tsv(CORPUS / "dev.tsv"))
    assert data["added"] == 12 and data["messages"] == shipped + 12
    again = json.loads(run_cli("compliance", "train", str(f), "--json", "--dsn", dsn).stdout)
    assert again["added"] == 0 and again["messages"] == shipped + 12
    text = run_cli("compliance", "train", "--clear-custom", "--dsn", dsn)
    assert text.returncode == 0 and "out-of-fold" in text.stdout
    assert db.execute("SELECT count(*) FROM salesflow.compliance_training_messages WHERE origin = 'custom'").fetchone()[0] == 0
    # a bad file: named error, exit 2, nothing written
    bad = tmp_path / "bad.tsv"
    bad.write_text("category\tlanguage\ttext\nincome_claim\tde\tok\nnot_a_category\tde\tx\n", encoding="utf-8")
    before = db.execute("SELECT count(*), max(trained_at) FROM salesflow.compliance_training_messages, "
                        "salesflow.compliance_scorer_model").fetchone()
    res = run_cli("compliance", "train", str(bad), "--dsn", dsn)
    assert res.returncode == 2 and "bad.tsv:3" in res.stdout + res.stderr and "not_a_category" in res.stdout + res.stderr
    assert db.execute("SELECT count(*), max(trained_at) FROM salesflow.compliance_training_messages, "
                      "salesflow.compliance_scorer_model").fetchone() == before


@pytest.mark.parametrize("text, lang, expected", [
    ("Du verdienst 10.000 im Monat", "de", {"n5", "verdien n5", "n5 im"}),
    ("locker fünfstellig im Monat", "de", {"n5", "lock n5", "n5 im"}),
    ("zehntausend oder 5000 Euro", "de", {"n4", "n4 euro"}),
    ("five grand a month, 40k a year", "en", {"n1", "n4", "n1 n4", "n2k"}),
    ("des isch net schlecht, koa Risiko", "de", {"ist nicht", "nicht schlecht", "kein risiko"}),
    ("Kein Risiko, nicht garantiert", "de", {"kein risiko", "nicht garantiert"}),  # stop words are kept
])
def test_terms_normalise_numbers_dialect_and_keep_negations(db, text, lang, expected):
    assert expected <= set(_terms(db, text, lang))


def test_terms_of_a_disguised_text_equal_the_plain_ones(db):
    assert set(_terms(db, "Unser Produkt h\u0435ilt Krebs")) == set(_terms(db, "Unser Produkt heilt Krebs"))
