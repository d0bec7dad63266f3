"""Batch scoring script for an Azure ML model batch deployment.

`init()` loads the model from AZUREML_MODEL_DIR; `run(mini_batch)` receives a list of CSV file
paths (rows of temperature_c, vibration_mm_s, pressure_bar, age_days with a header) and returns
one line per row: "<file>,<row>,<prediction>,<probability>" (output_action: append_row).
"""

import csv
import os
import sys

_model = None


def init():
    global _model
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    from logreg import LogisticRegression

    _model = LogisticRegression.load(os.environ["AZUREML_MODEL_DIR"])


def run(mini_batch):
    lines = []
    for file in mini_batch:
        with open(file, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            rows = [[float(record[f]) for f in _model.features] for record in reader]
        if not rows:
            continue
        for index, (label, probability) in enumerate(
            zip(_model.predict(rows), _model.probabilities(rows))
        ):
            lines.append(f"{os.path.basename(file)},{index},{label},{probability:.4f}")
    return lines
