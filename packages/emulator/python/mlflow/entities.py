"""The few MLflow entities the shim hands out: runs (``.info.run_id``) and experiments."""


class RunStatus:
    RUNNING = "RUNNING"
    SCHEDULED = "SCHEDULED"
    FINISHED = "FINISHED"
    FAILED = "FAILED"
    KILLED = "KILLED"
    ALL = (RUNNING, SCHEDULED, FINISHED, FAILED, KILLED)


class RunInfo:
    def __init__(self, info):
        self.run_id = info.get("run_id") or info.get("run_uuid")
        self.run_uuid = self.run_id
        self.run_name = info.get("run_name", "")
        self.experiment_id = info.get("experiment_id", "0")
        self.user_id = info.get("user_id", "")
        self.status = info.get("status", RunStatus.RUNNING)
        self.start_time = info.get("start_time")
        self.end_time = info.get("end_time")
        self.artifact_uri = info.get("artifact_uri", "")
        self.lifecycle_stage = info.get("lifecycle_stage", "active")

    def __repr__(self):
        return f"<RunInfo: run_id={self.run_id!r}, experiment_id={self.experiment_id!r}, status={self.status!r}>"


class RunData:
    def __init__(self, data):
        self.metrics = {m["key"]: _double(m["value"]) for m in data.get("metrics", [])}
        self.params = {p["key"]: p["value"] for p in data.get("params", [])}
        self.tags = {t["key"]: t["value"] for t in data.get("tags", [])}


class Run:
    def __init__(self, run):
        self.info = RunInfo(run.get("info", {}))
        self.data = RunData(run.get("data", {}))


class ActiveRun(Run):
    """Returned by ``start_run``; as a context manager it ends the run (FAILED on an exception)."""

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        from . import end_run

        end_run(RunStatus.FINISHED if exc_type is None else RunStatus.FAILED)
        return exc_type is None


class Experiment:
    def __init__(self, experiment):
        self.experiment_id = experiment.get("experiment_id", "0")
        self.name = experiment.get("name", "")
        self.artifact_location = experiment.get("artifact_location", "")
        self.lifecycle_stage = experiment.get("lifecycle_stage", "active")
        self.tags = {t["key"]: t["value"] for t in experiment.get("tags", [])}

    def __repr__(self):
        return f"<Experiment: experiment_id={self.experiment_id!r}, name={self.name!r}>"


def _double(value):
    return float(value)  # float() reads "NaN", "Infinity" and "-Infinity" too
