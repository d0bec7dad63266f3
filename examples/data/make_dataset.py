"""Generate the example data set: machine_failures.csv.

A binary classification problem: will a machine fail within the next week, from four
sensor readings on very different scales (so standardisation in training matters).
The label is drawn from a known logistic model, so the best achievable accuracy is known
(printed at the end) and the tests can hold the trained model to it.

Deterministic: the same seed always writes the same bytes. Run from anywhere:
    python make_dataset.py [--output machine_failures.csv] [--rows 400] [--seed 20240611]
"""

import argparse
import csv
import math
import random
from pathlib import Path

FEATURES = ("temperature_c", "vibration_mm_s", "pressure_bar", "age_days")
LABEL = "failure"

# The true model, on standardised features: z = (x - centre) / spread.
CENTRES = {"temperature_c": 72.0, "vibration_mm_s": 4.0, "pressure_bar": 6.0, "age_days": 900.0}
SPREADS = {"temperature_c": 8.0, "vibration_mm_s": 1.5, "pressure_bar": 1.2, "age_days": 500.0}
WEIGHTS = {"temperature_c": 1.6, "vibration_mm_s": 2.2, "pressure_bar": -1.1, "age_days": 1.3}
BIAS = -0.4

# A few cells are left empty, as real sensor exports have; prep drops those rows.
MISSING_EVERY = 67


def true_probability(row):
    z = sum(WEIGHTS[f] * (row[f] - CENTRES[f]) / SPREADS[f] for f in FEATURES)
    return 1.0 / (1.0 + math.exp(-(BIAS + z)))


def generate(rows, seed):
    rng = random.Random(seed)
    records = []
    for index in range(rows):
        row = {f: rng.gauss(CENTRES[f], SPREADS[f]) for f in FEATURES}
        row["age_days"] = max(1.0, row["age_days"])
        probability = true_probability(row)
        row[LABEL] = 1 if rng.random() < probability else 0
        row["_p"] = probability
        row["_missing"] = FEATURES[index % len(FEATURES)] if index % MISSING_EVERY == MISSING_EVERY - 1 else None
        records.append(row)
    return records


def write_csv(records, path):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*FEATURES, LABEL])
        for row in records:
            cells = ["" if row["_missing"] == f else f"{row[f]:.2f}" for f in FEATURES]
            writer.writerow([*cells, row[LABEL]])


def bayes_accuracy(records):
    """Expected accuracy of the true model: the ceiling any classifier can reach."""
    return sum(max(r["_p"], 1.0 - r["_p"]) for r in records) / len(records)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(Path(__file__).with_name("machine_failures.csv")))
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--seed", type=int, default=20240611)
    args = parser.parse_args(argv)
    if args.rows < 10:
        parser.error("--rows must be at least 10")
    records = generate(args.rows, args.seed)
    write_csv(records, args.output)
    positives = sum(r[LABEL] for r in records)
    majority = max(positives, len(records) - positives) / len(records)
    print(f"wrote {len(records)} rows to {args.output}: {positives} failures, "
          f"majority-class accuracy {majority:.3f}, Bayes accuracy {bayes_accuracy(records):.3f}")


if __name__ == "__main__":
    main()
