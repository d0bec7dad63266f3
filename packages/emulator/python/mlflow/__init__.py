"""A standard-library stand-in for the ``mlflow`` tracking API, for jobs run by the emulator.

It speaks the MLflow REST API at ``MLFLOW_TRACKING_URI`` with ``MLFLOW_TRACKING_TOKEN`` and
trusts ``SSL_CERT_FILE``. Inside a job ``MLFLOW_RUN_ID`` names the job's run, which
``start_run()`` (or the first logging call) resumes. Without a tracking URI nothing is recorded
and one warning goes to stderr, so scripts still run outside a job.
"""

import atexit
import getpass
import os
import sys
import time
import uuid

from . import _rest
from .entities import ActiveRun, Experiment, Run, RunStatus
from .exceptions import MlflowException

__version__ = "2.0.0+emulator.shim"

__all__ = [
    "ActiveRun",
    "MlflowException",
    "active_run",
    "end_run",
    "get_run",
    "get_tracking_uri",
    "log_metric",
    "log_metrics",
    "log_param",
    "log_params",
    "set_experiment",
    "set_tag",
    "set_tags",
    "set_tracking_uri",
    "start_run",
]

_BATCH_LIMITS = {"metrics": 1000, "params": 100, "tags": 100}


class _State:
    def __init__(self):
        self.tracking_uri = None
        self.experiment_id = None
        self.runs = []  # the active-run stack, innermost last
        self.warned = False
        self.hooks_installed = False
        self.failed = False


_state = _State()


# Tracking URI


def set_tracking_uri(uri):
    _state.tracking_uri = str(uri) if uri else None


def get_tracking_uri():
    """The tracking URI in use, or "" when there is none (nothing is recorded then)."""
    return _state.tracking_uri or os.environ.get("MLFLOW_TRACKING_URI", "")


def _rest_base():
    """The https/http base URL, or None (after one warning) when nothing can be recorded."""
    uri = get_tracking_uri()
    if uri.startswith("azureml://"):  # what azureml-mlflow accepts: the same host over https
        uri = "https://" + uri[len("azureml://") :]
    if uri.startswith(("http://", "https://")):
        return uri
    if not _state.warned:
        _state.warned = True
        problem = f"tracking URI {uri!r} is not supported" if uri else "MLFLOW_TRACKING_URI is not set"
        sys.stderr.write(f"mlflow (emulator shim): {problem}; metrics, params and tags are not recorded.\n")
    return None


def _call(method, op, body=None, query=None):
    base = _rest_base()
    if base is None:
        return None
    return _rest.call(base, method, op, body=body, query=query)


def _now_ms():
    return int(time.time() * 1000)


# Experiments


def _experiment_by_name(name):
    try:
        return _call("GET", "experiments/get-by-name", query={"experiment_name": name})["experiment"]
    except MlflowException as error:
        if error.error_code == "RESOURCE_DOES_NOT_EXIST":
            return None
        raise


def _ensure_experiment(name):
    experiment = _experiment_by_name(name)
    if experiment is not None:
        return experiment
    try:
        created = _call("POST", "experiments/create", {"name": name})
    except MlflowException as error:
        if error.error_code != "RESOURCE_ALREADY_EXISTS":  # lost a race with another process
            raise
        return _experiment_by_name(name)
    return {"experiment_id": created["experiment_id"], "name": name}


def set_experiment(experiment_name=None, experiment_id=None):
    """Makes the experiment current for new runs, creating it by name when missing."""
    if experiment_name is None and experiment_id is None:
        raise MlflowException("Must specify exactly one of experiment_name or experiment_id.", "INVALID_PARAMETER_VALUE")
    if _rest_base() is None:
        _state.experiment_id = experiment_id or "0"
        return Experiment({"experiment_id": _state.experiment_id, "name": experiment_name or ""})
    if experiment_id is not None:
        experiment = _call("GET", "experiments/get", query={"experiment_id": str(experiment_id)})["experiment"]
    else:
        experiment = _ensure_experiment(experiment_name)
    _state.experiment_id = experiment["experiment_id"]
    return Experiment(experiment)


