"""salesflow.countries / country_aliases: the committed data file is what the generator makes, and the
deployed rows answer what imports ask (language, main zone, free-text country names)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import REPO

SCRIPT = REPO / "scripts" / "make_country_data.py"


def test_committed_countries_sql_is_what_the_script_generates():
    pytest.importorskip("babel")
    spec = importlib.util.spec_from_file_location("make_country_data", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = (REPO / "sql" / "data" / "countries.sql").read_text(encoding="utf-8")
    assert committed == module.render(), "stale: run python scripts/make_country_data.py"


def test_dach_speak_german_in_their_zones(db):
    rows = db.execute("SELECT code, language, timezone FROM salesflow.countries WHERE code IN ('DE', 'AT', 'CH', 'US', 'GB')"
                      " ORDER BY code").fetchall()
    assert rows == [("AT", "de", "Europe/Vienna"), ("CH", "de", "Europe/Zurich"), ("DE", "de", "Europe/Berlin"),
                    ("GB", "en", "Europe/London"), ("US", "en", "America/New_York")]
    german = {r[0] for r in db.execute("SELECT code FROM salesflow.countries WHERE language = 'de'")}
    assert german == {"DE", "AT", "CH", "LI", "LU"}
    assert db.execute("SELECT count(*) FROM salesflow.countries").fetchone()[0] > 240


@pytest.mark.parametrize("spelling,code", [
    ("Deutschland", "DE"), ("Germany", "DE"), ("deu", "DE"), ("Österreich", "AT"), ("oesterreich", "AT"),
    ("Schweiz", "CH"), ("Switzerland", "CH"), ("che", "CH"), ("USA", "US"), ("United States", "US"),
    ("UK", "GB"), ("Great Britain", "GB"), ("England", "GB"), ("gbr", "GB"), ("Vereinigte Staaten", "US"),
])
def test_aliases_resolve(db, spelling, code):
    found = db.execute("SELECT code FROM salesflow.country_aliases WHERE alias = lower(btrim(%s))", (spelling,)).fetchone()
    assert found == (code,)


def test_sales_roles_may_read_countries(db):
    for table in ("countries", "country_aliases"):
        assert db.execute("SELECT has_table_privilege('salesflow_rep', %s, 'SELECT')", (f"salesflow.{table}",)).fetchone()[0]
