"""The charts of `salesflow report`: Vega-Lite specs rendered to inline SVG by vl-convert.

Why this library (measured, issue 12): plotly with its JavaScript embedded is ~4.8 MB per file;
Vega-Lite with vega-embed inlined (vl-convert's JavaScript bundle) ~0.9 MB; a matplotlib SVG ~10 KB
per chart but every chart hand-drawn axis by axis. vl-convert renders a declarative Vega-Lite spec
to SVG in-process (a bundled Deno/V8, no browser, no network: `allowed_base_urls=[]`), so the
report gets Vega-Lite's chart grammar (scales, axes, legends, stacking, locale-aware numbers via
format_locale de-DE/en-US) at matplotlib's size — about 7-15 KB per chart, no JavaScript in the
file at all, nothing fetched when it is opened, and the SVG's viewBox lets CSS scale it to a
phone's width. What it costs: no hover tooltips (the numbers are printed on the bars and the
key figures sit above the charts), and an 84 MB wheel at install time.

Every label from the database (rep names, sources) goes into the spec as data; vega escapes text
when it writes SVG (tests/test_report_html.py checks a lead and a rep named <script>…).
"""

from __future__ import annotations

from typing import Any, Optional

from . import i18n

WIDTH = 420  # px in the SVG's viewBox; CSS scales it to the column (a phone: ~330 px)
HEIGHT = 220
COLORS = {"green": "#2e7d32", "yellow": "#f9a825", "red": "#c62828", "none": "#9e9e9e",
          "allowed": "#2e7d32", "flagged": "#ef6c00", "blocked": "#c62828", "in": "#00838f", "out": "#5c6bc0"}
BAR = "#1565c0"

_CONFIG = {
    # the generic family: vl-convert measures label widths with its own sans-serif, and a browser's
    # sans-serif has about the same metrics, so long labels are not clipped at the SVG's edge
    "font": "sans-serif",
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 140},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
    "view": {"stroke": None},
    "background": "white",
}


def _week_label(week: str, lang: str) -> str:
    """'2026-11-09' -> 'KW 46' / 'W46' (ISO week of that Monday)."""
    import datetime as dt

    n = dt.date.fromisoformat(week).isocalendar().week
    return f"{i18n.say('week short', lang)} {n}" if lang == "de" else f"{i18n.say('week short', lang)}{n}"


def _base(data: list[dict], **extra: Any) -> dict:
    return {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "width": WIDTH, "height": HEIGHT,
            "data": {"values": data}, "config": _CONFIG, "padding": {"left": 12, "right": 12, "top": 6, "bottom": 6},
            **extra}


def _bar_with_labels(data, x: dict, y: dict, label: str, color: Any = BAR, horizontal: bool = False) -> dict:
    """Bars with their number printed at the end (the report has no tooltips)."""
    bar = {"mark": {"type": "bar", "color": color} if isinstance(color, str) else {"type": "bar"},
           "encoding": {"x": x, "y": y, **({} if isinstance(color, str) else {"color": color})}}
    text = {"mark": {"type": "text", "fontSize": 12,
                     **({"align": "left", "dx": 3} if horizontal else {"baseline": "bottom", "dy": -2})},
            "encoding": {"x": x, "y": y, "text": {"field": label}}}
    return _base(data, layer=[bar, text])


def funnel(rows: list[dict], lang: str) -> Optional[dict]:
    """Leads that reached each stage (new … proposal, then won), with the step's conversion rate."""
    if not rows or not any(r["reached"] for r in rows):
        return None
    data = [{"stage": i18n.name("stage", r["from_stage"], lang), "n": int(r["reached"]), "ord": i,
             "label": f"{int(r['reached'])} · {float(r['conversion_rate'] or 0) * 100:.0f}% →"}
            for i, r in enumerate(rows)]
    last = rows[-1]
    data.append({"stage": i18n.name("stage", last["to_stage"], lang), "n": int(last["converted"]), "ord": len(rows),
                 "label": str(int(last["converted"]))})
    return _bar_with_labels(
        data, {"field": "n", "type": "quantitative", "title": i18n.say("reached", lang), "axis": {"tickCount": 5}},
        {"field": "stage", "type": "nominal", "sort": {"field": "ord"}, "title": None}, "label", horizontal=True)


def pipeline(sales: dict, lang: str) -> Optional[dict]:
    stages = sales.get("pipeline_by_stage") or []
    if not any(s["leads"] for s in stages):
        return None
    data = [{"stage": i18n.name("stage", s["stage"], lang), "value": float(s["value"] or 0), "ord": i,
             "label": f"{s['leads']} {i18n.say('leads', lang)}"} for i, s in enumerate(stages)]
    return _bar_with_labels(
        data, {"field": "stage", "type": "nominal", "sort": {"field": "ord"}, "title": None, "axis": {"labelAngle": 0}},
        {"field": "value", "type": "quantitative", "title": i18n.say("value", lang), "axis": {"format": ",.0f"}}, "label")


def won_per_week(sales: dict, lang: str) -> Optional[dict]:
    weeks = sales.get("weeks") or []
    if not weeks:
        return None
    data = [{"week": _week_label(w["week"], lang), "value": float(w["won_value"] or 0), "ord": i,
             "label": str(w["won_count"]) if w["won_count"] else ""} for i, w in enumerate(weeks)]
    return _bar_with_labels(
        data, {"field": "week", "type": "ordinal", "sort": {"field": "ord"}, "title": None, "axis": {"labelAngle": 0}},
        {"field": "value", "type": "quantitative", "title": i18n.say("won value", lang), "axis": {"format": ",.0f"}},
        "label", color=COLORS["green"])