def _experiment_for_new_run(experiment_id):
    if experiment_id is not None:
        return str(experiment_id)
    if _state.experiment_id is not None:
        return _state.experiment_id
    if os.environ.get("MLFLOW_EXPERIMENT_ID"):
        return os.environ["MLFLOW_EXPERIMENT_ID"]
    if os.environ.get("MLFLOW_EXPERIMENT_NAME"):
        return _ensure_experiment(os.environ["MLFLOW_EXPERIMENT_NAME"])["experiment_id"]
    return "0"


# Runs


def _install_hooks():
    """Ends open runs at exit: FAILED when an uncaught exception ends the script."""
    if _state.hooks_installed:
        return
    _state.hooks_installed = True
    previous = sys.excepthook

    def record_failure(kind, value, traceback):
        _state.failed = True
        previous(kind, value, traceback)

    sys.excepthook = record_failure
    atexit.register(_end_all_runs)


def _end_all_runs():
    status = RunStatus.FAILED if _state.failed else RunStatus.FINISHED
    while _state.runs:
        try:
            end_run(status)
        except MlflowException as error:
            sys.stderr.write(f"mlflow (emulator shim): could not end run: {error}\n")
            _state.runs.pop()


def _string_tags(tags):
    return [{"key": str(key), "value": str(value)} for key, value in (tags or {}).items()]


def _offline_run(run_id, run_name, experiment_id, tags):
    info = {"run_id": run_id, "run_name": run_name or run_id, "experiment_id": experiment_id or "0"}
    return ActiveRun({"info": info, "data": {"tags": _string_tags(tags)}})


def _resume(run_id, tags):
    run = _call("GET", "runs/get", query={"run_id": run_id})["run"]
    if run["info"].get("lifecycle_stage") == "deleted":
        raise MlflowException(f"Cannot start run with ID {run_id} because it is in the deleted state.", "INVALID_PARAMETER_VALUE")
    run["info"] = _call("POST", "runs/update", {"run_id": run_id, "status": RunStatus.RUNNING})["run_info"]
    if tags:
        _log_batch(run_id, tags=_string_tags(tags))
        known = {tag["key"]: tag for tag in run.setdefault("data", {}).setdefault("tags", [])}
        known.update({tag["key"]: tag for tag in _string_tags(tags)})
        run["data"]["tags"] = list(known.values())
    return ActiveRun(run)


def _create(experiment_id, run_name, parent_run_id, tags):
    all_tags = {
        "mlflow.user": _user(),
        "mlflow.source.name": os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "",
        "mlflow.source.type": "LOCAL",
    }
    if parent_run_id:
        all_tags["mlflow.parentRunId"] = parent_run_id
    if run_name:
        all_tags["mlflow.runName"] = run_name
    all_tags.update({str(key): str(value) for key, value in (tags or {}).items()})
    body = {
        "experiment_id": _experiment_for_new_run(experiment_id),
        "start_time": _now_ms(),
        "user_id": all_tags["mlflow.user"],
        "tags": _string_tags(all_tags),
    }
    if run_name:
        body["run_name"] = run_name
    return ActiveRun(_call("POST", "runs/create", body)["run"])


