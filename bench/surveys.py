"""Benchmark: SIPAS results with bootstrap intervals for a province (issue 12, target < 2 s).

    python bench/surveys.py [--units 200] [--responses 300] [--items 16] [--resamples 1000]
                            [--repeat 5] [--seed 12] [--json]

No database and no Django: the results are pure arithmetic (``cchc.surveys.engine.statistics``).
Synthetic answers are generated with a fixed seed: ``--units`` units with ``--responses``
respondents each, answering ``--items`` items of the 5-point scale grouped into the five factors
of the SIPAS service part (access 3, procedures 4, officials 3, results 3, feedback 3 for 16
items; more items are spread over the same factors). Each unit has its own level of
satisfaction and each respondent a mood, so answers are correlated within a respondent as in
real forms; about 5 % of answers are blank or "not applicable".

One run is the full results computation: every unit's item shares and distributions, factor and
overall indices, the percentile bootstrap (``--resamples`` replicates over respondents) for the
index and each factor, then the ranking with the minimum number of responses and the overlap
marks. After one warm-up, ``--repeat`` runs are timed; p50 and max of the wall time are printed
in ms, with the p50 of the process's CPU time and the machine's load average (on a shared
machine the wall time includes waiting for a core).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from cchc.surveys.engine.statistics import (  # noqa: E402
    IndexConfig,
    ItemMap,
    campaign_results,
    rank_units,
)

TARGET_MS = 2000
SIPAS_FACTORS = (
    ("access", 3),
    ("procedures", 4),
    ("officials", 3),
    ("results", 3),
    ("feedback", 3),
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def item_map(items: int) -> ItemMap:
    factors = [code for code, count in SIPAS_FACTORS for _ in range(count)]
    while len(factors) < items:
        factors.append(SIPAS_FACTORS[len(factors) % len(SIPAS_FACTORS)][0])
    factors = factors[:items]
    return ItemMap(tuple(f"q{n + 1:02d}" for n in range(items)), tuple(factors))


def answers(units: int, responses: int, items: int, seed: int) -> dict[str, np.ndarray]:
    """unit code → respondents × items matrix of levels 1…5, NaN for blank."""
    rng = np.random.default_rng(seed)
    matrices = {}
    for n in range(units):
        quality = rng.uniform(0.55, 0.95)  # the unit's share of satisfied answers, roughly
        mood = rng.normal(0, 0.8, size=(responses, 1))  # a respondent's leaning
        item_bias = rng.normal(0, 0.3, size=(1, items))
        latent = np.log(quality / (1 - quality)) + mood + item_bias
        satisfied = rng.random((responses, items)) < 1 / (1 + np.exp(-latent))
        levels = np.where(
            satisfied,
            rng.choice([4.0, 5.0], p=[0.6, 0.4], size=(responses, items)),
            rng.choice([1.0, 2.0, 3.0], p=[0.15, 0.35, 0.5], size=(responses, items)),
        )
        levels[rng.random((responses, items)) < 0.05] = np.nan
        matrices[f"unit-{n:03d}"] = levels
    return matrices


def run(args) -> dict:
    form = item_map(args.items)
    started = time.perf_counter()
    units = answers(args.units, args.responses, args.items, args.seed)
    log(
        f"  generated {args.units} × {args.responses} × {args.items} answers "
        f"in {time.perf_counter() - started:.1f} s"
    )
    config = IndexConfig(resamples=args.resamples)

    def compute():
        return rank_units(campaign_results(units, form, config, seed=args.seed))

    ranked = compute()  # warm-up
    assert len(ranked) == args.units and all(r.ci_low is not None for r in ranked)
    samples, cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        compute()
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    samples.sort()
    top = ranked[0]
    result = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, {platform.platform()}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "units": args.units,
        "responses_per_unit": args.responses,
        "items": args.items,
        "factors": len(form.factors),
        "resamples": args.resamples,
        "results": {
            "p50_ms": round(statistics.median(samples), 1),
            "max_ms": round(samples[-1], 1),
            # CPU time of this process: the wall time minus waiting for a core on a busy machine
            "cpu_p50_ms": round(statistics.median(cpu), 1),
            "runs": args.repeat,
        },
        "load_average_1min": round(os.getloadavg()[0], 2),
        "first_unit": {
            "unit": top.unit,
            "index": round(top.index, 2),
            "ci": [round(top.ci_low, 2), round(top.ci_high, 2)],
        },
        "target_ms": TARGET_MS,
    }
    log(
        f"  results with intervals: p50 {result['results']['p50_ms']} ms, "
        f"max {result['results']['max_ms']} ms (target < {TARGET_MS} ms)"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--responses", type=int, default=300, help="respondents per unit")
    parser.add_argument("--items", type=int, default=16)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = run(args)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
