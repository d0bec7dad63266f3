"""Step 3: score the held-out data with the trained model and write metrics.json.

    python evaluate.py --model out/model --test_data out/prepared --metrics_output out/metrics

Metrics: accuracy, precision, recall, f1 and auc of the positive class (failure = 1),
accuracy_class_<c> per class (the share of class c predicted right), and the confusion matrix.
"""

import argparse
import json
import os
import sys

from dataset import DataError, read_csv, resolve_csv
from logreg import LogisticRegression
from tracking import Tracking


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Evaluate a trained model on held-out data.")
    parser.add_argument("--model", required=True, help="the model folder train.py wrote")
    parser.add_argument("--test_data", required=True, help="prep's output folder (test.csv), or a CSV file")
    parser.add_argument("--metrics_output", required=True, help="output folder for metrics.json")
    return parser.parse_args(argv)


def classification_metrics(labels, predictions, scores):
    """Binary metrics; a ratio whose denominator is zero is reported as 0.0."""
    tp = sum(1 for y, p in zip(labels, predictions) if y == 1 and p == 1)
    tn = sum(1 for y, p in zip(labels, predictions) if y == 0 and p == 0)
    fp = sum(1 for y, p in zip(labels, predictions) if y == 0 and p == 1)
    fn = sum(1 for y, p in zip(labels, predictions) if y == 1 and p == 0)
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    return {
        "accuracy": _ratio(tp + tn, len(labels)),
        "precision": precision,
        "recall": recall,
        "f1": _ratio(2 * precision * recall, precision + recall),
        "auc": roc_auc(labels, scores),
        "accuracy_class_0": _ratio(tn, tn + fp),
        "accuracy_class_1": _ratio(tp, tp + fn),
    }, [[tn, fp], [fn, tp]]


def roc_auc(labels, scores):
    """Area under the ROC curve as the Mann-Whitney statistic: the chance that a random
    positive scores above a random negative, ties counting half (average ranks)."""
    positives = sum(labels)
    negatives = len(labels) - positives
    if positives == 0 or negatives == 0:
        raise DataError("auc needs both classes in the test data")
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        for k in range(start, end + 1):
            ranks[order[k]] = (start + end) / 2.0 + 1.0
        start = end + 1
    positive_rank_sum = sum(rank for rank, y in zip(ranks, labels) if y == 1)
    return (positive_rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives)


def evaluate(model_path, test_data):
    model = LogisticRegression.load(model_path)
    features, rows, labels, _ = read_csv(resolve_csv(test_data, preferred="test.csv"))
    if features != model.features:
        raise DataError(f"the test data has columns {features}, the model expects {model.features}")
    metrics, confusion = classification_metrics(labels, model.predict(rows), model.probabilities(rows))
    return {
        **metrics,
        "per_class_accuracy": {"0": metrics["accuracy_class_0"], "1": metrics["accuracy_class_1"]},
        "confusion_matrix": {"labels": [0, 1], "rows_actual_columns_predicted": confusion},
        "n_samples": len(labels),
        "threshold": model.threshold,
    }


def main(argv=None):
    args = parse_args(argv)
    with Tracking() as tracking:
        try:
            report = evaluate(args.model, args.test_data)
        except (DataError, ValueError, FileNotFoundError) as error:
            sys.exit(f"evaluate.py: error: {error}")
        tracking.log_metrics({key: value for key, value in report.items() if isinstance(value, float)})
        os.makedirs(args.metrics_output, exist_ok=True)
        with open(os.path.join(args.metrics_output, "metrics.json"), "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2)
            handle.write("\n")
    print("evaluate: " + ", ".join(f"{k} {report[k]:.4f}" for k in ("accuracy", "precision", "recall", "f1", "auc")))


def _ratio(numerator, denominator):
    return numerator / denominator if denominator else 0.0


if __name__ == "__main__":
    main()