def _user():
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def start_run(run_id=None, experiment_id=None, run_name=None, nested=False, tags=None, description=None):
    """Starts a run, or resumes ``run_id`` (by default the job's ``MLFLOW_RUN_ID``).

    ``nested=True`` creates a child of the active run (or of the job's run when none is active),
    tagged ``mlflow.parentRunId``.
    """
    if _state.runs and not nested:
        raise MlflowException(
            f"Run with UUID {_state.runs[-1].info.run_id} is already active. To start a nested run, "
            "call start_run with nested=True",
            "INVALID_PARAMETER_VALUE",
        )
    tags = dict(tags or {})
    if description:
        tags["mlflow.note.content"] = description
    env_run_id = os.environ.get("MLFLOW_RUN_ID")
    parent_run_id = None
    if nested:
        parent_run_id = _state.runs[-1].info.run_id if _state.runs else env_run_id
    resume_id = run_id or (None if nested else env_run_id)
    if resume_id and resume_id == env_run_id:
        # Like mlflow: the job's run is resumed once; later runs of the script are new ones.
        os.environ.pop("MLFLOW_RUN_ID", None)
    if _rest_base() is None:
        active = _offline_run(resume_id or uuid.uuid4().hex, run_name, experiment_id, tags)
    elif resume_id:
        active = _resume(resume_id, tags)
    else:
        active = _create(experiment_id, run_name, parent_run_id, tags)
    _install_hooks()
    _state.runs.append(active)
    return active


def active_run():
    """The innermost active run, or None."""
    return _state.runs[-1] if _state.runs else None


def end_run(status=RunStatus.FINISHED):
    """Ends the innermost active run with ``status``."""
    if not _state.runs:
        return
    run = _state.runs[-1]
    if status not in RunStatus.ALL:
        raise MlflowException(f"Invalid run status {status!r}.", "INVALID_PARAMETER_VALUE")
    _call("POST", "runs/update", {"run_id": run.info.run_id, "status": status, "end_time": _now_ms()})
    _state.runs.pop()


def get_run(run_id):
    """The run as the server has it (None outside a job)."""
    found = _call("GET", "runs/get", query={"run_id": run_id})
    return None if found is None else Run(found["run"])


def _current_run_id(run_id=None):
    """The run to log to: the given one, else the active run, else a run started for it."""
    if run_id:
        return run_id
    if not _state.runs:
        start_run()
    return _state.runs[-1].info.run_id


# Logging


def _log_batch(run_id, metrics=(), params=(), tags=()):
    """log-batch within MLflow's limits per request."""
    metrics, params, tags = list(metrics), list(params), list(tags)
    while metrics or params or tags:
        body = {"run_id": run_id}
        for name, items in (("metrics", metrics), ("params", params), ("tags", tags)):
            body[name] = items[: _BATCH_LIMITS[name]]
            del items[: _BATCH_LIMITS[name]]
        _call("POST", "runs/log-batch", body)


def _metric(key, value, step, timestamp):
    return {
        "key": str(key),
        "value": _rest.wire_double(value),
        "timestamp": int(timestamp) if timestamp is not None else _now_ms(),
        "step": int(step) if step is not None else 0,
    }


def log_metric(key, value, step=None, synchronous=None, timestamp=None, run_id=None):
    run_id = _current_run_id(run_id)
    if _rest_base() is None:
        return
    _call("POST", "runs/log-metric", {"run_id": run_id, **_metric(key, value, step, timestamp)})


def log_metrics(metrics, step=None, synchronous=None, run_id=None, timestamp=None):
    run_id = _current_run_id(run_id)
    if _rest_base() is None:
        return
    at = timestamp if timestamp is not None else _now_ms()
    _log_batch(run_id, metrics=[_metric(key, value, step, at) for key, value in metrics.items()])


def log_param(key, value, synchronous=None):
    run_id = _current_run_id()
    if _rest_base() is not None:
        _call("POST", "runs/log-parameter", {"run_id": run_id, "key": str(key), "value": str(value)})
    return value


def log_params(params, synchronous=None, run_id=None):
    run_id = _current_run_id(run_id)
    if _rest_base() is None:
        return
    _log_batch(run_id, params=[{"key": str(key), "value": str(value)} for key, value in params.items()])


def set_tag(key, value, synchronous=None):
    run_id = _current_run_id()
    if _rest_base() is not None:
        _call("POST", "runs/set-tag", {"run_id": run_id, "key": str(key), "value": str(value)})


def set_tags(tags, synchronous=None):
    run_id = _current_run_id()
    if _rest_base() is None:
        return
    _log_batch(run_id, tags=_string_tags(tags))
