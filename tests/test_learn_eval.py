"""salesflow.evaluate_conversion_model / `salesflow learn eval`: the win probability measured on
closed leads it did not learn from, checked against an independent Python naive Bayes on the same
split (the split is a hash of the lead id, reproduced here through SQL)."""

from __future__ import annotations

import json
import math
import random
import uuid
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
    the case naive Bayes is overconfident on). The ids are drawn from the seeded generator too, so the
    hash split is the same on every run (with random ids, calibration beat the raw model's log loss on
    most splits but not all, and the test flaked)."""
    rnd = random.Random(7)
    rep = make_user(db, make_team(db), role="rep", name="lena-learn")
    rows = []
    for i in range(600):
        source = rnd.choice(("website", "referral", "event"))
        industry = {"website": "retail", "referral": "health", "event": rnd.choice(("retail", "health"))}[source]
        p = {"website": 0.15, "referral": 0.6, "event": 0.35}[source]
        stage = "won" if rnd.random() < p else "lost"
        country = rnd.choice(("DE", "AT", "CH"))
        lead_id = uuid.UUID(int=rnd.getrandbits(128), version=4)
        rows.append((lead_id, rep, f"Lead {i}", source, industry, country, rnd.choice(("de", "en")), stage))
    with db.cursor() as cur:
        cur.executemany(
            "INSERT INTO salesflow.leads (id, user_id, name, source, industry, country, language, stage) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
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


def _python_bins(preds):
    """Quintiles by prediction, equal predictions kept together in the bin of their middle rank."""
    groups = {}
    for p, y in preds:
        g = groups.setdefault(round(p, 12), [0, 0])
        g[0] += 1
        g[1] += y
    bins, below, total = {}, 0, len(preds)
    for p in sorted(groups):
        n, won = groups[p]
        b = bins.setdefault(min(5, math.floor(5 * (below + n / 2) / total) + 1), [0, 0.0, 0])
        b[0] += n
        b[1] += n * p
        b[2] += won
        below += n
    return [{"bin": k, "leads": n, "predicted": sp / n, "observed": w / n} for k, (n, sp, w) in sorted(bins.items())]


def test_metrics_equal_an_independent_computation(db, closed):
    rows = {r[0]: r for r in db.execute("SELECT * FROM salesflow.evaluate_conversion_model(30)").fetchall()}
    assert set(rows) == {"base_rate", "naive_bayes", "calibrated"}
    preds, base, n_train, _ = _python_nb(db, 30)
    model, train, test, auc, log_loss, brier, bins = rows["naive_bayes"]
    assert (train, test) == (n_train, len(preds)) and train + test == 600 and 120 < test < 240
    assert auc == pytest.approx(_auc(preds), abs=1e-9)
    assert log_loss == pytest.approx(_log_loss(preds), abs=1e-9)
    assert brier == pytest.approx(sum((p - y) ** 2 for p, y in preds) / len(preds), abs=1e-9)
    assert auc > 0.6  # source really carries the signal (about 0.68; the split is random)
    base_row = rows["base_rate"]
    assert base_row[3] == pytest.approx(0.5) and base_row[4] == pytest.approx(_log_loss([(base, y) for _, y in preds]), abs=1e-9)
    # quintiles: every held-out lead once, in order of the prediction, observed = their win rate
    # (SQL rounds to 4 places half away from zero, Python floats would round 0.28125 down: compare
    # within half a step of the fourth place instead)
    expected = _python_bins(preds)
    assert [(b["bin"], b["leads"]) for b in bins] == [(b["bin"], b["leads"]) for b in expected]
    for got, want in zip(bins, expected):
        assert got["predicted"] == pytest.approx(want["predicted"], abs=5.1e-5)
        assert got["observed"] == pytest.approx(want["observed"], abs=5.1e-5)
    assert sum(b["leads"] for b in bins) == test and len(bins) >= 3
    # calibration is a monotone map: it keeps the order (AUC), and here it improves the log loss
    cal = rows["calibrated"]
    assert cal[3] == pytest.approx(auc, abs=0.01) and cal[4] < log_loss


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
    assert {r["model"] for r in data} == {"base_rate", "naive_bayes", "calibrated"} and 200 < data[0]["test_leads"] < 400
    assert CliRunner().invoke(cli, ["learn", "eval", "--test-percent", "0", "--dsn", dsn]).exit_code == 2


def test_calibration_recovers_a_known_probability(db):
    """Synthetic truth: P(won) depends only on the source (10 / 30 / 60 %), but industry and
    country copy the source, so naive Bayes counts the same evidence three times and is far too
    sure. After learning, predict_conversion must be within a few points of the true probability
    and the held-out reliability bins within a few points of what happened."""
    rnd = random.Random(11)
    team = make_team(db)
    rep = make_user(db, team, role="rep", name="cal-rep")
    truth = {"website": 0.1, "event": 0.3, "referral": 0.6}
    copy = {"website": ("retail", "DE"), "event": ("health", "AT"), "referral": ("finance", "CH")}
    rows = []
    for i in range(3000):
        source = rnd.choice(list(truth))
        stage = "won" if rnd.random() < truth[source] else "lost"
        rows.append((rep, f"C{i}", source, copy[source][0], copy[source][1], "de", stage))
    for source in truth:  # one open lead per source to ask about
        rows.append((rep, f"open-{source}", source, copy[source][0], copy[source][1], "de", "new"))
    # seeded ids: the hash split and the folds follow the ids, so the test is reproducible
    rows = [(uuid.UUID(int=rnd.getrandbits(128), version=4),) + r for r in rows]
    with db.cursor() as cur:
        cur.executemany("INSERT INTO salesflow.leads (id, user_id, name, source, industry, country, language, stage) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)", rows)
    db.execute("SELECT salesflow.learn_success_patterns()")
    fits = db.execute("SELECT team_id, slope, closed_leads FROM salesflow.conversion_calibration ORDER BY team_id NULLS FIRST").fetchall()
    assert [(t, n) for t, _, n in fits] == [(None, 3000), (team, 3000)]
    assert all(0.2 < s < 0.5 for _, s, _ in fits), fits  # about 1/3: the evidence was counted three times
    for source, p_true in truth.items():
        lead = db.execute("SELECT id FROM salesflow.leads WHERE name = %s", (f"open-{source}",)).fetchone()[0]
        p = float(db.execute("SELECT probability FROM salesflow.predict_conversion(%s)", (lead,)).fetchone()[0])
        assert abs(p - p_true) < 0.04, (source, p, p_true)
    raw_b = next(r for r in db.execute("SELECT * FROM salesflow.evaluate_conversion_model(30)").fetchall()
                 if r[0] == "naive_bayes")[6]
    cal = {r[0]: r for r in db.execute("SELECT * FROM salesflow.evaluate_conversion_model(30)").fetchall()}
    assert max(abs(b["predicted"] - b["observed"]) for b in raw_b) > 0.1  # the raw model really is off
    # ~300 held-out leads a bin: the observed rate alone is +-3 points noisy
    gaps = [round(abs(b["predicted"] - b["observed"]), 3) for b in cal["calibrated"][6]]
    assert max(gaps) < 0.06, gaps
    assert cal["calibrated"][4] < cal["base_rate"][4] < cal["naive_bayes"][4]
    # the view shows the same calibrated number, never 0 or 1
    db.execute("SELECT * FROM salesflow.refresh_all_ki_views()")
    shown = db.execute("SELECT min(predicted_conversion), max(predicted_conversion) FROM salesflow.view_leads_scored").fetchone()
    assert 0.05 < float(shown[0]) and float(shown[1]) < 0.7


def test_probabilities_stay_inside_the_clamp(db):
    """Perfectly separated history: the calibrated probability is kept off 0 % and 100 %."""
    assert db.execute("SELECT salesflow.calibrated_probability(1e6, 1, 0), salesflow.calibrated_probability(-1e6, 1, 0), "
                      "salesflow.calibrated_probability(0, NULL, NULL)").fetchone() == (0.999, 0.001, 0.5)
    assert db.execute("SELECT * FROM salesflow.fit_platt('{}', '{}', '{}')").fetchone() == (1.0, 0.0)
    # a logit that ranks backwards is not trusted: slope 0, the smoothed base rate
    slope, intercept = db.execute("SELECT * FROM salesflow.fit_platt('{-2, 2}', '{40, 10}', '{10, 40}')").fetchone()
    assert slope == 0 and intercept == pytest.approx(math.log(51 / 51), abs=1e-6)
