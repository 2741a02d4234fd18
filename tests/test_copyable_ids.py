"""`salesflow leads` prints every lead id whole at every terminal width (a cut id cannot be pasted)."""

from __future__ import annotations

import io
import uuid

import pytest
from rich.console import Console

from salesflow_cli.reads import leads_table


@pytest.mark.parametrize("width", [80, 100, 110, 120, 160])
def test_lead_ids_are_never_cut(width):
    rows = [{"lead_id": uuid.uuid4(), "lead_name": "Maximilian Müller-Lüdenscheidt von Hohenzollern",
             "company": "Firma GmbH & Co. KG Unternehmensberatung", "stage": "proposal", "health_score": 82.8,
             "traffic_light": "green", "predicted_conversion": 0.7, "days_since_contact": 3, "bant_light": "green",
             "disg_type": "I", "deal_value": 12345.67} for _ in range(3)]
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(leads_table(rows, width=width))
    out = console.export_text()
    assert all(str(r["lead_id"]) in out for r in rows), out
