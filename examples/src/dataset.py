"""Reading the example CSV: the one place that knows its columns and how rows are cleaned."""

import csv
import math
import os
import random

LABEL = "failure"


class DataError(ValueError):
    """The data cannot be used as given; the message says what and where."""


def read_csv(path):
    """Read a CSV into (feature names, rows of float features, int labels, dropped row count).

    Rows with an empty or non-numeric cell are dropped (counted), not guessed: the
    example data has a few such rows on purpose.
    """
    try:
        handle = open(path, newline="", encoding="utf-8")
    except OSError as error:
        raise DataError(f"cannot read the data file {path}: {error.strerror}") from error
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            raise DataError(f"{path} is empty: expected a header row with the feature columns and '{LABEL}'")
        header = [name.strip() for name in header]
        if LABEL not in header:
            raise DataError(f"{path} has no '{LABEL}' column (columns: {', '.join(header)})")
        label_index = header.index(LABEL)
        features = [name for i, name in enumerate(header) if i != label_index]
        rows, labels, dropped = [], [], 0
        for line_number, cells in enumerate(reader, start=2):
            if not cells:
                continue
            if len(cells) != len(header):
                raise DataError(f"{path} line {line_number}: {len(cells)} cells, expected {len(header)}")
            values = [_number(cell) for i, cell in enumerate(cells) if i != label_index]
            label = cells[label_index].strip()
            if any(v is None for v in values) or label == "":
                dropped += 1
                continue
            if label not in ("0", "1"):
                raise DataError(f"{path} line {line_number}: label '{label}' is not 0 or 1")
            rows.append(values)
            labels.append(int(label))
    if not rows:
        raise DataError(f"{path} has no complete rows")
    return features, rows, labels, dropped


def write_csv(path, features, rows, labels):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([*features, LABEL])
        for values, label in zip(rows, labels):
            writer.writerow([*(repr(v) for v in values), label])


def _number(cell):
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def split(rows, labels, test_fraction, seed):
    """Stratified, seeded split into (train rows, train labels, test rows, test labels):
    each class is shuffled on its own and the same fraction of it held out."""
    if not 0.0 < test_fraction < 1.0:
        raise DataError(f"test_fraction must be between 0 and 1 (exclusive), got {test_fraction}")
    rng = random.Random(seed)
    train, test = [], []
    for cls in sorted(set(labels)):
        members = [i for i, label in enumerate(labels) if label == cls]
        rng.shuffle(members)
        held_out = round(len(members) * test_fraction)
        if len(members) > 1:
            held_out = min(max(held_out, 1), len(members) - 1)
        test.extend(members[:held_out])
        train.extend(members[held_out:])
    train.sort()
    test.sort()
    if not test or not train:
        raise DataError(f"{len(rows)} rows are too few to hold out {test_fraction:.0%} for testing")
    return ([rows[i] for i in train], [labels[i] for i in train],
            [rows[i] for i in test], [labels[i] for i in test])


def resolve_csv(path, preferred=None):
    """A CSV file given as itself or as a folder (an Azure ML uri_folder input) holding
    `preferred` or exactly one .csv file."""
    if os.path.isfile(path):
        return path
    if not os.path.isdir(path):
        raise DataError(f"no such file or folder: {path}")
    if preferred and os.path.isfile(os.path.join(path, preferred)):
        return os.path.join(path, preferred)
    found = sorted(name for name in os.listdir(path) if name.lower().endswith(".csv"))
    if len(found) != 1:
        wanted = f"{preferred} or exactly one .csv file" if preferred else "exactly one .csv file"
        raise DataError(f"{path} should hold {wanted}; found: {', '.join(found) or 'none'}")
    return os.path.join(path, found[0])
