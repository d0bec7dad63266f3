"""MLflow logging that is optional: with `mlflow` importable (the real package, or the
emulator's shim on PYTHONPATH) params and metrics are logged to the job's run; without it
the scripts run the same and log nothing."""

try:
    import mlflow
except ImportError:  # running outside a job, with plain Python
    mlflow = None


class Tracking:
    """Context manager around the job's MLflow run.

    In an Azure ML job (and in the emulator) `MLFLOW_RUN_ID` is set, so `start_run()` attaches
    to the job's own run instead of creating a new one.
    """

    def __init__(self, module=None):
        self._mlflow = module if module is not None else mlflow
        self._started = False

    @property
    def enabled(self):
        return self._mlflow is not None

    def __enter__(self):
        if self._mlflow is not None and self._mlflow.active_run() is None:
            self._mlflow.start_run()
            self._started = True
        return self

    def __exit__(self, error_type, error, traceback):
        if self._started:
            self._mlflow.end_run(status="FAILED" if error_type else "FINISHED")
        return False

    def log_params(self, params):
        if self._mlflow is not None:
            self._mlflow.log_params({key: str(value) for key, value in params.items()})

    def log_metrics(self, metrics, step=None):
        if self._mlflow is not None:
            self._mlflow.log_metrics({key: float(value) for key, value in metrics.items()}, step=step)
