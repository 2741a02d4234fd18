"""`salesflow compliance eval FILE.tsv`: measure the compliance rules on a labelled corpus.

The file: UTF-8, header `category<TAB>language<TAB>text`, one message per line; category is a
compliance category or `clean`. Every message goes through salesflow.check_compliance (the
rules as deployed in this database, your own rules included; nothing is logged). A violation
counts as caught when at least one rule hit is reported (a low-severity hit is still `allowed`,
but the rep sees it); a clean message is clean when no hit is reported.
Per category: recall (caught), the share found under the labelled category, and precision (of
the messages where that category was found, how many carry that label). `--save` keeps the
outcome of every message; `--baseline` compares with a saved run, message by message, so a
team that adds or changes rules sees what the change did.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from . import rpc
from .connection import connect
from .errors import UserError
from .options import Dsn, Json
from .render import console, print_json
from .textinput import check_text

HEADER = ["category", "language", "text"]
_CATEGORY = re.compile(r"[a-z][a-z0-9_]{1,39}")  # as compliance_rules.category
_LIST_MISSES = 40


def read_corpus(path: Path, categories: Optional[set[str]]) -> list[dict]:
    """The labelled messages of a corpus file; a bad line is an error naming it and the fix.
    categories None: any well-formed category name (no database at hand, e.g. `salesflow build`)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise UserError(f"cannot read {path}: {e.strerror}", hint="pass the path of a TSV file") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UserError(f"{path} is not UTF-8 (byte {e.start})", hint="convert it: iconv -f latin1 -t utf-8") from e
    check_text(text, str(path))
    rows = list(csv.reader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or [c.strip().lower() for c in rows[0]] != HEADER:
        raise UserError(f"{path}: the first line must be the header {'<TAB>'.join(HEADER)}",
                        hint="one message per line: category, language (de|en), text, separated by tabs")
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if not r or (len(r) == 1 and not r[0].strip()):
            continue
        if len(r) != 3:
            raise UserError(f"{path}:{n}: expected 3 tab-separated fields, got {len(r)}",
                            hint="category<TAB>language<TAB>text; the text must not contain a tab")
        cat, lang, msg = r[0].strip(), r[1].strip(), r[2].strip()
        if cat != "clean" and (cat not in categories if categories is not None else not _CATEGORY.fullmatch(cat)):
            raise UserError(f"{path}:{n}: unknown category {cat!r}",
                            hint=f"use clean or one of the rules' categories: {', '.join(sorted(categories or ()))}")
        if lang not in ("de", "en"):
            raise UserError(f"{path}:{n}: language must be de or en, got {lang!r}", hint="label each message de or en")
        if not msg:
            raise UserError(f"{path}:{n}: the text is empty", hint="remove the line or add the message")
        out.append({"line": n, "category": cat, "language": lang, "text": msg})
    if not out:
        raise UserError(f"{path} has no messages", hint="add lines category<TAB>language<TAB>text below the header")
    return out


def _ratio(a: int, b: int) -> Optional[float]:
    return round(a / b, 4) if b else None


def measure(messages: list[dict]) -> dict:
    """Recall / clean rate overall, per language, per category and language; misses."""
    groups: dict[tuple[str, str], dict] = defaultdict(lambda: {"n": 0, "caught": 0, "right": 0})
    found_as: dict[str, dict] = defaultdict(lambda: {"found": 0, "right": 0})
    for m in messages:
        g = groups[(m["category"], m["language"])]
        g["n"] += 1
        if m["category"] == "clean":
            g["caught"] += not m["found"]
        else:
            g["caught"] += bool(m["found"])
            g["right"] += m["category"] in m["found"]
        for c in set(m["found"]):
            found_as[c]["found"] += 1
            found_as[c]["right"] += m["category"] == c

    def total(pred) -> dict:
        sel = [v for k, v in groups.items() if pred(k)]
        n, ok = sum(v["n"] for v in sel), sum(v["caught"] for v in sel)
        return {"n": n, "ok": ok, "rate": _ratio(ok, n)}

    categories = sorted({c for c, _ in groups if c != "clean"})
    per_category = []
    for c in categories:
        row = {"category": c}
        for lang in ("de", "en", None):
            sel = [v for (cc, ll), v in groups.items() if cc == c and (lang is None or ll == lang)]
            n, caught, right = (sum(v[k] for v in sel) for k in ("n", "caught", "right"))
            row[lang or "all"] = {"n": n, "recall": _ratio(caught, n), "right_category": _ratio(right, n)}
        row["precision"] = _ratio(found_as[c]["right"], found_as[c]["found"])
        per_category.append(row)
    return {
        "violations": {lang or "all": total(lambda k, lang=lang: k[0] != "clean" and (lang is None or k[1] == lang))
                       for lang in ("de", "en", None)},
        "clean": {lang or "all": total(lambda k, lang=lang: k[0] == "clean" and (lang is None or k[1] == lang))
                  for lang in ("de", "en", None)},
        "per_category": per_category,
        # which layer found it: the rules, or only the statistical scorer
        "by_layer": {kind: {layer: sum(1 for m in messages if (m["category"] == "clean") == (kind == "clean")
                                       and m.get("layers") == layers)
                            for layer, layers in (("rules", ["rules"]), ("scorer_only", ["scorer"]),
                                                  ("both", ["rules", "scorer"]))}
                     for kind in ("violations", "clean")},
        "missed": [m for m in messages if m["category"] != "clean" and not m["found"]],
        "false_positives": [m for m in messages if m["category"] == "clean" and m["found"]],
    }


def _pct(v: Optional[float]) -> str:
    return "–" if v is None else f"{v * 100:.1f}%"


def _compare(result: dict, baseline_path: Path) -> dict:
    try:
        base = json.loads(baseline_path.read_text(encoding="utf-8"))
        before = {(m["category"], m["language"], m["text"]): bool(m["found"]) for m in base["messages"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UserError(f"cannot read the baseline {baseline_path}: {e}",
                        hint="pass a file written by `salesflow compliance eval FILE --save BASELINE.json`") from e
    changed = []
    for m in result["messages"]:
        old = before.get((m["category"], m["language"], m["text"]))
        if old is not None and old != bool(m["found"]):
            good = bool(m["found"]) == (m["category"] != "clean")
            changed.append({**m, "before": "hit" if old else "no hit", "effect": "fixed" if good else "broken"})
    return {"baseline": str(baseline_path), "compared": sum(1 for m in result["messages"]
                                                            if (m["category"], m["language"], m["text"]) in before),
            "changed": changed}


def eval_command(
    file: Annotated[Path, typer.Argument(help="Labelled corpus: category<TAB>language<TAB>text per line, header first.")],
    save: Annotated[Optional[Path], typer.Option("--save", help="Write every message's outcome to this JSON file.")] = None,
    baseline: Annotated[Optional[Path], typer.Option(
        "--baseline", help="A JSON file from an earlier --save: show which messages changed outcome.")] = None,
    dsn: Dsn = None,
    as_json: Json = False,
) -> None:
    """Measure the compliance rules on a labelled corpus: recall and precision per category and language, and the misses."""
    with connect(dsn, autocommit=True, application="salesflow compliance eval") as conn:
        categories = {r[0] for r in conn.execute("SELECT DISTINCT category FROM salesflow.compliance_rules WHERE enabled")}
        messages = read_corpus(file, categories)
        for m in messages:
            r = rpc.check_compliance(conn, text=m["text"], language=m["language"])[0]
            m["decision"] = r["decision"]
            m["found"] = sorted({v["category"] for v in r["violations"]})
            m["layers"] = sorted({"scorer" if v["rule_key"] == "scorer" else "rules" for v in r["violations"]})
    result = measure(messages)
    result["messages"] = messages
    if baseline is not None:
        result["comparison"] = _compare(result, baseline)
    if save is not None:
        save.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if as_json:
        print_json(result)
        return
    _render(result)


def _render(result: dict) -> None:
    v, c = result["violations"], result["clean"]
    console.print(f"violations caught: {v['all']['ok']}/{v['all']['n']} ({_pct(v['all']['rate'])}) — "
                  f"de {_pct(v['de']['rate'])}, en {_pct(v['en']['rate'])}")
    console.print(f"ordinary messages clean: {c['all']['ok']}/{c['all']['n']} ({_pct(c['all']['rate'])}) — "
                  f"de {_pct(c['de']['rate'])}, en {_pct(c['en']['rate'])}")
    b = result["by_layer"]
    console.print(f"found by: rules {b['violations']['rules'] + b['violations']['both']}, the scorer alone "
                  f"{b['violations']['scorer_only']} (of the flagged ordinary messages: rules "
                  f"{b['clean']['rules'] + b['clean']['both']}, the scorer alone {b['clean']['scorer_only']})")
    t = Table("category", "n", "recall", "de", "en", "right cat.", "precision", box=None, pad_edge=False)
    for row in result["per_category"]:
        t.add_row(row["category"], str(row["all"]["n"]), _pct(row["all"]["recall"]), _pct(row["de"]["recall"]),
                  _pct(row["en"]["recall"]), _pct(row["all"]["right_category"]), _pct(row["precision"]))
    console.print(t)
    for title, items in (("missed violations", result["missed"]), ("ordinary messages flagged", result["false_positives"])):
        if items:
            console.print(f"\n{title} ({len(items)}):")
            for m in items[:_LIST_MISSES]:
                found = f" [found: {', '.join(m['found'])}]" if m["found"] else ""
                console.print(f"  {m['line']:>5} {m['category']}/{m['language']}{found}: {m['text']}", markup=False,
                              highlight=False)
            if len(items) > _LIST_MISSES:
                console.print(f"  … {len(items) - _LIST_MISSES} more (--json or --save lists all)")
    comp = result.get("comparison")
    if comp:
        fixed = sum(1 for m in comp["changed"] if m["effect"] == "fixed")
        console.print(f"\nagainst {comp['baseline']} ({comp['compared']} messages in both): "
                      f"{fixed} fixed, {len(comp['changed']) - fixed} broken")
        for m in comp["changed"]:
            console.print(f"  {m['effect']:<6} {m['category']}/{m['language']} {m['before']} → {'hit' if m['found'] else 'no hit'}: {m['text']}",
                          markup=False, highlight=False)
