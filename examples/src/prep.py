"""Step 1: clean the raw CSV and split it into train.csv and test.csv.

    python prep.py --raw_data ../data/machine_failures.csv --prepared_data out/prepared
"""

import argparse
import json
import os
import sys

from dataset import DataError, read_csv, resolve_csv, split, write_csv
from tracking import Tracking


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Clean the raw CSV and split it into train/test.")
    parser.add_argument("--raw_data", required=True, help="the raw CSV (a file, or a folder holding one)")
    parser.add_argument("--prepared_data", required=True, help="output folder for train.csv, test.csv")
    parser.add_argument("--test_fraction", type=float, default=0.25, help="share held out for testing")
    parser.add_argument("--seed", type=int, default=7, help="seed of the shuffle before splitting")
    return parser.parse_args(argv)


def prepare(raw_data, prepared_data, test_fraction, seed):
    """Write the split and return its summary."""
    features, rows, labels, dropped = read_csv(resolve_csv(raw_data))
    train_rows, train_labels, test_rows, test_labels = split(rows, labels, test_fraction, seed)
    os.makedirs(prepared_data, exist_ok=True)
    write_csv(os.path.join(prepared_data, "train.csv"), features, train_rows, train_labels)
    write_csv(os.path.join(prepared_data, "test.csv"), features, test_rows, test_labels)
    summary = {
        "features": features,
        "rows_raw": len(rows) + dropped,
        "rows_dropped": dropped,
        "rows_train": len(train_rows),
        "rows_test": len(test_rows),
        "positive_rate": sum(labels) / len(labels),
    }
    with open(os.path.join(prepared_data, "prep_summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
        handle.write("\n")
    return summary


def main(argv=None):
    args = parse_args(argv)
    with Tracking() as tracking:
        tracking.log_params({"test_fraction": args.test_fraction, "seed": args.seed})
        try:
            summary = prepare(args.raw_data, args.prepared_data, args.test_fraction, args.seed)
        except DataError as error:
            sys.exit(f"prep.py: error: {error}")
        tracking.log_metrics({k: v for k, v in summary.items() if k != "features"})
    print(f"prep: {summary['rows_raw']} rows read, {summary['rows_dropped']} incomplete dropped, "
          f"{summary['rows_train']} train / {summary['rows_test']} test -> {args.prepared_data}")


if __name__ == "__main__":
    main()
