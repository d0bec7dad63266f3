"""Online scoring script for the Azure ML inference server contract.

The server calls `init()` once with AZUREML_MODEL_DIR set to the deployed model's folder,
then `run(raw_data)` per request with the request body:

    {"data": [[temperature_c, vibration_mm_s, pressure_bar, age_days], ...]}

(rows may also be objects keyed by feature name). `run` answers
{"predictions": [0 | 1, ...], "probabilities": [p(failure), ...]}; bad input raises a
ScoringInputError naming what is wrong, which the server reports as a failed request.
"""

import json
import os
import sys

_model = None


class ScoringInputError(ValueError):
    pass


def init():
    global _model
    # The server imports this file by path; make its siblings (logreg.py) importable.
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    from logreg import LogisticRegression

    model_dir = os.environ.get("AZUREML_MODEL_DIR")
    if not model_dir:
        raise RuntimeError("AZUREML_MODEL_DIR is not set: it must name the folder of the deployed model")
    _model = LogisticRegression.load(model_dir)
    print(f"score: loaded a model of {len(_model.features)} features from {model_dir}")


def run(raw_data):
    if _model is None:
        raise RuntimeError("run() called before init()")
    rows = _rows(_parse(raw_data))
    try:
        _model.check_rows(rows)
    except ValueError as error:
        raise ScoringInputError(f"bad input: {error}") from None
    return {"predictions": _model.predict(rows), "probabilities": _model.probabilities(rows)}


def _parse(raw_data):
    if isinstance(raw_data, (bytes, bytearray)):
        raw_data = raw_data.decode("utf-8", errors="replace")
    if isinstance(raw_data, str):
        try:
            raw_data = json.loads(raw_data)
        except json.JSONDecodeError as error:
            raise ScoringInputError(f"bad input: the request body is not JSON ({error})") from None
    if not isinstance(raw_data, dict) or "data" not in raw_data:
        raise ScoringInputError('bad input: expected a JSON object {"data": [[...], ...]}')
    return raw_data["data"]


def _rows(data):
    """Rows as lists in the model's feature order; objects are looked up by feature name."""
    if not isinstance(data, list):
        return data  # check_rows names the problem
    rows = []
    for index, row in enumerate(data):
        if isinstance(row, dict):
            missing = [f for f in _model.features if f not in row]
            if missing:
                raise ScoringInputError(f"bad input: row {index} lacks {', '.join(missing)}")
            row = [row[f] for f in _model.features]
        rows.append(row)
    return rows
