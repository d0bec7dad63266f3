"""Binary logistic regression from scratch: fit by full-batch gradient descent, predict,
save and load as JSON.

Standard library only, and free of imports from the other example modules: `train.py`
copies this file into the model folder (`code/logreg.py`) so the saved model carries its
own loader, the way an MLflow `python_function` model does (`_load_pyfunc` below).
"""

import datetime
import hashlib
import json
import math
import os
import platform
import shutil

FORMAT = "stdlib-logistic-regression"
FORMAT_VERSION = 1
MODEL_FILE = "model.json"
MLMODEL_FILE = "MLmodel"


class InputError(ValueError):
    """Rows given to the model do not have its shape; the message names the first bad row."""


class LogisticRegression:
    """Weights apply to standardised features; the means and scales are part of the model,
    so callers always pass raw feature values."""

    def __init__(self, features, means, scales, weights, bias, threshold=0.5):
        self.features = list(features)
        self.means = list(means)
        self.scales = list(scales)
        self.weights = list(weights)
        self.bias = float(bias)
        self.threshold = float(threshold)

    @classmethod
    def fit(cls, features, rows, labels, learning_rate, epochs, reg, on_epoch=None):
        """Minimise mean log-loss + reg/2 * |w|^2. `on_epoch(epoch, model)` is called after
        every epoch (1-based) so the caller can report progress."""
        means, scales = _standardisation(rows)
        model = cls(features, means, scales, [0.0] * len(features), 0.0)
        standardised = [model._standardise(row) for row in rows]
        count = len(rows)
        for epoch in range(1, epochs + 1):
            gradient = [0.0] * len(features)
            gradient_bias = 0.0
            for z, label in zip(standardised, labels):
                error = _sigmoid(model._logit(z)) - label
                for j, value in enumerate(z):
                    gradient[j] += error * value
                gradient_bias += error
            model.weights = [
                w - learning_rate * (g / count + reg * w) for w, g in zip(model.weights, gradient)
            ]
            model.bias -= learning_rate * gradient_bias / count
            if on_epoch is not None:
                on_epoch(epoch, model)
        return model

    def loss(self, rows, labels, reg=0.0):
        total = 0.0
        for p, label in zip(self.probabilities(rows), labels):
            p = min(max(p, 1e-12), 1.0 - 1e-12)
            total -= math.log(p) if label == 1 else math.log(1.0 - p)
        return total / len(rows) + reg / 2.0 * sum(w * w for w in self.weights)

    def probabilities(self, rows):
        return [_sigmoid(self._logit(self._standardise(row))) for row in rows]

    def predict(self, rows):
        return [1 if p >= self.threshold else 0 for p in self.probabilities(rows)]

    def check_rows(self, rows):
        """Raise InputError unless `rows` is a non-empty list of rows of len(features) numbers."""
        if not isinstance(rows, list) or not rows:
            raise InputError(f"expected a non-empty list of rows, each [{', '.join(self.features)}]")
        for index, row in enumerate(rows):
            if not isinstance(row, list) or len(row) != len(self.features):
                got = f"{len(row)} values" if isinstance(row, list) else type(row).__name__
                raise InputError(
                    f"row {index}: expected {len(self.features)} values "
                    f"[{', '.join(self.features)}], got {got}"
                )
            for column, value in zip(self.features, row):
                if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                    raise InputError(f"row {index}: {column} must be a finite number, got {value!r}")

    def _standardise(self, row):
        return [(x - m) / s for x, m, s in zip(row, self.means, self.scales)]

    def _logit(self, z):
        return self.bias + sum(w * x for w, x in zip(self.weights, z))

    def to_dict(self):
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "features": self.features,
            "means": self.means,
            "scales": self.scales,
            "weights": self.weights,
            "bias": self.bias,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data, source="model"):
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError(f"{source} is not a {FORMAT} model")
        if data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"{source} has format_version {data.get('format_version')!r}, expected {FORMAT_VERSION}")
        try:
            model = cls(data["features"], data["means"], data["scales"], data["weights"], data["bias"],
                        data.get("threshold", 0.5))
        except KeyError as error:
            raise ValueError(f"{source} lacks the field {error.args[0]!r}") from error
        if not len(model.features) == len(model.means) == len(model.scales) == len(model.weights):
            raise ValueError(f"{source}: features, means, scales and weights differ in length")
        return model

    def save(self, directory, extra=None):
        """Write model.json, an MLmodel description and this module (as the pyfunc loader)."""
        os.makedirs(os.path.join(directory, "code"), exist_ok=True)
        document = {**self.to_dict(), **(extra or {})}
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
        with open(os.path.join(directory, MODEL_FILE), "w", encoding="utf-8") as handle:
            handle.write(text)
        with open(os.path.join(directory, MLMODEL_FILE), "w", encoding="utf-8") as handle:
            handle.write(self._mlmodel(hashlib.sha256(text.encode()).hexdigest()[:32]))
        shutil.copyfile(__file__, os.path.join(directory, "code", "logreg.py"))

    @classmethod
    def load(cls, path):
        """Load from model.json, or from a folder holding it (directly or one level down)."""
        file = find_model_file(path)
        try:
            with open(file, encoding="utf-8") as handle:
                data = json.load(handle)
        except json.JSONDecodeError as error:
            raise ValueError(f"{file} is not valid JSON: {error}") from error
        return cls.from_dict(data, source=file)

    def _mlmodel(self, model_uuid):
        # An MLflow model description: `python_function` with this module as its loader,
        # plus a flavour of our own naming the file format. Signatures are JSON strings.
        inputs = json.dumps([{"type": "double", "name": f, "required": True} for f in self.features])
        outputs = json.dumps([{"type": "long", "required": True}])
        created = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
        return (
            "artifact_path: model\n"
            "flavors:\n"
            "  python_function:\n"
            "    code: code\n"
            f"    data: {MODEL_FILE}\n"
            "    loader_module: logreg\n"
            f"    python_version: {platform.python_version()}\n"
            "  stdlib_logreg:\n"
            f"    format: {FORMAT}\n"
            f"    format_version: {FORMAT_VERSION}\n"
            f"    model_file: {MODEL_FILE}\n"
            f"model_uuid: {model_uuid}\n"
            "signature:\n"
            f"  inputs: '{inputs}'\n"
            f"  outputs: '{outputs}'\n"
            f"utc_time_created: '{created}'\n"
        )


