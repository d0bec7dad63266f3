"""Errors of the mlflow shim, named like the real package's (``mlflow.exceptions``)."""


class MlflowException(Exception):
    """A tracking call failed; ``message`` is the server's, ``error_code`` MLflow's code."""

    def __init__(self, message, error_code="INTERNAL_ERROR", http_status=None):
        super().__init__(message)
        self.message = str(message)
        self.error_code = error_code
        self.http_status = http_status

    def __str__(self):
        return f"{self.error_code}: {self.message}" if self.error_code else self.message
