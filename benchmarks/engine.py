"""Engine benchmark: a generated form with 500 questions and 1,000 expressions.

Prints load + compile time and the time of one answer update (median, p99), with
incremental re-evaluation (only the dependents of the changed answer) and with full
re-evaluation of every expression, and their ratio. Targets (issue 2): p99 per answer
≤ 1 ms incremental; incremental at least 20x cheaper than full.

    python3 benchmarks/engine.py [--answers 2000] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from typing import Any

from screening.engine import InterviewSession
from screening.forms.compiler import compile_json

QUESTIONS = 500
CALCULATES = 100


def generate_form(seed: int) -> dict[str, Any]:
    """400 answerable questions and 100 calculations; 1,000 expressions in all.

    Each expression reads one or two questions a little earlier in the form, the way skip
    logic in real questionnaires mostly looks back a few questions.
    """
    rng = random.Random(seed)
    items: list[dict[str, Any]] = []
    expressions = 0
    kinds = ["integer", "select_one", "text", "select_multiple", "decimal"]
    for i in range(QUESTIONS):
        name = f"q{i}"
        earlier = [f"q{j}" for j in range(max(0, i - 12), i) if items[j]["type"] != "text"]
        if i % 5 == 4:
            ref = rng.choice(earlier)
            KIND_OF[name] = "calculate"
            items.append({"type": "calculate", "name": name, "calculation": _expr(rng, ref)})
            expressions += 1
            continue
        kind = kinds[i % len(kinds)]
        KIND_OF[name] = kind
        item: dict[str, Any] = {"type": kind, "name": name, "label": {"en": f"Question {i}"}}
        if kind.startswith("select"):
            item["choices"] = "abc"
        if earlier:
            refs = rng.sample(earlier, min(2, len(earlier)))
            item["relevant"] = " or ".join(f"not({_expr(rng, r)})" for r in refs)
            expressions += 1
        if kind in ("integer", "decimal"):
            item["constraint"] = ". >= 0 and . < 1000"
            expressions += 1
        if earlier and i % 2 == 0:
            item["required"] = f"{_expr(rng, rng.choice(earlier))}"
            expressions += 1
        items.append(item)
    # Top up to exactly 1,000 expressions: constraints on text, then more required rules.
    for item in items:
        if expressions >= 1000:
            break
        if item["type"] == "text" and "constraint" not in item:
            item["constraint"] = "string-length(.) < 500"
            expressions += 1
    for index, item in enumerate(items):
        if expressions >= 1000:
            break
        if item["type"] != "calculate" and "required" not in item and index > 0:
            item["required"] = f"${{q{index - 1}}} != ''"
            expressions += 1
    assert expressions == 1000, expressions
    return {
        "id": "bench",
        "version": "1",
        "title": {"en": "Benchmark"},
        "languages": [{"code": "en", "name": "English"}],
        "default_language": "en",
        "choice_lists": {"abc": [{"name": c, "label": {"en": c}} for c in "abc"]},
        "sections": [
            {"name": f"s{k}", "label": {"en": f"Section {k}"}, "items": items[k * 50 : k * 50 + 50]}
            for k in range(QUESTIONS // 50)
        ],
    }


KIND_OF = {}


def _expr(rng: random.Random, ref: str) -> str:
    if KIND_OF.get(ref, "select").startswith("select"):
        return rng.choice(
            [f"selected(${{{ref}}}, 'b')", f"not(selected(${{{ref}}}, 'a'))", f"${{{ref}}} != ''"]
        )
    return rng.choice(
        [
            f"${{{ref}}} > {rng.randint(0, 900)}",
            f"coalesce(${{{ref}}}, 0) + 1 > {rng.randint(0, 5)}",
            f"if(${{{ref}}} != '', 1, 0) = 1",
        ]
    )


def answer_value(rng: random.Random, kind: str) -> object:
    if kind == "integer":
        return rng.randint(0, 999)
    if kind == "decimal":
        return round(rng.uniform(0, 999), 2)
    if kind == "select_one":
        return rng.choice("abc")
    if kind == "select_multiple":
        return sorted(rng.sample("abc", rng.randint(1, 3)))
    return rng.choice(["yes", "no", "some words"])


def time_answers(form, incremental: bool, count: int, seed: int) -> tuple[list[float], int]:
    rng = random.Random(seed)
    session = InterviewSession(form, incremental=incremental)
    timings: list[float] = []
    accepted = 0
    while len(timings) < count:
        visible = session.visible_questions()
        key = rng.choice(visible)
        value = answer_value(rng, form.nodes[key].kind)
        start = time.perf_counter()
        result = session.answer(key, value)
        timings.append(time.perf_counter() - start)
        accepted += bool(result)
    return timings, accepted


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    args = parser.parse_args()

    text = json.dumps(generate_form(args.seed))
    loads = []
    for _ in range(7):
        start = time.perf_counter()
        form = compile_json(text, "bench.json")
        loads.append(time.perf_counter() - start)
    targets = len(form.graph.order)
    inc, inc_ok = time_answers(form, True, args.answers, args.seed)
    full, full_ok = time_answers(form, False, max(200, args.answers // 10), args.seed)
    ms = 1000.0
    rows = [
        ("load + compile (500 q, 1,000 expr)", statistics.median(loads) * ms, max(loads) * ms),
        ("answer update, incremental", statistics.median(inc) * ms, percentile(inc, 99) * ms),
        (
            "answer update, full re-evaluation",
            statistics.median(full) * ms,
            percentile(full, 99) * ms,
        ),
    ]
    print(
        f"engine benchmark: {targets} graph targets; {len(inc)} incremental answers "
        f"({inc_ok} accepted), {len(full)} full-re-evaluation answers ({full_ok} accepted)"
    )
    print()
    print(f"| {'measure':<38} | {'median ms':>10} | {'p99 ms':>10} |")
    print(f"|{'-' * 40}|{'-' * 12}|{'-' * 12}|")
    for label, median, p99 in rows:
        print(f"| {label:<38} | {median:>10.3f} | {p99:>10.3f} |")
    ratio_median = statistics.median(full) / statistics.median(inc)
    ratio_p99 = percentile(full, 99) / percentile(inc, 99)
    print()
    print(
        f"full / incremental: {ratio_median:.1f}x at the median, {ratio_p99:.1f}x at p99 "
        "(target ≥ 20x)"
    )
    p99_ms = percentile(inc, 99) * ms
    verdict = "meets" if p99_ms <= 1.0 else "misses"
    print(f"incremental p99 {p99_ms:.3f} ms per answer: {verdict} the 1 ms target")
    if args.json:
        figures = {
            "p99_ms": round(p99_ms, 4),
            "median_ms": round(statistics.median(inc) * ms, 4),
            "full_over_incremental": round(ratio_median, 2),
            "full_over_incremental_p99": round(ratio_p99, 2),
            "load_ms": round(statistics.median(loads) * ms, 2),
        }
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
