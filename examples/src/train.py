"""Step 2: train the logistic regression and save it as an MLflow-style model folder.

    python train.py --data out/prepared --model_dir out/model --learning_rate 0.3 --epochs 300

`--data` is either prep's output folder (train.csv, and test.csv for validation) or a raw
CSV file, which is then cleaned and split here the way prep.py does it (the command job
and the sweep train straight from the shipped CSV).
"""

import argparse
import os
import sys

from dataset import DataError, read_csv, resolve_csv, split
from logreg import LogisticRegression
from tracking import Tracking


def _bounded(kind, low, low_inclusive):
    def parse(text):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not {'an integer' if kind is int else 'a number'}"
            ) from None
        if value < low or (value == low and not low_inclusive):
            raise argparse.ArgumentTypeError(f"{text} must be {'>=' if low_inclusive else '>'} {low}")
        return value

    return parse


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Train a logistic regression by gradient descent.")
    parser.add_argument("--data", required=True, help="prep's output folder, or a raw CSV file")
    parser.add_argument("--model_dir", required=True, help="output folder for model.json and MLmodel")
    parser.add_argument("--learning_rate", type=_bounded(float, 0.0, False), default=0.3)
    parser.add_argument("--epochs", type=_bounded(int, 1, True), default=300)
    parser.add_argument("--reg", type=_bounded(float, 0.0, True), default=0.001, help="L2 strength")
    parser.add_argument("--test_fraction", type=float, default=0.25, help="held out when --data is a raw CSV")
    parser.add_argument("--seed", type=int, default=7, help="split seed when --data is a raw CSV")
    parser.add_argument("--checkpoints", type=_bounded(int, 1, True), default=10,
                        help="how many times during training to log train_loss and accuracy")
    return parser.parse_args(argv)


def load_training_data(data, test_fraction, seed):
    """(features, train rows, train labels, validation rows, validation labels)."""
    if os.path.isdir(data) and os.path.isfile(os.path.join(data, "train.csv")):
        features, rows, labels, _ = read_csv(os.path.join(data, "train.csv"))
        test_file = os.path.join(data, "test.csv")
        if not os.path.isfile(test_file):
            return features, rows, labels, [], []
        test_features, test_rows, test_labels, _ = read_csv(test_file)
        if test_features != features:
            raise DataError(f"{test_file} has columns {test_features}, train.csv has {features}")
        return features, rows, labels, test_rows, test_labels
    features, rows, labels, _ = read_csv(resolve_csv(data))
    return (features, *split(rows, labels, test_fraction, seed))


def accuracy(model, rows, labels):
    return sum(p == y for p, y in zip(model.predict(rows), labels)) / len(labels)


def train(args, tracking):
    features, rows, labels, val_rows, val_labels = load_training_data(args.data, args.test_fraction, args.seed)
    every = max(1, args.epochs // args.checkpoints)

    def report(epoch, model):
        if epoch % every == 0 or epoch == args.epochs:
            metrics = {"train_loss": model.loss(rows, labels, args.reg)}
            if val_rows:  # the sweep's objective, logged as it improves for early termination
                metrics["accuracy"] = accuracy(model, val_rows, val_labels)
            tracking.log_metrics(metrics, step=epoch)

    model = LogisticRegression.fit(features, rows, labels, args.learning_rate, args.epochs, args.reg, report)
    final = {"train_accuracy": accuracy(model, rows, labels), "train_loss": model.loss(rows, labels, args.reg)}
    if val_rows:
        final["accuracy"] = accuracy(model, val_rows, val_labels)
    tracking.log_metrics({"train_accuracy": final["train_accuracy"]})
    hyperparameters = {"learning_rate": args.learning_rate, "epochs": args.epochs, "reg": args.reg}
    model.save(args.model_dir, extra={"training": {**hyperparameters, "rows": len(rows), "metrics": final}})
    return final


def main(argv=None):
    args = parse_args(argv)
    with Tracking() as tracking:
        tracking.log_params({"learning_rate": args.learning_rate, "epochs": args.epochs, "reg": args.reg,
                             "model_type": "logistic_regression"})
        try:
            final = train(args, tracking)
        except DataError as error:
            sys.exit(f"train.py: error: {error}")
    summary = ", ".join(f"{key} {value:.4f}" for key, value in sorted(final.items()))
    print(f"train: {summary} -> {args.model_dir}")


if __name__ == "__main__":
    main()