def find_model_file(path):
    """model.json at `path`, in it, or in one of its subfolders (Azure ML mounts a registered
    model folder as AZUREML_MODEL_DIR/<folder name>/)."""
    if os.path.isfile(path):
        return path
    direct = os.path.join(path, MODEL_FILE)
    if os.path.isfile(direct):
        return direct
    if os.path.isdir(path):
        nested = sorted(
            os.path.join(path, entry, MODEL_FILE)
            for entry in os.listdir(path)
            if os.path.isfile(os.path.join(path, entry, MODEL_FILE))
        )
        if len(nested) == 1:
            return nested[0]
        if len(nested) > 1:
            raise FileNotFoundError(f"more than one {MODEL_FILE} under {path}: {', '.join(nested)}")
    raise FileNotFoundError(f"no {MODEL_FILE} at {path} or in its subfolders")


class _PyfuncModel:
    def __init__(self, model):
        self._model = model

    def predict(self, model_input, params=None):
        if hasattr(model_input, "to_numpy"):  # a pandas DataFrame, as MLflow passes
            if all(f in getattr(model_input, "columns", []) for f in self._model.features):
                model_input = model_input[self._model.features]
            model_input = model_input.to_numpy().tolist()
        rows = [list(row) for row in model_input]
        self._model.check_rows(rows)
        return self._model.predict(rows)


def _load_pyfunc(data_path):
    """The MLflow `python_function` loader entry point."""
    return _PyfuncModel(LogisticRegression.load(data_path))


def _standardisation(rows):
    count = len(rows)
    means = [sum(column) / count for column in zip(*rows)]
    scales = []
    for column, mean in zip(zip(*rows), means):
        spread = math.sqrt(sum((x - mean) ** 2 for x in column) / count)
        scales.append(spread if spread > 0 else 1.0)  # a constant column contributes nothing
    return means, scales


def _sigmoid(x):
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)
