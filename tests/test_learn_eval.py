"""salesflow.evaluate_conversion_model / `salesflow learn eval`: the win probability measured on
closed leads it did not learn from, checked against an independent Python naive Bayes on the same
split (the split is a hash of the lead id, reproduced here through SQL)."""

from __future__ import annotations

import json
import math
import random
from collections import Counter

import psycopg
import pytest
from typer.testing import CliRunner

from salesflow_cli.main import cli
from tests.factories import make_team, make_user

FEATURES = ("source", "first_channel", "industry", "disg_type", "bant_light", "country", "language")


@pytest.fixture
def closed(db):
    """600 closed leads whose win chance depends on source and industry (which move together,
    the case naive Bayes is overconfident on)."""
    rnd = random.Random(7)
    rep = make_user(db, make_team(db), role="rep", name="lena-learn")
    rows = []
    for i in range(600):
        source = rnd.choice(("website", "referral", "event"))
        industry = {"website": "retail", "referral": "health", "event": rnd.choice(("retail", "health"))}[source]
        p = {"website": 0.15, "referral": 0.6, "event": 0.35}[source]
        stage = "won" if rnd.random() < p else "lost"
        country = rnd.choice(("DE", "AT", "CH"))
        rows.append((rep, f"Lead {i}", source, industry, country, rnd.choice(("de", "en")), stage))
    with db.cursor() as cur:
        cur.executemany(
            "INSERT INTO salesflow.leads (user_id, name, source, industry, country, language, stage) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
    return rows


def _python_nb(db, test_percent):
    """The same model in Python: train on the leads outside the hash split, score those inside."""
    leads = db.execute(
        "SELECT (stage = 'won')::int, abs(hashtextextended(l.id::text, 0)) %% 100 < %s, l.source, "
        "coalesce(le.first_channel, 'none'), coalesce(l.industry, 'none'), coalesce(le.disg_type::text, 'none'), "
        "coalesce(le.bant_light, 'none'), coalesce(l.country, 'none'), l.language, l.id "
        "FROM salesflow.leads l LEFT JOIN salesflow.lead_engagement le ON le.lead_id = l.id "
        "WHERE stage IN ('won', 'lost')", (test_percent,)).fetchall()
    train = [r for r in leads if not r[1]]
    test = [r for r in leads if r[1]]
    w = sum(r[0] for r in train)
    l_ = len(train) - w
    counts = [Counter((r[2 + j], r[0]) for r in train) for j in range(len(FEATURES))]
    ks = [len({r[2 + j] for r in train}) + 1 for j in range(len(FEATURES))]
    preds, ids = [], []
    for r in test:
        z = math.log((w + 0.1) / (l_ + 0.1))
        for j in range(len(FEATURES)):
            cw, cl = counts[j][(r[2 + j], 1)], counts[j][(r[2 + j], 0)]
            z += math.log((cw + 0.1) / (w + 0.1 * ks[j])) - math.log((cl + 0.1) / (l_ + 0.1 * ks[j]))
        preds.append((1 / (1 + math.exp(-z)), r[0]))
        ids.append(r[-1])
    return preds, w / (w + l_), len(train), ids


def _auc(preds):
    pos = [p for p, y in preds if y]
    neg = [p for p, y in preds if not y]
    wins = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg)
    return wins / (len(pos) * len(neg))


def _log_loss(preds):
    return -sum(y * math.log(min(max(p, 1e-6), 1 - 1e-6)) + (1 - y) * math.log(1 - min(max(p, 1e-6), 1 - 1e-6))
                for p, y in preds) / len(preds)


def test_metrics_equal_an_independent_computation(db, closed):
    rows = {r[0]: r for r in db.execute("SELECT * FROM salesflow.evaluate_conversion_model(30)").fetchall()}
    assert set(rows) == {"base_rate", "naive_bayes"}
    preds, base, n_train, ids = _python_nb(db, 30)
    model, train, test, auc, log_loss, brier, bins = rows["naive_bayes"]
    assert (train, test) == (n_train, len(preds)) and train + test == 600 and 120 < test < 240
    assert auc == pytest.approx(_auc(preds), abs=1e-9)
    assert log_loss == pytest.approx(_log_loss(preds), abs=1e-9)
    assert brier == pytest.approx(sum((p - y) ** 2 for p, y in preds) / len(preds), abs=1e-9)
    assert auc > 0.6  # source really carries the signal (about 0.68; the split is random)
    base_row = rows["base_rate"]
    assert base_row[3] == pytest.approx(0.5) and base_row[4] == pytest.approx(_log_loss([(base, y) for _, y in preds]), abs=1e-9)
    # quintiles: every held-out lead once, in order of the prediction, observed = their win rate
    assert [b["bin"] for b in bins] == [1, 2, 3, 4, 5] and sum(b["leads"] for b in bins) == test
    assert [b["predicted"] for b in bins] == sorted(b["predicted"] for b in bins)
    # the SQL breaks ties by lead id; rounding keeps float noise from reordering equal predictions
    ordered = [pred for _, _, pred in sorted((round(pred[0], 9), i, pred) for pred, i in zip(preds, ids))]
    first = ordered[:bins[0]["leads"]]
    assert bins[0]["observed"] == pytest.approx(sum(y for _, y in first) / len(first), abs=1e-4)


def test_bad_share_and_no_closed_leads(db):
    for bad in (0, 4, 96, None):
        with pytest.raises(psycopg.Error) as e:
            db.execute("SELECT * FROM salesflow.evaluate_conversion_model(%s)", (bad,))
        assert e.value.sqlstate == "22023"
        db.rollback()
    assert db.execute("SELECT count(*) FROM salesflow.evaluate_conversion_model()").fetchone()[0] == 0


def test_cli(dsn, closed):
    result = CliRunner().invoke(cli, ["learn", "eval", "--dsn", dsn])
    assert result.exit_code == 0, result.output
    assert "naive_bayes" in result.stdout and "reliability" in result.stdout and "held out (30 %)" in result.stdout
    data = json.loads(CliRunner().invoke(cli, ["learn", "eval", "--test-percent", "50", "--json", "--dsn", dsn]).stdout)
    assert {r["model"] for r in data} == {"base_rate", "naive_bayes"} and 200 < data[0]["test_leads"] < 400
    assert CliRunner().invoke(cli, ["learn", "eval", "--test-percent", "0", "--dsn", dsn]).exit_code == 2