def activity_per_week(sales: dict, lang: str) -> Optional[dict]:
    weeks = sales.get("weeks") or []
    if not weeks:
        return None
    names = {"out": i18n.say("outbound", lang), "in": i18n.say("inbound", lang)}
    data = [{"week": _week_label(w["week"], lang), "ord": i, "direction": names[d], "n": int(w[key])}
            for i, w in enumerate(weeks) for d, key in (("out", "outbound"), ("in", "inbound"))]
    return _base(data, mark="bar", encoding={
        "x": {"field": "week", "type": "ordinal", "sort": {"field": "ord"}, "title": None, "axis": {"labelAngle": 0}},
        "y": {"field": "n", "type": "quantitative", "stack": "zero", "title": i18n.say("activities", lang)},
        "color": {"field": "direction", "type": "nominal", "title": None,
                  "scale": {"domain": [names["out"], names["in"]], "range": [COLORS["out"], COLORS["in"]]}},
    })


def disg(rows: list[dict], lang: str) -> Optional[dict]:
    rows = [r for r in rows or [] if r.get("disg_type")]
    if not rows:
        return None
    data = [{"type": r["disg_type"], "rate": float(r["conversion_rate"] or 0),
             "label": f"{float(r['conversion_rate'] or 0) * 100:.0f}% · {r['leads']} {i18n.say('leads', lang)}"}
            for r in rows]
    return _bar_with_labels(
        data, {"field": "type", "type": "nominal", "title": i18n.say("disg type", lang), "axis": {"labelAngle": 0}},
        {"field": "rate", "type": "quantitative", "title": i18n.say("win rate", lang), "axis": {"format": ".0%"}},
        "label", color="#6a1b9a")


def health(sales: dict, lang: str) -> Optional[dict]:
    hd = sales.get("health_distribution") or {}
    if not sum(hd.get(k, 0) for k in ("green", "yellow", "red", "none")):
        return None
    keys = [k for k in ("green", "yellow", "red", "none") if k != "none" or hd.get("none")]
    names = [i18n.name("light", k, lang) for k in keys]
    data = [{"light": n, "n": int(hd.get(k, 0)), "label": str(hd.get(k, 0))} for k, n in zip(keys, names)]
    return _bar_with_labels(
        data, {"field": "light", "type": "nominal", "sort": names, "title": None, "axis": {"labelAngle": 0}},
        {"field": "n", "type": "quantitative", "title": i18n.say("open leads", lang)}, "label",
        color={"field": "light", "type": "nominal", "legend": None,
               "scale": {"domain": names, "range": [COLORS[k] for k in keys]}})


def compliance(kpis: dict, lang: str) -> Optional[dict]:
    weeks = kpis.get("weeks") or []
    if not weeks:
        return None
    kinds = ("allowed", "flagged", "blocked")
    names = [i18n.name("decision", k, lang) for k in kinds]
    data = [{"week": _week_label(w["week"], lang), "ord": i, "decision": n, "n": int((w.get("decisions") or {}).get(k, 0))}
            for i, w in enumerate(weeks) for k, n in zip(kinds, names)]
    return _base(data, mark="bar", encoding={
        "x": {"field": "week", "type": "ordinal", "sort": {"field": "ord"}, "title": None, "axis": {"labelAngle": 0}},
        "y": {"field": "n", "type": "quantitative", "stack": "zero", "title": i18n.say("checks", lang),
              "axis": {"tickMinStep": 1}},
        "color": {"field": "decision", "type": "nominal", "title": None,
                  "scale": {"domain": names, "range": [COLORS[k] for k in kinds]}},
    })


def reps(sales: dict, lang: str) -> Optional[dict]:
    rows = [r for r in sales.get("activities_by_rep") or [] if r["activities"]]
    if len(rows) < 2:
        return None
    data = [{"rep": r["display_name"], "n": int(r["activities"]), "label": str(r["activities"])} for r in rows]
    return _bar_with_labels(
        data, {"field": "n", "type": "quantitative", "title": i18n.say("activities", lang)},
        {"field": "rep", "type": "nominal", "sort": "-x", "title": None}, "label", horizontal=True)


def render_svg(spec: dict, lang: str) -> str:
    """The spec as one SVG element (numbers in the report's language; no URL may be loaded)."""
    import vl_convert as vlc

    locale = "de-DE" if lang == "de" else "en-US"
    svg = vlc.vegalite_to_svg(spec, format_locale=locale, time_format_locale=locale, allowed_base_urls=[])
    # the SVG document's own prologue does not belong inside HTML
    return svg[svg.index("<svg"):]


def all_charts(data: dict, lang: str) -> list[tuple[str, str, Optional[str]]]:
    """(id, title, svg or None when there is nothing to draw) for every chart of the report."""
    sales = (data.get("kpis") or {}).get("sales") or {}
    specs = [
        ("funnel", i18n.say("funnel", lang), funnel(data.get("funnel") or [], lang)),
        ("pipeline", i18n.say("pipeline by stage", lang), pipeline(sales, lang)),
        ("won", i18n.say("won per week", lang), won_per_week(sales, lang)),
        ("activity", i18n.say("activity per week", lang), activity_per_week(sales, lang)),
        ("reps", i18n.say("activities by rep", lang), reps(sales, lang)),
        ("disg", i18n.say("disg insights", lang), disg(data.get("insights") or [], lang)),
        ("health", i18n.say("health distribution", lang), health(sales, lang)),
        ("compliance", i18n.say("compliance decisions", lang), compliance(data.get("kpis") or {}, lang)),
    ]
    out = []
    for cid, title, spec in specs:
        if cid == "reps" and spec is None:
            continue  # one rep: the chart would repeat the key figures
        out.append((cid, title, None if spec is None else render_svg(spec, lang)))
    return out
